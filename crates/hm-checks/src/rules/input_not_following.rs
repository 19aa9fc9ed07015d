use hm_diagnostics::{Diagnostic, Severity};

use super::WARNING;
use crate::{Context, Docs, Rule};

pub struct InputNotFollowing;

impl Rule for InputNotFollowing {
    fn code(&self) -> &'static str {
        "HM107"
    }
    fn name(&self) -> &'static str {
        "input-not-following"
    }
    fn severity(&self) -> Severity {
        WARNING
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A `home-manager` input without `inputs.nixpkgs.follows = \"nixpkgs\"` in a flake that has its own `nixpkgs` input.",
            why: "Home Manager then evaluates against a second nixpkgs: twice the download and evaluation, and modules built for a nixpkgs other than your system's. Home Manager's installation instructions set `follows`.",
            example: "inputs.home-manager.url = \"github:nix-community/home-manager\";\n# fix:\ninputs.home-manager.inputs.nixpkgs.follows = \"nixpkgs\";",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(flake) = &cx.analysis.inventory.flake else {
            return;
        };
        if !flake.inputs.iter().any(|i| i.name == "nixpkgs") {
            return;
        }
        for input in flake.inputs.iter().filter(|i| i.name == "home-manager") {
            if input
                .follows
                .iter()
                .any(|(nested, _, _)| nested == "nixpkgs")
            {
                continue;
            }
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.severity(),
                    "the `home-manager` input does not follow your `nixpkgs`",
                )
                .at(input.span, "declared here")
                .help("add: inputs.home-manager.inputs.nixpkgs.follows = \"nixpkgs\";"),
            );
        }
    }
}
