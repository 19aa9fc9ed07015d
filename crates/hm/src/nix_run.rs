//! Running a Nix build with its progress on stderr, and reporting its failure once: Nix's
//! own lines (or, on a terminal, a progress line: `progress`) are shown as they come until
//! its error starts; the error is then reported
//! either as a diagnostic at the place in the user's files (with Nix's hints such as
//! "Did you mean …?" kept), or, when it names no such place, exactly as Nix printed it.

use hm_checks::NixEvaluation;
use hm_diagnostics::render;
use hm_model::Analysis;
use nix_driver::{Command, CommandError, Finished, NixError, StoreMapper};

use crate::progress::{ProgressLine, Shown};
use crate::terminal;

/// The error when Nix (or a program beside it) cannot be run at all.
pub fn not_found(error: impl std::fmt::Display) -> miette::Report {
    miette::miette!(
        code = "hm::nix-not-found",
        help = "install Nix, or point HM_NIX at the nix binary",
        "{error}"
    )
}

/// Runs `command`, echoing stderr up to Nix's first `error:` line.
pub fn run(command: &Command) -> Result<Finished, CommandError> {
    let mut in_error = false;
    command.run_streaming(&mut |line| {
        in_error |= line.starts_with("error:");
        if !in_error {
            crate::output::eprint(&format!("{line}\n"));
        }
    })
}

/// Runs `command` with its log shown as `shown` says: Nix's own lines, or a progress
/// line (then the stderr given back is Nix's messages as Nix would have printed them).
pub fn run_shown(command: &Command, shown: Shown) -> Result<Finished, CommandError> {
    let Shown::ProgressLine { build_logs } = shown else {
        return run(command);
    };
    let mut progress = ProgressLine::new(build_logs);
    let mut finished =
        command.run_streaming(&mut |line| crate::output::eprint(&progress.read(line)))?;
    let (out, transcript) = progress.finish();
    crate::output::eprint(&out);
    finished.stderr = transcript;
    Ok(finished)
}

/// The part of stderr from the first `error:` line on: what [`run`] held back.
fn held_back(stderr: &str) -> &str {
    if stderr.starts_with("error:") {
        return stderr;
    }
    stderr.find("\nerror:").map_or("", |at| &stderr[at + 1..])
}

/// Nix's suggestions in an error ("Did you mean …?").
fn hints(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("Did you mean"))
        .map(str::to_string)
        .collect()
}

/// The report of a failed Nix run, printed once: a diagnostic when the error is at a
/// place in the analysed files, else what Nix printed from its error on.
pub fn failure(
    analysis: Option<&mut Analysis>,
    user: &str,
    program: &str,
    stderr: &str,
    stderr_tail: &str,
) -> String {
    let error = NixError::from_stderr(stderr, stderr_tail);
    let raw = match held_back(stderr) {
        "" => stderr_tail.to_string(),
        text => text.to_string(),
    };
    let Some(analysis) = analysis else {
        return ensure_newline(raw);
    };
    let mapper = StoreMapper::for_flake(&analysis.root);
    let mut diagnostic = NixEvaluation.diagnostic(&mut analysis.db, &mapper, &error, user, program);
    if diagnostic.primary.is_none() {
        return ensure_newline(raw);
    }
    let hints = hints(stderr);
    if !hints.is_empty() {
        let rest = diagnostic.help.take().unwrap_or_default();
        diagnostic.help = Some(format!("{}\n{rest}", hints.join("\n")));
    }
    render::human(
        &analysis.db,
        &analysis.root,
        &[diagnostic],
        terminal::stderr_options(),
    )
}

fn ensure_newline(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const STDERR: &str = "building...\nwarning: Git tree is dirty\nerror: attribute 'rigrep' missing\n\n       at /nix/store/x-source/home.nix:3:20:\n\n            3|   home.packages = [ pkgs.rigrep ];\n\n       Did you mean one of ripgrep or ripgrep-all?\n";

    #[test]
    fn holds_back_from_the_error_and_keeps_hints() {
        assert!(held_back(STDERR).starts_with("error: attribute 'rigrep' missing"));
        assert!(held_back(STDERR).contains("Did you mean one of ripgrep"));
        assert_eq!(held_back("error: x\n"), "error: x\n");
        assert_eq!(held_back("no errors\n"), "");
        assert_eq!(
            hints(STDERR),
            ["Did you mean one of ripgrep or ripgrep-all?"]
        );
        assert_eq!(
            failure(None, "alice", "nix build", STDERR, "tail"),
            held_back(STDERR)
        );
    }
}
