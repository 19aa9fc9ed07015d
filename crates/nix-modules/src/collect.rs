//! Collecting modules: paths are imported (each file once), functions applied to the
//! module arguments, `imports` followed, `disabledModules` removed.

use std::collections::HashSet;
use std::path::PathBuf;
use std::rc::Rc;

use nix_eval::{Attr, Attrs, Eval, Reason, Thunk, Unknown, Value};
use nix_source::{FileId, Span};
use nix_syntax::{Expr, Param};

use crate::{Module, ModuleInput, Modules, OpaqueModule};

/// Keys a full module may have; a set with none of `config`/`options` is shorthand for
/// its `config`.
const MODULE_KEYS: &[&str] = &[
    "imports",
    "options",
    "config",
    "_file",
    "key",
    "disabledModules",
    "meta",
    "freeformType",
    "_class",
];

const MAX_MODULES: usize = 20_000;

/// The module sets a module was imported through, innermost first: a set among its own
/// ancestors imports itself (`let m = { imports = [ m ]; }; in m`), which Nix never ends.
/// (Held, so no other set takes an ancestor's address while its imports are collected.)
struct Ancestors {
    set: Rc<Attrs>,
    parent: Option<Rc<Ancestors>>,
}

impl Ancestors {
    fn contains(chain: &Option<Rc<Ancestors>>, set: &Rc<Attrs>) -> bool {
        let mut at = chain.as_deref();
        while let Some(link) = at {
            if Rc::ptr_eq(&link.set, set) {
                return true;
            }
            at = link.parent.as_deref();
        }
        false
    }
}

pub(crate) fn collect(eval: &mut Eval, modules: &Modules, inputs: Vec<ModuleInput>) {
    let mut seen_files: HashSet<FileId> = HashSet::new();
    let mut disabled: Vec<PathBuf> = Vec::new();
    let mut collected: Vec<(Option<PathBuf>, Module)> = Vec::new();
    let mut stack: Vec<(ModuleInput, Option<FileId>, Option<Rc<Ancestors>>)> =
        inputs.into_iter().rev().map(|i| (i, None, None)).collect();
    while let Some((input, parent_file, ancestors)) = stack.pop() {
        if collected.len() >= MAX_MODULES {
            break;
        }
        let mut value = eval.force(&input.value);
        let mut file = parent_file;
        let mut path = None;
        // `"${self}/home.nix"`: a string naming an absolute path is a path to the module system.
        if let Some(text) = value.as_str().filter(|t| t.starts_with('/')) {
            value = Value::Path(std::rc::Rc::new(PathBuf::from(text.as_ref())));
        } else if let Some(path) = match &value {
            Value::Str(s) => s.source_path(),
            _ => None,
        } {
            // `"${./hm}/bob.nix"`: the store copy of `./hm/bob.nix`.
            value = Value::Path(std::rc::Rc::new(path));
        }
        if let Value::Path(p) = &value {
            let p = (**p).clone();
            match eval.sources_mut().import(&p, input.span) {
                Ok(id) => {
                    if !seen_files.insert(id) {
                        continue;
                    }
                    file = Some(id);
                    path = Some(eval.sources().path(id));
                    value = eval.import_file(id);
                }
                Err(_) => {
                    let v = eval.import_path(&p, input.span);
                    opaque(modules, input.span, &v);
                    continue;
                }
            }
        }
        if let Value::Lambda(_) | Value::PrimOp(..) = &value {
            let args = module_args(eval, modules, &value);
            value = eval.apply(value, Thunk::ready(Value::attrs(args)), input.span);
        }
        let attrs = match &value {
            Value::Attrs(a) => a.clone(),
            other => {
                opaque(modules, input.span, other);
                continue;
            }
        };
        if Ancestors::contains(&ancestors, &attrs) {
            let reason = Reason::error(
                nix_eval::ErrorKind::Other,
                "this module imports itself: Nix's evaluation would never end",
            );
            opaque(modules, input.span, &Value::unknown(reason, input.span));
            continue;
        }
        if attrs.get("_type").is_some() && !has_module_shape(&attrs) {
            // `mkIf …`/`mkMerge …` as a whole module: shorthand for its `config`.
            collected.push((
                path,
                Module {
                    file,
                    span: input.span,
                    config: Thunk::ready(value.clone()),
                    options: None,
                    conditions: input.conditions.clone(),
                },
            ));
            continue;
        }
        let full = attrs.get("config").is_some() || attrs.get("options").is_some();
        let config = if full {
            attrs
                .get("config")
                .map(|a| a.value.clone())
                .unwrap_or_else(|| Thunk::ready(Value::attrs(Attrs::default())))
        } else {
            let mut rest = (*attrs).clone();
            for key in MODULE_KEYS {
                rest.entries.remove(key);
            }
            Thunk::ready(Value::attrs(rest))
        };
        if let Some(d) = attrs.get("disabledModules") {
            let d = d.value.clone();
            if let Value::List(items) = eval.force(&d) {
                for item in &items.items {
                    match eval.force(item) {
                        Value::Path(p) => disabled.push((*p).clone()),
                        v => {
                            if let Some(s) = v.as_str() {
                                disabled.push(PathBuf::from(s.as_ref()));
                            }
                        }
                    }
                }
            }
        }
        if let Some(imports) = attrs.get("imports") {
            let imports = imports.value.clone();
            // `[ ./a.nix ] ++ x`, `x` only Nix knows: the known items are read.
            let (items, rest) = eval.force(&imports).list_items();
            if let Some(rest) = rest {
                let span = rest.as_unknown().and_then(|u| u.span).or(input.span);
                opaque(modules, span, &rest);
            }
            if !items.is_empty() {
                let chain = Some(Rc::new(Ancestors {
                    set: attrs.clone(),
                    parent: ancestors,
                }));
                for item in items.iter().rev() {
                    let span = item
                        .expr_location()
                        .map(|(f, e)| eval.span_of(f, e))
                        .or(input.span);
                    stack.push((
                        ModuleInput {
                            value: item.clone(),
                            span,
                            conditions: input.conditions.clone(),
                        },
                        file,
                        chain.clone(),
                    ));
                }
            }
        }
        collected.push((
            path,
            Module {
                file,
                span: input.span,
                config,
                options: attrs.get("options").map(|a| a.value.clone()),
                conditions: input.conditions,
            },
        ));
    }
    let mut state = modules.0.borrow_mut();
    for (path, module) in collected {
        let is_disabled = path.as_ref().is_some_and(|p| {
            disabled
                .iter()
                .any(|d| p == d || (d.is_relative() && p.ends_with(d)))
        });
        if !is_disabled {
            state.modules.push(module);
        }
    }
    state.defs = None;
}

