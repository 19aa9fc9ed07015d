//! The processes hm runs: `nix` and `git`, through duct with argv only (never a shell),
//! stdin closed, stdout and stderr read concurrently. Every command's argv can be
//! inspected without running it. Also reads Nix's error messages and maps their
//! `/nix/store/<hash>-source/…` positions back to the user's files.

pub mod activation;
mod command;
mod error_text;
mod eval;
mod flake_ref;
mod generation;
mod git;
mod inspect;
mod legacy;
mod profile;
mod state;
mod store_paths;
mod systemd;

pub use command::{Command, CommandError, Finished};
pub use error_text::{Frame, NixError, StorePosition, parse_error};
pub use eval::Nix;
pub use flake_ref::{FlakeRef, FlakeRefError};
pub use generation::{Backup, Collision, InTheWay, Plan, Refusal, is_managed, plan};
pub use git::{tracked_files, work_tree};
pub use inspect::package_names;
pub use legacy::{ConfigFile, HOME_MANAGER_NIX};
pub use profile::{Generation, Profile, ProfileError};
pub use state::{HmState, SwitchLock};
pub use store_paths::StoreMapper;
pub use systemd::{journalctl, no_user_manager, systemctl};
