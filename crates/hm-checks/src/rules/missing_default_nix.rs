use hm_model::ProblemKind;

use crate::Docs;

loading_problem_rule! {
    MissingDefaultNix, "HM104", "missing-default-nix", ProblemKind::MissingDefaultNix,
    label: "imported here",
    help: "add a default.nix that imports the files, or import the files themselves",
    docs: Docs {
        what: "An import of a directory that has no `default.nix`.",
        why: "Importing a directory means importing its `default.nix`; without one Nix fails to read it.",
        example: "imports = [ ./services ];   # services/ holds a.nix and b.nix but no default.nix\n# fix: imports = [ ./services/a.nix ./services/b.nix ];",
    }
}
