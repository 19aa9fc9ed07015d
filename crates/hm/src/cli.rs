use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCandidates;
use hm_diagnostics::Severity;

/// A fast front-end for Home Manager.
#[derive(Debug, Parser)]
#[command(
    name = "hm",
    version,
    about,
    propagate_version = true,
    after_long_help = crate::exit::help()
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the Home Manager users a configuration defines, without evaluating it.
    Users(InventoryArgs),
    /// List the systemd user services (and launchd agents) a configuration defines, without evaluating it.
    Services(ServicesArgs),
    /// Find mistakes before you rebuild: syntax, imports, flake inputs, services, users.
    Check(CheckArgs),
    /// Explain a check: what it finds, why it matters, and an example. Lists all without CODE.
    Explain {
        /// A code such as HM201, or a rule name such as service-never-started.
        code: Option<String>,
    },
    /// Create home.nix and flake.nix, as Home Manager's own `init` does.
    Init(InitArgs),
    /// Build a user's activation package with `nix build`, and print its store path.
    Build(BuildArgs),
    /// Build, then activate: link files and units into $HOME and record a new generation.
    Switch(SwitchArgs),
    /// List generations, or remove some.
    Generations(GenerationsArgs),
    /// Show what changes between two generations (the previous and the current by
    /// default), and the files applications changed since the last switch.
    Diff(DiffArgs),
    /// Show the news of Home Manager's modules that concern the configuration.
    News(NewsArgs),
    /// Activate an earlier generation (the one before the current by default).
    Rollback(RollbackArgs),
    /// Print the derivation of the activation package (`nix-instantiate`; `nix eval` for flakes).
    Instantiate(Selection),
    /// Open the configuration in $VISUAL or $EDITOR.
    Edit(Selection),
    /// Show an option's value and where it is defined: from your files when hm can tell,
    /// else (or with --eval) from `nix eval`.
    Option(OptionArgs),
    /// Open the configuration in `nix repl` (config, options, pkgs, lib, flake).
    Repl(Selection),
    /// List the packages the current generation installs (home.packages and modules').
    Packages,
    /// Remove generations by number, as `hm generations remove`.
    RemoveGenerations {
        #[arg(
            required = true,
            value_name = "ID",
            add = ArgValueCandidates::new(crate::complete::generations)
        )]
        ids: Vec<u64>,
    },
    /// Remove generations older than TIMESTAMP (`-30 days`, `2024-01-01`: as `date -d`
    /// reads it); never the current one.
    ExpireGenerations {
        #[arg(allow_hyphen_values = true)]
        timestamp: String,
        /// Show what would be removed.
        #[arg(short = 'n', long)]
        dry_run: bool,
    },
    /// Remove Home Manager: the current generation's links in $HOME, its packages, every
    /// generation and its state. Your configuration files stay.
    Uninstall {
        /// Show what would be removed, and remove nothing.
        #[arg(short = 'n', long)]
        dry_run: bool,
        /// Do not ask.
        #[arg(short = 'y', long)]
        yes: bool,
    },
    /// Manage a user service of the configuration: systemctl --user / journalctl --user, or on
    /// macOS launchctl and the agent's log files.
    Service(ServiceArgs),
    /// Print the shell script that completes hm's commands, options, users, hosts,
    /// services and generations: `source <(hm completions bash)`.
    Completions { shell: crate::complete::Shell },
    /// Print the man page of hm or of a subcommand (`hm man switch`), or write every page
    /// to a directory (`hm man --dir ~/.local/share/man/man1`).
    Man {
        /// The subcommand, e.g. `switch` or `generations remove`.
        command: Vec<String>,
        /// Write hm.1 and an hm-<command>.1 for every subcommand here.
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        dir: Option<PathBuf>,
    },
    /// Parse files and report syntax errors only (for benchmarks and debugging).
    #[command(hide = true)]
    Parse {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the files. Default: ~/.config/home-manager.
    pub dir: Option<PathBuf>,
    /// Print the snippet that adds Home Manager to a NixOS configuration instead.
    #[arg(long, conflicts_with = "darwin")]
    pub nixos: bool,
    /// Print the snippet that adds Home Manager to a nix-darwin configuration instead.
    #[arg(long)]
    pub darwin: bool,
    /// Switch to the new configuration right away (files already there are used as they
    /// are; with -b, files in $HOME in the way are backed up).
    #[arg(long, conflicts_with_all = ["nixos", "darwin"])]
    pub switch: bool,
    /// Write home.nix only, for a configuration without a flake (`hm switch -f`).
    #[arg(long, conflicts_with_all = ["nixos", "darwin"])]
    pub no_flake: bool,
    /// The Home Manager flake flake.nix uses.
    #[arg(
        long,
        value_name = "URL",
        default_value = "github:nix-community/home-manager"
    )]
    pub home_manager_url: String,
    /// The Nixpkgs flake flake.nix uses.
    #[arg(
        long,
        value_name = "URL",
        default_value = "github:nixos/nixpkgs/nixpkgs-unstable"
    )]
    pub nixpkgs_url: String,
    #[command(flatten)]
    pub activation: Activation,
}

