//! `homeManagerConfiguration`, `nixosSystem` and `darwinSystem`: each call evaluates its
//! modules with the module system and is remembered, so the flake's outputs can be
//! walked afterwards. Calls of functions the analyser does not know are recognised by
//! the shape of their argument (a set with `modules`).

use std::cell::RefCell;
use std::rc::Rc;

use nix_eval::{Attr, Attrs, Eval, Reason, Thunk, Value};
use nix_modules::{EvalModules, ModuleInput, Modules, eval_modules};
use nix_source::Span;

use crate::inputs::{hm_lib, open, ready};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConfigKind {
    Home,
    Nixos,
    Darwin,
}

impl ConfigKind {
    pub(crate) fn function(self) -> &'static str {
        match self {
            ConfigKind::Home => "homeManagerConfiguration",
            ConfigKind::Nixos => "nixosSystem",
            ConfigKind::Darwin => "darwinSystem",
        }
    }
}

/// One evaluated configuration.
pub(crate) struct Configuration {
    pub(crate) modules: Modules,
    /// How many modules its `modules` list names.
    pub(crate) listed: usize,
    /// It is known to target macOS.
    pub(crate) darwin: bool,
}

#[derive(Default)]
pub(crate) struct Found {
    pub(crate) configurations: Vec<Configuration>,
}

/// The marker attribute that says which configuration a value is.
pub(crate) const MARKER: &str = "__hmConfiguration";

/// Evaluates a `homeManagerConfiguration`/`nixosSystem`/`darwinSystem` call with `arg`.
pub(crate) fn configuration(
    eval: &mut Eval,
    found: &Rc<RefCell<Found>>,
    kind: ConfigKind,
    arg: Thunk,
    span: Option<Span>,
) -> Value {
    let arg = eval.force(&arg);
    let Value::Attrs(arg) = arg else {
        return eval_unknown(&arg, span);
    };
    let (modules, listed) = module_list(eval, arg.get("modules"));
    let mut special = Attrs::default();
    let extra = match kind {
        ConfigKind::Home => "extraSpecialArgs",
        _ => "specialArgs",
    };
    if let Some(extra) = arg.get(extra) {
        let extra = extra.value.clone();
        if let Value::Attrs(a) = eval.force(&extra) {
            special = (*a).clone();
        }
    }
    let lib = match kind {
        ConfigKind::Home => hm_lib(eval),
        _ => eval.lib(),
    };
    let mut darwin = kind == ConfigKind::Darwin;
    if kind == ConfigKind::Home
        && let Some(pkgs) = arg.get("pkgs")
    {
        darwin = darwin_pkgs(eval, &pkgs.value);
        special
            .entries
            .entry("pkgs".into())
            .or_insert_with(|| pkgs.clone());
    }
    let modules = eval_modules(
        eval,
        EvalModules {
            modules,
            special_args: Rc::new(special),
            lib,
            open: true,
        },
    );
    let index = {
        let mut found = found.borrow_mut();
        found.configurations.push(Configuration {
            modules: modules.clone(),
            listed,
            darwin,
        });
        found.configurations.len() - 1
    };
    let mut result = Attrs {
        span,
        ..Attrs::default()
    };
    result
        .entries
        .insert(MARKER.into(), ready(Value::Int(index as i64)));
    let config = Thunk::native(move |eval| modules.config(eval));
    eval.register_for_teardown(&config);
    result.entries.insert(
        "config".into(),
        Attr {
            value: config,
            key_span: None,
        },
    );
    open(kind.function(), result)
}

/// Whether a `pkgs` is known to be for macOS: `nixpkgs.legacyPackages.aarch64-darwin`,
/// `import nixpkgs { system = "x86_64-darwin"; }`, or a set whose `system` says so.
fn darwin_pkgs(eval: &mut Eval, pkgs: &Thunk) -> bool {
    let is_darwin = |system: &str| system.ends_with("-darwin");
    let system_of = |eval: &mut Eval, value: &Value| {
        let Value::Attrs(a) = value else {
            return false;
        };
        let Some(system) = a.get("system").map(|s| s.value.clone()) else {
            return false;
        };
        eval.force(&system).as_str().is_some_and(|s| is_darwin(&s))
    };
    match eval.force(pkgs) {
        Value::Unknown(u) => {
            let named = u
                .external_name()
                .is_some_and(|n| n.split('.').any(is_darwin));
            let arg = u.args.first().cloned();
            named
                || arg.is_some_and(|arg| {
                    let arg = eval.force(&arg);
                    system_of(eval, &arg)
                })
        }
        known => system_of(eval, &known),
    }
}

fn eval_unknown(value: &Value, span: Option<Span>) -> Value {
    match value {
        Value::Unknown(_) => value.clone(),
        other => Value::error(
            nix_eval::ErrorKind::Type,
            format!("expected a set of arguments, not {}", other.type_name()),
            span,
        ),
    }
}

/// The modules of a `modules = [ … ]` list, each with where it is written.
pub(crate) fn module_list(eval: &mut Eval, list: Option<&Attr>) -> (Vec<ModuleInput>, usize) {
    let Some(list) = list else {
        return (Vec::new(), 0);
    };
    let list = list.value.clone();
    match eval.force(&list) {
        Value::List(items) => {
            let inputs: Vec<ModuleInput> = items
                .items
                .iter()
                .map(|t| ModuleInput {
                    value: t.clone(),
                    span: eval.thunk_span(t),
                })
                .collect();
            let n = inputs.len();
            (inputs, n)
        }
        other => {
            let span = eval.thunk_span(&list);
            (
                vec![ModuleInput {
                    value: Thunk::ready(other),
                    span,
                }],
                1,
            )
        }
    }
}

/// The configuration a value of `homeConfigurations`/`nixosConfigurations`/… is: one
/// made by a known function, or a call of an unknown one whose argument has `modules`.
pub(crate) fn recognise(
    eval: &mut Eval,
    found: &Rc<RefCell<Found>>,
    kind: ConfigKind,
    value: &Value,
    span: Option<Span>,
) -> Result<usize, Value> {
    match value {
        Value::Attrs(a) => {
            if let Some(m) = a.get(MARKER) {
                let m = m.value.clone();
                if let Value::Int(i) = eval.force(&m) {
                    return Ok(i as usize);
                }
            }
            Err(value.clone())
        }
        Value::Unknown(u) if matches!(u.reason, Reason::External { .. }) => {
            let Some(arg) = u.args.first() else {
                return Err(value.clone());
            };
            let shaped =
                matches!(eval.force(arg), Value::Attrs(ref a) if a.get("modules").is_some());
            if !shaped {
                return Err(value.clone());
            }
            let made = configuration(eval, found, kind, arg.clone(), span);
            recognise(eval, found, kind, &made, span)
        }
        _ => Err(value.clone()),
    }
}
