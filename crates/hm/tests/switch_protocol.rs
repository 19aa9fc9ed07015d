//! The switch protocol end to end, with real `nix build` and activation in a temporary
//! HOME: second switches, collisions and backups, specialisations, rollback, failed and
//! interrupted activations, concurrent switches, flake directories with awkward names,
//! and a garbage collection that must not leave a managed link dangling.
//!
//! By default this runs on hm's stand-in Home Manager (`nix/`). With
//! `HM_TEST_HOME_MANAGER=/path/to/home-manager` and `HM_TEST_NIXPKGS_LIB=/path/to/nixpkgs`
//! (a checkout holding `lib/`), the same tests build the real Home Manager's activation
//! package on `nix/host-pkgs` and switch with it. `HM_TEST_INTERRUPT_TRIALS` sets how
//! many interrupts the interrupt test sends (default 8).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{Entry, copy_dir, hm, manifest, repo, require, transcript};

/// Which Home Manager the configuration uses.
enum Backend {
    StandIn,
    Real { home_manager: PathBuf, lib: PathBuf },
}

impl Backend {
    fn from_env() -> Self {
        match (
            std::env::var_os("HM_TEST_HOME_MANAGER"),
            std::env::var_os("HM_TEST_NIXPKGS_LIB"),
        ) {
            (Some(hm), Some(lib)) => Backend::Real {
                home_manager: PathBuf::from(hm),
                lib: PathBuf::from(lib),
            },
            _ => Backend::StandIn,
        }
    }
}

/// A git work tree with the configuration (`config/`) and its inputs, a HOME, and hm run
/// with the offline Nix settings.
struct Harness {
    dir: tempfile::TempDir,
    home: PathBuf,
    /// Module text every configuration gets (for the real Home Manager: no manual pages,
    /// whose build needs nixpkgs' documentation tools).
    base: &'static str,
}

const SYSTEM: &str = if cfg!(target_arch = "aarch64") {
    "aarch64-linux"
} else {
    "x86_64-linux"
};

impl Harness {
    fn new() -> Option<Self> {
        if !require("nix") {
            return None;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let home = root.join("home");
        std::fs::create_dir_all(&home).expect("mkdir");
        let (nixpkgs, home_manager, base) = match Backend::from_env() {
            Backend::StandIn => {
                copy_dir(&repo().join("nix"), &root.join("nix"));
                (
                    "path:../nix/nixpkgs".to_string(),
                    "path:../nix/home-manager".to_string(),
                    "",
                )
            }
            Backend::Real { home_manager, lib } => {
                copy_dir(&repo().join("nix/host-pkgs"), &root.join("host-pkgs"));
                copy_dir(&lib.join("lib"), &root.join("host-pkgs/lib"));
                // Home Manager installs home.packages with nix-env into ~/.nix-profile:
                // keep that profile in this HOME, not the machine's default one.
                let profiles = home.join(".local/state/nix/profiles");
                std::fs::create_dir_all(&profiles).expect("mkdir");
                std::os::unix::fs::symlink(profiles.join("profile"), home.join(".nix-profile"))
                    .expect("link");
                (
                    "path:../host-pkgs".to_string(),
                    format!("path:{}", home_manager.display()),
                    "  manual.manpages.enable = false;\n",
                )
            }
        };
        let config = root.join("config");
        copy_dir(&repo().join("tests/fixtures/switch"), &config);
        let flake = std::fs::read_to_string(config.join("flake.nix")).expect("read");
        let flake = flake
            .replace("@NIXPKGS@", &nixpkgs)
            .replace("@HOME_MANAGER@", &home_manager)
            .replace("@SYSTEM@", SYSTEM);
        std::fs::write(config.join("flake.nix"), flake).expect("write");
        let harness = Harness { dir, home, base };
        harness.configure("");
        harness.git(&["init", "-q"]);
        harness.git(&["add", "-A"]);
        Some(harness)
    }

    fn git(&self, args: &[&str]) {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(self.dir.path())
            .status()
            .expect("git");
        assert!(status.success(), "git {args:?}");
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// Rewrites `config/generated.nix`: the home directory, and `extra` module text.
    fn configure(&self, extra: &str) {
        let text = format!(
            "{{ pkgs, ... }}:\n{{\n  home.homeDirectory = \"{}\";\n{}{extra}\n}}\n",
            self.home.display(),
            self.base
        );
        std::fs::write(self.config().join("generated.nix"), text).expect("write");
    }

    fn command(&self, args: &[&str]) -> std::process::Command {
        let config = std::fs::read_to_string(repo().join("nix/offline.conf")).expect("config");
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("hm"));
        command
            .args(args)
            .env("NO_COLOR", "1")
            .env("COLUMNS", "80")
            .env("HOME", &self.home)
            .env("USER", "alice")
            .env("NIX_CONFIG", config)
            .env_remove("XDG_STATE_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_RUNTIME_DIR")
            .env_remove("HOME_MANAGER_BACKUP_EXT")
            .env_remove("HOME_MANAGER_BACKUP_COMMAND")
            .env_remove("HOME_MANAGER_BACKUP_OVERWRITE")
            .current_dir(self.dir.path());
        command
    }

    fn hm(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run hm")
    }

    fn switch_args<'a>(&self, extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec!["switch", "--flake", "config", "--no-check"];
        args.extend(extra);
        args
    }

