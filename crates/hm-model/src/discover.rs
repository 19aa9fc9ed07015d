//! Finding Home Manager users: the flake's `outputs` are applied to its inputs (with
//! `self` the outputs themselves), then `homeConfigurations.<name>` and
//! `home-manager.users.<name>` of every `nixosConfigurations`/`darwinConfigurations` host
//! are read from the evaluated configurations.

use std::cell::RefCell;
use std::rc::Rc;

use nix_eval::{Attr, Attrs, Eval, Member, Thunk, Value};
use nix_modules::{Decided, EvalModules, ModuleInput, Modules, eval_modules};
use nix_source::Span;

use crate::configurations::{ConfigKind, Found, recognise};
use crate::inputs::{host_hm_lib, mk_default, ready};
use crate::model::{Dynamic, User, UserKind};

/// A user and the module system of its Home Manager configuration.
pub(crate) struct UserConfig {
    pub(crate) user: User,
    pub(crate) modules: Modules,
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

pub(crate) fn unknown_reason(value: &Value) -> String {
    match value.as_unknown() {
        Some(u) => u.reason.to_string(),
        None => format!(
            "{} is not what the analyser expected here",
            value.type_name()
        ),
    }
}

/// The set `value` names by each of its names, or why not.
/// A member of a set: its name, its value, and the conditions (as shown) under which the
/// set holds it, when a part of the set is under an undecided condition (`{ … } //
/// optionalAttrs c { bob = …; }`).
type Entry = (Rc<str>, Attr, Option<String>);

/// Every member of a set.
fn entries(eval: &mut Eval, value: &Value) -> Result<Vec<Entry>, String> {
    let Value::Attrs(a) = value else {
        return Err(unknown_reason(value));
    };
    let mut out: Vec<_> = a
        .entries
        .iter()
        .map(|(k, v)| (k.clone(), v.clone(), None))
        .collect();
    if !a.unknown_names.is_empty() {
        for (name, _) in eval.undecided_names(a).names {
            if a.get(&name).is_none() {
                for (attr, condition) in outcomes(eval, a, &name) {
                    out.push((name.clone(), attr, condition));
                }
            }
        }
    }
    Ok(out)
}

/// What `set` holds under `name`: each value with the conditions under which it holds it
/// (`None`: always); nothing when it does not hold it, or only Nix knows.
fn outcomes(eval: &mut Eval, set: &Attrs, name: &str) -> Vec<(Attr, Option<String>)> {
    fn walk(
        eval: &mut Eval,
        member: Member,
        conditions: &mut Vec<String>,
        out: &mut Vec<(Attr, Option<String>)>,
    ) {
        match member {
            Member::Absent | Member::Unknown(_) => {}
            Member::Present(attr) => {
                out.push((
                    attr,
                    (!conditions.is_empty()).then(|| conditions.join(" && ")),
                ));
            }
            Member::Either {
                condition,
                then,
                otherwise,
            } => {
                for (branch, negated) in [(*then, false), (*otherwise, true)] {
                    conditions.push(match condition.span {
                        Some(at) => crate::text::condition(eval, at, negated),
                        None => condition.reason.to_string(),
                    });
                    walk(eval, branch, conditions, out);
                    conditions.pop();
                }
            }
        }
    }
    let member = eval.member(set, name);
    let mut out = Vec::new();
    walk(eval, member, &mut Vec::new(), &mut out);
    out
}

/// Both conditions, either `None` (always).
fn both(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a} && {b}")),
        (a, b) => a.or(b),
    }
}

pub(crate) struct Flake {
    pub(crate) outputs: Value,
    pub(crate) found: Rc<RefCell<Found>>,
}

