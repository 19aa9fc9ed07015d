//! Shared helpers for the integration tests: run the built `hm` on fixture repos.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The workspace root (this crate is at crates/hm).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

pub fn example(name: &str) -> PathBuf {
    repo().join("examples").join(name)
}

/// `hm` with a clean, deterministic environment.
pub fn hm() -> Command {
    let mut cmd = Command::cargo_bin("hm").expect("hm binary");
    cmd.env("NO_COLOR", "1")
        .env("COLUMNS", "80")
        .env_remove("XDG_CONFIG_HOME");
    cmd
}

/// Exit code, stdout and stderr in one text, for snapshots.
pub fn transcript(output: &Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output
            .status
            .code()
            .map_or("signal".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    )
}

pub fn run(args: &[&str], path: &Path) -> Output {
    hm().args(args).arg(path).output().expect("run hm")
}

pub fn json(args: &[&str], path: &Path) -> serde_json::Value {
    let output = hm()
        .args(args)
        .arg(path)
        .args(["--format", "json"])
        .output()
        .expect("run hm");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// Whether a tool is on PATH. Under `CI=true` a missing tool fails the test instead:
/// tests that need real components must run in CI, never skip silently there.
pub fn require(tool: &str) -> bool {
    let found = std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "`{tool}` is required under CI=true; the test command installs it"
        );
        eprintln!("skipping: `{tool}` is not installed (the README's test command installs it)");
    }
    found
}

/// A copy of the stand-ins (`nix/`) and the given directories, laid out as in the repo and
/// tracked by git, since flakes only see tracked files.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new(dirs: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        for rel in std::iter::once(&"nix").chain(dirs) {
            copy_dir(&repo().join(rel), &dir.path().join(rel));
        }
        for args in [&["init", "-q"][..], &["add", "-A"][..]] {
            let status = std::process::Command::new("git")
                .args(args)
                .current_dir(dir.path())
                .status()
                .expect("git");
            assert!(status.success(), "git {args:?}");
        }
        Workspace { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else if entry.file_name() != "flake.lock" {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// `nix` with the offline settings from nix/offline.conf, run in `dir`.
pub fn nix(dir: &Path, args: &[&str]) -> Output {
    let config =
        std::fs::read_to_string(repo().join("nix/offline.conf")).expect("nix/offline.conf");
    let output = std::process::Command::new("nix")
        .args(args)
        .current_dir(dir)
        .env("NIX_CONFIG", config)
        .output()
        .expect("run nix");
    assert!(
        output.status.success(),
        "nix {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

pub fn nix_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let output = nix(dir, args);
    serde_json::from_slice(&output.stdout).expect("nix printed JSON")
}

/// What a home directory holds, outside Nix's and Home Manager's state
/// (`.local/state/{nix,home-manager}`, `.cache/nix`, `.nix-defexpr`, `.nix-profile`): each
/// link's target, each file's content, each directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

pub fn manifest(home: &Path) -> std::collections::BTreeMap<PathBuf, Entry> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(home.join(&rel)) else {
            continue;
        };
        for entry in entries.flatten() {
            let rel = rel.join(entry.file_name());
            if [
                ".local/state/nix",
                ".local/state/home-manager",
                ".cache/nix",
                ".nix-defexpr",
                ".nix-profile",
            ]
            .iter()
            .any(|skip| rel == Path::new(skip))
            {
                continue;
            }
            let path = home.join(&rel);
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            let value = if meta.is_symlink() {
                Entry::Link(std::fs::read_link(&path).expect("read_link"))
            } else if meta.is_dir() {
                stack.push(rel.clone());
                Entry::Dir
            } else {
                Entry::File(std::fs::read(&path).expect("read"))
            };
            out.insert(rel, value);
        }
    }
    out
}

/// A directory of executable scripts put first on PATH.
pub struct Shim {
    pub dir: tempfile::TempDir,
}

impl Shim {
    /// `name` runs `script` (a `/bin/sh` script body).
    pub fn new(scripts: &[(&str, &str)]) -> Self {
        let shim = Shim {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        for (name, script) in scripts {
            shim.write(name, script);
        }
        shim
    }

    /// Adds (or replaces) the executable `name` running `script`.
    pub fn write(&self, name: &str, script: &str) {
        let path = self.dir.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{script}")).expect("write shim");
        let mut permissions = std::fs::metadata(&path).expect("meta").permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
        std::fs::set_permissions(&path, permissions).expect("chmod");
    }

    /// A `systemctl` whose `--user is-system-running` says `running`, as a user manager's
    /// does; anything else it is asked fails.
    pub fn user_manager_running() -> Self {
        Self::new(&[(
            "systemctl",
            "[ \"$1 $2\" = '--user is-system-running' ] && echo running && exit 0\nexit 1\n",
        )])
    }

    /// PATH with this directory first.
    pub fn path_env(&self) -> String {
        format!(
            "{}:{}",
            self.dir.path().display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }
}
