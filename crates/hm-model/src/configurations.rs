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
use crate::packages;

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
    /// The system its packages are for, when known.
    pub(crate) system: Option<String>,
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
    let (mut modules, listed) = module_list(eval, arg.get("modules"));
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
    // The package set modules get, and the system it is for when the call says.
    let given = arg.get("pkgs").map(|p| p.value.clone());
    let mut system = match &given {
        Some(pkgs) => {
            let pkgs = eval.force(pkgs);
            packages::system_of(eval, &pkgs)
        }
        None => None,
    };
    if system.is_none()
        && kind != ConfigKind::Home
        && let Some(s) = arg.get("system").map(|s| s.value.clone())
    {
        system = eval.force(&s).as_str().map(|s| s.to_string());
    }
    if !special.entries.contains_key("pkgs") {
        let pkgs = match (&given, &system) {
            // A set hm models (`legacyPackages.<system>`) as it is; an unread one
            // (`import nixpkgs { … }`) as the package set of its system.
            (Some(pkgs), _) if eval.force(pkgs).as_attrs().is_some() => Some(pkgs.clone()),
            (_, Some(system)) => Some(Thunk::ready(packages::package_set(eval, system))),
            (Some(pkgs), None) => Some(pkgs.clone()),
            (None, None) => None,
        };
        match pkgs {
            Some(pkgs) => {
                special.entries.insert(
                    "pkgs".into(),
                    Attr {
                        value: pkgs,
                        key_span: None,
                    },
                );
            }
            // A host that names its platform in its modules (`nixpkgs.hostPlatform`).
            None if kind != ConfigKind::Home => modules.push(ModuleInput::new(
                Thunk::ready(packages::host_packages_module()),
                None,
            )),
            None => {}
        }
    }
    let darwin =
        kind == ConfigKind::Darwin || system.as_deref().is_some_and(|s| s.ends_with("-darwin"));
    let modules = eval_modules(
        eval,
        EvalModules {
            modules,
            special_args: Rc::new(special),
            lib,
            open: true,
            unread_names: nix_modules::UnreadNames::Anywhere,
        },
    );
    let index = {
        let mut found = found.borrow_mut();
        found.configurations.push(Configuration {
            modules: modules.clone(),
            listed,
            darwin,
            system,
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
    let config = eval.lazy(move |eval| modules.config(eval));
    result.entries.insert(
        "config".into(),
        Attr {
            value: config,
            key_span: None,
        },
    );
    open(kind.function(), result)
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
    // `[ ./host.nix ] ++ x`, `x` only Nix knows: the known modules are read.
    let (items, rest) = eval.force(&list).list_items();
    let n = items.len() + usize::from(rest.is_some());
    let mut inputs: Vec<ModuleInput> = items
        .iter()
        .map(|t| ModuleInput::new(t.clone(), eval.thunk_span(t)))
        .collect();
    if let Some(rest) = rest {
        inputs.push(ModuleInput::new(Thunk::ready(rest), eval.thunk_span(&list)));
    }
    (inputs, n)
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
