//! `launchctl` and `tail` for launchd agents (macOS), with argv only. A job is addressed
//! as `<domain>/<uid>/<label>` (`gui/501/org.nix-community.home.backup`), as Home
//! Manager's activation does.

use std::path::Path;

use crate::Command;

/// The domain target `gui/<uid>` or `user/<uid>`.
pub fn domain_target(domain: &str, uid: u32) -> String {
    format!("{domain}/{uid}")
}

/// The real user id of this process, whose launchd domains hm addresses.
pub fn current_uid() -> u32 {
    rustix::process::getuid().as_raw()
}

/// `launchctl print <domain>/<uid>/<label>`: the job's state.
pub fn launchctl_print(domain: &str, label: &str) -> Command {
    Command::new("launchctl")
        .arg("print")
        .arg(format!("{domain}/{label}"))
}

/// `launchctl kickstart -k <domain>/<uid>/<label>`: (re)start the job now, killing a
/// running instance first.
pub fn launchctl_kickstart(domain: &str, label: &str) -> Command {
    Command::new("launchctl")
        .args(["kickstart", "-k"])
        .arg(format!("{domain}/{label}"))
}

/// `launchctl bootout <domain>/<uid>/<label>`: stop the job and unload it.
pub fn launchctl_bootout(domain: &str, label: &str) -> Command {
    Command::new("launchctl")
        .arg("bootout")
        .arg(format!("{domain}/{label}"))
}

/// `launchctl bootstrap <domain>/<uid> <plist>`: load the job from its property list.
pub fn launchctl_bootstrap(domain: &str, plist: &Path) -> Command {
    Command::new("launchctl")
        .arg("bootstrap")
        .arg(domain)
        .arg(plist.as_os_str())
}

/// `tail -n <lines> [-F] -- <paths>…`: an agent's `StandardOutPath`/`StandardErrorPath`.
pub fn tail(paths: &[&str], lines: u32, follow: bool) -> Command {
    let command = Command::new("tail").arg("-n").arg(lines.to_string());
    let command = if follow { command.arg("-F") } else { command };
    command.arg("--").args(paths.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv() {
        let domain = domain_target("gui", 501);
        let label = "org.nix-community.home.backup";
        assert_eq!(
            launchctl_print(&domain, label).argv(),
            [
                "launchctl",
                "print",
                "gui/501/org.nix-community.home.backup"
            ]
        );
        assert_eq!(
            launchctl_kickstart(&domain, label).argv(),
            [
                "launchctl",
                "kickstart",
                "-k",
                "gui/501/org.nix-community.home.backup"
            ]
        );
        assert_eq!(
            launchctl_bootout(&domain, label).argv(),
            [
                "launchctl",
                "bootout",
                "gui/501/org.nix-community.home.backup"
            ]
        );
        assert_eq!(
            launchctl_bootstrap(&domain, Path::new("/Users/a/Library/LaunchAgents/x.plist")).argv(),
            [
                "launchctl",
                "bootstrap",
                "gui/501",
                "/Users/a/Library/LaunchAgents/x.plist"
            ]
        );
        assert_eq!(
            tail(&["/tmp/out.log", "-x.log"], 20, true).argv(),
            ["tail", "-n", "20", "-F", "--", "/tmp/out.log", "-x.log"]
        );
    }
}
