//! `hm instantiate`: the activation package's derivation, as the home-manager CLI's
//! `instantiate` prints it (`nix-instantiate`); for flakes, which the CLI refuses,
//! `nix eval --raw …activationPackage.drvPath`.

use std::io::Write;
use std::process::ExitCode;

use miette::{IntoDiagnostic, Result};
use nix_driver::{ConfigFile, Nix};

use crate::build::choose_in_flake;
use crate::cli::Selection;
use crate::source::{self, Source};

pub fn run(selection: &Selection, out: &mut impl Write) -> Result<ExitCode> {
    let nix = Nix::default();
    let resolved = source::resolve(selection)?;
    eprintln!("hm: {}", resolved.announce());
    let command = match &resolved.source {
        Source::Flake(flake) => {
            let choice = match choose_in_flake(selection, flake, &nix, false)? {
                Ok(choice) => choice,
                Err(code) => return Ok(code),
            };
            let attribute = format!("{}.drvPath", choice.configuration.activation());
            nix.eval_raw(&choice.reference, &attribute)
                .args(selection.nix.argv())
        }
        Source::File { path, attribute } => {
            let config = ConfigFile {
                file: path,
                attribute,
                include: &selection.include,
            };
            nix.nix_instantiate_config(&config, false, &selection.nix.argv())
        }
    };
    let finished = command
        .run_streaming(&mut |line| eprintln!("{line}"))
        .map_err(crate::nix_run::not_found)?;
    if !finished.success() {
        eprintln!("hm: `{}` failed", command.display());
        return Ok(ExitCode::from(crate::exit::FAILED));
    }
    out.write_all(&finished.stdout).into_diagnostic()?;
    if !finished.stdout.ends_with(b"\n") {
        writeln!(out).into_diagnostic()?;
    }
    Ok(ExitCode::SUCCESS)
}
