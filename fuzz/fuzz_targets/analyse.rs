//! parse -> model -> every check, on arbitrary bytes written as a home.nix.
//! Run: `cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run analyse` (see docs/performance.md).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn scratch() -> &'static std::path::Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("hm-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let file = scratch().join("home.nix");
    std::fs::write(&file, data).expect("write input");
    if let Ok(analysis) = hm_model::analyse(&file) {
        let _ = hm_checks::check(&hm_checks::Context::new(&analysis, None));
    }
});
