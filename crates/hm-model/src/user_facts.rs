//! What the model reports of one user's Home Manager configuration: its modules, the
//! `home.*` settings every configuration needs, and `systemd.user.services` with each
//! option's merged value (known parts resolved, unknown parts as written).

use std::collections::HashMap;
use std::rc::Rc;

use indexmap::IndexMap;
use nix_eval::{ErrorKind, Eval, Part, Reason, Value};
use nix_modules::{Decided, Def, Modules};
use nix_source::Span;

use crate::model::{
    Dynamic, Field, FieldValue, Fields, Interpolated, Name, Service, Setting, StrPart, UnknownKind,
    UnknownPart, UnsetOption,
};

use crate::settings::REQUIRED_SETTINGS;
use crate::text::condition_text;

/// `Install` options that make a target start the unit.
const INSTALL_STARTERS: &[&str] = &["Install.WantedBy", "Install.RequiredBy", "Install.UpheldBy"];
/// `Unit` options through which another service pulls this one in.
const UNIT_STARTERS: &[&str] = &[
    "Unit.Wants",
    "Unit.Requires",
    "Unit.BindsTo",
    "Unit.Upholds",
];
/// Unit types that start the service of the same name.
const TRIGGERS: &[(&str, &str)] = &[
    ("timers", "timer"),
    ("sockets", "socket"),
    ("paths", "path"),
];
/// Deepest list nesting kept in a field.
const MAX_FIELD_DEPTH: usize = 3;

pub(crate) fn path(parts: &[&str]) -> Vec<Rc<str>> {
    parts.iter().map(|p| Rc::from(*p)).collect()
}

/// A service option's value as the service's own definitions make it, assuming the
/// conditions the service is listed under: the definitions that hold (else those
/// undecided; written ones before any that may or may not be there), the highest
/// priority, the `if` between two under opposite outcomes of one condition, lists
/// concatenated, else the last. With where the first of them is written and its key.
pub(crate) fn option_value(eval: &mut Eval, defs: Vec<Def>) -> Option<(Value, Span, Option<Span>)> {
    let mut holding = Vec::new();
    let mut undecided = Vec::new();
    for def in defs {
        match def.decide(eval) {
            Decided::True => holding.push(def),
            Decided::Unknown(..) => undecided.push(def),
            Decided::False => {}
        }
    }
    let decided = !holding.is_empty();
    let mut defs = if decided { holding } else { undecided };
    // What a module that may or may not define it (one whose names only Nix knows) would
    // add is not known; the definitions written stand.
    if defs.iter().any(|d| !d.maybe) {
        defs.retain(|d| !d.maybe);
    }
    let best = defs.iter().map(|d| d.priority).min()?;
    defs.retain(|d| d.priority == best);
    defs.sort_by_key(|d| d.order);
    let first = defs.first()?;
    let (span, key_span) = (first.span.or(first.key_span)?, first.key_span);
    // Defined when a condition holds and when it does not (`x // optionalAttrs c { … }`
    // with the name on both sides): either value, or the `if` between them where they
    // differ (lists that differ are concatenated below, as under any undecided conditions).
    if let [a, b] = &defs[..]
        && !decided
        && let Some(either) = nix_modules::either_of(eval, a, b)
    {
        let lists = matches!((&a.value, &b.value), (Value::List(_), Value::List(_)));
        if eval.equal(&a.value, &b.value, 64) == Some(true) {
            return Some((b.value.clone(), b.span.unwrap_or(span), key_span));
        } else if !lists {
            return Some((either, span, key_span));
        }
    }
    if defs.len() > 1 && defs.iter().all(|d| matches!(d.value, Value::List(_))) {
        let items = defs
            .iter()
            .flat_map(|d| match &d.value {
                Value::List(l) => l.items.clone(),
                _ => Vec::new(),
            })
            .collect();
        return Some((Value::list(items, Some(span)), span, key_span));
    }
    let last = defs.last()?;
    Some((last.value.clone(), last.span.unwrap_or(span), key_span))
}

/// The field at `p` with the spans of its key components (the last one from the
/// definition, when it has one).
fn service_field(eval: &mut Eval, defs: Vec<Def>, keys: [Option<Span>; 2]) -> Option<Field> {
    let (value, span, key_span) = option_value(eval, defs)?;
    Some(to_field(eval, &value, span, key_span, keys))
}

