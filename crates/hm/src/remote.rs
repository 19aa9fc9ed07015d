//! `hm switch --build-host/--target-host HOST`: build or activate on another machine
//! over SSH, as nh does. Closures move with the real `nix copy` (`ssh://HOST`); the build
//! host realises the derivation hm instantiated here; the target host runs the
//! generation's `activate` as its user, which records that user's profile itself (the
//! activation protocol before `--driver-version 1`, so hm need not know the remote home).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use miette::{IntoDiagnostic, Result, miette};
use nix_driver::{Command, Nix, SshHost, activation};

use crate::build::Selected;
use crate::cli::Activation;

pub fn host(name: &str) -> Result<SshHost> {
    SshHost::new(name).map_err(|e| miette!(code = "hm::bad-host", "{e}"))
}

/// Runs `command` with stderr shown as it comes; its stdout, or an error naming it.
fn run(command: &Command) -> Result<String> {
    let finished = command
        .run_streaming(&mut |line| eprintln!("{line}"))
        .map_err(|e| miette!("{e}"))?;
    let done = command
        .require_success(finished)
        .map_err(|e| miette!(code = "hm::remote-failed", "{e}"))?;
    Ok(String::from_utf8_lossy(&done.stdout).into_owned())
}

/// Builds `selected` on `host`: `nix eval` of its `drvPath` here, `nix copy
/// --derivation --to ssh://HOST`, `ssh HOST nix-store --realise`, then `nix copy --from`
/// the result, kept from garbage collection by `out_link`.
pub fn build_on(
    host: &SshHost,
    selected: &Selected,
    out_link: &Path,
    nix: &Nix,
) -> Result<std::result::Result<PathBuf, ExitCode>> {
    eprintln!("hm: building {} on {}", selected.attribute, host.name());
    let derivation = run(&nix.derivation(&selected.flake, &selected.attribute))?;
    let derivation = PathBuf::from(derivation.trim());
    run(&nix.copy_derivation_to(host, &derivation))?;
    let built = run(&host.run(&["nix-store", "--realise", &derivation.display().to_string()]))?;
    let Some(built) = built.lines().map(str::trim).rfind(|l| l.starts_with('/')) else {
        return Err(miette!(
            "`nix-store --realise` on {} printed no output path",
            host.name()
        ));
    };
    let built = PathBuf::from(built);
    run(&nix.copy_from(host, &built))?;
    run(&nix.add_root(&built, out_link))?;
    Ok(Ok(built))
}

/// Copies `generation` to `host` and activates it (or its specialisation) there.
pub fn activate_on(
    host: &SshHost,
    generation: &Path,
    specialisation: Option<&str>,
    options: &Activation,
    nix: &Nix,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let target = activation::target(generation, specialisation).map_err(|e| miette!("{e}"))?;
    // hm cannot see the remote home, so there is no plan to show; still ask when asked to.
    if options.ask && !options.dry_run {
        out.flush().into_diagnostic()?;
        if !crate::confirm::confirm(&format!(
            "activate {} on {}?",
            target.display(),
            host.name()
        )) {
            eprintln!("hm: not activated");
            return Ok(ExitCode::from(1));
        }
    }
    writeln!(out, "copying {} to {}", generation.display(), host.name()).into_diagnostic()?;
    out.flush().into_diagnostic()?;
    run(&nix.copy_to(host, generation))?;
    let mut argv: Vec<String> = Vec::new();
    let settings = [
        ("HOME_MANAGER_BACKUP_EXT", options.backup_extension.clone()),
        (
            "HOME_MANAGER_BACKUP_COMMAND",
            options.backup_command.clone(),
        ),
        (
            "HOME_MANAGER_BACKUP_OVERWRITE",
            options.backup_overwrite.then(|| "1".to_string()),
        ),
        ("DRY_RUN", options.dry_run.then(|| "1".to_string())),
        ("VERBOSE", options.verbose.then(|| "1".to_string())),
    ];
    for (key, value) in settings {
        if let Some(value) = value {
            if argv.is_empty() {
                argv.push("env".to_string());
            }
            argv.push(format!("{key}={value}"));
        }
    }
    argv.push(target.join("activate").display().to_string());
    let command = host.run(&argv);
    writeln!(out, "activating on {}: {}", host.name(), command.display()).into_diagnostic()?;
    out.flush().into_diagnostic()?;
    match command.run_attached() {
        Ok(Some(0)) => {
            writeln!(out, "activated {} on {}", target.display(), host.name()).into_diagnostic()?;
            Ok(ExitCode::SUCCESS)
        }
        Ok(status) => Err(miette!(
            code = "hm::activation-failed",
            "the activation on {} {}",
            host.name(),
            status.map_or("was interrupted".to_string(), |c| format!(
                "exited with status {c}"
            ))
        )),
        Err(e) => Err(miette!("{e}")),
    }
}
