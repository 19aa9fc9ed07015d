//! What `hm switch` shows before activating (file diffs, units only when a user manager
//! runs, timers as timers), `--ask`, `hm diff` and files changed since the last switch,
//! users of NixOS hosts (recording shims assert the `nixos-rebuild` and `nix build`
//! argv), and `--build-host`/`--target-host` against a real sshd on loopback.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{Shim, Workspace, hm, repo, require, transcript};

/// A workspace with the standalone example, a fresh HOME, the offline Nix settings.
struct Setup {
    ws: Workspace,
    home: PathBuf,
    manager: Shim,
}

impl Setup {
    fn new() -> Self {
        let ws = Workspace::new(&["examples/standalone"]);
        let home = ws.path("home");
        std::fs::create_dir_all(&home).expect("mkdir");
        Setup {
            ws,
            home,
            manager: Shim::user_manager_running(),
        }
    }

    fn command(&self, args: &[&str]) -> assert_cmd::Command {
        let config = std::fs::read_to_string(repo().join("nix/offline.conf")).expect("config");
        let mut command = hm();
        command
            .args(args)
            .env("HOME", &self.home)
            .env("USER", "alice")
            .env("NIX_CONFIG", config)
            .env_remove("XDG_STATE_HOME")
            .env_remove("XDG_RUNTIME_DIR")
            .env_remove("HOME_MANAGER_BACKUP_EXT")
            .env_remove("NH_ASK")
            .current_dir(self.ws.dir.path());
        command
    }

    fn hm(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run hm")
    }

    /// `hm switch` with a user manager running (a `systemctl` shim says so) or not.
    fn switch(&self, manager: bool, extra: &[&str]) -> Output {
        let mut args = vec!["switch", "--flake", "examples/standalone"];
        args.extend(extra);
        let mut command = self.command(&args);
        if manager {
            command.env("PATH", self.manager.path_env());
        }
        command.output().expect("run hm")
    }

    fn edit(&self, from: &str, to: &str) {
        let path = self.ws.path("examples/standalone/home.nix");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "home.nix has no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
        git_add(self.ws.dir.path());
    }

    fn current(&self) -> Option<u64> {
        let output = self.hm(&["generations", "--format", "json"]);
        let list: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        list["generations"]
            .as_array()?
            .iter()
            .find(|g| g["current"] == true)
            .and_then(|g| g["id"].as_u64())
    }
}

fn git_add(dir: &Path) {
    let status = std::process::Command::new("git")
        .args(["add", "-A"])
        .current_dir(dir)
        .status()
        .expect("git");
    assert!(status.success());
}

fn ok(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{}", transcript(output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The `services to …`/`timers to …` lines.
fn unit_lines(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| {
            l.contains(" to start: ") || l.contains(" to restart: ") || l.contains(" to stop: ")
        })
        .collect()
}

const TIMER: &str = r#"programs.home-manager.enable = true;
  systemd.user.services.backup.Service.ExecStart = "/bin/true";
  systemd.user.timers.backup = {
    Timer.OnCalendar = "daily";
    Install.WantedBy = [ "timers.target" ];
  };"#;

#[test]
fn the_plan_shows_file_diffs_and_units_only_when_a_user_manager_runs() {
    if !require("nix") {
        return;
    }
    let s = Setup::new();
    let first = ok(&s.switch(false, &[]));
    assert!(
        first.contains("new file: .config/workstyle/config.toml\n"),
        "{first}"
    );
    assert_eq!(
        unit_lines(&first),
        Vec::<&str>::new(),
        "no user manager: {first}"
    );

    s.edit("Restart = \"on-failure\";", "Restart = \"always\";");
    s.edit("programs.home-manager.enable = true;", TIMER);
    let second = ok(&s.switch(true, &[]));
    assert!(
        second.contains(
            "--- a/.config/systemd/user/workstyle.service\n+++ b/.config/systemd/user/workstyle.service\n"
        ) && second.contains("-Restart=on-failure\n+Restart=always\n"),
        "{second}"
    );
    assert!(
        second.contains("--- /dev/null\n+++ b/.config/systemd/user/backup.timer\n"),
        "{second}"
    );
    // The timer starts backup.service; nothing else does.
    assert_eq!(
        unit_lines(&second),
        [
            "timers to start: backup.timer",
            "services to restart: workstyle.service"
        ],
        "{second}"
    );
    assert!(second.contains("switched to generation 2"), "{second}");

    // `hm diff` shows the same between the two generations.
    let diff = ok(&s.hm(&["diff"]));
    assert!(diff.starts_with("generation 1 -> generation 2\n"), "{diff}");
    assert!(
        diff.contains("-Restart=on-failure\n+Restart=always\n"),
        "{diff}"
    );
    assert!(diff.contains("timers to start: backup.timer"), "{diff}");
    let back = ok(&s.hm(&["diff", "2", "1"]));
    assert!(
        back.contains("-Restart=always\n+Restart=on-failure\n"),
        "{back}"
    );
    assert!(back.contains("timers to stop: backup.timer"), "{back}");
    let missing = s.hm(&["diff", "7"]);
    assert_eq!(missing.status.code(), Some(2), "{}", transcript(&missing));
}

