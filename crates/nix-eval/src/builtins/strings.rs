//! String builtins. Strings with unknown parts keep them where the result is a
//! concatenation (`toString`, `concatStringsSep`); other results need every part known.

use std::rc::Rc;

use nix_source::Span;

use super::{Arg, Builtin};
use crate::eval::Eval;
use crate::value::{Attr, Attrs, ErrorKind, Reason, Str, Thunk, Value};

pub(super) fn call(eval: &mut Eval, b: Builtin, args: &[Thunk], span: Option<Span>) -> Arg<Value> {
    Ok(match b {
        Builtin::ToString => {
            let v = eval.force(&args[0]);
            Value::Str(Rc::new(eval.coerce_to_string(&v, true, span)?))
        }
        Builtin::ConcatStringsSep => {
            let sep = eval.force(&args[0]);
            let sep = eval.arg_str(&sep, span)?;
            let list = eval.arg_list(&args[1], span)?;
            let mut parts = Vec::new();
            for (i, item) in list.items.iter().enumerate() {
                if i > 0 {
                    crate::strings::push_parts(&mut parts, &sep.parts);
                }
                let item = eval.force(item);
                let s = eval.arg_str(&item, span)?;
                crate::strings::push_parts(&mut parts, &s.parts);
            }
            Value::Str(Rc::new(Str { parts, span }))
        }
        Builtin::ReplaceStrings => {
            let from = eval.arg_list(&args[0], span)?;
            let to = eval.arg_list(&args[1], span)?;
            if from.items.len() != to.items.len() {
                return Err(Value::error(
                    ErrorKind::Other,
                    "'from' and 'to' arguments passed to builtins.replaceStrings have different lengths",
                    span,
                ));
            }
            let mut pairs = Vec::new();
            for (f, t) in from.items.iter().zip(&to.items) {
                let f = eval.arg_string(f, span)?;
                let t = eval.arg_string(t, span)?;
                pairs.push((f, t));
            }
            let s = eval.arg_string(&args[2], span)?;
            Value::string(replace_strings(&s, &pairs), span)
        }
        Builtin::Substring => {
            let start = eval.arg_int(&args[0], span)?;
            let len = eval.arg_int(&args[1], span)?;
            if start < 0 {
                return Err(Value::error(
                    ErrorKind::Other,
                    "negative start position in 'substring'",
                    span,
                ));
            }
            let start = start as usize;
            let s = eval.force(&args[2]);
            let s = eval.arg_str(&s, span)?;
            if let Some(text) = s.as_known() {
                let bytes = text.as_bytes();
                let start = start.min(bytes.len());
                let end = if len < 0 {
                    bytes.len()
                } else {
                    start.saturating_add(len as usize).min(bytes.len())
                };
                return Ok(Value::string(
                    String::from_utf8_lossy(&bytes[start..end]).into_owned(),
                    span,
                ));
            }
            // Store paths have a known length and known text but for the hash.
            let end = if len < 0 {
                usize::MAX
            } else {
                start.saturating_add(len as usize)
            };
            match crate::store_text::substring(&s, start, end) {
                Some(sub) => Value::Str(Rc::new(Str { span, ..sub })),
                None => return Err(eval.unknown_string(&s, span)),
            }
        }
        Builtin::StringLength => {
            let s = eval.force(&args[0]);
            let s = eval.arg_str(&s, span)?;
            match crate::store_text::length(&s) {
                Some(len) => Value::Int(len as i64),
                None => return Err(eval.unknown_string(&s, span)),
            }
        }
        Builtin::Match => {
            let re = eval.arg_string(&args[0], span)?;
            // `.*text.*` (`lib.hasInfix`) on a string holding a store path: decided where
            // the hash cannot matter.
            if let Value::Str(s) = eval.force(&args[1])
                && s.as_known().is_none()
                && let Some(text) = infix_literal(&re)
                && let Some(found) = crate::store_text::contains(&s, text.as_bytes())
            {
                return Ok(match found {
                    true => Value::list(Vec::new(), span),
                    false => Value::Null,
                });
            }
            let s = eval.arg_string(&args[1], span)?;
            let re = regex(&format!("^(?:{re})$"), span)?;
            match re.captures(&s) {
                None => Value::Null,
                Some(caps) => {
                    let items = caps
                        .iter()
                        .skip(1)
                        .map(|m| {
                            Thunk::ready(m.map_or(Value::Null, |m| Value::string(m.as_str(), span)))
                        })
                        .collect();
                    Value::list(items, span)
                }
            }
        }
        Builtin::Split => {
            let re = eval.arg_string(&args[0], span)?;
            let s = eval.arg_string(&args[1], span)?;
            let re = regex(&re, span)?;
            let mut items = Vec::new();
            let mut last = 0;
            for caps in re.captures_iter(&s) {
                let Some(whole) = caps.get(0) else { continue };
                items.push(Thunk::ready(Value::string(&s[last..whole.start()], span)));
                let groups = caps
                    .iter()
                    .skip(1)
                    .map(|m| {
                        Thunk::ready(m.map_or(Value::Null, |m| Value::string(m.as_str(), span)))
                    })
                    .collect();
                items.push(Thunk::ready(Value::list(groups, span)));
                last = whole.end();
            }
            items.push(Thunk::ready(Value::string(&s[last..], span)));
            Value::list(items, span)
        }
        Builtin::ToJSON => {
            let v = eval.force(&args[0]);
            let json = crate::builtins::misc::to_json(eval, &v, span, 64)?;
            Value::string(json.to_string(), span)
        }
        Builtin::FromJSON => {
            let s = eval.arg_string(&args[0], span)?;
            match serde_json::from_str::<serde_json::Value>(&s) {
                Ok(j) => from_json(&j, span),
                Err(e) => {
                    return Err(Value::error(
                        ErrorKind::Other,
                        format!("invalid JSON: {e}"),
                        span,
                    ));
                }
            }
        }
        Builtin::FromTOML => {
            let s = eval.arg_string(&args[0], span)?;
            match s.parse::<toml::Table>() {
                Ok(t) => from_toml(&toml::Value::Table(t), span),
                Err(e) => {
                    return Err(Value::error(
                        ErrorKind::Other,
                        format!("invalid TOML: {e}"),
                        span,
                    ));
                }
            }
        }
        Builtin::CompareVersions => {
            let a = eval.arg_string(&args[0], span)?;
            let c = eval.arg_string(&args[1], span)?;
            Value::Int(match compare_versions(&a, &c) {
                std::cmp::Ordering::Less => -1,
                std::cmp::Ordering::Equal => 0,
                std::cmp::Ordering::Greater => 1,
            })
        }
        Builtin::SplitVersion => {
            let a = eval.arg_string(&args[0], span)?;
            let items = version_components(&a)
                .into_iter()
                .map(|c| Thunk::ready(Value::string(c, span)))
                .collect();
            Value::list(items, span)
        }
        Builtin::ParseDrvName => {
            let s = eval.arg_string(&args[0], span)?;
            let split = s
                .char_indices()
                .find(|(i, c)| {
                    *c == '-'
                        && s[i + 1..]
                            .chars()
                            .next()
                            .is_some_and(|n| !n.is_alphabetic())
                })
                .map(|(i, _)| i);
            let (name, version) = match split {
                Some(i) => (&s[..i], &s[i + 1..]),
                None => (&s[..], ""),
            };
            let mut out = Attrs::default();
            for (k, v) in [("name", name), ("version", version)] {
                out.entries.insert(
                    k.into(),
                    Attr {
                        value: Thunk::ready(Value::string(v, span)),
                        key_span: None,
                    },
                );
            }
            Value::attrs(out)
        }
        Builtin::UnsafeDiscardStringContext | Builtin::UnsafeDiscardOutputDependency => {
            eval.force(&args[0])
        }
        Builtin::AppendContext => eval.force(&args[0]),
        Builtin::HasContext => {
            let v = eval.force(&args[0]);
            let s = eval.arg_str(&v, span)?;
            Value::Bool(s.first_unknown().is_some())
        }
        Builtin::GetContext => Value::attrs(Attrs::default()),
        Builtin::HashString | Builtin::ToXML => {
            return Err(Value::unknown(
                Reason::Unsupported {
                    builtin: b.name().into(),
                },
                span,
            ));
        }
        _ => return Err(Value::error(ErrorKind::Other, "not a string builtin", span)),
    })
}

