//! Options of submodule type (`types.submodule`, `attrsOf (submodule …)`,
//! `lazyAttrsOf (submodule …)`): each value is its own module evaluation, as
//! `submoduleWith`'s `merge` does it: the type's modules, then every definition as a
//! module (a set is shorthand for its `config` when the type says so), with the module
//! argument `name` (the attribute's name) and the type's `specialArgs`. A path below such
//! a value is answered by that evaluation, so the submodule's own options, defaults and
//! `config` count.

use std::rc::Rc;

use nix_eval::{Attr, Attrs, ErrorKind, Eval, Thunk, Value};

use crate::coerced_to::CoercedTo;
use crate::defs::{Decided, Def};
use crate::merge::join;
use crate::options::{OptionDecl, element, type_name};
use crate::properties;
use crate::{EvalModules, ModuleInput, Modules, UnreadNames, eval_modules};

impl Modules {
    /// `config.<path>` when `path` lies inside a submodule value: asked of that value's
    /// own evaluation. An attribute of `attrsOf (submodule …)` whose definitions are all
    /// behind false conditions (or that nobody defines) does not exist. `nearest` is
    /// [`Modules::nearest_option`] of `path`.
    pub(crate) fn submodule_value(
        &self,
        eval: &mut Eval,
        path: &[Rc<str>],
        nearest: Option<(usize, crate::options::OptionDecl)>,
    ) -> Option<Value> {
        let (k, option) = nearest?;
        let ty = option.type_value(eval)?;
        let (instance, ty) = match submodule_type(eval, &ty) {
            Some(_) => (k, ty),
            None if path.len() > k
                && matches!(
                    type_name(eval, &ty).as_deref(),
                    Some("attrsOf" | "lazyAttrsOf")
                ) =>
            {
                let elem = element(eval, &ty)?;
                submodule_type(eval, &elem)?;
                let defs = self.defs_at(eval, &path[..=k]);
                let exists = defs
                    .iter()
                    .any(|d| !matches!(d.decide(eval), Decided::False));
                if !exists {
                    return Some(self.missing(&path[..=k]));
                }
                (k + 1, elem)
            }
            None => return None,
        };
        let key = path[..instance].to_vec();
        let cached = self.0.borrow().submodules.get(&key).cloned();
        let sub = match cached {
            Some(sub) => sub,
            None => {
                let also = other_declarations(eval, &option, instance > k);
                let sub = self.instantiate(eval, &key, &ty, also);
                self.0.borrow_mut().submodules.insert(key, sub.clone());
                sub
            }
        };
        Some(sub.value_at(eval, &path[instance..]))
    }

    /// The value of an attribute no definition makes: unknown when unread modules may
    /// define it, else the error Nix raises.
    fn missing(&self, path: &[Rc<str>]) -> Value {
        let open = self.0.borrow().open;
        let name = join(path);
        if open {
            return Value::external(format!("config.{name}"), None);
        }
        Value::error(
            ErrorKind::MissingAttribute,
            format!("attribute `{name}` is not defined"),
            None,
        )
    }

