//! What activating a generation will do: the files in the way and what happens to each
//! (as Home Manager's `checkLinkTargets` and `linkGeneration` decide), and the user
//! services it starts, stops or restarts (compared with the previous generation's unit
//! files).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// How files in the way are backed up: `-b`/`HOME_MANAGER_BACKUP_EXT`,
/// `-B`/`HOME_MANAGER_BACKUP_COMMAND`, `HOME_MANAGER_BACKUP_OVERWRITE`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Backup {
    pub extension: Option<String>,
    pub command: Option<String>,
    pub overwrite: bool,
}

/// What happens to a file in the way of a new link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InTheWay {
    /// Same content as the new file: Home Manager leaves it in place (with a warning).
    Identical,
    /// The activation moves it to `to` (FILE.EXT).
    BackedUp { to: PathBuf },
    /// The activation replaces the earlier backup `to` (HOME_MANAGER_BACKUP_OVERWRITE).
    ReplacesBackup { to: PathBuf },
    /// The activation runs the backup command on it.
    BackupCommand,
    /// Home Manager would refuse (FILE.EXT exists) or clobber the existing backup, or the
    /// file is a symlink it would replace: hm moves it to a free `FILE.EXT[.N]` itself.
    MovedByHm { to: PathBuf },
    /// Nothing may replace it: the switch is refused.
    Refused(Refusal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No backup was asked for.
    NoBackup,
    /// A symlink that is not Home Manager's, and no backup extension to move it aside.
    ForeignLink,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    /// The path in `$HOME`.
    pub path: PathBuf,
    pub action: InTheWay,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Paths in `$HOME` that are in the way of the new generation's links.
    pub in_the_way: Vec<Collision>,
    /// Units a target (`default.target`, `timers.target`, …) wants that it did not want
    /// before.
    pub start: Vec<String>,
    /// Wanted units only the previous generation had.
    pub stop: Vec<String>,
    /// Wanted units whose unit file changed.
    pub restart: Vec<String>,
}

impl Plan {
    pub fn refused(&self) -> impl Iterator<Item = (&Path, Refusal)> {
        self.in_the_way.iter().filter_map(|c| match c.action {
            InTheWay::Refused(why) => Some((c.path.as_path(), why)),
            _ => None,
        })
    }
}

const UNIT_DIR: &str = ".config/systemd/user";

/// Compares `new` (and the active `old` generation, if any) with `home`.
pub fn plan(old: Option<&Path>, new: &Path, home: &Path, backup: &Backup) -> Plan {
    let new_files = new.join("home-files");
    let in_the_way = files(&new_files)
        .iter()
        .filter_map(|rel| {
            let path = home.join(rel);
            let action = classify(&new_files.join(rel), &path, backup)?;
            Some(Collision { path, action })
        })
        .collect();
    Plan {
        in_the_way,
        ..unit_plan(old, new)
    }
}

/// The units activating `new` over `old` starts, restarts and stops (no files in the way).
pub fn unit_plan(old: Option<&Path>, new: &Path) -> Plan {
    let new_units = units(new);
    let old_wanted = old.map(wanted).unwrap_or_default();
    let new_wanted = wanted(new);
    // As sd-switch does: units a target wants are started when new (or newly wanted),
    // restarted when their file changed, stopped when their file is gone. A unit nothing
    // wants (a service a timer starts) is left to what starts it.
    let start = new_wanted
        .iter()
        .filter(|unit| !old_wanted.contains(*unit))
        .cloned()
        .collect();
    let stop = old_wanted
        .iter()
        .filter(|unit| !new_units.contains(*unit))
        .cloned()
        .collect();
    let restart = new_wanted
        .intersection(&old_wanted)
        .filter(|unit| {
            let at = |generation: &Path| generation.join("home-files").join(UNIT_DIR).join(unit);
            old.is_some_and(|old| !same_content(&at(old), &at(new)))
        })
        .cloned()
        .collect();
    Plan {
        in_the_way: Vec::new(),
        start,
        stop,
        restart,
    }
}

