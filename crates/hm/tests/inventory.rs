//! `hm users` and `hm services` on the fixture repos and examples: tables, JSON and
//! diagnostics, snapshotted.

mod common;

use common::{example, fixture, hm, json, run, transcript};

macro_rules! snapshot_case {
    ($name:ident, [$($arg:expr),*], $path:expr) => {
        #[test]
        fn $name() {
            let output = run(&[$($arg),*], &$path);
            insta::assert_snapshot!(stringify!($name), transcript(&output));
        }
    };
}

snapshot_case!(users_standalone_example, ["users"], example("standalone"));
snapshot_case!(
    services_standalone_example,
    ["services"],
    example("standalone")
);
snapshot_case!(users_nixos_example, ["users"], example("nixos"));
snapshot_case!(services_nixos_example, ["services"], example("nixos"));
snapshot_case!(users_darwin_example, ["users"], example("darwin"));
snapshot_case!(services_darwin_example, ["services"], example("darwin"));
// Agents of every kind: schedules, on-demand keys, disabled and conditional agents.
snapshot_case!(
    services_launchd_agents,
    ["services"],
    fixture("clean/launchd-agents")
);
// flake-parts with import-tree, `flake.modules` deferred modules and `withSystem`.
snapshot_case!(
    users_flake_parts_tree,
    ["users"],
    fixture("flake-parts-tree")
);
snapshot_case!(
    services_flake_parts_tree,
    ["services"],
    fixture("flake-parts-tree")
);
// flake-parts modules hm cannot read: no user found, and a reason instead of silence.
snapshot_case!(
    users_flake_parts_unread,
    ["users"],
    fixture("flake-parts-unread")
);
snapshot_case!(users_constructs, ["users"], fixture("constructs"));
snapshot_case!(services_constructs, ["services"], fixture("constructs"));
snapshot_case!(
    services_constructs_one_user,
    ["services", "--user", "dave"],
    fixture("constructs")
);
snapshot_case!(
    services_unknown_user,
    ["services", "--user", "mallory"],
    fixture("constructs")
);
snapshot_case!(services_home_module, ["services"], fixture("home-module"));
snapshot_case!(
    services_unknown_parts,
    ["services"],
    fixture("unknown-parts")
);
// Services Home Manager's modules create, one of them overridden.
snapshot_case!(
    services_module_created,
    ["services"],
    fixture("check/HM209-module-service-override")
);
// One user on two hosts: each host's module service is its own, named `user@host`.
snapshot_case!(
    services_module_created_on_two_hosts,
    ["services"],
    fixture("module-services-hosts")
);
snapshot_case!(
    services_user_of_one_host,
    ["services", "--user", "alice@desk"],
    fixture("module-services-hosts")
);
snapshot_case!(
    services_user_of_no_host,
    ["services", "--user", "alice@nowhere"],
    fixture("module-services-hosts")
);
snapshot_case!(users_home_module, ["users"], fixture("home-module"));
// A flake input called as a function: its outputs are Nix's to know, not an error.
snapshot_case!(users_callable_input, ["users"], fixture("callable-input"));
// The services of users hm cannot see are not listed: it says so, not "none found" alone.
snapshot_case!(
    services_callable_input,
    ["services"],
    fixture("callable-input")
);
// An output Nix fails on is reported as failing, not as unknown.
snapshot_case!(users_missing_output, ["users"], fixture("missing-output"));
// `own // extra.lib // { … }`: a name the unread `extra.lib` may have is Nix's to know,
// one the set after it defines is not.
snapshot_case!(users_open_update, ["users"], fixture("open-update"));
// `imports = [ ./hosts/${name} ] ++ <another flake's list>`: the known import is read.
snapshot_case!(
    users_partly_known_imports,
    ["users"],
    fixture("partly-known-imports")
);
snapshot_case!(
    services_partly_known_imports,
    ["services"],
    fixture("partly-known-imports")
);
// One of the host's own imports only Nix can read: the users found, and that there may be
// more.
snapshot_case!(
    users_partly_known_own_imports,
    ["users", "--format", "json"],
    fixture("partly-known-own-imports")
);
// Hosts with another flake's module and no user: said only where Home Manager is set up.
snapshot_case!(
    users_host_foreign_modules,
    ["users"],
    fixture("host-foreign-modules")
);
// A host's `mkIf` only Nix can decide around a user's module: its services keep it.
snapshot_case!(
    services_host_condition,
    ["services"],
    fixture("host-condition")
);
// `{ … } // optionalAttrs c { … }` with `c` only Nix knows: the names the part adds exist
// under `c` (users, hosts, services), the others keep their values.
snapshot_case!(
    users_undecided_update,
    ["users"],
    fixture("undecided-update")
);
snapshot_case!(
    services_undecided_update,
    ["services"],
    fixture("undecided-update")
);
// `filterAttrs` on what only Nix knows: each name it may drop is there under that
// condition (users, hosts, services); outputs zipped from such sets hold no other name.
snapshot_case!(
    users_undecided_filter,
    ["users"],
    fixture("undecided-filter")
);
snapshot_case!(
    services_undecided_filter,
    ["services"],
    fixture("undecided-filter")
);
// `withSystem`: `perSystem`'s module arguments (`pkgs` for the system, `_module.args`).
snapshot_case!(
    services_flake_parts_with_system,
    ["services"],
    fixture("flake-parts-with-system")
);
// treefmt-nix's and git-hooks.nix's flake modules add only per-system outputs.
snapshot_case!(
    services_per_system_flake_modules,
    ["services"],
    fixture("per-system-flake-modules")
);
// The same home.nix for a Mac and a Linux machine: module units only on Linux.
snapshot_case!(
    services_darwin_and_linux,
    ["services"],
    fixture("check/HM214-systemd-on-darwin")
);
snapshot_case!(
    problem_syntax_error,
    ["services"],
    fixture("check/HM001-syntax-error")
);
snapshot_case!(
    problem_syntax_eof,
    ["services"],
    fixture("check/HM001-syntax-eof")
);
snapshot_case!(
    problem_missing_import,
    ["services"],
    fixture("check/HM101-missing-file")
);
snapshot_case!(
    problem_import_cycle,
    ["services"],
    fixture("check/HM102-import-cycle")
);
snapshot_case!(
    problem_duplicate_attribute,
    ["services"],
    fixture("check/HM103-duplicate-attribute")
);

