//! The home-manager CLI's and nh's command line: which configuration is used (any flake
//! reference, `HM_FLAKE`/`NH_HOME_FLAKE`/`NH_FLAKE`, the default location, `-f`/`-A`/`-I`),
//! Nix options passed through exactly, and the frictions a new user met (untracked files,
//! another host's configuration, errors printed once, exit codes, `--ask`). Recording
//! shims on PATH assert the exact argv; the real offline Nix builds where it can.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{Workspace, hm, repo, require, transcript};

/// A directory with recording `nix`, `nix-build`, `nix-instantiate`, `nix-env`,
/// `nix-store` and `systemctl` shims: each appends its name and argv (one argument per
/// line, then `==end==`) to `log`. `nix eval` prints `names`, builds print a store path.
struct Shims {
    dir: tempfile::TempDir,
    log: PathBuf,
}

impl Shims {
    fn new() -> Self {
        Self::with_nix_failure("")
    }

    /// `nix build` prints `stderr` and fails when it is not empty.
    fn with_nix_failure(stderr: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = dir.path().join("argv.log");
        let record = format!(
            "#!/bin/sh\nprintf '%s\\n' \"$(basename \"$0\")\" >> '{log}'\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{log}'; done\nprintf '==end==\\n' >> '{log}'\n",
            log = log.display()
        );
        let stderr_file = dir.path().join("nix-stderr");
        std::fs::write(&stderr_file, stderr).expect("write");
        let build = if stderr.is_empty() {
            "echo '[{\"drvPath\":\"/nix/store/x.drv\",\"outputs\":{\"out\":\"/nix/store/fake-home-manager-generation\"}}]'".to_string()
        } else {
            format!("cat '{}' >&2; exit 1", stderr_file.display())
        };
        let scripts = [
            (
                "nix",
                format!(
                    "{record}case \" $* \" in *' eval '*) echo '[\"alice@laptop\",\"bob\"]';; *' repl '*) ;; *) {build};; esac\n"
                ),
            ),
            (
                "nix-build",
                format!("{record}echo /nix/store/fake-home-manager-generation\n"),
            ),
            (
                "nix-instantiate",
                format!("{record}echo /nix/store/fake-home-manager-generation.drv\n"),
            ),
            ("nix-env", record.clone()),
            ("nix-store", record.clone()),
            ("systemctl", record.clone()),
        ];
        for (name, script) in scripts {
            let path = dir.path().join(name);
            std::fs::write(&path, script).expect("write shim");
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
                .expect("chmod");
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

    fn calls(&self) -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.split("==end==\n")
            .filter(|c| !c.is_empty())
            .map(|c| c.lines().map(str::to_string).collect())
            .collect()
    }

    /// `hm ARGS` with the shims first on PATH, as `alice` on `laptop`, in `cwd`, with a
    /// HOME of its own and no configuration variables inherited.
    fn hm(&self, args: &[&str], cwd: &Path, home: &Path) -> Output {
        hm().args(args)
            .current_dir(cwd)
            .env("PATH", self.path_env())
            .env("USER", "alice")
            .env("HOME", home)
            .env_remove("HM_FLAKE")
            .env_remove("NH_HOME_FLAKE")
            .env_remove("NH_FLAKE")
            .env_remove("NH_ASK")
            .env_remove("HOME_MANAGER_CONFIG")
            .env_remove("XDG_STATE_HOME")
            .output()
            .expect("run hm")
    }
}

const NIX: [&str; 3] = ["nix", "--extra-experimental-features", "nix-command flakes"];

fn nix_build(out_link: &str, installable: &str, extra: &[&str]) -> Vec<String> {
    NIX.iter()
        .copied()
        .chain(["build", "--json", "--out-link", out_link, installable])
        .chain(extra.iter().copied())
        .map(str::to_string)
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn ok(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{}", transcript(output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn git_standalone() -> String {
    format!(
        "git+file://{}?dir=examples/standalone#homeConfigurations.\"alice\".activationPackage",
        repo().display()
    )
}

#[test]
fn any_flake_reference_reaches_nix_unchanged() {
    let shims = Shims::new();
    let home = tempfile::tempdir().expect("tempdir");
    let standalone = repo().join("examples/standalone");
    let link = home.path().join("result");
    let link = link.to_str().expect("utf-8");

    // A remote flake with a name: not read, said so, built as named.
    let output = shims.hm(
        &[
            "build",
            "--flake",
            "github:alice/dotfiles#alice",
            "--out-link",
            link,
        ],
        home.path(),
        home.path(),
    );
    assert_eq!(ok(&output), "/nix/store/fake-home-manager-generation\n");
    let err = stderr(&output);
    assert!(
        err.contains("using flake github:alice/dotfiles#alice (--flake)")
            && err.contains("static checks are skipped"),
        "{err}"
    );

    // Without a name, Nix is asked which configurations exist: `alice@laptop` first.
    ok(&shims.hm(
        &[
            "build",
            "--flake",
            "github:alice/dotfiles",
            "--host",
            "laptop",
            "--out-link",
            link,
        ],
        home.path(),
        home.path(),
    ));

    // `.#alice` in the flake's directory, and `path:` as written.
    ok(&shims.hm(
        &["build", "--flake", ".#alice", "--out-link", link],
        &standalone,
        home.path(),
    ));
    let path_ref = format!("path:{}#alice", standalone.display());
    ok(&shims.hm(
        &["build", "--flake", &path_ref, "--out-link", link],
        home.path(),
        home.path(),
    ));

    let mut names = NIX.map(str::to_string).to_vec();
    names.extend(
        [
            "eval",
            "--json",
            "github:alice/dotfiles#homeConfigurations",
            "--apply",
            "builtins.attrNames",
        ]
        .map(str::to_string),
    );
    assert_eq!(
        shims.calls(),
        [
            nix_build(
                link,
                "github:alice/dotfiles#homeConfigurations.\"alice\".activationPackage",
                &[]
            ),
            names,
            nix_build(
                link,
                "github:alice/dotfiles#homeConfigurations.\"alice@laptop\".activationPackage",
                &[]
            ),
            nix_build(link, &git_standalone(), &[]),
            nix_build(
                link,
                &format!(
                    "path:{}#homeConfigurations.\"alice\".activationPackage",
                    standalone.display()
                ),
                &[]
            ),
        ]
    );
}

#[test]
fn the_flake_comes_from_the_environment_then_the_default_location_never_the_cwd() {
    let shims = Shims::new();
    let home = tempfile::tempdir().expect("tempdir");
    let standalone = repo().join("examples/standalone");
    let link = home.path().join("result");
    let link = link.to_str().expect("utf-8");
    // The current directory holds another flake (examples/nixos): never read by surprise.
    let cwd = repo().join("examples/nixos");
    for variable in ["HM_FLAKE", "NH_HOME_FLAKE", "NH_FLAKE"] {
        let output = hm()
            .args(["build", "--no-check", "--out-link", link])
            .current_dir(&cwd)
            .env("PATH", shims.path_env())
            .env("USER", "alice")
            .env("HOME", home.path())
            .env_remove("HM_FLAKE")
            .env_remove("NH_HOME_FLAKE")
            .env_remove("NH_FLAKE")
            .env(variable, format!("{}#alice", standalone.display()))
            .output()
            .expect("run hm");
        ok(&output);
        assert!(
            stderr(&output).contains(&format!(
                "using flake {}#alice ({variable})",
                standalone.display()
            )),
            "{}",
            stderr(&output)
        );
    }

    // Nothing given: ~/.config/home-manager, as the home-manager CLI looks.
    let none = shims.hm(&["build", "--out-link", link], &cwd, home.path());
    assert_eq!(none.status.code(), Some(2), "{}", transcript(&none));
    assert!(
        stderr(&none).contains("no Home Manager configuration"),
        "{}",
        stderr(&none)
    );
    let config = home.path().join(".config");
    std::fs::create_dir_all(&config).expect("mkdir");
    std::os::unix::fs::symlink(&standalone, config.join("home-manager")).expect("link");
    let output = shims.hm(
        &["build", "--no-check", "--out-link", link],
        &cwd,
        home.path(),
    );
    ok(&output);
    assert!(
        stderr(&output).contains("(the default location)"),
        "{}",
        stderr(&output)
    );
    let calls = shims.calls();
    assert_eq!(calls.len(), 4);
    assert!(
        calls
            .iter()
            .all(|c| c == &nix_build(link, &git_standalone(), &[])),
        "{calls:?}"
    );
}

#[test]
fn nix_options_pass_through_in_order() {
    let shims = Shims::new();
    let home = tempfile::tempdir().expect("tempdir");
    let standalone = repo().join("examples/standalone");
    let link = home.path().join("result");
    let link = link.to_str().expect("utf-8");
    let flags = [
        "--show-trace",
        "-L",
        "-j",
        "4",
        "--cores",
        "2",
        "--option",
        "substituters",
        "",
        "--impure",
        "--keep-going",
        "--keep-failed",
        "--override-input",
        "nixpkgs",
        "path:/src/nixpkgs",
        "--update-input",
        "home-manager",
        "--recreate-lock-file",
        "--no-write-lock-file",
        "--refresh",
        "--builders",
        "",
        "--log-format",
        "bar-with-logs",
        "--no-update-lock-file",
        "--commit-lock-file",
        "--no-registries",
        "--no-substitute",
        "--debug",
        "--",
        "--print-missing",
        "--fallback",
    ];
    let mut args = vec!["build", "--no-check", "--flake", ".", "--out-link", link];
    args.extend(flags);
    ok(&shims.hm(&args, &standalone, home.path()));
    // nh's --update: every input updated (one --recreate-lock-file, however asked).
    ok(&shims.hm(
        &[
            "build",
            "--no-check",
            "--flake",
            ".",
            "--out-link",
            link,
            "-u",
            "--recreate-lock-file",
        ],
        &standalone,
        home.path(),
    ));
    assert_eq!(
        shims.calls()[1],
        nix_build(link, &git_standalone(), &["--recreate-lock-file"])
    );
    assert_eq!(
        shims.calls()[..1],
        [nix_build(
            link,
            &git_standalone(),
            &[
                "--print-build-logs",
                "--show-trace",
                "--max-jobs",
                "4",
                "--cores",
                "2",
                "--builders",
                "",
                "--log-format",
                "bar-with-logs",
                "--option",
                "substituters",
                "",
                "--override-input",
                "nixpkgs",
                "path:/src/nixpkgs",
                "--update-input",
                "home-manager",
                "--impure",
                "--keep-going",
                "--keep-failed",
                "--recreate-lock-file",
                "--no-update-lock-file",
                "--no-write-lock-file",
                "--commit-lock-file",
                "--no-registries",
                "--refresh",
                "--no-substitute",
                "--debug",
                "--print-missing",
                "--fallback",
            ]
        )]
    );
}

#[test]
fn channel_style_configurations_build_with_nix_build_as_the_cli_does() {
    let shims = Shims::new();
    let home = tempfile::tempdir().expect("tempdir");
    let file = repo().join("examples/standalone/home.nix");
    let link = home.path().join("result");
    let link = link.to_str().expect("utf-8");
    let file_arg = file.to_str().expect("utf-8");
    let output = shims.hm(
        &[
            "build",
            "-f",
            file_arg,
            "-I",
            "home-manager=/src/hm",
            "--show-trace",
            "-v",
            "--arg",
            "check",
            "false",
            "--argstr",
            "confName",
            "x y",
            "--out-link",
            link,
        ],
        home.path(),
        home.path(),
    );
    assert_eq!(ok(&output), "/nix/store/fake-home-manager-generation\n");
    ok(&shims.hm(
        &["build", "-f", file_arg, "-A", "alice", "--no-out-link"],
        home.path(),
        home.path(),
    ));
    let with_flake = shims.hm(
        &["build", "--flake", "github:a/b", "-A", "alice"],
        home.path(),
        home.path(),
    );
    assert_eq!(with_flake.status.code(), Some(2));
    assert!(stderr(&with_flake).contains("--flake github:a/b#alice"));
    let refused = shims.hm(
        &["build", "-f", file_arg, "--update-input", "nixpkgs"],
        home.path(),
        home.path(),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--update-input works on flakes"));
    let hm_nix = "<home-manager/home-manager/home-manager.nix>";
    assert_eq!(
        shims.calls(),
        [
            vec![
                "nix-build",
                hm_nix,
                "--out-link",
                link,
                "--attr",
                "activationPackage",
                "-I",
                "home-manager=/src/hm",
                "--show-trace",
                "--show-trace",
                "--arg",
                "check",
                "false",
                "--argstr",
                "confName",
                "x y",
                "--argstr",
                "confPath",
                file_arg,
                "--argstr",
                "confAttr",
                "",
            ],
            vec![
                "nix-build",
                hm_nix,
                "--no-out-link",
                "--attr",
                "activationPackage",
                "--argstr",
                "confPath",
                file_arg,
                "--argstr",
                "confAttr",
                "alice",
            ],
        ]
    );
}

/// A flake in a fresh git repository whose home.nix is not added to git.
fn untracked_flake() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("flake.nix"),
        std::fs::read_to_string(repo().join("examples/standalone/flake.nix"))
            .expect("read")
            .replace("path:../../nix/", "github:nix-community/"),
    )
    .expect("write");
    std::fs::copy(
        repo().join("examples/standalone/home.nix"),
        dir.path().join("home.nix"),
    )
    .expect("copy");
    for args in [&["init", "-q"][..], &["add", "flake.nix"]] {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .status()
            .expect("git");
        assert!(status.success());
    }
    dir
}

#[test]
fn switch_refuses_files_git_does_not_track_before_running_nix() {
    let shims = Shims::new();
    let flake = untracked_flake();
    let home = tempfile::tempdir().expect("tempdir");
    let output = shims.hm(
        &["switch", "--flake", flake.path().to_str().expect("utf-8")],
        home.path(),
        home.path(),
    );
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let err = stderr(&output);
    assert!(
        err.contains("home.nix is not tracked by git") && err.contains("git add home.nix"),
        "{err}"
    );
    assert!(shims.calls().is_empty(), "{:?}", shims.calls());
}

#[test]
fn another_hosts_configuration_is_never_picked_and_identity_mismatches_are_warned() {
    let shims = Shims::new();
    let home = tempfile::tempdir().expect("tempdir");
    let nixos = repo().join("examples/nixos");
    let output = shims.hm(
        &[
            "build",
            "--flake",
            nixos.to_str().expect("utf-8"),
            "--host",
            "vm",
        ],
        home.path(),
        home.path(),
    );
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    assert!(
        stderr(&output).contains("`alice` is configured on other hosts: laptop"),
        "{}",
        stderr(&output)
    );
    assert!(shims.calls().is_empty());

    // examples/standalone is for alice in /home/alice; built as bob elsewhere, hm says so.
    let flake = format!("{}#alice", repo().join("examples/standalone").display());
    let output = hm()
        .args(["build", "--no-out-link", "--flake", &flake])
        .env("PATH", shims.path_env())
        .env("USER", "bob")
        .env("HOME", home.path())
        .output()
        .expect("run hm");
    ok(&output);
    let err = stderr(&output);
    assert!(
        err.contains("sets home.username = \"alice\", but $USER is \"bob\"")
            && err.contains("sets home.homeDirectory = \"/home/alice\", but $HOME is"),
        "{err}"
    );
}

#[test]
fn a_build_error_is_printed_once_with_nixs_hints() {
    let error = "warning: Git tree is dirty\nerror: attribute 'hello-world' missing\n\n       at /nix/store/0000000000000000000000000000000-source/examples/standalone/home.nix:10:21:\n\n            9|\n           10|   home.packages = [ pkgs.hello-world ];\n             |                     ^\n\n       Did you mean hello?\n";
    let shims = Shims::with_nix_failure(error);
    let home = tempfile::tempdir().expect("tempdir");
    let output = shims.hm(
        &["build", "--no-out-link", "--flake", ".#alice"],
        &repo().join("examples/standalone"),
        home.path(),
    );
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let err = stderr(&output);
    assert_eq!(err.matches("Did you mean hello?").count(), 1, "{err}");
    assert_eq!(err.matches("error: attribute").count(), 0, "{err}");
    assert!(err.contains("home.nix:10:21"), "{err}");
    assert!(
        err.contains("warning: Git tree is dirty"),
        "progress is shown: {err}"
    );
    // The diagnostic fits COLUMNS (hm's own one-line messages are not wrapped).
    for line in err.lines().filter(|l| !l.starts_with("hm: ")) {
        assert!(line.chars().count() <= 80, "wider than COLUMNS: {line}");
    }

    // A failure Nix places nowhere in the files is shown once, as Nix printed it.
    let shims =
        Shims::with_nix_failure("error: builder for '/nix/store/x.drv' failed\n  last line\n");
    let output = shims.hm(
        &["build", "--no-out-link", "--flake", "github:a/b#alice"],
        home.path(),
        home.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output).matches("builder for").count(),
        1,
        "{}",
        stderr(&output)
    );
}