/// Every user of the flake whose outputs are `outputs`.
pub(crate) fn flake_users(
    eval: &mut Eval,
    flake: &Flake,
    span: Span,
    dynamic: &mut Vec<Dynamic>,
) -> Vec<UserConfig> {
    let mut users = Vec::new();
    let outputs = &flake.outputs;
    let Value::Attrs(out) = outputs else {
        dynamic.push(Dynamic {
            defines: "users",
            user: None,
            // Where the unknown arose (the call of a library only Nix runs), if in the files.
            span: outputs.as_unknown().and_then(|u| u.span).or(Some(span)),
            reason: format!(
                "the flake's outputs are not known statically: {}",
                unknown_reason(outputs)
            ),
            error: false,
        });
        return users;
    };
    let reported = dynamic.len();
    let mut missing = Vec::new();
    for (output, kind) in [
        ("homeConfigurations", ConfigKind::Home),
        ("nixosConfigurations", ConfigKind::Nixos),
        ("darwinConfigurations", ConfigKind::Darwin),
    ] {
        let found = outcomes(eval, out, output);
        if found.is_empty() {
            missing.push(output);
            continue;
        }
        for (attr, output_condition) in found {
            let (value_thunk, key_span) = (attr.value.clone(), attr.key_span);
            let value = eval.force(&value_thunk);
            let list = match entries(eval, &value) {
                Ok(list) => list,
                Err(reason) => {
                    // Nix fails here too (`inherit (x) nixosConfigurations` of a set without it).
                    let error = value.as_unknown().is_some_and(|u| u.reason.is_error());
                    let reason = match error {
                        true => format!("`{output}` fails to evaluate: {reason}"),
                        false => format!("`{output}` is not known statically: {reason}"),
                    };
                    dynamic.push(Dynamic {
                        defines: "users",
                        user: None,
                        span: value.span().or(key_span),
                        reason,
                        error,
                    });
                    continue;
                }
            };
            if let Value::Attrs(a) = &value
                && !a.unknown_names.is_empty()
            {
                for u in eval.undecided_names(a).unknown {
                    dynamic.push(Dynamic {
                        defines: "users",
                        user: None,
                        span: u.span.or(key_span),
                        reason: format!(
                            "a name in `{output}` is not known statically: {}",
                            u.reason
                        ),
                        error: false,
                    });
                }
            }
            for (name, attr, condition) in list {
                let condition = both(output_condition.clone(), condition);
                let config = eval.force(&attr.value);
                let index = match recognise(eval, &flake.found, kind, &config, attr.key_span) {
                    Ok(i) => i,
                    Err(v) => {
                        // A known value that is no configuration (a module function, say):
                        // Nix fails on it too.
                        let reason = match v.as_unknown() {
                            Some(u) => format!(
                                "`{output}.{}` is not a call of `{}` the analyser can follow ({})",
                                attr_name(&name),
                                kind.function(),
                                u.reason
                            ),
                            None => format!(
                                "`{output}.{}` is a {}, not the result of `{}`; Nix cannot build it",
                                attr_name(&name),
                                match v.type_name() {
                                    "lambda" => "function",
                                    other => other,
                                },
                                kind.function(),
                            ),
                        };
                        dynamic.push(Dynamic {
                            defines: "users",
                            user: None,
                            span: attr.key_span,
                            reason,
                            error: v.as_unknown().is_none_or(|u| u.reason.is_error()),
                        });
                        continue;
                    }
                };
                let (modules, listed, darwin, system) = {
                    let found = flake.found.borrow();
                    let c = &found.configurations[index];
                    (c.modules.clone(), c.listed, c.darwin, c.system.clone())
                };
                let span = attr.key_span.unwrap_or(span);
                match kind {
                    ConfigKind::Home => users.push(UserConfig {
                        user: User {
                            darwin,
                            ..new_user(
                                &name,
                                UserKind::Standalone,
                                None,
                                format!("homeConfigurations.{:?}", name.as_ref()),
                                span,
                                condition,
                                listed,
                            )
                        },
                        modules,
                    }),
                    ConfigKind::Nixos | ConfigKind::Darwin => {
                        let host = host_users(
                            eval,
                            &modules,
                            &name,
                            output,
                            kind,
                            system.as_deref(),
                            span,
                            dynamic,
                        );
                        // The host's users exist where the host does.
                        users.extend(host.into_iter().map(|mut u| {
                            u.user.condition = both(condition.clone(), u.user.condition.take());
                            u
                        }));
                    }
                }
            }
        }
    }
    // Nothing found and nothing said, while outputs hm cannot see may hold configurations
    // (a flake module it could not read): say so rather than report zero users.
    if users.is_empty()
        && dynamic.len() == reported
        && let Some(unknown) = out.unknown_names.first()
    {
        let names: Vec<String> = missing.iter().map(|o| format!("`{o}`")).collect();
        dynamic.push(Dynamic {
            defines: "users",
            user: None,
            span: unknown.span.or(Some(span)),
            reason: format!(
                "{} may be defined where hm cannot see: {}",
                names.join(", "),
                unknown.reason
            ),
            error: false,
        });
    }
    users
}