/// What happens to `target` when the activation links `source` there; `None` when nothing
/// is in the way (missing, a dangling link, or a link of Home Manager's).
fn classify(source: &Path, target: &Path, backup: &Backup) -> Option<InTheWay> {
    let meta = std::fs::symlink_metadata(target).ok()?;
    let backup_path = |ext: &str| append(target, &format!(".{ext}"));
    if meta.is_symlink() {
        // A dangling link is simply replaced, as Home Manager does.
        if !target.exists() || is_managed(target) {
            return None;
        }
        // Home Manager replaces a foreign link with the same content silently and refuses
        // one with other content; either way it is the user's, so hm moves it aside.
        return Some(match &backup.extension {
            Some(ext) => InTheWay::MovedByHm {
                to: free_backup(&backup_path(ext)),
            },
            None => InTheWay::Refused(Refusal::ForeignLink),
        });
    }
    if backup.command.is_some() {
        return Some(InTheWay::BackupCommand);
    }
    if let Some(ext) = &backup.extension {
        let to = backup_path(ext);
        return Some(if std::fs::symlink_metadata(&to).is_err() {
            InTheWay::BackedUp { to }
        } else if backup.overwrite {
            InTheWay::ReplacesBackup { to }
        } else {
            InTheWay::MovedByHm {
                to: free_backup(&to),
            }
        });
    }
    if meta.is_file() && same_content(source, target) {
        return Some(InTheWay::Identical);
    }
    Some(InTheWay::Refused(Refusal::NoBackup))
}

/// `backup` if free, else the first free `backup.1`, `backup.2`, ….
fn free_backup(backup: &Path) -> PathBuf {
    if std::fs::symlink_metadata(backup).is_err() {
        return backup.to_path_buf();
    }
    (1..)
        .map(|n| append(backup, &format!(".{n}")))
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .unwrap_or_else(|| backup.to_path_buf())
}

fn append(path: &Path, suffix: &str) -> PathBuf {
    let mut text = path.as_os_str().to_os_string();
    text.push(suffix);
    PathBuf::from(text)
}

