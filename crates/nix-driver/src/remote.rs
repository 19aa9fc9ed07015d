//! Building and activating on another machine over SSH, as nh does: closures move with
//! the real `nix copy --to/--from ssh://HOST`, and commands run as `ssh HOST -- <argv>`.
//! Both honour `NIX_SSHOPTS` (split on whitespace, as Nix splits it), so one setting
//! reaches every connection. ssh hands the remote command to the remote user's shell as
//! one line, so each argument is quoted for that shell.

use std::path::Path;

use crate::{Command, Nix};

/// A host given to `--build-host`/`--target-host`: `host`, `user@host` or an ssh alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshHost {
    host: String,
    options: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SshHostError {
    #[error("`{0}` is not a host name: it is empty, starts with `-` or holds whitespace or `/`")]
    Invalid(String),
}

impl SshHost {
    /// `host` with the ssh options from `NIX_SSHOPTS`.
    pub fn new(host: &str) -> Result<Self, SshHostError> {
        let options = std::env::var("NIX_SSHOPTS").unwrap_or_default();
        Self::with_options(host, &options)
    }

    /// `host` with ssh `options` (whitespace-separated, as in `NIX_SSHOPTS`).
    pub fn with_options(host: &str, options: &str) -> Result<Self, SshHostError> {
        let invalid = host.is_empty()
            || host.starts_with('-')
            || host
                .chars()
                .any(|c| c.is_whitespace() || c == '/' || c.is_control());
        if invalid {
            return Err(SshHostError::Invalid(host.to_string()));
        }
        Ok(Self {
            host: host.to_string(),
            options: options.split_whitespace().map(str::to_string).collect(),
        })
    }

    pub fn name(&self) -> &str {
        &self.host
    }

    /// `ssh://HOST`, the store `nix copy` talks to.
    pub fn store(&self) -> String {
        format!("ssh://{}", self.host)
    }

    /// `ssh [NIX_SSHOPTS] -- HOST <argv quoted>`: `argv` runs on the host as given.
    pub fn run<S: AsRef<str>>(&self, argv: &[S]) -> Command {
        let line: Vec<String> = argv.iter().map(|a| quote(a.as_ref())).collect();
        Command::new("ssh")
            .args(&self.options)
            .args(["--", &self.host])
            .arg(line.join(" "))
    }
}

/// `arg` as one word for a POSIX shell: left alone when it holds only characters no
/// shell treats specially, else in single quotes.
pub fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@+,%".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

impl Nix {
    /// `nix copy --to ssh://HOST <path>`.
    pub fn copy_to(&self, host: &SshHost, path: &Path) -> Command {
        self.command()
            .args(["copy", "--to", &host.store()])
            .arg(path)
    }

    /// `nix copy --from ssh://HOST <path>`.
    pub fn copy_from(&self, host: &SshHost, path: &Path) -> Command {
        self.command()
            .args(["copy", "--from", &host.store()])
            .arg(path)
    }

    /// `nix copy --derivation --to ssh://HOST <drv>`: the derivation and what building it
    /// needs, for a build on that host.
    pub fn copy_derivation_to(&self, host: &SshHost, derivation: &Path) -> Command {
        self.command()
            .args(["copy", "--derivation", "--to", &host.store()])
            .arg(derivation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_and_copy_argv() {
        let host = SshHost::with_options("alice@box", "-p 2222  -i /k").expect("valid");
        assert_eq!(
            host.run(&["/nix/store/x-gen/activate", "a b", "it's"])
                .argv(),
            [
                "ssh",
                "-p",
                "2222",
                "-i",
                "/k",
                "--",
                "alice@box",
                "/nix/store/x-gen/activate 'a b' 'it'\\''s'",
            ]
        );
        let nix = Nix::with_program("nix");
        assert_eq!(
            nix.copy_to(&host, Path::new("/nix/store/x-gen")).argv()[3..],
            ["copy", "--to", "ssh://alice@box", "/nix/store/x-gen"]
        );
        assert_eq!(
            nix.copy_derivation_to(&host, Path::new("/nix/store/x.drv"))
                .argv()[3..],
            [
                "copy",
                "--derivation",
                "--to",
                "ssh://alice@box",
                "/nix/store/x.drv"
            ]
        );
        for bad in ["", "-oProxyCommand=x", "a b", "a/b"] {
            assert!(SshHost::with_options(bad, "").is_err(), "{bad}");
        }
        assert_eq!(quote(""), "''");
        assert_eq!(quote("$(x)"), "'$(x)'");
    }
}
