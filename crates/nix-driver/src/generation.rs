//! What activating a generation will do: files it would clobber, and user services it
//! starts, stops or restarts (compared with the previous generation's unit files).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Files in `$HOME` that are in the way and not managed by Home Manager.
    pub clobbered: Vec<PathBuf>,
    /// Units new in this generation.
    pub start: Vec<String>,
    /// Units only the previous generation had.
    pub stop: Vec<String>,
    /// Units whose unit file changed.
    pub restart: Vec<String>,
}

const UNIT_DIR: &str = ".config/systemd/user";

/// Compares `new` (and the active `old` generation, if any) with `home`.
pub fn plan(old: Option<&Path>, new: &Path, home: &Path) -> Plan {
    let new_files = files(&new.join("home-files"));
    let clobbered = new_files
        .iter()
        .map(|rel| home.join(rel))
        .filter(|target| (target.exists() || target.is_symlink()) && !is_managed(target))
        .collect();
    let old_units = old.map(units).unwrap_or_default();
    let new_units = units(new);
    let start = new_units.difference(&old_units).cloned().collect();
    let stop = old_units.difference(&new_units).cloned().collect();
    let restart = new_units
        .intersection(&old_units)
        .filter(|unit| {
            let read = |generation: &Path| {
                std::fs::read(generation.join("home-files").join(UNIT_DIR).join(unit)).ok()
            };
            old.is_some_and(|old| read(old) != read(new))
        })
        .cloned()
        .collect();
    Plan {
        clobbered,
        start,
        stop,
        restart,
    }
}

/// A link into a generation's `home-files`: Home Manager's own, safe to replace.
fn is_managed(path: &Path) -> bool {
    std::fs::read_link(path).is_ok_and(|target| {
        target.starts_with("/nix/store")
            && target.components().any(|c| c.as_os_str() == "home-files")
    })
}

/// Unit files (not `*.wants/` links) of a generation.
fn units(generation: &Path) -> BTreeSet<String> {
    std::fs::read_dir(generation.join("home-files").join(UNIT_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| !e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// Relative paths of the files under `dir` (links included, directories descended).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in std::fs::read_dir(dir.join(&rel))
            .into_iter()
            .flatten()
            .flatten()
        {
            let rel = rel.join(entry.file_name());
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(rel),
                Ok(_) => out.push(rel),
                Err(_) => {}
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generation(root: &Path, name: &str, units: &[(&str, &str)], files: &[&str]) -> PathBuf {
        let dir = root.join(name);
        let unit_dir = dir.join("home-files").join(UNIT_DIR);
        std::fs::create_dir_all(unit_dir.join("default.target.wants")).expect("mkdir");
        for (unit, text) in units {
            std::fs::write(unit_dir.join(unit), text).expect("write");
        }
        for file in files {
            let path = dir.join("home-files").join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, "x").expect("write");
        }
        dir
    }

    #[test]
    fn plans_unit_changes_and_clobbered_files() {
        let root = tempfile::tempdir().expect("tempdir");
        let old = generation(
            root.path(),
            "old",
            &[("a.service", "1"), ("b.service", "1"), ("c.service", "1")],
            &[],
        );
        let new = generation(
            root.path(),
            "new",
            &[("a.service", "1"), ("b.service", "2"), ("d.service", "1")],
            &[".gitconfig"],
        );
        let home = root.path().join("home");
        std::fs::create_dir_all(&home).expect("mkdir");
        std::fs::write(home.join(".gitconfig"), "mine").expect("write");
        let plan = plan(Some(&old), &new, &home);
        assert_eq!(plan.start, ["d.service"]);
        assert_eq!(plan.stop, ["c.service"]);
        assert_eq!(plan.restart, ["b.service"]);
        assert_eq!(plan.clobbered, [home.join(".gitconfig")]);
    }
}