fn new_user(
    name: &str,
    kind: UserKind,
    host: Option<&str>,
    attribute: String,
    span: Span,
    condition: Option<String>,
    declared: usize,
) -> User {
    User {
        name: name.to_string(),
        kind,
        host: host.map(str::to_string),
        attribute: Some(attribute),
        span,
        condition,
        modules: Vec::new(),
        declared_modules: declared,
        settings: Default::default(),
        declared_options: Vec::new(),
        opaque_modules: false,
        host_input_modules: false,
        darwin: kind == UserKind::Darwin,
    }
}

fn path(parts: &[&str]) -> Vec<Rc<str>> {
    parts.iter().map(|p| Rc::from(*p)).collect()
}

/// `home-manager.users.<name>` of one NixOS or nix-darwin host.
#[allow(clippy::too_many_arguments)]
fn host_users(
    eval: &mut Eval,
    host: &Modules,
    host_name: &str,
    output: &str,
    kind: ConfigKind,
    system: Option<&str>,
    host_span: Span,
    dynamic: &mut Vec<Dynamic>,
) -> Vec<UserConfig> {
    let users_path = path(&["home-manager", "users"]);
    for def in host.defs_at(eval, &users_path) {
        let unknown = match &def.value {
            Value::Unknown(u) => Some((u.reason.to_string(), def.span)),
            Value::Attrs(a) => a
                .unknown_names
                .first()
                .map(|u| (u.reason.to_string(), u.span.or(def.span))),
            _ => None,
        };
        if let Some((reason, span)) = unknown
            && !matches!(def.decide(eval), Decided::False)
        {
            dynamic.push(Dynamic {
                defines: "users",
                user: None,
                span,
                reason: format!("a user of host `{host_name}` is not known statically: {reason}"),
                error: false,
            });
        }
    }
    let mut shared = Vec::new();
    for def in host.defs_at(eval, &path(&["home-manager", "sharedModules"])) {
        let (items, rest) = def.value.list_items();
        for item in items {
            let span = eval.thunk_span(&item);
            shared.push(ModuleInput::new(item, span));
        }
        // `[ ./a.nix ] ++ x`, `x` only Nix knows: a module hm cannot read.
        if let Some(rest @ Value::Unknown(_)) = rest {
            shared.push(ModuleInput::new(Thunk::ready(rest), def.span));
        }
    }
    let mut extra = Attrs::default();
    for def in host.defs_at(eval, &path(&["home-manager", "extraSpecialArgs"])) {
        if let Value::Attrs(a) = &def.value {
            for (k, v) in &a.entries {
                extra.entries.insert(k.clone(), v.clone());
            }
        }
    }
    let host_config = {
        let host = host.clone();
        eval.lazy(move |eval| host.config(eval))
    };
    let mut users = Vec::new();
    let names = host.names_at(eval, &users_path);
    // One of the host's own modules hm cannot read may define more users, or add to a
    // user's configuration (`home-manager.sharedModules`); another flake's module is not
    // expected to.
    let unread = host.opaque();
    let unread_own = unread
        .iter()
        .find(|o| !o.reason.reason.is_error() && !o.from_input());
    let unread_input = unread.iter().any(|o| o.from_input());
    let unread_here = if !names.is_empty() {
        unread_own.map(|opaque| ("may define more users", opaque))
    } else {
        // Users may be defined in modules hm cannot read: say so rather than find none. Of
        // another flake's modules (disko's, nixos-hardware's), only on a host that sets
        // Home Manager's options (`home-manager.useGlobalPkgs`) but no user.
        let opaque = match unread_own {
            Some(own) => Some(own),
            None if !host.names_at(eval, &path(&["home-manager"])).is_empty() => {
                unread.iter().find(|o| !o.reason.reason.is_error())
            }
            None => None,
        };
        opaque.map(|opaque| ("defines no user hm can see", opaque))
    };
    if let Some((what, opaque)) = unread_here {
        dynamic.push(Dynamic {
            defines: "users",
            user: None,
            // Where the module is written, or the host when that is inside a library
            // function (hm's prelude) the files called.
            span: opaque
                .span
                .filter(|s| !eval.is_library(s.file))
                .or(Some(host_span)),
            reason: format!(
                "host `{host_name}` {what}; one of its modules is not known statically: {}",
                opaque.reason.reason
            ),
            error: false,
        });
    }
    // The system the users' packages are for: the call's, else the one the host's modules
    // name (read only for a host with users).
    let system = match system {
        Some(system) => Some(system.to_string()),
        None if !names.is_empty() => {
            let config = host.config(eval);
            crate::packages::host_system(eval, &config)
        }
        None => None,
    };
    for (name, key_span) in names {
        let mut user_path = users_path.clone();
        user_path.push(name.clone());
        let defs = host.defs_at(eval, &user_path);
        let mut condition = None;
        let mut any_true = false;
        let mut modules = Vec::new();
        let mut outcomes = nix_modules::Outcomes::default();
        for def in &defs {
            match def.decide(eval) {
                Decided::True => any_true = true,
                Decided::False => continue,
                Decided::Unknown(..) if outcomes.complete_with(eval, def) => any_true = true,
                Decided::Unknown(_, span, negated) => {
                    if condition.is_none() {
                        condition = span.map(|s| crate::text::condition(eval, s, negated));
                    }
                }
            }
            // Its definitions are the user's only where the host's condition holds.
            modules.push(ModuleInput {
                value: Thunk::ready(def.value.clone()),
                span: def.value.span().or(def.span).or(def.key_span),
                conditions: def.conditions.clone(),
            });
        }
        if modules.is_empty() {
            continue;
        }
        let declared = modules.len();
        modules.extend(shared.iter().cloned());
        let home = os_user_home(eval, host, &name, kind);
        modules.push(base_module(&name, home));
        let mut special = extra.clone();
        for arg in [
            "osConfig",
            if kind == ConfigKind::Darwin {
                "darwinConfig"
            } else {
                "nixosConfig"
            },
        ] {
            special.entries.insert(
                arg.into(),
                Attr {
                    value: host_config.clone(),
                    key_span: None,
                },
            );
        }
        special
            .entries
            .insert("name".into(), ready(Value::string(name.clone(), key_span)));
        // The host's packages (`useGlobalPkgs`), or Home Manager's own for the same system.
        if let Some(system) = &system
            && !special.entries.contains_key("pkgs")
        {
            let pkgs = crate::packages::package_set(eval, system);
            special.entries.insert("pkgs".into(), ready(pkgs));
        }
        let lib = host_hm_lib(eval, host.special_arg("lib"));
        let hm = eval_modules(
            eval,
            EvalModules {
                modules,
                special_args: Rc::new(special),
                lib,
                open: true,
                unread_names: nix_modules::UnreadNames::Anywhere,
            },
        );
        let user_kind = if kind == ConfigKind::Darwin {
            UserKind::Darwin
        } else {
            UserKind::Nixos
        };
        let span = key_span
            .or_else(|| defs.first().and_then(|d| d.span))
            .unwrap_or(host_span);
        users.push(UserConfig {
            user: User {
                opaque_modules: unread_own.is_some(),
                host_input_modules: unread_input,
                ..new_user(
                    &name,
                    user_kind,
                    Some(host_name),
                    format!(
                        "{output}.{}.config.home-manager.users.{}",
                        attr_name(host_name),
                        attr_name(&name)
                    ),
                    span,
                    if any_true { None } else { condition },
                    declared,
                )
            },
            modules: hm,
        });
    }
    users
}