#[test]
fn ask_activates_only_after_yes() {
    if !require("nix") {
        return;
    }
    let s = Setup::new();
    ok(&s.switch(false, &[]));
    s.edit("Restart = \"on-failure\";", "Restart = \"always\";");
    let declined = s
        .command(&["switch", "--flake", "examples/standalone", "--ask"])
        .write_stdin("n\n")
        .output()
        .expect("run hm");
    assert_eq!(declined.status.code(), Some(1), "{}", transcript(&declined));
    let stdout = String::from_utf8_lossy(&declined.stdout);
    assert!(
        stdout.contains("+Restart=always"),
        "the plan comes first: {stdout}"
    );
    assert!(
        String::from_utf8_lossy(&declined.stderr).contains("not activated"),
        "{}",
        transcript(&declined)
    );
    assert_eq!(s.current(), Some(1));

    let accepted = s
        .command(&["switch", "--flake", "examples/standalone"])
        .env("NH_ASK", "1")
        .write_stdin("y\n")
        .output()
        .expect("run hm");
    assert!(ok(&accepted).contains("switched to generation 2"));
    assert_eq!(s.current(), Some(2));
}

#[test]
fn files_changed_since_the_switch_are_reported_and_can_be_adopted() {
    if !require("nix") {
        return;
    }
    let s = Setup::new();
    ok(&s.switch(false, &[]));
    let config = s.home.join(".config/workstyle/config.toml");
    std::fs::remove_file(&config).expect("rm");
    std::fs::write(&config, "[matching]\n\"firefox\" = \"web\"\n").expect("write");
    let diff = ok(&s.hm(&["diff"]));
    assert!(
        diff.contains("changed in $HOME since the last switch:\n  ~/.config/workstyle/config.toml: a file of its own replaced the link\n"),
        "{diff}"
    );

    let adopt = ok(&s.hm(&[
        "diff",
        "--adopt",
        "home/.config/workstyle/config.toml",
        "--flake",
        "examples/standalone",
    ]));
    let dir = s.ws.path("examples/standalone");
    let copy = dir.join("dotfiles/.config/workstyle/config.toml");
    assert!(
        adopt.contains(&format!("  cp {} {}\n", config.display(), copy.display())),
        "{adopt}"
    );
    assert!(
        adopt.contains("`xdg.configFile.\"workstyle/config.toml\".text` (home.nix:12) becomes\n\n  xdg.configFile.\"workstyle/config.toml\".source = ./dotfiles/.config/workstyle/config.toml;\n"),
        "{adopt}"
    );

    // Following the instructions keeps the user's version, linked again.
    std::fs::create_dir_all(copy.parent().expect("parent")).expect("mkdir");
    std::fs::copy(&config, &copy).expect("cp");
    let home_nix = dir.join("home.nix");
    let text = std::fs::read_to_string(&home_nix).expect("read");
    let start = text
        .find("xdg.configFile.\"workstyle/config.toml\".text")
        .expect("definition");
    let end = start + text[start..].find("'';").expect("end") + 3;
    let text = format!(
        "{}xdg.configFile.\"workstyle/config.toml\".source = ./dotfiles/.config/workstyle/config.toml;{}",
        &text[..start],
        &text[end..]
    );
    std::fs::write(&home_nix, text).expect("write");
    git_add(s.ws.dir.path());
    ok(&s.switch(false, &["-b", "backup"]));
    assert!(
        std::fs::symlink_metadata(&config)
            .expect("exists")
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(&config).expect("read"),
        "[matching]\n\"firefox\" = \"web\"\n"
    );
    let after = ok(&s.hm(&["diff"]));
    assert!(!after.contains("since the last switch"), "{after}");
}

