//! `hm completions SHELL` and `hm man`.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;
use miette::{IntoDiagnostic, Result};

use crate::cli::Cli;

pub fn completions(shell: clap_complete::Shell, out: &mut impl Write) -> Result<ExitCode> {
    clap_complete::generate(shell, &mut Cli::command(), "hm", out);
    Ok(ExitCode::SUCCESS)
}

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

pub fn man(out: &mut impl Write) -> Result<ExitCode> {
    clap_mangen::Man::new(Cli::command())
        .render(out)
        .into_diagnostic()?;
    Ok(ExitCode::SUCCESS)
}
