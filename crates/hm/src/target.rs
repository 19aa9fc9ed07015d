//! Which configuration a command works on, and reading it.

use std::path::PathBuf;

use hm_model::{Analysis, analyse};
use miette::{IntoDiagnostic, Result, miette};

use crate::cli::Target;
use crate::output::note;

/// The given path, else the current directory if it holds a configuration, else
/// `HOME_MANAGER_CONFIG`, else where Home Manager looks: `~/.config/home-manager`, then the
/// deprecated `~/.config/nixpkgs` (with a warning) and `~/.nixpkgs/home.nix`
/// (`XDG_CONFIG_HOME` honoured).
fn resolve(target: &Target) -> Result<PathBuf> {
    if let Some(path) = &target.path {
        return Ok(path.clone());
    }
    let cwd = std::env::current_dir().into_diagnostic()?;
    if hm_model::resolve_entry(&cwd).is_ok() {
        return Ok(cwd);
    }
    if let Some(config) = std::env::var_os("HOME_MANAGER_CONFIG").filter(|c| !c.is_empty()) {
        let config = PathBuf::from(config);
        if !config.exists() {
            return Err(miette!(
                code = "hm::no-configuration",
                "HOME_MANAGER_CONFIG is {}, which does not exist",
                config.display()
            ));
        }
        return Ok(config);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".config")));
    let current = config.as_ref().map(|c| c.join("home-manager"));
    if let Some(dir) = current.filter(|d| d.is_dir()) {
        return Ok(dir);
    }
    let deprecated = [
        config.map(|c| c.join("nixpkgs")),
        home.map(|h| h.join(".nixpkgs")),
    ];
    for dir in deprecated.into_iter().flatten() {
        for file in ["flake.nix", "home.nix"] {
            if dir.join(file).is_file() {
                note!(
                    "hm: warning: keeping your Home Manager {file} in {} is deprecated; move it to ~/.config/home-manager",
                    dir.display()
                );
                return Ok(dir.join(file));
            }
        }
    }
    Err(miette!(
        code = "hm::no-configuration",
        help = "pass a path: `hm check ./my-config`, or run hm inside a directory with flake.nix or home.nix",
        "no Home Manager configuration in {}, HOME_MANAGER_CONFIG or ~/.config/home-manager",
        cwd.display()
    ))
}

pub fn load(target: &Target) -> Result<Analysis> {
    let path = resolve(target)?;
    analyse(&path).map_err(|e| miette!(code = "hm::cannot-analyse", "{e}"))
}
