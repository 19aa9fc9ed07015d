use std::path::{Path, PathBuf};

use crate::{Command, FlakeRef};

/// The `nix` CLI: the binary is `HM_NIX` or `nix` on PATH.
#[derive(Debug, Clone)]
pub struct Nix {
    program: PathBuf,
    /// `--impure` on evaluations (see [`Nix::impure`]).
    impure: bool,
}

impl Default for Nix {
    fn default() -> Self {
        let program =
            std::env::var_os("HM_NIX").map_or_else(|| PathBuf::from("nix"), PathBuf::from);
        Self {
            program,
            impure: false,
        }
    }
}

impl Nix {
    pub fn with_program(program: impl Into<PathBuf>) -> Self {
        Self {
            program: program.into(),
            impure: false,
        }
    }

    /// Evaluates with `--impure` when `impure` (`nix eval --impure`): the flake sees the
    /// environment, as the static reading did.
    pub fn impure(self, impure: bool) -> Self {
        Self { impure, ..self }
    }

    /// `nix` with the features hm relies on switched on for this call, so it works where
    /// the user has not enabled flakes in nix.conf.
    pub(crate) fn command(&self) -> Command {
        Command::new(&self.program).args(["--extra-experimental-features", "nix-command flakes"])
    }

    /// `nix eval`, with `--impure` when asked for.
    pub(crate) fn eval(&self) -> Command {
        self.command()
            .arg("eval")
            .args(self.impure.then_some("--impure"))
    }

    /// `nix eval --json --show-trace <flake>#<attribute>`.
    pub fn eval_json(&self, flake: &FlakeRef, attribute: &str) -> Command {
        self.eval()
            .args(["--json", "--show-trace"])
            .arg(flake.with_attribute(attribute))
    }

    /// `nix build --json --out-link <out_link> <flake>#<attribute>`.
    pub fn build(&self, flake: &FlakeRef, attribute: &str, out_link: &Path) -> Command {
        self.build_to(flake, attribute, Some(out_link))
    }

    /// `nix build --json (--out-link <out_link> | --no-link) <flake>#<attribute>`.
    pub fn build_to(&self, flake: &FlakeRef, attribute: &str, out_link: Option<&Path>) -> Command {
        let command = self.command().args(["build", "--json"]);
        let command = match out_link {
            Some(link) => command.arg("--out-link").arg(link),
            None => command.arg("--no-link"),
        };
        command.arg(flake.with_attribute(attribute))
    }

    /// `nix store diff-closures <old> <new>`: the packages whose versions or sizes differ
    /// between two closures (`name: 1.0 → 1.1, +12.0 KiB`).
    pub fn diff_closures(&self, old: &Path, new: &Path) -> Command {
        self.command()
            .args(["store", "diff-closures"])
            .arg(old)
            .arg(new)
    }

    /// `nix eval --raw <flake>#<attribute>.drvPath`: instantiates the derivation locally
    /// and prints its store path, so it can be built elsewhere.
    pub fn derivation(&self, flake: &FlakeRef, attribute: &str) -> Command {
        self.eval()
            .arg("--raw")
            .arg(flake.with_attribute(&format!("{attribute}.drvPath")))
    }

    /// `nix-env` from the same directory as `nix`, for profiles.
    pub fn nix_env(&self) -> Command {
        self.sibling("nix-env")
    }

    /// `nix-store --realise <path> --add-root <link>`: `path` kept from garbage
    /// collection by `link`.
    pub fn add_root(&self, path: &Path, link: &Path) -> Command {
        self.sibling("nix-store")
            .arg("--realise")
            .arg(path)
            .arg("--add-root")
            .arg(link)
    }

    /// A program from the same directory as `nix` (`nix-env`, `nix-build`, …).
    pub fn sibling(&self, name: &str) -> Command {
        let program = match self.program.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(dir) => dir.join(name),
            None => PathBuf::from(name),
        };
        Command::new(program)
    }

    /// The output path `nix build --json` printed.
    pub fn built_path(stdout: &[u8]) -> Option<PathBuf> {
        let value: serde_json::Value = serde_json::from_slice(stdout).ok()?;
        value
            .get(0)?
            .get("outputs")?
            .get("out")?
            .as_str()
            .map(PathBuf::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_argv_and_result() {
        let nix = Nix::with_program("/run/current-system/sw/bin/nix");
        let flake = FlakeRef::new(Path::new("/cfg"), None).expect("valid");
        let command = nix.build(
            &flake,
            "homeConfigurations.\"alice\".activationPackage",
            Path::new("/tmp/x/result"),
        );
        assert_eq!(
            command.argv(),
            [
                "/run/current-system/sw/bin/nix",
                "--extra-experimental-features",
                "nix-command flakes",
                "build",
                "--json",
                "--out-link",
                "/tmp/x/result",
                "path:/cfg#homeConfigurations.\"alice\".activationPackage",
            ]
        );
        assert_eq!(nix.nix_env().argv(), ["/run/current-system/sw/bin/nix-env"]);
        let printed = br#"[{"drvPath":"/nix/store/a.drv","outputs":{"out":"/nix/store/b-home-manager-generation"}}]"#;
        assert_eq!(
            Nix::built_path(printed),
            Some(PathBuf::from("/nix/store/b-home-manager-generation"))
        );
    }

    #[test]
    fn eval_argv() {
        let nix = Nix::with_program("/usr/bin/nix");
        let root = Path::new("/home/alice");
        let flake = FlakeRef::new(&root.join("config"), Some(root)).expect("valid");
        let command = nix.eval_json(
            &flake,
            "homeConfigurations.\"a;b\".activationPackage.drvPath",
        );
        assert_eq!(
            command.argv(),
            [
                "/usr/bin/nix",
                "--extra-experimental-features",
                "nix-command flakes",
                "eval",
                "--json",
                "--show-trace",
                "git+file:///home/alice?dir=config#homeConfigurations.\"a;b\".activationPackage.drvPath",
            ]
        );
    }
}
