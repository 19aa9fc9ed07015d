//! `hm edit`: opens the configuration in `$VISUAL`, else `$EDITOR` (split at spaces, as the
//! home-manager CLI does, so `code --wait` works; never run by a shell).

use std::path::PathBuf;
use std::process::ExitCode;

use miette::{Result, miette};
use nix_driver::{Command, Nix};

use crate::build::choose_in_flake;
use crate::cli::Selection;
use crate::source::{self, Source};

/// The file to open: a file configuration itself; for a local flake, the chosen user's
/// first module (their home.nix), else flake.nix.
fn file_to_edit(selection: &Selection) -> Result<PathBuf> {
    let resolved = source::resolve(selection)?;
    match &resolved.source {
        Source::File { path, .. } => Ok(path.clone()),
        Source::Flake(flake) => {
            let Some(dir) = &flake.dir else {
                return Err(miette!(
                    code = "hm::not-local",
                    "{} is not on this machine; clone it and pass --flake DIR",
                    flake.shown()
                ));
            };
            // The flake's own file when hm cannot tell the user's home.nix.
            let choice = choose_in_flake(selection, flake, &Nix::default(), false)
                .ok()
                .and_then(Result::ok);
            let module = choice.and_then(|choice| {
                let analysis = choice.analysis?;
                let user = analysis
                    .inventory
                    .users
                    .iter()
                    .find(|u| u.name == choice.configuration.user)?;
                let first = user.modules.first()?;
                Some(analysis.db.file(first.file).path.clone())
            });
            Ok(module.unwrap_or_else(|| dir.join("flake.nix")))
        }
    }
}

pub fn run(selection: &Selection) -> Result<ExitCode> {
    let editor = ["VISUAL", "EDITOR"]
        .into_iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
        .ok_or_else(|| {
            miette!(
                code = "hm::no-editor",
                "set the $EDITOR or $VISUAL environment variable"
            )
        })?;
    let file = file_to_edit(selection)?;
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or_default();
    let status = Command::new(program)
        .args(words)
        .arg(&file)
        .interactive()
        .run_attached()
        .map_err(|e| miette!(code = "hm::no-editor", "{e}"))?;
    Ok(match status {
        Some(0) => ExitCode::SUCCESS,
        _ => ExitCode::from(crate::exit::FAILED),
    })
}
