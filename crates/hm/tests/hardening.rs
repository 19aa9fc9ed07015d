//! Bad input never panics, overflows the stack or loses data: each case gives a clear
//! diagnostic and exit 1 (findings) or 2 (hm could not run).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{hm, transcript};

fn check(path: &Path) -> Output {
    hm().args(["check", "--format", "errfmt"])
        .arg(path)
        .output()
        .expect("run hm")
}

/// Exit 1 or 2, no panic, no signal, and stderr/stdout say `expect`.
fn assert_reported(output: &Output, expect: &str) {
    let text = transcript(output);
    assert!(matches!(output.status.code(), Some(1 | 2)), "{text}");
    assert!(
        !text.contains("panicked") && !text.contains("stack overflow"),
        "{text}"
    );
    assert!(text.contains(expect), "expected `{expect}` in:\n{text}");
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn deep_nesting_is_reported_not_overflowed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let n = 100_000;
    let cases = [
        ("parens.nix", format!("{}1{}", "(".repeat(n), ")".repeat(n))),
        (
            "attrs.nix",
            format!("{}1{}", "{ a = ".repeat(n), "; }".repeat(n)),
        ),
        (
            "lists.nix",
            format!("{} 1 {}", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "lets.nix",
            format!(
                "{}x0",
                (0..20_000)
                    .map(|i| format!("let x{i} = {i}; in "))
                    .collect::<String>()
            ),
        ),
    ];
    for (name, text) in cases {
        let output = check(&write(dir.path(), name, text));
        assert_reported(&output, "nested too deeply");
    }
    // Nix takes a long operator chain, but rnix's time grows with its square: hm stops at
    // its limit, with the place.
    let chain = write(dir.path(), "chain.nix", format!("1{}", " + 1".repeat(n)));
    assert_reported(&check(&chain), "operators or arguments in a row");
}

/// The shapes whose parse time grows with the square of their length in rnix are stopped
/// before it parses them (they took 24 s and more at this size).
#[test]
fn shapes_rnix_parses_in_quadratic_time_are_stopped_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let n = 100_000;
    let cases = [
        (
            "minus.nix",
            format!("{{ x = {}1; }}", "-".repeat(n)),
            "no space between them",
        ),
        (
            "path.nix",
            format!("{{ {}b = 1; }}", "a.".repeat(n)),
            "no space between them",
        ),
        (
            "apply.nix",
            format!("let f = x: x; in {{ x = {}1; }}", "f ".repeat(n)),
            "operators or arguments in a row",
        ),
    ];
    for (name, text, expect) in cases {
        assert_reported(&check(&write(dir.path(), name, text)), expect);
    }
}

#[test]
fn a_50_megabyte_file_is_analysed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let line = format!("  # {}\n", "generated configuration data ".repeat(3));
    let mut text = String::from(
        "{ pkgs, ... }:\n{\n  home.username = \"alice\";\n  home.homeDirectory = \"/home/alice\";\n  home.stateVersion = \"24.11\";\n",
    );
    text.push_str(&line.repeat(50 * 1024 * 1024 / line.len()));
    let service_line = text.lines().count() + 1;
    text.push_str(
        "  systemd.user.services.big.Service.ExecStart = \"${pkgs.hello}/bin/hello\";\n}\n",
    );
    let output = check(&write(dir.path(), "big.nix", text));
    // Only a warning: the service has no WantedBy.
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let expected = format!("big.nix:{service_line}:25: warning[HM201]");
    assert!(
        String::from_utf8_lossy(&output.stdout).contains(&expected),
        "{}",
        transcript(&output)
    );
}

#[test]
fn files_over_the_size_limit_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.nix");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(65 * 1024 * 1024).expect("sparse file");
    assert_reported(&check(&path), "is larger than");
}