/// A value `option_value` found, as a field whose key is written at `keys`.
pub(crate) fn to_field(
    eval: &mut Eval,
    value: &Value,
    span: Span,
    key_span: Option<Span>,
    keys: [Option<Span>; 2],
) -> Field {
    let value = if let Value::Unknown(u) = value {
        FieldValue::Expr {
            expr: either_text(eval, u).unwrap_or_else(|| condition_text(eval, span)),
        }
    } else {
        field_value(eval, value, span, 0)
    };
    // Collected with no spare room: a field is kept for the whole run.
    let key_spans = match keys {
        [first, Some(last)] => first
            .into_iter()
            .chain([key_span.unwrap_or(last)])
            .collect(),
        [only, None] => key_span.or(only).into_iter().collect(),
    };
    Field {
        value,
        span,
        key_spans,
    }
}

/// `if c then a else b`, from the texts of the condition and both values, for a value
/// that is an `if` on an undecided condition (written so, or between two definitions:
/// [`nix_modules::either_of`]); `None` where a part has no text.
fn either_text(eval: &mut Eval, u: &nix_eval::Unknown) -> Option<String> {
    let (then, otherwise) = u.alternatives.clone()?;
    let mut text = |t: &nix_eval::Thunk| {
        let span = eval.force(t).span()?;
        Some(condition_text(eval, span))
    };
    let (then, otherwise) = (text(&then)?, text(&otherwise)?);
    let condition = condition_text(eval, u.span?);
    Some(format!("if {condition} then {then} else {otherwise}"))
}

pub(crate) fn settings(eval: &mut Eval, ms: &Modules) -> IndexMap<String, Setting> {
    let mut out = IndexMap::new();
    for key in REQUIRED_SETTINGS {
        let p: Vec<Rc<str>> = key.split('.').map(Rc::from).collect();
        let defs = ms.defs_at(eval, &p);
        let Some(def) = defs
            .iter()
            .find(|d| d.span.is_some() && !matches!(d.decide(eval), Decided::False))
        else {
            continue;
        };
        let span = def.span.or(def.key_span);
        let key_spans = def.key_span.into_iter().collect();
        let value = ms.value_at(eval, &p);
        let setting = match (&value, span) {
            (Value::Str(_) | Value::Int(_) | Value::Bool(_), Some(span)) => {
                match field_value(eval, &value, span, 0) {
                    v @ (FieldValue::Str(_) | FieldValue::Int(_) | FieldValue::Bool(_)) => {
                        Setting::Known(Field {
                            value: v,
                            span,
                            key_spans,
                        })
                    }
                    _ => Setting::Unknown(Some(span)),
                }
            }
            _ => Setting::Unknown(span),
        };
        out.insert(key.to_string(), setting);
    }
    out
}

/// A value as the model shows it.
pub(crate) fn field_value(eval: &mut Eval, value: &Value, span: Span, depth: usize) -> FieldValue {
    match value {
        Value::Bool(b) => FieldValue::Bool(*b),
        Value::Int(i) => FieldValue::Int(*i),
        Value::Float(f) => FieldValue::Float(*f),
        Value::Str(s) => match s.as_known() {
            Some(text) => FieldValue::Str(text.into_owned()),
            None => FieldValue::Interpolated(Box::new(Interpolated::new(
                s.parts
                    .iter()
                    .map(|part| match part {
                        Part::Text(t) => StrPart::Text(t.to_string()),
                        Part::Unknown(u) => StrPart::Unknown(unknown_part(eval, u)),
                    })
                    .collect(),
            ))),
        },
        Value::Path(p) => FieldValue::Str(p.display().to_string()),
        Value::List(items) if depth < MAX_FIELD_DEPTH => FieldValue::List(
            items
                .items
                .iter()
                .map(|item| {
                    let v = eval.force(item);
                    let at = eval.thunk_span(item).unwrap_or(span);
                    field_value(eval, &v, at, depth + 1)
                })
                .collect(),
        ),
        Value::Attrs(a) if a.get("outPath").is_some() => {
            match eval.coerce_to_string(value, false, Some(span)) {
                Ok(s) => field_value(eval, &Value::Str(Rc::new(s)), span, depth),
                Err(_) => FieldValue::Expr {
                    expr: condition_text(eval, span),
                },
            }
        }
        _ => FieldValue::Expr {
            expr: condition_text(eval, span),
        },
    }
}