#[test]
fn switch_exit_codes_agree_and_ask_waits_for_yes() {
    if !require("nix") {
        return;
    }
    let ws = Workspace::new(&["examples/standalone"]);
    let home = ws.path("home");
    std::fs::create_dir_all(home.join(".config/workstyle")).expect("mkdir");
    let config = std::fs::read_to_string(repo().join("nix/offline.conf")).expect("config");
    let switch = |extra: &[&str], stdin: &str| {
        hm().args(["switch", "--flake", "examples/standalone"])
            .args(extra)
            .current_dir(ws.dir.path())
            .env("HOME", &home)
            .env("USER", "alice")
            .env("NIX_CONFIG", &config)
            .env_remove("XDG_STATE_HOME")
            .env_remove("NH_ASK")
            .env_remove("HOME_MANAGER_BACKUP_EXT")
            .write_stdin(stdin)
            .output()
            .expect("run hm")
    };
    // A file in the way is the configuration failing, as a failed build is: exit 1.
    let mine = home.join(".config/workstyle/config.toml");
    std::fs::write(&mine, "mine\n").expect("write");
    let refused = switch(&[], "");
    assert_eq!(refused.status.code(), Some(1), "{}", transcript(&refused));
    std::fs::remove_file(&mine).expect("rm");

    // NH_ASK=1 asks as --ask does.
    let declined = hm()
        .args(["switch", "--flake", "examples/standalone"])
        .current_dir(ws.dir.path())
        .env("HOME", &home)
        .env("USER", "alice")
        .env("NIX_CONFIG", &config)
        .env("NH_ASK", "1")
        .env_remove("XDG_STATE_HOME")
        .write_stdin("")
        .output()
        .expect("run hm");
    assert_eq!(declined.status.code(), Some(1), "{}", transcript(&declined));
    assert!(stderr(&declined).contains("Activate it? [y/N]"));
    let declined = switch(&["--ask"], "n\n");
    assert_eq!(declined.status.code(), Some(1), "{}", transcript(&declined));
    assert!(stderr(&declined).contains("Activate it? [y/N]"));
    assert!(stderr(&declined).contains("not activated"));
    assert!(!mine.exists());
    let accepted = switch(&["--ask"], "y\n");
    assert!(ok(&accepted).contains("switched to generation 1"));
    assert!(mine.is_symlink());

    // Uninstalling removes the generation's links from $HOME and the profile.
    let uninstalled = hm()
        .args(["uninstall", "--yes"])
        .env("HOME", &home)
        .env("USER", "alice")
        .env("NIX_CONFIG", &config)
        .env_remove("XDG_STATE_HOME")
        .env_remove("XDG_DATA_HOME")
        .output()
        .expect("run hm");
    let said = ok(&uninstalled);
    assert!(said.contains("Home Manager is uninstalled"), "{said}");
    assert!(!mine.exists() && !mine.is_symlink());
    assert!(
        !home
            .join(".local/state/nix/profiles/home-manager")
            .is_symlink()
    );
}

