//! Exit codes, the same for every command (the table in docs/cli.md is checked against
//! [`TABLE`] by a test).

use std::process::ExitCode;

/// The configuration failed: findings at `--deny` or above, checks that stopped a build, a
/// failed Nix build or evaluation, files in the way, a failed activation.
pub const FAILED: u8 = 1;
/// hm could not do its job: bad arguments, no configuration found, a program missing,
/// input or output errors.
pub const TOOL_ERROR: u8 = 2;
/// `hm service status`: the unit is not running (systemctl's own code).
pub const NOT_RUNNING: u8 = 3;

/// Every exit code and what it means, in the order docs/cli.md lists them.
pub const TABLE: &[(u8, &str)] = &[
    (
        0,
        "success (also when the reader of the output went away, as when `hm services` is piped into `head -1`)",
    ),
    (
        FAILED,
        "the configuration failed: `hm check` findings at `--deny` or above, static checks that stopped a build, a failed Nix build or evaluation, files in the way of a switch, a failed activation, a failed `hm service` action, `no` to `--ask`",
    ),
    (
        TOOL_ERROR,
        "hm could not do its job: bad arguments, no configuration found, Nix, git or systemctl missing, unreadable files, a profile that cannot be used",
    ),
    (
        NOT_RUNNING,
        "`hm service status`: the service is not running",
    ),
    (
        crate::interrupt::EXIT_INTERRUPTED,
        "interrupted (Ctrl-C, SIGTERM, SIGHUP); `$HOME` is left at one whole generation",
    ),
];

/// Errors whose code says the configuration failed rather than hm.
const CONFIGURATION_FAILURES: &[&str] = &["hm::files-in-the-way", "hm::activation-failed"];

/// The exit code for an error that ended a command.
pub fn for_error(error: &miette::Report) -> ExitCode {
    let code = error.code().map(|c| c.to_string());
    if code.is_some_and(|c| CONFIGURATION_FAILURES.contains(&c.as_str())) {
        ExitCode::from(FAILED)
    } else {
        ExitCode::from(TOOL_ERROR)
    }
}

/// The table for `--help` and the man page.
pub fn help() -> String {
    let mut text = String::from("Exit status:\n");
    for (code, meaning) in TABLE {
        text.push_str(&format!("  {code:>3}  {meaning}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/cli.md lists the same codes with the same meanings.
    #[test]
    fn documented_table_matches() {
        let docs = include_str!("../../../docs/cli.md");
        for (code, meaning) in TABLE {
            let row = format!("| {code} | {meaning} |");
            assert!(docs.contains(&row), "docs/cli.md lacks the row\n{row}");
        }
    }
}
