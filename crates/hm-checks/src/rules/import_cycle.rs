use hm_model::ProblemKind;

use crate::Docs;

loading_problem_rule! {
    ImportCycle, "HM102", "import-cycle", ProblemKind::ImportCycle,
    label: "this import closes the loop",
    help: "break the loop: move what both files need into a third file, or use `imports` for modules",
    docs: Docs {
        what: "Files that `import` each other in a loop that evaluation runs into: each import leads to the next, because it is evaluated as soon as its file is, or sits in the attribute the previous one reads (`(import ./b.nix).y`).",
        why: "`import` evaluates the file, so such a loop never finishes: Nix reports infinite recursion. (A file may read an attribute of a file that imports it, `(import ./flake.nix).nixConfig`, when that attribute does not lead back; and modules listed in `imports = [ … ]` may import each other: the module system loads each file once.)",
        example: "# a.nix\n{ x = (import ./b.nix).y; }\n# b.nix\n{ y = (import ./a.nix).x; }",
    }
}
