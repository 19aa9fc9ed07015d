//! The static inventory against the real `nix eval` of the same flakes, and the
//! stand-in's activation package built and activated for real.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{Workspace, json, nix_json, require};

type ByUser = BTreeMap<String, BTreeSet<String>>;

/// The names below `option` (`systemd.user.services`, `launchd.agents`) per user of
/// `homeConfigurations`, or of every host's `home-manager.users`.
fn apply(output: &str, option: &str) -> String {
    if output == "homeConfigurations" {
        format!("cs: builtins.mapAttrs (user: c: builtins.attrNames c.config.{option}) cs")
    } else {
        format!(
            "hosts: builtins.foldl' (acc: host: acc // builtins.mapAttrs \
             (user: u: builtins.attrNames u.{option}) hosts.${{host}}.config.home-manager.users) \
             {{ }} (builtins.attrNames hosts)"
        )
    }
}

/// The services hm lists with `manager`, and the option Home Manager defines them in.
const MANAGERS: [(&str, &str, &str); 2] = [
    ("systemd", "systemd.user.services", "services"),
    ("launchd", "launchd.agents", "agents"),
];

/// Names per user, as `nix eval` sees them, for the given flake outputs.
fn evaluated(flake: &Path, outputs: &[&str], option: &str) -> ByUser {
    let mut by_user = ByUser::new();
    for output in outputs {
        let value = nix_json(
            flake,
            &[
                "eval",
                "--json",
                &format!(".#{output}"),
                "--apply",
                &apply(output, option),
            ],
        );
        let map = value.as_object().expect("an attribute set");
        for (user, names) in map {
            let names = names.as_array().expect("a list");
            by_user.insert(
                user.clone(),
                names
                    .iter()
                    .map(|n| n.as_str().expect("a name").to_string())
                    .collect(),
            );
        }
    }
    by_user
}

/// Names per user from `hm services --format json` for one manager, and users with
/// dynamic ones (`defines`).
fn analysed(flake: &Path, manager: &str, defines: &str) -> (ByUser, BTreeSet<String>) {
    let users = json(&["users"], flake);
    let services = json(&["services"], flake);
    let mut by_user = ByUser::new();
    for user in users["users"].as_array().expect("users") {
        by_user.insert(
            user["name"].as_str().expect("name").to_string(),
            BTreeSet::new(),
        );
    }
    for service in services["services"].as_array().expect("services") {
        if service["manager"] != manager {
            continue;
        }
        let user = service["user"].as_str().expect("user").to_string();
        by_user
            .entry(user)
            .or_default()
            .insert(service["name"].as_str().expect("name").to_string());
    }
    let dynamic = services["dynamic"]
        .as_array()
        .expect("dynamic")
        .iter()
        .filter(|d| d["defines"] == defines)
        .filter_map(|d| d["user"].as_str().map(str::to_string))
        .collect();
    (by_user, dynamic)
}

/// Statically found services and agents are exactly the evaluated ones, except for users
/// whose services are built by code, which are reported as dynamic rather than guessed.
fn assert_agrees(flake: &Path, outputs: &[&str], expect_dynamic: &[&str]) {
    for (manager, option, defines) in MANAGERS {
        let evaluated = evaluated(flake, outputs, option);
        let (analysed, dynamic) = analysed(flake, manager, defines);
        assert_eq!(
            analysed.keys().collect::<Vec<_>>(),
            evaluated.keys().collect::<Vec<_>>(),
            "users"
        );
        let expect_dynamic: BTreeSet<String> = if manager == "systemd" {
            expect_dynamic.iter().map(|s| s.to_string()).collect()
        } else {
            BTreeSet::new()
        };
        assert_eq!(dynamic, expect_dynamic, "users with dynamic {option}");
        for (user, names) in &evaluated {
            let found = &analysed[user];
            if dynamic.contains(user) {
                assert!(
                    found.is_subset(names),
                    "{user}: {found:?} not within {names:?}"
                );
            } else {
                assert_eq!(found, names, "{option} of {user}");
            }
        }
    }
}

