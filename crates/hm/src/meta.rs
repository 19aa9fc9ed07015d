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

/// Parses each file (no evaluation, no checks) and prints `file: N syntax errors`.
pub fn parse(files: &[std::path::PathBuf], out: &mut impl Write) -> Result<ExitCode> {
    let mut failed = false;
    for file in files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| miette::miette!("{}: {e}", file.display()))?;
        let errors = nix_syntax::parse(&text).errors.len();
        failed |= errors > 0;
        if errors > 0 {
            writeln!(out, "{}: {errors} syntax errors", file.display()).into_diagnostic()?;
        }
    }
    Ok(if failed {
        ExitCode::from(1)
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
