//! Finding Home Manager users: `homeConfigurations.<name>`, and
//! `home-manager.users.<name>` inside `nixosConfigurations`/`darwinConfigurations`.

use std::rc::Rc;

use indexmap::IndexMap;
use nix_source::Span;

use crate::eval::Evaluator;
use crate::eval::value::{Condition, Open, Thunk, Value};
use crate::model::{Dynamic, User, UserKind};
use crate::walk::{Entry, Unknown};

/// A user and the Home Manager modules that make up its configuration.
pub(crate) struct UserConfig {
    pub(crate) user: User,
    pub(crate) modules: Vec<(Thunk, Vec<Condition>)>,
    /// `extraSpecialArgs`, passed to every module besides `config`, `pkgs`, `lib`, ….
    pub(crate) args: Value,
}

pub(crate) fn join_conditions(conds: &[Condition]) -> Option<String> {
    (!conds.is_empty()).then(|| {
        conds
            .iter()
            .map(|c| c.text.as_ref())
            .collect::<Vec<_>>()
            .join(" && ")
    })
}

/// Module arguments (or flake inputs): the known ones, and opaque values for the rest.
pub(crate) fn open_args(known: IndexMap<Rc<str>, Thunk>) -> Value {
    Value::Open(Rc::new(Open {
        known,
        record_uses: false,
    }))
}

/// Quotes an attribute name when Nix needs it quoted.
pub(crate) fn attr_name(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '\''));
    if plain {
        name.to_string()
    } else {
        format!("{name:?}")
    }
}

impl Evaluator {
    /// Users defined by a flake's outputs.
    pub(crate) fn flake_users(
        &mut self,
        flake: Value,
        flake_span: Span,
        dynamic: &mut Vec<Dynamic>,
    ) -> Vec<UserConfig> {
        let mut users = Vec::new();
        let outputs = match self.select(&flake, "outputs", Some(flake_span)) {
            Some(Value::Lambda(c)) => {
                let span = c.span;
                let inputs = Value::Open(Rc::new(Open {
                    known: IndexMap::new(),
                    record_uses: true,
                }));
                self.apply(&Value::Lambda(c), Thunk::ready(inputs), span)
            }
            Some(other) => other,
            None => {
                dynamic.push(Dynamic {
                    defines: "users",
                    user: None,
                    span: Some(flake_span),
                    reason: "the flake has no `outputs` function".to_string(),
                });
                return users;
            }
        };

        let standalone = self.entries_at(outputs.clone(), &["homeConfigurations"], &[]);
        record(dynamic, "users", None, standalone.unknown);
        for entry in standalone.entries {
            let value = self.force(&entry.value);
            let Some(call) = self.call_arguments(&value) else {
                dynamic.push(not_a_call(
                    &entry,
                    "homeConfigurations",
                    "home-manager.lib.homeManagerConfiguration",
                ));
                continue;
            };
            let mut modules = Vec::new();
            let mut unknown = Vec::new();
            if let Some(list) = self.select(&call, "modules", None) {
                self.list_items(list, &entry.conds, &mut modules, &mut unknown);
            }
            if let Value::Attrs(attrs) = &call
                && let Some(configuration) = attrs.entries.get("configuration")
            {
                modules.push((configuration.value.clone(), entry.conds.clone()));
            }
            record(dynamic, "modules", Some(&entry.name), unknown);
            let args = self.special_args(&call, "extraSpecialArgs");
            users.push(UserConfig {
                user: User {
                    name: entry.name.to_string(),
                    kind: UserKind::Standalone,
                    host: None,
                    attribute: Some(format!("homeConfigurations.{:?}", entry.name.as_ref())),
                    span: entry.key_span,
                    condition: join_conditions(&entry.conds),
                    modules: Vec::new(),
                    settings: Default::default(),
                    declared_modules: 0,
                    declared_options: Vec::new(),
                    opaque_modules: false,
                },
                modules,
                args,
            });
        }

        for (output, kind, system) in [
            (
                "nixosConfigurations",
                UserKind::Nixos,
                "nixpkgs.lib.nixosSystem",
            ),
            (
                "darwinConfigurations",
                UserKind::Darwin,
                "nix-darwin.lib.darwinSystem",
            ),
        ] {
            let hosts = self.entries_at(outputs.clone(), &[output], &[]);
            record(dynamic, "users", None, hosts.unknown);
            for host in hosts.entries {
                let value = self.force(&host.value);
                let Some(call) = self.call_arguments(&value) else {
                    dynamic.push(not_a_call(&host, output, system));
                    continue;
                };
                users.extend(self.host_users(&call, &host, output, kind, dynamic));
            }
        }
        users
    }

