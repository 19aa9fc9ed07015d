//! `hm check` and `hm explain`: every rule on its fixture (tests/fixtures/check/<CODE>-<name>),
//! in all three formats, snapshotted; the examples stay clean.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{copy_dir, example, fixture, hm, repo, transcript};

/// A copy of a check fixture outside any git repository, so git tracking (HM105) does not
/// depend on the checkout the tests run in.
fn isolated(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join(name);
    copy_dir(&fixture("check").join(name), &target);
    (dir, target)
}

/// Makes `path` a git repository tracking what `git add <files>` adds.
fn git_track(path: &Path, files: &[&str]) {
    let add: Vec<&str> = std::iter::once("add")
        .chain(files.iter().copied())
        .collect();
    for args in [&["init", "-q"][..], &add[..]] {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(path)
            .status()
            .expect("git");
        assert!(status.success(), "git {args:?}");
    }
}

fn check(path: &Path, args: &[&str]) -> Output {
    hm().arg("check")
        .arg(path)
        .args(args)
        .output()
        .expect("run hm")
}

fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture("check"))
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "HM105-untracked-file")
        .collect();
    names.sort();
    names
}

#[test]
fn every_rule_fires_on_its_fixture_in_every_format() {
    for name in fixtures() {
        let (_dir, path) = isolated(&name);
        let errfmt = check(&path, &["--format", "errfmt"]);
        let listed = String::from_utf8_lossy(&errfmt.stdout).into_owned();
        if let Some(code) = name.split('-').next().filter(|c| c.starts_with("HM")) {
            assert!(
                listed.contains(&format!("[{code}]")),
                "{name}: {code} did not fire:\n{listed}"
            );
        }
        insta::assert_snapshot!(format!("{name}__errfmt"), transcript(&errfmt));
        insta::assert_snapshot!(format!("{name}__human"), transcript(&check(&path, &[])));
        let json = check(&path, &["--format", "json"]);
        let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
        for d in value["diagnostics"].as_array().expect("diagnostics") {
            let code = d["code"].as_str().expect("code");
            let rule = hm_checks::rule(code).expect("a rule");
            assert_eq!(
                d["severity"].as_str(),
                Some(rule.severity().as_str()),
                "{name}: {code} is declared {:?}",
                rule.severity()
            );
        }
        insta::assert_json_snapshot!(format!("{name}__json"), value);
    }
}

#[test]
fn untracked_files_of_a_flake_in_git_are_errors() {
    let (_dir, path) = isolated("HM105-untracked-file");
    git_track(&path, &["flake.nix", "home.nix"]);
    let output = check(&path, &["--format", "errfmt"]);
    insta::assert_snapshot!("HM105-untracked-file__errfmt", transcript(&output));
    let human = check(&path, &[]);
    insta::assert_snapshot!("HM105-untracked-file__human", transcript(&human));
}

#[test]
fn the_examples_are_clean() {
    for path in [example("standalone"), example("nixos"), example("darwin")] {
        let output = check(&path, &[]);
        assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
        assert!(String::from_utf8_lossy(&output.stdout).starts_with("hm check: no problems found"));
    }
}

