//! Function application: lambdas (with argument patterns), builtins and native
//! functions (once all their arguments are given), `__functor` sets, and unknown
//! functions, whose results stay unknown but remember their arguments.

use std::rc::Rc;

use nix_source::Span;
use nix_syntax::{Expr, Param};

use crate::eval::Eval;
use crate::undecided_parts::Member;
use crate::value::{ErrorKind, PrimOp, Reason, Thunk, Unknown, Value};

impl Eval {
    pub fn apply(&mut self, func: Value, arg: Thunk, span: Option<Span>) -> Value {
        match func {
            Value::Lambda(closure) => {
                let parsed = self.sources.parsed(closure.file);
                let Expr::Lambda { param, body } = parsed.ast.expr(closure.lambda) else {
                    return Value::error(ErrorKind::Other, "not a function", span);
                };
                let env = match &**param {
                    Param::Ident { name, .. } => closure.env.var(name.as_str().into(), arg),
                    Param::Pattern {
                        formals,
                        bind,
                        ellipsis,
                    } => {
                        let value = self.force(&arg);
                        let attrs = match &value {
                            Value::Attrs(a) => Some(a.clone()),
                            Value::Unknown(_) => None,
                            other => {
                                return Value::error(
                                    ErrorKind::Type,
                                    format!(
                                        "value is {} while a set was expected",
                                        other.type_name()
                                    ),
                                    span,
                                );
                            }
                        };
                        if let Some(attrs) = &attrs {
                            if !ellipsis
                                && let Some(extra) = attrs
                                    .entries
                                    .keys()
                                    .find(|k| !formals.iter().any(|f| f.name == k.as_ref()))
                            {
                                return Value::error(
                                    ErrorKind::Type,
                                    format!("function called with unexpected argument '{extra}'"),
                                    span,
                                );
                            }
                            if let Some(missing) = formals
                                .iter()
                                .find(|f| f.default.is_none() && attrs.get(&f.name).is_none())
                                && attrs.unknown_names.is_empty()
                            {
                                return Value::error(
                                    ErrorKind::Type,
                                    format!(
                                        "function called without required argument '{}'",
                                        missing.name
                                    ),
                                    span,
                                );
                            }
                        }
                        let scope = closure.env.vars();
                        if formals.iter().any(|f| f.default.is_some()) {
                            self.register_env(&scope);
                        }
                        for formal in formals {
                            // Held by a part under an undecided condition: its value
                            // where it holds it, the default (or Nix's error) where not.
                            let given = match attrs.as_ref().map(|a| self.member(a, &formal.name)) {
                                Some(Member::Present(attr)) => Some(attr.value),
                                Some(member @ Member::Either { .. }) => {
                                    let absent = match formal.default {
                                        Some(default) => {
                                            Thunk::expr(closure.file, default, scope.clone())
                                        }
                                        None => Eval::missing(&formal.name, span),
                                    };
                                    self.member_value(member, &absent).map(Thunk::ready)
                                }
                                _ => None,
                            };
                            let thunk = match (given, formal.default) {
                                (Some(t), _) => t,
                                (None, Some(default)) if attrs.is_some() => {
                                    Thunk::expr(closure.file, default, scope.clone())
                                }
                                _ => Thunk::ready(
                                    self.select(&value, &formal.name, span)
                                        .unwrap_or_else(|| value.clone()),
                                ),
                            };
                            scope.define(formal.name.as_str().into(), thunk);
                        }
                        if let Some((name, _)) = bind {
                            scope.define(name.as_str().into(), arg);
                        }
                        scope
                    }
                };
                self.eval(closure.file, *body, &env)
            }
            Value::PrimOp(op, args) => {
                let mut args = (*args).clone();
                args.push(arg);
                if args.len() < op.arity() {
                    return Value::PrimOp(op, Rc::new(args));
                }
                match op {
                    PrimOp::Builtin(b) => crate::builtins::call(self, b, &args, span),
                    PrimOp::Native(n) => (n.call)(self, &args, span),
                }
            }
            Value::Attrs(attrs) => match attrs.get("__functor") {
                Some(functor) => {
                    let functor = functor.value.clone();
                    let functor = self.force(&functor);
                    let partial = self.apply(functor, Thunk::ready(Value::Attrs(attrs)), span);
                    self.apply(partial, arg, span)
                }
                // An open set (a flake input, called as blueprint's is) may have a
                // `__functor` only Nix knows.
                None if !attrs.unknown_names.is_empty() => {
                    let callee = Value::Unknown(attrs.unknown_names[0].clone());
                    self.apply(callee, arg, span)
                }
                None => Value::error(
                    ErrorKind::Type,
                    "attempt to call something which is not a function but a set",
                    span,
                ),
            },
            Value::Unknown(u) => match &u.reason {
                Reason::External { name, .. }
                    if u.args.is_empty() && trivial_builder(name).is_some() =>
                {
                    let remaining = trivial_builder(name).unwrap_or(1);
                    builder_call(self, arg, remaining, span)
                }
                Reason::External { name, .. } => {
                    let mut args = u.args.clone();
                    if args.len() < 16 {
                        args.push(arg);
                    }
                    Value::Unknown(Rc::new(Unknown {
                        // What a flake input's function returns holds its arguments,
                        // which may be these files' own modules.
                        reason: Reason::External {
                            name: name.clone(),
                            from_input: false,
                        },
                        span: span.or(u.span),
                        args,
                        alternatives: None,
                        known_items: Vec::new(),
                        conditional_items: None,
                    }))
                }
                _ => Value::Unknown(u),
            },
            other => Value::error(
                ErrorKind::Type,
                format!(
                    "attempt to call something which is not a function but {}",
                    other.type_name()
                ),
                span,
            ),
        }
    }

    /// Applies `func` to each argument in turn.
    pub fn call(&mut self, func: Value, args: Vec<Thunk>, span: Option<Span>) -> Value {
        let mut value = func;
        for arg in args {
            value = self.apply(value, arg, span);
        }
        value
    }
}

/// `pkgs.writeShellScript` and the other trivial builders: how many arguments follow
/// the first (the name, or a set with `name`).
fn trivial_builder(external: &str) -> Option<usize> {
    let last = external.rsplit('.').next()?;
    Some(match last {
        "writeShellApplication" | "writeTextFile" => 0,
        "writeShellScript"
        | "writeShellScriptBin"
        | "writeScript"
        | "writeScriptBin"
        | "writeText"
        | "writeTextDir"
        | "writeBash"
        | "writeBashBin"
        | "writeDash"
        | "writeDashBin" => 1,
        _ => return None,
    })
}

/// The derivation a trivial builder makes: its name is known, its store path is not.
fn builder_call(eval: &mut Eval, first: Thunk, remaining: usize, span: Option<Span>) -> Value {
    let name = match eval.force(&first) {
        Value::Attrs(a) => match a.get("name") {
            Some(n) => {
                let n = n.value.clone();
                eval.force(&n)
            }
            None => Value::Null,
        },
        other => other,
    };
    let derivation = match name.as_str() {
        Some(name) => crate::builtins::derivation(&name, span),
        None => eval.unknown_from(&name, span),
    };
    if remaining == 0 {
        return derivation;
    }
    let result = Thunk::ready(derivation);
    Value::native(
        "trivial builder",
        remaining,
        Box::new(move |eval, _args, _span| eval.force(&result)),
    )
}
