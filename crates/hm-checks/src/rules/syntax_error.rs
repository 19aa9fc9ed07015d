use hm_diagnostics::{Diagnostic, Severity};
use hm_model::ProblemKind;

use super::{ERROR, report_problems};
use crate::{Context, Docs, Rule};

pub struct SyntaxError;

impl Rule for SyntaxError {
    fn code(&self) -> &'static str {
        "HM001"
    }
    fn name(&self) -> &'static str {
        "syntax-error"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn is_loading_problem(&self) -> bool {
        true
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A file that is not valid Nix.",
            why: "Nix stops at the first syntax error, so nothing in the configuration can be built or switched to. hm reports every error it can find, and an unexpected end of file at the end of the file.",
            example: "{\n  home.username = \"alice\"   # missing `;`\n  home.stateVersion = \"24.11\";\n}",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let help = "fix the syntax; `nix-instantiate --parse FILE` shows how Nix reads it";
        report_problems(cx, self, ProblemKind::Syntax, "here", help, out);
    }
}
