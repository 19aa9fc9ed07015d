use hm_diagnostics::{Diagnostic, Severity};

use super::ERROR;
use crate::{Context, Docs, Rule};

pub struct UnresolvedModule;

impl Rule for UnresolvedModule {
    fn code(&self) -> &'static str {
        "HM108"
    }
    fn name(&self) -> &'static str {
        "unresolved-module"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A Home Manager user whose configuration module cannot be found: a `homeConfigurations` entry with no `modules`, or a `home-manager.users.<name>` or `modules` entry that does not evaluate to a module.",
            why: "Home Manager would build that user from nothing, or Nix fails evaluating the module reference.",
            example: "homeConfigurations.alice = home-manager.lib.homeManagerConfiguration {\n  inherit pkgs;\n  modules = [ homeModules.alice ];   # `homeModules` is not defined\n};",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let inventory = &cx.analysis.inventory;
        for user in &inventory.users {
            let problems: Vec<_> = inventory
                .dynamic
                .iter()
                .filter(|d| d.defines == "modules" && d.user.as_deref() == Some(&user.name))
                .filter(|d| d.error)
                .collect();
            for problem in &problems {
                let mut diagnostic = Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!(
                        "a module of user `{}` cannot be found: {}",
                        user.name, problem.reason
                    ),
                );
                diagnostic = match problem.span {
                    Some(span) => diagnostic
                        .at(span, "this module")
                        .also(user.span, "user defined here"),
                    None => diagnostic.at(user.span, "user defined here"),
                };
                out.push(diagnostic.help("modules are paths, functions or attribute sets"));
            }
            if user.declared_modules == 0 {
                out.push(
                    Diagnostic::new(
                        self.code(),
                        self.severity(),
                        format!("user `{}` has no Home Manager module", user.name),
                    )
                    .at(user.span, "defined here")
                    .help("give it one: `modules = [ ./home.nix ];`, or `home-manager.users.<name> = import ./home.nix;`"),
                );
            }
        }
    }
}
