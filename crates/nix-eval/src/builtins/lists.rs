//! List builtins. Results stay lazy in their elements, as in Nix.

use std::rc::Rc;

use nix_source::Span;

use super::{Arg, Builtin};
use crate::eval::Eval;
use crate::value::{Attr, Attrs, ConditionalItem, ErrorKind, List, Reason, Thunk, Unknown, Value};

pub(super) fn call(eval: &mut Eval, b: Builtin, args: &[Thunk], span: Option<Span>) -> Arg<Value> {
    Ok(match b {
        Builtin::Map => {
            let f = eval.force(&args[0]);
            let list = eval.arg_list(&args[1], span)?;
            let items = list
                .items
                .iter()
                .map(|x| Thunk::apply(f.clone(), x.clone(), span))
                .collect();
            Value::list(items, list.span)
        }
        Builtin::Filter => {
            let f = eval.force(&args[0]);
            let list = eval.arg_list(&args[1], span)?;
            let mut items = Vec::new();
            let mut undecided: Option<(Value, Vec<ConditionalItem>)> = None;
            for x in &list.items {
                match eval.apply(f.clone(), x.clone(), span) {
                    Value::Unknown(u) if !u.reason.is_error() => {
                        let (_, conditional) = undecided.get_or_insert_with(|| {
                            (
                                eval.unknown_from(&Value::Unknown(u.clone()), span),
                                Vec::new(),
                            )
                        });
                        conditional.push((x.clone(), u));
                    }
                    keep => {
                        if eval.arg_bool(keep, span)? {
                            items.push(x.clone());
                        }
                    }
                }
            }
            match undecided {
                None => Value::list(items, list.span),
                // Which of some items it keeps only Nix knows: the list is unknown, with
                // the items it keeps and those it keeps under a condition.
                Some((Value::Unknown(first), conditional)) => Value::Unknown(Rc::new(Unknown {
                    known_items: items,
                    conditional_items: Some(conditional.into()),
                    ..Unknown::clone(&first)
                })),
                Some((other, _)) => other,
            }
        }
        Builtin::FoldlStrict => {
            let f = eval.force(&args[0]);
            let list = eval.arg_list(&args[2], span)?;
            let mut acc = eval.force(&args[1]);
            for x in &list.items {
                let partial = eval.apply(f.clone(), Thunk::ready(acc), span);
                acc = eval.apply(partial, x.clone(), span);
                if let Value::Unknown(u) = &acc
                    && u.reason.is_error()
                {
                    return Err(acc);
                }
            }
            acc
        }
        Builtin::GenList => {
            let f = eval.force(&args[0]);
            let n = eval.arg_int(&args[1], span)?;
            if n < 0 {
                return Err(Value::error(
                    ErrorKind::Other,
                    "cannot create list of negative length",
                    span,
                ));
            }
            if n > 10_000_000 {
                return Err(Value::unknown(Reason::Limit, span));
            }
            let items = (0..n)
                .map(|i| Thunk::apply(f.clone(), Thunk::ready(Value::Int(i)), span))
                .collect();
            Value::list(items, span)
        }
        Builtin::ConcatLists => {
            let lists = eval.arg_list(&args[0], span)?;
            let mut items = Vec::new();
            for l in &lists.items {
                let l = eval.arg_list(l, span)?;
                items.extend(l.items.iter().cloned());
            }
            Value::list(items, lists.span)
        }
        Builtin::ConcatMap => {
            let f = eval.force(&args[0]);
            let list = eval.arg_list(&args[1], span)?;
            let mut items = Vec::new();
            for x in &list.items {
                let r = eval.apply(f.clone(), x.clone(), span);
                match r {
                    Value::List(l) => items.extend(l.items.iter().cloned()),
                    other => return Err(eval.expected(other, "a list", span)),
                }
            }
            Value::list(items, list.span)
        }
        Builtin::Elem => {
            let x = eval.force(&args[0]);
            let list = eval.arg_list(&args[1], span)?;
            let mut unknown = None;
            for y in &list.items {
                let y = eval.force(y);
                match eval.equal(&x, &y, 64) {
                    Some(true) => return Ok(Value::Bool(true)),
                    Some(false) => {}
                    None => {
                        unknown = Some(if matches!(x, Value::Unknown(_)) {
                            x.clone()
                        } else {
                            y
                        })
                    }
                }
            }
            match unknown {
                Some(u) => return Err(eval.unknown_from(&u, span)),
                None => Value::Bool(false),
            }
        }
        Builtin::ElemAt => {
            let list = eval.arg_list(&args[0], span)?;
            let i = eval.arg_int(&args[1], span)?;
            match usize::try_from(i).ok().and_then(|i| list.items.get(i)) {
                Some(t) => eval.force(t),
                None => {
                    return Err(Value::error(
                        ErrorKind::Other,
                        format!("list index {i} is out of bounds"),
                        span,
                    ));
                }
            }
        }
        Builtin::Head => {
            let list = eval.arg_list(&args[0], span)?;
            match list.items.first() {
                Some(t) => eval.force(t),
                None => {
                    return Err(Value::error(
                        ErrorKind::Other,
                        "list index 0 is out of bounds",
                        span,
                    ));
                }
            }
        }
        Builtin::Tail => {
            let list = eval.arg_list(&args[0], span)?;
            if list.items.is_empty() {
                return Err(Value::error(
                    ErrorKind::Other,
                    "'tail' called on an empty list",
                    span,
                ));
            }
            Value::list(list.items[1..].to_vec(), list.span)
        }
        Builtin::Length => Value::Int(eval.arg_list(&args[0], span)?.items.len() as i64),
        Builtin::Sort => {
            let f = eval.force(&args[0]);
            let list = eval.arg_list(&args[1], span)?;
            let mut items: Vec<Thunk> = list.items.clone();
            // Insertion-merge sort with a fallible comparator (stable, as Nix's).
            let mut failure = None;
            let mut sorted: Vec<Thunk> = Vec::with_capacity(items.len());
            for item in items.drain(..) {
                // Binary search for the first element that `item` is less than.
                let (mut lo, mut hi) = (0, sorted.len());
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    let partial = eval.apply(f.clone(), item.clone(), span);
                    let less = eval.apply(partial, sorted[mid].clone(), span);
                    match less {
                        Value::Bool(true) => hi = mid,
                        Value::Bool(false) => lo = mid + 1,
                        other => {
                            failure = Some(other);
                            lo = hi;
                        }
                    }
                }
                sorted.insert(lo, item);
            }
            if let Some(other) = failure {
                return Err(eval.expected(other, "a Boolean", span));
            }
            Value::list(sorted, list.span)
        }
        Builtin::Partition => {
            let f = eval.force(&args[0]);
            let list = eval.arg_list(&args[1], span)?;
            let (mut right, mut wrong) = (Vec::new(), Vec::new());
            for x in &list.items {
                let r = eval.apply(f.clone(), x.clone(), span);
                if eval.arg_bool(r, span)? {
                    right.push(x.clone());
                } else {
                    wrong.push(x.clone());
                }
            }
            let mut attrs = Attrs::default();
            for (name, items) in [("right", right), ("wrong", wrong)] {
                attrs.entries.insert(
                    name.into(),
                    Attr {
                        value: Thunk::ready(Value::list(items, list.span)),
                        key_span: None,
                    },
                );
            }
            Value::attrs(attrs)
        }
        Builtin::GroupBy => {
            let f = eval.force(&args[0]);
            let list = eval.arg_list(&args[1], span)?;
            let mut groups: std::collections::BTreeMap<Rc<str>, Vec<Thunk>> = Default::default();
            for x in &list.items {
                let key = eval.apply(f.clone(), x.clone(), span);
                let key = eval.arg_string(&Thunk::ready(key), span)?;
                groups.entry(key).or_default().push(x.clone());
            }
            let mut attrs = Attrs::default();
            for (k, items) in groups {
                attrs.entries.insert(
                    k,
                    Attr {
                        value: Thunk::ready(Value::list(items, list.span)),
                        key_span: None,
                    },
                );
            }
            Value::attrs(attrs)
        }
        Builtin::Any | Builtin::All => {
            let f = eval.force(&args[0]);
            let list = eval.arg_list(&args[1], span)?;
            let want = b == Builtin::Any;
            let mut unknown = None;
            for x in &list.items {
                match eval.apply(f.clone(), x.clone(), span) {
                    Value::Bool(v) if v == want => return Ok(Value::Bool(want)),
                    Value::Bool(_) => {}
                    other @ Value::Unknown(_) => unknown = Some(other),
                    other => return Err(eval.expected(other, "a Boolean", span)),
                }
            }
            match unknown {
                Some(u) => return Err(eval.unknown_from(&u, span)),
                None => Value::Bool(!want),
            }
        }
        Builtin::GenericClosure => generic_closure(eval, args, span)?,
        _ => return Err(Value::error(ErrorKind::Other, "not a list builtin", span)),
    })
}