/// Unknowns that may define more names below `p` (a set built by code the analyser
/// could not run).
pub(crate) fn unknown_names(
    eval: &mut Eval,
    ms: &Modules,
    p: &[Rc<str>],
) -> Vec<(Option<Span>, String)> {
    let mut out = Vec::new();
    for def in ms.defs_at(eval, p) {
        if matches!(def.decide(eval), Decided::False) {
            continue;
        }
        match &def.value {
            Value::Unknown(u) => out.push((u.span.or(def.span), u.reason.to_string())),
            Value::Attrs(a) if !a.unknown_names.is_empty() => {
                for u in eval.undecided_names(a).unknown {
                    out.push((u.span.or(def.key_span), u.reason.to_string()));
                }
            }
            _ => {}
        }
    }
    out
}

pub(crate) fn services(
    eval: &mut Eval,
    ms: &Modules,
    user: &Name,
    dynamic: &mut Vec<Dynamic>,
    unset: &mut Vec<UnsetOption>,
) -> Vec<Service> {
    let base = path(&["systemd", "user", "services"]);
    for (span, reason) in unknown_names(eval, ms, &base) {
        dynamic.push(Dynamic {
            defines: "services",
            user: Some(user.to_string()),
            span,
            reason,
            error: false,
        });
    }
    let mut triggers: HashMap<String, Vec<String>> = HashMap::new();
    for (option, unit_type) in TRIGGERS {
        let p = path(&["systemd", "user", option]);
        for (span, reason) in unknown_names(eval, ms, &p) {
            dynamic.push(Dynamic {
                defines: option,
                user: Some(user.to_string()),
                span,
                reason,
                error: false,
            });
        }
        for (name, _) in ms.names_at(eval, &p) {
            triggers
                .entry(name.to_string())
                .or_default()
                .push(format!("{name}.{unit_type}"));
        }
    }
    // Each path is visited once: its definitions are found from its parent's, and not
    // memoised (`defs_below`).
    let base_defs = ms.defs_at(eval, &base);
    let names = ms.names_in(eval, &base, &base_defs);
    let mut drafts = Vec::with_capacity(names.len());
    for (name, key_span) in names {
        let mut p = base.clone();
        p.push(name.clone());
        let defs = ms.defs_below(eval, &p, &base_defs);
        let Some(presence) = Presence::of(eval, &defs, key_span) else {
            continue;
        };
        unset.extend(presence.unset_options(user));
        let mut fields = Vec::new();
        let mut overrides = forced(&defs);
        for (section, section_span) in ms.names_in(eval, &p, &defs) {
            let mut sp = p.clone();
            sp.push(section.clone());
            let section_defs = ms.defs_below(eval, &sp, &defs);
            let directives = ms.names_in(eval, &sp, &section_defs);
            if directives.is_empty() {
                // A key with a value of its own (`description = …`: NixOS's layout).
                overrides |= forced(&section_defs);
                if let Some(field) = service_field(eval, section_defs, [section_span, None]) {
                    fields.push((section.to_string(), field));
                }
                continue;
            }
            for (directive, directive_span) in directives {
                let mut dp = sp.clone();
                dp.push(directive.clone());
                let defs = ms.defs_below(eval, &dp, &section_defs);
                overrides |= forced(&defs);
                if let Some(field) = service_field(eval, defs, [section_span, directive_span]) {
                    fields.push((format!("{section}.{directive}"), field));
                }
            }
        }
        drafts.push(Service {
            definitions: presence.definitions.into_boxed_slice(),
            condition: presence.condition,
            fields: fields.into_iter().collect(),
            overrides,
            ..Service::systemd(
                name.to_string(),
                user.clone(),
                presence.span,
                crate::model::ServiceOrigin::Written,
            )
        });
    }
    // Unit → the other services that want it, in the services' order.
    let mut wanted_by: HashMap<String, Vec<String>> = HashMap::new();
    for service in &drafts {
        let own = format!("{}.service", service.name);
        let mut wants = strings(&service.fields, UNIT_STARTERS);
        wants.sort();
        wants.dedup();
        for unit in wants.into_iter().filter(|unit| *unit != own) {
            wanted_by.entry(unit).or_default().push(own.clone());
        }
    }
    for service in &mut drafts {
        let mut started_by = strings(&service.fields, INSTALL_STARTERS);
        started_by.extend(triggers.remove(&service.name).unwrap_or_default());
        let unit = format!("{}.service", service.name);
        started_by.extend(wanted_by.remove(&unit).unwrap_or_default());
        service.started_by = started_by;
    }
    drafts
}