    /// `home-manager.users.<name>` in the modules of one NixOS or nix-darwin host.
    fn host_users(
        &mut self,
        call: &Value,
        host: &Entry,
        output: &str,
        kind: UserKind,
        dynamic: &mut Vec<Dynamic>,
    ) -> Vec<UserConfig> {
        let mut roots = Vec::new();
        let mut unknown = Vec::new();
        if let Some(list) = self.select(call, "modules", None) {
            self.list_items(list, &host.conds, &mut roots, &mut unknown);
        }
        let args = self.special_args(call, "specialArgs");
        let system = self.collect_modules(roots, &args);
        unknown.extend(system.unknown);
        record(dynamic, "users", None, unknown);

        let mut shared = Vec::new();
        let mut hm_args = IndexMap::new();
        let mut users = Vec::new();
        for module in &system.modules {
            let mut unknown = Vec::new();
            let mut found = Vec::new();
            self.defs_at(
                module.config.clone(),
                &["home-manager", "sharedModules"],
                &module.conds,
                &mut found,
                &mut unknown,
            );
            for def in found {
                self.list_items(def.value, &def.conds, &mut shared, &mut unknown);
            }
            let extra = self.entries_at(
                module.config.clone(),
                &["home-manager", "extraSpecialArgs"],
                &module.conds,
            );
            hm_args.extend(extra.entries.into_iter().map(|e| (e.name, e.value)));
            let defined = self.entries_at(
                module.config.clone(),
                &["home-manager", "users"],
                &module.conds,
            );
            unknown.extend(defined.unknown);
            record(dynamic, "users", None, unknown);
            users.extend(defined.entries);
        }

        let host_name = host.name.to_string();
        users
            .into_iter()
            .map(|entry| {
                let mut modules = shared.clone();
                modules.push((entry.value.clone(), Vec::new()));
                UserConfig {
                    user: User {
                        name: entry.name.to_string(),
                        kind,
                        host: Some(host_name.clone()),
                        attribute: Some(format!(
                            "{output}.{}.config.home-manager.users.{}",
                            attr_name(&host_name),
                            attr_name(&entry.name)
                        )),
                        span: entry.key_span,
                        condition: join_conditions(&entry.conds),
                        modules: Vec::new(),
                        settings: Default::default(),
                        declared_modules: 0,
                        declared_options: Vec::new(),
                        opaque_modules: false,
                    },
                    modules,
                    args: open_args(hm_args.clone()),
                }
            })
            .collect()
    }

    /// The attribute set passed to `homeManagerConfiguration`, `nixosSystem`, …
    fn call_arguments(&mut self, value: &Value) -> Option<Value> {
        let Value::Opaque(call) = value else {
            return None;
        };
        let last = call.args.last()?.clone();
        match self.force(&last) {
            args @ Value::Attrs(_) => Some(args),
            _ => None,
        }
    }

    /// Module arguments from `specialArgs`/`extraSpecialArgs` of a call.
    fn special_args(&mut self, call: &Value, name: &str) -> Value {
        let mut known = IndexMap::new();
        if let Some(Value::Attrs(attrs)) = self.select(call, name, None) {
            for (key, attr) in &attrs.entries {
                known.insert(key.clone(), attr.value.clone());
            }
        }
        open_args(known)
    }
}

fn not_a_call(entry: &Entry, output: &str, function: &str) -> Dynamic {
    Dynamic {
        defines: "users",
        user: None,
        span: Some(entry.key_span),
        reason: format!(
            "`{output}.{}` is not a call of `{function}` the analyser can follow",
            attr_name(&entry.name)
        ),
    }
}

pub(crate) fn record(
    dynamic: &mut Vec<Dynamic>,
    defines: &'static str,
    user: Option<&str>,
    unknown: Vec<Unknown>,
) {
    dynamic.extend(unknown.into_iter().map(|u| Dynamic {
        defines,
        user: user.map(str::to_string),
        span: u.span,
        reason: u.reason,
    }));
}
