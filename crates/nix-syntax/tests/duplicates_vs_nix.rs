//! Duplicate attributes are found exactly where `nix-instantiate --parse` rejects a file:
//! on inline cases and on every Nix file of the repository's fixtures, examples and
//! stand-ins. Without Nix (outside CI) the test says so and passes.

use std::path::{Path, PathBuf};
use std::process::Command;

fn nix_available() -> bool {
    let found = Command::new("nix-instantiate")
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "nix-instantiate is required under CI"
        );
        eprintln!("skipped: nix-instantiate not found");
    }
    found
}

/// Whether Nix's parser rejects `text` for a duplicate attribute.
fn nix_rejects(text: &str) -> bool {
    let out = Command::new("nix-instantiate")
        .args(["--parse", "-E", text])
        .output()
        .expect("run nix-instantiate");
    !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("already defined")
}

fn ours(text: &str) -> bool {
    !nix_syntax::parse(text).duplicates.is_empty()
}

const CASES: &[&str] = &[
    "{ a = 1; a = 2; }",
    "{ a.b = 1; a.c = 2; }",
    "{ a.b = 1; a.b = 2; }",
    "{ a = { b = 1; }; a.c = 2; }",
    "{ a = { b = 1; }; a.b = 2; }",
    "{ a = rec { b = 1; }; a.c = 2; }",
    "{ inherit a; a = 1; }",
    "let a = 1; a = 2; in a",
    "let x = { y = 1; y = 2; }; in 1",
    "{ a = 1; \"a\" = 2; }",
    "{ a.b.c = 1; a.b = { d = 2; }; }",
    "{ a = x; a.b = 1; }",
    "rec { a = 1; b = a; }",
    "{ p.m = 1; p = { z.e = true; z.c = false; }; }",
    "{ p.m = 1; p = { z.e = true; m = false; }; }",
];

#[test]
fn inline_cases_agree_with_nix() {
    if !nix_available() {
        return;
    }
    for case in CASES {
        assert_eq!(ours(case), nix_rejects(case), "{case}");
    }
}

fn nix_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            nix_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "nix") {
            out.push(path);
        }
    }
}

#[test]
fn repository_files_agree_with_nix() {
    if !nix_available() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["tests/fixtures", "examples", "nix"] {
        nix_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 20);
    let mut disagreements = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let out = Command::new("nix-instantiate")
            .args(["--parse"])
            .arg(file)
            .output()
            .expect("run nix-instantiate");
        let theirs = !out.status.success()
            && String::from_utf8_lossy(&out.stderr).contains("already defined");
        if ours(&text) != theirs {
            disagreements.push(file.display().to_string());
        }
    }
    assert!(
        disagreements.is_empty(),
        "disagree with nix-instantiate --parse: {disagreements:?}"
    );
}
