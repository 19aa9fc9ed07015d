//! Collecting the modules of a configuration: module functions applied to their
//! arguments, `imports` followed (deduplicated by file, like the module system).

use std::collections::HashSet;
use std::rc::Rc;

use nix_source::{FileId, Span};

use crate::eval::Evaluator;
use crate::eval::value::{Condition, Thunk, Value};
use crate::model::ImportKind;
use crate::walk::Unknown;

/// The config part of one module, with the conditions it was imported under.
pub(crate) struct Module {
    pub(crate) config: Value,
    pub(crate) conds: Vec<Condition>,
}

#[derive(Default)]
pub(crate) struct ModuleSet {
    pub(crate) modules: Vec<Module>,
    /// Where each module is: a file, or the inline expression.
    pub(crate) spans: Vec<Span>,
    pub(crate) unknown: Vec<Unknown>,
    /// The `options` of full modules, for `option_defs.rs`.
    pub(crate) options: Vec<Thunk>,
    /// Some module comes from outside the files (a flake input's module).
    pub(crate) opaque: bool,
}

#[derive(Default)]
struct Walk {
    seen: HashSet<FileId>,
    set: ModuleSet,
}

impl Evaluator {
    /// Collects the modules reachable from `roots`, applying functions to `args`.
    pub(crate) fn collect_modules(
        &mut self,
        roots: Vec<(Thunk, Vec<Condition>)>,
        args: &Value,
    ) -> ModuleSet {
        let mut walk = Walk::default();
        for (root, conds) in roots {
            let value = self.force(&root);
            // Files record themselves when loaded; inline modules are recorded here.
            if let Some(span) = value.span()
                && !matches!(value, Value::Path(..))
            {
                walk.set.spans.push(self.files.widen_to_file(span));
            }
            self.collect_module(value, root.span(), &conds, args, &mut walk);
        }
        walk.set
    }

    fn collect_module(
        &mut self,
        value: Value,
        at: Option<Span>,
        conds: &[Condition],
        args: &Value,
        walk: &mut Walk,
    ) {
        match value {
            Value::Path(path, span) => {
                let Some(file) = self.files.load(&path, span.or(at), ImportKind::Module) else {
                    return;
                };
                // Like the module system, load each file once: `imports` cycles are harmless.
                if !walk.seen.insert(file) {
                    return;
                }
                walk.set.spans.push(self.files.whole_file(file));
                let value = self.import_file(file);
                self.collect_module(value, None, conds, args, walk);
            }
            Value::Str {
                text: Some(text),
                span,
            } if text.starts_with('/') => {
                let path = Value::Path(Rc::new(text.as_ref().into()), span);
                self.collect_module(path, at, conds, args, walk);
            }
            Value::Lambda(closure) => {
                let span = closure.span;
                let value = self.apply(&Value::Lambda(closure), Thunk::ready(args.clone()), span);
                self.collect_module(value, Some(span), conds, args, walk);
            }
            Value::Attrs(attrs) => {
                if let Some(imports) = attrs.entries.get("imports") {
                    let imports = self.force(&imports.value.clone());
                    let mut items = Vec::new();
                    self.list_items(imports, conds, &mut items, &mut walk.set.unknown);
                    for (item, item_conds) in items {
                        let value = self.force(&item);
                        self.collect_module(value, item.span(), &item_conds, args, walk);
                    }
                }
                walk.set
                    .options
                    .extend(attrs.entries.get("options").map(|o| o.value.clone()));
                let is_full_module =
                    attrs.entries.contains_key("config") || attrs.entries.contains_key("options");
                let config = match attrs.entries.get("config") {
                    Some(config) => self.force(&config.value.clone()),
                    None if is_full_module => return,
                    None => Value::Attrs(attrs),
                };
                walk.set.modules.push(Module {
                    config,
                    conds: conds.to_vec(),
                });
            }
            Value::Conditional { cond, body } => {
                let mut conds = conds.to_vec();
                conds.push(cond);
                let inner = self.force(&body);
                self.collect_module(inner, body.span(), &conds, args, walk);
            }
            Value::Priority(inner) => {
                let value = self.force(&inner);
                self.collect_module(value, inner.span(), conds, args, walk);
            }
            // `lib.mkMerge [ … ]` as a module is a config-only module.
            merge @ Value::Merge(_) => walk.set.modules.push(Module {
                config: merge,
                conds: conds.to_vec(),
            }),
            // A module from outside the files (`inputs.x.homeManagerModules.default`).
            Value::Opaque(_) => walk.set.opaque = true,
            other => walk.set.unknown.push(Unknown {
                span: other.span().or(at),
                reason: match other {
                    Value::Dynamic(d) => d.reason.clone(),
                    Value::Error(e) => format!("could not be evaluated: {e}"),
                    other => format!(
                        "a module must be a path, function or attribute set, not {}",
                        other.type_name()
                    ),
                },
            }),
        }
    }
}