    fn switch(&self, extra: &[&str]) -> Output {
        self.hm(&self.switch_args(extra))
    }

    fn state(&self) -> PathBuf {
        self.home.join(".local/state")
    }

    fn profile(&self) -> PathBuf {
        self.state().join("nix/profiles/home-manager")
    }

    /// The generation whose links are in HOME (the `current-home` GC root).
    fn active(&self) -> Option<PathBuf> {
        self.state()
            .join("home-manager/gcroots/current-home")
            .canonicalize()
            .ok()
    }

    /// The profile's current generation.
    fn current(&self) -> Option<PathBuf> {
        self.profile().canonicalize().ok()
    }

    fn read(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.home.join(rel)).ok()
    }

    /// Every link in HOME that points into a Home Manager files package.
    fn managed_links(&self) -> BTreeMap<PathBuf, PathBuf> {
        manifest(&self.home)
            .into_iter()
            .filter_map(|(rel, entry)| match entry {
                Entry::Link(target)
                    if target.to_string_lossy().contains("-home-manager-files/") =>
                {
                    Some((rel, target))
                }
                _ => None,
            })
            .collect()
    }

    /// HOME holds exactly the links of `generation` (all of its files, nothing else).
    fn assert_home_is(&self, generation: &Path) {
        let files = generation
            .join("home-files")
            .canonicalize()
            .expect("home-files");
        let expected: BTreeMap<PathBuf, PathBuf> = walk_files(&files)
            .into_iter()
            .map(|rel| (rel.clone(), files.join(rel)))
            .collect();
        let links = self.managed_links();
        let missing: Vec<_> = expected
            .keys()
            .filter(|k| !links.contains_key(*k))
            .collect();
        let identical_left_in_place: BTreeSet<_> = missing
            .iter()
            .filter(|rel| self.home.join(rel).is_file() && !self.home.join(rel).is_symlink())
            .collect();
        assert_eq!(
            missing.len(),
            identical_left_in_place.len(),
            "links of {} missing from HOME: {missing:?}",
            generation.display()
        );
        for (rel, target) in &links {
            assert_eq!(
                expected.get(rel),
                Some(target),
                "{} is not a link of {}",
                rel.display(),
                generation.display()
            );
        }
    }

    /// No link in HOME points at a store path a garbage collection would delete.
    fn assert_nothing_dangles_after_gc(&self) {
        let output = std::process::Command::new("nix-store")
            .args(["--gc", "--print-dead"])
            .output()
            .expect("nix-store");
        assert!(output.status.success(), "{}", transcript(&output));
        let dead: BTreeSet<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        for (rel, target) in self.managed_links() {
            let store_path: PathBuf = target.components().take(4).collect();
            assert!(
                !dead.contains(&store_path.display().to_string()),
                "{} -> {} would dangle after a garbage collection",
                rel.display(),
                target.display()
            );
        }
    }
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in std::fs::read_dir(dir.join(&rel))
            .expect("read_dir")
            .flatten()
        {
            let rel = rel.join(entry.file_name());
            if entry.file_type().expect("type").is_dir() {
                stack.push(rel);
            } else {
                out.push(rel);
            }
        }
    }
    out
}

