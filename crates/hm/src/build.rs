//! `hm build`: pick the configuration from the static model, check it, `nix build` it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hm_checks::{Context, NixEvaluation};
use hm_diagnostics::text::escape_line;
use hm_diagnostics::{Severity, render};
use hm_model::{EntryKind, select};
use miette::{IntoDiagnostic, Result, miette};
use nix_driver::{CommandError, FlakeRef, Nix, NixError, StoreMapper};

use crate::cli::{BuildArgs, Selection, Target};
use crate::output::{note, note_part};
use crate::{environment, target, terminal};

/// Builds the selected configuration with its result link at `out_link`: the activation
/// package's store path, or `Err(code)` when the checks or the build failed (already
/// reported) or `interrupted()` says Ctrl-C stopped it.
pub fn build(
    selection: &Selection,
    out_link: &Path,
    nix: &Nix,
    interrupted: &dyn Fn() -> bool,
) -> Result<std::result::Result<PathBuf, ExitCode>> {
    let mut analysis = target::load(&Target {
        path: selection.flake.clone(),
    })?;
    if analysis.entry_kind != EntryKind::Flake {
        return Err(miette!(
            code = "hm::build-needs-flake",
            help = "create one next to it with `hm init`, or pass --flake",
            "hm builds flakes, and {} is not a flake",
            analysis.entry.display()
        ));
    }
    let user_name = match &selection.user {
        Some(user) => user.clone(),
        None => environment::user_name()?,
    };
    let host = selection
        .host
        .clone()
        .unwrap_or_else(environment::host_name);
    let (user, attribute) = match select(&analysis.inventory, &user_name, &host) {
        Ok(user) => (
            user.name.clone(),
            user.activation_attribute().unwrap_or_default(),
        ),
        Err(tried) => {
            let known: Vec<String> = analysis
                .inventory
                .users
                .iter()
                .filter_map(|u| u.attribute.clone())
                .collect();
            return Err(miette!(
                code = "hm::no-configuration-for-user",
                help = format!(
                    "configurations in this flake: {}\npass --user and --host to pick one",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
                "no configuration for `{user_name}` on `{host}`; tried:\n  {}",
                tried.join("\n  ")
            ));
        }
    };

    if !selection.no_check {
        let found = hm_checks::check(&Context::new(&analysis, None));
        let errors: Vec<_> = found
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if !errors.is_empty() {
            note_part!(
                "{}",
                render::human(
                    &analysis.db,
                    &analysis.root,
                    &errors,
                    terminal::stderr_options()
                )
            );
            note!("hm: not building: `hm check` found errors (fix them, or pass --no-check)");
            return Ok(Err(ExitCode::from(1)));
        }
    }

    let flake = FlakeRef::for_dir(&analysis.root).map_err(|e| {
        miette!(
            code = "hm::flake-reference",
            help = "rename or move the directory (or put the flake in a git repository whose path has none of these characters)",
            "{e}"
        )
    })?;
    note!("hm: building {}", escape_line(&attribute));
    let command = nix.build(&flake, &attribute, out_link);
    let finished = command
        .run_streaming(&mut |line| note!("{line}"))
        .map_err(|e| {
            miette!(
                code = "hm::nix-not-found",
                help = "install Nix, or point HM_NIX at the nix binary",
                "{e}"
            )
        })?;
    match command.require_success(finished) {
        Ok(done) => match Nix::built_path(&done.stdout) {
            Some(path) => Ok(Ok(path)),
            None => Err(miette!("`{}` printed no output path", command.display())),
        },
        Err(CommandError::Failed { .. }) if interrupted() => {
            note!("hm: interrupted; nothing was activated");
            Ok(Err(ExitCode::from(crate::interrupt::EXIT_INTERRUPTED)))
        }
        Err(CommandError::Failed {
            stderr,
            stderr_tail,
            ..
        }) => {
            let error = NixError::from_stderr(&stderr, &stderr_tail);
            let diagnostic = NixEvaluation.diagnostic(
                &mut analysis.db,
                &StoreMapper::for_flake(&analysis.root),
                &error,
                &user,
                &command.display(),
            );
            let text = render::human(
                &analysis.db,
                &analysis.root,
                &[diagnostic],
                terminal::stderr_options(),
            );
            note_part!("{text}");
            note!("hm: the build failed; nothing was activated");
            Ok(Err(ExitCode::from(1)))
        }
        Err(other) => Err(miette!("{other}")),
    }
}

pub fn run(args: &BuildArgs, out: &mut impl Write) -> Result<ExitCode> {
    let nix = Nix::default();
    // Relative to where hm runs, not to the flake nix builds in.
    let out_link = std::path::absolute(&args.out_link).into_diagnostic()?;
    match build(&args.selection, &out_link, &nix, &|| false)? {
        Ok(path) => {
            writeln!(out, "{}", path.display()).into_diagnostic()?;
            Ok(ExitCode::SUCCESS)
        }
        Err(code) => Ok(code),
    }
}
