//! `hm man` and the hidden `hm parse`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;
use miette::{IntoDiagnostic, Result};

use crate::cli::Cli;

/// Parses each file on all cores (no evaluation, no checks) and prints the ones with
/// syntax errors: the baseline the analysis is measured against in bench/.
pub fn parse(files: &[std::path::PathBuf], out: &mut impl Write) -> Result<ExitCode> {
    use rayon::prelude::*;
    let results: Vec<(String, std::io::Result<usize>)> = files
        .par_iter()
        .map(|file| {
            let errors =
                std::fs::read_to_string(file).map(|text| nix_syntax::parse(&text).errors.len());
            (file.display().to_string(), errors)
        })
        .collect();
    let mut failed = false;
    for (file, errors) in results {
        let errors = errors.map_err(|e| miette::miette!("{file}: {e}"))?;
        if errors > 0 {
            failed = true;
            writeln!(out, "{file}: {errors} syntax errors").into_diagnostic()?;
        }
    }
    Ok(if failed {
        ExitCode::from(crate::exit::FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

/// hm's command as the man pages describe it: no `help` subcommand, every display name
/// (`hm-generations-remove`) set.
fn documented() -> clap::Command {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    command
}

/// `hm man [COMMAND…]` prints one page; `hm man --dir DIR` writes them all, so each
/// `hm-*(1)` a page refers to exists.
pub fn man(command: &[String], dir: Option<&Path>, out: &mut impl Write) -> Result<ExitCode> {
    let root = documented();
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir).into_diagnostic()?;
        clap_mangen::generate_to(root, dir).into_diagnostic()?;
        writeln!(out, "wrote the man pages to {}", dir.display()).into_diagnostic()?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut page = root;
    for name in command {
        let found = page
            .get_subcommands()
            .find(|c| c.get_name() == name || c.get_all_aliases().any(|a| a == name))
            .cloned();
        page = found.ok_or_else(|| {
            miette::miette!(
                code = "hm::unknown-command",
                help = "`hm --help` lists the commands",
                "hm has no command `{}`",
                command.join(" ")
            )
        })?;
    }
    clap_mangen::Man::new(page).render(out).into_diagnostic()?;
    Ok(ExitCode::SUCCESS)
}
