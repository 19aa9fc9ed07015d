//! `hm build`: pick the configuration from the static model, check it, `nix build` it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hm_checks::{Context, NixEvaluation};
use hm_diagnostics::{Severity, render};
use hm_model::{Analysis, EntryKind, UserKind, select};
use miette::{IntoDiagnostic, Result, miette};
use nix_driver::{CommandError, FlakeRef, Nix, NixError, StoreMapper};

use crate::cli::{BuildArgs, Selection, Target};
use crate::{ask_nix, environment, target, terminal};

/// The configuration a build works on: read, the user selected, the checks passed.
pub struct Selected {
    pub analysis: Analysis,
    /// The user's name in the configuration.
    pub user: String,
    pub kind: UserKind,
    /// The NixOS or nix-darwin host of a module install.
    pub host: Option<String>,
    /// The flake attribute of the user's configuration, e.g. `homeConfigurations."alice"`.
    pub configuration: String,
    /// The flake attribute to build.
    pub attribute: String,
    pub flake: FlakeRef,
}

/// Reads the configuration, selects the user (`--user`, `--host`) and runs the checks;
/// `Err(code)` when they found errors (already reported).
pub fn select_and_check(selection: &Selection) -> Result<std::result::Result<Selected, ExitCode>> {
    let analysis = target::load(&Target {
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
    let flake = FlakeRef::for_dir(&analysis.root).map_err(|e| {
        miette!(
            code = "hm::flake-reference",
            help = "rename or move the directory (or put the flake in a git repository whose path has none of these characters)",
            "{e}"
        )
    })?;
    let selected = select(&analysis.inventory, &user_name, &host);
    let (user, kind, user_host, configuration, attribute) = match selected {
        Ok(user) => (
            user.name.clone(),
            user.kind,
            user.host.clone(),
            user.attribute.clone().unwrap_or_default(),
            user.activation_attribute().unwrap_or_default(),
        ),
        // What the files compute may still hold it: Nix decides.
        Err(tried) => match ask_nix::select(&Nix::default(), &flake, &user_name, &host) {
            Ok(found) => (
                found.name,
                found.kind,
                found.host,
                found.configuration,
                found.activation,
            ),
            Err(asked) => {
                let (whose, known) = match asked {
                    Some(known) => ("as Nix evaluates it", known),
                    None => (
                        "found statically",
                        analysis
                            .inventory
                            .users
                            .iter()
                            .filter_map(|u| u.attribute.clone())
                            .collect(),
                    ),
                };
                return Err(miette!(
                    code = "hm::no-configuration-for-user",
                    help = format!(
                        "configurations in this flake ({whose}): {}\npass --user and --host to pick one",
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
        },
    };

    if !selection.no_check {
        let found = hm_checks::check(&Context::new(&analysis, None));
        let errors: Vec<_> = found
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if !errors.is_empty() {
            eprint!(
                "{}",
                render::human(
                    &analysis.db,
                    &analysis.root,
                    &errors,
                    terminal::stderr_options()
                )
            );
            eprintln!("hm: not building: `hm check` found errors (fix them, or pass --no-check)");
            return Ok(Err(ExitCode::from(1)));
        }
    }

    Ok(Ok(Selected {
        analysis,
        user,
        kind,
        host: user_host,
        configuration,
        attribute,
        flake,
    }))
}

/// `nix build`s what `select_and_check` selected, with its result link at `out_link`:
/// the store path, or `Err(code)` when the build failed (already reported) or
/// `interrupted()` says Ctrl-C stopped it.
pub fn build_selected(
    selected: Selected,
    out_link: &Path,
    nix: &Nix,
    interrupted: &dyn Fn() -> bool,
) -> Result<std::result::Result<PathBuf, ExitCode>> {
    let Selected {
        mut analysis,
        user,
        attribute,
        flake,
        ..
    } = selected;
    eprintln!("hm: building {attribute}");
    let command = nix.build(&flake, &attribute, out_link);
    let finished = command
        .run_streaming(&mut |line| eprintln!("{line}"))
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
            eprintln!("hm: interrupted; nothing was activated");
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
            eprint!("{text}");
            eprintln!("hm: the build failed; nothing was activated");
            Ok(Err(ExitCode::from(1)))
        }
        Err(other) => Err(miette!("{other}")),
    }
}

pub fn run(args: &BuildArgs, out: &mut impl Write) -> Result<ExitCode> {
    let nix = Nix::default();
    // Relative to where hm runs, not to the flake nix builds in.
    let out_link = std::path::absolute(&args.out_link).into_diagnostic()?;
    let mut selected = match select_and_check(&args.selection)? {
        Ok(selected) => selected,
        Err(code) => return Ok(code),
    };
    if args.system {
        let (Some(kind), Some(host)) = (crate::system::kind(selected.kind), &selected.host) else {
            return Err(miette!(
                code = "hm::not-a-module-install",
                help =
                    "--system builds the NixOS or nix-darwin host a user belongs to; pass --host",
                "{} is a standalone Home Manager configuration, not a user of a host",
                selected.user
            ));
        };
        selected.attribute = kind.toplevel_attribute(host);
    }
    match build_selected(selected, &out_link, &nix, &|| false)? {
        Ok(path) => {
            writeln!(out, "{}", path.display()).into_diagnostic()?;
            Ok(ExitCode::SUCCESS)
        }
        Err(code) => Ok(code),
    }
}
