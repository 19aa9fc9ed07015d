use hm_diagnostics::{Diagnostic, Severity};

use super::WARNING;
use crate::{Context, Docs, Rule};

pub struct UndeclaredInput;

impl Rule for UndeclaredInput {
    fn code(&self) -> &'static str {
        "HM106"
    }
    fn name(&self) -> &'static str {
        "undeclared-input"
    }
    fn severity(&self) -> Severity {
        WARNING
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A flake input the `outputs` function uses (`{ self, nixpkgs, home-manager, ... }:` or `inputs.home-manager`) that `inputs` does not declare.",
            why: "Nix then looks the name up in the flake registry: flake.lock pins whatever the registry pointed at when the lock was written (and again at each `nix flake update`), not a source you chose, and its `nixpkgs` cannot follow yours.",
            example: "inputs.nixpkgs.url = \"github:nixos/nixpkgs/nixos-unstable\";\noutputs = { nixpkgs, home-manager, ... }: …   # home-manager is not an input\n# fix:\ninputs.home-manager = {\n  url = \"github:nix-community/home-manager\";\n  inputs.nixpkgs.follows = \"nixpkgs\";\n};",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(flake) = &cx.analysis.inventory.flake else {
            return;
        };
        let mut reported: Vec<&str> = Vec::new();
        for (name, span) in &flake.used_inputs {
            if name == "self"
                || reported.contains(&name.as_str())
                || flake.inputs.iter().any(|i| &i.name == name)
            {
                continue;
            }
            reported.push(name);
            let mut diagnostic = Diagnostic::new(
                self.code(),
                self.severity(),
                format!("input `{name}` is used but not declared in `inputs`"),
            )
            .at(*span, "used here")
            .help(format!(
                "declare it, so its source is yours rather than the flake registry's: inputs.{name}.url = \"…\";{}",
                if name == "home-manager" {
                    " and add inputs.home-manager.inputs.nixpkgs.follows = \"nixpkgs\";"
                } else {
                    ""
                }
            ));
            if let Some(inputs) = flake.inputs_span {
                diagnostic = diagnostic.also(inputs, "inputs are declared here");
            }
            out.push(diagnostic);
        }
    }
}
