//! `hm`: a fast front-end for Home Manager. Exit codes: see `exit` (0 success, 1 the
//! configuration failed, 2 hm could not do its job, 3 a stopped service, 130 interrupted).

/// `eprintln!`/`eprint!` for every module of hm: like std's, except that a reader of stderr
/// that went away (`hm build 2>&1 | head -1`) is not a panic — there is nowhere left to
/// report anything, so the text is dropped. (Defined before the modules, so it is the one
/// they see.)
macro_rules! eprintln {
    () => {
        $crate::output::eprint("\n")
    };
    ($($arg:tt)*) => {
        $crate::output::eprint(&format!("{}\n", format_args!($($arg)*)))
    };
}

macro_rules! eprint {
    ($($arg:tt)*) => {
        $crate::output::eprint(&format!($($arg)*))
    };
}

mod ask_nix;
mod build;
mod check;
mod cli;
mod complete;
mod confirm;
mod diff;
mod edit;
mod environment;
mod evaluated;
mod exit;
mod explain;
mod generations;
mod init;
mod instantiate;
mod interrupt;
mod inventory;
mod meta;
mod news;
mod nix_run;
mod option;
mod output;
mod packages;
mod passthrough;
mod plan;
mod progress;
mod remote;
mod render;
mod repl;
mod service;
mod source;
mod switch;
mod system;
mod target;
mod terminal;
mod uninstall;

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

/// `mi_option_purge_delay` in mimalloc 3's `mimalloc.h` (the `-sys` crate names no constant
/// for it); a test checks it still holds the option's default.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Milliseconds mimalloc keeps freed memory before returning it to the system: none.
/// mimalloc 3 waits a second, longer than a large analysis takes, so the memory parsing and
/// the evaluator free counted again in the peak beside what the analysis keeps (20 MB more
/// at 100,000 services; a delay of 10 ms left the peak varying by 5 MB with the load, no
/// delay costs no measurable time; docs/performance.md).
const PURGE_DELAY_MS: std::ffi::c_long = 0;

fn main() -> ExitCode {
    // SAFETY: before any thread is started (mimalloc's options are not synchronised).
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    complete::answer_if_asked();
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
            exit::for_error(&error)
        }
    }
}

fn spawns_programs(command: &Command) -> bool {
    matches!(
        command,
        Command::Build(_)
            | Command::Switch(_)
            | Command::Generations(_)
            | Command::Rollback(_)
            | Command::Diff(_)
            | Command::Instantiate(_)
            | Command::Edit(_)
            | Command::Option(_)
            | Command::Repl(_)
            | Command::RemoveGenerations { .. }
            | Command::ExpireGenerations { .. }
            | Command::Uninstall { .. }
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
        Command::Switch(args) if args.rollback => {
            generations::rollback_to(None, &args.activation, out)
        }
        Command::Switch(args) => switch::run(args, out),
        Command::Instantiate(selection) => instantiate::run(selection, out),
        Command::Edit(selection) => edit::run(selection),
        Command::Option(args) => option::run(args, out),
        Command::Repl(selection) => repl::run(selection),
        Command::Packages => packages::run(out),
        Command::RemoveGenerations { ids } => generations::remove_ids(ids, out),
        Command::ExpireGenerations { timestamp, dry_run } => {
            generations::expire(timestamp, *dry_run, out)
        }
        Command::Uninstall { dry_run, yes } => uninstall::run(*dry_run, *yes, out),
        Command::Generations(args) => generations::run(args, out),
        Command::Rollback(args) => generations::rollback(args, out),
        Command::Diff(args) => diff::run(args, out),
        Command::News(args) => news::run(args, out),
        Command::Service(args) => service::run(args, out),
        Command::Completions { shell } => complete::script(*shell, out),
        Command::Man { command, dir } => meta::man(command, dir.as_deref(), out),
        Command::Parse { files } => meta::parse(files, out),
    }?;
    out.flush().into_diagnostic()?;
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_mimallocs() {
        // mimalloc 3's default purge delay, which no other option has: the number names it.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert!(
            delay == 1000 || std::env::var_os("MIMALLOC_PURGE_DELAY").is_some(),
            "option {MI_OPTION_PURGE_DELAY} is {delay}"
        );
    }
}
