//! Asking Nix what a flake defines, for what the static model cannot decide: which Home
//! Manager configurations exist, and a configuration's systemd user services. Each is one
//! `nix eval --json <flake>#<output> --apply <function>`, so Nix locks and fetches the
//! flake exactly as `nix build` would.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::{Command, CommandError, FlakeRef, Nix, NixError};

/// The Home Manager configurations of a flake, as Nix evaluates them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Configurations {
    /// `homeConfigurations` names.
    pub standalone: Vec<String>,
    /// `nixosConfigurations` hosts and their `home-manager.users` names (`None`: the host
    /// was not evaluated because another was asked for).
    pub nixos: BTreeMap<String, Option<Vec<String>>>,
    /// Likewise for `darwinConfigurations`.
    pub darwin: BTreeMap<String, Option<Vec<String>>>,
}

/// A systemd user service of a configuration, as Nix evaluates it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EvaluatedService {
    pub description: Option<String>,
    /// `Service.ExecStart`: one string, or several (a list).
    #[serde(rename = "execStart")]
    pub exec_start: Option<serde_json::Value>,
    #[serde(rename = "wantedBy")]
    pub wanted_by: Vec<String>,
    /// Files that define it, where Nix records them (standalone configurations), as Nix
    /// printed them (store paths).
    pub files: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AskError {
    #[error(transparent)]
    Command(#[from] CommandError),
    #[error("`{command}` printed something other than the expected JSON: {source}")]
    Json {
        command: String,
        #[source]
        source: serde_json::Error,
    },
}

/// A Nix string literal holding `text`.
pub fn nix_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `users` of a host's configuration: its `home-manager.users` names, none without Home
/// Manager.
const HOST_USERS: &str = "c: builtins.attrNames (c.config.home-manager.users or { })";

/// What `nix eval --apply` prints for a systemd user service set, given the option that
/// records where each is defined (`null` where the configuration does not expose it).
const SERVICES: &str = r#"config: option:
let
  files = name:
    if option == null || !(option ? definitionsWithLocations) then [ ]
    else map (d: toString d.file)
      (builtins.filter (d: builtins.isAttrs d.value && d.value ? ${name}) option.definitionsWithLocations);
  text = v: if v == null then null else if builtins.isList v then map toString v else toString v;
in builtins.mapAttrs (name: s: {
  description = text (s.Unit.Description or null);
  execStart = text (s.Service.ExecStart or null);
  wantedBy = map toString (s.Install.WantedBy or [ ]);
  files = files name;
}) (config.systemd.user.services or { })"#;

impl Nix {
    /// `nix eval --json <flake>#<attribute> --apply <function>`.
    pub fn eval_apply(&self, flake: &FlakeRef, attribute: &str, function: &str) -> Command {
        self.eval()
            .arg("--json")
            .arg(flake.with_attribute(attribute))
            .args(["--apply", function])
    }

    /// Runs `command` and reads its JSON; `Ok(None)` when the flake has no such output.
    fn ask<T: serde::de::DeserializeOwned>(command: &Command) -> Result<Option<T>, AskError> {
        let finished = command.run()?;
        if !finished.success() && NixError::from_stderr(&finished.stderr, "").is_missing_output() {
            return Ok(None);
        }
        let finished = command.require_success(finished)?;
        serde_json::from_slice(&finished.stdout)
            .map(Some)
            .map_err(|source| AskError::Json {
                command: command.display(),
                source,
            })
    }

    /// The flake's Home Manager configurations: every `homeConfigurations` name, every
    /// NixOS/darwin host, and the `home-manager.users` of `host` (of every host when
    /// `None`; the others are not evaluated).
    pub fn configurations(
        &self,
        flake: &FlakeRef,
        host: Option<&str>,
    ) -> Result<Configurations, AskError> {
        let standalone =
            Self::ask(&self.eval_apply(flake, "homeConfigurations", "builtins.attrNames"))?
                .unwrap_or_default();
        let hosts = |output: &str| -> Result<BTreeMap<String, Option<Vec<String>>>, AskError> {
            let function = match host {
                None => format!("builtins.mapAttrs (host: {HOST_USERS})"),
                Some(host) => format!(
                    "builtins.mapAttrs (host: c: if host == {} then ({HOST_USERS}) c else null)",
                    nix_string(host)
                ),
            };
            Ok(Self::ask(&self.eval_apply(flake, output, &function))?.unwrap_or_default())
        };
        Ok(Configurations {
            standalone,
            nixos: hosts("nixosConfigurations")?,
            darwin: hosts("darwinConfigurations")?,
        })
    }

    /// The systemd user services of the configuration at `attribute` (a flake attribute
    /// path such as `homeConfigurations."alice"`, or a host's
    /// `….config.home-manager.users.alice`): description, ExecStart, WantedBy, and the
    /// defining files where the configuration exposes its options (standalone ones).
    pub fn services(
        &self,
        flake: &FlakeRef,
        attribute: &str,
        standalone: bool,
    ) -> Result<BTreeMap<String, EvaluatedService>, AskError> {
        let function = if standalone {
            format!("c: ({SERVICES}) c.config (c.options.systemd.user.services or null)")
        } else {
            format!("c: ({SERVICES}) c null")
        };
        Ok(Self::ask(&self.eval_apply(flake, attribute, &function))?.unwrap_or_default())
    }
}

/// One Home Manager configuration Nix lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// `homeConfigurations`, `nixosConfigurations` or `darwinConfigurations`.
    pub output: &'static str,
    /// The NixOS or nix-darwin host, for module installs.
    pub host: Option<String>,
    /// The configuration's name, or the user's on a host.
    pub name: String,
    /// Its flake attribute, e.g. `nixosConfigurations."laptop".config.home-manager.users."alice"`.
    pub attribute: String,
}

