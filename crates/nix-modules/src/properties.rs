//! A definition with its module-system properties put back (`mkOverride`, `mkIf`), so
//! another module evaluation sees it as written.

use nix_eval::{Attr, Attrs, Thunk, Value};

use crate::defs::{Condition, DEFAULT_PRIORITY, Def};

/// The definition's value under its priority and conditions.
pub(crate) fn wrap(def: &Def) -> Thunk {
    let mut value = Thunk::ready(def.value.clone());
    if def.priority != DEFAULT_PRIORITY {
        value = property(
            "override",
            [
                ("priority", Thunk::ready(Value::Int(def.priority))),
                ("content", value),
            ],
        );
    }
    for c in def.conditions.iter().rev() {
        value = property("if", [("condition", condition(c)), ("content", value)]);
    }
    value
}

/// The condition as a value that holds when the definition does (the `else` branch of an
/// `if` is guarded by the negated condition).
fn condition(c: &Condition) -> Thunk {
    if !c.negated {
        return c.value.clone();
    }
    let value = c.value.clone();
    Thunk::native(move |eval| match eval.force(&value) {
        Value::Bool(b) => Value::Bool(!b),
        other => other,
    })
}

/// `{ _type = kind; … }`, a module-system property.
fn property<const N: usize>(kind: &str, fields: [(&str, Thunk); N]) -> Thunk {
    let mut attrs = Attrs::default();
    attrs.entries.insert(
        "_type".into(),
        Attr {
            value: Thunk::ready(Value::string(kind, None)),
            key_span: None,
        },
    );
    for (name, value) in fields {
        attrs.entries.insert(
            name.into(),
            Attr {
                value,
                key_span: None,
            },
        );
    }
    Thunk::ready(Value::attrs(attrs))
}
