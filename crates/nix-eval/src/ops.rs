//! Operators: arithmetic, comparison, equality, `//`, `++`, `&&`, `||`, `->`, pipes.

use std::cmp::Ordering;
use std::rc::Rc;

use nix_source::Span;
use nix_syntax::BinaryOp;

use crate::eval::Eval;
use crate::value::{Attrs, ConditionalItem, ErrorKind, List, Part, Str, Thunk, Unknown, Value};

impl Eval {
    pub(crate) fn binary(&mut self, op: BinaryOp, lhs: Thunk, rhs: Thunk, span: Span) -> Value {
        let span = Some(span);
        match op {
            // An unknown left side (a Boolean only Nix knows) is decided by the right one
            // when that alone fixes the result: `x && false` is false whatever `x` is.
            BinaryOp::And => match self.force(&lhs) {
                Value::Bool(false) => Value::Bool(false),
                Value::Bool(true) => self.expect_bool(rhs, span),
                other => self.unknown_unless(other, rhs, false, span),
            },
            BinaryOp::Or => match self.force(&lhs) {
                Value::Bool(true) => Value::Bool(true),
                Value::Bool(false) => self.expect_bool(rhs, span),
                other => self.unknown_unless(other, rhs, true, span),
            },
            BinaryOp::Implication => match self.force(&lhs) {
                Value::Bool(false) => Value::Bool(true),
                Value::Bool(true) => self.expect_bool(rhs, span),
                other => self.unknown_unless(other, rhs, true, span),
            },
            BinaryOp::PipeRight => {
                let f = self.force(&rhs);
                self.apply(f, lhs, span)
            }
            BinaryOp::PipeLeft => {
                let f = self.force(&lhs);
                self.apply(f, rhs, span)
            }
            _ => {
                let a = self.force(&lhs);
                let b = self.force(&rhs);
                self.strict_binary(op, a, b, span)
            }
        }
    }

    /// `lhs` (not a Boolean) beside `rhs`: `decisive` when `rhs` is, since either Boolean
    /// `lhs` gives that result (and Nix fails on anything else); else as `lhs` says.
    fn unknown_unless(
        &mut self,
        lhs: Value,
        rhs: Thunk,
        decisive: bool,
        span: Option<Span>,
    ) -> Value {
        if lhs.as_unknown().is_some_and(|u| !u.reason.is_error())
            && matches!(self.force(&rhs), Value::Bool(b) if b == decisive)
        {
            return Value::Bool(decisive);
        }
        self.not_bool(lhs, span)
    }

    fn expect_bool(&mut self, thunk: Thunk, span: Option<Span>) -> Value {
        match self.force(&thunk) {
            v @ Value::Bool(_) => v,
            other => self.not_bool(other, span),
        }
    }

    /// `!value`, written at `span`.
    pub(crate) fn not(&self, value: Value, span: Option<Span>) -> Value {
        match value {
            Value::Bool(b) => Value::Bool(!b),
            Value::Unknown(u) if !u.reason.is_error() => Value::Unknown(Rc::new(negated(&u))),
            other => self.not_bool(other, span),
        }
    }

    fn not_bool(&self, value: Value, span: Option<Span>) -> Value {
        match value {
            Value::Unknown(_) => self.unknown_from(&value, span),
            other => Value::error(
                ErrorKind::Type,
                format!(
                    "value is {} while a Boolean was expected",
                    other.type_name()
                ),
                span,
            ),
        }
    }

