//! `systemctl --user` and `journalctl --user`, with argv only.

use crate::Command;

/// `systemctl --user <verb> -- <unit>`: after `--` a unit named like an option
/// (`-Hevil.example`) is still a unit.
pub fn systemctl(verb: &str, unit: &str) -> Command {
    Command::new("systemctl").args(["--user", verb, "--", unit])
}

/// `journalctl --user -n <lines> --no-pager [-f] --unit=<unit>`. The unit is glued to its
/// option, so it is never read as an option itself; journalctl reads arguments after `--`
/// as field matches, not units.
pub fn journalctl(unit: &str, lines: u32, follow: bool) -> Command {
    let command = Command::new("journalctl")
        .args(["--user", "-n"])
        .arg(lines.to_string())
        .arg("--no-pager");
    let command = if follow { command.arg("-f") } else { command };
    command.arg(format!("--unit={unit}"))
}

/// `systemctl --user is-system-running`.
pub fn is_system_running() -> Command {
    Command::new("systemctl").args(["--user", "is-system-running"])
}

/// Whether a user manager runs, as Home Manager's activation decides before it reloads
/// units: `systemctl --user is-system-running` says `running` or `degraded`.
pub fn user_manager_running() -> bool {
    is_system_running().run().is_ok_and(|done| {
        matches!(
            String::from_utf8_lossy(&done.stdout).trim(),
            "running" | "degraded"
        )
    })
}

/// Whether stderr says there is no user manager to talk to.
pub fn no_user_manager(stderr: &str) -> bool {
    [
        "Failed to connect to bus",
        "No medium found",
        "Failed to connect to user scope bus",
        "$DBUS_SESSION_BUS_ADDRESS",
    ]
    .iter()
    .any(|m| stderr.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv() {
        assert_eq!(
            systemctl("restart", "-Ha.service").argv(),
            ["systemctl", "--user", "restart", "--", "-Ha.service"]
        );
        assert_eq!(
            journalctl("-Ha.service", 50, true).argv(),
            [
                "journalctl",
                "--user",
                "-n",
                "50",
                "--no-pager",
                "-f",
                "--unit=-Ha.service"
            ]
        );
        assert!(no_user_manager("Failed to connect to bus: No medium found"));
    }
}
