//! `hm switch`: build, say what will change, activate, then record the generation.
//!
//! The profile moves to the new generation only after activation succeeded, so a failed
//! build, a failed activation or an interrupt leaves the previous generation active.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use miette::{IntoDiagnostic, Result, miette};
use nix_driver::{Command, Nix, Plan, Profile, plan};

use crate::cli::{Activation, SwitchArgs};
use crate::{build, environment};

pub fn run(args: &SwitchArgs, out: &mut impl Write) -> Result<ExitCode> {
    let nix = Nix::default();
    let home = environment::home()?;
    let profile = Profile::for_user(&home, environment::xdg_state_home().as_deref());
    let scratch = tempfile::tempdir().into_diagnostic()?;
    let built = match build::build(&args.selection, &scratch.path().join("result"), &nix)? {
        Ok(path) => path,
        Err(code) => return Ok(code),
    };
    writeln!(out, "built {}", built.display()).into_diagnostic()?;
    let old = profile.current().map(|g| g.path);
    let switch = Switch {
        home: &home,
        profile: &profile,
        nix: &nix,
        options: &args.activation,
    };
    switch.activate(&built, old.as_deref(), Record::NewGeneration, out)
}

/// How the profile records an activated generation.
pub enum Record {
    /// `nix-env --set`: a new generation.
    NewGeneration,
    /// `nix-env --switch-generation N`: an existing one (rollback).
    Existing(u64),
}

pub struct Switch<'a> {
    pub home: &'a Path,
    pub profile: &'a Profile,
    pub nix: &'a Nix,
    pub options: &'a Activation,
}

impl Switch<'_> {
    /// Activates `generation` (reporting changes against `old`) and points the profile at it.
    pub fn activate(
        &self,
        generation: &Path,
        old: Option<&Path>,
        record: Record,
        out: &mut impl Write,
    ) -> Result<ExitCode> {
        let Switch {
            home,
            profile,
            nix,
            options,
        } = *self;
        let plan = plan(old, generation, home);
        report(&plan, options, out).into_diagnostic()?;
        if !plan.clobbered.is_empty() && options.backup_extension.is_none() {
            let files: Vec<String> = plan
                .clobbered
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            return Err(miette!(
                code = "hm::files-in-the-way",
                help = "move them away, or let hm back them up: `hm switch -b backup` renames each to FILE.backup",
                "{} file{} Home Manager does not manage would be replaced:\n  {}",
                files.len(),
                if files.len() == 1 { "" } else { "s" },
                files.join("\n  ")
            ));
        }
        let mut activate = Command::new(generation.join("activate")).env("HOME", home);
        if let Some(ext) = &options.backup_extension {
            activate = activate.env("HOME_MANAGER_BACKUP_EXT", ext);
        }
        if options.dry_run {
            activate = activate.env("DRY_RUN", "1");
        }
        if options.verbose {
            activate = activate.env("VERBOSE", "1");
        }
        out.flush().into_diagnostic()?;
        let status = activate.run_attached().map_err(|e| miette!("{e}"))?;
        if status != Some(0) {
            return Err(miette!(
                code = "hm::activation-failed",
                help = "the previous generation is still active; fix what the activation script reported and switch again",
                "activation of {} failed",
                generation.display()
            ));
        }
        if options.dry_run {
            writeln!(out, "dry run: nothing was changed").into_diagnostic()?;
            return Ok(ExitCode::SUCCESS);
        }
        std::fs::create_dir_all(profile.path.parent().unwrap_or(home)).into_diagnostic()?;
        let command = match record {
            Record::NewGeneration => profile.set(nix, generation),
            Record::Existing(id) => profile.switch_generation(nix, id),
        };
        command.run_checked().map_err(|e| {
            miette!(
                code = "hm::profile",
                "activated, but recording the generation failed: {e}"
            )
        })?;
        let id = profile.current().map_or(0, |g| g.id);
        writeln!(out, "switched to generation {id}").into_diagnostic()?;
        Ok(ExitCode::SUCCESS)
    }
}

fn report(plan: &Plan, options: &Activation, out: &mut impl Write) -> std::io::Result<()> {
    if let Some(ext) = &options.backup_extension {
        for file in &plan.clobbered {
            writeln!(
                out,
                "back up: {} -> {}.{ext}",
                file.display(),
                file.display()
            )?;
        }
    }
    for (verb, units) in [
        ("start", &plan.start),
        ("restart", &plan.restart),
        ("stop", &plan.stop),
    ] {
        if !units.is_empty() {
            writeln!(out, "services to {verb}: {}", units.join(", "))?;
        }
    }
    Ok(())
}