#[test]
fn version_is_printed() {
    let version = ok(&hm().arg("--version").output().expect("run hm"));
    assert_eq!(version, format!("hm {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn exit_codes_are_documented_in_the_help() {
    let help = ok(&hm().arg("--help").output().expect("run hm"));
    for code in ["0", "1", "2", "3", "130"] {
        assert!(help.contains(&format!("  {code:>3}  ")), "{help}");
    }
}

/// A HOME whose profile holds two generations outside the store (gen2 current, gen1 made
/// on 2020-01-01): each has an `activate` that records its argv in `activated`, an empty
/// `home-files` and a `home-path`.
struct FakeProfile {
    root: tempfile::TempDir,
}

impl FakeProfile {
    fn new() -> Self {
        let root = tempfile::tempdir().expect("tempdir");
        let home = root.path().join("home");
        let profiles = home.join(".local/state/nix/profiles");
        std::fs::create_dir_all(&profiles).expect("mkdir");
        for id in [1, 2] {
            let generation = root.path().join(format!("gen{id}"));
            std::fs::create_dir_all(generation.join("home-files")).expect("mkdir");
            std::fs::create_dir_all(generation.join("home-path")).expect("mkdir");
            std::fs::write(generation.join("gen-version"), "1\n").expect("write");
            let script = generation.join("activate");
            std::fs::write(
                &script,
                format!(
                    "#!/bin/sh\necho \"gen{id} $*\" >> '{}'\n",
                    root.path().join("activated").display()
                ),
            )
            .expect("write");
            std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
                .expect("chmod");
            let link = profiles.join(format!("home-manager-{id}-link"));
            std::os::unix::fs::symlink(&generation, &link).expect("link");
            // gen1 made on 2020-01-01, gen2 now.
            if id == 1 {
                let status = std::process::Command::new("touch")
                    .args(["-h", "-d", "2020-01-01"])
                    .arg(&link)
                    .status()
                    .expect("touch");
                assert!(status.success());
            }
        }
        std::os::unix::fs::symlink("home-manager-2-link", profiles.join("home-manager"))
            .expect("link");
        FakeProfile { root }
    }

    fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    fn profiles(&self) -> PathBuf {
        self.home().join(".local/state/nix/profiles")
    }
}

#[test]
fn instantiate_option_repl_and_edit_run_nix_and_the_editor_as_the_cli_does() {
    let shims = Shims::new();
    let home = tempfile::tempdir().expect("tempdir");
    let standalone = repo().join("examples/standalone");
    let file = standalone.join("home.nix");
    let file_arg = file.to_str().expect("utf-8");
    let drv = ok(&shims.hm(
        &["instantiate", "--flake", ".#alice"],
        &standalone,
        home.path(),
    ));
    assert_eq!(
        drv, "[\"alice@laptop\",\"bob\"]\n",
        "the shim's eval output is printed"
    );
    ok(&shims.hm(
        &["instantiate", "-f", file_arg, "-A", "alice"],
        home.path(),
        home.path(),
    ));

    // Written in home.nix: answered from the file, with where.
    let answer = ok(&shims.hm(
        &["option", "home.username", "--flake", ".#alice"],
        &standalone,
        home.path(),
    ));
    assert!(
        answer.contains("home.username = \"alice\"  (home.nix:4)"),
        "{answer}"
    );
    let below = ok(&shims.hm(
        &["option", "home", "--recursive", "--flake", ".#alice"],
        &standalone,
        home.path(),
    ));
    assert!(
        below.contains("home.username = \"alice\"")
            && below.contains("home.stateVersion = \"24.11\""),
        "{below}"
    );
    // Not written there: Nix is asked.
    let asked = ok(&shims.hm(
        &["option", "programs.git.enable", "--flake", ".#alice"],
        &standalone,
        home.path(),
    ));
    assert!(
        asked.contains("Value:") && asked.contains("not in your files"),
        "{asked}"
    );

    ok(&shims.hm(&["repl", "--flake", ".#alice"], &standalone, home.path()));

    let editor = shims.dir.path().join("editor");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\nprintf '%s\\n' editor \"$@\" ==end== >> '{}'\n",
            shims.log.display()
        ),
    )
    .expect("write");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let edited = hm()
        .args(["edit", "--flake", ".#alice"])
        .current_dir(&standalone)
        .env("PATH", shims.path_env())
        .env("USER", "alice")
        .env("HOME", home.path())
        .env_remove("VISUAL")
        .env("EDITOR", format!("{} --wait", editor.display()))
        .output()
        .expect("run hm");
    ok(&edited);

    let calls = shims.calls();
    assert_eq!(calls.len(), 5, "{calls:?}");
    let git_ref = format!("git+file://{}?dir=examples/standalone#", repo().display());
    assert_eq!(
        calls[0],
        NIX.iter()
            .map(|s| s.to_string())
            .chain([
                "eval".to_string(),
                "--raw".to_string(),
                format!("{git_ref}homeConfigurations.\"alice\".activationPackage.drvPath"),
            ])
            .collect::<Vec<_>>()
    );
    assert_eq!(
        calls[1],
        [
            "nix-instantiate",
            "<home-manager/home-manager/home-manager.nix>",
            "--argstr",
            "confPath",
            file_arg,
            "--argstr",
            "confAttr",
            "alice"
        ]
    );
    assert_eq!(
        calls[2],
        NIX.iter()
            .map(|s| s.to_string())
            .chain([
                "eval".to_string(),
                "--json".to_string(),
                "--show-trace".to_string(),
                format!("{git_ref}homeConfigurations.\"alice\".config.programs.git.enable"),
            ])
            .collect::<Vec<_>>()
    );
    assert_eq!(
        calls[3][..5],
        [
            "nix",
            "--extra-experimental-features",
            "nix-command flakes",
            "repl",
            "--expr"
        ]
    );
    // The expression is one argument of several lines (the log splits it at newlines).
    let expression = calls[3][5..].join("\n");
    assert!(
        expression.contains(&format!(
            "builtins.getFlake \"git+file://{}?dir=examples/standalone\"",
            repo().display()
        )) && expression.contains("configuration = flake.homeConfigurations.\"alice\";"),
        "{expression}"
    );
    assert_eq!(calls[4], ["editor", "--wait", file_arg]);
}