    pub(crate) fn strict_binary(
        &mut self,
        op: BinaryOp,
        a: Value,
        b: Value,
        span: Option<Span>,
    ) -> Value {
        match op {
            BinaryOp::Equal | BinaryOp::NotEqual => match self.equal(&a, &b, 64) {
                Some(eq) => Value::Bool(eq == (op == BinaryOp::Equal)),
                None => self.unknown_of(&a, &b, span),
            },
            BinaryOp::Concat => match (&a, &b) {
                (Value::List(x), Value::List(y)) => {
                    let mut items = x.items.clone();
                    items.extend(y.items.iter().cloned());
                    Value::List(Rc::new(List {
                        items,
                        span: x.span.or(y.span),
                    }))
                }
                // `[ ./a.nix ] ++ x` with `x` only Nix knows: unknown, with the items known
                // to be in it.
                (Value::List(_) | Value::Unknown(_), Value::List(_) | Value::Unknown(_)) => {
                    match self.unknown_of(&a, &b, span) {
                        Value::Unknown(u) if !u.reason.is_error() => {
                            let mut known = Unknown::clone(&u);
                            known.known_items = [&a, &b]
                                .into_iter()
                                .flat_map(|v| match v {
                                    Value::List(l) => l.items.clone(),
                                    Value::Unknown(u) => u.known_items.clone(),
                                    _ => Vec::new(),
                                })
                                .collect();
                            known.conditional_items = conditional_items(&a, &b);
                            Value::Unknown(Rc::new(known))
                        }
                        other => other,
                    }
                }
                _ => self.type_error2(&a, &b, "a list", span),
            },
            BinaryOp::Update => match (&a, &b) {
                // A set only Nix knows (Nix fails if it is no set): as a set of unknown
                // names, so the other side's names are still known where they win.
                (Value::Unknown(u), Value::Attrs(_)) | (Value::Attrs(_), Value::Unknown(u))
                    if !u.reason.is_error() =>
                {
                    let open = Value::attrs(Attrs {
                        unknown_names: vec![u.clone()],
                        ..Attrs::default()
                    });
                    match a {
                        Value::Unknown(_) => self.strict_binary(op, open, b, span),
                        _ => self.strict_binary(op, a, open, span),
                    }
                }
                // `optionalAttrs c { … } // optionalAttrs d { … }`: a set of two undecided
                // parts (the later wins), each still looked up by name.
                (Value::Unknown(u), Value::Unknown(v))
                    if !u.reason.is_error()
                        && !v.reason.is_error()
                        && (u.alternatives.is_some() || v.alternatives.is_some()) =>
                {
                    Value::attrs(Attrs {
                        unknown_names: vec![u.clone(), v.clone()],
                        span,
                        ..Attrs::default()
                    })
                }
                (Value::Attrs(x), Value::Attrs(y)) => {
                    if y.entries.is_empty() && y.unknown_names.is_empty() {
                        return a.clone();
                    }
                    if x.entries.is_empty() && x.unknown_names.is_empty() {
                        return b.clone();
                    }
                    let mut entries = x.entries.clone();
                    if !y.unknown_names.is_empty() {
                        // A name of `x` an undecided part of `y` may have too: `y`'s where
                        // it does (`{ a = …; } // optionalAttrs c { a = …; }`), found when
                        // asked for. Where `y`'s names are unknown, known only to Nix
                        // (`{ mkFlake = …; } // pkgs` may not be this `mkFlake`), for the
                        // reason they are unknown (not a name made up from it: `y` may be
                        // computed from the unknown it names).
                        let parts: Rc<[Rc<Unknown>]> = y.unknown_names.as_slice().into();
                        for (name, attr) in entries.iter_mut() {
                            if !y.entries.contains_key(name) {
                                let parts = parts.clone();
                                let name = name.clone();
                                let left = attr.value.clone();
                                attr.value = Thunk::native(move |eval| {
                                    eval.updated_member(&parts, &name, left, span)
                                });
                            }
                        }
                    }
                    for (k, v) in &y.entries {
                        entries.insert(k.clone(), v.clone());
                    }
                    let mut unknown_names = x.unknown_names.clone();
                    unknown_names.extend(y.unknown_names.iter().cloned());
                    Value::attrs(Attrs {
                        entries,
                        unknown_names,
                        span: x.span.or(y.span),
                    })
                }
                _ => self.type_error2(&a, &b, "a set", span),
            },
            BinaryOp::Add => self.add(a, b, span),
            BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => self.arith(op, a, b, span),
            BinaryOp::Less | BinaryOp::LessOrEq | BinaryOp::More | BinaryOp::MoreOrEq => {
                match self.compare(&a, &b) {
                    Ok(Some(ord)) => Value::Bool(match op {
                        BinaryOp::Less => ord == Ordering::Less,
                        BinaryOp::LessOrEq => ord != Ordering::Greater,
                        BinaryOp::More => ord == Ordering::Greater,
                        _ => ord != Ordering::Less,
                    }),
                    Ok(None) => self.unknown_of(&a, &b, span),
                    Err(message) => Value::error(ErrorKind::Type, message, span),
                }
            }
            _ => Value::error(ErrorKind::Other, "unsupported operator", span),
        }
    }

    fn unknown_of(&self, a: &Value, b: &Value, span: Option<Span>) -> Value {
        for v in [a, b] {
            if let Value::Unknown(u) = v
                && u.reason.is_error()
            {
                return v.clone();
            }
        }
        let source = if matches!(a, Value::Unknown(_)) { a } else { b };
        self.unknown_from(source, span)
    }

