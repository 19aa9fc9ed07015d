//! `hm check`: the static checks, and with `--eval` real `nix eval` errors mapped back.

use std::io::Write;
use std::process::ExitCode;

use hm_checks::{Context, GitTracked, NixEvaluation};
use hm_diagnostics::{Diagnostic, render};
use hm_model::{Analysis, EntryKind, UserKind};
use miette::{IntoDiagnostic, Result, miette};
use nix_driver::{CommandError, Nix, NixError, StoreMapper};

use crate::cli::{CheckArgs, CheckFormat};
use crate::inventory::write_json;
use crate::{target, terminal};

pub fn run(args: &CheckArgs, out: &mut impl Write) -> Result<ExitCode> {
    let mut analysis = target::load(&args.target, args.impure)?;
    let git = git_tracked(&analysis);
    let mut found = hm_checks::check(&Context::new(&analysis, git.as_ref()));
    if args.eval {
        found.extend(evaluate(&mut analysis, args.user.as_deref())?);
    }
    match args.format {
        CheckFormat::Json => write_json(out, &render::json(&analysis.db, &analysis.root, &found))?,
        CheckFormat::Errfmt => {
            write!(
                out,
                "{}",
                render::errfmt(&analysis.db, &analysis.root, &found)
            )
            .into_diagnostic()?;
        }
        CheckFormat::Human => {
            render::write_human(
                out,
                &analysis.db,
                &analysis.root,
                &found,
                terminal::stdout_options(),
            )
            .into_diagnostic()?;
            writeln!(out, "{}", summary(&analysis, &found, git.as_ref())).into_diagnostic()?;
        }
    }
    let failed = found.iter().any(|d| d.severity >= args.deny);
    crate::target::keep_until_exit(analysis);
    Ok(if failed {
        ExitCode::from(crate::exit::FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

fn summary(analysis: &Analysis, found: &[Diagnostic], git: Option<&GitTracked>) -> String {
    let files = analysis.db.files().filter(|(_, f)| !f.builtin).count();
    let count = |severity| found.iter().filter(|d| d.severity == severity).count();
    let parts: Vec<String> = [
        (hm_diagnostics::Severity::Error, "error"),
        (hm_diagnostics::Severity::Warning, "warning"),
        (hm_diagnostics::Severity::Info, "note"),
    ]
    .into_iter()
    .filter_map(|(severity, word)| {
        let n = count(severity);
        (n > 0).then(|| counted(n, word))
    })
    .collect();
    let checked = counted(files, "file");
    let line = if parts.is_empty() {
        format!("hm check: no problems found in {checked}")
    } else {
        format!("hm check: {} in {checked}", parts.join(", "))
    };
    // What the files compute beyond what hm can read was not checked: say so, once per
    // reason (a flake input's module imported by every user counts once).
    let unknown: std::collections::BTreeSet<&str> = analysis
        .inventory
        .dynamic
        .iter()
        .map(|d| d.reason.as_str())
        .collect();
    let n = unknown.len();
    if n == 0 {
        return line;
    }
    // Files those parts might have led to: the repository's other `.nix` files.
    let unreached = match git {
        Some(git) => {
            let read: std::collections::HashSet<&std::path::Path> =
                analysis.db.files().map(|(_, f)| f.path.as_path()).collect();
            git.files
                .iter()
                .filter(|p| {
                    p.starts_with(&analysis.root)
                        && p.extension().is_some_and(|e| e == "nix")
                        && !read.contains(p.as_path())
                })
                .count()
        }
        None => 0,
    };
    let unreached = match unreached {
        0 => String::new(),
        u => format!(
            "\n  not reached: {} git tracks here",
            counted(u, "other .nix file")
        ),
    };
    format!(
        "{line}\n  not checked: {} only Nix knows (`hm users` and `hm services` say which; `hm check --eval` asks Nix){unreached}",
        counted(n, "part")
    )
}

/// `1 file`, `2 files`.
fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// The files git tracks around a flake, which are all the flake can see.
pub(crate) fn git_tracked(analysis: &Analysis) -> Option<GitTracked> {
    if analysis.entry_kind != EntryKind::Flake {
        return None;
    }
    let (root, files) = nix_driver::tracked_files(&analysis.root)?;
    Some(GitTracked {
        root,
        files: files.into_iter().collect(),
    })
}

/// The attribute `nix eval` forces to evaluate a user's whole configuration.
fn activation_drv(kind: UserKind, attribute: &str) -> String {
    match kind {
        UserKind::Standalone => format!("{attribute}.activationPackage.drvPath"),
        _ => format!("{attribute}.home.activationPackage.drvPath"),
    }
}

fn evaluate(analysis: &mut Analysis, only: Option<&str>) -> Result<Vec<Diagnostic>> {
    let flake = crate::evaluated::flake(
        analysis,
        "run `hm check --eval` on a flake; without --eval, hm checks home.nix statically",
    )?;
    let mut users: Vec<(String, UserKind, String)> = analysis
        .inventory
        .users
        .iter()
        .filter_map(|u| Some((u.name.clone(), u.kind, u.attribute.clone()?)))
        .collect();
    // Configurations the files compute beyond what hm follows: Nix lists them.
    if analysis.inventory.users_undecided() {
        let (_, completion) = crate::evaluated::users(analysis)?;
        users.extend(
            completion
                .added
                .into_iter()
                .map(|u| (u.name, u.kind, u.attribute)),
        );
    }
    users.retain(|(name, _, _)| only.is_none_or(|o| o == name));
    if let Some(name) = only
        && users.is_empty()
    {
        return Err(miette!(
            code = "hm::unknown-user",
            "no user named `{name}` to evaluate"
        ));
    }
    let mapper = StoreMapper::for_flake(&analysis.root);
    let nix = Nix::default().impure(analysis.impure);
    let mut found = Vec::new();
    for (user, kind, attribute) in users {
        let command = nix.eval_json(&flake, &activation_drv(kind, &attribute));
        match command.run_checked() {
            Ok(_) => {}
            Err(CommandError::Failed {
                stderr,
                stderr_tail,
                ..
            }) => {
                let error = NixError::from_stderr(&stderr, &stderr_tail);
                found.push(NixEvaluation.diagnostic(
                    &mut analysis.db,
                    &mapper,
                    &error,
                    &user,
                    &command.display(),
                ));
            }
            Err(spawn) => {
                return Err(crate::nix_run::not_found(spawn));
            }
        }
    }
    Ok(found)
}
