//! Switching a NixOS or nix-darwin host, for users whose Home Manager is a module of it:
//! the system activates their homes, so hm runs `nixos-rebuild`/`darwin-rebuild` (through
//! `sudo` when not root), never the home generation on its own.

use crate::{Command, FlakeRef};

/// Which system builder a host has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemKind {
    Nixos,
    Darwin,
}

impl SystemKind {
    pub fn rebuild_program(self) -> &'static str {
        match self {
            Self::Nixos => "nixos-rebuild",
            Self::Darwin => "darwin-rebuild",
        }
    }

    /// The flake attribute of the host's system: what `hm build --system` builds.
    pub fn toplevel_attribute(self, host: &str) -> String {
        match self {
            Self::Nixos => format!("nixosConfigurations.{host}.config.system.build.toplevel"),
            Self::Darwin => format!("darwinConfigurations.{host}.system"),
        }
    }
}

/// `[sudo] nixos-rebuild switch --flake <flake>#<host>` (or `darwin-rebuild`); with a
/// target host, `nixos-rebuild` builds here as the user and activates there with
/// `--target-host HOST --use-remote-sudo`.
pub fn rebuild_switch(
    kind: SystemKind,
    flake: &FlakeRef,
    host: &str,
    target_host: Option<&str>,
    as_root: bool,
) -> Command {
    let command = if as_root || target_host.is_some() {
        Command::new(kind.rebuild_program())
    } else {
        Command::new("sudo").arg(kind.rebuild_program())
    };
    let command = command
        .args(["switch", "--flake"])
        .arg(flake.with_attribute(host));
    match target_host {
        Some(target) => command
            .args(["--target-host", target])
            .arg("--use-remote-sudo"),
        None => command,
    }
}

/// Whether hm runs as root (then `sudo` is not needed).
pub fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn rebuild_argv() {
        let flake = FlakeRef::new(Path::new("/cfg"), None).expect("valid");
        assert_eq!(
            rebuild_switch(SystemKind::Nixos, &flake, "laptop", None, false).argv(),
            [
                "sudo",
                "nixos-rebuild",
                "switch",
                "--flake",
                "path:/cfg#laptop"
            ]
        );
        assert_eq!(
            rebuild_switch(SystemKind::Darwin, &flake, "mac", None, true).argv(),
            ["darwin-rebuild", "switch", "--flake", "path:/cfg#mac"]
        );
        assert_eq!(
            rebuild_switch(SystemKind::Nixos, &flake, "box", Some("root@box"), false).argv(),
            [
                "nixos-rebuild",
                "switch",
                "--flake",
                "path:/cfg#box",
                "--target-host",
                "root@box",
                "--use-remote-sudo"
            ]
        );
        assert_eq!(
            SystemKind::Nixos.toplevel_attribute("laptop"),
            "nixosConfigurations.laptop.config.system.build.toplevel"
        );
    }
}