/// Where a named service is defined and under which conditions.
pub(crate) struct Presence {
    /// Where the name is first written.
    pub(crate) span: Span,
    pub(crate) definitions: Vec<Span>,
    /// `None` when some definition applies unconditionally.
    pub(crate) condition: Option<String>,
    /// Conditions that read an option nothing sets (Nix fails on them): where each is
    /// written, and the error.
    pub(crate) unset: Vec<(Span, Rc<nix_eval::Unknown>)>,
}

impl Presence {
    /// Its conditions that read an option nothing sets, as facts of `user`.
    pub(crate) fn unset_options(&self, user: &Name) -> impl Iterator<Item = UnsetOption> + '_ {
        let user = user.clone();
        self.unset.iter().map(move |(read, u)| UnsetOption {
            user: user.clone(),
            message: u.reason.to_string(),
            read: *read,
            declared: u.span,
        })
    }

    /// `None` when no definition applies.
    pub(crate) fn of(eval: &mut Eval, defs: &[Def], key_span: Option<Span>) -> Option<Presence> {
        // At most one per definition, and kept: no spare room.
        let mut definitions = Vec::with_capacity(defs.len());
        let mut any_true = false;
        let mut conditions: Vec<String> = Vec::new();
        let mut unset = Vec::new();
        // `x = if c then { … } else { };`: the empty branch defines nothing.
        let empty = |v: &Value| matches!(v, Value::Attrs(a) if a.entries.is_empty());
        let any_contributes = defs.iter().any(|d| !empty(&d.value));
        let mut outcomes = nix_modules::Outcomes::default();
        for def in defs {
            if any_contributes && empty(&def.value) {
                continue;
            }
            match def.decide(eval) {
                Decided::False => continue,
                Decided::True => any_true = true,
                Decided::Unknown(..) if outcomes.complete_with(eval, def) => any_true = true,
                Decided::Unknown(u, span, negated) => {
                    if let (Some(span), Reason::Error { kind, .. }) = (span, &u.reason)
                        && *kind == ErrorKind::UndefinedOption
                        && !unset.iter().any(|(at, _)| *at == span)
                    {
                        unset.push((span, u.clone()));
                    }
                    if let Some(span) = span {
                        let text = crate::text::condition(eval, span, negated);
                        if !conditions.contains(&text) {
                            conditions.push(text);
                        }
                    }
                }
            }
            if let Some(s) = def.key_span.or(def.span) {
                definitions.push(s);
            }
        }
        let span = key_span.or_else(|| definitions.first().copied())?;
        if definitions.is_empty() {
            return None;
        }
        let condition = if any_true || conditions.is_empty() {
            None
        } else {
            Some(conditions.join(" || "))
        };
        Some(Presence {
            span,
            definitions,
            condition,
            unset,
        })
    }
}

fn strings(fields: &Fields, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .filter_map(|k| fields.get(k))
        .flat_map(|f| f.value.strings())
        .map(str::to_string)
        .collect()
}

/// An unknown part of a string as the model shows it: by the expression the user wrote
/// (`${pkgs.hello}`, `${lib.getExe pkgs.hello}`), by the outside value's name, as a store
/// path whose hash only is unknown, else `${…}`.
fn unknown_part(eval: &Eval, u: &nix_eval::Unknown) -> UnknownPart {
    let kind = match &u.reason {
        Reason::Derivation { .. } => UnknownKind::StorePath,
        Reason::External { .. } => UnknownKind::External,
        Reason::LibraryCall => UnknownKind::LibraryCall,
        _ => UnknownKind::Other,
    };
    let span = u.span.filter(|s| !eval.is_library(s.file));
    let expr = match (&u.reason, span) {
        (Reason::Derivation { .. }, _) => None,
        (_, Some(at)) => Some(condition_text(eval, at)),
        (Reason::External { name, .. }, None) => Some(name.to_string()),
        (_, None) => None,
    };
    let shown = match (&u.reason, &expr) {
        (Reason::Derivation { name, .. }, _) => format!("/nix/store/<hash>-{name}"),
        (_, Some(expr)) => format!("${{{expr}}}"),
        (_, None) => "${…}".to_string(),
    };
    UnknownPart {
        shown,
        expr,
        kind,
        reason: u.reason.to_string(),
        span,
    }
}

/// Whether a definition at `p` takes precedence over the default priority (`mkForce`,
/// `mkOverride 50 …`): it overrides something.
pub(crate) fn forced(defs: &[Def]) -> bool {
    defs.iter()
        .any(|d| d.priority < nix_modules::DEFAULT_PRIORITY)
}
