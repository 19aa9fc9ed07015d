use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use hm_diagnostics::Severity;

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
    /// Find mistakes before you rebuild: syntax, imports, flake inputs, services, users.
    Check(CheckArgs),
    /// Explain a check: what it finds, why it matters, and an example. Lists all without CODE.
    Explain {
        /// A code such as HM201, or a rule name such as service-never-started.
        code: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct Target {
    /// A flake directory, a flake.nix, or a Home Manager module such as home.nix.
    /// Defaults to the current directory, then ~/.config/home-manager.
    pub path: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InventoryArgs {
    #[command(flatten)]
    pub target: Target,

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

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub target: Target,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,

    /// Exit with 1 when a finding is at least this severe.
    #[arg(long, value_name = "SEVERITY", default_value = "error", value_parser = parse_severity)]
    pub deny: Severity,

    /// Also evaluate each user's configuration with `nix eval` (set HM_NIX to choose the
    /// nix binary), and report its errors at the place in your files.
    #[arg(long)]
    pub eval: bool,

    /// With --eval: only this user.
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
}

fn parse_severity(value: &str) -> Result<Severity, String> {
    value.parse()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// An aligned table for people.
    Table,
    /// The stable JSON schema documented in docs/json.md.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Diagnostics with the source around each finding.
    Human,
    /// The stable JSON schema documented in docs/json.md.
    Json,
    /// `file:line:col: severity[code]: message`, one per line, for editors.
    Errfmt,
}
