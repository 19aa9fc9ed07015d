//! Strings with unknown parts: building them and coercing values to them.

use std::rc::Rc;

use nix_source::Span;

use crate::eval::Eval;
use crate::value::{ErrorKind, Part, Str, Unknown, Value};

pub(crate) fn push_text(parts: &mut Vec<Part>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Part::Text(last)) = parts.last_mut() {
        let mut joined = String::with_capacity(last.len() + text.len());
        joined.push_str(last);
        joined.push_str(text);
        *last = joined.into();
    } else {
        parts.push(Part::Text(text.into()));
    }
}

pub(crate) fn push_parts(parts: &mut Vec<Part>, more: &[Part]) {
    for part in more {
        match part {
            Part::Text(t) => push_text(parts, t),
            Part::Unknown(u) => parts.push(Part::Unknown(u.clone())),
        }
    }
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_col(text: &str, offset: u32) -> (usize, usize) {
    let before = text.get(..offset as usize).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

impl Eval {
    /// Coerces as string interpolation does (`lenient` = `toString`, which also takes
    /// numbers, booleans, null and lists). Unknown values become unknown parts; errors
    /// are returned as the value to propagate.
    pub fn coerce_to_string(
        &mut self,
        value: &Value,
        lenient: bool,
        span: Option<Span>,
    ) -> Result<Str, Value> {
        let known = |text: String| Ok(Str::known(text, span));
        match value {
            Value::Str(s) => Ok((**s).clone()),
            Value::Path(p) => {
                if lenient {
                    return known(p.display().to_string());
                }
                // Interpolating a path copies it to the store.
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                Ok(Str::copied(&name, Some(Rc::from(p.as_path())), span))
            }
            Value::Unknown(u) if u.reason.is_error() => Err(value.clone()),
            Value::Unknown(u) => Ok(Str {
                parts: vec![Part::Unknown(Rc::new(Unknown::new(
                    u.reason.clone(),
                    span.or(u.span),
                )))],
                span,
            }),
            Value::Attrs(a) => {
                if let Some(f) = a.get("__toString") {
                    let f = f.value.clone();
                    let f = self.force(&f);
                    let result = self.apply(f, crate::value::Thunk::ready(value.clone()), span);
                    return self.coerce_to_string(&result, lenient, span);
                }
                if let Some(out) = a.get("outPath") {
                    let out = out.value.clone();
                    let out = self.force(&out);
                    return self.coerce_to_string(&out, lenient, span);
                }
                // An open set (a flake input): its `outPath` comes from outside.
                if let Some(out) = self.select(value, "outPath", span) {
                    return self.coerce_to_string(&out, lenient, span);
                }
                Err(Value::error(
                    ErrorKind::Type,
                    "cannot coerce a set to a string",
                    span,
                ))
            }
            Value::Int(i) if lenient => known(i.to_string()),
            Value::Float(f) if lenient => known(format!("{f:.6}")),
            Value::Bool(true) if lenient => known("1".into()),
            Value::Bool(false) | Value::Null if lenient => known(String::new()),
            Value::List(l) if lenient => {
                let mut parts = Vec::new();
                for (i, item) in l.items.iter().enumerate() {
                    if i > 0 {
                        push_text(&mut parts, " ");
                    }
                    let item = self.force(item);
                    let s = self.coerce_to_string(&item, true, span)?;
                    push_parts(&mut parts, &s.parts);
                }
                Ok(Str { parts, span })
            }
            other => Err(Value::error(
                ErrorKind::Type,
                format!("cannot coerce {} to a string", other.type_name()),
                span,
            )),
        }
    }
}