#[test]
fn packages_generations_rollback_and_uninstall_work_on_the_profile() {
    let shims = Shims::new();
    std::fs::write(
        shims.dir.path().join("nix-store"),
        format!(
            "#!/bin/sh\nprintf '%s\\n' nix-store \"$@\" ==end== >> '{}'\nprintf '/nix/store/aaa-ripgrep-14.1.0\\n/nix/store/bbb-Bat-0.24\\n'\n",
            shims.log.display()
        ),
    )
    .expect("write");
    let fake = FakeProfile::new();
    let home = fake.home();
    let run = |args: &[&str], stdin: &str| {
        hm().args(args)
            .env("PATH", shims.path_env())
            .env("USER", "alice")
            .env("HOME", &home)
            .env_remove("XDG_STATE_HOME")
            .env_remove("XDG_DATA_HOME")
            .write_stdin(stdin)
            .output()
            .expect("run hm")
    };
    assert_eq!(ok(&run(&["packages"], "")), "Bat-0.24\nripgrep-14.1.0\n");

    // Generations made before 2021 are expired (gen1); the current one never.
    assert!(
        ok(&run(&["expire-generations", "-n", "2021-01-01"], ""))
            .contains("would remove generations 1")
    );
    ok(&run(&["expire-generations", "2021-01-01"], ""));
    let refused = run(&["remove-generations", "2"], "");
    assert_eq!(refused.status.code(), Some(2), "{}", transcript(&refused));
    assert!(stderr(&refused).contains("is the current one"));

    // `switch --rollback` is `hm rollback` (the nix-env shim deleted nothing, so
    // generation 1 is still there to go back to).
    ok(&run(&["switch", "--rollback"], ""));
    assert_eq!(
        std::fs::read_to_string(fake.root.path().join("activated")).expect("activated"),
        "gen1 --driver-version 1\n"
    );

    // Uninstall: asks; `n` removes nothing.
    let declined = run(&["uninstall"], "n\n");
    assert_eq!(declined.status.code(), Some(1));
    assert!(fake.profiles().join("home-manager").is_symlink());
    let done = ok(&run(&["uninstall"], "y\n"));
    assert!(done.contains("Home Manager is uninstalled"), "{done}");
    assert!(
        std::fs::read_dir(fake.profiles())
            .expect("profiles")
            .next()
            .is_none(),
        "every generation link is gone"
    );
    assert!(!home.join(".local/state/home-manager").exists());

    let calls = shims.calls();
    let profile = fake.profiles().join("home-manager");
    let profile = profile.to_str().expect("utf-8");
    assert_eq!(
        calls,
        [
            vec![
                "nix-store".to_string(),
                "--query".into(),
                "--references".into(),
                fake.root
                    .path()
                    .join("gen2/home-path")
                    .display()
                    .to_string(),
            ],
            ["nix-env", "--profile", profile, "--delete-generations", "1"]
                .map(str::to_string)
                .to_vec(),
            // The rollback's plan: whether a user manager runs, and the package changes.
            ["systemctl", "--user", "is-system-running"]
                .map(str::to_string)
                .to_vec(),
            vec![
                "nix".to_string(),
                "--extra-experimental-features".into(),
                "nix-command flakes".into(),
                "store".into(),
                "diff-closures".into(),
                fake.root.path().join("gen2").display().to_string(),
                fake.root.path().join("gen1").display().to_string(),
            ],
            ["nix-env", "--profile", profile, "--switch-generation", "1"]
                .map(str::to_string)
                .to_vec(),
            ["nix-env", "-e", "home-manager-path"]
                .map(str::to_string)
                .to_vec(),
        ]
    );
}