/// What Home Manager's NixOS/nix-darwin module sets for each user: `home.username` (and,
/// when the host's `users.users.<name>` says, `home.homeDirectory`), at the default
/// priority of `mkDefault` so a user's own definition wins.
fn base_module(name: &str, home: Option<String>) -> ModuleInput {
    let default = |value: &str| mk_default(Thunk::ready(Value::string(value, None)));
    let mut settings = Attrs::default();
    settings
        .entries
        .insert("username".into(), ready(default(name)));
    if let Some(home) = home {
        settings
            .entries
            .insert("homeDirectory".into(), ready(default(&home)));
    }
    let mut module = Attrs::default();
    module
        .entries
        .insert("home".into(), ready(Value::attrs(settings)));
    ModuleInput::new(Thunk::ready(Value::attrs(module)), None)
}

/// The host's `users.users.<name>.home`, as Home Manager's OS module reads it: as set, or
/// on NixOS `/home/<name>` for a normal user (the NixOS default).
fn os_user_home(eval: &mut Eval, host: &Modules, name: &str, kind: ConfigKind) -> Option<String> {
    let user = |key: &str| path(&["users", "users", name, key]);
    if let Some(home) = host.value_at(eval, &user("home")).as_str() {
        return Some(home.to_string());
    }
    let normal = matches!(
        host.value_at(eval, &user("isNormalUser")),
        Value::Bool(true)
    );
    (kind == ConfigKind::Nixos && normal).then(|| format!("/home/{name}"))
}