#[test]
fn standalone_example_agrees_with_nix_eval() {
    if !require("nix") {
        return;
    }
    let ws = Workspace::new(&["examples/standalone"]);
    assert_agrees(
        &ws.path("examples/standalone"),
        &["homeConfigurations"],
        &[],
    );
}

#[test]
fn nixos_example_agrees_with_nix_eval() {
    if !require("nix") {
        return;
    }
    let ws = Workspace::new(&["examples/nixos"]);
    assert_agrees(&ws.path("examples/nixos"), &["nixosConfigurations"], &[]);
}

#[test]
fn darwin_example_agrees_with_nix_eval() {
    if !require("nix") {
        return;
    }
    let ws = Workspace::new(&["examples/darwin"]);
    assert_agrees(&ws.path("examples/darwin"), &["darwinConfigurations"], &[]);
}

#[test]
fn every_construct_agrees_with_nix_eval() {
    if !require("nix") {
        return;
    }
    let ws = Workspace::new(&["tests/fixtures/constructs"]);
    assert_agrees(
        &ws.path("tests/fixtures/constructs"),
        &[
            "homeConfigurations",
            "nixosConfigurations",
            "darwinConfigurations",
        ],
        // Carol's services come from `genAttrs` over a literal list: computed exactly.
        &[],
    );
}

/// An example copied into a fresh workspace, one user's activation package built from it,
/// and an empty HOME to activate it in.
struct Built {
    _ws: Workspace,
    generation: PathBuf,
    home: PathBuf,
}

/// Builds `<attribute>.activationPackage` of `examples/<example>`.
fn built(example: &str, attribute: &str) -> Built {
    let dir = format!("examples/{example}");
    let ws = Workspace::new(&[&dir]);
    let out_link = ws.path("result");
    let out_link = out_link.to_str().expect("utf-8 path");
    let target = format!(".#{attribute}.activationPackage");
    let result = nix_json(
        &ws.path(&dir),
        &["build", "--json", "--out-link", out_link, &target],
    );
    let generation = result[0]["outputs"]["out"]
        .as_str()
        .expect("out path")
        .into();
    let home = ws.path("home");
    std::fs::create_dir_all(&home).expect("mkdir");
    Built {
        _ws: ws,
        generation,
        home,
    }
}

/// Activates and requires success.
fn activate_ok(built: &Built, backup: Option<&str>) {
    let output = activate(&built.generation, &built.home, backup);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs `activate` as Home Manager's CLI does (`--driver-version 1`: the caller keeps the
/// profile), with the user's profile directory in place as Nix creates it.
fn activate(generation: &Path, home: &Path, backup: Option<&str>) -> std::process::Output {
    std::fs::create_dir_all(home.join(".local/state/nix/profiles")).expect("mkdir");
    let mut cmd = std::process::Command::new(generation.join("activate"));
    cmd.args(["--driver-version", "1"])
        .env("HOME", home)
        .env("USER", "alice")
        .env_remove("XDG_STATE_HOME")
        .env_remove("XDG_RUNTIME_DIR");
    if let Some(ext) = backup {
        cmd.env("HOME_MANAGER_BACKUP_EXT", ext);
    }
    cmd.output().expect("run activate")
}

#[test]
fn standalone_activation_links_files_and_units() {
    if !require("nix") {
        return;
    }
    let b = built("standalone", "homeConfigurations.\"alice\"");
    activate_ok(&b, None);
    let (generation, home) = (&b.generation, &b.home);
    let units = home.join(".config/systemd/user");
    let unit = std::fs::read_to_string(units.join("workstyle.service")).expect("unit linked");
    assert!(
        unit.contains("[Install]\nWantedBy=default.target\n"),
        "{unit}"
    );
    assert!(unit.contains("-workstyle/bin/workstyle\n"), "{unit}");
    let wants = units.join("default.target.wants/workstyle.service");
    assert!(
        wants.is_symlink() && wants.exists(),
        "default.target.wants link"
    );
    assert!(home.join(".config/workstyle/config.toml").exists());
    let current = home.join(".local/state/home-manager/gcroots/current-home");
    assert_eq!(&std::fs::read_link(current).expect("gcroot"), generation);
}

#[test]
fn activation_never_clobbers_a_user_file() {
    if !require("nix") {
        return;
    }
    let b = built("standalone", "homeConfigurations.\"alice\"");
    let (generation, home) = (&b.generation, &b.home);
    let mine = home.join(".config/workstyle/config.toml");
    std::fs::create_dir_all(mine.parent().expect("parent")).expect("mkdir");
    std::fs::write(&mine, "my own settings\n").expect("write");

    let refused = activate(generation, home, None);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("would be clobbered"));
    assert_eq!(
        std::fs::read_to_string(&mine).expect("kept"),
        "my own settings\n"
    );

    activate_ok(&b, Some("backup"));
    let backup = home.join(".config/workstyle/config.toml.backup");
    assert_eq!(
        std::fs::read_to_string(backup).expect("backup"),
        "my own settings\n"
    );
    assert!(mine.is_symlink());
}

