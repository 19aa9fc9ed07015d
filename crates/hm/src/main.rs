//! `hm`: a fast front-end for Home Manager. Exit codes: 0 clean, 1 findings, 2 hm failed.

mod build;
mod check;
mod cli;
mod environment;
mod explain;
mod generations;
mod init;
mod interrupt;
mod inventory;
mod meta;
mod render;
mod service;
mod switch;
mod target;
mod terminal;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

/// The analysis allocates many small values; mimalloc handles that better than glibc's
/// allocator (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use miette::IntoDiagnostic;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    terminal::install_error_style();
    let mut out = std::io::stdout().lock();
    let result = match &cli.command {
        cli::Command::Users(args) => inventory::users(args, &mut out),
        cli::Command::Services(args) => inventory::services(args, &mut out),
        cli::Command::Check(args) => check::run(args, &mut out),
        cli::Command::Explain { code } => explain::run(code.as_deref(), &mut out),
        cli::Command::Init(args) => init::run(args, &mut out),
        cli::Command::Build(args) => build::run(args, &mut out),
        cli::Command::Switch(args) => switch::run(args, &mut out),
        cli::Command::Generations(args) => generations::run(args, &mut out),
        cli::Command::Rollback(args) => generations::rollback(args, &mut out),
        cli::Command::Service(args) => service::run(args),
        cli::Command::Completions { shell } => meta::completions(*shell, &mut out),
        cli::Command::Man => meta::man(&mut out),
        cli::Command::Parse { files } => meta::parse(files, &mut out),
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

fn is_broken_pipe(error: &miette::Report) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
