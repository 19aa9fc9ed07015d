//! Finding definitions the way the module system merges them: through `mkIf`,
//! `mkMerge`, `optionalAttrs`, priorities, `//` and undecidable `if`s, recording the
//! conditions passed on the way.

use std::rc::Rc;

use nix_source::Span;

use crate::eval::Evaluator;
use crate::eval::value::{Condition, Thunk, Value};

/// Definitions one walk visits at most: far more than any real configuration needs.
const WALK_BUDGET: u32 = 100_000;
/// Conditions (`mkIf`, undecided `if`) nested on one path at most.
const MAX_CONDITIONS: usize = 64;

/// A definition found at a path.
pub(crate) struct Found {
    pub(crate) value: Value,
    pub(crate) conds: Vec<Condition>,
    /// Where the last component of the path is written, if the path is not empty.
    pub(crate) key_span: Option<Span>,
}

/// Something on the path that may define it but is not known statically.
pub(crate) struct Unknown {
    pub(crate) span: Option<Span>,
    pub(crate) reason: String,
}

/// One attribute of the sets found at a path.
pub(crate) struct Entry {
    pub(crate) name: Rc<str>,
    pub(crate) key_span: Span,
    pub(crate) value: Thunk,
    pub(crate) conds: Vec<Condition>,
}

#[derive(Default)]
pub(crate) struct Entries {
    pub(crate) entries: Vec<Entry>,
    pub(crate) unknown: Vec<Unknown>,
}

impl Evaluator {
    /// Every definition of `path` under `value`.
    pub(crate) fn defs_at(
        &mut self,
        value: Value,
        path: &[&str],
        conds: &[Condition],
        found: &mut Vec<Found>,
        unknown: &mut Vec<Unknown>,
    ) {
        let mut budget = WALK_BUDGET;
        self.defs_under(value, path, conds, None, &mut budget, found, unknown);
        if budget == 0 {
            unknown.push(Unknown {
                span: None,
                reason: format!(
                    "more than {WALK_BUDGET} ways to reach `{}` (nested `if`s or merges): not followed further",
                    path.join(".")
                ),
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn defs_under(
        &mut self,
        value: Value,
        path: &[&str],
        conds: &[Condition],
        key_span: Option<Span>,
        budget: &mut u32,
        found: &mut Vec<Found>,
        unknown: &mut Vec<Unknown>,
    ) {
        // Undecided `if`s and merges of shared values can fan out exponentially, and a value
        // may contain itself (`x = if c then x else …`): bound both breadth and depth.
        if *budget == 0 {
            return;
        }
        if conds.len() >= MAX_CONDITIONS {
            unknown.push(Unknown {
                span: key_span,
                reason: format!(
                    "more than {MAX_CONDITIONS} nested conditions: not followed further"
                ),
            });
            return;
        }
        *budget -= 1;
        let with = |c: &Condition| {
            let mut conds = conds.to_vec();
            conds.push(c.clone());
            conds
        };
        match value {
            Value::Conditional { cond, body } => {
                let inner = self.force(&body);
                self.defs_under(inner, path, &with(&cond), key_span, budget, found, unknown);
            }
            Value::Branch {
                cond,
                then,
                otherwise,
            } => {
                let inner = self.force(&then);
                self.defs_under(inner, path, &with(&cond), key_span, budget, found, unknown);
                let inner = self.force(&otherwise);
                self.defs_under(
                    inner,
                    path,
                    &with(&cond.negated()),
                    key_span,
                    budget,
                    found,
                    unknown,
                );
            }
            Value::Merge(items) => {
                for item in items.iter() {
                    let inner = self.force(item);
                    self.defs_under(inner, path, conds, key_span, budget, found, unknown);
                }
            }
            Value::Priority(inner) => {
                let inner = self.force(&inner);
                self.defs_under(inner, path, conds, key_span, budget, found, unknown);
            }
            Value::Dynamic(d) => unknown.push(Unknown {
                span: d.span,
                reason: d.reason.clone(),
            }),
            Value::Opaque(o) => unknown.push(Unknown {
                span: o.span,
                reason: format!("comes from `{}`, which is outside the files", o.name),
            }),
            Value::Error(e) => unknown.push(Unknown {
                span: None,
                reason: format!("could not be evaluated: {e}"),
            }),
            Value::Attrs(attrs) if !path.is_empty() => {
                if let Some(attr) = attrs.entries.get(path[0]) {
                    let thunk = attr.value.clone();
                    let inner = self.force(&thunk);
                    let inner = match inner {
                        // Keep the place of the failure: the attribute's value.
                        Value::Error(e) => {
                            unknown.push(Unknown {
                                span: thunk.span(),
                                reason: format!("could not be evaluated: {e}"),
                            });
                            return;
                        }
                        other => other,
                    };
                    self.defs_under(
                        inner,
                        &path[1..],
                        conds,
                        Some(attr.key_span),
                        budget,
                        found,
                        unknown,
                    );
                }
                for span in &attrs.dynamic_keys {
                    unknown.push(Unknown {
                        span: Some(*span),
                        reason: "attribute name computed at evaluation".to_string(),
                    });
                }
            }
            value if path.is_empty() => found.push(Found {
                value,
                conds: conds.to_vec(),
                key_span,
            }),
            _ => {}
        }
    }

    /// The attributes of every set defined at `path` under `value`.
    pub(crate) fn entries_at(
        &mut self,
        value: Value,
        path: &[&str],
        conds: &[Condition],
    ) -> Entries {
        let mut found = Vec::new();
        let mut out = Entries::default();
        self.defs_at(value, path, conds, &mut found, &mut out.unknown);
        for def in found {
            let Value::Attrs(attrs) = def.value else {
                continue;
            };
            for (name, attr) in &attrs.entries {
                out.entries.push(Entry {
                    name: name.clone(),
                    key_span: attr.key_span,
                    value: attr.value.clone(),
                    conds: def.conds.clone(),
                });
            }
            out.unknown
                .extend(attrs.dynamic_keys.iter().map(|span| Unknown {
                    span: Some(*span),
                    reason: "attribute name computed at evaluation".to_string(),
                }));
        }
        out
    }

    /// The items of a list value, seeing through `optionals`, `++` and friends.
    pub(crate) fn list_items(
        &mut self,
        value: Value,
        conds: &[Condition],
        items: &mut Vec<(Thunk, Vec<Condition>)>,
        unknown: &mut Vec<Unknown>,
    ) {
        let mut found = Vec::new();
        self.defs_at(value, &[], conds, &mut found, unknown);
        for def in found {
            match def.value {
                Value::List(list, _) => {
                    items.extend(list.iter().map(|t| (t.clone(), def.conds.clone())))
                }
                other => unknown.push(Unknown {
                    span: other.span(),
                    reason: format!("expected a list, found {}", other.type_name()),
                }),
            }
        }
    }
}
