//! Which configuration a command works on, and reading it.

use std::path::PathBuf;

use hm_model::{Analysis, analyse};
use miette::{IntoDiagnostic, Result, miette};

use crate::cli::Target;

/// The given path, else the current directory if it holds a configuration, else
/// `~/.config/home-manager` (honouring `XDG_CONFIG_HOME`), where Home Manager looks.
fn resolve(target: &Target) -> Result<PathBuf> {
    if let Some(path) = &target.path {
        return Ok(path.clone());
    }
    let cwd = std::env::current_dir().into_diagnostic()?;
    if hm_model::resolve_entry(&cwd).is_ok() {
        return Ok(cwd);
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
    match config.map(|c| c.join("home-manager")) {
        Some(dir) if dir.is_dir() => Ok(dir),
        _ => Err(miette!(
            code = "hm::no-configuration",
            help = "pass a path: `hm check ./my-config`, or run hm inside a directory with flake.nix or home.nix",
            "no Home Manager configuration in {} or ~/.config/home-manager",
            cwd.display()
        )),
    }
}

pub fn load(target: &Target) -> Result<Analysis> {
    let path = resolve(target)?;
    analyse(&path).map_err(|e| miette!(code = "hm::cannot-analyse", "{e}"))
}
