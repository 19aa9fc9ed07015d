use hm_diagnostics::{Diagnostic, Severity};
use hm_model::ProblemKind;

use super::{ERROR, report_problems};
use crate::{Context, Docs, Rule};

pub struct DuplicateAttribute;

impl Rule for DuplicateAttribute {
    fn code(&self) -> &'static str {
        "HM103"
    }
    fn name(&self) -> &'static str {
        "duplicate-attribute"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn is_loading_problem(&self) -> bool {
        true
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "An attribute defined twice in one attribute set, including a name on both sides of a set Nix merges (`a.b = …; a = { b = …; };`).",
            why: "Nix rejects it with \"attribute already defined\". It merges a set written with `{ … }` into one built by dotted paths only one level deep, so nested and dotted styles clash easily.",
            example: "systemd.user.services.a = { … };\nsystemd = {\n  user.services.b = { … };   # `user` is already defined above\n};\n# fix: systemd.user.services.b = { … };",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let help =
            "define each name once: write both with dotted paths, or both inside one `{ … }`";
        report_problems(
            cx,
            self,
            ProblemKind::DuplicateAttribute,
            "defined again here",
            help,
            out,
        );
    }
}