/// Whether two regular files (links followed) hold the same bytes, as `cmp -s` says.
pub(crate) fn same_content(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    if !ma.is_file() || !mb.is_file() || ma.len() != mb.len() {
        return false;
    }
    let (Ok(fa), Ok(fb)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    let (mut ra, mut rb) = (std::io::BufReader::new(fa), std::io::BufReader::new(fb));
    let (mut ba, mut bb) = ([0u8; 8192], [0u8; 8192]);
    loop {
        let Ok(n) = ra.read(&mut ba) else {
            return false;
        };
        if n == 0 {
            return true;
        }
        if rb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
    }
}

/// The store directory links of Home Manager point into.
const STORE_DIR: &str = "/nix/store";

/// A link into a generation's files package (`<store>/<hash>-home-manager-files/…`, as
/// Home Manager's `homeFilePattern` matches it): Home Manager's own, safe to replace.
pub fn is_managed(path: &Path) -> bool {
    std::fs::read_link(path).is_ok_and(|target| links_into_files(&target))
}

/// Whether `target` is a path inside a Home Manager files package.
pub fn links_into_files(target: &Path) -> bool {
    let Ok(rest) = target.strip_prefix(STORE_DIR) else {
        return false;
    };
    let mut components = rest.components();
    components.next().is_some_and(|c| {
        c.as_os_str()
            .to_string_lossy()
            .ends_with("-home-manager-files")
    }) && components.next().is_some()
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

/// Units some target wants: the entries of `<unit>.wants/` and `<unit>.requires/`.
fn wanted(generation: &Path) -> BTreeSet<String> {
    let dir = generation.join("home-files").join(UNIT_DIR);
    std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            (name.ends_with(".wants") || name.ends_with(".requires")) && e.path().is_dir()
        })
        .flat_map(|e| std::fs::read_dir(e.path()).into_iter().flatten().flatten())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// Relative paths of the files under `dir` (links included, directories descended), as
/// `find DIR \( -type f -or -type l \)` lists them.
pub fn files(dir: &Path) -> Vec<PathBuf> {
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

    /// A generation with `units` (each wanted by `default.target`, or by `timers.target`
    /// for timers, unless its text starts with `unwanted`) and `files`.
    fn generation(root: &Path, name: &str, units: &[(&str, &str)], files: &[&str]) -> PathBuf {
        let dir = root.join(name);
        let unit_dir = dir.join("home-files").join(UNIT_DIR);
        for target in ["default.target.wants", "timers.target.wants"] {
            std::fs::create_dir_all(unit_dir.join(target)).expect("mkdir");
        }
        for (unit, text) in units {
            std::fs::write(unit_dir.join(unit), text).expect("write");
            if !text.starts_with("unwanted") {
                let target = if unit.ends_with(".timer") {
                    "timers.target.wants"
                } else {
                    "default.target.wants"
                };
                std::os::unix::fs::symlink(unit_dir.join(unit), unit_dir.join(target).join(unit))
                    .expect("link");
            }
        }
        for file in files {
            let path = dir.join("home-files").join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, "x").expect("write");
        }
        dir
    }

    #[test]
    fn plans_unit_changes_and_files_in_the_way() {
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
            &[
                ("a.service", "1"),
                ("b.service", "2"),
                ("d.service", "1"),
                ("backup.service", "unwanted: the timer starts it"),
                ("backup.timer", "1"),
            ],
            &[".gitconfig", ".same"],
        );
        let home = root.path().join("home");
        std::fs::create_dir_all(&home).expect("mkdir");
        std::fs::write(home.join(".gitconfig"), "mine").expect("write");
        std::fs::write(home.join(".same"), "x").expect("write");
        let plan = plan(Some(&old), &new, &home, &Backup::default());
        assert_eq!(plan.start, ["backup.timer", "d.service"]);
        assert_eq!(plan.stop, ["c.service"]);
        assert_eq!(plan.restart, ["b.service"]);
        assert_eq!(
            plan.in_the_way,
            [
                Collision {
                    path: home.join(".gitconfig"),
                    action: InTheWay::Refused(Refusal::NoBackup)
                },
                Collision {
                    path: home.join(".same"),
                    action: InTheWay::Identical
                },
            ]
        );
    }

    #[test]
    fn backups_follow_home_managers_rules_and_never_clobber() {
        let root = tempfile::tempdir().expect("tempdir");
        let new = generation(root.path(), "new", &[], &["a", "b", "c", "l"]);
        let home = root.path().join("home");
        std::fs::create_dir_all(&home).expect("mkdir");
        for f in ["a", "b", "b.bak", "c", "c.bak", "c.bak.1"] {
            std::fs::write(home.join(f), f).expect("write");
        }
        std::os::unix::fs::symlink(home.join("a"), home.join("l")).expect("link");
        let ext = |overwrite| Backup {
            extension: Some("bak".into()),
            command: None,
            overwrite,
        };
        let actions = |backup: &Backup| -> Vec<InTheWay> {
            plan(None, &new, &home, backup)
                .in_the_way
                .into_iter()
                .map(|c| c.action)
                .collect()
        };
        assert_eq!(
            actions(&ext(false)),
            [
                InTheWay::BackedUp {
                    to: home.join("a.bak")
                },
                InTheWay::MovedByHm {
                    to: home.join("b.bak.1")
                },
                InTheWay::MovedByHm {
                    to: home.join("c.bak.2")
                },
                InTheWay::MovedByHm {
                    to: home.join("l.bak")
                },
            ]
        );
        assert_eq!(
            actions(&ext(true))[1],
            InTheWay::ReplacesBackup {
                to: home.join("b.bak")
            }
        );
        let command = Backup {
            command: Some("trash".into()),
            ..Backup::default()
        };
        assert_eq!(
            actions(&command),
            [
                InTheWay::BackupCommand,
                InTheWay::BackupCommand,
                InTheWay::BackupCommand,
                InTheWay::Refused(Refusal::ForeignLink)
            ]
        );
    }

    #[test]
    fn managed_links_point_into_a_files_package() {
        for (target, managed) in [
            ("/nix/store/abc-home-manager-files/.gitconfig", true),
            ("/nix/store/abc-home-manager-files/.config/git/config", true),
            ("/nix/store/abc-home-manager-files", false),
            (
                "/nix/store/abc-home-manager-generation/home-files/.gitconfig",
                false,
            ),
            ("/nix/store/abc-gitconfig", false),
            ("/home/alice/home-manager-files/x", false),
        ] {
            assert_eq!(links_into_files(Path::new(target)), managed, "{target}");
        }
    }
}
