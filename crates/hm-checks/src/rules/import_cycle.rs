use hm_model::ProblemKind;

use crate::Docs;

loading_problem_rule! {
    ImportCycle, "HM102", "import-cycle", ProblemKind::ImportCycle,
    label: "this import closes the loop",
    help: "break the loop: move what both files need into a third file, or use `imports` for modules",
    docs: Docs {
        what: "Files that `import` each other in a loop.",
        why: "`import` evaluates the file, so a loop never finishes: Nix reports infinite recursion. (Modules listed in `imports = [ … ]` may import each other: the module system loads each file once.)",
        example: "# a.nix\n{ x = (import ./b.nix).y; }\n# b.nix\n{ y = (import ./a.nix).x; }",
    }
}
