//! Users whose Home Manager is a module of a NixOS or nix-darwin host: the system
//! activates their homes at `nixos-rebuild switch`, and Home Manager's install notes say
//! not to run it standalone then. So `hm switch` checks the configuration, then runs
//! `nixos-rebuild`/`darwin-rebuild switch --flake <ref>#<host>` (through `sudo` when not
//! root) and records no per-user profile.

use std::io::Write;
use std::process::ExitCode;

use hm_model::UserKind;
use miette::{IntoDiagnostic, Result, miette};
use nix_driver::{SystemKind, is_root, rebuild_switch};

use crate::build::Selected;
use crate::environment;

/// The system builder of a module install's host; `None` for standalone configurations.
pub fn kind(user: UserKind) -> Option<SystemKind> {
    match user {
        UserKind::Nixos => Some(SystemKind::Nixos),
        UserKind::Darwin => Some(SystemKind::Darwin),
        UserKind::Standalone | UserKind::Module => None,
    }
}

fn system_name(kind: SystemKind) -> &'static str {
    match kind {
        SystemKind::Nixos => "NixOS",
        SystemKind::Darwin => "nix-darwin",
    }
}

/// Switches the host `selected` belongs to (on `target_host` when given).
pub fn switch(
    selected: &Selected,
    kind: SystemKind,
    target_host: Option<&str>,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let host = selected.host.as_deref().unwrap_or_default();
    let here = environment::host_name();
    if target_host.is_none() && host != here {
        return Err(miette!(
            code = "hm::other-host",
            help = format!(
                "switch it on {host} itself, or pass --target-host HOST to build here and activate there"
            ),
            "{} is a user of the {} host `{host}`, and this machine is `{here}`: `hm switch` would switch this machine to `{host}`'s system",
            selected.user,
            system_name(kind)
        ));
    }
    if target_host.is_some() && kind == SystemKind::Darwin {
        return Err(miette!(
            code = "hm::unsupported",
            "darwin-rebuild cannot activate on another host; run `hm switch` on {host}"
        ));
    }
    let command = rebuild_switch(kind, &selected.flake, host, target_host, is_root());
    writeln!(
        out,
        "{} is a user of the {} host `{host}`, whose system activates its home: running `{}` (hm records no home generation of its own)",
        selected.user,
        system_name(kind),
        command.display()
    )
    .into_diagnostic()?;
    out.flush().into_diagnostic()?;
    match command.run_attached() {
        Ok(Some(0)) => Ok(ExitCode::SUCCESS),
        Ok(status) => {
            eprintln!(
                "hm: `{}` {}",
                command.display(),
                status.map_or("was interrupted".to_string(), |c| format!(
                    "exited with status {c}"
                ))
            );
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(miette!(
            code = "hm::rebuild-not-found",
            help = format!("run hm on the {} host", system_name(kind)),
            "{e}"
        )),
    }
}
