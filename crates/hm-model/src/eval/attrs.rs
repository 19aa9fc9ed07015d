//! Building attribute sets from bindings: dotted paths (`a.b = 1; a.c = 2;`) merge into
//! nested sets, as do `a = { … }; a.b = …;`, exactly where Nix merges them.

use std::rc::Rc;

use indexmap::IndexMap;
use nix_source::{FileId, Span};
use nix_syntax::{AttrKey, Binding, Expr, ExprId};

use super::Evaluator;
use super::env::Env;
use super::value::{Attr, Attrs, Thunk, ThunkState, Value};

#[derive(Default)]
struct Builder {
    entries: IndexMap<Rc<str>, Slot>,
    dynamic_keys: Vec<Span>,
}

enum Slot {
    Value {
        thunk: Thunk,
        key_span: Span,
        /// For `a = { … };` (not `rec`): the set, so later `a.b = …` can merge into it.
        literal: Option<(ExprId, Env)>,
    },
    Nested {
        builder: Builder,
        key_span: Span,
    },
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
                        let thunk = Thunk::with_state(
                            Some(key_span),
                            ThunkState::Inherit {
                                name: name.as_str().into(),
                                env: outer.clone(),
                                from: from.clone(),
                            },
                        );
                        builder
                            .entries
                            .entry(name.as_str().into())
                            .or_insert(Slot::Value {
                                thunk,
                                key_span,
                                literal: None,
                            });
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
        if rest.is_empty() {
            let literal_bindings = match parsed.ast.expr(value) {
                Expr::AttrSet {
                    rec: false,
                    bindings,
                } => Some(bindings),
                _ => None,
            };
            match builder.entries.get_mut(&*name) {
                None => {
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
                Some(Slot::Nested {
                    builder: nested, ..
                }) => {
                    // `a.b = 1; a = { c = 2; };` merges; anything else is a duplicate Nix rejects.
                    if let Some(bindings) = literal_bindings {
                        self.add_bindings(nested, file, bindings, scope, scope);
                    }
                }
                Some(Slot::Value { .. }) => {}
            }
            return;
        }
        let slot = builder.entries.entry(name).or_insert_with(|| Slot::Nested {
            builder: Builder::default(),
            key_span,
        });
        if let Slot::Value {
            literal: Some((expr, env)),
            key_span,
            ..
        } = slot
        {
            let (expr, env, key_span) = (*expr, env.clone(), *key_span);
            let mut nested = Builder::default();
            if let Expr::AttrSet { bindings, .. } = parsed.ast.expr(expr) {
                self.add_bindings(&mut nested, file, bindings, &env, &env);
            }
            *slot = Slot::Nested {
                builder: nested,
                key_span,
            };
        }
        if let Slot::Nested {
            builder: nested, ..
        } = slot
        {
            self.add_path(nested, file, rest, value, scope);
        }
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
