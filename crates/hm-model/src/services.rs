//! `systemd.user.services.<name>` of one user's modules, with their options as written.

use std::collections::HashMap;

use indexmap::IndexMap;
use nix_source::Span;

use crate::eval::Evaluator;
use crate::eval::value::Value;
use crate::model::{Dynamic, Field, FieldValue, Service, ServiceOrigin};
use crate::modules::ModuleSet;
use crate::users::{join_conditions, record};

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
/// Deepest option nesting kept (`Section.Directive`, plus one for odd layouts).
const MAX_FIELD_DEPTH: usize = 3;

#[derive(Default)]
struct Draft {
    span: Option<Span>,
    definitions: Vec<Span>,
    conditions: Vec<Option<String>>,
    fields: IndexMap<String, Field>,
}

impl Evaluator {
    pub(crate) fn services(
        &mut self,
        modules: &ModuleSet,
        user: &str,
        dynamic: &mut Vec<Dynamic>,
    ) -> Vec<Service> {
        let mut drafts: IndexMap<String, Draft> = IndexMap::new();
        let mut triggers: HashMap<String, Vec<String>> = HashMap::new();
        for module in &modules.modules {
            let defined = self.entries_at(
                module.config.clone(),
                &["systemd", "user", "services"],
                &module.conds,
            );
            record(dynamic, "services", Some(user), defined.unknown);
            for entry in defined.entries {
                let draft = drafts.entry(entry.name.to_string()).or_default();
                draft.span.get_or_insert(entry.key_span);
                draft.definitions.push(entry.key_span);
                // `name = mkIf c { … }` or `name = if c then { … } else { };`
                let value = self.force(&entry.value);
                let mut found = Vec::new();
                let mut unknown = Vec::new();
                self.defs_at(value, &[], &entry.conds, &mut found, &mut unknown);
                record(dynamic, "services", Some(user), unknown);
                let contributes = |v: &Value| !matches!(v, Value::Attrs(a) if a.entries.is_empty());
                let any_contributes = found.iter().any(|f| contributes(&f.value));
                for def in found {
                    if contributes(&def.value) || !any_contributes {
                        draft.conditions.push(join_conditions(&def.conds));
                    }
                    self.flatten(
                        def.value,
                        entry.value.span(),
                        &mut Vec::new(),
                        &mut draft.fields,
                    );
                }
            }
            for (option, unit_type) in TRIGGERS {
                let units = self.entries_at(
                    module.config.clone(),
                    &["systemd", "user", option],
                    &module.conds,
                );
                // Timers built by code may start services: say so.
                record(dynamic, option, Some(user), units.unknown);
                for unit in units.entries {
                    triggers
                        .entry(unit.name.to_string())
                        .or_default()
                        .push(format!("{}.{unit_type}", unit.name));
                }
            }
        }

        let wanted_by_services: Vec<(String, Vec<String>)> = drafts
            .iter()
            .map(|(name, draft)| (name.clone(), strings(&draft.fields, UNIT_STARTERS)))
            .collect();
        drafts
            .into_iter()
            .filter_map(|(name, draft)| {
                let mut started_by = strings(&draft.fields, INSTALL_STARTERS);
                started_by.extend(triggers.remove(&name).unwrap_or_default());
                let unit = format!("{name}.service");
                started_by.extend(
                    wanted_by_services
                        .iter()
                        .filter(|(other, wants)| *other != name && wants.contains(&unit))
                        .map(|(other, _)| format!("{other}.service")),
                );
                let condition = if draft.conditions.iter().any(Option::is_none) {
                    None
                } else {
                    let mut distinct: Vec<String> =
                        draft.conditions.into_iter().flatten().collect();
                    distinct.dedup();
                    Some(distinct.join(" || "))
                };
                Some(Service {
                    name,
                    user: user.to_string(),
                    span: draft.span?,
                    definitions: draft.definitions,
                    condition,
                    fields: draft.fields,
                    started_by,
                    origin: ServiceOrigin::Written,
                })
            })
            .collect()
    }

    /// Flattens `{ Unit.Description = …; Service = { … }; }` into `Section.Directive` fields.
    fn flatten(
        &mut self,
        value: Value,
        span: Option<Span>,
        prefix: &mut Vec<(String, Span)>,
        fields: &mut IndexMap<String, Field>,
    ) {
        match value {
            Value::Attrs(attrs) if prefix.len() < MAX_FIELD_DEPTH => {
                for (name, attr) in &attrs.entries {
                    let inner = self.force(&attr.value.clone());
                    prefix.push((name.to_string(), attr.key_span));
                    self.flatten(
                        inner,
                        attr.value.span().or(Some(attr.key_span)),
                        prefix,
                        fields,
                    );
                    prefix.pop();
                }
            }
            Value::Conditional { body: inner, .. } | Value::Priority(inner) => {
                let value = self.force(&inner);
                self.flatten(value, inner.span().or(span), prefix, fields);
            }
            Value::Merge(items) => {
                for item in items.iter() {
                    let value = self.force(item);
                    self.flatten(value, item.span().or(span), prefix, fields);
                }
            }
            leaf => {
                let Some(span) = span else { return };
                let value = self.field_value(leaf, span, 0);
                let key = prefix
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .collect::<Vec<_>>()
                    .join(".");
                let key_spans = prefix.iter().map(|(_, s)| *s).collect();
                match (fields.get_mut(&key), value) {
                    (
                        Some(Field {
                            value: FieldValue::List(existing),
                            ..
                        }),
                        FieldValue::List(more),
                    ) => {
                        existing.extend(more);
                    }
                    (_, value) => {
                        fields.insert(
                            key,
                            Field {
                                value,
                                span,
                                key_spans,
                            },
                        );
                    }
                }
            }
        }
    }

    pub(crate) fn field_value(&mut self, value: Value, span: Span, depth: usize) -> FieldValue {
        match value {
            Value::Bool(b) => FieldValue::Bool(b),
            Value::Int(i) => FieldValue::Int(i),
            Value::Float(f) => FieldValue::Float(f),
            Value::Str { text: Some(t), .. } => FieldValue::Str(t.to_string()),
            Value::Str {
                text: None,
                span: written,
            } => FieldValue::Str(unquote(self.files.text(written.unwrap_or(span))).to_string()),
            Value::List(items, _) if depth < MAX_FIELD_DEPTH => FieldValue::List(
                items
                    .iter()
                    .map(|item| {
                        let value = self.force(item);
                        self.field_value(value, item.span().unwrap_or(span), depth + 1)
                    })
                    .collect(),
            ),
            _ => FieldValue::Expr {
                expr: self.files.text(span).trim().to_string(),
            },
        }
    }
}

fn strings(fields: &IndexMap<String, Field>, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .filter_map(|k| fields.get(*k))
        .flat_map(|f| f.value.strings())
        .map(str::to_string)
        .collect()
}

/// The text of a string literal without its quotes: `"a${b}"` -> `a${b}`.
fn unquote(written: &str) -> &str {
    let trimmed = written.trim();
    if let Some(inner) = trimmed
        .strip_prefix("''")
        .and_then(|s| s.strip_suffix("''"))
    {
        return inner.trim();
    }
    trimmed
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(trimmed)
}