/// A directory of shims that record their argv (one argument per line, then `==end==`).
struct Recorder {
    shim: Shim,
    log: PathBuf,
}

impl Recorder {
    /// `programs` record their calls; `nix` also prints a `nix build --json` result.
    fn new(programs: &[&str]) -> Self {
        let shim = Shim::new(&[]);
        let log = shim.dir.path().join("argv.log");
        let record = format!(
            "printf '%s\\n' \"$(basename \"$0\")\" >> '{log}'\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{log}'; done\nprintf '==end==\\n' >> '{log}'\n",
            log = log.display()
        );
        for program in programs {
            let script = if *program == "nix" {
                format!(
                    "{record}echo '[{{\"drvPath\":\"/nix/store/x.drv\",\"outputs\":{{\"out\":\"/nix/store/fake-out\"}}}}]'\n"
                )
            } else {
                record.clone()
            };
            shim.write(program, &script);
        }
        Recorder { shim, log }
    }

    fn calls(&self) -> Vec<Vec<String>> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .split("==end==\n")
            .filter(|c| !c.is_empty())
            .map(|c| c.lines().map(str::to_string).collect())
            .collect()
    }
}

fn on_path(recorder: &Recorder, args: &[&str], home: &Path) -> Output {
    hm().args(args)
        .env("PATH", recorder.shim.path_env())
        .env("HOME", home)
        .env("USER", "alice")
        .env_remove("XDG_STATE_HOME")
        .output()
        .expect("run hm")
}

#[test]
fn a_user_of_a_nixos_host_switches_the_host_not_a_home_generation() {
    let recorder = Recorder::new(&["nixos-rebuild", "darwin-rebuild", "sudo", "nix", "nix-env"]);
    let home = tempfile::tempdir().expect("tempdir");
    let flake = repo().join("examples/nixos");
    let flake_arg = flake.display().to_string();
    let reference = format!("git+file://{}?dir=examples/nixos", repo().display());

    // Another host's system is never switched on this machine.
    let refused = on_path(
        &recorder,
        &["switch", "--flake", &flake_arg, "--host", "laptop"],
        home.path(),
    );
    if std::fs::read_to_string("/proc/sys/kernel/hostname").is_ok_and(|h| h.trim() != "laptop") {
        assert_eq!(refused.status.code(), Some(2), "{}", transcript(&refused));
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains("--target-host"),
            "{}",
            transcript(&refused)
        );
        assert_eq!(recorder.calls(), Vec::<Vec<String>>::new());
    }

    let switched = on_path(
        &recorder,
        &[
            "switch",
            "--flake",
            &flake_arg,
            "--host",
            "laptop",
            "--target-host",
            "root@laptop",
        ],
        home.path(),
    );
    let stdout = ok(&switched);
    assert!(
        stdout.contains(
            "alice is a user of the NixOS host `laptop`, whose system activates its home"
        ),
        "{stdout}"
    );
    let calls = recorder.calls();
    assert_eq!(
        calls.last().expect("a call"),
        &[
            "nixos-rebuild".to_string(),
            "switch".into(),
            "--flake".into(),
            format!("{reference}#laptop"),
            "--target-host".into(),
            "root@laptop".into(),
            "--use-remote-sudo".into(),
        ]
    );
    assert_eq!(calls.len(), 1, "no nix build, no profile: {calls:?}");
    assert!(
        !home
            .path()
            .join(".local/state/nix/profiles/home-manager")
            .exists(),
        "no per-user profile"
    );

    // `hm build --host`: the user's activation package, or with --system the host's.
    for (extra, attribute) in [
        (
            None,
            "nixosConfigurations.laptop.config.home-manager.users.alice.home.activationPackage",
        ),
        (
            Some("--system"),
            "nixosConfigurations.laptop.config.system.build.toplevel",
        ),
    ] {
        let out_link = home.path().join("result");
        let out_link_arg = out_link.display().to_string();
        let mut args = vec![
            "build",
            "--flake",
            &flake_arg,
            "--host",
            "laptop",
            "--out-link",
            &out_link_arg,
        ];
        args.extend(extra);
        let built = on_path(&recorder, &args, home.path());
        assert_eq!(ok(&built), "/nix/store/fake-out\n");
        assert_eq!(
            recorder.calls().last().expect("a call")[3..],
            [
                "build".to_string(),
                "--json".into(),
                "--out-link".into(),
                out_link_arg.clone(),
                format!("{reference}#{attribute}"),
            ]
        );
    }
    let standalone = on_path(
        &recorder,
        &[
            "build",
            "--system",
            "--flake",
            &repo().join("examples/standalone").display().to_string(),
        ],
        home.path(),
    );
    assert_eq!(
        standalone.status.code(),
        Some(2),
        "{}",
        transcript(&standalone)
    );
}