#[test]
fn binary_and_non_utf8_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let binary = write(dir.path(), "binary.nix", binary);
    assert_reported(&check(&binary), "is not valid UTF-8 text");
    let latin1 = write(dir.path(), "latin1.nix", b"{ a = \"caf\xe9\"; }".as_slice());
    assert_reported(&check(&latin1), "is not valid UTF-8 text");
    // Imported rather than given: a diagnostic at the import.
    let home = write(
        dir.path(),
        "home.nix",
        "{ imports = [ ./binary.nix ./latin1.nix ]; }",
    );
    let output = check(&home);
    assert_reported(
        &output,
        "home.nix:1:15: error[HM101]: binary.nix is not valid UTF-8 text",
    );
    assert_reported(&output, "error[HM101]: latin1.nix is not valid UTF-8 text");
}

#[test]
fn empty_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = write(dir.path(), "home.nix", "");
    assert_reported(
        &check(&empty),
        "home.nix:1:1: error[HM001]: unexpected end of file",
    );
    let home = write(dir.path(), "flake.nix", "{ outputs = { self }: { }; }");
    let output = hm().arg("users").arg(&home).output().expect("run hm");
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
}

#[test]
fn symlink_loops() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink("loop.nix", dir.path().join("loop.nix")).expect("symlink");
    let home = write(dir.path(), "home.nix", "{ imports = [ ./loop.nix ]; }");
    assert_reported(
        &check(&home),
        "too many levels of symbolic links (a symlink loop)",
    );
    assert_reported(&check(&dir.path().join("loop.nix")), "loop.nix");
}

#[test]
fn unreadable_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Reading /proc/self/mem at offset 0 fails for every user, root included.
    let home = write(dir.path(), "home.nix", "{ imports = [ /proc/self/mem ]; }");
    assert_reported(&check(&home), "error[HM101]: cannot read /proc/self/mem");
    // Permission bits only stop users other than root.
    let secret = write(dir.path(), "secret.nix", "{ }");
    std::fs::set_permissions(&secret, std::os::unix::fs::PermissionsExt::from_mode(0o000))
        .expect("chmod");
    if std::fs::read(&secret).is_err() {
        let home = write(dir.path(), "home.nix", "{ imports = [ ./secret.nix ]; }");
        assert_reported(&check(&home), "cannot read secret.nix");
    }
}

#[test]
fn import_cycles_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.nix", "import ./b.nix");
    write(dir.path(), "b.nix", "import ./a.nix");
    let home = write(
        dir.path(),
        "home.nix",
        "{ home.sessionVariables = import ./a.nix; }",
    );
    assert_reported(&check(&home), "error[HM102]: import cycle");
    let output = hm()
        .arg("services")
        .arg(dir.path().join("a.nix"))
        .output()
        .expect("run hm");
    assert_reported(&output, "import cycle");
}

