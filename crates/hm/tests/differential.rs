//! The differential suite of issue 8: every flake under `tests/fixtures/differential/`
//! is read by hm (`hm users`/`hm services --format json`) and evaluated by real Nix with
//! the stand-ins under `nix/` (offline), and the two must agree on the users, each user's
//! services, and their Description, ExecStart and WantedBy. Each fixture exercises one
//! pattern real configurations use (see its `flake.nix` comment); the fixtures are plain
//! flakes, so the oracle in `../shared/oracle` (real nixpkgs lib, real Home Manager) reads
//! them too.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Workspace, hm, repo, require};

const DIR: &str = "tests/fixtures/differential";

/// What Nix or hm says a flake defines: services by user, each with its three fields
/// (strings from Nix, [`HmString`]s from hm).
type Inventory<S> = BTreeMap<String, BTreeMap<String, Fields<S>>>;

#[derive(Debug, Clone, PartialEq)]
struct Fields<S> {
    description: Option<S>,
    exec_start: Vec<S>,
    wanted_by: Vec<S>,
}

/// A string as hm's JSON gives it: its `parts` where some are known only to Nix.
type HmString = Vec<Piece>;

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    /// Text hm knows exactly (a literal `${HOME}` included).
    Text(String),
    /// `/nix/store/<hash>-<name>`: a derivation the files build, its hash unknown.
    StorePath(String),
    /// Anything else only Nix knows, as hm shows it (`${pkgs.hello}`).
    Unknown(String),
}

/// The services of a configuration as Nix evaluates them (strings, store paths included).
const SERVICES: &str = r#"config: builtins.mapAttrs (name: s: {
  description = s.Unit.Description or null;
  execStart = map toString (if builtins.isList (s.Service.ExecStart or [ ]) then s.Service.ExecStart or [ ] else [ s.Service.ExecStart ]);
  wantedBy = map toString (s.Install.WantedBy or [ ]);
}) config.systemd.user.services"#;

fn nix_eval(dir: &Path, attribute: &str, apply: &str) -> Option<serde_json::Value> {
    let config =
        std::fs::read_to_string(repo().join("nix/offline.conf")).expect("nix/offline.conf");
    let output = std::process::Command::new("nix")
        .args([
            "eval",
            "--json",
            &format!(".#{attribute}"),
            "--apply",
            apply,
        ])
        .current_dir(dir)
        .env("NIX_CONFIG", config)
        .output()
        .expect("run nix");
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        assert!(
            stderr.contains("does not provide attribute"),
            "nix eval .#{attribute} failed in {}:\n{stderr}",
            dir.display()
        );
        return None;
    }
    Some(serde_json::from_slice(&output.stdout).expect("nix printed JSON"))
}

fn fields(value: &serde_json::Value) -> Fields<String> {
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    Fields {
        description: value["description"].as_str().map(str::to_string),
        exec_start: strings(&value["execStart"]),
        wanted_by: strings(&value["wantedBy"]),
    }
}

fn services_of(dir: &Path, attribute: &str, config: &str) -> BTreeMap<String, Fields<String>> {
    let apply = format!("c: ({SERVICES}) {config}");
    let value = nix_eval(dir, attribute, &apply).unwrap_or_default();
    value
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), fields(v))).collect())
        .unwrap_or_default()
}

/// Users (`name`, or `host/name` for module installs) and their services, by Nix.
fn evaluated(dir: &Path) -> Inventory<String> {
    let mut out = Inventory::new();
    let names = |v: Option<serde_json::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect()
    };
    for name in names(nix_eval(dir, "homeConfigurations", "builtins.attrNames")) {
        let attribute = format!("homeConfigurations.\"{name}\"");
        out.insert(name, services_of(dir, &attribute, "c.config"));
    }
    for output in ["nixosConfigurations", "darwinConfigurations"] {
        let hosts = nix_eval(
            dir,
            output,
            "builtins.mapAttrs (h: c: builtins.attrNames (c.config.home-manager.users or { }))",
        );
        let Some(hosts) = hosts.as_ref().and_then(|h| h.as_object()) else {
            continue;
        };
        for (host, users) in hosts {
            for user in names(Some(users.clone())) {
                let attribute = format!("{output}.\"{host}\".config.home-manager.users.\"{user}\"");
                out.insert(format!("{host}/{user}"), services_of(dir, &attribute, "c"));
            }
        }
    }
    out
}