#[test]
fn users_json_constructs() {
    insta::assert_json_snapshot!(
        "users_json_constructs",
        json(&["users"], &fixture("constructs"))
    );
}

#[test]
fn services_json_constructs() {
    insta::assert_json_snapshot!(
        "services_json_constructs",
        json(&["services"], &fixture("constructs"))
    );
}

#[test]
fn services_json_darwin_example() {
    insta::assert_json_snapshot!(
        "services_json_darwin_example",
        json(&["services"], &example("darwin"))
    );
}

#[test]
fn services_json_home_module() {
    insta::assert_json_snapshot!(
        "services_json_home_module",
        json(&["services"], &fixture("home-module"))
    );
}

/// Literal `${HOME}` (escaped in Nix) beside parts only Nix knows: `parts` tells them apart.
#[test]
fn services_json_unknown_parts() {
    insta::assert_json_snapshot!(
        "services_json_unknown_parts",
        json(&["services"], &fixture("unknown-parts"))
    );
}

#[test]
fn services_json_module_created() {
    insta::assert_json_snapshot!(
        "services_json_module_created",
        json(
            &["services"],
            &fixture("check/HM209-module-service-override")
        )
    );
}

#[test]
fn problems_json_duplicate_attribute() {
    insta::assert_json_snapshot!(
        "problems_json_duplicate_attribute",
        json(&["services"], &fixture("check/HM103-duplicate-attribute"))
    );
}

#[test]
fn a_flake_nix_file_and_its_directory_give_the_same_result() {
    let dir = json(&["services"], &fixture("constructs"));
    let file = json(&["services"], &fixture("constructs").join("flake.nix"));
    assert_eq!(dir, file);
}

#[test]
fn missing_path_is_a_tool_error() {
    let output = run(&["services"], &fixture("does-not-exist"));
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no such file or directory"));
}

#[test]
fn directory_without_configuration_is_a_tool_error() {
    let empty = tempfile::tempdir().expect("tempdir");
    let output = run(&["users"], empty.path());
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("neither a flake.nix nor a home.nix"));
}

#[test]
fn defaults_to_the_current_directory() {
    let output = hm()
        .arg("services")
        .current_dir(example("standalone"))
        .output()
        .expect("run hm");
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("workstyle"));
    // Which configuration was read is said, on stderr.
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("(the current directory)"),
        "{}",
        transcript(&output)
    );
}

#[test]
fn falls_back_to_the_home_manager_config_directory() {
    let home = tempfile::tempdir().expect("tempdir");
    let config = home.path().join(".config/home-manager");
    std::fs::create_dir_all(&config).expect("mkdir");
    std::fs::copy(
        example("standalone").join("home.nix"),
        config.join("home.nix"),
    )
    .expect("copy");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let output = hm()
        .arg("users")
        .current_dir(elsewhere.path())
        .env("HOME", home.path())
        .output()
        .expect("run hm");
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("alice"));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("(the default location)"),
        "{}",
        transcript(&output)
    );
}

#[test]
fn no_configuration_anywhere_explains_what_to_do() {
    let home = tempfile::tempdir().expect("tempdir");
    let output = hm()
        .arg("users")
        .current_dir(home.path())
        .env("HOME", home.path())
        .output()
        .expect("run hm");
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no Home Manager configuration"), "{stderr}");
    assert!(stderr.contains("hm check ./dots"), "{stderr}");
    // Paths are never cut where the message wraps.
    assert!(
        stderr.contains(&format!("{}/.config/home-manager", home.path().display())),
        "{stderr}"
    );
}

/// Each host's copy of a module service carries its host, and one trigger per option.
#[test]
fn services_json_module_created_on_two_hosts() {
    insta::assert_json_snapshot!(
        "services_json_module_created_on_two_hosts",
        json(&["services"], &fixture("module-services-hosts"))
    );
}
