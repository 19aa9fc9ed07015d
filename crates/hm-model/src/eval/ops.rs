//! Operators, strings and paths.

use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use nix_source::{FileId, Span};
use nix_syntax::{BinaryOp, PathKind, StrPart};

use super::Evaluator;
use super::env::Env;
use super::value::{Attrs, Thunk, Value};

impl Evaluator {
    pub(crate) fn binary(&mut self, op: BinaryOp, lhs: Thunk, rhs: Thunk, span: Span) -> Value {
        use BinaryOp::*;
        match op {
            PipeRight => {
                let func = self.force(&rhs);
                return self.apply(&func, lhs, span);
            }
            PipeLeft => {
                let func = self.force(&lhs);
                return self.apply(&func, rhs, span);
            }
            And | Or | Implication => {
                let l = self.force(&lhs);
                return match (op, l) {
                    (And, Value::Bool(false)) => Value::Bool(false),
                    (Or, Value::Bool(true)) => Value::Bool(true),
                    (Implication, Value::Bool(false)) => Value::Bool(true),
                    (_, Value::Bool(_)) => match self.force(&rhs) {
                        b @ Value::Bool(_) => b,
                        _ => Value::dynamic(Some(span), "boolean expression"),
                    },
                    _ => Value::dynamic(Some(span), "boolean expression"),
                };
            }
            _ => {}
        }
        let l = self.force(&lhs);
        let r = self.force(&rhs);
        match (op, &l, &r) {
            (Update, Value::Attrs(a), Value::Attrs(b)) => {
                let mut entries = a.entries.clone();
                for (name, attr) in &b.entries {
                    entries.insert(name.clone(), attr.clone());
                }
                let mut dynamic_keys = a.dynamic_keys.clone();
                dynamic_keys.extend(b.dynamic_keys.iter().copied());
                Value::Attrs(Rc::new(Attrs {
                    entries,
                    dynamic_keys,
                    span,
                }))
            }
            (Update, _, _) => Value::Merge(Rc::new(vec![lhs, rhs])),
            (Concat, Value::List(a, _), Value::List(b, _)) => Value::List(
                Rc::new(a.iter().chain(b.iter()).cloned().collect()),
                Some(span),
            ),
            (Concat, _, _) => Value::Merge(Rc::new(vec![lhs, rhs])),
            (Add, Value::Int(a), Value::Int(b)) => Value::Int(a.wrapping_add(*b)),
            (Add, Value::Str { text: a, .. }, Value::Str { text: b, .. }) => Value::Str {
                text: a
                    .as_ref()
                    .zip(b.as_ref())
                    .map(|(a, b)| format!("{a}{b}").into()),
                span: Some(span),
            },
            (Add, Value::Path(p, _), Value::Str { text: Some(s), .. }) => Value::Path(
                Rc::new(normalize(&PathBuf::from(format!("{}{s}", p.display())))),
                Some(span),
            ),
            (Add, Value::Str { .. }, Value::Path(..)) => Value::Str {
                text: None,
                span: Some(span),
            },
            (Sub, Value::Int(a), Value::Int(b)) => Value::Int(a.wrapping_sub(*b)),
            (Mul, Value::Int(a), Value::Int(b)) => Value::Int(a.wrapping_mul(*b)),
            (Equal | NotEqual, _, _) => match scalar_eq(&l, &r) {
                Some(eq) => Value::Bool(eq == (op == Equal)),
                None => Value::dynamic(Some(span), "comparison"),
            },
            (Less, Value::Int(a), Value::Int(b)) => Value::Bool(a < b),
            (LessOrEq, Value::Int(a), Value::Int(b)) => Value::Bool(a <= b),
            (More, Value::Int(a), Value::Int(b)) => Value::Bool(a > b),
            (MoreOrEq, Value::Int(a), Value::Int(b)) => Value::Bool(a >= b),
            _ => Value::dynamic(Some(span), "operator on values not known statically"),
        }
    }

    pub(crate) fn string(
        &mut self,
        file: FileId,
        parts: &[StrPart],
        env: &Env,
        span: Span,
    ) -> Value {
        let text = self.concat(file, parts, env);
        Value::Str {
            text: text.map(Into::into),
            span: Some(span),
        }
    }

    /// Concatenates string parts; `None` if any interpolation is not a known string.
    fn concat(&mut self, file: FileId, parts: &[StrPart], env: &Env) -> Option<String> {
        let mut out = String::new();
        let mut known = true;
        for part in parts {
            match part {
                StrPart::Literal(s) => out.push_str(s),
                StrPart::Interpolation(e) => match self.eval(file, *e, env) {
                    Value::Str { text: Some(t), .. } => out.push_str(&t),
                    _ => known = false,
                },
            }
        }
        known.then_some(out)
    }

    pub(crate) fn path(
        &mut self,
        file: FileId,
        kind: PathKind,
        parts: &[StrPart],
        env: &Env,
        span: Span,
    ) -> Value {
        let Some(text) = self.concat(file, parts, env) else {
            return Value::dynamic(Some(span), "path built from a value not known statically");
        };
        let path = match kind {
            PathKind::Search => return Value::opaque(format!("<{text}>"), Some(span)),
            PathKind::Absolute => PathBuf::from(text),
            PathKind::Home => match &self.home {
                Some(home) => home.join(text.trim_start_matches("~/")),
                None => return Value::dynamic(Some(span), "path in the home directory"),
            },
            PathKind::Relative => self.files.dir_of(file).join(text),
        };
        Value::Path(Rc::new(normalize(&path)), Some(span))
    }
}

fn scalar_eq(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Str { text: Some(a), .. }, Value::Str { text: Some(b), .. }) => Some(a == b),
        (Value::Int(a), Value::Int(b)) => Some(a == b),
        (Value::Bool(a), Value::Bool(b)) => Some(a == b),
        (Value::Null, Value::Null) => Some(true),
        (Value::Null, Value::Str { text: Some(_), .. } | Value::Int(_) | Value::Bool(_))
        | (Value::Str { text: Some(_), .. } | Value::Int(_) | Value::Bool(_), Value::Null) => {
            Some(false)
        }
        _ => None,
    }
}

/// Lexically removes `.` and `..`, as Nix does for path literals.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
