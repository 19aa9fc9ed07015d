//! Attribute sets from bindings: `a.b.c = v;`, `inherit`, `${e} = v;`, and the merging
//! of a literal set with dotted paths into the same name (`a = { b = 1; }; a.c = 2;`).
//! Nested sets are built lazily, so a set's names never force its values.

use std::collections::BTreeMap;
use std::rc::Rc;

use nix_source::{FileId, Span};
use nix_syntax::{AttrKey, Binding, Expr, ExprId};

use crate::env::Env;
use crate::eval::Eval;
use crate::value::{Attr, Attrs, ErrorKind, Reason, Thunk, Unknown, Value};

/// One definition below a name: the rest of its path and its value.
#[derive(Clone)]
struct Nested {
    keys: Rc<[AttrKey]>,
    value: ExprId,
}

enum Slot {
    Value(Attr),
    /// Definitions of deeper paths (and literal sets) merged into one set.
    Group {
        defs: Vec<Nested>,
        key_span: Span,
    },
}

impl Eval {
    /// Builds a set from `bindings`. Values are evaluated in `env`; `inherit x;` looks `x`
    /// up in `outer` (the scope around a `let` or `rec`).
    pub(crate) fn build_attrs(
        &mut self,
        file: FileId,
        bindings: &[Binding],
        env: &Env,
        outer: &Env,
        span: Option<Span>,
    ) -> Attrs {
        let parsed = self.sources.parsed(file);
        let ast = &parsed.ast;
        let mut slots: BTreeMap<Rc<str>, Slot> = BTreeMap::new();
        let mut unknown_names = Vec::new();
        for binding in bindings {
            match binding {
                Binding::Inherit { from, names, .. } => {
                    for (name, range) in names {
                        let key_span = Span::new(file, *range);
                        let name: Rc<str> = name.as_str().into();
                        let thunk = match from {
                            Some(from) => {
                                let from = Thunk::expr(file, *from, env.clone());
                                let name = name.clone();
                                Thunk::native(move |eval| {
                                    let from = eval.force(&from);
                                    eval.select(&from, &name, Some(key_span))
                                        .unwrap_or_else(|| {
                                            Value::error(
                                                ErrorKind::MissingAttribute,
                                                format!("attribute '{name}' missing"),
                                                Some(key_span),
                                            )
                                        })
                                })
                            }
                            None => match outer.lookup(&name) {
                                // The same thunk: `inherit x;` is `x = x;` without a copy.
                                crate::env::Lookup::Found(thunk) => thunk,
                                _ => {
                                    let outer = outer.clone();
                                    let name = name.clone();
                                    Thunk::native(move |eval| {
                                        eval.variable(&name, &outer, key_span)
                                    })
                                }
                            },
                        };
                        slots.insert(
                            name,
                            Slot::Value(Attr {
                                value: thunk,
                                key_span: Some(key_span),
                            }),
                        );
                    }
                }
                Binding::Value { path, value, .. } => {
                    let Some(first) = path.first() else { continue };
                    let key_span = Span::new(file, first.range());
                    let name: Rc<str> = match first {
                        AttrKey::Static { name, .. } => name.as_str().into(),
                        AttrKey::Dynamic { expr, .. } => match self.eval(file, *expr, env) {
                            Value::Null => continue,
                            Value::Str(s) => match s.as_known() {
                                Some(t) => t.as_ref().into(),
                                None => {
                                    unknown_names.push(unknown_name(s.first_unknown(), key_span));
                                    continue;
                                }
                            },
                            Value::Unknown(u) => {
                                unknown_names.push(u);
                                continue;
                            }
                            other => {
                                unknown_names.push(Rc::new(Unknown::new(
                                    Reason::error(
                                        ErrorKind::Type,
                                        format!(
                                            "an attribute name must be a string, not {}",
                                            other.type_name()
                                        ),
                                    ),
                                    Some(key_span),
                                )));
                                continue;
                            }
                        },
                    };
                    let rest: Rc<[AttrKey]> = path[1..].into();
                    if rest.is_empty() {
                        let literal_set = matches!(ast.expr(*value), Expr::AttrSet { .. });
                        if let (true, Some(Slot::Group { defs, .. })) =
                            (literal_set, slots.get_mut(&name))
                        {
                            defs.push(Nested {
                                keys: rest,
                                value: *value,
                            });
                            continue;
                        }
                        slots.insert(
                            name,
                            Slot::Value(Attr {
                                value: Thunk::expr(file, *value, env.clone()),
                                key_span: Some(key_span),
                            }),
                        );
                    } else {
                        let def = Nested {
                            keys: rest,
                            value: *value,
                        };
                        match slots.get_mut(&name) {
                            Some(Slot::Group { defs, .. }) => defs.push(def),
                            Some(Slot::Value(attr)) => {
                                // `a = { … }; a.b = …;`: merge with a literal set.
                                let literal = attr.value.expr_location().filter(|(f, e)| {
                                    *f == file && matches!(ast.expr(*e), Expr::AttrSet { .. })
                                });
                                let mut defs = Vec::new();
                                if let Some((_, e)) = literal {
                                    defs.push(Nested {
                                        keys: Rc::from(Vec::new()),
                                        value: e,
                                    });
                                }
                                defs.push(def);
                                slots.insert(name, Slot::Group { defs, key_span });
                            }
                            None => {
                                slots.insert(
                                    name,
                                    Slot::Group {
                                        defs: vec![def],
                                        key_span,
                                    },
                                );
                            }
                        }
                    }
                }
            }
        }
        let entries = slots
            .into_iter()
            .map(|(name, slot)| {
                let attr = match slot {
                    Slot::Value(attr) => attr,
                    Slot::Group { defs, key_span } => {
                        let env = env.clone();
                        Attr {
                            value: Thunk::native(move |eval| {
                                Value::attrs(eval.build_nested(file, &defs, &env, key_span))
                            }),
                            key_span: Some(key_span),
                        }
                    }
                };
                (name, attr)
            })
            .collect();
        Attrs {
            entries,
            unknown_names,
            span,
        }
    }

    /// The set made of several definitions below one name: each is either a rest of a
    /// dotted path or (with an empty rest) a literal set whose bindings join in.
    fn build_nested(&mut self, file: FileId, defs: &[Nested], env: &Env, span: Span) -> Attrs {
        let parsed = self.sources.parsed(file);
        let ast = &parsed.ast;
        let mut bindings = Vec::new();
        for def in defs {
            if def.keys.is_empty() {
                if let Expr::AttrSet {
                    bindings: inner, ..
                } = ast.expr(def.value)
                {
                    bindings.extend(inner.iter().cloned());
                }
            } else {
                bindings.push(Binding::Value {
                    path: def.keys.to_vec(),
                    value: def.value,
                    range: span.range,
                });
            }
        }
        self.build_attrs(file, &bindings, env, env, Some(span))
    }
}

fn unknown_name(first: Option<&Rc<Unknown>>, span: Span) -> Rc<Unknown> {
    first
        .cloned()
        .unwrap_or_else(|| Rc::new(Unknown::new(Reason::UndecidedCondition, Some(span))))
}
