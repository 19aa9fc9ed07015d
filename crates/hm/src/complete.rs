//! Shell completions: `hm completions SHELL` prints a script that asks hm itself for
//! candidates as you type (clap_complete's `COMPLETE=<shell> hm` protocol), so users, hosts,
//! services and generation ids come from your configuration and profile; nushell's script
//! (`complete.nu`) is an external completer that asks hm the way fish's does. The
//! configuration is the one `hm build` would
//! use (HM_FLAKE, …, ~/.config/home-manager), else the current directory's.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, ValueEnum};
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
use miette::{IntoDiagnostic, Result};

use crate::cli::{Cli, Selection};
use crate::source::{self, Source};

/// nushell's script: an external completer that asks hm with fish's protocol.
const NUSHELL: &str = include_str!("complete.nu");

/// The environment variable shells set when they ask hm for candidates.
pub const VAR: &str = "COMPLETE";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
    Nushell,
}

/// Answers a completion request and exits, when the shell made one.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(VAR)
        .complete();
}

pub fn script(shell: Shell, out: &mut impl Write) -> Result<ExitCode> {
    let dynamic: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Elvish => &Elvish,
        Shell::Powershell => &Powershell,
        Shell::Nushell => {
            out.write_all(NUSHELL.as_bytes()).into_diagnostic()?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    dynamic
        .write_registration(VAR, "hm", "hm", "hm", out)
        .into_diagnostic()?;
    Ok(ExitCode::SUCCESS)
}

/// The analysed configuration completions are drawn from.
fn inventory() -> Option<hm_model::Inventory> {
    let configured: Option<PathBuf> =
        source::resolve(&Selection::default())
            .ok()
            .and_then(|resolved| match resolved.source {
                Source::Flake(flake) => flake.dir,
                Source::File { path, .. } => Some(path),
            });
    let path = configured.or_else(|| std::env::current_dir().ok())?;
    hm_model::analyse(&path)
        .ok()
        .map(|analysis| analysis.inventory)
}

fn candidates(values: impl IntoIterator<Item = String>) -> Vec<CompletionCandidate> {
    let mut values: Vec<String> = values.into_iter().collect();
    values.sort();
    values.dedup();
    values.into_iter().map(CompletionCandidate::new).collect()
}

/// User names (`alice`, `alice@laptop`).
pub fn users() -> Vec<CompletionCandidate> {
    candidates(
        inventory()
            .map(|i| i.users.into_iter().map(|u| u.name).collect::<Vec<_>>())
            .unwrap_or_default(),
    )
}

/// NixOS and nix-darwin hosts, and the hosts of `user@host` configurations.
pub fn hosts() -> Vec<CompletionCandidate> {
    candidates(
        inventory()
            .map(|i| {
                i.users
                    .into_iter()
                    .filter_map(|u| {
                        u.host
                            .or_else(|| u.name.split_once('@').map(|(_, h)| h.to_string()))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default(),
    )
}

/// The configuration's user services.
pub fn services() -> Vec<CompletionCandidate> {
    candidates(
        inventory()
            .map(|i| i.services.into_iter().map(|s| s.name).collect::<Vec<_>>())
            .unwrap_or_default(),
    )
}

/// The profile's generation ids, newest first.
pub fn generations() -> Vec<CompletionCandidate> {
    let Ok(cx) = crate::switch::Context::for_user() else {
        return Vec::new();
    };
    cx.profile
        .generations()
        .into_iter()
        .rev()
        .map(|g| {
            let candidate = CompletionCandidate::new(g.id.to_string());
            if g.current {
                candidate.help(Some("current".into()))
            } else {
                candidate
            }
        })
        .collect()
}
