use hm_diagnostics::{Diagnostic, Severity};
use hm_model::ProblemKind;

use super::{ERROR, report_problems};
use crate::{Context, Docs, Rule};

pub struct MissingDefaultNix;

impl Rule for MissingDefaultNix {
    fn code(&self) -> &'static str {
        "HM104"
    }
    fn name(&self) -> &'static str {
        "missing-default-nix"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn is_loading_problem(&self) -> bool {
        true
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "An import of a directory that has no `default.nix`.",
            why: "Importing a directory means importing its `default.nix`; without one Nix fails to read it.",
            example: "imports = [ ./services ];   # services/ holds a.nix and b.nix but no default.nix\n# fix: imports = [ ./services/a.nix ./services/b.nix ];",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let help = "add a default.nix that imports the files, or import the files themselves";
        report_problems(
            cx,
            self,
            ProblemKind::MissingDefaultNix,
            "imported here",
            help,
            out,
        );
    }
}