fn regex(re: &str, span: Option<Span>) -> Arg<regex::Regex> {
    regex::RegexBuilder::new(re)
        .size_limit(1 << 20)
        .build()
        .map_err(|_| {
            Value::unknown(
                Reason::Unsupported {
                    builtin: "regular expression".into(),
                },
                span,
            )
        })
}

fn replace_strings(s: &str, pairs: &[(Rc<str>, Rc<str>)]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let bytes = s.as_bytes();
    while i <= bytes.len() {
        let mut matched = false;
        for (from, to) in pairs {
            if s[i..].starts_with(from.as_ref()) {
                out.push_str(to);
                if from.is_empty() {
                    if let Some(c) = s[i..].chars().next() {
                        out.push(c);
                        i += c.len_utf8();
                    } else {
                        i += 1;
                    }
                } else {
                    i += from.len();
                }
                matched = true;
                break;
            }
        }
        if !matched {
            match s[i..].chars().next() {
                Some(c) => {
                    out.push(c);
                    i += c.len_utf8();
                }
                None => break,
            }
        }
    }
    out
}

/// A list of values read from data (JSON, TOML), all at `span`.
fn list_of(items: impl Iterator<Item = Value>, span: Option<Span>) -> Value {
    Value::list(items.map(Thunk::ready).collect(), span)
}

