//! The processes hm runs: `nix` and `git`, through duct with argv only (never a shell),
//! stdin closed, stdout and stderr read concurrently. Every command's argv can be
//! inspected without running it. Also reads Nix's error messages and maps their
//! `/nix/store/<hash>-source/…` positions back to the user's files.

mod command;
mod error_text;
mod eval;
mod git;
mod store_paths;

pub use command::{Command, CommandError, Finished};
pub use error_text::{Frame, NixError, StorePosition, parse_error};
pub use eval::{Nix, flake_ref};
pub use git::tracked_files;
pub use store_paths::StoreMapper;
