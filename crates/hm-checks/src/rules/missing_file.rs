use hm_model::ProblemKind;

use crate::Docs;

loading_problem_rule! {
    MissingFile, "HM101", "missing-file", ProblemKind::Import,
    label: "imported here",
    help: "check the path: it is relative to the file that contains it",
    docs: Docs {
        what: "An imported file or module (in `imports`, `import`, `modules`, or `home-manager.users.<name> = ./file.nix`) that does not exist or cannot be read as text. An `import` in a function parameter's default (`{ pkgs ? import ../nixpkgs.nix { } }:`) is reported only when the evaluation uses the default: Nix reads it for no other caller.",
        why: "Nix fails with \"path does not exist\" when it gets there, which may be deep inside an evaluation.",
        example: "imports = [ ./programs/git.nix ];   # programs/git.nix was renamed to programs/vcs.nix",
    }
}
