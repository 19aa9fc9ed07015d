use hm_model::ProblemKind;

use crate::Docs;

loading_problem_rule! {
    DuplicateAttribute, "HM103", "duplicate-attribute", ProblemKind::DuplicateAttribute,
    label: "defined again here",
    help: "define each name once: write both with dotted paths, or both inside one `{ … }`",
    docs: Docs {
        what: "An attribute defined twice in one attribute set, including a name on both sides of a set Nix merges (`a.b = …; a = { b = …; };`).",
        why: "Nix rejects it with \"attribute already defined\". It merges a set written with `{ … }` into one built by dotted paths only one level deep, so nested and dotted styles clash easily.",
        example: "systemd.user.services.a = { … };\nsystemd = {\n  user.services.b = { … };   # `user` is already defined above\n};\n# fix: systemd.user.services.b = { … };",
    }
}
