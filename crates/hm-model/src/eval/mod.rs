//! A small lazy evaluator over the owned AST.
//!
//! It computes what is static (let bindings, attribute sets, functions the files define,
//! `import`, string literals) and keeps the rest symbolic: conditions stay as their
//! source text, `pkgs`/`config`/flake inputs stay opaque, and results of functions it does
//! not run (`map`, `genAttrs`, …) stay "dynamic". It never guesses.

mod apply;
mod attrs;
pub(crate) mod builtins;
pub(crate) mod env;
mod ops;
pub(crate) mod value;

pub(crate) use ops::normalize;

use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

use nix_source::{FileId, Span};
use nix_syntax::{Expr, ExprId, LiteralValue};

use crate::files::Files;
use crate::model::ImportKind;
use env::{Env, Lookup, Scope};
use value::{Closure, Condition, Thunk, ThunkState, Value};

/// Evaluation steps allowed for one analysis; a config needing more is reported, not waited on.
const FUEL: u64 = 20_000_000;
/// Nested evaluation depth; deeper recursion gives an error value instead of a stack overflow.
const MAX_DEPTH: u32 = 400;

pub(crate) struct Evaluator {
    pub(crate) files: Files,
    fuel: u64,
    depth: u32,
    /// Files whose top expression is being evaluated right now (for import cycles).
    importing: Vec<FileId>,
    file_values: HashMap<FileId, Thunk>,
    home: Option<PathBuf>,
    /// Flake inputs the outputs asked for, with where.
    pub(crate) input_uses: Vec<(String, Span)>,
}

impl Evaluator {
    pub(crate) fn new(home: Option<PathBuf>) -> Self {
        Self {
            files: Files::default(),
            fuel: FUEL,
            depth: 0,
            importing: Vec::new(),
            file_values: HashMap::new(),
            home,
            input_uses: Vec::new(),
        }
    }

    pub(crate) fn force(&mut self, thunk: &Thunk) -> Value {
        let cell = thunk.cell();
        if let ThunkState::Done(v) = &*cell.state.borrow() {
            return v.clone();
        }
        let state = std::mem::replace(&mut *cell.state.borrow_mut(), ThunkState::Forcing);
        let value = match state {
            ThunkState::Done(v) => v,
            ThunkState::Forcing => Value::error("infinite recursion"),
            ThunkState::Pending { file, expr, env } => self.eval(file, expr, &env),
            ThunkState::Inherit { name, env, from } => {
                let span = cell.span;
                match from {
                    Some(from) => {
                        let from = self.force(&from);
                        self.select(&from, &name, span)
                            .unwrap_or_else(|| Value::error(format!("attribute `{name}` missing")))
                    }
                    None => self.variable(&name, &env, span),
                }
            }
        };
        *cell.state.borrow_mut() = ThunkState::Done(value.clone());
        value
    }

    pub(crate) fn eval(&mut self, file: FileId, id: ExprId, env: &Env) -> Value {
        if self.fuel == 0 {
            return Value::error("evaluation budget exhausted");
        }
        if self.depth >= MAX_DEPTH {
            return Value::error("evaluation nested too deeply");
        }
        self.fuel -= 1;
        self.depth += 1;
        let value = self.eval_expr(file, id, env);
        self.depth -= 1;
        value
    }