#[derive(Debug, Default, Args)]
pub struct Selection {
    /// The flake and, after `#`, the `homeConfigurations` entry: a directory (`.`, `.#alice`),
    /// or any flake reference (`path:…`, `git+file:…`, `github:you/dotfiles#alice`). Default:
    /// HM_FLAKE, NH_HOME_FLAKE, NH_FLAKE, then ~/.config/home-manager.
    #[arg(long = "flake", value_name = "URI[#NAME]", conflicts_with = "file")]
    pub flake: Option<String>,
    /// A configuration file built without flakes (`nix-build`), as `home-manager -f`.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Without a flake: the attribute of the file that holds the configuration.
    #[arg(short = 'A', value_name = "ATTRIBUTE")]
    pub attribute: Option<String>,
    /// Without a flake: add a path to Nix's search path (`-I home-manager=…`; repeatable).
    #[arg(short = 'I', value_name = "PATH")]
    pub include: Vec<String>,
    /// The user to build for. Default: $USER.
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(crate::complete::users))]
    pub user: Option<String>,
    /// The host to build for. Default: this machine's host name.
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(crate::complete::hosts))]
    pub host: Option<String>,
    /// Build without running `hm check` first.
    #[arg(long)]
    pub no_check: bool,
    /// Show Nix's build as one progress line (derivations built, paths downloaded, the
    /// derivation being built): on a terminal (auto), always, or never (Nix's own log).
    #[arg(long, value_name = "WHEN", value_enum, default_value_t)]
    pub progress: crate::progress::When,
    #[command(flatten)]
    pub nix: crate::passthrough::NixArgs,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// Where to put the result link.
    #[arg(long, value_name = "PATH", default_value = "result")]
    pub out_link: PathBuf,
    /// For a user of a NixOS or nix-darwin host: build the host's system, not the user's
    /// activation package.
    #[arg(long)]
    pub system: bool,
    /// Make no result link.
    #[arg(long, conflicts_with = "out_link")]
    pub no_out_link: bool,
    /// Show what would be built (nix build --dry-run).
    #[arg(short = 'n', long)]
    pub dry_run: bool,
    /// Nix's verbose output.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Default, Args)]
pub struct Activation {
    /// Move files in the way to FILE.EXT instead of failing (HOME_MANAGER_BACKUP_EXT).
    #[arg(
        short = 'b',
        long = "backup-extension",
        value_name = "EXT",
        env = "HOME_MANAGER_BACKUP_EXT",
        value_parser = clap::builder::NonEmptyStringValueParser::new()
    )]
    pub backup_extension: Option<String>,
    /// Run CMD on each file in the way (`CMD FILE`) instead of failing
    /// (HOME_MANAGER_BACKUP_COMMAND).
    #[arg(
        short = 'B',
        long = "backup-command",
        value_name = "CMD",
        env = "HOME_MANAGER_BACKUP_COMMAND"
    )]
    pub backup_command: Option<String>,
    /// With -b: replace an existing FILE.EXT (HOME_MANAGER_BACKUP_OVERWRITE). Without it,
    /// hm moves the file to the first free FILE.EXT.N instead.
    #[arg(
        long = "backup-overwrite",
        env = "HOME_MANAGER_BACKUP_OVERWRITE",
        value_parser = clap::builder::FalseyValueParser::new()
    )]
    pub backup_overwrite: bool,
    /// Show what activation would do, and change nothing.
    #[arg(short = 'n', long)]
    pub dry_run: bool,
    /// Print each step of the activation.
    #[arg(short, long)]
    pub verbose: bool,
    /// Show what will change and ask before activating (NH_ASK).
    #[arg(
        short = 'a',
        long,
        env = "NH_ASK",
        value_parser = clap::builder::FalseyValueParser::new()
    )]
    pub ask: bool,
}

