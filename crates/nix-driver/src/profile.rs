//! The per-user Home Manager profile: `~/.local/state/nix/profiles/home-manager` (or the
//! legacy `/nix/var/nix/profiles/per-user/$USER/home-manager`), whose generations
//! (`home-manager-<N>-link`) point at activation packages, as Home Manager keeps them.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::{Command, Nix};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    pub id: u64,
    /// The activation package.
    pub path: PathBuf,
    pub created: Option<SystemTime>,
    pub current: bool,
}

#[derive(Debug, Clone)]
pub struct Profile {
    /// `…/profiles/home-manager`
    pub path: PathBuf,
}

/// Why the profile cannot take a new generation; found before anything is activated.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("the profile directory {0} is not a directory")]
    NotADirectory(PathBuf),
    #[error("cannot create the profile directory {dir}: {source}")]
    CannotCreate {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the profile directory {dir} is not writable: {source}")]
    NotWritable {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the profile {0} is not a symbolic link (nix-env would refuse it)")]
    NotALink(PathBuf),
    #[error("the profile directory {path} is a dangling link to {target}")]
    Dangling { path: PathBuf, target: PathBuf },
}

impl Profile {
    /// Where Home Manager keeps it: `$XDG_STATE_HOME/nix/profiles/home-manager`, with
    /// `XDG_STATE_HOME` defaulting to `~/.local/state`.
    pub fn for_user(home: &Path, xdg_state_home: Option<&Path>) -> Self {
        Self {
            path: user_profiles(home, xdg_state_home).join("home-manager"),
        }
    }

    /// As Home Manager picks it: the user's profiles directory
    /// (`$XDG_STATE_HOME/nix/profiles`) when it exists, else the legacy
    /// `<nix state>/profiles/per-user/<user>` when that exists, else the user's (which
    /// [`Profile::prepare`] creates).
    pub fn locate(
        home: &Path,
        xdg_state_home: Option<&Path>,
        nix_state_dir: &Path,
        user: &str,
    ) -> Self {
        let mine = user_profiles(home, xdg_state_home);
        let legacy = nix_state_dir.join("profiles/per-user").join(user);
        let dir = if !user.is_empty() && !mine.is_dir() && legacy.is_dir() {
            legacy
        } else {
            mine
        };
        Self {
            path: dir.join("home-manager"),
        }
    }

    /// Makes sure a generation can be recorded: the directory exists (created if missing;
    /// not a file or a dangling link) and is writable, and the profile, if any, is a link.
    pub fn prepare(&self) -> Result<(), ProfileError> {
        let dir = self.path.parent().unwrap_or(Path::new("/"));
        match (std::fs::symlink_metadata(dir), std::fs::metadata(dir)) {
            (Ok(link), Err(_)) if link.is_symlink() => {
                return Err(ProfileError::Dangling {
                    path: dir.into(),
                    target: std::fs::read_link(dir).unwrap_or_default(),
                });
            }
            (_, Ok(meta)) if !meta.is_dir() => return Err(ProfileError::NotADirectory(dir.into())),
            (_, Ok(_)) => {}
            _ => std::fs::create_dir_all(dir).map_err(|source| ProfileError::CannotCreate {
                dir: dir.into(),
                source,
            })?,
        }
        let probe = dir.join(format!(".hm-write-test-{}", std::process::id()));
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&probe)
            .and_then(|_| std::fs::remove_file(&probe))
            .map_err(|source| ProfileError::NotWritable {
                dir: dir.into(),
                source,
            })?;
        match std::fs::symlink_metadata(&self.path) {
            Ok(meta) if !meta.is_symlink() => Err(ProfileError::NotALink(self.path.clone())),
            _ => Ok(()),
        }
    }

    fn name(&self) -> String {
        self.path.file_name().map_or_else(
            || "home-manager".to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// Every generation, oldest first, read from the profile's directory.
    pub fn generations(&self) -> Vec<Generation> {
        let Some(dir) = self.path.parent() else {
            return Vec::new();
        };
        let current = std::fs::read_link(&self.path).ok();
        let prefix = format!("{}-", self.name());
        let mut generations: Vec<Generation> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                let id = name
                    .strip_prefix(&prefix)?
                    .strip_suffix("-link")?
                    .parse()
                    .ok()?;
                let link = entry.path();
                Some(Generation {
                    id,
                    path: std::fs::read_link(&link).ok()?,
                    created: std::fs::symlink_metadata(&link)
                        .and_then(|m| m.modified())
                        .ok(),
                    current: current
                        .as_deref()
                        .is_some_and(|c| c.file_name() == link.file_name()),
                })
            })
            .collect();
        generations.sort_by_key(|g| g.id);
        generations
    }

    pub fn current(&self) -> Option<Generation> {
        self.generations().into_iter().find(|g| g.current)
    }

    /// `nix-env --profile P --set PATH`: a new generation (unless PATH is the current one).
    pub fn set(&self, nix: &Nix, path: &Path) -> Command {
        nix.nix_env()
            .arg("--profile")
            .arg(&self.path)
            .arg("--set")
            .arg(path)
    }

    /// `nix-env --profile P --switch-generation N`.
    pub fn switch_generation(&self, nix: &Nix, id: u64) -> Command {
        nix.nix_env()
            .arg("--profile")
            .arg(&self.path)
            .arg("--switch-generation")
            .arg(id.to_string())
    }

    /// `nix-env --profile P --delete-generations N…`.
    pub fn delete_generations(&self, nix: &Nix, ids: &[u64]) -> Command {
        nix.nix_env()
            .arg("--profile")
            .arg(&self.path)
            .arg("--delete-generations")
            .args(ids.iter().map(u64::to_string))
    }
}

