//! The Home Manager options a user's configuration defines and declares, read with the
//! knowledge of Home Manager's own options (`knowledge.rs`), and the services Home
//! Manager's modules create for `enable = true` definitions.

use std::rc::Rc;

use nix_source::Span;

use crate::eval::Evaluator;
use crate::eval::value::{Thunk, Value};
use crate::knowledge::{Lookup, knowledge};
use crate::model::{FieldValue, Inventory, OptionDefinition, Service, ServiceOrigin, User};
use crate::modules::ModuleSet;

/// Attributes of a module that are not options.
const MODULE_KEYS: &[&str] = &[
    "imports",
    "options",
    "config",
    "_file",
    "key",
    "disabledModules",
    "_class",
    "_module",
];
/// Deepest option path followed.
const MAX_DEPTH: usize = 16;
/// Values one walk visits at most.
const BUDGET: u32 = 200_000;
/// `mkIf`s, `if`s, merges and priorities nested on one path at most (a value may contain
/// itself: `s = if c then s else { … }`).
const MAX_NESTING: usize = 64;
/// `Install` options through which a module's unit is started.
const INSTALL_STARTERS: &[&str] = &["Install.WantedBy", "Install.RequiredBy", "Install.UpheldBy"];
/// Functions whose call declares an option.
const DECLARATIONS: &[&str] = &[
    "mkOption",
    "mkEnableOption",
    "mkPackageOption",
    "mkSinkUndeclaredOptions",
];

struct Walk {
    user: String,
    path: Vec<(Rc<str>, Span)>,
    found: Vec<OptionDefinition>,
    declared: Vec<Vec<String>>,
    budget: u32,
    nesting: usize,
}

impl Walk {
    fn names(&self) -> Vec<&str> {
        self.path.iter().map(|(n, _)| n.as_ref()).collect()
    }

    fn spend(&mut self) -> bool {
        if self.budget == 0 || self.path.len() > MAX_DEPTH || self.nesting > MAX_NESTING {
            return false;
        }
        self.budget -= 1;
        true
    }
}

impl Evaluator {
    /// Fills `user.declared_options`, `user.opaque_modules`, the user's
    /// `inventory.option_definitions`, and the services modules create.
    pub(crate) fn option_facts(
        &mut self,
        modules: &ModuleSet,
        user: &mut User,
        inventory: &mut Inventory,
    ) {
        let mut walk = Walk {
            user: user.name.clone(),
            path: Vec::new(),
            found: Vec::new(),
            declared: Vec::new(),
            budget: BUDGET,
            nesting: 0,
        };
        for options in &modules.options {
            let value = self.force(options);
            self.declarations(value, &mut walk);
        }
        for module in &modules.modules {
            self.definitions(module.config.clone(), None, &mut walk);
        }
        user.declared_options = walk.declared;
        user.opaque_modules = modules.opaque || !modules.unknown.is_empty();
        module_services(&walk.found, &user.name, &mut inventory.services);
        inventory.option_definitions.extend(walk.found);
    }

    fn definitions(&mut self, value: Value, span: Option<Span>, walk: &mut Walk) {
        if !walk.spend() {
            return;
        }
        match value {
            Value::Conditional { body: inner, .. } | Value::Priority(inner) => {
                self.nested_definitions(&[inner], span, walk);
            }
            Value::Branch {
                then, otherwise, ..
            } => self.nested_definitions(&[then, otherwise], span, walk),
            Value::Merge(items) => self.nested_definitions(&items, span, walk),
            Value::Attrs(attrs) => {
                for (name, attr) in &attrs.entries {
                    if walk.path.is_empty() && MODULE_KEYS.contains(&name.as_ref()) {
                        continue;
                    }
                    walk.path.push((name.clone(), attr.key_span));
                    let names = walk.names();
                    let descend = match knowledge().lookup(&names) {
                        Lookup::Namespace => true,
                        Lookup::Option(_) => knowledge().has_sub_options(&names),
                        Lookup::FreeForm(_) | Lookup::Unknown { .. } => false,
                    };
                    let value = self.force(&attr.value);
                    let span = attr.value.span().or(Some(attr.key_span));
                    if descend {
                        self.definitions(value, span, walk);
                    } else {
                        self.define(value, span, walk);
                    }
                    walk.path.pop();
                }
            }
            Value::Dynamic(_) | Value::Opaque(_) | Value::Open(_) | Value::Error(_) => {}
            leaf if !walk.path.is_empty() => self.define(leaf, span, walk),
            _ => {}
        }
    }

