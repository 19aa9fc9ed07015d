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

pub fn man(out: &mut impl Write) -> Result<ExitCode> {
    clap_mangen::Man::new(Cli::command())
        .render(out)
        .into_diagnostic()?;
    Ok(ExitCode::SUCCESS)
}
