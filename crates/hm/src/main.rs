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
mod output;
mod render;
mod service;
mod switch;
mod target;
mod terminal;

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;
use miette::{IntoDiagnostic, Result};

use cli::Command;
use output::Stdout;

/// The analysis allocates many small values; mimalloc handles that better than glibc's
/// allocator (see docs/performance.md). It is built without transparent huge pages
/// (`no_thp`): with them every touched 2 MiB region counted whole, doubling peak memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    terminal::install_error_style();
    let stdout = std::io::stdout().lock();
    // Commands that run other programs on the same stdout write line by line, so their
    // output and the programs' keep their order; the others write through one buffer.
    let (result, broken_pipe) = if spawns_programs(&cli.command) {
        let mut out = Stdout::new(stdout);
        (run(&cli.command, &mut out), out.broken_pipe())
    } else {
        let mut out = Stdout::new(BufWriter::with_capacity(64 * 1024, stdout));
        (run(&cli.command, &mut out), out.broken_pipe())
    };
    match result {
        Ok(code) => code,
        // `hm services | head` is not an error.
        Err(_) if broken_pipe => ExitCode::SUCCESS,
        Err(error) => {
            output::eprint(&format!("{error:?}\n"));
            ExitCode::from(2)
        }
    }
}

fn spawns_programs(command: &Command) -> bool {
    matches!(
        command,
        Command::Build(_) | Command::Switch(_) | Command::Generations(_) | Command::Rollback(_)
    )
}

fn run<W: Write>(command: &Command, out: &mut Stdout<W>) -> Result<ExitCode> {
    let code = match command {
        Command::Users(args) => inventory::users(args, out),
        Command::Services(args) => inventory::services(args, out),
        Command::Check(args) => check::run(args, out),
        Command::Explain { code } => explain::run(code.as_deref(), out),
        Command::Init(args) => init::run(args, out),
        Command::Build(args) => build::run(args, out),
        Command::Switch(args) => switch::run(args, out),
        Command::Generations(args) => generations::run(args, out),
        Command::Rollback(args) => generations::rollback(args, out),
        Command::Service(args) => service::run(args, out),
        Command::Completions { shell } => meta::completions(*shell, out),
        Command::Man => meta::man(out),
        Command::Parse { files } => meta::parse(files, out),
    }?;
    out.flush().into_diagnostic()?;
    Ok(code)
}