/// A second local user, made by the test (as root) and removed on drop, whose home is
/// `home`: the remote end of `--target-host`.
struct RemoteUser {
    name: String,
}

impl RemoteUser {
    /// `None` (with a message) where users cannot be added: not root, or no `useradd`.
    fn add(home: &Path) -> Option<Self> {
        let name = format!("hm-ssh-{}", std::process::id());
        let added = std::process::Command::new("useradd")
            // `*`: no password, and not locked (sshd refuses locked accounts).
            .args(["-M", "-p", "*", "-s", "/bin/sh", "-d"])
            .arg(home)
            .arg(&name)
            .status()
            .is_ok_and(|s| s.success());
        if !added {
            eprintln!("skipping the second user: `useradd` failed (not root?)");
            return None;
        }
        let user = RemoteUser { name };
        let owned = std::process::Command::new("chown")
            .args(["-R", &user.name])
            .arg(home)
            .status()
            .is_ok_and(|s| s.success());
        assert!(owned, "chown the remote home");
        Some(user)
    }

    fn uid(&self) -> u32 {
        let out = std::process::Command::new("id")
            .args(["-u", &self.name])
            .output()
            .expect("id");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("uid")
    }
}

impl Drop for RemoteUser {
    fn drop(&mut self) {
        let _ = std::process::Command::new("userdel")
            .arg(&self.name)
            .status();
    }
}

/// A nix-daemon on a socket of its own (`NIX_DAEMON_SOCKET_PATH`), offline as here and
/// trusting `user`, so that user writes to the store as on a multi-user machine.
struct NixDaemon {
    child: std::process::Child,
    socket: PathBuf,
}

