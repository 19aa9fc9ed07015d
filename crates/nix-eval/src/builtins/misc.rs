//! Arithmetic, type tests, control (`seq`, `tryEval`, `throw`) and `toJSON`.

use nix_source::Span;

use super::{Arg, Builtin};
use crate::eval::Eval;
use crate::value::{Attr, Attrs, ErrorKind, Reason, Thunk, Value};
use nix_syntax::BinaryOp;

pub(super) fn call(eval: &mut Eval, b: Builtin, args: &[Thunk], span: Option<Span>) -> Arg<Value> {
    Ok(match b {
        Builtin::Throw | Builtin::Abort => {
            let v = eval.force(&args[0]);
            let message = match eval.coerce_to_string(&v, true, span) {
                Ok(s) => s
                    .as_known()
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| "(message not known statically)".into()),
                Err(e) => return Err(e),
            };
            let kind = if b == Builtin::Throw {
                ErrorKind::Throw
            } else {
                ErrorKind::Abort
            };
            return Err(Value::error(kind, message, span));
        }
        Builtin::Add | Builtin::Sub | Builtin::Mul | Builtin::Div | Builtin::LessThan => {
            let x = eval.force(&args[0]);
            let y = eval.force(&args[1]);
            let op = match b {
                Builtin::Add => BinaryOp::Add,
                Builtin::Sub => BinaryOp::Sub,
                Builtin::Mul => BinaryOp::Mul,
                Builtin::Div => BinaryOp::Div,
                _ => BinaryOp::Less,
            };
            if b == Builtin::Add
                && !matches!(
                    (&x, &y),
                    (
                        Value::Int(_) | Value::Float(_),
                        Value::Int(_) | Value::Float(_)
                    )
                )
            {
                return Err(eval.expected(
                    if matches!(x, Value::Int(_) | Value::Float(_)) {
                        y
                    } else {
                        x
                    },
                    "an integer",
                    span,
                ));
            }
            eval.strict_binary(op, x, y, span)
        }
        Builtin::BitAnd | Builtin::BitOr | Builtin::BitXor => {
            let x = eval.arg_int(&args[0], span)?;
            let y = eval.arg_int(&args[1], span)?;
            Value::Int(match b {
                Builtin::BitAnd => x & y,
                Builtin::BitOr => x | y,
                _ => x ^ y,
            })
        }
        Builtin::Floor | Builtin::Ceil => match eval.force(&args[0]) {
            Value::Int(i) => Value::Int(i),
            Value::Float(f) => Value::Int(if b == Builtin::Floor {
                f.floor()
            } else {
                f.ceil()
            } as i64),
            other => return Err(eval.expected(other, "a float", span)),
        },
        Builtin::Seq => {
            let v = eval.force(&args[0]);
            if let Value::Unknown(u) = &v
                && u.reason.is_error()
            {
                return Err(v);
            }
            eval.force(&args[1])
        }
        Builtin::DeepSeq => {
            let v = eval.force(&args[0]);
            eval.force_deep(&v, 32);
            eval.force(&args[1])
        }
        Builtin::TryEval => {
            let v = eval.force(&args[0]);
            let (success, value) = match &v {
                Value::Unknown(u) => match &u.reason {
                    Reason::Error {
                        kind: ErrorKind::Throw | ErrorKind::Assert,
                        ..
                    } => (false, Value::Bool(false)),
                    _ => return Err(v.clone()),
                },
                _ => (true, v),
            };
            let mut out = Attrs::default();
            out.entries.insert(
                "success".into(),
                Attr {
                    value: Thunk::ready(Value::Bool(success)),
                    key_span: None,
                },
            );
            out.entries.insert(
                "value".into(),
                Attr {
                    value: Thunk::ready(value),
                    key_span: None,
                },
            );
            Value::attrs(out)
        }
        Builtin::Trace | Builtin::Warn => eval.force(&args[1]),
        Builtin::Break => eval.force(&args[0]),
        Builtin::AddErrorContext => eval.force(&args[1]),
        Builtin::TypeOf => match eval.force(&args[0]) {
            v @ Value::Unknown(_) => return Err(eval.unknown_from(&v, span)),
            v => Value::string(v.type_name(), span),
        },
        Builtin::IsAttrs
        | Builtin::IsBool
        | Builtin::IsFloat
        | Builtin::IsFunction
        | Builtin::IsInt
        | Builtin::IsList
        | Builtin::IsNull
        | Builtin::IsPath
        | Builtin::IsString => {
            let v = eval.force(&args[0]);
            if let Value::Unknown(u) = &v {
                // A flake's `nixosModules.<name>` (and the like) is a module by the flake
                // output schema: a function, a set or a path, never a list or a scalar.
                let is_module =
                    matches!(&u.reason, Reason::External { name, .. } if module_output(name));
                if is_module
                    && matches!(
                        b,
                        Builtin::IsBool
                            | Builtin::IsFloat
                            | Builtin::IsInt
                            | Builtin::IsList
                            | Builtin::IsNull
                            | Builtin::IsString
                    )
                {
                    return Ok(Value::Bool(false));
                }
                return Err(eval.unknown_from(&v, span));
            }
            Value::Bool(match b {
                Builtin::IsAttrs => matches!(v, Value::Attrs(_)),
                Builtin::IsBool => matches!(v, Value::Bool(_)),
                Builtin::IsFloat => matches!(v, Value::Float(_)),
                Builtin::IsFunction => matches!(v, Value::Lambda(_) | Value::PrimOp(..)),
                Builtin::IsInt => matches!(v, Value::Int(_)),
                Builtin::IsList => matches!(v, Value::List(_)),
                Builtin::IsNull => matches!(v, Value::Null),
                Builtin::IsPath => matches!(v, Value::Path(_)),
                _ => matches!(v, Value::Str(_)),
            })
        }
        _ => {
            return Err(Value::unknown(
                Reason::Unsupported {
                    builtin: b.name().into(),
                },
                span,
            ));
        }
    })
}