#[test]
fn service_names_with_shell_syntax_stay_one_argument() {
    let dir = tempfile::tempdir().expect("tempdir");
    let marker = dir.path().join("pwned");
    let name = format!("a;b$(touch {m})`touch {m}`", m = marker.display());
    let nix_name = name.replace('$', "\\$");
    write(
        dir.path(),
        "home.nix",
        format!("{{ systemd.user.services.\"{nix_name}\".Service.ExecStart = \"/bin/true\"; }}"),
    );
    let shim = dir.path().join("bin");
    std::fs::create_dir(&shim).expect("mkdir");
    let log = dir.path().join("argv.log");
    let script = format!(
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}'; done\n",
        log.display()
    );
    let systemctl = write(&shim, "systemctl", script);
    std::fs::set_permissions(
        &systemctl,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");

    let output = hm()
        .args(["service", "start", &name])
        .arg(dir.path().join("home.nix"))
        .env(
            "PATH",
            format!(
                "{}:{}",
                shim.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .output()
        .expect("run hm");
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let argv = std::fs::read_to_string(&log).expect("systemctl ran");
    assert_eq!(argv, format!("--user\nstart\n--\n{name}.service\n"));
    assert!(!marker.exists(), "a shell ran");

    // `hm check` calls the name invalid for systemd.
    assert_reported(&check(&dir.path().join("home.nix")), "error[HM208]");
}

#[test]
fn an_interrupted_switch_keeps_the_previous_generation() {
    use std::os::unix::process::CommandExt;

    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("home");
    // A previous generation, and a user file.
    let profiles = home.join(".local/state/nix/profiles");
    std::fs::create_dir_all(&profiles).expect("mkdir");
    std::os::unix::fs::symlink(
        "/nix/store/previous-home-manager-generation",
        profiles.join("home-manager-1-link"),
    )
    .expect("link");
    std::os::unix::fs::symlink("home-manager-1-link", profiles.join("home-manager")).expect("link");
    let mine = home.join(".config/app/config");
    std::fs::create_dir_all(mine.parent().expect("parent")).expect("mkdir");
    std::fs::write(&mine, "mine\n").expect("write");

    // A nix that takes long to build.
    let shim = dir.path().join("bin");
    std::fs::create_dir(&shim).expect("mkdir");
    let started = dir.path().join("build-started");
    let nix = write(
        &shim,
        "nix",
        format!("#!/bin/sh\ntouch '{}'\nexec sleep 30\n", started.display()),
    );
    std::fs::set_permissions(&nix, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("hm"))
        .args(["switch", "--no-check", "--flake"])
        .arg(common::example("standalone"))
        .env("HOME", &home)
        .env("USER", "alice")
        .env(
            "PATH",
            format!(
                "{}:{}",
                shim.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .spawn()
        .expect("spawn hm");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !started.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the build never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // Ctrl-C reaches the whole foreground process group: hm and nix.
    let group = format!("-{}", child.id());
    let status = std::process::Command::new("kill")
        .args(["-INT", "--", &group])
        .status()
        .expect("kill");
    assert!(status.success());
    let exited = child.wait().expect("wait");
    assert!(!exited.success());

    assert_eq!(
        std::fs::read_link(profiles.join("home-manager")).expect("profile"),
        PathBuf::from("home-manager-1-link"),
        "the previous generation is still current"
    );
    assert!(!profiles.join("home-manager-2-link").exists());
    assert_eq!(std::fs::read_to_string(&mine).expect("kept"), "mine\n");
}

#[test]
fn self_referential_values_end() {
    // Found by fuzzing: walking an undecided `if` that contains itself never ended.
    let dir = tempfile::tempdir().expect("tempdir");
    let home = write(
        dir.path(),
        "home.nix",
        "{ config, ... }:\nlet s = if config.a then s else { user.services.x.Service.ExecStart = \"/bin/true\"; };\nin { systemd = s; }\n",
    );
    let started = std::time::Instant::now();
    let output = hm().arg("services").arg(&home).output().expect("run hm");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The service exists only under the undecided `config.a`: listed with that condition.
    assert!(stdout.contains("!(config.a)"), "{stdout}");
}

/// A FIFO at `path`, made with mkfifo(1).
fn fifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(made.success());
}

#[test]
fn devices_and_fifos_are_refused_not_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    fifo(&dir.path().join("pipe.nix"));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.nix")).expect("symlink");
    // Given as the entry: hm could not run.
    for (entry, kind) in [
        (PathBuf::from("/dev/zero"), "a character device"),
        (dir.path().join("zero.nix"), "a character device"),
        (dir.path().join("pipe.nix"), "a FIFO (named pipe)"),
    ] {
        let output = check(&entry);
        assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
        assert_reported(&output, &format!("it is {kind}"));
    }
    // Imported: a diagnostic at the import.
    let home = write(
        dir.path(),
        "home.nix",
        "{ imports = [ /dev/zero ./pipe.nix ./zero.nix ]; }",
    );
    let output = check(&home);
    assert_reported(
        &output,
        "home.nix:1:15: error[HM101]: cannot read /dev/zero: it is a character device",
    );
    assert_reported(&output, "error[HM101]: cannot read pipe.nix: it is a FIFO");
    assert_reported(
        &output,
        "error[HM101]: cannot read zero.nix: it is a character device",
    );
}

#[test]
fn dev_stdin_is_refused_whatever_stdin_is() {
    // A pipe…
    let output = hm()
        .args(["check", "--format", "errfmt", "/dev/stdin"])
        .write_stdin("{ }")
        .output()
        .expect("run hm");
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    assert_reported(&output, "/dev/stdin: it is a FIFO (named pipe)");
    // …or /dev/null.
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("hm"))
        .args(["check", "/dev/stdin"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run hm");
    assert_reported(&output, "/dev/stdin: it is a character device");
}

#[test]
fn a_symlink_loop_entry_says_loop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let entry = dir.path().join("loop.nix");
    std::os::unix::fs::symlink("loop.nix", &entry).expect("symlink");
    let output = check(&entry);
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    assert_reported(&output, "symlink loop");
    assert!(
        !transcript(&output).contains("no such file"),
        "{}",
        transcript(&output)
    );
}

#[test]
fn an_unreadable_directory_says_permission_denied() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config");
    std::fs::create_dir(&config).expect("mkdir");
    write(&config, "home.nix", "{ }");
    std::fs::set_permissions(&config, std::os::unix::fs::PermissionsExt::from_mode(0o000))
        .expect("chmod");
    // Root reads it anyway: nothing to test then.
    if std::fs::metadata(config.join("home.nix")).is_err() {
        for path in [config.clone(), config.join("home.nix")] {
            let output = check(&path);
            assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
            assert_reported(&output, "permission denied");
        }
    } else {
        eprintln!("skipping: permission bits do not stop this user");
    }
    std::fs::set_permissions(&config, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
}

#[test]
fn long_cells_and_far_columns_are_cut_not_panicked_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = "x".repeat(70_000);
    let home = write(
        dir.path(),
        "home.nix",
        format!(
            "{{ systemd.user.services.{long}.Unit.Description = \"{long}\"; {pad} systemd.user.services.b.Service.Execstart = \"/bin/true\"; }}",
            pad = " ".repeat(70_000)
        ),
    );
    let output = hm().arg("services").arg(&home).output().expect("run hm");
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains('…'), "{stdout}");
    assert!(stdout.len() < 2_000, "cells are cut to the width: {stdout}");

    let output = hm().arg("check").arg(&home).output().expect("run hm");
    let text = transcript(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    // The finding past column 210,000 is shown, in a line cut to the width.
    assert!(
        text.contains("`Execstart` is not a `[Service]` directive"),
        "{text}"
    );
    assert!(text.contains("[home.nix:1:210082]"), "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
}

#[test]
fn escape_sequences_in_names_reach_the_terminal_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    // OSC 52 (write the clipboard), a title change and clear-screen, as raw bytes in names.
    let service = "evil\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J";
    let user = "mallory\u{1b}]0;pwned\u{7}";
    let home = write(
        dir.path(),
        "home.nix",
        format!(
            "{{ home.username = \"{user}\";\n  systemd.user.services.\"{service}\".Service.ExecStart = \"/bin/true\";\n}}\n"
        ),
    );
    let outputs = [
        hm().arg("services").arg(&home).output().expect("run hm"),
        hm().arg("users").arg(&home).output().expect("run hm"),
        hm().arg("check").arg(&home).output().expect("run hm"),
        check(&home),
    ];
    for output in &outputs {
        let text = transcript(output);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        assert!(text.contains("\\u{1b}"), "{text}");
    }
    let services = String::from_utf8_lossy(&outputs[0].stdout);
    assert!(
        services.contains("evil\\u{1b}]52;c;ZXZpbA==\\u{7}\\u{1b}[2J"),
        "{services}"
    );
    // JSON keeps the name exact (serde escapes it).
    let output = hm()
        .args(["services", "--format", "json"])
        .arg(&home)
        .output()
        .expect("run hm");
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(
        value
            .to_string()
            .contains(&serde_json::to_string(service).expect("json")[1..20])
    );
}

#[test]
fn a_service_named_like_an_option_follows_double_dash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let home = write(
        dir.path(),
        "home.nix",
        "{ systemd.user.services.\"-Hevil.example\".Service.ExecStart = \"/bin/true\"; }",
    );
    let shim = dir.path().join("bin");
    std::fs::create_dir(&shim).expect("mkdir");
    let log = dir.path().join("argv.log");
    let script = format!(
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}'; done\n",
        log.display()
    );
    for tool in ["systemctl", "journalctl"] {
        let path = write(&shim, tool, &script);
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .expect("chmod");
    }
    let path_env = format!(
        "{}:{}",
        shim.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for verb in ["restart", "logs"] {
        let output = hm()
            .args(["service", verb, "--", "-Hevil.example"])
            .arg(&home)
            .env("PATH", &path_env)
            .output()
            .expect("run hm");
        assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    }
    let argv = std::fs::read_to_string(&log).expect("systemctl ran");
    assert_eq!(
        argv,
        "--user\nrestart\n--\n-Hevil.example.service\n--user\n-n\n100\n--no-pager\n--unit=-Hevil.example.service\n"
    );
}