#[test]
fn init_takes_the_clis_flags_and_leaves_existing_files() {
    let home = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| {
        hm().arg("init")
            .args(args)
            .env("HOME", home.path())
            .env("USER", "alice")
            .output()
            .expect("run hm")
    };
    let plain = home.path().join("plain");
    let out = ok(&run(&["--no-flake", plain.to_str().expect("utf-8")]));
    assert!(plain.join("home.nix").is_file() && !plain.join("flake.nix").exists());
    assert!(out.contains("hm switch -f"), "{out}");

    let pinned = home.path().join("pinned");
    std::fs::create_dir_all(&pinned).expect("mkdir");
    std::fs::write(pinned.join("home.nix"), "# mine\n").expect("write");
    let out = ok(&run(&[
        pinned.to_str().expect("utf-8"),
        "--home-manager-url",
        "github:nix-community/home-manager/release-25.05",
        "--nixpkgs-url",
        "github:nixos/nixpkgs/nixos-25.05",
    ]));
    assert!(out.contains("leaving it unchanged"), "{out}");
    assert_eq!(
        std::fs::read_to_string(pinned.join("home.nix")).expect("read"),
        "# mine\n"
    );
    let flake = std::fs::read_to_string(pinned.join("flake.nix")).expect("flake.nix");
    assert!(
        flake.contains("url = \"github:nix-community/home-manager/release-25.05\";")
            && flake.contains("nixpkgs.url = \"github:nixos/nixpkgs/nixos-25.05\";"),
        "{flake}"
    );
}

