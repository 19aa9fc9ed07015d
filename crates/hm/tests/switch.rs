//! `hm build`, `switch`, `generations`, `rollback`, `service`, `init`: real `nix build` and
//! activation of the stand-in in a temporary HOME, and recording shims on PATH that assert
//! the exact argv of every nix, systemctl and journalctl call.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{Workspace, fixture, hm, manifest, repo, require, transcript};

/// A workspace with the examples, a fresh HOME, and hm run with the offline Nix settings.
struct Setup {
    ws: Workspace,
    home: PathBuf,
    /// A `systemctl` that says a user manager runs (`is-system-running`: `running`).
    manager: common::Shim,
}

impl Setup {
    fn new() -> Self {
        let ws = Workspace::new(&["examples/standalone", "examples/nixos"]);
        let home = ws.path("home");
        std::fs::create_dir_all(&home).expect("mkdir");
        let manager = common::Shim::user_manager_running();
        Setup { ws, home, manager }
    }

    fn hm(&self, args: &[&str]) -> Output {
        let config = std::fs::read_to_string(repo().join("nix/offline.conf")).expect("config");
        hm().args(args)
            .env("HOME", &self.home)
            .env("PATH", self.manager.path_env())
            .env("USER", "alice")
            .env("NIX_CONFIG", config)
            .env_remove("XDG_STATE_HOME")
            .env_remove("XDG_RUNTIME_DIR")
            .env_remove("HOME_MANAGER_BACKUP_EXT")
            .current_dir(self.ws.dir.path())
            .output()
            .expect("run hm")
    }

    fn switch(&self, extra: &[&str]) -> Output {
        let mut args = vec!["switch", "--flake", "examples/standalone"];
        args.extend(extra);
        self.hm(&args)
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.ws.path(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{file} has no `{from}`");
        std::fs::write(&path, text.replace(from, to)).expect("write");
    }

    fn unit(&self, name: &str) -> String {
        std::fs::read_to_string(self.home.join(".config/systemd/user").join(name))
            .unwrap_or_default()
    }

    fn generations(&self) -> serde_json::Value {
        let output = self.hm(&["generations", "--format", "json"]);
        serde_json::from_slice(&output.stdout).expect("JSON")
    }

    fn current(&self) -> Option<u64> {
        self.generations()["generations"]
            .as_array()?
            .iter()
            .find(|g| g["current"] == true)
            .and_then(|g| g["id"].as_u64())
    }
}

fn ok(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{}", transcript(output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn switch_twice_list_generations_and_roll_back() {
    if !require("nix") {
        return;
    }
    let s = Setup::new();
    let first = ok(&s.switch(&[]));
    assert!(
        first.contains("services to start: workstyle.service"),
        "{first}"
    );
    assert!(first.contains("switched to generation 1"), "{first}");
    assert!(
        s.home
            .join(".config/systemd/user/default.target.wants/workstyle.service")
            .exists()
    );
    assert!(s.home.join(".config/workstyle/config.toml").exists());
    assert!(s.unit("workstyle.service").contains("Restart=on-failure"));

    s.edit(
        "examples/standalone/home.nix",
        "Restart = \"on-failure\";",
        "Restart = \"always\";",
    );
    let second = ok(&s.switch(&[]));
    assert!(
        second.contains("services to restart: workstyle.service"),
        "{second}"
    );
    assert!(s.unit("workstyle.service").contains("Restart=always"));
    assert_eq!(s.current(), Some(2));
    let listed = ok(&s.hm(&["generations"]));
    assert!(
        listed.contains("(current)") && listed.lines().count() == 3,
        "{listed}"
    );

    let back = ok(&s.hm(&["rollback"]));
    assert!(
        back.contains("services to restart: workstyle.service"),
        "{back}"
    );
    assert_eq!(s.current(), Some(1));
    assert!(s.unit("workstyle.service").contains("Restart=on-failure"));

    let refused = s.hm(&["generations", "remove", "1"]);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "the current generation stays"
    );
    ok(&s.hm(&["generations", "remove", "2"]));
    assert_eq!(
        s.generations()["generations"].as_array().map(Vec::len),
        Some(1)
    );
}