impl NixDaemon {
    fn start(dir: &Path, user: &str) -> Self {
        let socket = dir.join("daemon-socket");
        let config = std::fs::read_to_string(repo().join("nix/offline.conf")).expect("config");
        let child = std::process::Command::new("nix-daemon")
            .env("NIX_DAEMON_SOCKET_PATH", &socket)
            .env(
                "NIX_CONFIG",
                format!("{config}\ntrusted-users = root {user}\n"),
            )
            .stderr(std::fs::File::create(dir.join("nix-daemon.log")).expect("log"))
            .spawn()
            .expect("start nix-daemon");
        let daemon = NixDaemon { child, socket };
        for _ in 0..100 {
            if daemon.socket.exists() {
                return daemon;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("nix-daemon did not start");
    }
}

impl Drop for NixDaemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An sshd on a free loopback port, run by the test with its own host key, one
/// authorised user key, and in its sessions `HOME` set to `remote_home` and Nix set up
/// offline as here (nix/offline.conf); stopped on drop. With a second user, sessions are
/// theirs and reach the store through a nix-daemon, as on a multi-user machine.
struct Sshd {
    child: std::process::Child,
    dir: tempfile::TempDir,
    _daemon: Option<NixDaemon>,
}

impl Sshd {
    /// `None` (with a message) where sshd cannot run; under `CI=true` that fails.
    fn start(remote_home: &Path, login: Option<&RemoteUser>) -> Option<Self> {
        let sshd = Path::new("/usr/sbin/sshd");
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        // Looked up on PATH: OpenSSH's tools have no `--version` for `require`.
        let on_path = |tool: &str| {
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .any(|dir| dir.join(tool).is_file())
        };
        if !sshd.exists() || !on_path("ssh") || !on_path("ssh-keygen") {
            assert!(
                !ci,
                "sshd, ssh and ssh-keygen are required under CI=true; tests/run.sh installs them"
            );
            eprintln!("skipping: sshd, ssh or ssh-keygen is not installed (openssh-server)");
            return None;
        }
        // sshd refuses to start without its privilege separation directory.
        if std::fs::create_dir_all("/run/sshd").is_err() {
            assert!(!ci, "cannot create /run/sshd under CI=true");
            eprintln!("skipping: /run/sshd is missing and cannot be created");
            return None;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        // The second user reads the authorised keys and reaches the daemon's socket here.
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .expect("chmod");
        for key in ["host", "user"] {
            let status = std::process::Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-f"])
                .arg(dir.path().join(key))
                .status()
                .expect("ssh-keygen");
            assert!(status.success());
        }
        std::fs::copy(
            dir.path().join("user.pub"),
            dir.path().join("authorized_keys"),
        )
        .expect("copy");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let user = match login {
            Some(login) => login.name.clone(),
            None => String::from_utf8(
                std::process::Command::new("id")
                    .arg("-un")
                    .output()
                    .expect("id")
                    .stdout,
            )
            .expect("utf-8"),
        };
        let daemon = login.map(|login| NixDaemon::start(dir.path(), &login.name));
        let store = daemon.as_ref().map_or(String::new(), |daemon| {
            format!(
                " NIX_REMOTE=daemon NIX_DAEMON_SOCKET_PATH={}",
                daemon.socket.display()
            )
        });
        let d = dir.path().display();
        std::fs::write(
            dir.path().join("sshd_config"),
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host\nPidFile {d}/sshd.pid\nAuthorizedKeysFile {d}/authorized_keys\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\nSetEnv HOME={} NIX_USER_CONF_FILES={}{store}\n",
                remote_home.display(),
                repo().join("nix/offline.conf").display()
            ),
        )
        .expect("sshd_config");

        std::fs::write(
            dir.path().join("ssh_config"),
            format!(
                "Host hm-test-host\n  HostName 127.0.0.1\n  Port {port}\n  User {}\n  IdentityFile {d}/user\n  IdentitiesOnly yes\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n  BatchMode yes\n",
                user.trim()
            ),
        )
        .expect("ssh_config");
        let child = std::process::Command::new(sshd)
            .args(["-D", "-e", "-f"])
            .arg(dir.path().join("sshd_config"))
            .stderr(std::fs::File::create(dir.path().join("sshd.log")).expect("log"))
            .spawn()
            .expect("start sshd");
        let sshd = Sshd {
            child,
            dir,
            _daemon: daemon,
        };
        // Wait until it accepts connections (bounded: it starts in well under a second).
        for _ in 0..100 {
            let answered = std::process::Command::new("ssh")
                .args(["-F"])
                .arg(sshd.config())
                .args(["hm-test-host", "true"])
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if answered {
                return Some(sshd);
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!(
            "sshd did not start: {}",
            std::fs::read_to_string(sshd.dir.path().join("sshd.log")).unwrap_or_default()
        );
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("ssh_config")
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn target_host_and_build_host_over_a_real_sshd() {
    if !require("nix") {
        return;
    }
    let s = Setup::new();
    let remote = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(
        remote.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    let remote_home = remote.path().join("home");
    std::fs::create_dir_all(remote_home.join(".local/state/nix/profiles")).expect("mkdir");
    // The remote end is a second local user where the test may add one (as root).
    let second_user = RemoteUser::add(&remote_home);
    let Some(sshd) = Sshd::start(&remote_home, second_user.as_ref()) else {
        return;
    };
    let ssh_opts = format!("-F {}", sshd.config().display());
    let switch = |extra: &[&str]| {
        let mut args = vec!["switch", "--flake", "examples/standalone"];
        args.extend(extra);
        s.command(&args)
            .env("NIX_SSHOPTS", &ssh_opts)
            .output()
            .expect("run hm")
    };
    let profile = remote_home.join(".local/state/nix/profiles/home-manager");

    let first = ok(&switch(&["--target-host", "hm-test-host"]));
    assert!(
        first.contains("activated ") && first.contains(" on hm-test-host"),
        "{first}"
    );
    let link = remote_home.join(".config/workstyle/config.toml");
    assert!(
        std::fs::read_link(&link)
            .is_ok_and(|t| t.to_string_lossy().contains("-home-manager-files/")),
        "the remote home has the links"
    );
    let generation = std::fs::canonicalize(&profile).expect("the remote profile");
    assert!(
        first.contains(&format!("built {}", generation.display())),
        "{first}"
    );
    if let Some(user) = &second_user {
        use std::os::unix::fs::MetadataExt;
        for made in [&link, &profile] {
            let owner = std::fs::symlink_metadata(made).expect("stat").uid();
            assert_eq!(owner, user.uid(), "{} is the remote user's", made.display());
        }
    }
    assert!(
        !s.home.join(".config/workstyle").exists()
            && !s
                .home
                .join(".local/state/nix/profiles/home-manager")
                .exists(),
        "the local home is untouched"
    );

    s.edit("Restart = \"on-failure\";", "Restart = \"always\";");
    let second = ok(&switch(&[
        "--build-host",
        "hm-test-host",
        "--target-host",
        "hm-test-host",
    ]));
    let generation = std::fs::canonicalize(&profile).expect("the remote profile");
    assert!(
        second.contains(&format!("built {}", generation.display())),
        "{second}"
    );
    assert!(
        std::fs::read_to_string(remote_home.join(".config/systemd/user/workstyle.service"))
            .is_ok_and(|u| u.contains("Restart=always"))
    );
    assert!(
        std::fs::read_link(remote_home.join(".local/state/nix/profiles/home-manager"))
            .is_ok_and(|t| t == Path::new("home-manager-2-link"))
    );
    drop(sshd);
}

#[test]
fn news_shows_the_entries_that_concern_the_configuration_and_marks_them_read() {
    if !require("nix") {
        return;
    }
    let s = Setup::new();
    s.edit(
        "programs.home-manager.enable = true;",
        r#"programs.home-manager.enable = true;
  news.entries = [
    { time = "2025-01-01T15:31:15+00:00"; message = "Services now restart on switch.\nSecond line.\n"; }
    { time = "2025-02-01T10:00:00+00:00"; condition = false; message = "Only for darwin."; }
    { time = "2025-03-01T08:00:00+00:00"; message = "Newest."; }
  ];"#,
    );
    let all = ok(&s.hm(&["news", "--flake", "examples/standalone"]));
    assert_eq!(
        all,
        "* 2025-03-01 08:00:00 [unread]\n\n  Newest.\n\n* 2025-01-01 15:31:15 [unread]\n\n  Services now restart on switch.\n  Second line.\n"
    );
    let ids = std::fs::read_to_string(s.home.join(".local/share/home-manager/news-read-ids"))
        .expect("read ids recorded where the home-manager CLI keeps them");
    assert_eq!(ids.lines().count(), 3, "{ids}");
    let unread = ok(&s.hm(&["news", "--unread", "--flake", "examples/standalone"]));
    assert_eq!(unread, "no unread news for this configuration\n");
    let again = ok(&s.hm(&["news", "--flake", "examples/standalone"]));
    assert!(
        again.starts_with("* 2025-03-01 08:00:00 [read]\n"),
        "{again}"
    );
}

#[test]
fn a_switch_tells_of_unread_news_as_the_cli_does() {
    if !require("nix") {
        return;
    }
    let s = Setup::new();
    s.edit(
        "programs.home-manager.enable = true;",
        r#"programs.home-manager.enable = true;
  news.entries = [
    { time = "2025-01-01T15:31:15+00:00"; message = "Services now restart on switch."; }
    { time = "2025-02-01T10:00:00+00:00"; condition = false; message = "Only for darwin."; }
  ];"#,
    );
    let first = s.switch(false, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", transcript(&first));
    let err = String::from_utf8_lossy(&first.stderr);
    assert!(
        err.contains("there is 1 unread and relevant news item; read it with `hm news`"),
        "{err}"
    );
    ok(&s.hm(&["news", "--flake", "examples/standalone"]));
    let second = s.switch(false, &[]);
    assert_eq!(second.status.code(), Some(0), "{}", transcript(&second));
    assert!(
        !String::from_utf8_lossy(&second.stderr).contains("unread"),
        "{}",
        transcript(&second)
    );
}