/// `hm ARGS` on a pseudo-terminal of `columns` (COLUMNS unset), through `script`.
fn on_terminal(columns: u16, args: &str) -> String {
    let hm = assert_cmd::cargo::cargo_bin("hm");
    let output = std::process::Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "stty rows 40 cols {columns}; '{}' {args}",
            hm.display()
        ))
        .arg("/dev/null")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .output()
        .expect("run script");
    String::from_utf8_lossy(&output.stdout).replace('\r', "")
}

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn tables_and_diagnostics_fit_the_real_terminal_width() {
    if !require("script") {
        return;
    }
    let services = format!(
        "services '{}'",
        repo().join("examples/standalone").display()
    );
    let wide = on_terminal(160, &services);
    assert!(
        wide.contains("Workstyle: sway workspaces named after their windows"),
        "160 columns hold the whole description:\n{wide}"
    );
    let narrow = on_terminal(60, &services);
    assert!(widest(&narrow) <= 60, "{narrow}");
    let check = format!(
        "check '{}'",
        repo()
            .join("tests/fixtures/check/HM201-service-never-started")
            .display()
    );
    // Diagnostics follow the terminal too (a label may pass the edge by its own length).
    assert!(widest(&on_terminal(60, &check)) < 70);
    assert!(widest(&on_terminal(160, &check)) > 80);
    // COLUMNS, when set, wins (piped output too).
    let output = hm()
        .args(["services"])
        .arg(repo().join("examples/standalone"))
        .env("COLUMNS", "30")
        .output()
        .expect("run hm");
    assert!(ok(&output).contains('…'));
}

#[test]
fn a_reader_that_goes_away_is_success_for_service_status_and_logs() {
    let shims = Shims::new();
    for (name, line) in [("systemctl", "status line"), ("journalctl", "log line")] {
        std::fs::write(
            shims.dir.path().join(name),
            format!(
                "#!/bin/sh\ni=0\nwhile [ $i -lt 50000 ]; do echo \"{line} $i\"; i=$((i+1)); done\n"
            ),
        )
        .expect("write");
        std::fs::set_permissions(
            shims.dir.path().join(name),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .expect("chmod");
    }
    for verb in ["status", "logs"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("hm"))
            .args(["service", verb, "workstyle"])
            .arg(repo().join("examples/standalone"))
            .env("PATH", shims.path_env())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn hm");
        // `| head -1`: read a line, then close the pipe.
        let mut first = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.take().expect("stdout")),
            &mut first,
        )
        .expect("a line");
        let output = child.wait_with_output().expect("wait");
        assert_eq!(output.status.code(), Some(0), "{verb}: {}", stderr(&output));
        assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
    }
}

