//! `systemctl --user` and `journalctl --user`, with argv only.

use crate::Command;

/// `systemctl --user <verb> <unit>`.
pub fn systemctl(verb: &str, unit: &str) -> Command {
    Command::new("systemctl").args(["--user", verb, unit])
}

/// `journalctl --user -u <unit> -n <lines> --no-pager`, with `-f` to follow.
pub fn journalctl(unit: &str, lines: u32, follow: bool) -> Command {
    let command = Command::new("journalctl")
        .args(["--user", "-u", unit, "-n"])
        .arg(lines.to_string())
        .arg("--no-pager");
    if follow { command.arg("-f") } else { command }
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
            systemctl("restart", "a.service").argv(),
            ["systemctl", "--user", "restart", "a.service"]
        );
        assert_eq!(
            journalctl("a.service", 50, true).argv(),
            [
                "journalctl",
                "--user",
                "-u",
                "a.service",
                "-n",
                "50",
                "--no-pager",
                "-f"
            ]
        );
        assert!(no_user_manager("Failed to connect to bus: No medium found"));
    }
}