fn user_profiles(home: &Path, xdg_state_home: Option<&Path>) -> PathBuf {
    let state = xdg_state_home.map_or_else(|| home.join(".local/state"), Path::to_path_buf);
    state.join("nix/profiles")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_the_profile_as_home_manager_does() {
        let root = tempfile::tempdir().expect("tempdir");
        let home = root.path().join("home");
        let nix_state = root.path().join("nix");
        let legacy = nix_state.join("profiles/per-user/alice");
        let mine = home.join(".local/state/nix/profiles");
        let locate = || Profile::locate(&home, None, &nix_state, "alice").path;
        assert_eq!(locate(), mine.join("home-manager"), "neither exists");
        std::fs::create_dir_all(&legacy).expect("mkdir");
        assert_eq!(locate(), legacy.join("home-manager"), "only the legacy one");
        assert_eq!(
            Profile::locate(&home, None, &nix_state, "").path,
            mine.join("home-manager"),
            "no user name: never `per-user/` itself"
        );
        std::fs::create_dir_all(&mine).expect("mkdir");
        assert_eq!(locate(), mine.join("home-manager"), "the user's wins");
    }

    #[test]
    fn prepare_finds_profile_problems_first() {
        let root = tempfile::tempdir().expect("tempdir");
        let home = root.path();
        let profile = Profile::for_user(home, None);
        profile.prepare().expect("creates the directory");
        assert!(profile.path.parent().expect("dir").is_dir());

        std::fs::write(&profile.path, "").expect("write");
        assert!(matches!(profile.prepare(), Err(ProfileError::NotALink(_))));
        std::fs::remove_file(&profile.path).expect("rm");
        // nix-env takes a profile whose current generation is gone.
        std::os::unix::fs::symlink("home-manager-9-link", &profile.path).expect("link");
        profile.prepare().expect("a dangling profile is fine");

        let linked = Profile::for_user(home, Some(&home.join("gone")));
        std::os::unix::fs::symlink("/nonexistent/state", home.join("gone")).expect("link");
        assert!(matches!(
            linked.prepare(),
            Err(ProfileError::CannotCreate { .. })
        ));
        let dangling = Profile {
            path: home.join("profiles/home-manager"),
        };
        std::os::unix::fs::symlink("/nonexistent/profiles", home.join("profiles")).expect("link");
        assert!(matches!(
            dangling.prepare(),
            Err(ProfileError::Dangling { .. })
        ));

        let other = Profile::for_user(home, Some(&home.join("state-file")));
        std::fs::write(home.join("state-file"), "").expect("write");
        assert!(matches!(
            other.prepare(),
            Err(ProfileError::NotADirectory(_) | ProfileError::CannotCreate { .. })
        ));
    }

    #[test]
    fn reads_generations_from_the_profile_directory() {
        let home = tempfile::tempdir().expect("tempdir");
        let profile = Profile::for_user(home.path(), None);
        let dir = profile.path.parent().expect("dir");
        std::fs::create_dir_all(dir).expect("mkdir");
        std::os::unix::fs::symlink("/nix/store/a-gen", dir.join("home-manager-1-link"))
            .expect("link");
        std::os::unix::fs::symlink("/nix/store/b-gen", dir.join("home-manager-2-link"))
            .expect("link");
        std::os::unix::fs::symlink("home-manager-1-link", &profile.path).expect("link");
        let generations = profile.generations();
        assert_eq!(generations.len(), 2);
        assert_eq!(generations[0].id, 1);
        assert!(generations[0].current && !generations[1].current);
        assert_eq!(
            profile.current().map(|g| g.path),
            Some(PathBuf::from("/nix/store/a-gen"))
        );
    }

    #[test]
    fn profile_commands() {
        let profile = Profile::for_user(Path::new("/home/a"), None);
        let nix = Nix::with_program("nix");
        assert_eq!(
            profile.set(&nix, Path::new("/nix/store/x")).argv(),
            [
                "nix-env",
                "--profile",
                "/home/a/.local/state/nix/profiles/home-manager",
                "--set",
                "/nix/store/x"
            ]
        );
        assert_eq!(
            profile.delete_generations(&nix, &[3, 4]).argv(),
            [
                "nix-env",
                "--profile",
                "/home/a/.local/state/nix/profiles/home-manager",
                "--delete-generations",
                "3",
                "4"
            ]
        );
    }
}