#[derive(Debug, Args)]
pub struct SwitchArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub activation: Activation,
    /// Activate the configuration's specialisation NAME (`specialisation.NAME`); the
    /// profile records the configuration itself, as Home Manager does. `hm generations`
    /// lists each generation's specialisations.
    #[arg(short = 'c', long, value_name = "NAME")]
    pub specialisation: Option<String>,
    #[command(flatten)]
    pub remote: Remote,
    /// Activate the generation before the current one instead of building (`hm rollback`).
    #[arg(long, conflicts_with = "specialisation")]
    pub rollback: bool,
}

#[derive(Debug, Args)]
pub struct OptionArgs {
    /// The option, e.g. `programs.git.userName`.
    pub name: String,
    /// Also every option below NAME.
    #[arg(long)]
    pub recursive: bool,
    /// Ask Nix for the value even when the files tell.
    #[arg(long)]
    pub eval: bool,
    #[command(flatten)]
    pub selection: Selection,
}

#[derive(Debug, Args)]
pub struct GenerationsArgs {
    #[command(subcommand)]
    pub action: Option<GenerationsAction>,
    /// Output format of the list.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum GenerationsAction {
    /// Delete generations by number (never the current one).
    Remove {
        #[arg(
            required = true,
            value_name = "ID",
            add = ArgValueCandidates::new(crate::complete::generations)
        )]
        ids: Vec<u64>,
    },
}

#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// The generation to activate. Default: the one before the current.
    #[arg(add = ArgValueCandidates::new(crate::complete::generations))]
    pub generation: Option<u64>,
    #[command(flatten)]
    pub activation: Activation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServiceVerb {
    Status,
    Start,
    Stop,
    Restart,
    Logs,
}

#[derive(Debug, Args)]
pub struct ServiceArgs {
    pub verb: ServiceVerb,
    /// The service, as named in systemd.user.services (`.service` may be added), or on macOS
    /// the launchd agent's name or label.
    #[arg(add = ArgValueCandidates::new(crate::complete::services))]
    pub name: String,
    #[command(flatten)]
    pub target: Target,
    /// With logs: how many lines.
    #[arg(short = 'n', long, default_value_t = 100)]
    pub lines: u32,
    /// With logs: keep printing new lines.
    #[arg(short, long)]
    pub follow: bool,
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

    /// Also ask Nix (`nix eval`, set HM_NIX to choose the binary): add what only
    /// evaluation finds, and report what Nix does not define.
    #[arg(long)]
    pub eval: bool,

    /// Read the flake as `nix … --impure` evaluates it: `builtins.getEnv` sees your
    /// environment (by default, as in Nix, a flake sees none). With --eval, Nix evaluates
    /// it with --impure too.
    #[arg(long)]
    pub impure: bool,
}

#[derive(Debug, Args)]
pub struct ServicesArgs {
    #[command(flatten)]
    pub inventory: InventoryArgs,

    /// Only the services of this user: `alice`, or `alice@host` (a standalone configuration
    /// of that name, or the user `alice` of host `host`).
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(crate::complete::users))]
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
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(crate::complete::users))]
    pub user: Option<String>,
    /// Read the flake as `nix … --impure` evaluates it: `builtins.getEnv` sees your
    /// environment (by default, as in Nix, a flake sees none). With --eval, Nix evaluates
    /// it with --impure too.
    #[arg(long)]
    pub impure: bool,
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

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The generation to compare from. Default: the one before TO.
    pub from: Option<u64>,
    /// The generation to compare to. Default: the current one.
    pub to: Option<u64>,
    /// Print how to keep FILE, changed by an application since the last switch, in the
    /// configuration.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["from", "to"])]
    pub adopt: Option<PathBuf>,
    /// With --adopt: the configuration to adopt into. Defaults to the current directory,
    /// then ~/.config/home-manager.
    #[arg(long = "flake", value_name = "PATH", requires = "adopt")]
    pub flake: Option<PathBuf>,
}

/// Building or activating on other machines over SSH (`NIX_SSHOPTS` holds ssh options).
#[derive(Debug, Default, Args)]
pub struct Remote {
    /// Build on HOST: the derivation is copied there with `nix copy`, built, and the result
    /// copied back (or on to the target host).
    #[arg(long, value_name = "HOST")]
    pub build_host: Option<String>,
    /// Activate on HOST: the generation is copied there with `nix copy` and its `activate`
    /// run over ssh as the remote user (it records that user's profile itself).
    #[arg(long, value_name = "HOST")]
    pub target_host: Option<String>,
}

#[derive(Debug, Args)]
pub struct NewsArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// Only the entries not read yet.
    #[arg(long)]
    pub unread: bool,
}