#[test]
fn nixos_module_users_build_their_own_generations() {
    if !require("nix") {
        return;
    }
    let b = built(
        "nixos",
        "nixosConfigurations.laptop.config.home-manager.users.bob.home",
    );
    activate_ok(&b, None);
    let home = &b.home;
    let units = home.join(".config/systemd/user");
    assert!(units.join("backup.service").exists());
    assert!(units.join("timers.target.wants/backup.timer").exists());
    // Not wanted by anything: linked, but never started automatically.
    assert!(!units.join("default.target.wants/backup.service").exists());
}

#[test]
fn darwin_activation_installs_launch_agents_as_valid_plists() {
    if !require("nix") || !require("python3") {
        return;
    }
    let b = built(
        "darwin",
        "darwinConfigurations.macbook.config.home-manager.users.alice.home",
    );
    activate_ok(&b, None);
    let agents = b.home.join("Library/LaunchAgents");
    let mut installed: Vec<String> = std::fs::read_dir(&agents)
        .expect("~/Library/LaunchAgents")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    installed.sort();
    // Only enabled agents, named by label.
    assert_eq!(
        installed,
        [
            "org.nix-community.home.backup.plist",
            "org.nix-community.home.workstyle.plist"
        ]
    );
    for name in &installed {
        let path = agents.join(name);
        // Files the user owns, read-only, as Home Manager installs them: not store links.
        let meta = std::fs::symlink_metadata(&path).expect("metadata");
        assert!(meta.is_file(), "{name} is a regular file");
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777,
            0o444
        );
    }
    // plistlib parses XML property lists as launchd reads them (`plutil -lint`).
    let script = "import json, plistlib, sys\n\
                  print(json.dumps([plistlib.load(open(p, 'rb')) for p in sys.argv[1:]]))";
    let output = std::process::Command::new("python3")
        .args(["-c", script])
        .args(installed.iter().map(|n| agents.join(n)))
        .output()
        .expect("python3");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let plists: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let backup = &plists[0];
    assert_eq!(backup["Label"], "org.nix-community.home.backup");
    assert_eq!(
        backup["StartCalendarInterval"],
        serde_json::json!([{ "Hour": 3, "Minute": 0 }])
    );
    assert_eq!(
        backup["StandardOutPath"],
        "/Users/alice/Library/Logs/backup.log"
    );
    // The command waits for the Nix store, quoted for /bin/sh, as Home Manager runs it.
    let arguments = backup["ProgramArguments"].as_array().expect("a list");
    assert_eq!(arguments[..2], ["/bin/sh", "-c"]);
    let command = arguments[2].as_str().expect("a string");
    assert!(
        command.starts_with("/bin/wait4path /nix/store && exec '/nix/store/")
            && command.ends_with("-hello/bin/hello' '--greeting' 'backing up ~/Documents'"),
        "{command}"
    );
    let workstyle = &plists[1];
    assert_eq!(workstyle["RunAtLoad"], true);
    assert_eq!(workstyle["KeepAlive"], true);
    assert!(
        workstyle.get("Program").is_none(),
        "Program is folded into the arguments"
    );

    // Activating again leaves them as they are.
    activate_ok(&b, None);
    assert!(agents.join("org.nix-community.home.backup.plist").is_file());
}