fn ok(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{}", transcript(output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn switch_change_roll_back_and_collect_garbage() {
    let Some(h) = Harness::new() else { return };
    let first = ok(&h.switch(&[]));
    assert!(first.contains("switched to generation 1"), "{first}");
    let one = h.current().expect("generation 1");
    assert_eq!(h.active().as_ref(), Some(&one));
    h.assert_home_is(&one);
    let gitconfig = std::fs::read_link(h.home.join(".gitconfig")).expect("a link");
    assert!(
        nix_driver_managed(&gitconfig),
        "{} is Home Manager's layout",
        gitconfig.display()
    );

    // A second switch after a change: a file changes, one is added.
    h.configure("  home.file.\"notes.txt\".text = \"two\\n\";");
    let second = ok(&h.switch(&[]));
    assert!(second.contains("switched to generation 2"), "{second}");
    assert!(
        !second.contains("back up"),
        "nothing of the user's is in the way: {second}"
    );
    let two = h.current().expect("generation 2");
    h.assert_home_is(&two);
    assert_eq!(h.read("notes.txt").as_deref(), Some("two\n"));
    h.assert_nothing_dangles_after_gc();

    let listed = ok(&h.hm(&["generations", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&listed).expect("json");
    let generations = json["generations"].as_array().expect("list");
    assert_eq!(generations.len(), 2);
    assert_eq!(generations[1]["current"], true);
    assert_eq!(
        generations[1]["specialisations"],
        serde_json::json!(["dark"])
    );

    ok(&h.hm(&["rollback"]));
    assert_eq!(h.current().as_ref(), Some(&one));
    h.assert_home_is(&one);
    assert!(
        !h.home.join("notes.txt").exists(),
        "the file only generation 2 had is gone"
    );
    h.assert_nothing_dangles_after_gc();
    // Nothing leaked as a GC root.
    let roots: Vec<_> = std::fs::read_dir(h.state().join("home-manager/gcroots"))
        .expect("gcroots")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(roots, ["current-home"]);
}

fn nix_driver_managed(target: &Path) -> bool {
    let text = target.to_string_lossy();
    text.starts_with("/nix/store/") && text.contains("-home-manager-files/")
}

#[test]
fn files_in_the_way_are_skipped_backed_up_or_refused() {
    let Some(h) = Harness::new() else { return };
    let gitconfig = h.home.join(".gitconfig");
    // Identical content: Home Manager leaves it in place (and says so).
    std::fs::write(&gitconfig, "[user]\n  name = Alice\n").expect("write");
    let out = ok(&h.switch(&[]));
    assert!(
        out.contains("identical to the new file, left in place"),
        "{out}"
    );
    assert!(!gitconfig.is_symlink(), "the identical file stays");

    let settings = h.home.join(".config/app/settings.toml");
    std::fs::remove_file(&settings).expect("unlink");
    std::fs::write(&settings, "mine\n").expect("write");
    let refused = h.switch(&[]);
    assert_eq!(refused.status.code(), Some(1), "{}", transcript(&refused));
    assert!(
        stderr(&refused).contains("settings.toml"),
        "{}",
        stderr(&refused)
    );
    assert!(
        !stderr(&refused).contains(".gitconfig"),
        "identical: not in the way"
    );
    assert_eq!(std::fs::read_to_string(&settings).expect("kept"), "mine\n");

    // With -b and a backup already there: hm picks the next free name. (With -b, Home
    // Manager moves an identical file to its backup too.)
    std::fs::write(h.home.join(".config/app/settings.toml.bak"), "older\n").expect("write");
    let out = ok(&h.switch(&["-b", "bak"]));
    assert!(out.contains("settings.toml.bak.1"), "{out}");
    assert_eq!(
        h.read(".config/app/settings.toml.bak").as_deref(),
        Some("older\n")
    );
    assert_eq!(
        h.read(".config/app/settings.toml.bak.1").as_deref(),
        Some("mine\n")
    );
    assert_eq!(
        h.read(".gitconfig.bak").as_deref(),
        Some("[user]\n  name = Alice\n")
    );
    assert!(settings.is_symlink() && gitconfig.is_symlink());

    // A backup command, and overwriting a backup.
    let trash = h.dir.path().join("trash");
    std::fs::create_dir(&trash).expect("mkdir");
    let script = h.dir.path().join("to-trash");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nmv \"$1\" '{}'/\n", trash.display()),
    )
    .expect("write");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    h.configure("  home.file.\"notes.txt\".text = \"ours\\n\";");
    std::fs::write(h.home.join("notes.txt"), "mine\n").expect("write");
    let script_arg = script.display().to_string();
    let out = ok(&h.switch(&["-B", &script_arg]));
    assert!(out.contains("back up: `"), "{out}");
    assert_eq!(
        std::fs::read_to_string(trash.join("notes.txt"))
            .ok()
            .as_deref(),
        Some("mine\n")
    );

    h.configure(
        "  home.file.\"notes.txt\".text = \"ours\\n\";\n  home.file.\"todo.txt\".text = \"x\\n\";",
    );
    std::fs::write(h.home.join("todo.txt"), "new\n").expect("write");
    std::fs::write(h.home.join("todo.txt.bak"), "old\n").expect("write");
    let out = ok(&h.switch(&["-b", "bak", "--backup-overwrite"]));
    assert!(out.contains("replacing the earlier backup"), "{out}");
    assert_eq!(h.read("todo.txt.bak").as_deref(), Some("new\n"));

    // A symlink that is not Home Manager's is never replaced silently.
    h.configure("  home.file.\"notes.txt\".text = \"ours\\n\";\n  home.file.\"todo.txt\".text = \"x\\n\";\n  home.file.\"linked\".text = \"x\\n\";");
    std::os::unix::fs::symlink(h.home.join("todo.txt.bak"), h.home.join("linked")).expect("link");
    let refused = h.switch(&[]);
    assert_eq!(refused.status.code(), Some(1), "{}", transcript(&refused));
    assert!(
        stderr(&refused).contains("a symlink not made by Home Manager"),
        "{}",
        stderr(&refused)
    );
    h.assert_nothing_dangles_after_gc();
}

