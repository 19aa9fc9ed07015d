//! Which configuration a command works on, and reading it.

use std::path::PathBuf;

use hm_model::{Analysis, Options, analyse_with};
use miette::{IntoDiagnostic, Result, miette};

use crate::cli::{Selection, Target};
use crate::source::{self, Flake, Source};

/// The given path, else the current directory if it holds a configuration, else where
/// `hm build` looks (see `source`: HM_FLAKE, NH_HOME_FLAKE, NH_FLAKE, HOME_MANAGER_CONFIG,
/// ~/.config/home-manager and the deprecated places).
pub fn resolve(target: &Target) -> Result<PathBuf> {
    if let Some(path) = &target.path {
        return Ok(path.clone());
    }
    let cwd = std::env::current_dir().into_diagnostic()?;
    if hm_model::resolve_entry(&cwd).is_ok() {
        eprintln!("hm: using {} (the current directory)", cwd.display());
        return Ok(cwd);
    }
    let resolved = source::resolve(&Selection::default())?;
    eprintln!("hm: {}", resolved.announce());
    match resolved.source {
        Source::File { path, .. } => Ok(path),
        Source::Flake(Flake { dir: Some(dir), .. }) => Ok(dir),
        Source::Flake(flake) => Err(miette!(
            code = "hm::not-local",
            help = "clone it and pass its directory",
            "{} is not on this machine, so hm cannot read it",
            flake.shown()
        )),
    }
}

/// The analysis of `target`; a flake read as `nix … --impure` reads it when `impure`.
pub fn load(target: &Target, impure: bool) -> Result<Analysis> {
    let path = resolve(target)?;
    analyse_with(&path, Options { impure }).map_err(|e| miette!(code = "hm::cannot-analyse", "{e}"))
}

/// Leaves `analysis` for the process's exit to reclaim: the command ends next, and
/// freeing a large inventory item by item would only cost time (5% of `hm services` on
/// 100,000 services).
pub fn keep_until_exit(analysis: Analysis) {
    std::mem::forget(analysis);
}
