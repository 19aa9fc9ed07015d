//! `launchd.agents.<name>`: macOS's user services. Each agent's options (`enable`,
//! `domain`, `config.<plist key>`) merged from its own definitions like a systemd
//! service's directives, its job label (`config.Label`, by default
//! `org.nix-community.home.<name>`, as Home Manager's launchd module sets it) and what
//! makes launchd start it, read from the values: `RunAtLoad`, `KeepAlive`, schedules,
//! watched paths, on-demand sockets and services.

use std::rc::Rc;

use indexmap::IndexMap;
use nix_eval::{Eval, Value};
use nix_modules::Modules;
use nix_source::Span;

use crate::model::{Dynamic, Manager, Name, Service, ServiceOrigin, UnsetOption};
use crate::schedule::{Calendar, describe_all, interval};
use crate::text::condition_text;
use crate::user_facts::{
    Presence, field_value, forced, option_value, path, to_field, unknown_names,
};

/// Home Manager's default label prefix.
const LABEL_PREFIX: &str = "org.nix-community.home.";

/// Keys launchd starts a job for, in the order they are shown.
const STARTERS: &[&str] = &[
    "RunAtLoad",
    "KeepAlive",
    "StartInterval",
    "StartCalendarInterval",
    "WatchPaths",
    "QueueDirectories",
    "StartOnMount",
    "Sockets",
    "MachServices",
    "LaunchEvents",
];

pub(crate) fn agents(
    eval: &mut Eval,
    ms: &Modules,
    user: &Name,
    dynamic: &mut Vec<Dynamic>,
    unset: &mut Vec<UnsetOption>,
) -> Vec<Service> {
    let base = path(&["launchd", "agents"]);
    let unknown = |at: Vec<(Option<Span>, String)>, dynamic: &mut Vec<Dynamic>| {
        let found = !at.is_empty();
        dynamic.extend(at.into_iter().map(|(span, reason)| Dynamic {
            defines: "agents",
            user: Some(user.to_string()),
            span,
            reason,
            error: false,
        }));
        found
    };
    let names = unknown_names(eval, ms, &base);
    unknown(names, dynamic);
    let mut agents = Vec::new();
    for (name, key_span) in ms.names_at(eval, &base) {
        let mut p = base.clone();
        p.push(name.clone());
        let defs = ms.defs_at(eval, &p);
        let Some(presence) = Presence::of(eval, &defs, key_span) else {
            continue;
        };
        unset.extend(presence.unset_options(user));
        let mut overrides = forced(&defs);
        let names = unknown_names(eval, ms, &p);
        let mut incomplete = unknown(names, dynamic);
        let mut fields = IndexMap::new();
        let mut values: IndexMap<Rc<str>, (Value, Span)> = IndexMap::new();
        for (key, key_span) in ms.names_at(eval, &p) {
            let mut kp = p.clone();
            kp.push(key.clone());
            if &*key != "config" {
                let defs = ms.defs_at(eval, &kp);
                overrides |= forced(&defs);
                if let Some((value, span, def_key)) = option_value(eval, defs) {
                    let field = to_field(eval, &value, span, def_key, [key_span, None]);
                    fields.insert(key.to_string(), field);
                    values.insert(key.clone(), (value, span));
                }
                continue;
            }
            let names = unknown_names(eval, ms, &kp);
            incomplete |= unknown(names, dynamic);
            for (plist_key, plist_span) in ms.names_at(eval, &kp) {
                let mut pp = kp.clone();
                pp.push(plist_key.clone());
                let defs = ms.defs_at(eval, &pp);
                overrides |= forced(&defs);
                if let Some((value, span, def_key)) = option_value(eval, defs) {
                    let field = to_field(eval, &value, span, def_key, [key_span, plist_span]);
                    fields.insert(format!("config.{plist_key}"), field);
                    values.insert(format!("config.{plist_key}").into(), (value, span));
                }
            }
        }
        let mut condition = presence.condition;
        let enabled = match values.get("enable") {
            None => false,
            Some((value, span)) => match value {
                Value::Bool(b) => *b,
                _ => {
                    // Enabled when the expression is: a condition like `mkIf`'s.
                    let text = format!("enable = {}", condition_text(eval, *span));
                    condition = Some(match condition {
                        Some(c) => format!("({c}) && {text}"),
                        None => text,
                    });
                    true
                }
            },
        };
        let label = match values.get("config.Label") {
            None => Some(format!("{LABEL_PREFIX}{name}")),
            Some((value, _)) => value.as_str().map(|s| s.to_string()),
        };
        let started_by = STARTERS
            .iter()
            .filter_map(|key| {
                let (value, span) = values.get(format!("config.{key}").as_str())?;
                starter(eval, key, value, *span)
            })
            .collect();
        agents.push(Service {
            name: name.to_string(),
            manager: Manager::Launchd,
            user: user.clone(),
            host: None,
            span: presence.span,
            definitions: presence.definitions.into_boxed_slice(),
            condition,
            fields: fields.into_iter().collect(),
            started_by,
            enabled,
            label,
            incomplete,
            darwin: false,
            origin: ServiceOrigin::Written,
            overrides,
        });
    }
    agents
}

/// What `key = value` makes launchd start the job on, if anything; a value that is not
/// known statically is shown as written, so nothing is claimed about it.
fn starter(eval: &mut Eval, key: &str, value: &Value, span: Span) -> Option<String> {
    let known = match (key, value) {
        (_, Value::Unknown(_)) => None,
        ("RunAtLoad" | "StartOnMount", Value::Bool(b)) => Some(b.then(|| key.to_string())),
        ("KeepAlive", Value::Bool(b)) => Some(b.then(|| key.to_string())),
        ("KeepAlive", Value::Attrs(a)) => Some((!a.entries.is_empty()).then(|| key.to_string())),
        ("StartInterval", Value::Int(s)) => Some(Some(interval(*s))),
        ("StartCalendarInterval", Value::Attrs(_)) => {
            calendar(eval, value).map(|c| Some(c.describe()))
        }
        ("StartCalendarInterval", Value::List(items)) => {
            let mut calendars = Vec::new();
            for item in &items.items {
                let item = eval.force(item);
                calendars.push(calendar(eval, &item)?);
            }
            Some((!calendars.is_empty()).then(|| describe_all(&calendars)))
        }
        ("WatchPaths" | "QueueDirectories", Value::List(items)) => {
            let mut paths = Vec::new();
            for item in &items.items {
                let at = eval.thunk_span(item).unwrap_or(span);
                let item = eval.force(item);
                paths.push(field_value(eval, &item, at, 1).display());
            }
            Some((!paths.is_empty()).then(|| format!("{key} {}", paths.join(", "))))
        }
        ("Sockets" | "MachServices" | "LaunchEvents", Value::Attrs(a)) => {
            Some((!a.entries.is_empty()).then(|| format!("on demand ({key})")))
        }
        _ => None,
    };
    match known {
        Some(started) => started,
        None => Some(format!("{key} = {}", condition_text(eval, span))),
    }
}

/// A `StartCalendarInterval` dictionary whose keys are all known integers.
fn calendar(eval: &mut Eval, value: &Value) -> Option<Calendar> {
    let Value::Attrs(a) = value else {
        return None;
    };
    if !a.unknown_names.is_empty() {
        return None;
    }
    let mut calendar = Calendar::default();
    for (name, attr) in &a.entries {
        let Value::Int(n) = eval.force(&attr.value) else {
            return None;
        };
        *calendar.key(name)? = Some(n);
    }
    Some(calendar)
}
