//! What a `flake.nix` declares (its inputs, their URLs and `follows`), and its outputs
//! applied to the inputs as the analyser models them, with `self` the outputs.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use nix_eval::{Attr, Attrs, Eval, Thunk, Value};
use nix_source::Span;
use nix_syntax::{Expr, Param};

use crate::configurations::Found;
use crate::inputs::{input, ready};
use crate::model::{Flake, FlakeInput};

/// The known string at `name` of `value`, with where it is written.
fn string_at(eval: &mut Eval, value: &Value, name: &str) -> Option<(String, Option<Span>)> {
    let Value::Attrs(a) = value else { return None };
    let thunk = a.get(name)?.value.clone();
    let span = eval.thunk_span(&thunk);
    let v = eval.force(&thunk);
    v.as_str().map(|s| (s.to_string(), span.or(v.span())))
}

/// An input's URL: `inputs.x = "…";` or `inputs.x.url = "…";`.
fn input_url(eval: &mut Eval, value: &Value) -> Option<String> {
    match value {
        Value::Str(s) => s.as_known().map(|s| s.to_string()),
        _ => string_at(eval, value, "url").map(|(url, _)| url),
    }
}

fn declared_inputs(eval: &mut Eval, flake: &Value) -> Vec<(Rc<str>, Attr, Value)> {
    let Some(inputs) = flake
        .as_attrs()
        .and_then(|a| a.get("inputs"))
        .map(|a| a.value.clone())
    else {
        return Vec::new();
    };
    let Value::Attrs(inputs) = eval.force(&inputs) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, attr) in &inputs.entries {
        let value = eval.force(&attr.value);
        out.push((name.clone(), attr.clone(), value));
    }
    out
}

pub(crate) fn model(eval: &mut Eval, flake: &Value, span: Span) -> Flake {
    let inputs_span = flake
        .as_attrs()
        .and_then(|a| a.get("inputs"))
        .and_then(|a| a.key_span);
    let mut inputs = Vec::new();
    for (name, attr, value) in declared_inputs(eval, flake) {
        let url = input_url(eval, &value);
        let mut follows = Vec::new();
        if let Some(nested) = value
            .as_attrs()
            .and_then(|a| a.get("inputs"))
            .map(|a| a.value.clone())
            && let Value::Attrs(nested) = eval.force(&nested)
        {
            for (input, n) in &nested.entries {
                let v = eval.force(&n.value);
                if let Some((target, at)) = string_at(eval, &v, "follows") {
                    let at = at.or(n.key_span).unwrap_or(span);
                    follows.push((input.to_string(), target, at));
                }
            }
        }
        inputs.push(FlakeInput {
            name: name.to_string(),
            span: attr.key_span.unwrap_or(span),
            url,
            follows,
        });
    }
    Flake {
        span,
        inputs,
        inputs_span,
        used_inputs: used_inputs(eval, flake),
    }
}

/// The inputs `outputs` asks for by name: `{ self, nixpkgs, ... }`.
fn used_inputs(eval: &mut Eval, flake: &Value) -> Vec<(String, Span)> {
    let Some(outputs) = flake
        .as_attrs()
        .and_then(|a| a.get("outputs"))
        .map(|a| a.value.clone())
    else {
        return Vec::new();
    };
    let Value::Lambda(closure) = eval.force(&outputs) else {
        return Vec::new();
    };
    let parsed = eval.sources().parsed(closure.file);
    match parsed.ast.expr(closure.lambda) {
        Expr::Lambda { param, .. } => match &**param {
            Param::Pattern { formals, .. } => formals
                .iter()
                .map(|f| (f.name.clone(), Span::new(closure.file, f.range)))
                .collect(),
            Param::Ident { .. } => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// `outputs` applied to the inputs; `self` is the result, with `outPath` the root of the
/// flake's source (`dir`: the git repository holding it, else its directory) and `inputs`
/// the inputs.
pub(crate) fn outputs(
    eval: &mut Eval,
    flake: &Value,
    found: &Rc<RefCell<Found>>,
    dir: &Path,
) -> Value {
    let Some(outputs) = flake
        .as_attrs()
        .and_then(|a| a.get("outputs"))
        .map(|a| a.value.clone())
    else {
        return Value::error(
            nix_eval::ErrorKind::MissingAttribute,
            "the flake has no `outputs`",
            None,
        );
    };
    let function = eval.force(&outputs);
    let mut attrs = Attrs::default();
    for (name, _, value) in declared_inputs(eval, flake) {
        let url = input_url(eval, &value);
        attrs.entries.insert(
            name.clone(),
            ready(input(eval, found, &name, url.as_deref())),
        );
    }
    // Inputs the outputs ask for but the flake does not declare come from the registry.
    if let Value::Lambda(closure) = &function {
        let parsed = eval.sources().parsed(closure.file);
        if let Expr::Lambda { param, .. } = parsed.ast.expr(closure.lambda)
            && let Param::Pattern { formals, .. } = &**param
        {
            for f in formals {
                if f.name != "self" && !attrs.entries.contains_key(f.name.as_str()) {
                    let v = input(eval, found, &f.name, None);
                    attrs.entries.insert(f.name.as_str().into(), ready(v));
                }
            }
        }
    }
    let inputs_only = Value::attrs(attrs.clone());
    let result: Rc<RefCell<Option<Thunk>>> = Rc::new(RefCell::new(None));
    let self_thunk = {
        let result = result.clone();
        let dir = dir.display().to_string();
        let inputs_only = inputs_only.clone();
        eval.lazy(move |eval| {
            let Some(outputs) = result.borrow().clone() else {
                return Value::Null;
            };
            let mut out = match eval.force(&outputs) {
                Value::Attrs(a) => (*a).clone(),
                other => return other,
            };
            out.entries
                .insert("outPath".into(), ready(Value::string(dir.as_str(), None)));
            out.entries
                .insert("inputs".into(), ready(inputs_only.clone()));
            let outputs_value = Value::attrs(out.clone());
            out.entries.insert("outputs".into(), ready(outputs_value));
            out.entries
                .insert("_type".into(), ready(Value::string("flake", None)));
            Value::attrs(out)
        })
    };
    attrs.entries.insert(
        "self".into(),
        Attr {
            value: self_thunk,
            key_span: None,
        },
    );
    let applied = Thunk::apply(function, Thunk::ready(Value::attrs(attrs)), None);
    eval.register_for_teardown(&applied);
    *result.borrow_mut() = Some(applied.clone());
    eval.force(&applied)
}
