//! Attribute-set builtins. Names an unknown key might take make results that depend on
//! all names unknown; values stay lazy.

use std::rc::Rc;

use nix_source::Span;
use nix_syntax::{Expr, Param};

use super::{Arg, Builtin};
use crate::eval::Eval;
use crate::undecided_parts::Member;
use crate::value::{Attr, Attrs, ErrorKind, Reason, Thunk, Unknown, Value};

pub(super) fn call(eval: &mut Eval, b: Builtin, args: &[Thunk], span: Option<Span>) -> Arg<Value> {
    Ok(match b {
        Builtin::AttrNames => {
            let set = known_names(eval, &args[0], span)?;
            let items = set
                .entries
                .iter()
                .map(|(k, a)| Thunk::ready(Value::string(k.clone(), a.key_span)))
                .collect();
            Value::list(items, span)
        }
        Builtin::AttrValues => {
            let set = known_names(eval, &args[0], span)?;
            Value::list(
                set.entries.values().map(|a| a.value.clone()).collect(),
                span,
            )
        }
        Builtin::MapAttrs => {
            let f = eval.force(&args[0]);
            let set = eval.arg_attrs(&args[1], span)?;
            let mut out = (*set).clone();
            out.unknown_names = each_alternative(&set.unknown_names, b, &args[..1], span);
            for (name, attr) in out.entries.iter_mut() {
                let key = Thunk::ready(Value::string(name.clone(), attr.key_span));
                let partial = Thunk::apply(f.clone(), key, span);
                let value = attr.value.clone();
                attr.value = Thunk::native(move |eval| {
                    let g = eval.force(&partial);
                    eval.apply(g, value, span)
                });
            }
            Value::attrs(out)
        }
        Builtin::ListToAttrs => {
            let list = eval.arg_list(&args[0], span)?;
            let mut out = Attrs {
                span: list.span.or(span),
                ..Attrs::default()
            };
            for item in &list.items {
                let item = eval.arg_attrs(item, span)?;
                let name = match item.get("name") {
                    Some(n) => n.value.clone(),
                    None => {
                        return Err(Value::error(
                            ErrorKind::MissingAttribute,
                            "attribute 'name' missing",
                            span,
                        ));
                    }
                };
                let value = match item.get("value") {
                    Some(v) => v.value.clone(),
                    None => {
                        return Err(Value::error(
                            ErrorKind::MissingAttribute,
                            "attribute 'value' missing",
                            span,
                        ));
                    }
                };
                let name_value = eval.force(&name);
                let key_span = name_value.span().or(item.span);
                match name_value {
                    Value::Str(s) => match s.as_known() {
                        Some(text) => {
                            out.entries
                                .insert_if_absent(text.as_ref().into(), Attr { value, key_span });
                        }
                        None => out.unknown_names.push(unknown_part(&s, key_span)),
                    },
                    Value::Unknown(u) if !u.reason.is_error() => out.unknown_names.push(u),
                    other => return Err(eval.expected(other, "a string", span)),
                }
            }
            Value::attrs(out)
        }
        Builtin::RemoveAttrs => {
            let set = eval.arg_attrs(&args[0], span)?;
            let (names, conditional) = match eval.force(&args[1]) {
                Value::List(l) => (l.items.clone(), None),
                Value::Unknown(u) if u.conditional_items.is_some() => {
                    (u.known_items.clone(), u.conditional_items.clone())
                }
                _ => (eval.arg_list(&args[1], span)?.items.clone(), None),
            };
            let mut out = (*set).clone();
            out.unknown_names = each_alternative(&set.unknown_names, b, &args[1..], span);
            for n in &names {
                let n = eval.arg_string(n, span)?;
                out.entries.remove(&n);
            }
            // A name removed only when a condition holds: an undecided part of the set,
            // without it when the condition holds and with it otherwise.
            for (n, condition) in conditional.iter().flat_map(|c| c.iter()) {
                let n = eval.arg_string(n, span)?;
                if let Some(attr) = out.entries.remove(&n) {
                    let kept = Thunk::ready(Value::attrs(Attrs {
                        entries: [(Rc::from(&*n), attr)].into_iter().collect(),
                        ..Attrs::default()
                    }));
                    out.unknown_names
                        .push(Rc::new(removed_when(condition, kept, span)));
                }
            }
            Value::attrs(out)
        }
        Builtin::IntersectAttrs => {
            let a = eval.arg_attrs(&args[0], span)?;
            let b2 = eval.arg_attrs(&args[1], span)?;
            if !a.unknown_names.is_empty() {
                return Err(Value::unknown(Reason::UndecidedCondition, span));
            }
            let mut out = Attrs {
                span: b2.span,
                ..Attrs::default()
            };
            for (k, v) in &b2.entries {
                if a.entries.contains_key(k) {
                    out.entries.insert(k.clone(), v.clone());
                }
            }
            // A name of `a` that `b`'s undecided parts may hold (`pkgs // { … }`): the
            // result may hold it too.
            if !b2.unknown_names.is_empty() {
                for k in a.entries.keys().filter(|k| !b2.entries.contains_key(k)) {
                    match eval.member(&b2, k) {
                        Member::Absent | Member::Present(_) => {}
                        Member::Either { condition, .. } | Member::Unknown(condition) => {
                            let reason = condition.reason.clone();
                            out.unknown_names
                                .push(Rc::new(Unknown::new(reason, condition.span.or(span))));
                            break;
                        }
                    }
                }
            }
            Value::attrs(out)
        }
        Builtin::CatAttrs => {
            let name = eval.arg_string(&args[0], span)?;
            let list = eval.arg_list(&args[1], span)?;
            let mut items = Vec::new();
            for item in &list.items {
                let set = eval.arg_attrs(item, span)?;
                match eval.member(&set, &name) {
                    Member::Present(attr) => items.push(attr.value),
                    other => {
                        other.held(span)?;
                    }
                }
            }
            Value::list(items, list.span)
        }
        Builtin::HasAttr => {
            let name = eval.arg_string(&args[0], span)?;
            let set = eval.arg_attrs(&args[1], span)?;
            Value::Bool(eval.member(&set, &name).held(span)?)
        }
        Builtin::GetAttr => {
            let name = eval.arg_string(&args[0], span)?;
            let set = eval.force(&args[1]);
            match eval.select(&set, &name, span) {
                Some(v) => v,
                None => match &set {
                    Value::Attrs(a)
                        if !a.unknown_names.is_empty()
                            && !matches!(eval.member(a, &name), Member::Absent) =>
                    {
                        return Err(Value::unknown(Reason::UndecidedCondition, span));
                    }
                    Value::Attrs(_) => {
                        return Err(Value::error(
                            ErrorKind::MissingAttribute,
                            format!("attribute '{name}' missing"),
                            span,
                        ));
                    }
                    _ => return Err(eval.expected(set, "a set", span)),
                },
            }
        }
        Builtin::ZipAttrsWith => {
            let f = eval.force(&args[0]);
            let list = eval.arg_list(&args[1], span)?;
            let mut groups: std::collections::BTreeMap<Rc<str>, (Vec<Thunk>, Option<Span>)> =
                Default::default();
            let sets = list
                .items
                .iter()
                .map(|item| eval.arg_attrs(item, span))
                .collect::<Arg<Vec<_>>>()?;
            if sets.iter().any(|set| !set.unknown_names.is_empty()) {
                return zip_undecided(eval, &f, &args[1], &sets, span);
            }
            for set in &sets {
                for (k, a) in &set.entries {
                    let slot = groups
                        .entry(k.clone())
                        .or_insert_with(|| (Vec::new(), a.key_span));
                    slot.0.push(a.value.clone());
                }
            }
            let mut out = Attrs {
                span: list.span,
                ..Attrs::default()
            };
            for (k, (values, key_span)) in groups {
                let name = Thunk::ready(Value::string(k.clone(), key_span));
                let partial = Thunk::apply(f.clone(), name, span);
                let values = Thunk::ready(Value::list(values, span));
                out.entries.insert(
                    k,
                    Attr {
                        value: Thunk::native(move |eval| {
                            let g = eval.force(&partial);
                            eval.apply(g, values, span)
                        }),
                        key_span,
                    },
                );
            }
            Value::attrs(out)
        }
        Builtin::FunctionArgs => match eval.force(&args[0]) {
            Value::Lambda(c) => {
                let parsed = eval.sources.parsed(c.file);
                let mut out = Attrs::default();
                if let Expr::Lambda { param, .. } = parsed.ast.expr(c.lambda)
                    && let Param::Pattern { formals, .. } = &**param
                {
                    for f in formals {
                        out.entries.insert(
                            f.name.as_str().into(),
                            Attr {
                                value: Thunk::ready(Value::Bool(f.default.is_some())),
                                key_span: None,
                            },
                        );
                    }
                }
                Value::attrs(out)
            }
            Value::Attrs(a) => match a.get("__functionArgs") {
                Some(x) => {
                    let x = x.value.clone();
                    eval.force(&x)
                }
                None => Value::attrs(Attrs::default()),
            },
            Value::PrimOp(..) => Value::attrs(Attrs::default()),
            other => return Err(eval.expected(other, "a function", span)),
        },
        Builtin::UnsafeGetAttrPos => {
            let name = eval.arg_string(&args[0], span)?;
            let set = eval.arg_attrs(&args[1], span)?;
            match set.get(&name).and_then(|a| a.key_span) {
                Some(at) => {
                    let text = eval.sources.text(at.file);
                    let (line, column) = crate::strings::line_col(&text, at.range.start);
                    let file = eval.sources.path(at.file).display().to_string();
                    let mut out = Attrs::default();
                    for (k, v) in [
                        ("file", Value::string(file, None)),
                        ("line", Value::Int(line as i64)),
                        ("column", Value::Int(column as i64)),
                    ] {
                        out.entries.insert(
                            k.into(),
                            Attr {
                                value: Thunk::ready(v),
                                key_span: None,
                            },
                        );
                    }
                    Value::attrs(out)
                }
                None => Value::Null,
            }
        }
        _ => {
            return Err(Value::error(
                ErrorKind::Other,
                "not an attribute builtin",
                span,
            ));
        }
    })
}