#[test]
fn a_closed_pipe_is_success() {
    use std::io::BufRead;

    let dir = tempfile::tempdir().expect("tempdir");
    let services: String = (0..3_000)
        .map(|i| format!("  systemd.user.services.s{i}.Service.ExecStart = \"/bin/true\";\n"))
        .collect();
    let home = write(dir.path(), "home.nix", format!("{{\n{services}}}\n"));
    for args in [
        &["services"][..],
        &["services", "--format", "json"],
        &["check"],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("hm"))
            .args(args)
            .arg(&home)
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn hm");
        // `| head -1`: read a line, then close the pipe.
        let stdout = child.stdout.take().expect("stdout");
        let mut first = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut first)
            .expect("a line");
        let output = child.wait_with_output().expect("wait");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            output.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn a_closed_stderr_pipe_is_not_a_panic() {
    // `hm build 2>&1 | head -0`: progress notes go to a pipe nobody reads.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("hm"))
        .args(["build", "--user", "alice", "--flake"])
        .arg(common::example("standalone"))
        .arg("--out-link")
        .arg(dir.path().join("result"))
        .env("HM_NIX", "/bin/false")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn hm");
    drop(child.stderr.take());
    let status = child.wait().expect("wait");
    // The failed (fake) build, not a panic (101).
    assert_eq!(status.code(), Some(1));
}