    fn eval_expr(&mut self, file: FileId, id: ExprId, env: &Env) -> Value {
        let parsed = self.files.parsed(file);
        let ast = &parsed.ast;
        let span = Span::new(file, ast.range(id));
        let thunk = |e: ExprId| Thunk::pending(file, e, env.clone(), Span::new(file, ast.range(e)));
        match ast.expr(id) {
            Expr::Literal(LiteralValue::Int(i)) => Value::Int(*i),
            Expr::Literal(LiteralValue::Float(f)) => Value::Float(*f),
            Expr::Literal(LiteralValue::Uri(u)) => Value::Str {
                text: Some(u.as_str().into()),
                span: Some(span),
            },
            Expr::Str(parts) => self.string(file, parts, env, span),
            Expr::Path { kind, parts } => self.path(file, *kind, parts, env, span),
            Expr::Ident(name) => self.variable(name, env, Some(span)),
            Expr::AttrSet { rec, bindings } => {
                if *rec {
                    let scope = Scope::vars(env);
                    let attrs = self.build_attrs(file, bindings, &scope, env, span);
                    for (name, attr) in &attrs.entries {
                        scope.define(name.clone(), attr.value.clone());
                    }
                    Value::Attrs(attrs)
                } else {
                    Value::Attrs(self.build_attrs(file, bindings, env, env, span))
                }
            }
            Expr::LetIn { bindings, body } => {
                let scope = Scope::vars(env);
                let attrs = self.build_attrs(file, bindings, &scope, env, span);
                for (name, attr) in &attrs.entries {
                    scope.define(name.clone(), attr.value.clone());
                }
                self.eval(file, *body, &scope)
            }
            Expr::List(items) => Value::List(
                Rc::new(items.iter().map(|i| thunk(*i)).collect()),
                Some(span),
            ),
            Expr::Lambda { .. } => Value::Lambda(Rc::new(Closure {
                file,
                lambda: id,
                env: env.clone(),
                span,
            })),
            Expr::Apply { func, arg } => {
                let func = self.eval(file, *func, env);
                self.apply(&func, thunk(*arg), span)
            }
            Expr::Select {
                expr,
                path,
                default,
            } => {
                let mut value = self.eval(file, *expr, env);
                for key in path {
                    let Some(name) = self.key_name(file, key, env) else {
                        return Value::dynamic(Some(span), "attribute name computed at evaluation");
                    };
                    match self.select(&value, &name, Some(span)) {
                        Some(v) => value = v,
                        None => {
                            return match default {
                                Some(d) => self.eval(file, *d, env),
                                None => Value::error(format!("attribute `{name}` missing")),
                            };
                        }
                    }
                }
                value
            }
            Expr::HasAttr { .. } => Value::dynamic(Some(span), "`?` test"),
            Expr::IfElse {
                cond,
                then,
                otherwise,
            } => match self.eval(file, *cond, env) {
                Value::Bool(true) => self.eval(file, *then, env),
                Value::Bool(false) => self.eval(file, *otherwise, env),
                _ => Value::Branch {
                    cond: self.condition(Span::new(file, ast.range(*cond))),
                    then: thunk(*then),
                    otherwise: thunk(*otherwise),
                },
            },
            Expr::Binary { op, lhs, rhs } => self.binary(*op, thunk(*lhs), thunk(*rhs), span),
            Expr::Not(inner) => match self.eval(file, *inner, env) {
                Value::Bool(b) => Value::Bool(!b),
                _ => Value::dynamic(Some(span), "negation of a value not known statically"),
            },
            Expr::Negate(inner) => match self.eval(file, *inner, env) {
                Value::Int(i) => Value::Int(i.wrapping_neg()),
                Value::Float(f) => Value::Float(-f),
                _ => Value::dynamic(Some(span), "arithmetic"),
            },
            Expr::With { namespace, body } => {
                let scope = Scope::with(env, thunk(*namespace));
                self.eval(file, *body, &scope)
            }
            Expr::Assert { body, .. } => self.eval(file, *body, env),
            Expr::CurPos => Value::dynamic(Some(span), "`__curPos`"),
            Expr::Error => Value::error("syntax error"),
        }
    }

    pub(crate) fn variable(&mut self, name: &str, env: &Env, span: Option<Span>) -> Value {
        match env.lookup(name) {
            Lookup::Found(thunk) => return self.force(&thunk),
            Lookup::Withs(namespaces) => {
                for namespace in namespaces {
                    match self.force(&namespace) {
                        Value::Attrs(attrs) => {
                            if let Some(attr) = attrs.entries.get(name) {
                                return self.force(&attr.value.clone());
                            }
                        }
                        ns @ (Value::Opaque(_) | Value::Open(_) | Value::Dynamic(_)) => {
                            if let Some(v) = self.select(&ns, name, span) {
                                return v;
                            }
                        }
                        _ => {}
                    }
                }
            }
            Lookup::Global => {}
        }
        let at = span.unwrap_or_else(|| self.files.whole_file(FileId(0)));
        builtins::global(name, at)
            .unwrap_or_else(|| Value::error(format!("undefined variable `{name}`")))
    }

    /// The condition written at `span`, with whitespace runs collapsed.
    pub(crate) fn condition(&self, span: Span) -> Condition {
        let text = self
            .files
            .text(span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        Condition {
            text: text.into(),
            span: Some(span),
        }
    }

    /// Evaluates a whole file (memoised), as `import` does. Cycles are reported by
    /// `import_graph`; here they only stop the recursion.
    pub(crate) fn import_file(&mut self, file: FileId) -> Value {
        if let Some(thunk) = self.file_values.get(&file) {
            return self.force(&thunk.clone());
        }
        if self.importing.contains(&file) {
            return Value::error("import cycle");
        }
        let parsed = self.files.parsed(file);
        let Some(root) = parsed.ast.root() else {
            return Value::error("empty file");
        };
        self.importing.push(file);
        let span = Span::new(file, parsed.ast.range(root));
        let thunk = Thunk::pending(file, root, Scope::root(), span);
        let value = self.force(&thunk);
        self.importing.pop();
        self.file_values.insert(file, thunk);
        value
    }

    /// Loads `path` (resolving directories to `default.nix`) and evaluates it.
    pub(crate) fn import_path(
        &mut self,
        path: &std::path::Path,
        from: Option<Span>,
    ) -> (Option<FileId>, Value) {
        match self.files.load(path, from, ImportKind::Expression) {
            Some(file) => (Some(file), self.import_file(file)),
            None => (
                None,
                Value::error(format!("cannot import {}", path.display())),
            ),
        }
    }
}
