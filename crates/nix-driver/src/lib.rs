//! The processes hm runs: `nix`, `git`, `systemctl`, `launchctl`, through duct with argv only (never a shell),
//! stdin closed, stdout and stderr read concurrently. Every command's argv can be
//! inspected without running it. Also reads Nix's error messages and maps their
//! `/nix/store/<hash>-source/…` positions back to the user's files.

pub mod activation;
mod build_log;
mod command;
mod error_text;
mod eval;
mod evaluated;
mod flake_ref;
mod generation;
mod git;
mod home_files;
mod inspect;
mod launchd;
mod legacy;
mod news;
mod profile;
mod remote;
mod state;
mod store_paths;
mod system;
mod systemd;

pub use build_log::{BuildLog, Count, LogEvent, Progress, derivation_name};
pub use command::{Command, CommandError, Finished};
pub use error_text::{Frame, NixError, StorePosition, parse_error};
pub use eval::Nix;
pub use evaluated::{AskError, Configurations, EvaluatedService, Listed, nix_string};
pub use flake_ref::{FlakeRef, FlakeRefError};
pub use generation::{Backup, Collision, InTheWay, Plan, Refusal, is_managed, plan, unit_plan};
pub use git::{tracked_files, work_tree};
pub use home_files::{ChangeKind, Drift, DriftKind, FileChange, changed_files, drift};
pub use inspect::package_names;
pub use launchd::{
    current_uid, domain_target, launchctl_bootout, launchctl_bootstrap, launchctl_kickstart,
    launchctl_print, tail,
};
pub use legacy::{ConfigFile, HOME_MANAGER_NIX};
pub use news::{News, NewsEntry, NewsError, format_entry, mark_read, read_ids, read_ids_path};
pub use profile::{Generation, Profile, ProfileError};
pub use remote::{SshHost, SshHostError, quote};
pub use state::{HmState, SwitchLock};
pub use store_paths::StoreMapper;
pub use system::{SystemKind, is_root, rebuild_switch};
pub use systemd::{journalctl, no_user_manager, systemctl, user_manager_running};