#[test]
fn an_empty_backup_extension_is_refused() {
    let output = hm()
        .args(["switch", "-b", "", "--flake"])
        .arg(common::example("standalone"))
        .env("PATH", "/nonexistent")
        .output()
        .expect("run hm");
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    assert_reported(&output, "--backup-extension <EXT>");
}

#[test]
fn many_duplicates_each_show_a_few_lines() {
    // One per line: a duplicate far from the first definition points at it in a note of
    // its own, not in a snippet holding every line between.
    let dir = tempfile::tempdir().expect("tempdir");
    let n = 2_000;
    let file = write(
        dir.path(),
        "home.nix",
        format!("{{\n{}}}\n", "a = 1;\n".repeat(n)),
    );
    let output = hm()
        .args(["check"])
        .arg(&file)
        .env("COLUMNS", "80")
        .output()
        .expect("run hm");
    assert_reported(&output, "already defined");
    let lines = transcript(&output).lines().count();
    assert!(lines < 40 * n, "{lines} lines for {n} findings");
    // All on one line: each finding's line and column come without rescanning the line.
    let file = write(
        dir.path(),
        "one-line.nix",
        format!("{{ {}}}\n", "a = 1; ".repeat(n)),
    );
    assert_reported(
        &check(&file),
        &format!("one-line.nix:1:{}:", 7 * (n - 1) + 3),
    );
}

#[test]
fn a_module_that_imports_itself_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let home = write(
        dir.path(),
        "home.nix",
        "let m = { imports = [ m ]; home.stateVersion = \"24.05\"; }; in m\n",
    );
    assert_reported(&check(&home), "this module imports itself");
    // The same module imported twice, or by a module it does not import, is no cycle.
    let twice = write(
        dir.path(),
        "twice.nix",
        "let m = { home.stateVersion = \"24.05\"; }; in { imports = [ m m { imports = [ m ]; } ]; }\n",
    );
    let output = check(&twice);
    assert!(
        !transcript(&output).contains("imports itself"),
        "{}",
        transcript(&output)
    );
}