#[test]
fn rendered_units_pass_systemd_analyze_verify() {
    if !require("nix") || !require("systemd-analyze") {
        return;
    }
    let b = built("standalone", "homeConfigurations.\"alice\"");
    // Verify a copy: `verify` wants the unit's own name and a writable directory.
    let dir = tempfile::tempdir().expect("tempdir");
    let unit = dir.path().join("workstyle.service");
    std::fs::copy(
        b.generation
            .join("home-files/.config/systemd/user/workstyle.service"),
        &unit,
    )
    .expect("copy");
    let output = std::process::Command::new("systemd-analyze")
        .arg("verify")
        .arg(&unit)
        .output()
        .expect("systemd-analyze");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `hm check --eval` on a copy of the standalone example with a typo in home.nix.
fn eval_check(edit: impl Fn(&str) -> String) -> (Workspace, serde_json::Value) {
    let ws = Workspace::new(&["examples/standalone"]);
    let home = ws.path("examples/standalone/home.nix");
    let text = std::fs::read_to_string(&home).expect("read");
    std::fs::write(&home, edit(&text)).expect("write");
    let config = std::fs::read_to_string(common::repo().join("nix/offline.conf")).expect("config");
    let output = common::hm()
        .args(["check", "--eval", "--format", "json"])
        .arg(ws.path("examples/standalone"))
        .env("NIX_CONFIG", config)
        .output()
        .expect("run hm");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        common::transcript(&output)
    );
    let value = serde_json::from_slice(&output.stdout).expect("JSON");
    (ws, value)
}

fn find<'a>(report: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {report:#}"))
}

#[test]
fn eval_maps_an_undefined_variable_back_to_the_file() {
    if !require("nix") {
        return;
    }
    let (_ws, report) = eval_check(|text| {
        text.replace(
            "home.packages = [ pkgs.hello ];",
            "home.packages = [ pkgz.hello ];",
        )
    });
    let evaluated = find(&report, "HM901");
    assert_eq!(evaluated["file"], "home.nix");
    assert_eq!(evaluated["line"], 10);
    assert_eq!(evaluated["column"], 21);
    assert_eq!(evaluated["end"]["column"], 25, "the span covers `pkgz`");
    let message = evaluated["message"].as_str().expect("message");
    assert!(message.contains("undefined variable 'pkgz'"), "{message}");
    let help = evaluated["help"].as_str().expect("help");
    assert!(
        help.contains("eval --json") && help.contains("activationPackage.drvPath"),
        "{help}"
    );
    // The static check finds the same place without Nix.
    let static_finding = find(&report, "HM109");
    assert_eq!(
        (&static_finding["line"], &static_finding["column"]),
        (&evaluated["line"], &evaluated["column"])
    );
}

#[test]
fn eval_errors_inside_other_flakes_point_at_the_users_files() {
    if !require("nix") {
        return;
    }
    // A missing package: the error is raised in the nixpkgs stand-in, reached from home.nix.
    let (_ws, report) = eval_check(|text| text.replace("pkgs.hello", "pkgs.hello-world"));
    let evaluated = find(&report, "HM901");
    let message = evaluated["message"].as_str().expect("message");
    assert!(message.contains("hello-world"), "{message}");
    assert_eq!(evaluated["file"], "home.nix", "{evaluated:#}");
    assert_eq!(
        (&evaluated["line"], &evaluated["column"]),
        (&10.into(), &21.into())
    );
    assert_eq!(
        evaluated["end"]["column"], 37,
        "the span covers `pkgs.hello-world`"
    );
}
