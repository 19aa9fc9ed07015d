use hm_diagnostics::{Diagnostic, Severity};

use super::ERROR;
use crate::{Context, Docs, Rule};

pub struct UnsetOption;

impl Rule for UnsetOption {
    fn code(&self) -> &'static str {
        "HM306"
    }
    fn name(&self) -> &'static str {
        "option-without-value"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "An option your own files declare without a `default`, read in the condition of a service or agent, where no module of the configuration sets it. Reported only when hm read every module of the configuration: a module it could not read (another flake's, or one computed) might set it.",
            why: "Nix fails evaluating the configuration: \"The option `my.type' was accessed but has no value defined\". The condition is evaluated whenever Home Manager builds the units, so the whole configuration fails to build, not just that service.",
            example: "options.my.type = lib.mkOption { type = lib.types.enum [ \"base\" \"desktop\" ]; };\nconfig.systemd.user.services.foo = lib.mkIf (config.my.type == \"desktop\") { … };\n# and no module sets `my.type`",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let mut seen = Vec::new();
        for unset in &cx.analysis.inventory.unset_options {
            // Once per place it is read (the same module may serve several users).
            if seen.contains(&unset.read) {
                continue;
            }
            seen.push(unset.read);
            let mut diagnostic = Diagnostic::new(
                self.code(),
                self.severity(),
                format!("{} (configuration of `{}`)", unset.message, unset.user),
            )
            .at(unset.read, "read here");
            if let Some(declared) = unset.declared {
                diagnostic = diagnostic.also(declared, "declared here, without a default");
            }
            out.push(
                diagnostic.help(
                    "set it in a module of this configuration, or give the option a `default`",
                ),
            );
        }
    }
}
