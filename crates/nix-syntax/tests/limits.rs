//! The limits checked before rnix parses a file: the shapes that make its time quadratic
//! are stopped at once with a ranged error, shapes just under the limits parse as usual,
//! and no real Nix file comes near them — every `.nix` file of this repository, and of the
//! trees named in `HM_TEST_NIX_TREES` (colon-separated; e.g. a Home Manager checkout and
//! nixpkgs' lib), skipped with a message when unset.

use std::path::{Path, PathBuf};

fn limited(text: &str) -> nix_syntax::SyntaxError {
    let error = nix_syntax::check_limits(text).expect("a limit error");
    let parsed = nix_syntax::parse(text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(parsed.too_complex, Some(error.clone()));
    error
}

const N: usize = 100_000;

#[test]
fn unspaced_runs_are_stopped_where_they_start() {
    for (text, start) in [
        (format!("{{ x = {}1; }}", "-".repeat(N)), 6),
        (format!("{{ {}b = 1; }}", "a.".repeat(N)), 2),
        (format!("{{ x = {}1; }}", "1+".repeat(N)), 6),
        (format!("{{ x = y{}; }}", ".a".repeat(N)), 6),
    ] {
        let error = limited(&text);
        assert_eq!(error.range.start, start, "{}", error.message);
        assert!(
            error.message.contains("no space between them"),
            "{}",
            error.message
        );
    }
}

#[test]
fn long_chains_of_operators_or_arguments_are_stopped() {
    for text in [
        format!("let f = x: x; in {{ x = {}1; }}", "f ".repeat(N)),
        format!("{{ x = {}1; }}", "- ".repeat(N)),
        format!("{{ x = {}true; }}", "!".repeat(N)),
        format!("{{ x = {}1; }}", "1 + ".repeat(N)),
        format!("{{ x = ({}1); }}", "1 * ".repeat(N)),
        format!("{{ x = \"${{{}1}}\"; }}", "1 + ".repeat(N)),
    ] {
        let error = limited(&text);
        assert!(
            error.message.contains("operators or arguments in a row"),
            "{}",
            error.message
        );
    }
}

#[test]
fn many_chains_under_the_limit_add_up() {
    let text: String = (0..40)
        .map(|i| format!("x{i} = {}1;\n", "- ".repeat(3_000)))
        .collect();
    let error = limited(&format!("{{\n{text}}}"));
    assert!(error.message.contains("too complex"), "{}", error.message);
}

#[test]
fn shapes_under_the_limits_and_what_is_not_code_parse_as_usual() {
    let items: String = (0..20_000).map(|i| format!("\"item-{i}\" ")).collect();
    let names: String = (0..20_000).map(|i| format!("n{i} ")).collect();
    let words = "word ".repeat(20_000);
    for text in [
        format!("{{ x = {}1; }}", "- ".repeat(3_900)),
        format!("{{ x = y{}; }}", ".a".repeat(3_900)),
        format!("[ {items}]"),
        format!("{{ inherit (pkgs) {names}; }}"),
        format!("{{ x = \"{words}\"; y = ''{words}''; }}"),
        format!("{{ x = \"${{a}} {words} ${{b}}\"; }}"),
        format!("# {}\n{{ }}", "a.".repeat(N)),
        format!("/* {} */ {{ }}", "- ".repeat(N)),
        format!("{{ x = ./{}; }}", "a/".repeat(N)),
    ] {
        assert_eq!(nix_syntax::check_limits(&text), None, "{}", &text[..60]);
    }
}

fn nix_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        // `target`, git's data, and the fixture of the check that reports these limits.
        let skipped = ["target", ".git", "HM002-too-complex"];
        if kind.is_dir() && !skipped.iter().any(|name| path.ends_with(name)) {
            nix_files(&path, out);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "nix") {
            out.push(path);
        }
    }
}

#[test]
fn real_files_stay_under_the_limits() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut roots = vec![repo];
    match std::env::var_os("HM_TEST_NIX_TREES") {
        Some(trees) => roots.extend(std::env::split_paths(&trees)),
        None => eprintln!("HM_TEST_NIX_TREES not set: only this repository's files are read"),
    }
    let mut files = Vec::new();
    for root in &roots {
        nix_files(root, &mut files);
    }
    assert!(files.len() > 50, "found {} files", files.len());
    eprintln!("{} files read", files.len());
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if let Some(error) = nix_syntax::check_limits(&text) {
            panic!("{}: {error:?}", file.display());
        }
    }
}

#[test]
fn unclosed_strings_comments_and_brackets_end_the_scan() {
    for text in [
        "{ x = \"abc",
        "{ x = \"abc\\",
        "{ x = ''abc",
        "{ x = ''abc''",
        "{ x = ''a''\\",
        "/* abc",
        "# abc",
        "{ x = \"${",
        "{ x = ''${ ''",
        "]]]}}})))",
        "{ x = $",
    ] {
        assert_eq!(nix_syntax::check_limits(text), None, "{text}");
    }
}