    /// Evaluates the submodule value at `path` of submodule type `ty` (or `coercedTo`
    /// one: definitions of the coerced type are converted first).
    fn instantiate(
        &self,
        eval: &mut Eval,
        path: &[Rc<str>],
        ty: &Value,
        also: Vec<Thunk>,
    ) -> Modules {
        let (ty, coercion) = match submodule_type(eval, ty) {
            Some(Submodule::Coerced(coercion)) => (coercion.target.clone(), Some(coercion)),
            _ => (ty.clone(), None),
        };
        let ty = &ty;
        let payload = eval
            .select(ty, "functor", None)
            .and_then(|f| eval.select(&f, "payload", None));
        let field = |eval: &mut Eval, name: &str| {
            payload
                .as_ref()
                .and_then(|p| eval.select(p, name, None))
                .unwrap_or(Value::Null)
        };
        let shorthand = matches!(field(eval, "shorthandOnlyDefinesConfig"), Value::Bool(true));
        let mut special = match field(eval, "specialArgs") {
            Value::Attrs(a) => (*a).clone(),
            _ => Attrs::default(),
        };
        if let Some(name) = path.last() {
            special.entries.insert(
                "name".into(),
                Attr {
                    value: Thunk::ready(Value::string(name.as_ref(), None)),
                    key_span: None,
                },
            );
        }
        let mut inputs = Vec::new();
        if let Some(Value::List(l)) = eval.select(ty, "getSubModules", None) {
            inputs.extend(l.items.iter().map(|m| ModuleInput::new(m.clone(), None)));
        }
        inputs.extend(also.into_iter().map(|m| ModuleInput::new(m, None)));
        for mut def in self.defs_at(eval, path) {
            if let Some(coercion) = &coercion {
                // A definition whose check is undecided is taken as it is.
                let _ = coercion.convert(eval, &mut def);
            }
            // A set written as `config` carries the conditions itself (`as_module`).
            let conditions = if shorthand && matches!(def.value, Value::Attrs(_)) {
                Vec::new()
            } else {
                def.conditions.clone()
            };
            inputs.push(ModuleInput {
                span: def.span,
                value: Thunk::ready(as_module(&def, shorthand)),
                conditions,
            });
        }
        let (lib, open) = {
            let state = self.0.borrow();
            (state.lib.clone(), state.open)
        };
        // Names inside the value may come from unread modules where they may at its path.
        let unread_names = if self.may_add_names(eval, path) {
            UnreadNames::Anywhere
        } else {
            UnreadNames::Below(Vec::new())
        };
        eval_modules(
            eval,
            EvalModules {
                modules: inputs,
                special_args: Rc::new(special),
                lib,
                open,
                unread_names,
            },
        )
    }
}

/// The submodules the other declarations of `option` add (of its element type when
/// `of_elements`): Nix merges declarations of one option, and a submodule's modules are
/// every declaration's.
fn other_declarations(eval: &mut Eval, option: &OptionDecl, of_elements: bool) -> Vec<Thunk> {
    let mut modules = Vec::new();
    for attrs in &option.others {
        let Some(ty) = attrs.get("type").map(|a| a.value.clone()) else {
            continue;
        };
        let mut ty = eval.force(&ty);
        if of_elements {
            match element(eval, &ty) {
                Some(elem) => ty = elem,
                None => continue,
            }
        }
        if let (Some(Submodule::Plain), Some(Value::List(l))) = (
            submodule_type(eval, &ty),
            eval.select(&ty, "getSubModules", None),
        ) {
            modules.extend(l.items.iter().cloned());
        }
    }
    modules
}

/// A type whose values are submodules.
enum Submodule {
    Plain,
    /// `coercedTo coercedType coerceFunc (submodule …)`.
    Coerced(CoercedTo),
}

fn submodule_type(eval: &mut Eval, ty: &Value) -> Option<Submodule> {
    match type_name(eval, ty).as_deref()? {
        "submodule" => Some(Submodule::Plain),
        "coercedTo" => {
            let coercion = CoercedTo::of(eval, ty)?;
            let Some(Submodule::Plain) = submodule_type(eval, &coercion.target) else {
                return None;
            };
            Some(Submodule::Coerced(coercion))
        }
        _ => None,
    }
}

/// One definition as a module of the submodule: a set is its `config` when the type says
/// shorthand only defines `config`; the definition's conditions and priority stay on it.
fn as_module(def: &Def, shorthand: bool) -> Value {
    if !shorthand || !matches!(def.value, Value::Attrs(_)) {
        return def.value.clone();
    }
    let mut module = Attrs::default();
    module.entries.insert(
        "config".into(),
        Attr {
            value: properties::wrap(def),
            key_span: None,
        },
    );
    Value::attrs(module)
}