fn generic_closure(eval: &mut Eval, args: &[Thunk], span: Option<Span>) -> Arg<Value> {
    let set = eval.arg_attrs(&args[0], span)?;
    let start = set
        .get("startSet")
        .map(|a| a.value.clone())
        .ok_or_else(|| {
            Value::error(
                ErrorKind::MissingAttribute,
                "attribute 'startSet' required",
                span,
            )
        })?;
    let operator = set
        .get("operator")
        .map(|a| a.value.clone())
        .ok_or_else(|| {
            Value::error(
                ErrorKind::MissingAttribute,
                "attribute 'operator' required",
                span,
            )
        })?;
    let operator = eval.force(&operator);
    let mut work: std::collections::VecDeque<Thunk> =
        eval.arg_list(&start, span)?.items.iter().cloned().collect();
    let mut seen: Vec<Value> = Vec::new();
    let mut out = Vec::new();
    while let Some(item) = work.pop_front() {
        if out.len() > 100_000 {
            return Err(Value::unknown(Reason::Limit, span));
        }
        let value = eval.force(&item);
        let key = match eval.select(&value, "key", span) {
            Some(k) => k,
            None => {
                return Err(Value::error(
                    ErrorKind::MissingAttribute,
                    "attribute 'key' required",
                    span,
                ));
            }
        };
        if let Value::Unknown(_) = key {
            return Err(eval.unknown_from(&key, span));
        }
        let mut known = false;
        for s in &seen {
            match eval.equal(s, &key, 16) {
                Some(true) => {
                    known = true;
                    break;
                }
                Some(false) => {}
                None => return Err(eval.unknown_from(&key, span)),
            }
        }
        if known {
            continue;
        }
        seen.push(key);
        out.push(item.clone());
        let next = eval.apply(operator.clone(), item, span);
        match next {
            Value::List(l) => work.extend(l.items.iter().cloned()),
            other => return Err(eval.expected(other, "a list", span)),
        }
    }
    Ok(Value::List(Rc::new(List { items: out, span })))
}