/// The user's activation package of a NixOS host builds on its own (a fast check); the
/// switch itself is the host's (`nixos-rebuild`, see tests/plan.rs).
#[test]
fn build_a_user_of_the_nixos_module_flake() {
    if !require("nix") {
        return;
    }
    let s = Setup::new();
    let out = ok(&s.hm(&[
        "build",
        "--flake",
        "examples/nixos",
        "--host",
        "laptop",
        "--out-link",
        "nixos-result",
    ]));
    assert!(
        out.trim_end().ends_with("-home-manager-generation"),
        "{out}"
    );
    let generation = s.ws.path("nixos-result");
    assert!(
        generation
            .join("home-files/.config/systemd/user/default.target.wants/workstyle.service")
            .exists()
    );
    assert!(
        !s.home
            .join(".local/state/nix/profiles/home-manager")
            .exists()
    );
}

#[test]
fn a_user_file_in_the_way_is_never_clobbered() {
    if !require("nix") {
        return;
    }
    let s = Setup::new();
    let mine = s.home.join(".config/workstyle/config.toml");
    std::fs::create_dir_all(mine.parent().expect("parent")).expect("mkdir");
    std::fs::write(&mine, "mine\n").expect("write");

    let refused = s.switch(&[]);
    assert_eq!(refused.status.code(), Some(1), "{}", transcript(&refused));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("would be replaced") && stderr.contains("-b backup"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&mine).expect("kept"), "mine\n");
    assert_eq!(s.current(), None, "no generation was recorded");

    let out = ok(&s.switch(&["-b", "backup"]));
    assert!(out.contains("back up:"), "{out}");
    assert_eq!(
        std::fs::read_to_string(mine.with_extension("toml.backup")).expect("backup"),
        "mine\n"
    );
    assert!(mine.is_symlink());
}

#[test]
fn a_failing_build_or_activation_keeps_the_previous_generation() {
    if !require("nix") {
        return;
    }
    let s = Setup::new();
    ok(&s.switch(&[]));

    // A build that fails: reported at the place in home.nix, nothing activated.
    s.edit(
        "examples/standalone/home.nix",
        "pkgs.hello",
        "pkgs.hello-world",
    );
    let failed = s.switch(&["--no-check"]);
    assert_eq!(failed.status.code(), Some(1), "{}", transcript(&failed));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("home.nix:10:21") && stderr.contains("nothing was activated"),
        "{stderr}"
    );
    assert_eq!(s.current(), Some(1));

    // An activation that fails half-way: a file where a directory is needed. hm removes
    // the links it made and re-activates generation 1.
    s.edit(
        "examples/standalone/home.nix",
        "pkgs.hello-world",
        "pkgs.ripgrep",
    );
    s.edit(
        "examples/standalone/home.nix",
        "programs.home-manager.enable = true;",
        "programs.home-manager.enable = true;\n  home.file.\"blocked/note\".text = \"new\";\n  home.file.\"a-new-file\".text = \"new\";",
    );
    std::fs::write(s.home.join("blocked"), "mine\n").expect("write");
    let before = manifest(&s.home);
    let failed = s.switch(&[]);
    assert_eq!(failed.status.code(), Some(1), "{}", transcript(&failed));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("previous generation is still active")
            && (stderr.contains("$HOME is back at generation 1")
                || stderr.contains("$HOME is still at generation 1")),
        "{stderr}"
    );
    assert_eq!(s.current(), Some(1));
    assert_eq!(manifest(&s.home), before, "$HOME is generation 1 again");
    assert!(!s.home.join("a-new-file").exists());
}

#[test]
fn dry_run_changes_nothing() {
    if !require("nix") {
        return;
    }
    let s = Setup::new();
    let out = ok(&s.switch(&["--dry-run"]));
    assert!(
        out.contains("ln -Tsf") && out.contains("dry run: nothing was changed"),
        "{out}"
    );
    assert!(!s.home.join(".config").exists());
    assert_eq!(s.current(), None);
}

