//! The Home Manager options a user's configuration defines and declares, read with the
//! knowledge of Home Manager's own options (`knowledge.rs`), and the services Home
//! Manager's modules create for `enable = true` definitions.

use std::rc::Rc;

use nix_source::Span;

use nix_eval::{Eval, Value};
use nix_modules::{Decided, Def, Modules};

use crate::knowledge::{Lookup, knowledge};
use crate::model::{FieldValue, Inventory, Name, OptionDefinition, Service, ServiceOrigin, User};
use crate::user_facts::field_value;

/// Deepest option path followed.
const MAX_DEPTH: usize = 16;
/// Values one walk visits at most.
const BUDGET: u32 = 200_000;
/// `Install` options through which a module's unit is started.
const INSTALL_STARTERS: &[&str] = &["Install.WantedBy", "Install.RequiredBy", "Install.UpheldBy"];

/// Fills `user.declared_options`, `user.opaque_modules`, the user's
/// `inventory.option_definitions`, and the services modules create.
pub(crate) fn option_facts(
    eval: &mut Eval,
    modules: &Modules,
    name: &Name,
    user: &mut User,
    inventory: &mut Inventory,
) {
    let mut walk = Walk {
        user: name.clone(),
        found: Vec::new(),
        budget: BUDGET,
        names: Vec::new(),
        shared: Vec::new(),
        recent: Vec::new(),
    };
    let top = modules.defs_at(eval, &[]);
    definitions(eval, modules, &top, &mut walk);
    user.declared_options = modules
        .declared_options(eval)
        .into_iter()
        .map(|(p, _)| p.iter().map(|n| n.to_string()).collect())
        .collect();
    // Or set already: the host's own modules hm cannot read may add to the user's.
    user.opaque_modules |= !modules.opaque().is_empty();
    // The units modules create were found on Linux; on macOS those modules write launchd
    // agents (or nothing), and no systemd unit.
    if !user.darwin {
        module_services(&walk.found, &walk.user, user, &mut inventory.services);
    }
    if inventory.option_definitions.is_empty() {
        // The first user's: moved, not copied.
        inventory.option_definitions = walk.found;
    } else {
        inventory.option_definitions.extend(walk.found);
    }
}

struct Walk {
    user: Name,
    found: Vec<OptionDefinition>,
    budget: u32,
    /// The path being walked, as the module system names it,
    names: Vec<Rc<str>>,
    /// and as definitions keep it, with where each name is written: each name is
    /// allocated once here and shared by the definitions below it.
    shared: Vec<(Name, Option<Span>)>,
    /// The last names met at each depth, shared with the next place that writes them:
    /// `Service` and `ExecStart` below each of thousands of services are one name each.
    recent: Vec<Vec<Name>>,
}

/// How many recent names are kept per depth.
const RECENT: usize = 8;

impl Walk {
    /// `name` at the walk's depth, shared with an earlier place that wrote it.
    fn name(&mut self, name: &str) -> Name {
        let depth = self.names.len();
        if self.recent.len() <= depth {
            self.recent.resize_with(depth + 1, Vec::new);
        }
        let recent = &mut self.recent[depth];
        if let Some(known) = recent.iter().find(|n| &***n == name) {
            return known.clone();
        }
        let shared = Name::from(name);
        if recent.len() == RECENT {
            recent.remove(0);
        }
        recent.push(shared.clone());
        shared
    }
}

/// Every definition below the walk's path (whose definitions are `defs`), down to Home
/// Manager's options (or to a leaf). Each path is visited once: its definitions are found
/// from its parent's, and not memoised (`defs_below`).
fn definitions(eval: &mut Eval, modules: &Modules, defs: &[Def], walk: &mut Walk) {
    if walk.budget == 0 || walk.names.len() > MAX_DEPTH {
        return;
    }
    walk.budget -= 1;
    for (name, key_span) in modules.names_in(eval, &walk.names, defs) {
        // `_module.args` and friends are the module system's, not Home Manager options.
        if walk.names.is_empty() && name.as_ref() == "_module" {
            continue;
        }
        let shared = walk.name(&name);
        walk.shared.push((shared, key_span));
        walk.names.push(name);
        let descend = match knowledge().lookup(&walk.names) {
            Lookup::Namespace => true,
            Lookup::Option(_) => knowledge().has_sub_options(&walk.names),
            Lookup::FreeForm(_) | Lookup::Unknown { .. } => false,
        };
        let below = modules.defs_below(eval, &walk.names, defs);
        let sets_only = below.iter().all(|d| matches!(d.value, Value::Attrs(_)));
        if descend && sets_only {
            definitions(eval, modules, &below, walk);
        } else {
            define(eval, below, walk);
        }
        walk.names.pop();
        walk.shared.pop();
    }
}

