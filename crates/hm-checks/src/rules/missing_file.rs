use hm_diagnostics::{Diagnostic, Severity};
use hm_model::ProblemKind;

use super::{ERROR, report_problems};
use crate::{Context, Docs, Rule};

pub struct MissingFile;

impl Rule for MissingFile {
    fn code(&self) -> &'static str {
        "HM101"
    }
    fn name(&self) -> &'static str {
        "missing-file"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn is_loading_problem(&self) -> bool {
        true
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "An imported file or module (in `imports`, `import`, `modules`, or `home-manager.users.<name> = ./file.nix`) that does not exist or cannot be read as text.",
            why: "Nix fails with \"path does not exist\" when it gets there, which may be deep inside an evaluation.",
            example: "imports = [ ./programs/git.nix ];   # programs/git.nix was renamed to programs/vcs.nix",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let help = "check the path: it is relative to the file that contains it";
        report_problems(cx, self, ProblemKind::Import, "imported here", help, out);
    }
}