/// A set of values read from data (JSON, TOML), all at `span`.
fn set_of<'a>(entries: impl Iterator<Item = (&'a str, Value)>, span: Option<Span>) -> Value {
    let mut out = Attrs {
        span,
        ..Attrs::default()
    };
    for (k, v) in entries {
        out.entries.insert(
            k.into(),
            Attr {
                value: Thunk::ready(v),
                key_span: span,
            },
        );
    }
    Value::attrs(out)
}

pub(crate) fn from_json(j: &serde_json::Value, span: Option<Span>) -> Value {
    match j {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::string(s.as_str(), span),
        serde_json::Value::Array(items) => list_of(items.iter().map(|i| from_json(i, span)), span),
        serde_json::Value::Object(map) => set_of(
            map.iter().map(|(k, v)| (k.as_str(), from_json(v, span))),
            span,
        ),
    }
}

fn from_toml(t: &toml::Value, span: Option<Span>) -> Value {
    match t {
        toml::Value::String(s) => Value::string(s.as_str(), span),
        toml::Value::Integer(i) => Value::Int(*i),
        toml::Value::Float(f) => Value::Float(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::string(d.to_string(), span),
        toml::Value::Array(items) => list_of(items.iter().map(|i| from_toml(i, span)), span),
        toml::Value::Table(map) => set_of(
            map.iter().map(|(k, v)| (k.as_str(), from_toml(v, span))),
            span,
        ),
    }
}

fn version_components(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut digits = None;
    for c in v.chars() {
        if c == '.' || c == '-' {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            digits = None;
            continue;
        }
        let is_digit = c.is_ascii_digit();
        if digits.is_some_and(|d| d != is_digit) && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        digits = Some(is_digit);
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (a, b) = (version_components(a), version_components(b));
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).map(String::as_str).unwrap_or("");
        let y = b.get(i).map(String::as_str).unwrap_or("");
        let ord = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(p), Ok(q)) => p.cmp(&q),
            _ if x.is_empty() && y.parse::<u64>().is_ok() => Ordering::Less,
            _ if y.is_empty() && x.parse::<u64>().is_ok() => Ordering::Greater,
            _ if x == "pre" => Ordering::Less,
            _ if y == "pre" => Ordering::Greater,
            (Ok(_), Err(_)) => Ordering::Greater,
            (Err(_), Ok(_)) => Ordering::Less,
            _ => x.cmp(y),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// The text `t` of a regular expression `.*t.*` whose middle is literal (characters that
/// are not operators, or escaped ones, as `lib.escapeRegex` writes them).
fn infix_literal(re: &str) -> Option<String> {
    let middle = re.strip_prefix(".*")?.strip_suffix(".*")?;
    let mut out = String::new();
    let mut chars = middle.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '.' | '[' | ']' | '{' | '}' | '(' | ')' | '*' | '+' | '?' | '^' | '$' | '|' => {
                return None;
            }
            c => out.push(c),
        }
    }
    Some(out)
}