    fn type_error2(&self, a: &Value, b: &Value, expected: &str, span: Option<Span>) -> Value {
        if matches!(a, Value::Unknown(_)) || matches!(b, Value::Unknown(_)) {
            return self.unknown_of(a, b, span);
        }
        let wrong = if a.type_name() == expected_type(expected) {
            b
        } else {
            a
        };
        Value::error(
            ErrorKind::Type,
            format!(
                "value is {} while {expected} was expected",
                wrong.type_name()
            ),
            span,
        )
    }

    fn add(&mut self, a: Value, b: Value, span: Option<Span>) -> Value {
        match (&a, &b) {
            (Value::Int(x), Value::Int(y)) => Value::Int(x.wrapping_add(*y)),
            (Value::Float(_) | Value::Int(_), Value::Float(_) | Value::Int(_)) => {
                Value::Float(as_float(&a) + as_float(&b))
            }
            // `./hosts + /h1.nix`: the right path's text appended, as Nix does (no copy).
            (Value::Path(p), Value::Path(q)) => appended(p, &q.display().to_string()),
            (Value::Path(p), _) => match self.coerce_to_string(&b, false, span) {
                Ok(s) => match s.as_known() {
                    Some(t) => appended(p, &t),
                    None => self.unknown_of(&a, &b, span),
                },
                Err(v) => v,
            },
            // A set on the left (`self + "/hosts/x.nix"`) is coerced as interpolation
            // does: through `__toString` or `outPath`.
            (Value::Attrs(_), _) => match self.coerce_to_string(&a, false, span) {
                Ok(x) => self.add(Value::Str(Rc::new(x)), b, span),
                Err(v) => v,
            },
            (Value::Str(x), _) => match self.coerce_to_string(&b, false, span) {
                Ok(y) => {
                    let mut parts = x.parts.clone();
                    crate::strings::push_parts(&mut parts, &y.parts);
                    Value::Str(Rc::new(Str {
                        parts,
                        span: x.span.or(span),
                    }))
                }
                Err(v) => v,
            },
            (Value::Unknown(_), Value::Str(y)) => {
                let Value::Unknown(u) = &a else {
                    return a;
                };
                if u.reason.is_error() {
                    return a;
                }
                let mut parts = vec![Part::Unknown(u.clone())];
                crate::strings::push_parts(&mut parts, &y.parts);
                Value::Str(Rc::new(Str { parts, span }))
            }
            _ => {
                if matches!(a, Value::Unknown(_)) || matches!(b, Value::Unknown(_)) {
                    return self.unknown_of(&a, &b, span);
                }
                Value::error(
                    ErrorKind::Type,
                    format!("cannot add {} to {}", b.type_name(), a.type_name()),
                    span,
                )
            }
        }
    }

    fn arith(&mut self, op: BinaryOp, a: Value, b: Value, span: Option<Span>) -> Value {
        match (&a, &b) {
            (Value::Int(x), Value::Int(y)) => match op {
                BinaryOp::Sub => Value::Int(x.wrapping_sub(*y)),
                BinaryOp::Mul => Value::Int(x.wrapping_mul(*y)),
                _ if *y == 0 => Value::error(ErrorKind::Other, "division by zero", span),
                _ => Value::Int(x.wrapping_div(*y)),
            },
            (Value::Float(_) | Value::Int(_), Value::Float(_) | Value::Int(_)) => {
                let (x, y) = (as_float(&a), as_float(&b));
                match op {
                    BinaryOp::Sub => Value::Float(x - y),
                    BinaryOp::Mul => Value::Float(x * y),
                    _ if y == 0.0 => Value::error(ErrorKind::Other, "division by zero", span),
                    _ => Value::Float(x / y),
                }
            }
            _ => self.type_error2(&a, &b, "an integer", span),
        }
    }

