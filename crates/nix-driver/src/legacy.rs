//! Channel-style configurations (a `home.nix` without a flake), run as the home-manager CLI
//! runs them: Home Manager's `home-manager.nix` from the Nix search path, given the
//! configuration file and attribute with `--argstr`.

use std::ffi::OsString;
use std::path::Path;

use crate::{Command, Nix};

/// Home Manager's entry point for configurations without a flake, found through `NIX_PATH`
/// or `-I home-manager=…`.
pub const HOME_MANAGER_NIX: &str = "<home-manager/home-manager/home-manager.nix>";

/// A configuration file, the attribute in it (`-A`, empty for the whole file) and extra
/// search path entries (`-I`).
#[derive(Debug, Clone, Copy)]
pub struct ConfigFile<'a> {
    pub file: &'a Path,
    pub attribute: &'a str,
    pub include: &'a [String],
}

impl ConfigFile<'_> {
    /// `<own…> -I P… [--show-trace] <passthrough…> --argstr confPath F --argstr confAttr A`,
    /// the order of the CLI's `doBuildAttr`.
    fn arguments(&self, command: Command, verbose: bool, passthrough: &[OsString]) -> Command {
        let mut command = command;
        for path in self.include {
            command = command.arg("-I").arg(path);
        }
        if verbose {
            command = command.arg("--show-trace");
        }
        command
            .args(passthrough)
            .args(["--argstr", "confPath"])
            .arg(self.file)
            .args(["--argstr", "confAttr", self.attribute])
    }
}

impl Nix {
    /// `nix-build <home-manager.nix> (--out-link L | --no-out-link) --attr ATTR …`.
    pub fn nix_build_config(
        &self,
        config: &ConfigFile,
        attribute: &str,
        out_link: Option<&Path>,
        verbose: bool,
        passthrough: &[OsString],
    ) -> Command {
        let command = self.sibling("nix-build").arg(HOME_MANAGER_NIX);
        let command = match out_link {
            Some(link) => command.arg("--out-link").arg(link),
            None => command.arg("--no-out-link"),
        };
        config.arguments(command.args(["--attr", attribute]), verbose, passthrough)
    }

    /// `nix-instantiate <home-manager.nix> …`: the activation package's derivation.
    pub fn nix_instantiate_config(
        &self,
        config: &ConfigFile,
        verbose: bool,
        passthrough: &[OsString],
    ) -> Command {
        let command = self.sibling("nix-instantiate").arg(HOME_MANAGER_NIX);
        config.arguments(command, verbose, passthrough)
    }

    /// `nix repl --file <home-manager.nix> …`.
    pub fn repl_config(&self, config: &ConfigFile, passthrough: &[OsString]) -> Command {
        let command = self.command().args(["repl", "--file", HOME_MANAGER_NIX]);
        config.arguments(command, false, passthrough)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nix_build_argv_is_the_clis() {
        let nix = Nix::with_program("/bin/nix");
        let include = ["nixpkgs=/src/nixpkgs".to_string()];
        let config = ConfigFile {
            file: Path::new("/home/a/.config/home-manager/home.nix"),
            attribute: "alice",
            include: &include,
        };
        let command = nix.nix_build_config(
            &config,
            "activationPackage",
            Some(Path::new("/tmp/result")),
            true,
            &["--keep-going".into()],
        );
        assert_eq!(
            command.argv(),
            [
                "/bin/nix-build",
                HOME_MANAGER_NIX,
                "--out-link",
                "/tmp/result",
                "--attr",
                "activationPackage",
                "-I",
                "nixpkgs=/src/nixpkgs",
                "--show-trace",
                "--keep-going",
                "--argstr",
                "confPath",
                "/home/a/.config/home-manager/home.nix",
                "--argstr",
                "confAttr",
                "alice",
            ]
        );
    }
}
