//! `hm option NAME`: an option's value and where it is defined. From the files when every
//! definition's value is written there (no evaluation), else from `nix eval` — which the
//! home-manager CLI cannot do for flakes.

use std::io::Write;
use std::process::ExitCode;

use hm_diagnostics::Location;
use hm_model::{Analysis, FieldValue};
use miette::{IntoDiagnostic, Result, miette};
use nix_driver::{ConfigFile, Nix};

use crate::build::choose_in_flake;
use crate::cli::OptionArgs;
use crate::source::{self, Source};

/// A definition found in the files: where, and its value when written there.
struct Written {
    path: String,
    at: String,
    value: Option<FieldValue>,
}

fn written(analysis: &Analysis, user: &str, name: &[String], recursive: bool) -> Vec<Written> {
    analysis
        .inventory
        .option_definitions
        .iter()
        .filter(|d| *d.user == *user)
        .filter(|d| {
            let below =
                d.path.len() >= name.len() && d.path.iter().zip(name).all(|(p, n)| **p == **n);
            below && (d.path.len() == name.len() || recursive)
        })
        .map(|d| Written {
            path: d.path.join("."),
            at: Location::new(&analysis.db, &analysis.root, d.span).short(),
            value: d.value.clone(),
        })
        .collect()
}

/// `a.b."c d"`: each component as a Nix attribute name.
fn attribute_path(name: &[String]) -> String {
    name.iter()
        .map(|part| {
            let plain = part
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-'".contains(c));
            if plain {
                part.clone()
            } else {
                nix_driver::nix_string(part)
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

pub fn run(args: &OptionArgs, out: &mut impl Write) -> Result<ExitCode> {
    let name: Vec<String> = args.name.split('.').map(str::to_string).collect();
    if name.iter().any(String::is_empty) {
        return Err(miette!(
            code = "hm::bad-option-name",
            "`{}` is not an option name",
            args.name
        ));
    }
    let selection = &args.selection;
    let nix = Nix::default();
    let resolved = source::resolve(selection)?;
    eprintln!("hm: {}", resolved.announce());
    let (command, found) = match &resolved.source {
        Source::Flake(flake) => {
            let choice = match choose_in_flake(selection, flake, &nix, false)? {
                Ok(choice) => choice,
                Err(code) => return Ok(code),
            };
            let found = choice
                .analysis
                .as_ref()
                .map(|a| written(a, &choice.configuration.user, &name, args.recursive))
                .unwrap_or_default();
            let attribute = format!(
                "{}.{}",
                choice.configuration.config(),
                attribute_path(&name)
            );
            (nix.eval_json(&choice.reference, &attribute), found)
        }
        Source::File { path, attribute } => {
            let found = hm_model::analyse(path)
                .ok()
                .and_then(|a| {
                    let user = a.inventory.users.first()?.name.clone();
                    Some(written(&a, &user, &name, args.recursive))
                })
                .unwrap_or_default();
            let config = ConfigFile {
                file: path,
                attribute,
                include: &selection.include,
            };
            let mut passthrough: Vec<std::ffi::OsString> =
                ["--eval", "--strict", "--json", "--attr"]
                    .into_iter()
                    .map(Into::into)
                    .collect();
            passthrough.push(format!("config.{}", attribute_path(&name)).into());
            (
                nix.nix_instantiate_config(&config, false, &passthrough),
                found,
            )
        }
    };
    let statically_known = !found.is_empty() && found.iter().all(|w| w.value.is_some());
    if statically_known && !args.eval {
        writeln!(
            out,
            "Definitions (read from your files; --eval asks Nix for the merged value):"
        )
        .into_diagnostic()?;
        for w in &found {
            let value = w
                .value
                .as_ref()
                .and_then(|v| serde_json::to_string(v).ok())
                .unwrap_or_default();
            writeln!(out, "  {} = {value}  ({})", w.path, w.at).into_diagnostic()?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let command = command.args(selection.nix.argv());
    eprintln!("hm: asking Nix: {}", command.display());
    let finished = crate::nix_run::run(&command).map_err(crate::nix_run::not_found)?;
    if !finished.success() {
        let tail: Vec<&str> = finished
            .stderr
            .lines()
            .skip_while(|l| !l.starts_with("error:"))
            .collect();
        crate::output::eprint(&format!("{}\n", tail.join("\n")));
        return Ok(ExitCode::from(crate::exit::FAILED));
    }
    writeln!(out, "Value:").into_diagnostic()?;
    let value: serde_json::Value =
        serde_json::from_slice(&finished.stdout).unwrap_or(serde_json::Value::Null);
    let pretty = serde_json::to_string_pretty(&value).into_diagnostic()?;
    for line in pretty.lines() {
        writeln!(out, "  {line}").into_diagnostic()?;
    }
    writeln!(out, "Defined by:").into_diagnostic()?;
    if found.is_empty() {
        writeln!(
            out,
            "  (not in your files: a default or a module's definition)"
        )
        .into_diagnostic()?;
    }
    for w in &found {
        writeln!(out, "  {}  ({})", w.at, w.path).into_diagnostic()?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::attribute_path;

    #[test]
    fn attribute_paths_quote_what_they_must() {
        let name: Vec<String> = ["xdg", "configFile", "a b/c", "text"]
            .map(str::to_string)
            .to_vec();
        assert_eq!(attribute_path(&name), "xdg.configFile.\"a b/c\".text");
    }
}
