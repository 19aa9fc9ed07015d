//! `hm repl`: the configuration in `nix repl`, with the scope the home-manager CLI gives
//! (`config`, `options`, `pkgs`, `lib`, and `flake` for flakes).

use std::process::ExitCode;

use miette::Result;
use nix_driver::{ConfigFile, Nix};

use crate::build::choose_in_flake;
use crate::cli::Selection;
use crate::source::{self, Source};

/// The home-manager CLI's expression for a flake configuration, without its colours.
fn flake_expression(flake_url: &str, attribute: &str) -> String {
    format!(
        r#"
let
  flake = builtins.getFlake {url};
  configuration = flake.{attribute};
  motd = ''

    Home Manager configuration {attribute_text}
    in {url_text}

    In scope: config (option values), options, pkgs, lib, flake (outputs and inputs).
    :r reloads after a change; :? lists the repl's commands.
  '';
  scope =
    assert configuration.class or "homeManager" == "homeManager";
    {{
      inherit (configuration) config options pkgs;
      inherit (configuration.pkgs) lib;
      inherit flake;
    }};
in builtins.seq scope builtins.trace motd scope
"#,
        url = nix_driver::nix_string(flake_url),
        url_text = flake_url.replace("''", "'''").replace("${", "''${"),
        attribute_text = attribute.replace("''", "'''").replace("${", "''${"),
    )
}

pub fn run(selection: &Selection) -> Result<ExitCode> {
    let nix = Nix::default();
    let resolved = source::resolve(selection)?;
    eprintln!("hm: {}", resolved.announce());
    let command = match &resolved.source {
        Source::Flake(flake) => {
            let choice = match choose_in_flake(selection, flake, &nix, false)? {
                Ok(choice) => choice,
                Err(code) => return Ok(code),
            };
            let expression =
                flake_expression(choice.reference.url(), &choice.configuration.attribute);
            nix.repl_expr(&expression).args(selection.nix.argv())
        }
        Source::File { path, attribute } => {
            let config = ConfigFile {
                file: path,
                attribute,
                include: &selection.include,
            };
            nix.repl_config(&config, &selection.nix.argv())
        }
    };
    let status = command
        .interactive()
        .run_attached()
        .map_err(crate::nix_run::not_found)?;
    Ok(match status {
        Some(0) => ExitCode::SUCCESS,
        _ => ExitCode::from(crate::exit::FAILED),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expression_parses_and_quotes_the_reference() {
        let text = flake_expression("path:/a\"b${x}", "homeConfigurations.\"alice\"");
        assert!(
            text.contains(r#"builtins.getFlake "path:/a\"b\${x}""#),
            "{text}"
        );
        assert!(nix_syntax::parse(&text).errors.is_empty(), "{text}");
    }
}
