use std::path::{Path, PathBuf};

use crate::Command;

/// The top of the git work tree around `dir`, or `None` when `dir` is not in one (or git
/// is not installed).
pub fn work_tree(dir: &Path) -> Option<PathBuf> {
    let top = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--show-toplevel"])
        .run()
        .ok()
        .filter(|f| f.success())?;
    Some(PathBuf::from(String::from_utf8_lossy(&top.stdout).trim()))
}

/// The work tree around `dir` and the files git tracks in it (absolute paths), or `None`
/// when `dir` is not in a git work tree (or git is not installed).
pub fn tracked_files(dir: &Path) -> Option<(PathBuf, Vec<PathBuf>)> {
    let root = work_tree(dir)?;
    let listed = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["ls-files", "-z", "--cached"])
        .run()
        .ok()
        .filter(|f| f.success())?;
    let files = listed
        .stdout
        .split(|b| *b == 0)
        .filter(|name| !name.is_empty())
        .map(|name| root.join(String::from_utf8_lossy(name).as_ref()))
        .collect();
    Some((root, files))
}