#[test]
fn every_subcommand_has_a_man_page_and_every_reference_exists() {
    let dir = tempfile::tempdir().expect("tempdir");
    ok(&hm()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .expect("run hm"));
    let pages: Vec<String> = std::fs::read_dir(dir.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    for command in [
        "hm",
        "hm-build",
        "hm-switch",
        "hm-generations",
        "hm-generations-remove",
        "hm-option",
        "hm-repl",
        "hm-instantiate",
        "hm-edit",
        "hm-packages",
        "hm-uninstall",
        "hm-expire-generations",
        "hm-remove-generations",
        "hm-service",
        "hm-man",
    ] {
        assert!(
            pages.contains(&format!("{command}.1")),
            "{command}: {pages:?}"
        );
    }
    // Every `hm-x(1)` a page names is a page.
    for page in &pages {
        let text = std::fs::read_to_string(dir.path().join(page)).expect("read");
        for (at, _) in text.match_indices("hm\\-") {
            let name: String = text[at..]
                .chars()
                .take_while(|c| *c != '(')
                .collect::<String>()
                .replace("\\-", "-");
            if text[at..].contains('(')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                assert!(
                    pages.contains(&format!("{name}.1")),
                    "{page} names {name}(1)"
                );
            }
        }
    }
    let switch = ok(&hm().args(["man", "switch"]).output().expect("run hm"));
    assert!(switch.contains(".TH hm-switch 1"), "{switch}");
    assert!(ok(&hm().arg("man").output().expect("run hm")).contains("Exit status"));
}

