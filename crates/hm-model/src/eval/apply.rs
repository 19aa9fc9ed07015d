//! Function application, selection, and the builtins the evaluator runs.

use std::rc::Rc;

use nix_source::Span;
use nix_syntax::{Expr, Param};

use super::Evaluator;
use super::builtins;
use super::env::Scope;
use super::value::{Builtin, Opaque, Thunk, Value};

impl Evaluator {
    pub(crate) fn apply(&mut self, func: &Value, arg: Thunk, span: Span) -> Value {
        match func {
            Value::Lambda(closure) => {
                let parsed = self.files.parsed(closure.file);
                let Expr::Lambda { param, body } = parsed.ast.expr(closure.lambda) else {
                    return Value::error("not a function");
                };
                let scope = Scope::vars(&closure.env);
                match param {
                    Param::Ident { name, .. } => scope.define(name.as_str().into(), arg),
                    Param::Pattern { formals, bind, .. } => {
                        let argument = self.force(&arg);
                        for formal in formals {
                            let default = formal.default.map(|d| {
                                Thunk::pending(
                                    closure.file,
                                    d,
                                    scope.clone(),
                                    Span::new(closure.file, parsed.ast.range(d)),
                                )
                            });
                            let at = Span::new(closure.file, formal.range);
                            let value = self.formal(&argument, &formal.name, default, at);
                            scope.define(formal.name.as_str().into(), value);
                        }
                        if let Some((name, _)) = bind {
                            scope.define(name.as_str().into(), arg);
                        }
                    }
                }
                self.eval(closure.file, *body, &scope)
            }
            Value::Builtin(builtin, args, at) => {
                let mut args = args.as_ref().clone();
                args.push(arg);
                if args.len() < builtin.arity() {
                    Value::Builtin(*builtin, Rc::new(args), *at)
                } else {
                    self.call_builtin(*builtin, &args, span)
                }
            }
            Value::Opaque(opaque) => {
                if opaque.args.is_empty()
                    && let Some(builtin) = builtins::function(&opaque.name)
                {
                    return self.apply(
                        &Value::Builtin(builtin, Rc::default(), Some(span)),
                        arg,
                        span,
                    );
                }
                let mut args = opaque.args.clone();
                args.push(arg);
                Value::Opaque(Rc::new(Opaque {
                    name: opaque.name.clone(),
                    args,
                    span: Some(span),
                }))
            }
            Value::Dynamic(_) | Value::Error(_) => func.clone(),
            _ => Value::dynamic(Some(span), format!("call of {}", func.type_name())),
        }
    }

    /// The value of one formal parameter `{ name ? default, … }` given the argument set.
    fn formal(
        &mut self,
        argument: &Value,
        name: &str,
        default: Option<Thunk>,
        span: Span,
    ) -> Thunk {
        let found = match argument {
            Value::Attrs(attrs) => attrs.entries.get(name).map(|a| a.value.clone()),
            Value::Open(open) => open.known.get(name).cloned(),
            _ => None,
        };
        if let Some(found) = found {
            return found;
        }
        match (argument, default) {
            (Value::Attrs(_), Some(default)) => default,
            (Value::Open(_) | Value::Opaque(_), _) => match self.select(argument, name, Some(span))
            {
                Some(v) => Thunk::ready(v),
                None => Thunk::ready(Value::error("missing argument")),
            },
            (_, Some(default)) => default,
            (Value::Attrs(_), None) => Thunk::ready(Value::error(format!(
                "function called without argument `{name}`"
            ))),
            _ => Thunk::ready(Value::dynamic(Some(span), "argument not known statically")),
        }
    }

