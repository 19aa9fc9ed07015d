use hm_diagnostics::{Diagnostic, Severity};
use hm_model::ProblemKind;

use super::{ERROR, report_problems};
use crate::{Context, Docs, Rule};

pub struct ImportCycle;

impl Rule for ImportCycle {
    fn code(&self) -> &'static str {
        "HM102"
    }
    fn name(&self) -> &'static str {
        "import-cycle"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn is_loading_problem(&self) -> bool {
        true
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "Files that `import` each other in a loop.",
            why: "`import` evaluates the file, so a loop never finishes: Nix reports infinite recursion. (Modules listed in `imports = [ … ]` may import each other: the module system loads each file once.)",
            example: "# a.nix\n{ x = (import ./b.nix).y; }\n# b.nix\n{ y = (import ./a.nix).x; }",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let help = "break the loop: move what both files need into a third file, or use `imports` for modules";
        report_problems(
            cx,
            self,
            ProblemKind::ImportCycle,
            "this import closes the loop",
            help,
            out,
        );
    }
}