    /// `None`: depends on something unknown.
    pub fn equal(&mut self, a: &Value, b: &Value, depth: u32) -> Option<bool> {
        if depth == 0 {
            return None;
        }
        Some(match (a, b) {
            (Value::Unknown(_), _) | (_, Value::Unknown(_)) => return None,
            (Value::Null, Value::Null) => true,
            (Value::Bool(x), Value::Bool(y)) => x == y,
            (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => match (a, b) {
                (Value::Int(x), Value::Int(y)) => x == y,
                _ => as_float(a) == as_float(b),
            },
            (Value::Str(x), Value::Str(y)) => match (x.as_known(), y.as_known()) {
                (Some(x), Some(y)) => x == y,
                // Unequal where known text already differs.
                _ if crate::store_text::known_unequal(x, y) => false,
                _ if crate::store_text::same_copies(x, y) => true,
                _ => return None,
            },
            (Value::Path(x), Value::Path(y)) => x == y,
            (Value::List(x), Value::List(y)) => {
                if x.items.len() != y.items.len() {
                    return Some(false);
                }
                let mut all = Some(true);
                for (p, q) in x.items.iter().zip(&y.items) {
                    let (p, q) = (self.force(p), self.force(q));
                    match self.equal(&p, &q, depth - 1) {
                        Some(true) => {}
                        Some(false) => return Some(false),
                        None => all = None,
                    }
                }
                return all;
            }
            (Value::Attrs(x), Value::Attrs(y)) => {
                if !x.unknown_names.is_empty() || !y.unknown_names.is_empty() {
                    return None;
                }
                if let (Some(p), Some(q)) = (x.get("outPath"), y.get("outPath")) {
                    let (p, q) = (p.value.clone(), q.value.clone());
                    let (p, q) = (self.force(&p), self.force(&q));
                    return self.equal(&p, &q, depth - 1);
                }
                if x.entries.len() != y.entries.len() || !x.entries.keys().eq(y.entries.keys()) {
                    return Some(false);
                }
                let mut all = Some(true);
                for (p, q) in x.entries.values().zip(y.entries.values()) {
                    let (p, q) = (self.force(&p.value), self.force(&q.value));
                    match self.equal(&p, &q, depth - 1) {
                        Some(true) => {}
                        Some(false) => return Some(false),
                        None => all = None,
                    }
                }
                return all;
            }
            (Value::Lambda(_) | Value::PrimOp(..), _)
            | (_, Value::Lambda(_) | Value::PrimOp(..)) => false,
            _ => false,
        })
    }

    /// Nix's ordering (`<`, `sort`'s default): numbers, strings, paths, lists.
    pub fn compare(&mut self, a: &Value, b: &Value) -> Result<Option<Ordering>, String> {
        Ok(Some(match (a, b) {
            (Value::Unknown(_), _) | (_, Value::Unknown(_)) => return Ok(None),
            (Value::Int(x), Value::Int(y)) => x.cmp(y),
            (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => as_float(a)
                .partial_cmp(&as_float(b))
                .unwrap_or(Ordering::Equal),
            (Value::Str(x), Value::Str(y)) => match (x.as_known(), y.as_known()) {
                (Some(x), Some(y)) => x.as_ref().cmp(y.as_ref()),
                _ => return Ok(None),
            },
            (Value::Path(x), Value::Path(y)) => x.cmp(y),
            (Value::List(x), Value::List(y)) => {
                for (p, q) in x.items.iter().zip(&y.items) {
                    let (p, q) = (self.force(p), self.force(q));
                    match self.compare(&p, &q)? {
                        Some(Ordering::Equal) => {}
                        other => return Ok(other),
                    }
                }
                x.items.len().cmp(&y.items.len())
            }
            _ => {
                return Err(format!(
                    "cannot compare {} with {}",
                    a.type_name(),
                    b.type_name()
                ));
            }
        }))
    }
}

fn as_float(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

fn expected_type(expected: &str) -> &'static str {
    match expected {
        "a list" => "list",
        "a set" => "set",
        _ => "int",
    }
}

/// The path `path` with `text` appended, normalised (`./a + "/b.nix"`).
fn appended(path: &std::path::Path, text: &str) -> Value {
    let joined = format!("{}{}", path.display(), text);
    Value::Path(Rc::new(crate::eval::normalize(std::path::Path::new(
        &joined,
    ))))
}

/// The items `a ++ b` holds under conditions, when each side's items are all known up to
/// such conditions; `None` when a side may hold anything.
fn conditional_items(a: &Value, b: &Value) -> Option<Rc<[ConditionalItem]>> {
    let mut items = Vec::new();
    for side in [a, b] {
        match side {
            Value::List(_) => {}
            Value::Unknown(u) => items.extend(u.conditional_items.as_deref()?.iter().cloned()),
            _ => return None,
        }
    }
    Some(items.into())
}

/// `!u`: `if u then false else true`, an `if` on the condition `u` is (placed where `u`
/// is), so whoever decides on it (`filter`, a definition) knows which way it points.
fn negated(u: &Rc<Unknown>) -> Unknown {
    let alternatives = match &u.alternatives {
        Some((then, otherwise)) => {
            let negate = |t: &Thunk| {
                let (t, span) = (t.clone(), u.span);
                Thunk::native(move |eval| {
                    let value = eval.force(&t);
                    eval.not(value, span)
                })
            };
            (negate(then), negate(otherwise))
        }
        None => (
            Thunk::ready(Value::Bool(false)),
            Thunk::ready(Value::Bool(true)),
        ),
    };
    Unknown {
        alternatives: Some(alternatives),
        ..Unknown::new(u.reason.clone(), u.span)
    }
}