    /// Definitions under `mkIf`, `if`, `mkMerge` or a priority.
    fn nested_definitions(&mut self, items: &[Thunk], span: Option<Span>, walk: &mut Walk) {
        walk.nesting += 1;
        for inner in items {
            let value = self.force(inner);
            self.definitions(value, inner.span().or(span), walk);
        }
        walk.nesting -= 1;
    }

    /// Records a definition of the current path.
    fn define(&mut self, value: Value, span: Option<Span>, walk: &mut Walk) {
        let value = self.unwrap(value);
        let Some(span) = value.span().or(span) else {
            return;
        };
        let value = match value {
            v @ (Value::Bool(_)
            | Value::Int(_)
            | Value::Float(_)
            | Value::Str { .. }
            | Value::List(..)) => Some(self.field_value(v, span, 0)),
            _ => None,
        };
        walk.found.push(OptionDefinition {
            user: walk.user.clone(),
            path: walk.path.iter().map(|(n, _)| n.to_string()).collect(),
            key_spans: walk.path.iter().map(|(_, s)| *s).collect(),
            span,
            value,
        });
    }

    /// The value under `mkDefault`/`mkForce` and `mkIf`s.
    fn unwrap(&mut self, value: Value) -> Value {
        let mut value = value;
        for _ in 0..MAX_DEPTH {
            match value {
                Value::Conditional { body: inner, .. } | Value::Priority(inner) => {
                    value = self.force(&inner);
                }
                other => return other,
            }
        }
        value
    }

    /// Option paths declared under a module's `options`.
    fn declarations(&mut self, value: Value, walk: &mut Walk) {
        if !walk.spend() {
            return;
        }
        match value {
            Value::Attrs(attrs) => {
                if !attrs.dynamic_keys.is_empty() {
                    walk.declared.push(names(walk));
                }
                for (name, attr) in &attrs.entries {
                    walk.path.push((name.clone(), attr.key_span));
                    let value = self.force(&attr.value);
                    self.declarations(value, walk);
                    walk.path.pop();
                }
            }
            Value::Conditional { body: inner, .. } | Value::Priority(inner) => {
                walk.nesting += 1;
                let value = self.force(&inner);
                self.declarations(value, walk);
                walk.nesting -= 1;
            }
            Value::Merge(items) => {
                walk.nesting += 1;
                for inner in items.iter() {
                    let value = self.force(inner);
                    self.declarations(value, walk);
                }
                walk.nesting -= 1;
            }
            Value::Opaque(o)
                if !DECLARATIONS
                    .iter()
                    .any(|d| o.name.rsplit('.').next() == Some(*d)) =>
            {
                // Something from outside (`options = inputs.x.options`): anything below.
                walk.declared.push(names(walk));
            }
            // A declaration, or code that computes declarations.
            _ => walk.declared.push(names(walk)),
        }
    }
}

fn names(walk: &Walk) -> Vec<String> {
    walk.path.iter().map(|(n, _)| n.to_string()).collect()
}

/// Adds the services Home Manager's modules create for `enable = true` definitions, or
/// marks a written service of the same name as overriding one.
fn module_services(definitions: &[OptionDefinition], user: &str, services: &mut Vec<Service>) {
    for definition in definitions {
        if definition.value != Some(FieldValue::Bool(true)) {
            continue;
        }
        let option = definition.path.join(".");
        let created = knowledge().services_created_by(&option);
        let origin = ServiceOrigin::Module {
            option: option.clone(),
            span: definition.span,
        };
        for unit in created.iter().filter(|u| u.kind == "service") {
            // The module's own `Install.WantedBy` (its value is not known here), and timers
            // or sockets of the same name it creates.
            let installed = unit
                .keys
                .iter()
                .filter(|k| INSTALL_STARTERS.contains(&k.as_str()))
                .map(|k| format!("{k} of {option}"));
            let triggers: Vec<String> = created
                .iter()
                .filter(|other| other.kind != "service" && other.name == unit.name)
                .map(|other| format!("{}.{}", other.name, other.kind))
                .chain(installed)
                .collect();
            let existing = services
                .iter_mut()
                .find(|s| s.user == user && s.name == unit.name);
            match existing {
                Some(service) => {
                    if service.origin == ServiceOrigin::Written {
                        service.origin = origin.clone();
                    }
                    service.started_by.extend(triggers);
                }
                None => services.push(Service {
                    name: unit.name.clone(),
                    user: user.to_string(),
                    span: definition.span,
                    definitions: Vec::new(),
                    condition: None,
                    fields: Default::default(),
                    started_by: triggers,
                    origin: origin.clone(),
                }),
            }
        }
    }
}
