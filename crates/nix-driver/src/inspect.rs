//! Looking into a configuration with Nix: its derivation, an option's value, `nix repl`,
//! the packages of a generation.

use std::path::Path;

use crate::{Command, FlakeRef, Nix};

impl Nix {
    /// `nix eval --raw <flake>#<attribute>`.
    pub fn eval_raw(&self, flake: &FlakeRef, attribute: &str) -> Command {
        self.command()
            .args(["eval", "--raw"])
            .arg(flake.with_attribute(attribute))
    }

    /// `nix repl --expr <expression>`.
    pub fn repl_expr(&self, expression: &str) -> Command {
        self.command().args(["repl", "--expr", expression])
    }

    /// `nix profile remove <name>`.
    pub fn profile_remove(&self, name: &str) -> Command {
        self.command().args(["profile", "remove", name])
    }

    /// `nix-store --query --references <path>`.
    pub fn references(&self, path: &Path) -> Command {
        self.sibling("nix-store")
            .args(["--query", "--references"])
            .arg(path)
    }
}

/// Package names from store paths (`/nix/store/<hash>-ripgrep-14.1.0` -> `ripgrep-14.1.0`),
/// sorted without regard to case, as the home-manager CLI lists them.
pub fn package_names(paths: &str) -> Vec<String> {
    let mut names: Vec<String> = paths
        .lines()
        .filter_map(|line| {
            let name = Path::new(line.trim()).file_name()?.to_str()?;
            Some(
                name.split_once('-')
                    .map_or(name, |(_, rest)| rest)
                    .to_string(),
            )
        })
        .collect();
    names.sort_by_key(|n| n.to_lowercase());
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_without_hashes_sorted_ignoring_case() {
        assert_eq!(
            package_names(
                "/nix/store/aaa-ripgrep-14.1.0\n/nix/store/bbb-Foo-1\n/nix/store/ccc-bat-0.24\n"
            ),
            ["bat-0.24", "Foo-1", "ripgrep-14.1.0"]
        );
    }
}