#[test]
fn specialisations_are_listed_and_activated() {
    let Some(h) = Harness::new() else { return };
    let unknown = h.switch(&["-c", "nope"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", transcript(&unknown));
    assert!(
        stderr(&unknown).contains("its specialisations: dark"),
        "{}",
        stderr(&unknown)
    );
    assert_eq!(h.current(), None, "nothing was recorded");

    ok(&h.switch(&["-c", "dark"]));
    assert_eq!(h.read(".config/app/theme").as_deref(), Some("dark\n"));
    let main = h
        .current()
        .expect("the profile records the configuration itself");
    let active = h.active().expect("active");
    assert_eq!(
        active,
        main.join("specialisation/dark")
            .canonicalize()
            .expect("dark")
    );
    h.assert_home_is(&active);

    ok(&h.switch(&[]));
    assert!(!h.home.join(".config/app/theme").exists());
    h.assert_nothing_dangles_after_gc();
}

#[test]
fn dry_run_changes_nothing() {
    let Some(h) = Harness::new() else { return };
    let outside_state = |h: &Harness| {
        let mut files = manifest(&h.home);
        // Created by hm's lock and by nix's cache.
        for dir in [".local", ".local/state", ".cache"] {
            files.remove(Path::new(dir));
        }
        files
    };
    let before = outside_state(&h);
    let out = ok(&h.switch(&["--dry-run"]));
    assert!(out.contains("dry run: nothing was changed"), "{out}");
    assert_eq!(outside_state(&h), before);
    assert_eq!(h.current(), None);
}

#[test]
fn a_failed_activation_restores_the_previous_generation() {
    let Some(h) = Harness::new() else { return };
    ok(&h.switch(&[]));
    let one = h.current().expect("generation 1");
    // A file where a directory is needed: the activation fails half-way.
    h.configure(
        "  home.file.\"blocked/x\".text = \"x\\n\";\n  home.file.\"zz-new\".text = \"x\\n\";",
    );
    std::fs::write(h.home.join("blocked"), "mine\n").expect("write");
    // A file of the user's that the activation may move to its backup before failing:
    // it is put back.
    std::fs::write(h.home.join("zz-new"), "mine too\n").expect("write");
    let before = manifest(&h.home);
    let failed = h.switch(&["-b", "bak"]);
    assert_eq!(failed.status.code(), Some(1), "{}", transcript(&failed));
    assert!(
        stderr(&failed).contains("$HOME is back at generation 1")
            || stderr(&failed).contains("$HOME is still at generation 1"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(manifest(&h.home), before);
    assert_eq!(h.current().as_ref(), Some(&one));
    h.assert_home_is(&one);
    h.assert_nothing_dangles_after_gc();

    // The first switch failing: no links of it are left.
    let h = Harness::new().expect("nix");
    h.configure("  home.file.\"blocked/x\".text = \"x\\n\";");
    std::fs::write(h.home.join("blocked"), "mine\n").expect("write");
    let failed = h.switch(&[]);
    assert_eq!(failed.status.code(), Some(1), "{}", transcript(&failed));
    assert!(h.managed_links().is_empty(), "{:?}", h.managed_links());
    assert_eq!(h.read("blocked").as_deref(), Some("mine\n"));
}

#[test]
fn the_profile_is_checked_before_activating() {
    let Some(h) = Harness::new() else { return };
    let _ = std::fs::remove_dir_all(h.state().join("nix/profiles"));
    std::fs::create_dir_all(h.state().join("nix")).expect("mkdir");
    std::fs::write(h.state().join("nix/profiles"), "").expect("write");
    let refused = h.switch(&[]);
    assert_eq!(refused.status.code(), Some(2), "{}", transcript(&refused));
    assert!(
        stderr(&refused).contains("not a directory"),
        "{}",
        stderr(&refused)
    );
    assert!(h.managed_links().is_empty());

    std::fs::remove_file(h.state().join("nix/profiles")).expect("rm");
    std::os::unix::fs::symlink("/nonexistent/profiles", h.state().join("nix/profiles"))
        .expect("link");
    let refused = h.switch(&[]);
    assert!(
        stderr(&refused).contains("dangling link"),
        "{}",
        stderr(&refused)
    );
    assert!(h.managed_links().is_empty());
}

#[test]
fn concurrent_switches_take_turns() {
    let Some(h) = Harness::new() else { return };
    ok(&h.switch(&[]));
    h.configure("  home.file.\"notes.txt\".text = \"two\\n\";");
    let spawn = || {
        h.command(&h.switch_args(&[]))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn hm")
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (
        a.wait_with_output().expect("wait"),
        b.wait_with_output().expect("wait"),
    );
    ok(&a);
    ok(&b);
    // They ran at the same time: one waited for the other's lock.
    assert!(
        [&a, &b]
            .iter()
            .any(|o| stderr(o).contains("another switch is running; waiting")),
        "{}\n{}",
        transcript(&a),
        transcript(&b)
    );
    let current = h.current().expect("current");
    assert_eq!(h.active().as_ref(), Some(&current));
    h.assert_home_is(&current);
    h.assert_nothing_dangles_after_gc();
}

/// A deterministic spread of points in [0, 1).
fn point(trial: u64) -> f64 {
    (trial.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11) as f64 / (1u64 << 53) as f64
}

#[test]
fn interrupts_never_leave_home_half_switched() {
    use std::os::unix::process::CommandExt;

    let Some(h) = Harness::new() else { return };
    let mine = h.home.join("my-own-file");
    std::fs::write(&mine, "mine\n").expect("write");
    ok(&h.switch(&[]));
    let trials: u64 = std::env::var("HM_TEST_INTERRUPT_TRIALS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(8);
    // When an uninterrupted switch of the same size starts activating and ends, to aim
    // half the interrupts at the build and half at the activation.
    let many = |trial: u64| -> String {
        (0..20)
            .map(|i| {
                format!(
                    "  home.file.\"many/{i}-{}\".text = \"{trial}\\n\";\n",
                    trial % 3
                )
            })
            .collect()
    };
    h.configure(&format!(
        "  home.file.\"notes.txt\".text = \"calibrate\\n\";\n{}",
        many(99)
    ));
    let started = std::time::Instant::now();
    let mut calibration = h
        .command(&h.switch_args(&[]))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn hm");
    let stdout = calibration.stdout.take().expect("stdout");
    let mut activating = started.elapsed();
    for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
        if line.expect("line").starts_with("built ") {
            activating = started.elapsed();
        }
    }
    assert!(calibration.wait().expect("wait").success());
    let finished = started.elapsed();
    let mut outcomes = BTreeMap::new();
    for trial in 0..trials {
        // Each trial needs a new build and changes files, so the interrupt may land in
        // the build or in the middle of linking.
        h.configure(&format!(
            "  home.file.\"notes.txt\".text = \"{trial}\\n\";\n{}",
            many(trial)
        ));
        let mut child = h
            .command(&h.switch_args(&[]))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .process_group(0)
            .spawn()
            .expect("spawn hm");
        // hm prints `built …` when the activation is about to start: the activation trials
        // wait for it, so they land in the activation whatever the build took.
        let (built_tx, built_rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
                let line = line.unwrap_or_default();
                if line.starts_with("built ") {
                    let _ = built_tx.send(());
                }
                text.push_str(&line);
                text.push('\n');
            }
            text
        });
        if trial % 2 == 0 {
            std::thread::sleep(activating.mul_f64(point(trial / 2 + 1)));
        } else {
            let _ = built_rx.recv_timeout(finished * 4);
            std::thread::sleep((finished - activating).mul_f64(point(trial / 2 + 1)));
        }
        // Ctrl-C reaches the whole process group: hm, nix and the activation script.
        // Every fourth trial kills the group outright instead, and every eighth (from the
        // fifth) kills hm alone, leaving its activation running.
        let killed = trial % 4 == 3 || trial % 8 == 5;
        let target = if trial % 8 == 5 {
            child.id().to_string()
        } else {
            format!("-{}", child.id())
        };
        let signal = if killed { "-KILL" } else { "-INT" };
        let sent = std::process::Command::new("kill")
            .args([signal, "--", &target])
            .status()
            .expect("kill");
        let mut output = child.wait_with_output().expect("wait");
        output.stdout = reader.join().expect("reader").into_bytes();
        let status = output.status;
        let activating = String::from_utf8_lossy(&output.stdout).contains("activation");
        let outcome = match status.code() {
            Some(0) => "finished",
            Some(130) if activating => "interrupted while activating",
            Some(130) => "interrupted before activating",
            None if trial % 8 == 5 && activating => "hm alone killed while activating",
            None if trial % 8 == 5 => "hm alone killed before activating",
            None if killed && activating => "killed while activating",
            None if killed => "killed before activating",
            // Before hm installed its handlers: it stopped having changed nothing.
            None if output.stdout.is_empty() => "stopped while starting",
            _ if !sent.success() => "finished before the signal",
            _ => "failed",
        };
        *outcomes.entry(outcome).or_insert(0) += 1;
        assert_ne!(outcome, "failed", "trial {trial}: {}", transcript(&output));
        assert_eq!(
            std::fs::read_to_string(&mine).expect("kept"),
            "mine\n",
            "trial {trial}"
        );
        if status.code().is_none() {
            // Killed mid-way, HOME may be half-switched, but every link is held by a GC
            // root; the next switch repairs HOME first.
            h.assert_nothing_dangles_after_gc();
            let repaired = ok(&h.switch(&[]));
            assert!(repaired.contains("switched to generation"), "{repaired}");
        }
        let active = h.active().expect("a generation is active");
        assert_eq!(
            h.current().as_ref(),
            Some(&active),
            "trial {trial}: profile and HOME agree"
        );
        h.assert_home_is(&active);
        h.assert_nothing_dangles_after_gc();
    }
    eprintln!("interrupt outcomes over {trials} trials: {outcomes:?}");
    // The user's file survived every trial, and a rollback still works.
    ok(&h.hm(&["rollback"]));
    let active = h.active().expect("active");
    h.assert_home_is(&active);
}

#[test]
fn awkward_flake_directories_are_built_as_themselves_or_refused() {
    let Some(h) = Harness::new() else { return };
    for name in ["cfg?dir=x", "a#b", "a b"] {
        let dir = h.dir.path().join(name);
        copy_dir(&h.config(), &dir);
        // The inputs are relative to the configuration's directory.
        let marker = format!(
            "  home.file.\"which\".text = \"{}\\n\";",
            name.replace('"', "")
        );
        std::fs::write(
            dir.join("generated.nix"),
            format!(
                "{{ ... }}: {{\n  home.homeDirectory = \"{}\";\n{}{marker}\n}}\n",
                h.home.display(),
                h.base
            ),
        )
        .expect("write");
    }
    // `config/` itself, so `cfg?dir=x` could be misread as `cfg` with `dir=x`.
    std::fs::create_dir_all(h.dir.path().join("cfg/x")).expect("mkdir");
    h.git(&["add", "-A"]);
    for name in ["cfg?dir=x", "a#b", "a b"] {
        let out = ok(&h.hm(&[
            "build",
            "--no-check",
            "--flake",
            name,
            "--out-link",
            "result",
        ]));
        let built = PathBuf::from(out.trim());
        let which = std::fs::read_to_string(built.join("home-files/which")).expect("which");
        assert_eq!(which, format!("{name}\n"), "built {name} as itself");
    }

    // Outside git, nix reads the path of a `path:` reference verbatim: refused.
    let outside = tempfile::tempdir().expect("tempdir");
    let odd = outside.path().join("a b");
    std::fs::create_dir_all(&odd).expect("mkdir");
    std::fs::copy(h.config().join("flake.nix"), odd.join("flake.nix")).expect("copy");
    std::fs::copy(h.config().join("home.nix"), odd.join("home.nix")).expect("copy");
    std::fs::copy(h.config().join("generated.nix"), odd.join("generated.nix")).expect("copy");
    let refused = h.hm(&[
        "build",
        "--no-check",
        "--flake",
        odd.to_str().expect("utf-8"),
    ]);
    assert_eq!(refused.status.code(), Some(2), "{}", transcript(&refused));
    assert!(
        stderr(&refused).contains("holds a space"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn home_manager_config_and_legacy_locations_are_found() {
    let home = tempfile::tempdir().expect("tempdir");
    let legacy = home.path().join(".config/nixpkgs");
    std::fs::create_dir_all(&legacy).expect("mkdir");
    std::fs::write(
        legacy.join("home.nix"),
        "{ ... }: { home.username = \"alice\"; }\n",
    )
    .expect("write");
    let cwd = tempfile::tempdir().expect("tempdir");
    let run = |config: Option<&Path>| {
        let mut command = hm();
        command
            .arg("users")
            .env("HOME", home.path())
            .env_remove("XDG_CONFIG_HOME")
            .current_dir(cwd.path());
        match config {
            Some(c) => command.env("HOME_MANAGER_CONFIG", c),
            None => command.env_remove("HOME_MANAGER_CONFIG"),
        };
        command.output().expect("run hm")
    };
    let found = run(None);
    assert_eq!(found.status.code(), Some(0), "{}", transcript(&found));
    assert!(
        stderr(&found).contains("is deprecated"),
        "{}",
        stderr(&found)
    );

    let elsewhere = cwd.path().join("elsewhere.nix");
    std::fs::write(&elsewhere, "{ ... }: { home.username = \"carol\"; }\n").expect("write");
    let chosen = run(Some(&elsewhere));
    assert_eq!(chosen.status.code(), Some(0), "{}", transcript(&chosen));
    assert!(!stderr(&chosen).contains("deprecated"));
    let missing = run(Some(&cwd.path().join("nope.nix")));
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("HOME_MANAGER_CONFIG"),
        "{}",
        stderr(&missing)
    );
}