#[test]
fn completions_offer_users_hosts_services_and_generations() {
    let fake = FakeProfile::new();
    let complete = |shell: &str, flake: &str, words: &[&str]| {
        let output = hm()
            .arg("--")
            .args(words)
            .env("COMPLETE", shell)
            .env("HM_FLAKE", repo().join(flake))
            .env("HOME", fake.home())
            .env_remove("XDG_STATE_HOME")
            .output()
            .expect("run hm");
        ok(&output)
    };
    let first = |text: String| text.lines().next().unwrap_or_default().to_string();
    assert_eq!(
        first(complete(
            "fish",
            "examples/standalone",
            &["hm", "service", "status", ""]
        )),
        "workstyle"
    );
    assert_eq!(
        first(complete(
            "fish",
            "examples/standalone",
            &["hm", "build", "--user", ""]
        )),
        "alice"
    );
    assert_eq!(
        first(complete(
            "fish",
            "examples/nixos",
            &["hm", "switch", "--host", ""]
        )),
        "laptop"
    );
    assert!(
        complete(
            "fish",
            "examples/standalone",
            &["hm", "remove-generations", ""]
        )
        .starts_with("2\tcurrent\n1\n")
    );
    // The scripts ask hm.
    for shell in ["bash", "zsh", "fish", "nushell"] {
        let script = ok(&hm().args(["completions", shell]).output().expect("run hm"));
        assert!(
            script.contains(&format!("COMPLETE={shell}"))
                || script.contains(&format!("COMPLETE=\"{shell}\""))
                || (shell == "nushell" && script.contains("COMPLETE=fish ^hm")),
            "{shell}: {script}"
        );
    }

    // nushell's external completer, run by a real nushell, asks hm and hands other
    // commands to the completer that was there before.
    let nu = std::env::var_os("HM_TEST_NU").unwrap_or_else(|| "nu".into());
    if std::process::Command::new(&nu)
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "skipping nushell's completer: no `nu` (HM_TEST_NU); tests/run.sh installs it from npm"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("hm.nu");
    let text = hm()
        .args(["completions", "nushell"])
        .output()
        .expect("run hm");
    std::fs::write(&script, &text.stdout).expect("write");
    let bin = assert_cmd::cargo::cargo_bin("hm");
    let path = std::env::join_paths(
        std::iter::once(bin.parent().expect("bin dir").to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .expect("PATH");
    let complete = |words: &str| {
        let command = format!(
            "$env.config.completions.external.completer = {{|spans| [{{value: other}}]}}; source {}; do $env.config.completions.external.completer {words} | to json -r",
            script.display()
        );
        let output = std::process::Command::new(&nu)
            .args(["-n", "-c", &command])
            .env("PATH", &path)
            .env("HM_FLAKE", repo().join("examples/standalone"))
            .env("HOME", fake.home())
            .env_remove("XDG_STATE_HOME")
            .output()
            .expect("run nu");
        ok(&output)
    };
    assert!(
        complete("[hm service status '']")
            .starts_with(r#"[{"value":"workstyle","description":""},{"value":"--lines","#)
    );
    assert!(
        complete("[hm swi]")
            .starts_with(r#"[{"value":"switch","description":"Build, then activate"#)
    );
    assert_eq!(complete("[git ch]").trim(), r#"[{"value":"other"}]"#);
}

#[test]
fn init_switch_builds_and_activates_the_new_configuration() {
    if !require("nix") {
        return;
    }
    let ws = Workspace::new(&[]);
    let home = ws.path("home");
    std::fs::create_dir_all(&home).expect("mkdir");
    // Outside the workspace's git repository: there the new files would be untracked,
    // which hm rightly refuses (HM105).
    let outside = tempfile::tempdir().expect("tempdir");
    let dir = outside.path().join("cfg");
    let url = |rel: &str| format!("path:{}", ws.path(rel).display());
    let output = hm()
        .args(["init", "--switch"])
        .arg(&dir)
        .args(["--nixpkgs-url", &url("nix/nixpkgs")])
        .args(["--home-manager-url", &url("nix/home-manager")])
        .env("HOME", &home)
        .env("USER", "alice")
        .env(
            "NIX_CONFIG",
            std::fs::read_to_string(repo().join("nix/offline.conf")).expect("config"),
        )
        .env_remove("XDG_STATE_HOME")
        .output()
        .expect("run hm");
    let out = ok(&output);
    assert!(
        out.contains("created") && out.contains("switched to generation 1"),
        "{out}"
    );
    assert!(
        home.join(".local/state/nix/profiles/home-manager")
            .is_symlink()
    );
}

#[test]
fn a_reader_of_both_streams_that_goes_away_is_success() {
    // `hm build 2>&1 | head -1` while Nix is still printing progress.
    let shims = Shims::new();
    std::fs::write(
        shims.dir.path().join("nix"),
        "#!/bin/sh\ni=0\nwhile [ $i -lt 20000 ]; do echo \"progress $i\" >&2; i=$((i+1)); done\necho '[{\"outputs\":{\"out\":\"/nix/store/x-home-manager-generation\"}}]'\n",
    )
    .expect("write");
    let home = tempfile::tempdir().expect("tempdir");
    let (reader, writer) = std::io::pipe().expect("pipe");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("hm"))
        .args(["build", "--no-out-link", "--flake", "github:a/b#alice"])
        .env("PATH", shims.path_env())
        .env("USER", "alice")
        .env("HOME", home.path())
        .stdout(writer.try_clone().expect("clone"))
        .stderr(writer)
        .spawn()
        .expect("spawn hm");
    let mut first = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(reader), &mut first).expect("a line");
    // The reader is gone now.
    assert_eq!(child.wait().expect("wait").code(), Some(0), "{first}");
}

#[test]
fn a_progress_line_is_drawn_from_nixs_internal_json_log() {
    if !require("nix") {
        return;
    }
    let config = std::fs::read_to_string(repo().join("nix/offline.conf")).expect("config");
    let build = |ws: &Workspace, extra: &[&str]| {
        hm().args([
            "build",
            "--no-out-link",
            "--flake",
            "examples/standalone#alice",
        ])
        .args(extra)
        .current_dir(ws.dir.path())
        .env("HOME", ws.path("home"))
        .env("USER", "alice")
        .env("NIX_CONFIG", &config)
        .output()
        .expect("run hm")
    };
    let edit = |ws: &Workspace, from: &str, to: &str| {
        let file = ws.path("examples/standalone/home.nix");
        let text = std::fs::read_to_string(&file).expect("read");
        std::fs::write(&file, text.replace(from, to)).expect("write");
    };

    // A file only this run has, so Nix has derivations to build.
    let ws = Workspace::new(&["examples/standalone"]);
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_nanos();
    edit(
        &ws,
        "programs.home-manager.enable = true;",
        &format!(
            "programs.home-manager.enable = true;\n  home.file.\"progress\".text = \"{nonce}\";"
        ),
    );
    let built = build(&ws, &["--progress", "always"]);
    assert!(built.status.success(), "{}", transcript(&built));
    assert!(
        ok(&built).starts_with("/nix/store/"),
        "{}",
        transcript(&built)
    );
    let err = stderr(&built);
    assert!(!err.contains("@nix"), "Nix's JSON never shows: {err}");
    assert!(
        err.contains("\r\x1b[K"),
        "the line is redrawn in place: {err:?}"
    );
    assert!(
        err.contains(" built"),
        "derivations built are counted: {err}"
    );
    assert!(err.contains("hm: built "), "a summary at the end: {err}");
    assert!(
        err.contains("\x1b[Kwarning: creating lock file"),
        "Nix's messages show above the line: {err}"
    );

    // Nix's error is reported once, with its hints, at the place in the files.
    edit(&ws, "pkgs.hello ]", "pkgs.hellp ]");
    let failed = build(&ws, &["--progress", "always"]);
    assert_eq!(failed.status.code(), Some(1), "{}", transcript(&failed));
    let err = stderr(&failed);
    assert!(!err.contains("@nix"), "{err}");
    assert_eq!(err.matches("Did you mean hello?").count(), 1, "{err}");
    assert!(
        err.contains("home.nix:10:21"),
        "at the place in the files: {err}"
    );

    // Without a terminal, and when the user chose Nix's log format, Nix's own log.
    let plain = build(&ws, &[]);
    assert!(!stderr(&plain).contains('\x1b'), "{}", stderr(&plain));
    let raw = build(&ws, &["--progress", "always", "--log-format", "raw"]);
    assert!(!stderr(&raw).contains("\r\x1b[K"), "{}", stderr(&raw));
}

#[test]
fn the_readmes_first_commands_show_progress_and_its_prerequisites_are_named() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
    let block: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("```"))
        .skip(1)
        .take_while(|l| !l.starts_with("```"))
        .collect();
    assert_eq!(block.len(), 2, "two set-up commands: {block:?}");
    for command in &block {
        assert!(
            !command.contains(" -q"),
            "cargo's progress shows: {command}"
        );
    }
    assert!(block[0].starts_with("cargo run --locked"), "{}", block[0]);
    assert!(
        readme.contains("Needs Rust 1."),
        "the Rust it needs is named"
    );
    for line in readme.lines().filter(|l| l.contains("cargo install")) {
        assert!(line.contains("--locked"), "{line}");
    }
}