fn hm_json(dir: &Path, command: &str) -> serde_json::Value {
    let output = hm()
        .args([command, "--format", "json"])
        .arg(dir)
        .output()
        .expect("run hm");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "hm {command} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// One of `parts`: known text (a JSON string), or an object for a part only Nix knows.
fn piece(part: &serde_json::Value) -> Piece {
    let Some(unknown) = part.as_object() else {
        return Piece::Text(part.as_str().unwrap_or_default().to_string());
    };
    let shown = unknown["shown"].as_str().unwrap_or_default();
    match shown.strip_prefix("/nix/store/<hash>-") {
        Some(name) if unknown["kind"] == "store-path" => Piece::StorePath(name.to_string()),
        _ => Piece::Unknown(shown.to_string()),
    }
}

/// hm's field value as strings (one string, or a list of them), each split into its
/// parts by `parts` (docs/json.md) when some are known only to Nix.
fn hm_strings(value: &serde_json::Value, parts: &serde_json::Value) -> Vec<HmString> {
    match (value, parts) {
        (serde_json::Value::String(_), serde_json::Value::Array(parts)) => {
            vec![parts.iter().map(piece).collect()]
        }
        (serde_json::Value::String(s), _) => vec![vec![Piece::Text(s.clone())]],
        (serde_json::Value::Array(items), parts) => items
            .iter()
            .enumerate()
            .flat_map(|(i, item)| {
                hm_strings(item, parts.get(i).unwrap_or(&serde_json::Value::Null))
            })
            .collect(),
        (serde_json::Value::Null, _) => Vec::new(),
        (other, _) => vec![vec![Piece::Text(other.to_string())]],
    }
}

/// Users and services as hm reads them, keyed as `evaluated` keys them; with what hm
/// reports as not statically known.
fn analysed(dir: &Path) -> (Inventory<HmString>, Vec<String>) {
    let users = hm_json(dir, "users");
    let services = hm_json(dir, "services");
    // `host/user` for module installs, as `evaluated` keys them.
    let key = |name: &serde_json::Value, host: &serde_json::Value| {
        let name = name.as_str().unwrap_or_default();
        match host.as_str() {
            Some(host) => format!("{host}/{name}"),
            None => name.to_string(),
        }
    };
    let mut out = Inventory::new();
    for user in users["users"].as_array().into_iter().flatten() {
        out.insert(key(&user["name"], &user["host"]), BTreeMap::new());
    }
    for service in services["services"].as_array().into_iter().flatten() {
        if service["condition"].is_string() {
            continue; // listed with a condition hm cannot decide: counted below
        }
        let wanted_by = &service["fields"]["Install.WantedBy"];
        let fields = Fields {
            description: hm_strings(&service["description"], &service["description_parts"])
                .into_iter()
                .next(),
            exec_start: hm_strings(&service["exec_start"], &service["exec_start_parts"]),
            wanted_by: hm_strings(&wanted_by["value"], &wanted_by["parts"]),
        };
        if let Some(services) = out.get_mut(&key(&service["user"], &service["host"])) {
            services.insert(
                service["name"].as_str().unwrap_or_default().to_string(),
                fields,
            );
        }
    }
    let mut unknown: Vec<String> = Vec::new();
    for doc in [&users, &services] {
        for d in doc["dynamic"].as_array().into_iter().flatten() {
            unknown.push(d["reason"].as_str().unwrap_or_default().to_string());
        }
    }
    for service in services["services"].as_array().into_iter().flatten() {
        if let Some(condition) = service["condition"].as_str() {
            unknown.push(format!("{} only if {condition}", service["name"]));
        }
    }
    (out, unknown)
}

/// Whether hm's string agrees with Nix's: known text equal, a store path hm names
/// (`/nix/store/<hash>-name`) a store path of that name, and any other part only Nix
/// knows a store path or a path inside one (a package, `lib.getExe` of one).
fn agrees(hm: &[Piece], nix: &str) -> bool {
    let mut pattern = String::from("^");
    for piece in hm {
        match piece {
            Piece::Text(text) => pattern.extend(text.chars().map(regex_escape)),
            Piece::StorePath(name) => {
                pattern.push_str("/nix/store/[0-9a-z]{32}-");
                pattern.extend(name.chars().map(regex_escape));
            }
            Piece::Unknown(_) => pattern.push_str(r"/nix/store/[0-9a-z]{32}-[^\s'\x22]*?"),
        }
    }
    pattern.push('$');
    regex::Regex::new(&pattern).is_ok_and(|re| re.is_match(nix))
}

fn regex_escape(c: char) -> String {
    if "\\.+*?()|[]{}^$".contains(c) {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

fn compare(
    name: &str,
    nix: &Inventory<String>,
    ours: &Inventory<HmString>,
    unknown: &[String],
) -> Vec<String> {
    let mut problems = Vec::new();
    if !unknown.is_empty() {
        problems.push(format!(
            "{name}: hm reports as not statically known: {unknown:?}"
        ));
    }
    let nix_users: Vec<_> = nix.keys().collect();
    let our_users: Vec<_> = ours.keys().collect();
    if nix_users != our_users {
        problems.push(format!(
            "{name}: users differ: nix {nix_users:?}, hm {our_users:?}"
        ));
    }
    for (user, services) in nix {
        let Some(mine) = ours.get(user) else { continue };
        let theirs: Vec<_> = services.keys().collect();
        let ours: Vec<_> = mine.keys().collect();
        if theirs != ours {
            problems.push(format!(
                "{name}: services of {user} differ: nix {theirs:?}, hm {ours:?}"
            ));
        }
        for (service, theirs) in services {
            let Some(f) = mine.get(service) else { continue };
            let same = |a: &[HmString], b: &[String]| {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| agrees(x, y))
            };
            let description = match (&f.description, &theirs.description) {
                (Some(a), Some(b)) => agrees(a, b),
                (a, b) => a.is_none() && b.is_none(),
            };
            if !description
                || !same(&f.exec_start, &theirs.exec_start)
                || !same(&f.wanted_by, &theirs.wanted_by)
            {
                problems.push(format!(
                    "{name}: {user}'s {service}: nix {theirs:?}, hm {f:?}"
                ));
            }
        }
    }
    problems
}

#[test]
fn every_fixture_agrees_with_nix_eval() {
    if !require("nix") {
        return;
    }
    let ws = Workspace::new(&[DIR]);
    let mut fixtures: Vec<_> = std::fs::read_dir(ws.path(DIR))
        .expect("fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("flake.nix").is_file())
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 5, "{} fixtures", fixtures.len());
    let mut problems = Vec::new();
    let mut services = 0;
    for dir in &fixtures {
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        let nix = evaluated(dir);
        assert!(!nix.is_empty(), "{name}: Nix finds no user");
        services += nix.values().map(BTreeMap::len).sum::<usize>();
        let (ours, unknown) = analysed(dir);
        problems.extend(compare(&name, &nix, &ours, &unknown));
    }
    eprintln!("{} fixtures, {services} services compared", fixtures.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn unknown_parts_match_store_paths_only() {
    let store = "/nix/store/0123456789abcdefghijklmnopqrstuv";
    let text = |t: &str| Piece::Text(t.to_string());
    let unknown = || Piece::Unknown("${pkgs.hello}".to_string());
    assert!(agrees(
        &[unknown(), text("/bin/hello")],
        &format!("{store}-hello/bin/hello")
    ));
    // `lib.getExe pkgs.hello`: a path inside a store path.
    assert!(agrees(&[unknown()], &format!("{store}-hello/bin/hello")));
    assert!(agrees(
        &[Piece::StorePath("x".to_string())],
        &format!("{store}-x")
    ));
    assert!(!agrees(
        &[Piece::StorePath("x".to_string())],
        &format!("{store}-y")
    ));
    assert!(agrees(&[text("/bin/a b")], "/bin/a b"));
    assert!(!agrees(&[text("/bin/a")], "/bin/b"));
    assert!(!agrees(&[unknown(), text("/bin/a")], "/usr/bin/a"));
    // A literal `${HOME}` is text, equal only to itself.
    assert!(agrees(&[text("echo ${HOME}")], "echo ${HOME}"));
    assert!(!agrees(
        &[text("echo ${HOME}")],
        &format!("echo {store}-home")
    ));
}