    /// `value.name`; `None` when the attribute does not exist.
    pub(crate) fn select(
        &mut self,
        value: &Value,
        name: &str,
        span: Option<Span>,
    ) -> Option<Value> {
        match value {
            Value::Attrs(attrs) => match attrs.entries.get(name) {
                Some(attr) => {
                    let thunk = attr.value.clone();
                    Some(self.force(&thunk))
                }
                None if !attrs.dynamic_keys.is_empty() => {
                    Some(Value::dynamic(span, "attribute set with computed names"))
                }
                None => None,
            },
            Value::Open(open) => match open.known.get(name) {
                Some(thunk) => {
                    let thunk = thunk.clone();
                    Some(self.force(&thunk))
                }
                None => {
                    if let (true, Some(span)) = (open.record_uses, span) {
                        self.input_uses.push((name.to_string(), span));
                    }
                    Some(Value::opaque(name, span))
                }
            },
            Value::Opaque(opaque) => {
                let base = if opaque.args.is_empty() {
                    opaque.name.clone()
                } else {
                    format!("({} …)", opaque.name)
                };
                Some(Value::opaque(format!("{base}.{name}"), span))
            }
            Value::Conditional { body, .. } | Value::Priority(body) => {
                let inner = self.force(&body.clone());
                self.select(&inner, name, span)
            }
            Value::Merge(items) => {
                let mut found = None;
                for item in items.iter() {
                    let inner = self.force(item);
                    if let Some(v) = self.select(&inner, name, span) {
                        found = Some(v);
                    }
                }
                found
            }
            Value::Dynamic(_) | Value::Error(_) | Value::Branch { .. } => Some(Value::dynamic(
                span,
                "attribute of a value not known statically",
            )),
            _ => None,
        }
    }

    fn call_builtin(&mut self, builtin: Builtin, args: &[Thunk], span: Span) -> Value {
        let arg = |i: usize| args[i].clone();
        match builtin {
            Builtin::Import => match self.force(&arg(0)) {
                Value::Path(path, _) => self.import_path(&path, Some(span)).1,
                Value::Str { text: Some(t), .. } if t.starts_with('/') => {
                    self.import_path(std::path::Path::new(&*t), Some(span)).1
                }
                Value::Opaque(o) => Value::opaque(format!("import {}", o.name), Some(span)),
                other => Value::dynamic(Some(span), format!("import of {}", other.type_name())),
            },
            Builtin::Throw => Value::error("throw"),
            Builtin::ToString => match self.force(&arg(0)) {
                s @ Value::Str { .. } => s,
                Value::Int(i) => Value::Str {
                    text: Some(i.to_string().into()),
                    span: Some(span),
                },
                Value::Path(p, _) => Value::Str {
                    text: Some(p.display().to_string().into()),
                    span: Some(span),
                },
                _ => Value::Str {
                    text: None,
                    span: Some(span),
                },
            },
            Builtin::MkIf | Builtin::OptionalAttrs | Builtin::Optionals => {
                self.conditional(&arg(0), arg(1))
            }
            Builtin::Optional => {
                let list = Thunk::ready(Value::List(Rc::new(vec![arg(1)]), Some(span)));
                self.conditional(&arg(0), list)
            }
            Builtin::MkMerge => match self.force(&arg(0)) {
                Value::List(items, _) => Value::Merge(items),
                other @ (Value::Merge(_) | Value::Conditional { .. }) => other,
                _ => Value::dynamic(Some(span), "mkMerge of a value not known statically"),
            },
            Builtin::Priority => Value::Priority(arg(0)),
            Builtin::PriorityWithArg => Value::Priority(arg(1)),
            Builtin::RecursiveUpdate => Value::Merge(Rc::new(vec![arg(0), arg(1)])),
            Builtin::Computes(name, _) => {
                Value::dynamic(Some(span), format!("computed by `{name}`"))
            }
        }
    }

    /// `mkIf cond body`: decided when `cond` is a known boolean, kept as text otherwise.
    fn conditional(&mut self, cond: &Thunk, body: Thunk) -> Value {
        match self.force(cond) {
            Value::Bool(true) => self.force(&body),
            Value::Bool(false) => Value::Merge(Rc::default()),
            _ => {
                let condition = match cond.span() {
                    Some(span) => self.condition(span),
                    None => super::value::Condition {
                        text: "<condition>".into(),
                        span: None,
                    },
                };
                Value::Conditional {
                    cond: condition,
                    body,
                }
            }
        }
    }
}
