//! Running a generation's `activate` as the home-manager CLI does: `--driver-version 1`
//! (the caller manages the profile; generations without `gen-version` predate the
//! protocol and record the profile themselves), the script of a specialisation when one
//! is asked for, and undoing the links of an activation that failed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::Command;
use crate::generation::{files, links_into_files};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActivationError {
    #[error("the configuration has no specialisation `{name}`")]
    NoSpecialisation {
        name: String,
        available: Vec<String>,
    },
    #[error("{0} has no activate script")]
    NoScript(PathBuf),
}

/// Whether the generation ships `gen-version`, i.e. expects its caller to set the profile.
pub fn speaks_driver_version_1(generation: &Path) -> bool {
    generation.join("gen-version").is_file()
}

/// Names of the generation's specialisations (`specialisation/<name>`), sorted.
pub fn specialisations(generation: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(generation.join("specialisation"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The generation whose files get linked: `generation` itself, or its specialisation.
pub fn target(generation: &Path, specialisation: Option<&str>) -> Result<PathBuf, ActivationError> {
    let dir = match specialisation {
        None => generation.to_path_buf(),
        Some(name) => {
            let dir = generation.join("specialisation").join(name);
            if name.contains('/') || !dir.join("activate").is_file() {
                return Err(ActivationError::NoSpecialisation {
                    name: name.to_string(),
                    available: specialisations(generation),
                });
            }
            dir.canonicalize().unwrap_or(dir)
        }
    };
    if !dir.join("activate").is_file() {
        return Err(ActivationError::NoScript(dir));
    }
    Ok(dir)
}

/// `<generation>/activate --driver-version 1` with `HOME` set.
pub fn activate(generation: &Path, home: &Path) -> Command {
    Command::new(generation.join("activate"))
        .args(["--driver-version", "1"])
        .env("HOME", home)
}

/// Removes the links in `home` that point into `generation`'s files (and the directories
/// that leaves empty): what an activation of it that failed half-way left behind. Links
/// under any name count, since `ln -sf` interrupted mid-way leaves its temporary link.
/// Returns how many links were removed.
pub fn remove_links(generation: &Path, home: &Path) -> usize {
    let Ok(package) = generation.join("home-files").canonicalize() else {
        return 0;
    };
    if !links_into_files(&package.join("x")) {
        return 0;
    }
    let dirs: BTreeSet<PathBuf> = files(&package)
        .iter()
        .filter_map(|rel| Some(home.join(rel.parent()?)))
        .collect();
    let mut removed = 0;
    for dir in &dirs {
        let before = removed;
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if std::fs::read_link(&path).is_ok_and(|t| t.starts_with(&package))
                && std::fs::remove_file(&path).is_ok()
            {
                removed += 1;
            }
        }
        if removed == before {
            continue;
        }
        // Directories only those links kept.
        let mut dir = Some(dir.as_path());
        while let Some(d) = dir.filter(|d| *d != home && d.starts_with(home)) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    removed
}

/// Whether every file of `generation` is linked into `home` (so re-activating it would
/// change nothing in `$HOME`).
pub fn links_complete(generation: &Path, home: &Path) -> bool {
    let Ok(package) = generation.join("home-files").canonicalize() else {
        return false;
    };
    files(&package)
        .iter()
        .all(|rel| std::fs::read_link(home.join(rel)).is_ok_and(|t| t == package.join(rel)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activation_argv_and_specialisations() {
        let root = tempfile::tempdir().expect("tempdir");
        let generation = root.path().join("gen");
        let dark = generation.join("specialisation/dark");
        std::fs::create_dir_all(&dark).expect("mkdir");
        for dir in [&generation, &dark] {
            std::fs::write(dir.join("activate"), "").expect("write");
        }
        assert_eq!(
            activate(&generation, Path::new("/home/a")).argv(),
            [
                generation.join("activate").display().to_string(),
                "--driver-version".into(),
                "1".into()
            ]
        );
        assert_eq!(specialisations(&generation), ["dark"]);
        assert_eq!(target(&generation, None), Ok(generation.clone()));
        assert_eq!(
            target(&generation, Some("dark")),
            Ok(dark.canonicalize().expect("exists"))
        );
        assert_eq!(
            target(&generation, Some("light")),
            Err(ActivationError::NoSpecialisation {
                name: "light".into(),
                available: vec!["dark".into()]
            })
        );
        assert!(target(&generation, Some("../..")).is_err());
        assert!(!speaks_driver_version_1(&generation));
    }
}
