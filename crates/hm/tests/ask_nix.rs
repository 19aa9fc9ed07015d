//! When the static model cannot find a configuration, `hm build` asks Nix and builds what
//! Nix finds, as `nix build` would; `hm users --eval`/`hm services --eval` complete the
//! inventory from evaluation. Real Nix, offline, on the stand-ins.

mod common;

use std::path::Path;
use std::process::Output;

use common::{Workspace, hm, repo, require, transcript};

/// The examples, with the user's name computed where hm cannot follow it statically
/// (`builtins.hashString` is Nix's alone).
fn computed_names() -> Workspace {
    let ws = Workspace::new(&["examples/standalone", "examples/nixos"]);
    for (file, from, to) in [
        (
            "examples/standalone/flake.nix",
            r#"homeConfigurations."alice" ="#,
            r#"homeConfigurations.${prefix + "alice"} ="#,
        ),
        (
            "examples/nixos/flake.nix",
            "home-manager.users.alice =",
            r#"home-manager.users.${prefix + "alice"} ="#,
        ),
    ] {
        let path = ws.path(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{file}");
        // `""`, computed by a builtin hm does not evaluate (`hashString`).
        let prefix = r#"(if builtins.hashString "sha256" "x" != "" then "" else "x")"#;
        let to = to.replace("prefix", prefix);
        std::fs::write(&path, text.replace(from, &to)).expect("write");
    }
    ws
}

fn run(ws: &Workspace, args: &[&str]) -> Output {
    let config = std::fs::read_to_string(repo().join("nix/offline.conf")).expect("config");
    let home = ws.path("home");
    std::fs::create_dir_all(&home).expect("mkdir");
    hm().args(args)
        .env("HOME", &home)
        .env("USER", "alice")
        .env("NIX_CONFIG", config)
        .current_dir(ws.dir.path())
        .output()
        .expect("run hm")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn build_asks_nix_for_a_configuration_the_files_compute() {
    if !require("nix") {
        return;
    }
    let ws = computed_names();
    for (flake, attribute) in [
        ("examples/standalone", r#"homeConfigurations."alice""#),
        (
            "examples/nixos",
            r#"nixosConfigurations."laptop".config.home-manager.users."alice""#,
        ),
    ] {
        let out_link = ws.path(&format!("{}-result", flake.replace('/', "-")));
        let output = run(
            &ws,
            &[
                "build",
                "--flake",
                flake,
                "--host",
                "laptop",
                "--out-link",
                out_link.to_str().expect("utf-8"),
            ],
        );
        assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
        let err = stderr(&output);
        assert!(err.contains("asking Nix"), "{err}");
        assert!(err.contains(&format!("Nix found {attribute}")), "{err}");
        let path = String::from_utf8_lossy(&output.stdout).trim().to_string();
        assert!(path.ends_with("-home-manager-generation"), "{path}");
        assert_eq!(
            std::fs::read_link(&out_link).expect("result link"),
            Path::new(&path)
        );
    }
}

#[test]
fn no_configuration_lists_what_nix_found() {
    if !require("nix") {
        return;
    }
    let ws = computed_names();
    let output = run(
        &ws,
        &[
            "build",
            "--flake",
            "examples/standalone",
            "--user",
            "bob",
            "--host",
            "desk",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    let err = stderr(&output);
    assert!(err.contains(r#"homeConfigurations."alice""#), "{err}");
    assert!(err.contains("homeConfigurations.\"bob@desk\""), "{err}");
}

fn json(ws: &Workspace, args: &[&str]) -> serde_json::Value {
    let output = run(ws, args);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[test]
fn eval_completes_users_and_services_the_files_compute() {
    if !require("nix") {
        return;
    }
    let ws = computed_names();
    let users = json(
        &ws,
        &["users", "--eval", "--format", "json", "examples/nixos"],
    );
    let added: Vec<(&str, &str)> = users["evaluated"]["added"]
        .as_array()
        .expect("added")
        .iter()
        .map(|u| {
            (
                u["name"].as_str().expect("name"),
                u["host"].as_str().expect("host"),
            )
        })
        .collect();
    assert_eq!(added, [("alice", "laptop")], "{users:#}");
    assert_eq!(users["evaluated"]["not_evaluated"], serde_json::json!([]));

    let services = json(
        &ws,
        &[
            "services",
            "--eval",
            "--format",
            "json",
            "examples/standalone",
        ],
    );
    let added = &services["evaluated"]["added"][0];
    assert_eq!(added["name"], "workstyle", "{services:#}");
    assert_eq!(added["user"], "alice");
    assert_eq!(added["wanted_by"], serde_json::json!(["default.target"]));
    assert!(
        added["exec_start"]
            .as_str()
            .is_some_and(|e| e.starts_with("/nix/store/") && e.ends_with("/bin/workstyle")),
        "{added}"
    );

    // The table marks what came from evaluation.
    let output = run(&ws, &["services", "--eval", "examples/standalone"]);
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("workstyle") && l.contains("(nix eval)")),
        "{table}"
    );
}

#[test]
fn check_eval_evaluates_configurations_only_nix_finds() {
    if !require("nix") {
        return;
    }
    let ws = computed_names();
    // A mistake only evaluation sees, in the configuration hm cannot find statically.
    let home = ws.path("examples/standalone/home.nix");
    let text = std::fs::read_to_string(&home).expect("read");
    assert!(text.contains("[ pkgs.hello ]"));
    std::fs::write(
        &home,
        text.replace("[ pkgs.hello ]", "[ pkgs.hello undefinedThing ]"),
    )
    .expect("write");
    let output = run(&ws, &["check", "--eval", "examples/standalone"]);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        out.contains("HM901") && out.contains("undefined variable 'undefinedThing'"),
        "{}",
        transcript(&output)
    );
}

/// A flake naming its user from the environment: read purely it is `""`, as `nix eval`
/// reads it; with `--impure`, hm reads the environment as `nix eval --impure` does, and
/// `--eval` asks Nix with `--impure` too (so both agree).
#[test]
fn impure_reads_the_environment_as_nix_impure_does() {
    let ws = Workspace::new(&["examples/standalone"]);
    let path = ws.path("examples/standalone/flake.nix");
    let text = std::fs::read_to_string(&path).expect("read");
    let from = r#"homeConfigurations."alice" ="#;
    assert!(text.contains(from));
    let to = r#"homeConfigurations.${builtins.getEnv "USER"} ="#;
    std::fs::write(&path, text.replace(from, to)).expect("write");
    let names = |args: &[&str]| -> Vec<String> {
        let users = json(&ws, args);
        users["users"]
            .as_array()
            .expect("users")
            .iter()
            .map(|u| u["name"].as_str().expect("name").to_string())
            .collect()
    };
    assert_eq!(
        names(&["users", "--format", "json", "examples/standalone"]),
        [""]
    );
    assert_eq!(
        names(&[
            "users",
            "--impure",
            "--format",
            "json",
            "examples/standalone"
        ]),
        ["alice"]
    );
    if !require("nix") {
        return;
    }
    let users = json(
        &ws,
        &[
            "users",
            "--impure",
            "--eval",
            "--format",
            "json",
            "examples/standalone",
        ],
    );
    assert_eq!(
        users["evaluated"]["added"],
        serde_json::json!([]),
        "{users:#}"
    );
    assert_eq!(
        users["evaluated"]["not_evaluated"],
        serde_json::json!([]),
        "{users:#}"
    );
}