/// The flake outputs that hold modules, by the flake output schema.
const MODULE_OUTPUTS: &[&str] = &[
    "nixosModules",
    "darwinModules",
    "homeModules",
    "homeManagerModules",
    "hmModules",
    "flakeModules",
];

/// Whether an outside value named `name` (`inputs.hardware.nixosModules.common-cpu-amd`)
/// is one module of a flake's module outputs.
fn module_output(name: &str) -> bool {
    let mut parts = name.rsplit('.');
    let (_module, collection) = (parts.next(), parts.next());
    collection.is_some_and(|c| MODULE_OUTPUTS.contains(&c)) && parts.next().is_some()
}

/// `builtins.toJSON` of a value; `Err` when part of it is unknown.
pub(crate) fn to_json(
    eval: &mut Eval,
    v: &Value,
    span: Option<Span>,
    depth: u32,
) -> Arg<serde_json::Value> {
    use serde_json::Value as J;
    if depth == 0 {
        return Err(Value::unknown(Reason::Limit, span));
    }
    Ok(match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(J::Number)
            .unwrap_or(J::Null),
        Value::Str(s) => match s.as_known() {
            Some(t) => J::String(t.into_owned()),
            None => return Err(eval.unknown_string(s, span)),
        },
        Value::Path(_) => {
            let s = eval.coerce_to_string(v, false, span)?;
            return Err(eval.unknown_string(&s, span));
        }
        Value::List(l) => {
            let mut out = Vec::new();
            for item in &l.items {
                let item = eval.force(item);
                out.push(to_json(eval, &item, span, depth - 1)?);
            }
            J::Array(out)
        }
        Value::Attrs(a) => {
            if a.get("__toString").is_some() || a.get("outPath").is_some() {
                let s = eval.coerce_to_string(v, false, span)?;
                return match s.as_known() {
                    Some(t) => Ok(J::String(t.into_owned())),
                    None => Err(eval.unknown_string(&s, span)),
                };
            }
            if let Some(u) = a.unknown_names.first() {
                return Err(Value::Unknown(u.clone()));
            }
            let mut out = serde_json::Map::new();
            for (k, attr) in &a.entries {
                let item = eval.force(&attr.value);
                out.insert(k.to_string(), to_json(eval, &item, span, depth - 1)?);
            }
            J::Object(out)
        }
        Value::Lambda(_) | Value::PrimOp(..) => {
            return Err(Value::error(
                ErrorKind::Type,
                "cannot convert a function to JSON",
                span,
            ));
        }
        Value::Unknown(_) => return Err(eval.unknown_from(v, span)),
    })
}