fn has_module_shape(attrs: &Attrs) -> bool {
    attrs.get("config").is_some()
        || attrs.get("options").is_some()
        || attrs.get("imports").is_some()
}

fn opaque(modules: &Modules, span: Option<Span>, value: &Value) {
    // A string with unknown parts (`inputs.home-manager + "/modules/x.nix"`) names a
    // path only Nix knows.
    let unknown_part = match value {
        Value::Str(s) => s.parts.iter().find_map(|p| match p {
            nix_eval::Part::Unknown(u) => Some(u.clone()),
            nix_eval::Part::Text(_) => None,
        }),
        _ => None,
    };
    let reason = match (value, unknown_part) {
        (Value::Unknown(u), _) => u.clone(),
        (_, Some(u)) => u,
        (other, None) => Rc::new(Unknown::new(
            Reason::error(
                nix_eval::ErrorKind::Type,
                format!(
                    "a module must be a set, a function or a path, not {}",
                    other.type_name()
                ),
            ),
            span,
        )),
    };
    if from_modules_path(&reason.reason) {
        // `modulesPath + "/installer/scan/not-detected.nix"` (what every generated
        // `hardware-configuration.nix` imports): one of the framework's own modules, which
        // the configuration imports anyway; it adds nothing to the options the files declare.
        return;
    }
    modules
        .0
        .borrow_mut()
        .opaque
        .push(OpaqueModule { span, reason });
}

/// Whether `reason` is that of a path below the `modulesPath` module argument (NixOS's,
/// nix-darwin's or Home Manager's own module directory).
fn from_modules_path(reason: &Reason) -> bool {
    matches!(reason, Reason::External { name, .. } if name.as_ref() == "config._module.args.modulesPath")
}

/// The arguments a module function gets: `config`, `options`, `lib`, the special
/// arguments (each, and all as `specialArgs`), and for any other name it asks for,
/// `config._module.args.<name>`.
fn module_args(eval: &mut Eval, modules: &Modules, function: &Value) -> Attrs {
    let (special, lib) = {
        let state = modules.0.borrow();
        (state.special_args.clone(), state.lib.clone())
    };
    let mut args = (*special).clone();
    let ready = |v: Value| Attr {
        value: Thunk::ready(v),
        key_span: None,
    };
    let config = {
        let modules = modules.clone();
        eval.lazy(move |eval| modules.config(eval))
    };
    args.entries.insert(
        "config".into(),
        Attr {
            value: config,
            key_span: None,
        },
    );
    if !args.entries.contains_key("options") {
        let modules = modules.clone();
        let options = eval.lazy(move |eval| modules.options_value(eval, &[]));
        args.entries.insert(
            "options".into(),
            Attr {
                value: options,
                key_span: None,
            },
        );
    }
    args.entries.insert_if_absent("lib".into(), ready(lib));
    // `evalModules` passes its `specialArgs` whole, too (`{ specialArgs, … }:`).
    args.entries
        .insert_if_absent("specialArgs".into(), ready(Value::Attrs(special.clone())));
    let (formals, ellipsis) = formal_names(eval, function);
    if !ellipsis {
        args.entries
            .retain(|k, _| formals.iter().any(|f| f.as_str() == k.as_ref()));
    }
    for name in formals {
        if args.entries.contains_key(name.as_str()) {
            continue;
        }
        let modules = modules.clone();
        let key: Rc<str> = name.as_str().into();
        let thunk = eval.lazy(move |eval| {
            let path: Vec<Rc<str>> = vec!["_module".into(), "args".into(), key.clone()];
            let value = modules.value_at(eval, &path);
            match &value {
                Value::Unknown(u) if u.reason.is_error() => Value::external(key.to_string(), None),
                _ => value,
            }
        });
        args.entries.insert(
            name.as_str().into(),
            Attr {
                value: thunk,
                key_span: None,
            },
        );
    }
    args
}

/// The names a `{ a, b, ... }:` function asks for, and whether it takes more.
fn formal_names(eval: &Eval, function: &Value) -> (Vec<String>, bool) {
    let Value::Lambda(closure) = function else {
        return (Vec::new(), true);
    };
    let parsed = eval.sources().parsed(closure.file);
    match parsed.ast.expr(closure.lambda) {
        Expr::Lambda { param, .. } => match &**param {
            Param::Pattern {
                formals, ellipsis, ..
            } => (formals.iter().map(|f| f.name.clone()).collect(), *ellipsis),
            Param::Ident { .. } => (Vec::new(), true),
        },
        _ => (Vec::new(), true),
    }
}
