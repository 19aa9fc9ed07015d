//! Static model of a Home Manager configuration.
//!
//! [`analyse`] reads a flake or `home.nix` and every file it imports, and finds the Home
//! Manager users and their `systemd.user.services` and `launchd.agents`, each with the span it was written at.
//! What cannot be decided without running Nix is reported in [`Inventory::dynamic`].

mod agents;
mod analyse;
mod configurations;
mod discover;
mod files;
mod flake;
mod import_graph;
mod inputs;
pub mod knowledge;
pub mod model;
mod option_defs;
mod packages;
mod repo;
mod schedule;
mod select;
mod service_fields;
mod settings;
mod text;
mod user_facts;

pub use analyse::{
    AnalyseError, Analysis, EntryKind, Options, analyse, analyse_with, resolve_entry,
};
pub use files::filter_map_files;
pub use model::*;
pub use nix_source::{FileId, SourceDb, Span};
pub use select::select;
pub use settings::REQUIRED_SETTINGS;
