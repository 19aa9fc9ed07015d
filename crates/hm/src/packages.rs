//! `hm packages`: the packages the current generation installs — the references of its
//! `home-path`, as the home-manager CLI lists those of `home-manager-path`.

use std::io::Write;
use std::process::ExitCode;

use miette::{IntoDiagnostic, Result, miette};
use nix_driver::{Nix, package_names};

use crate::switch;

pub fn run(out: &mut impl Write) -> Result<ExitCode> {
    let cx = switch::Context::for_user()?;
    let Some(generation) = cx.active() else {
        eprintln!("hm: no Home Manager packages seem to be installed (no generation is active)");
        return Ok(ExitCode::SUCCESS);
    };
    let home_path = generation.join("home-path");
    if !home_path.exists() {
        eprintln!(
            "hm: {} has no home-path: it installs no packages",
            generation.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let listed = Nix::default()
        .references(&home_path)
        .run_checked()
        .map_err(|e| miette!(code = "hm::nix-store", "{e}"))?;
    for name in package_names(&String::from_utf8_lossy(&listed.stdout)) {
        writeln!(out, "{name}").into_diagnostic()?;
    }
    Ok(ExitCode::SUCCESS)
}
