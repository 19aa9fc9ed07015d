//! The per-user Home Manager profile: `~/.local/state/nix/profiles/home-manager`, whose
//! generations (`home-manager-<N>-link`) point at activation packages, as Home Manager
//! keeps them.

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

impl Profile {
    /// Where Home Manager keeps it: `$XDG_STATE_HOME/nix/profiles/home-manager`, with
    /// `XDG_STATE_HOME` defaulting to `~/.local/state`.
    pub fn for_user(home: &Path, xdg_state_home: Option<&Path>) -> Self {
        let state = xdg_state_home.map_or_else(|| home.join(".local/state"), Path::to_path_buf);
        Self {
            path: state.join("nix/profiles/home-manager"),
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

#[cfg(test)]
mod tests {
    use super::*;

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