/// Records `defs`, the definitions of the walk's path.
fn define(eval: &mut Eval, defs: Vec<Def>, walk: &mut Walk) {
    for def in defs {
        if matches!(def.decide(eval), Decided::False) {
            continue;
        }
        let Some(span) = def.span.or(def.key_span) else {
            continue;
        };
        let value = match &def.value {
            // A branch Nix may never take says nothing of the option's value.
            _ if def.in_undecided_branch(eval) => None,
            v @ (Value::Bool(_)
            | Value::Int(_)
            | Value::Float(_)
            | Value::Str(_)
            | Value::List(_))
                if written_here(eval, v, span) =>
            {
                Some(field_value(eval, v, span, 0))
            }
            _ => None,
        };
        // No spare room: every definition is kept for the whole run.
        let mut key_spans = Vec::with_capacity(walk.shared.len());
        key_spans.extend(walk.shared.iter().filter_map(|(_, s)| *s));
        if let (Some(last), Some(k)) = (key_spans.last_mut(), def.key_span) {
            *last = k;
        }
        walk.found.push(OptionDefinition {
            user: walk.user.clone(),
            path: walk.shared.iter().map(|(n, _)| n.clone()).collect(),
            key_spans: key_spans.into_boxed_slice(),
            span,
            value,
        });
    }
}

/// Adds the services Home Manager's modules create for `enable = true` definitions, or
/// marks a written service of the same name as overriding one.
fn module_services(
    definitions: &[OptionDefinition],
    name: &Name,
    user: &User,
    services: &mut Vec<Service>,
) {
    for definition in definitions {
        if definition.value != Some(FieldValue::Bool(true)) {
            continue;
        }
        let option = definition.path.join(".");
        let created = knowledge().services_created_by(&option);
        let origin = ServiceOrigin::Module {
            option: option.as_str().into(),
            span: definition.span,
        };
        for unit in created.iter().filter(|u| u.kind == "service") {
            // The module's own `Install.WantedBy` (its value is not known here), and timers
            // or sockets of the same name it creates.
            let installed = unit
                .keys
                .iter()
                .filter(|k| INSTALL_STARTERS.contains(k))
                .map(|k| format!("{k} of {option}"));
            let triggers: Vec<String> = created
                .iter()
                .filter(|other| other.kind != "service" && other.name == unit.name)
                .map(|other| format!("{}.{}", other.name, other.kind))
                .chain(installed)
                .collect();
            let existing = services
                .iter_mut()
                .find(|s| *s.user == *user.name && s.host == user.host && s.name == unit.name);
            match existing {
                Some(service) => {
                    if service.origin == ServiceOrigin::Written {
                        service.origin = origin.clone();
                    }
                    for trigger in triggers {
                        if !service.started_by.contains(&trigger) {
                            service.started_by.push(trigger);
                        }
                    }
                }
                None => services.push(Service {
                    started_by: triggers,
                    host: user.host.clone(),
                    ..Service::systemd(
                        unit.name.to_string(),
                        name.clone(),
                        definition.span,
                        origin.clone(),
                    )
                }),
            }
        }
    }
}

/// Whether `value` is written at `span` itself, not computed from a value written
/// elsewhere (`a = config.b;`): rules judge the definition that wrote it.
fn written_here(eval: &Eval, value: &Value, span: Span) -> bool {
    let within = |s: Span| {
        s.file == span.file && s.range.start >= span.range.start && s.range.end <= span.range.end
    };
    match value {
        Value::Str(_) | Value::List(_) => value.span().is_some_and(within),
        _ => {
            let text = crate::text::condition_text(eval, span);
            text == "true" || text == "false" || text.parse::<f64>().is_ok()
        }
    }
}
