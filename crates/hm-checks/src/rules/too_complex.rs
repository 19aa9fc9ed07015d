use hm_model::ProblemKind;

use crate::Docs;

loading_problem_rule! {
    TooComplex, "HM002", "too-complex-to-analyse", ProblemKind::TooComplex,
    label: "hm stops here",
    help: "Nix may still evaluate this file, but hm cannot see into it: split the expression, e.g. bind its parts with `let`, or put spaces between the tokens",
    docs: Docs {
        what: "Valid Nix that is too long or too deeply nested for hm to analyse: more than 4,000 operators or arguments in a row, more than 4,000 tokens with no space between them (`a.a.a.…`), or expressions nested more than 2,000 deep.",
        why: "Parsing such shapes takes time that grows with the square of their length (100,000 unary minus took 24 seconds), so hm stops before parsing the file and treats what it holds as unknown. Hand-written configurations stay far below these limits; generated files are what reach them.",
        example: "{\n  x = - - - - - - - - 1;   # … 5,000 times\n}",
    }
}
