//! Building attribute sets from bindings the way Nix's parser does: dotted paths
//! (`a.b = 1; a.c = 2;`) build nested sets, and a literal set merges into a set already
//! there (`a.b = 1; a = { c = 2; };`) one level deep; a name defined twice is reported.

use std::rc::Rc;

use indexmap::IndexMap;
use nix_source::{FileId, Span};
use nix_syntax::{AttrKey, Binding, Expr, ExprId};

use super::Evaluator;
use super::env::Env;
use super::value::{Attr, Attrs, Thunk, ThunkState, Value};
use crate::model::{ProblemKind, Related};

#[derive(Default)]
struct Builder {
    entries: IndexMap<Rc<str>, Slot>,
    dynamic_keys: Vec<Span>,
}

enum Slot {
    Value {
        thunk: Thunk,
        key_span: Span,
        /// For `a = { … };` (not `rec`): the set, so more can be merged into it.
        literal: Option<(ExprId, Env)>,
    },
    Nested {
        builder: Builder,
        key_span: Span,
    },
}

impl Slot {
    fn key_span(&self) -> Span {
        match self {
            Slot::Value { key_span, .. } | Slot::Nested { key_span, .. } => *key_span,
        }
    }
}

impl Evaluator {
    /// `scope` evaluates values (the recursive scope for `rec`/`let`); `outer` resolves `inherit x;`.
    pub(crate) fn build_attrs(
        &mut self,
        file: FileId,
        bindings: &[Binding],
        scope: &Env,
        outer: &Env,
        span: Span,
    ) -> Rc<Attrs> {
        let mut builder = Builder::default();
        self.add_bindings(&mut builder, file, bindings, scope, outer);
        finish(builder, span)
    }

    fn add_bindings(
        &mut self,
        builder: &mut Builder,
        file: FileId,
        bindings: &[Binding],
        scope: &Env,
        outer: &Env,
    ) {
        for binding in bindings {
            match binding {
                Binding::Value { path, value, .. } => {
                    self.add_path(builder, file, path, *value, scope)
                }
                Binding::Inherit { from, names, .. } => {
                    let from = from.map(|f| {
                        let parsed = self.files.parsed(file);
                        Thunk::pending(file, f, scope.clone(), Span::new(file, parsed.ast.range(f)))
                    });
                    for (name, range) in names {
                        let key_span = Span::new(file, *range);
                        if let Some(existing) = builder.entries.get(name.as_str()) {
                            let first = existing.key_span();
                            self.duplicate(name, key_span, first);
                            continue;
                        }
                        let thunk = Thunk::with_state(
                            Some(key_span),
                            ThunkState::Inherit {
                                name: name.as_str().into(),
                                env: outer.clone(),
                                from: from.clone(),
                            },
                        );
                        builder.entries.insert(
                            name.as_str().into(),
                            Slot::Value {
                                thunk,
                                key_span,
                                literal: None,
                            },
                        );
                    }
                }
            }
        }
    }

