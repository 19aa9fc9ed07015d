//! How two generations' files differ, and how `$HOME` drifted from the active generation
//! since it was switched to (an application replaced a link with a file of its own, or
//! pointed it elsewhere).

use std::path::{Path, PathBuf};

use crate::generation::{files, links_into_files, same_content};

/// A file of `home-files` that differs between two generations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Relative to `$HOME`.
    pub path: PathBuf,
    pub kind: ChangeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Modified,
}

impl FileChange {
    /// The file in `generation` (links followed when read).
    pub fn in_generation(&self, generation: &Path) -> PathBuf {
        generation.join("home-files").join(&self.path)
    }
}

/// Whether `rel` is a link a unit directory's `*.wants`/`*.requires` holds: the unit
/// itself is compared, and the unit plan says what starts it.
fn is_dependency_link(rel: &Path) -> bool {
    rel.parent()
        .and_then(Path::file_name)
        .map(|d| d.to_string_lossy())
        .is_some_and(|d| d.ends_with(".wants") || d.ends_with(".requires"))
}

/// Files added, removed or changed (by content, links followed) from `old` to `new`,
/// sorted by path.
pub fn changed_files(old: Option<&Path>, new: &Path) -> Vec<FileChange> {
    let list = |generation: &Path| -> Vec<PathBuf> {
        files(&generation.join("home-files"))
            .into_iter()
            .filter(|rel| !is_dependency_link(rel))
            .collect()
    };
    let new_files = list(new);
    let old_files = old.map(list).unwrap_or_default();
    let mut changes: Vec<FileChange> = Vec::new();
    for rel in &new_files {
        let kind = if old_files.binary_search(rel).is_err() {
            ChangeKind::Added
        } else {
            let (Some(old), new) = (old, new) else {
                continue;
            };
            let at = |g: &Path| g.join("home-files").join(rel);
            if same_content(&at(old), &at(new)) {
                continue;
            }
            ChangeKind::Modified
        };
        changes.push(FileChange {
            path: rel.clone(),
            kind,
        });
    }
    for rel in old_files {
        if new_files.binary_search(&rel).is_err() {
            changes.push(FileChange {
                path: rel,
                kind: ChangeKind::Removed,
            });
        }
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    changes
}

/// A managed file in `$HOME` that is no longer the generation's link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// Relative to `$HOME`.
    pub path: PathBuf,
    pub kind: DriftKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriftKind {
    /// A regular file took the link's place (an application rewrote it).
    ReplacedByFile,
    /// The link now points at `target`, outside the generation's files.
    LinksElsewhere(PathBuf),
    /// Nothing is there any more.
    Missing,
}

/// Files of `generation` that `home` no longer links to it, sorted by path.
pub fn drift(generation: &Path, home: &Path) -> Vec<Drift> {
    let Ok(package) = generation.join("home-files").canonicalize() else {
        return Vec::new();
    };
    files(&package)
        .into_iter()
        .filter(|rel| !is_dependency_link(rel))
        .filter_map(|rel| {
            let path = home.join(&rel);
            let kind = match std::fs::symlink_metadata(&path) {
                Err(_) => DriftKind::Missing,
                Ok(meta) if meta.is_symlink() => {
                    let target = std::fs::read_link(&path).ok()?;
                    if target == package.join(&rel) || links_into_files(&target) {
                        return None;
                    }
                    DriftKind::LinksElsewhere(target)
                }
                Ok(meta) if meta.is_file() => DriftKind::ReplacedByFile,
                Ok(_) => return None,
            };
            Some(Drift { path: rel, kind })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generation(root: &Path, name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = root.join(name);
        for (rel, text) in files {
            let path = dir.join("home-files").join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    #[test]
    fn changes_between_generations() {
        let root = tempfile::tempdir().expect("tempdir");
        let old = generation(root.path(), "old", &[(".a", "1"), (".b", "1"), (".c", "1")]);
        let new = generation(
            root.path(),
            "new",
            &[
                (".a", "1"),
                (".b", "2"),
                (".d", "1"),
                (".config/systemd/user/default.target.wants/x.service", "u"),
            ],
        );
        let changes: Vec<(String, ChangeKind)> = changed_files(Some(&old), &new)
            .into_iter()
            .map(|c| (c.path.display().to_string(), c.kind))
            .collect();
        assert_eq!(
            changes,
            [
                (".b".to_string(), ChangeKind::Modified),
                (".c".to_string(), ChangeKind::Removed),
                (".d".to_string(), ChangeKind::Added),
            ]
        );
        assert_eq!(changed_files(None, &old).len(), 3);
    }

    #[test]
    fn drift_reports_replaced_redirected_and_missing_files() {
        let root = tempfile::tempdir().expect("tempdir");
        let generation = generation(
            root.path(),
            "gen",
            &[
                (".kept", "1"),
                (".rewritten", "1"),
                (".moved", "1"),
                (".gone", "1"),
            ],
        );
        let package = generation
            .join("home-files")
            .canonicalize()
            .expect("exists");
        let home = root.path().join("home");
        std::fs::create_dir_all(&home).expect("mkdir");
        std::os::unix::fs::symlink(package.join(".kept"), home.join(".kept")).expect("link");
        std::fs::write(home.join(".rewritten"), "mine").expect("write");
        std::os::unix::fs::symlink("/etc/hostname", home.join(".moved")).expect("link");
        assert_eq!(
            drift(&generation, &home),
            [
                Drift {
                    path: ".gone".into(),
                    kind: DriftKind::Missing
                },
                Drift {
                    path: ".moved".into(),
                    kind: DriftKind::LinksElsewhere("/etc/hostname".into())
                },
                Drift {
                    path: ".rewritten".into(),
                    kind: DriftKind::ReplacedByFile
                },
            ]
        );
    }
}