/// `zipAttrsWith f list` where sets of `list` have undecided parts: a name some set holds
/// is there, and one only their parts may hold is a part, there under the conditions
/// some set holds it; its values (`catAttrs`) are undecided where a set holds it under a
/// condition.
fn zip_undecided(
    eval: &mut Eval,
    f: &Value,
    list: &Thunk,
    sets: &[Rc<Attrs>],
    span: Option<Span>,
) -> Arg<Value> {
    let mut names: std::collections::BTreeMap<Rc<str>, Option<Span>> = Default::default();
    for set in sets {
        for (k, a) in &set.entries {
            names.entry(k.clone()).or_insert(a.key_span);
        }
        let undecided = eval.undecided_names(set);
        if let Some(u) = undecided.unknown.first() {
            return Err(Value::Unknown(u.clone()));
        }
        for (k, at) in undecided.names {
            names.entry(k).or_insert(at);
        }
    }
    let mut out = Attrs {
        span: sets.first().and_then(|s| s.span),
        ..Attrs::default()
    };
    let none = Thunk::ready(Value::attrs(Attrs::default()));
    for (k, key_span) in names {
        let members: Vec<Member> = sets.iter().map(|set| eval.member(set, &k)).collect();
        let name = Thunk::ready(Value::string(k.clone(), key_span));
        let (f, list) = (f.clone(), list.clone());
        let entry = Attr {
            value: Thunk::native(move |eval| {
                let values =
                    super::call(eval, Builtin::CatAttrs, &[name.clone(), list.clone()], span);
                let g = eval.apply(f.clone(), name.clone(), span);
                eval.apply(g, Thunk::ready(values), span)
            }),
            key_span,
        };
        let only = Attr {
            value: Thunk::ready(Value::attrs(Attrs {
                entries: [(k.clone(), entry.clone())].into_iter().collect(),
                ..Attrs::default()
            })),
            key_span,
        };
        match Member::any(&members, &only) {
            Member::Absent => {}
            Member::Present(_) => {
                out.entries.insert(k, entry);
            }
            Member::Unknown(u) => return Err(Value::Unknown(u)),
            either => {
                if let Some(Value::Unknown(part)) = eval.member_value(either, &none) {
                    out.unknown_names.push(part);
                }
            }
        }
    }
    Ok(Value::attrs(out))
}