    fn add_path(
        &mut self,
        builder: &mut Builder,
        file: FileId,
        path: &[AttrKey],
        value: ExprId,
        scope: &Env,
    ) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        let key_span = Span::new(file, first.range());
        let Some(name) = self.key_name(file, first, scope) else {
            builder.dynamic_keys.push(key_span);
            return;
        };
        let parsed = self.files.parsed(file);
        if !rest.is_empty() {
            let slot = builder
                .entries
                .entry(name.clone())
                .or_insert_with(|| Slot::Nested {
                    builder: Builder::default(),
                    key_span,
                });
            self.open_literal(slot, file);
            match slot {
                Slot::Nested {
                    builder: nested, ..
                } => self.add_path(nested, file, rest, value, scope),
                Slot::Value {
                    key_span: first, ..
                } => {
                    let first = *first;
                    self.duplicate(&name, key_span, first);
                }
            }
            return;
        }
        let literal_bindings = match parsed.ast.expr(value) {
            Expr::AttrSet {
                rec: false,
                bindings,
            } => Some(bindings),
            _ => None,
        };
        match (builder.entries.get_mut(&*name), literal_bindings) {
            (None, _) => {
                let thunk = Thunk::pending(
                    file,
                    value,
                    scope.clone(),
                    Span::new(file, parsed.ast.range(value)),
                );
                let literal = literal_bindings.map(|_| (value, scope.clone()));
                builder.entries.insert(
                    name,
                    Slot::Value {
                        thunk,
                        key_span,
                        literal,
                    },
                );
            }
            (Some(slot), Some(bindings)) => {
                self.open_literal(slot, file);
                match slot {
                    Slot::Nested {
                        builder: nested, ..
                    } => self.merge_literal(nested, file, bindings, scope),
                    Slot::Value {
                        key_span: first, ..
                    } => {
                        let first = *first;
                        self.duplicate(&name, key_span, first);
                    }
                }
            }
            (Some(slot), None) => {
                let first = slot.key_span();
                self.duplicate(&name, key_span, first);
            }
        }
    }

    /// Adds the bindings of a literal set to a set already there; the names it defines must
    /// be new (Nix merges one level only).
    fn merge_literal(
        &mut self,
        nested: &mut Builder,
        file: FileId,
        bindings: &[Binding],
        scope: &Env,
    ) {
        for binding in bindings {
            if let Binding::Value { path, .. } = binding
                && let Some(AttrKey::Static { name, range }) = path.first()
                && let Some(existing) = nested.entries.get(name.as_str())
            {
                let first = existing.key_span();
                self.duplicate(name, Span::new(file, *range), first);
                continue;
            }
            self.add_bindings(nested, file, std::slice::from_ref(binding), scope, scope);
        }
    }

    /// Turns `a = { … };` into nested bindings so more can be merged into it.
    fn open_literal(&mut self, slot: &mut Slot, file: FileId) {
        let Slot::Value {
            literal: Some((expr, env)),
            key_span,
            ..
        } = slot
        else {
            return;
        };
        let (expr, env, key_span) = (*expr, env.clone(), *key_span);
        let mut nested = Builder::default();
        let parsed = self.files.parsed(file);
        if let Expr::AttrSet { bindings, .. } = parsed.ast.expr(expr) {
            self.add_bindings(&mut nested, file, bindings, &env, &env);
        }
        *slot = Slot::Nested {
            builder: nested,
            key_span,
        };
    }

    fn duplicate(&mut self, name: &str, at: Span, first: Span) {
        let related = vec![Related {
            span: first,
            message: "first defined here".to_string(),
        }];
        let message = format!("attribute `{name}` is already defined");
        self.files
            .problem_with(ProblemKind::DuplicateAttribute, Some(at), message, related);
    }

    /// The name an attribute key stands for, if it can be known statically.
    pub(crate) fn key_name(&mut self, file: FileId, key: &AttrKey, env: &Env) -> Option<Rc<str>> {
        match key {
            AttrKey::Static { name, .. } => Some(name.as_str().into()),
            AttrKey::Dynamic { expr, .. } => match self.eval(file, *expr, env) {
                Value::Str { text: Some(t), .. } => Some(t),
                _ => None,
            },
        }
    }
}

fn finish(builder: Builder, span: Span) -> Rc<Attrs> {
    let entries = builder
        .entries
        .into_iter()
        .map(|(name, slot)| {
            let attr = match slot {
                Slot::Value {
                    thunk, key_span, ..
                } => Attr {
                    value: thunk,
                    key_span,
                },
                Slot::Nested { builder, key_span } => Attr {
                    value: Thunk::ready(Value::Attrs(finish(builder, key_span))),
                    key_span,
                },
            };
            (name, attr)
        })
        .collect();
    Rc::new(Attrs {
        entries,
        dynamic_keys: builder.dynamic_keys,
        span,
    })
}
