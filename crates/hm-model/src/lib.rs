//! Static model of a Home Manager configuration.
//!
//! [`analyse`] reads a flake or `home.nix` and every file it imports, and finds the Home
//! Manager users and their `systemd.user.services`, each with the span it was written at.
//! What cannot be decided without running Nix is reported in [`Inventory::dynamic`].

mod analyse;
mod eval;
mod files;
mod flake;
mod import_graph;
pub mod knowledge;
pub mod model;
mod modules;
mod option_defs;
mod select;
mod services;
mod settings;
mod users;
mod walk;

pub use analyse::{AnalyseError, Analysis, EntryKind, analyse, resolve_entry};
pub use model::*;
pub use nix_source::{FileId, SourceDb, Span};
pub use select::select;
pub use settings::REQUIRED_SETTINGS;
