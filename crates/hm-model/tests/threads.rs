//! An analysis leaves no thread behind. The fuzzer's leak checker found the thread that reads
//! the prelude detached, sometimes still exiting after `analyse` returned (a race this test
//! cannot force; it checks that every thread is gone once `analyse` returns, as the join now
//! guarantees). Its own test binary: other tests' threads would change the count.

use std::path::Path;

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, |d| d.count())
}

#[test]
fn analyse_joins_every_thread_it_starts() {
    if !Path::new("/proc/self/task").exists() {
        eprintln!("skipped: no /proc/self/task");
        return;
    }
    // rayon's pool lives for the process; start it before counting.
    rayon::join(|| (), || ());
    let entry = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/standalone/home.nix");
    let before = threads();
    for _ in 0..3 {
        hm_model::analyse(&entry).expect("the example analyses");
        assert_eq!(threads(), before, "a thread outlived the analysis");
    }
}