impl Configurations {
    /// Every configuration, standalone ones first, then NixOS and nix-darwin hosts' users
    /// (hosts not evaluated are left out).
    pub fn listed(&self) -> Vec<Listed> {
        let mut out: Vec<Listed> = self
            .standalone
            .iter()
            .map(|name| Listed {
                output: "homeConfigurations",
                host: None,
                name: name.clone(),
                attribute: format!("homeConfigurations.{}", nix_string(name)),
            })
            .collect();
        for (output, hosts) in [
            ("nixosConfigurations", &self.nixos),
            ("darwinConfigurations", &self.darwin),
        ] {
            for (host, users) in hosts {
                for user in users.iter().flatten() {
                    out.push(Listed {
                        output,
                        host: Some(host.clone()),
                        name: user.clone(),
                        attribute: format!(
                            "{output}.{}.config.home-manager.users.{}",
                            nix_string(host),
                            nix_string(user)
                        ),
                    });
                }
            }
        }
        out
    }

    /// The configuration Home Manager would build for `user` on `host`, in its order:
    /// `"user@host"`, `"user"`, then the host's users.
    pub fn select(&self, user: &str, host: &str) -> Option<Listed> {
        let listed = self.listed();
        let standalone = |name: &str| {
            listed
                .iter()
                .find(|l| l.host.is_none() && l.name == name)
                .cloned()
        };
        standalone(&format!("{user}@{host}"))
            .or_else(|| standalone(user))
            .or_else(|| {
                listed
                    .iter()
                    .find(|l| l.host.as_deref() == Some(host) && l.name == user)
                    .cloned()
            })
    }

    /// Every configuration, as flake attributes, for messages.
    pub fn attributes(&self) -> Vec<String> {
        self.listed().into_iter().map(|l| l.attribute).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nix_strings_escape_what_nix_would_read() {
        assert_eq!(nix_string("alice"), "\"alice\"");
        assert_eq!(nix_string("a\"b\\c${d}$e"), r#""a\"b\\c\${d}$e""#);
        assert_eq!(nix_string("x\ny"), "\"x\\ny\"");
    }

    #[test]
    fn selects_in_home_managers_order() {
        let printed = br#"{"standalone":["alice","alice@vm"],"nixos":{"laptop":["bob"],"vm":null},"darwin":{}}"#;
        let found: Configurations = serde_json::from_slice(printed).expect("json");
        let alice = found.select("alice", "vm").expect("alice@vm");
        assert_eq!(
            (alice.name.as_str(), alice.attribute.as_str()),
            ("alice@vm", "homeConfigurations.\"alice@vm\"")
        );
        assert_eq!(
            found.select("bob", "laptop").map(|s| s.attribute),
            Some("nixosConfigurations.\"laptop\".config.home-manager.users.\"bob\"".to_string())
        );
        assert_eq!(found.select("bob", "vm"), None);
        assert_eq!(found.attributes().len(), 3);
    }

    #[test]
    fn services_parse() {
        let printed = br#"{"x":{"description":"X","execStart":"/nix/store/a-x/bin/x","wantedBy":["default.target"],"files":["/nix/store/b-source/home.nix"]}}"#;
        let services: BTreeMap<String, EvaluatedService> =
            serde_json::from_slice(printed).expect("json");
        assert_eq!(services["x"].wanted_by, ["default.target"]);
    }
}