/// Realistic configurations that use Home Manager's options correctly: no finding at all.
/// Every fixture is checked and every failing one reported.
#[test]
fn clean_configurations_have_no_findings() {
    let mut names: Vec<String> = std::fs::read_dir(fixture("clean"))
        .expect("clean fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 30, "{} clean configurations", names.len());
    let failures: Vec<String> = names
        .iter()
        .filter_map(|name| {
            // Outside git, like the check fixtures.
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join(name);
            copy_dir(&fixture("clean").join(name), &path);
            let output = check(&path, &["--format", "errfmt"]);
            let findings = String::from_utf8_lossy(&output.stdout).into_owned();
            (output.status.code() != Some(0) || !findings.is_empty())
                .then(|| format!("{name}:\n{}", transcript(&output)))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn deny_sets_the_severity_that_fails() {
    let (_dir, path) = isolated("HM201-service-never-started");
    assert_eq!(
        check(&path, &[]).status.code(),
        Some(0),
        "warnings pass by default"
    );
    assert_eq!(check(&path, &["--deny", "warning"]).status.code(), Some(1));
    let (_dir, path) = isolated("HM202-system-target");
    assert_eq!(
        check(&path, &[]).status.code(),
        Some(1),
        "errors fail by default"
    );
}

#[test]
fn an_allow_comment_silences_one_finding() {
    let (_dir, path) = isolated("allow-comment");
    let output = check(&path, &["--format", "errfmt"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
}

#[test]
fn explain_prints_what_why_and_example() {
    let output = hm().args(["explain", "HM201"]).output().expect("run hm");
    insta::assert_snapshot!("explain_HM201", transcript(&output));
    let by_name = hm()
        .args(["explain", "service-never-started"])
        .output()
        .expect("run hm");
    assert_eq!(by_name.stdout, output.stdout);
    let list = hm().arg("explain").output().expect("run hm");
    insta::assert_snapshot!("explain_list", transcript(&list));
}

#[test]
fn explain_of_an_unknown_code_is_an_error() {
    let output = hm().args(["explain", "HM999"]).output().expect("run hm");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no check named `HM999`"));
}

#[test]
fn every_rule_is_documented_and_has_a_fixture() {
    let fixtures = fixtures();
    for rule in hm_checks_codes() {
        if rule == "HM901" || rule == "HM105" {
            continue; // exercised by nix_eval.rs and the git test above
        }
        assert!(
            fixtures.iter().any(|f| f.starts_with(&format!("{rule}-"))),
            "no fixture for {rule} under tests/fixtures/check"
        );
    }
}

/// Codes as `hm explain` lists them.
fn hm_checks_codes() -> Vec<String> {
    let output = hm().arg("explain").output().expect("run hm");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

#[test]
fn check_on_a_missing_path_is_a_tool_error() {
    let output = check(&repo().join("tests/fixtures/nope"), &[]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn docs_list_every_check() {
    let output = hm().arg("explain").output().expect("run hm");
    let listed = String::from_utf8_lossy(&output.stdout).into_owned();
    let docs = std::fs::read_to_string(repo().join("docs/checks.md")).expect("docs/checks.md");
    assert!(
        docs.contains(&listed),
        "docs/checks.md is out of date: put `hm explain`'s output in its text block"
    );
}

#[test]
fn a_forced_override_of_a_unit_hm_cannot_see_is_not_reported_as_never_started() {
    // `mkForce` says another definition (a module's) exists; what starts it may be there.
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("home.nix");
    std::fs::write(
        &home,
        "{ lib, pkgs, ... }: {\n  home.username = \"alice\";\n  home.homeDirectory = \"/home/alice\";\n  home.stateVersion = \"24.11\";\n  systemd.user.services.tray.Service.ExecStart = lib.mkForce \"${pkgs.hello}/bin/tray\";\n  systemd.user.services.mine.Service.ExecStart = \"${pkgs.hello}/bin/mine\";\n}\n",
    )
    .expect("write");
    let output = check(&home, &["--format", "errfmt"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("service `mine`"), "{}", transcript(&output));
    assert!(
        !stdout.contains("service `tray`"),
        "{}",
        transcript(&output)
    );
}

/// With parts only Nix knows, the summary also counts the repository's `.nix` files that
/// hm never reached (they may be what those parts import).
#[test]
fn the_summary_counts_files_not_reached() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("repo");
    copy_dir(&fixture("partly-known-own-imports"), &path);
    std::fs::write(path.join("laptop.nix"), "{ }\n").expect("write");
    git_track(&path, &["-A"]);
    let output = check(&path, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("\n  not reached: 1 other .nix file git tracks here\n"),
        "{stdout}"
    );
}