/// A part that is `kept` unless `condition` holds (an `if` tree on undecided conditions
/// whose leaves are Booleans), empty where it does.
fn removed_when(condition: &Unknown, kept: Thunk, span: Option<Span>) -> Unknown {
    let leaf = |t: &Thunk| {
        let (t, kept) = (t.clone(), kept.clone());
        Thunk::native(move |eval| match eval.force(&t) {
            Value::Bool(true) => Value::attrs(Attrs::default()),
            Value::Bool(false) => eval.force(&kept),
            Value::Unknown(u) if !u.reason.is_error() => {
                Value::Unknown(Rc::new(removed_when(&u, kept.clone(), span)))
            }
            other => other,
        })
    };
    let alternatives = match &condition.alternatives {
        Some((then, otherwise)) => (leaf(then), leaf(otherwise)),
        None => (Thunk::ready(Value::attrs(Attrs::default())), kept),
    };
    Unknown {
        alternatives: Some(alternatives),
        ..Unknown::new(Reason::UndecidedCondition, condition.span.or(span))
    }
}

/// A set whose names are all known.
fn known_names(eval: &mut Eval, t: &Thunk, span: Option<Span>) -> Arg<Rc<Attrs>> {
    let set = eval.arg_attrs(t, span)?;
    if let Some(u) = set.unknown_names.first() {
        return Err(Value::Unknown(u.clone()));
    }
    Ok(set)
}

