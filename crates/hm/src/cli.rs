use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A fast front-end for Home Manager.
#[derive(Debug, Parser)]
#[command(name = "hm", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the Home Manager users a configuration defines, without evaluating it.
    Users(InventoryArgs),
    /// List the systemd user services a configuration defines, without evaluating it.
    Services(ServicesArgs),
}

#[derive(Debug, Args)]
pub struct InventoryArgs {
    /// A flake directory, a flake.nix, or a Home Manager module such as home.nix.
    /// Defaults to the current directory, then ~/.config/home-manager.
    pub path: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ServicesArgs {
    #[command(flatten)]
    pub inventory: InventoryArgs,

    /// Only the services of this user (`alice`, or `alice@host` for standalone configurations).
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// An aligned table for people.
    Table,
    /// The stable JSON schema documented in docs/json.md.
    Json,
}