#[test]
fn build_prints_the_store_path_and_leaves_a_result_link() {
    if !require("nix") {
        return;
    }
    let s = Setup::new();
    let out = ok(&s.hm(&["build", "--flake", "examples/standalone"]));
    let path = out.trim();
    assert!(
        path.starts_with("/nix/store/") && path.ends_with("-home-manager-generation"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_link(s.ws.path("result")).expect("result link"),
        PathBuf::from(path)
    );
}

#[test]
fn no_configuration_for_the_user_lists_every_name_tried() {
    // hm asks Nix too (a copy: Nix writes flake.lock).
    if !require("nix") {
        return;
    }
    let s = Setup::new();
    let output = s.hm(&[
        "build",
        "--flake",
        "examples/standalone",
        "--user",
        "bob",
        "--host",
        "desk",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for tried in [
        "homeConfigurations.\"bob@desk\"",
        "homeConfigurations.\"bob\"",
        "nixosConfigurations.desk.config.home-manager.users.bob",
    ] {
        assert!(stderr.contains(tried), "{stderr}");
    }
    assert!(
        stderr.contains("homeConfigurations.\"alice\""),
        "lists what exists: {stderr}"
    );
}

/// A directory with recording `nix`, `systemctl`, `journalctl`, `launchctl` and `tail`
/// shims: each appends its
/// argv (one argument per line, then `==end==`; not `--`, which is an argument) to `log`.
struct Shims {
    dir: tempfile::TempDir,
    log: PathBuf,
}

impl Shims {
    fn new(systemctl_stderr: &str, systemctl_status: i32) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = dir.path().join("argv.log");
        let record = format!(
            "#!/bin/sh\nprintf '%s\\n' \"$(basename \"$0\")\" >> '{log}'\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{log}'; done\nprintf '==end==\\n' >> '{log}'\n",
            log = log.display()
        );
        let scripts = [
            (
                "nix",
                format!(
                    "{record}echo '[{{\"drvPath\":\"/nix/store/x.drv\",\"outputs\":{{\"out\":\"/nix/store/fake-home-manager-generation\"}}}}]'\n"
                ),
            ),
            (
                "systemctl",
                format!("{record}echo '{systemctl_stderr}' >&2\nexit {systemctl_status}\n"),
            ),
            (
                "journalctl",
                format!("{record}echo 'Nov 24 workstyle[1]: started'\n"),
            ),
            ("launchctl", format!("{record}echo 'state = running'\n")),
            ("tail", format!("{record}echo 'backing up'\n")),
        ];
        for (name, script) in scripts {
            let path = dir.path().join(name);
            std::fs::write(&path, script).expect("write shim");
            let mut permissions = std::fs::metadata(&path).expect("meta").permissions();
            std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
            std::fs::set_permissions(&path, permissions).expect("chmod");
        }
        Shims { dir, log }
    }

    fn path_env(&self) -> String {
        format!(
            "{}:{}",
            self.dir.path().display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    /// Each recorded call: program and arguments.
    fn calls(&self) -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.split("==end==\n")
            .filter(|c| !c.is_empty())
            .map(|c| c.lines().map(str::to_string).collect())
            .collect()
    }
}

#[test]
fn build_runs_nix_with_exact_argv_even_for_hostile_names() {
    let shims = Shims::new("", 0);
    let flake = repo().join("tests/fixtures/constructs");
    let output = hm()
        .args(["build", "--no-check", "--flake"])
        .arg(&flake)
        .args([
            "--user",
            "alice",
            "--host",
            "laptop",
            "--out-link",
            "/tmp/hm-test-result-link",
        ])
        .env("PATH", shims.path_env())
        .output()
        .expect("run hm");
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "/nix/store/fake-home-manager-generation\n"
    );
    assert_eq!(
        shims.calls(),
        [vec![
            "nix".to_string(),
            "--extra-experimental-features".into(),
            "nix-command flakes".into(),
            "build".into(),
            "--json".into(),
            "--out-link".into(),
            "/tmp/hm-test-result-link".into(),
            format!(
                "git+file://{}?dir=tests/fixtures/constructs#homeConfigurations.\"alice@laptop\".activationPackage",
                repo().display()
            ),
        ]]
    );

    // A user name full of shell syntax reaches nothing as code: the lookup simply fails.
    let marker = shims.dir.path().join("pwned");
    let hostile = format!(
        "$(touch {}); `touch {}`; '\"\n",
        marker.display(),
        marker.display()
    );
    let output = hm()
        .args(["build", "--no-check", "--flake"])
        .arg(&flake)
        .args(["--user", &hostile, "--host", "x;y"])
        .env("PATH", shims.path_env())
        .output()
        .expect("run hm");
    assert_eq!(output.status.code(), Some(2));
    assert!(!marker.exists(), "a shell ran");
}

fn service(shims: &Shims, args: &[&str]) -> Output {
    hm().arg("service")
        .args(args)
        .arg(repo().join("examples/standalone"))
        .env("PATH", shims.path_env())
        .env("HM_SERVICE_MANAGER", "systemd")
        .output()
        .expect("run hm")
}

/// `hm service` on the darwin example as on macOS, with HOME at `home`.
fn launchd_service(shims: &Shims, home: &std::path::Path, args: &[&str]) -> Output {
    hm().arg("service")
        .args(args)
        .arg(repo().join("examples/darwin"))
        .env("PATH", shims.path_env())
        .env("HM_SERVICE_MANAGER", "launchd")
        .env("HOME", home)
        .output()
        .expect("run hm")
}

fn argv(calls: &[&[&str]]) -> Vec<Vec<String>> {
    calls
        .iter()
        .map(|c| c.iter().map(|s| s.to_string()).collect())
        .collect()
}

#[test]
fn service_commands_on_macos_call_launchctl_and_tail_with_exact_argv() {
    let shims = Shims::new("", 0);
    let home = shims.dir.path().join("home");
    let uid = ok(&std::process::Command::new("id")
        .arg("-u")
        .output()
        .expect("id -u"));
    let uid = uid.trim();
    for verb in ["status", "start", "stop", "restart"] {
        ok(&launchd_service(&shims, &home, &[verb, "workstyle"]));
    }
    // By label too.
    ok(&launchd_service(
        &shims,
        &home,
        &["restart", "org.nix-community.home.backup"],
    ));
    let logs = ok(&launchd_service(
        &shims,
        &home,
        &["logs", "backup", "-n", "20"],
    ));
    assert!(logs.contains("backing up"), "{logs}");
    let gui = format!("gui/{uid}");
    let job = format!("{gui}/org.nix-community.home.workstyle");
    let plist = home
        .join("Library/LaunchAgents/org.nix-community.home.workstyle.plist")
        .display()
        .to_string();
    let backup = format!("{gui}/org.nix-community.home.backup");
    assert_eq!(
        shims.calls(),
        argv(&[
            &["launchctl", "print", &job],
            &["launchctl", "bootstrap", &gui, &plist],
            &["launchctl", "bootout", &job],
            &["launchctl", "kickstart", "-k", &job],
            &["launchctl", "kickstart", "-k", &backup],
            &[
                "tail",
                "-n",
                "20",
                "--",
                "/Users/alice/Library/Logs/backup.log"
            ],
        ])
    );
}

#[test]
fn launchd_agents_that_cannot_be_managed_are_explained_and_run_nothing() {
    let shims = Shims::new("", 0);
    let home = shims.dir.path().join("home");
    let cases: [(&[&str], &str); 4] = [
        (
            &["logs", "workstyle"],
            "has no StandardOutPath or StandardErrorPath",
        ),
        (&["start", "notes-sync"], "is not enabled"),
        (&["status", "backpu"], "did you mean `backup`?"),
        (&["stop", "workstyle.service"], "not a launchd agent"),
    ];
    for (args, message) in cases {
        let output = launchd_service(&shims, &home, args);
        assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    // A systemd service asked for on macOS.
    let output = hm()
        .args(["service", "status", "workstyle"])
        .arg(repo().join("examples/standalone"))
        .env("PATH", shims.path_env())
        .env("HM_SERVICE_MANAGER", "launchd")
        .output()
        .expect("run hm");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("`workstyle` is a systemd user service, not a launchd agent"),
        "{}",
        transcript(&output)
    );
    assert!(shims.calls().is_empty(), "{:?}", shims.calls());
}

#[test]
fn service_commands_call_systemctl_and_journalctl_with_exact_argv() {
    let shims = Shims::new("", 0);
    for verb in ["status", "start", "stop", "restart"] {
        ok(&service(&shims, &[verb, "workstyle"]));
    }
    ok(&service(&shims, &["restart", "workstyle.service"]));
    let logs = ok(&service(&shims, &["logs", "workstyle", "-n", "20"]));
    assert!(logs.contains("started"), "{logs}");
    let expected: Vec<Vec<String>> = [
        &["systemctl", "--user", "status", "--", "workstyle.service"][..],
        &["systemctl", "--user", "start", "--", "workstyle.service"],
        &["systemctl", "--user", "stop", "--", "workstyle.service"],
        &["systemctl", "--user", "restart", "--", "workstyle.service"],
        &["systemctl", "--user", "restart", "--", "workstyle.service"],
        &[
            "journalctl",
            "--user",
            "-n",
            "20",
            "--no-pager",
            "--unit=workstyle.service",
        ],
    ]
    .iter()
    .map(|c| c.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(shims.calls(), expected);
}

#[test]
fn a_service_a_home_manager_module_creates_is_managed_too() {
    let shims = Shims::new("", 0);
    let output = hm()
        .args(["service", "status", "syncthing"])
        .arg(fixture("clean").join("syncthing"))
        .env("PATH", shims.path_env())
        .env("HM_SERVICE_MANAGER", "systemd")
        .output()
        .expect("run hm");
    ok(&output);
    assert_eq!(
        shims.calls(),
        vec![
            vec!["systemctl", "--user", "status", "--", "syncthing.service"]
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        ]
    );
}

#[test]
fn an_unknown_service_gets_a_suggestion_and_runs_nothing() {
    let shims = Shims::new("", 0);
    let output = service(&shims, &["restart", "workstyl"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("did you mean `workstyle`?"), "{stderr}");
    assert!(shims.calls().is_empty());
}

#[test]
fn no_user_manager_is_explained() {
    let shims = Shims::new("Failed to connect to bus: No medium found", 1);
    let output = service(&shims, &["status", "workstyle"]);
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no systemd user manager is running"),
        "{stderr}"
    );
    assert!(stderr.contains("loginctl enable-linger"), "{stderr}");
}

#[test]
fn init_writes_a_configuration_and_never_overwrites() {
    let home = tempfile::tempdir().expect("tempdir");
    let dir = home.path().join("cfg");
    let run = |args: &[&str]| {
        hm().arg("init")
            .args(args)
            .env("HOME", home.path())
            .env("USER", "alice")
            .output()
            .expect("run hm")
    };
    let dir_arg = dir.to_str().expect("utf-8");
    ok(&run(&[dir_arg]));
    let home_nix = std::fs::read_to_string(dir.join("home.nix")).expect("home.nix");
    assert!(
        home_nix.contains("home.username = \"alice\";"),
        "{home_nix}"
    );
    assert!(home_nix.contains(&format!(
        "home.homeDirectory = \"{}\";",
        home.path().display()
    )));
    let flake = std::fs::read_to_string(dir.join("flake.nix")).expect("flake.nix");
    assert!(
        flake.contains("homeConfigurations.\"alice\"") && flake.contains("inputs.nixpkgs.follows")
    );

    // The new configuration passes hm's own checks.
    let check = hm().arg("check").arg(&dir).output().expect("run hm");
    assert_eq!(check.status.code(), Some(0), "{}", transcript(&check));

    std::fs::write(dir.join("home.nix"), "# mine\n").expect("write");
    // As Home Manager's init: what is there is left as it is.
    let again = ok(&run(&[dir_arg]));
    assert!(again.contains("leaving it unchanged"), "{again}");
    assert_eq!(
        std::fs::read_to_string(dir.join("home.nix")).expect("read"),
        "# mine\n"
    );

    let snippet = ok(&run(&["--nixos"]));
    assert!(
        snippet.contains("home-manager.nixosModules.home-manager")
            && snippet.contains("home-manager.users.alice")
    );
}

#[test]
fn rollback_runs_activate_as_the_cli_does_and_records_the_profile() {
    if !require("nix") {
        return;
    }
    // Two generations outside the store: activate scripts that record their argv. The
    // first predates `gen-version` (it would record the profile itself; it does not here,
    // so hm does), the second ships it.
    let root = tempfile::tempdir().expect("tempdir");
    let home = root.path().join("home");
    let log = root.path().join("argv.log");
    let profiles = home.join(".local/state/nix/profiles");
    std::fs::create_dir_all(&profiles).expect("mkdir");
    for (id, gen_version) in [(1, false), (2, true)] {
        let generation = root.path().join(format!("gen{id}"));
        std::fs::create_dir_all(generation.join("home-files")).expect("mkdir");
        if gen_version {
            std::fs::write(generation.join("gen-version"), "1\n").expect("write");
        }
        let script = generation.join("activate");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\necho \"gen{id} $* HOME=$HOME\" >> '{}'\n",
                log.display()
            ),
        )
        .expect("write");
        std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .expect("chmod");
        std::os::unix::fs::symlink(
            &generation,
            profiles.join(format!("home-manager-{id}-link")),
        )
        .expect("link");
    }
    std::os::unix::fs::symlink("home-manager-2-link", profiles.join("home-manager")).expect("link");
    let run = |args: &[&str]| {
        hm().args(args)
            .env("HOME", &home)
            .env("USER", "alice")
            .env_remove("XDG_STATE_HOME")
            .output()
            .expect("run hm")
    };
    let out = ok(&run(&["rollback"]));
    assert!(out.contains("switched to generation 1"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&log).expect("log"),
        format!("gen1 --driver-version 1 HOME={}\n", home.display())
    );
    assert_eq!(
        std::fs::read_link(profiles.join("home-manager")).expect("profile"),
        PathBuf::from("home-manager-1-link")
    );
}