fn unknown_part(s: &crate::value::Str, span: Option<Span>) -> Rc<Unknown> {
    s.first_unknown()
        .cloned()
        .unwrap_or_else(|| Rc::new(Unknown::new(Reason::UndecidedCondition, span)))
}

/// The undecided parts of a set `b` (with `given`, its arguments before the set, or after
/// it for `removeAttrs`) makes a new set of: `b` done to each alternative, so the new set's
/// parts are what `b` makes of the old ones. Parts that are not `if`s stay as they are.
fn each_alternative(
    parts: &[Rc<Unknown>],
    b: Builtin,
    given: &[Thunk],
    span: Option<Span>,
) -> Vec<Rc<Unknown>> {
    parts
        .iter()
        .map(|part| match &part.alternatives {
            Some(_) => Rc::new(applied_to_alternatives(part, b, given, span)),
            None => part.clone(),
        })
        .collect()
}

/// `part` (an `if` on an undecided condition) with `b` applied to each alternative, lazily;
/// an alternative that is itself such an `if` (`if a then … else if b …`) likewise.
fn applied_to_alternatives(
    part: &Unknown,
    b: Builtin,
    given: &[Thunk],
    span: Option<Span>,
) -> Unknown {
    let apply = |alternative: &Thunk| {
        let alternative = alternative.clone();
        let given = given.to_vec();
        Thunk::native(move |eval| match eval.force(&alternative) {
            Value::Unknown(u) if u.alternatives.is_some() && !u.reason.is_error() => {
                Value::Unknown(Rc::new(applied_to_alternatives(&u, b, &given, span)))
            }
            _ => {
                let args: Vec<Thunk> = match b {
                    Builtin::RemoveAttrs => [alternative].into_iter().chain(given).collect(),
                    _ => given.into_iter().chain([alternative]).collect(),
                };
                super::call(eval, b, &args, span)
            }
        })
    };
    let alternatives = part
        .alternatives
        .as_ref()
        .map(|(then, otherwise)| (apply(then), apply(otherwise)));
    Unknown {
        alternatives,
        ..part.clone()
    }
}
