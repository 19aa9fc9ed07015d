//! parse -> model -> every check on several files that import each other. The input is
//! split at each `\n#-` into the entry, then `a.nix`, `b.nix`, `sub/default.nix` and
//! `c.nix` in turn, so `imports = [ ./a.nix ]`, `import ./sub` and cycles between them
//! reach fuzzed files. The entry is `flake.nix` when its text mentions `outputs` (so the
//! flake layer is fuzzed too), else `home.nix`. Files an input does not reach are removed.
//! Run: `cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run analyse_files -- -dict=nix.dict`
//! (see docs/performance.md).
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// The files an input is split into, the entry first.
const FILES: &[&str] = &["home.nix", "a.nix", "b.nix", "sub/default.nix", "c.nix"];
const FLAKE: &str = "flake.nix";
const SEPARATOR: &[u8] = b"\n#-";

fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("hm-fuzz-files-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).expect("scratch dir");
        dir
    })
}

/// `data` cut at the first `FILES.len() - 1` separators.
fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() + 1 < FILES.len() {
        match rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
            Some(i) => {
                parts.push(&rest[..i]);
                rest = &rest[i + SEPARATOR.len()..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

fuzz_target!(|data: &[u8]| {
    let dir = scratch();
    let parts = split(data);
    let flake = parts[0].windows(7).any(|w| w == b"outputs");
    let entry = if flake { FLAKE } else { FILES[0] };
    let _ = std::fs::remove_file(dir.join(if flake { FILES[0] } else { FLAKE }));
    for (i, name) in FILES.iter().enumerate() {
        let name = if i == 0 { entry } else { name };
        let path = dir.join(name);
        match parts.get(i) {
            Some(text) => std::fs::write(&path, text).expect("write input"),
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    if let Ok(analysis) = hm_model::analyse(&dir.join(entry)) {
        let _ = hm_checks::check(&hm_checks::Context::new(&analysis, None));
    }
});
