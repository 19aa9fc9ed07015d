use hm_model::ProblemKind;

use crate::Docs;

loading_problem_rule! {
    SyntaxError, "HM001", "syntax-error", ProblemKind::Syntax,
    label: "here",
    help: "fix the syntax; `nix-instantiate --parse FILE` shows how Nix reads it",
    docs: Docs {
        what: "A file that is not valid Nix.",
        why: "Nix stops at the first syntax error, so nothing in the configuration can be built or switched to. hm reports every error it can find, and an unexpected end of file at the end of the file.",
        example: "{\n  home.username = \"alice\"   # missing `;`\n  home.stateVersion = \"24.11\";\n}",
    }
}
