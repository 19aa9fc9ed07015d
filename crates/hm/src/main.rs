//! `hm`: a fast front-end for Home Manager.

mod cli;
mod inventory;
mod location;
mod problems;
mod render;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use miette::IntoDiagnostic;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    install_diagnostics_style();
    let mut out = std::io::stdout().lock();
    let result = match &cli.command {
        cli::Command::Users(args) => inventory::users(args, &mut out),
        cli::Command::Services(args) => inventory::services(args, &mut out),
    };
    let result = result.and_then(|code| out.flush().map(|()| code).into_diagnostic());
    match result {
        Ok(code) => code,
        // `hm services | head` is not an error.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error:?}");
            ExitCode::from(2)
        }
    }
}

/// Colour only on a terminal and without `NO_COLOR`; width from `COLUMNS`, else 80, so
/// output piped to a file or a test is the same everywhere.
fn install_diagnostics_style() {
    use std::io::IsTerminal;
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(80);
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .color(colour)
                .unicode(true)
                .terminal_links(false)
                .width(width)
                .build(),
        )
    }));
}

fn is_broken_pipe(error: &miette::Report) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
