//! Merged values: `config.a.b` as the module system computes it, memoised per path.
//! Definitions whose conditions are false are dropped; the highest priority wins; sets
//! merge name by name (lazily), lists concatenate in order, `lines` join; an option's
//! `default` is a definition of priority 1500. What an undecided condition could change
//! is unknown.

use std::collections::BTreeMap;
use std::rc::Rc;

use nix_eval::{Attr, Attrs, ErrorKind, Eval, Reason, Thunk, Value};
use nix_source::Span;

use crate::Modules;
use crate::coerced_to::CoercedTo;
use crate::defs::{Decided, Def, OPTION_DEFAULT_PRIORITY};

impl Modules {
    /// The merged value of `path` (memoised).
    pub fn value_at(&self, eval: &mut Eval, path: &[Rc<str>]) -> Value {
        let cached = self.0.borrow().values.get(path).cloned();
        let thunk = match cached {
            Some(t) => t,
            None => {
                let modules = self.clone();
                let key = path.to_vec();
                let owned = key.clone();
                let thunk = eval.lazy(move |eval| compute(eval, &modules, &owned));
                self.0.borrow_mut().values.insert(key, thunk.clone());
                thunk
            }
        };
        eval.force(&thunk)
    }

    /// Names defined (or declared) directly below `path`, with where each is first
    /// written; names whose definitions are all behind false conditions are left out.
    pub fn names_at(&self, eval: &mut Eval, path: &[Rc<str>]) -> Vec<(Rc<str>, Option<Span>)> {
        let defs = self.defs_at(eval, path);
        self.names_in(eval, path, &defs)
    }

    /// [`Modules::names_at`] of `path`, given its definitions (`defs_at`, or `defs_below`).
    pub fn names_in(
        &self,
        eval: &mut Eval,
        path: &[Rc<str>],
        defs: &[Def],
    ) -> Vec<(Rc<str>, Option<Span>)> {
        // In the order found, then sorted by name (stable: the first place of each name
        // stays first) and deduplicated. Each set lists its names sorted, so one set (a
        // level of 100,000 services) sorts in one pass, where a map searched for each.
        let mut names: Vec<(Rc<str>, Option<Span>)> = Vec::new();
        for def in defs {
            if let Decided::False = def.decide(eval) {
                continue;
            }
            if let Value::Attrs(a) = &def.value {
                names.extend(a.entries.iter().map(|(k, attr)| (k.clone(), attr.key_span)));
                if !a.unknown_names.is_empty() {
                    names.extend(eval.undecided_names(a).names);
                }
            }
        }
        names.extend(self.option_children(eval, path));
        names.sort_by(|a, b| a.0.cmp(&b.0));
        names.dedup_by(|later, first| later.0 == first.0);
        names
    }
}

fn compute(eval: &mut Eval, modules: &Modules, path: &[Rc<str>]) -> Value {
    let nearest = modules.nearest_option(eval, path);
    if let Some(value) = modules.submodule_value(eval, path, nearest.clone()) {
        return value;
    }
    let mut defs = modules.defs_at(eval, path);
    let option = modules.option_at(eval, path);
    if let Some(default) = option.as_ref().and_then(|o| o.default()) {
        defs.push(Def {
            span: eval.thunk_span(&default),
            value: eval.force(&default),
            conditions: Vec::new(),
            priority: OPTION_DEFAULT_PRIORITY,
            order: 1000,
            file: None,
            key_span: None,
            maybe: false,
        });
    }
    // An attribute of an `attrsOf` option merges as its element type says (the modules of
    // a `deferredModule`, whatever their shapes, into one that imports them).
    let mut type_name = match &option {
        Some(option) => option.type_name(eval),
        None => nearest
            .and_then(|nearest| crate::options::element_type(eval, path.len(), &nearest))
            .and_then(|ty| crate::options::type_name(eval, &ty)),
    };
    // A namespace (no option here) defined by sets: as nixpkgs pushes `mkIf`/`mkOverride`
    // down to the options below, conditions are decided there, not here. Deciding them
    // here would evaluate a condition while the set it may read (`config`) is being built.
    if option.is_none()
        && type_name.as_deref() != Some("deferredModule")
        && !defs.is_empty()
        && defs.iter().all(|d| matches!(d.value, Value::Attrs(_)))
    {
        let span = defs.first().and_then(|d| d.span);
        return merge_sets(eval, modules, path, &defs, span);
    }
    if type_name.as_deref() == Some("coercedTo")
        && let Some(ty) = option.as_ref().and_then(|o| o.type_value(eval))
        && let Some(coercion) = CoercedTo::of(eval, &ty)
    {
        // Definitions of the coerced type are converted, and the result merges as the
        // final type (a submodule's are converted where it is evaluated).
        let target = crate::options::type_name(eval, &coercion.target);
        if target.as_deref() != Some("submodule") {
            type_name = target;
            for def in &mut defs {
                if coercion.convert(eval, def).is_err() {
                    return Value::unknown(Reason::UndecidedCondition, def.span);
                }
            }
        }
    }
    let has_children = !modules.option_children(eval, path).is_empty();
    let mut active = Vec::new();
    let mut undecided = None;
    let mut undecided_sets = Vec::new();
    for def in defs {
        match def.decide(eval) {
            Decided::True => active.push(def),
            Decided::False => {}
            Decided::Unknown(u, span, _) => {
                if undecided.is_none() {
                    undecided = Some((u, span, def.priority));
                }
                if matches!(def.value, Value::Attrs(_)) {
                    undecided_sets.push(def);
                }
            }
        }
    }
    let best = active.iter().map(|d| d.priority).min();
    if let Some((_, span, priority)) = &undecided {
        // An undecided definition that could win or join makes the result unknown,
        // unless the result is a set (whose names are merged one by one).
        let shapes_set = active.iter().all(|d| matches!(d.value, Value::Attrs(_)))
            && (has_children || !active.is_empty());
        if best.is_none_or(|b| *priority <= b) && !shapes_set {
            return Value::unknown(Reason::UndecidedCondition, *span);
        }
    }
    if let Some(best) = best {
        active.retain(|d| d.priority == best);
    }
    active.sort_by_key(|d| d.order);
    let open = modules.0.borrow().open;
    if active.is_empty() {
        if has_children || !undecided_sets.is_empty() {
            return merge_sets(eval, modules, path, &undecided_sets, None);
        }
        if open && !modules.defines_no_more(eval, option.as_ref()) {
            return Value::external(dotted("config", path), None);
        }
        return Value::error(
            ErrorKind::UndefinedOption,
            format!("the option `{}` is used but not defined", join(path)),
            option.as_ref().and_then(|o| o.span),
        );
    }
    if let Some(Value::Unknown(u)) = active
        .iter()
        .map(|d| &d.value)
        .find(|v| matches!(v, Value::Unknown(_)))
    {
        return Value::Unknown(u.clone());
    }
    if type_name.as_deref() == Some("deferredModule") {
        // `types.deferredModule`: every definition is a module, imported in order.
        let imports: Vec<Thunk> = active
            .iter()
            .map(|d| Thunk::ready(d.value.clone()))
            .collect();
        let span = active.first().and_then(|d| d.span);
        let mut module = Attrs {
            span,
            ..Attrs::default()
        };
        module.entries.insert(
            "imports".into(),
            Attr {
                value: Thunk::ready(Value::list(imports, span)),
                key_span: None,
            },
        );
        return Value::attrs(module);
    }
    let all_sets = active.iter().all(|d| matches!(d.value, Value::Attrs(_)));
    let is_submodule = matches!(
        type_name.as_deref(),
        Some("submodule" | "attrsOf" | "lazyAttrsOf" | "attrs")
    );
    if all_sets && (option.is_none() || is_submodule || has_children) {
        let span = active.first().and_then(|d| d.span);
        active.extend(undecided_sets);
        return merge_sets(eval, modules, path, &active, span);
    }
    if active.iter().all(|d| matches!(d.value, Value::List(_))) {
        let mut items = Vec::new();
        for d in &active {
            if let Value::List(l) = &d.value {
                items.extend(l.items.iter().cloned());
            }
        }
        return Value::list(items, active.first().and_then(|d| d.span));
    }
    if active.len() > 1
        && matches!(
            type_name.as_deref(),
            Some("lines" | "separatedString" | "commas" | "envVar")
        )
    {
        let sep = match type_name.as_deref() {
            Some("commas") => ",",
            Some("envVar") => ":",
            _ => "\n",
        };
        let items: Vec<Thunk> = active
            .iter()
            .map(|d| Thunk::ready(d.value.clone()))
            .collect();
        let list = Thunk::ready(Value::list(items, None));
        let sep = Thunk::ready(Value::string(sep, None));
        let concat = Value::PrimOp(
            nix_eval::PrimOp::Builtin(nix_eval::Builtin::ConcatStringsSep),
            Rc::new(Vec::new()),
        );
        return eval.call(concat, vec![sep, list], None);
    }
    match active.last() {
        Some(d) => d.value.clone(),
        None => Value::Null,
    }
}

/// A set whose names come from the definitions and declared options below `path`, each
/// value merged lazily.
fn merge_sets(
    eval: &mut Eval,
    modules: &Modules,
    path: &[Rc<str>],
    active: &[Def],
    span: Option<Span>,
) -> Value {
    let mut names: BTreeMap<Rc<str>, Option<Span>> = BTreeMap::new();
    let mut unknown_names = Vec::new();
    for d in active {
        if let Value::Attrs(a) = &d.value {
            for (k, attr) in &a.entries {
                names.entry(k.clone()).or_insert(attr.key_span);
            }
            if !a.unknown_names.is_empty() {
                // Names under undecided conditions are merged as the others (each
                // definition under its condition); only names Nix alone knows stay open.
                let undecided = eval.undecided_names(a);
                for (k, key_span) in undecided.names {
                    names.entry(k).or_insert(key_span);
                }
                unknown_names.extend(undecided.unknown);
            }
        }
    }
    {
        let state = modules.0.borrow();
        if let Some(node) = state.options.root.find(path) {
            for (k, child) in &node.children {
                names
                    .entry(k.clone())
                    .or_insert(child.option.as_ref().and_then(|o| o.span));
            }
        }
    }
    if modules.may_add_names(eval, path) {
        let name = dotted("config", path);
        unknown_names.push(Rc::new(nix_eval::Unknown::new(
            Reason::External {
                name: name.into(),
                from_input: false,
            },
            None,
        )));
    }
    let mut out = Attrs {
        span,
        unknown_names,
        ..Attrs::default()
    };
    for (name, key_span) in names {
        let modules = modules.clone();
        let mut sub = path.to_vec();
        sub.push(name.clone());
        // Holds the modules until forced; a definition may keep this set (`config` given
        // to a module as data), so it is cleared with the evaluator.
        let value = eval.lazy(move |eval| modules.value_at(eval, &sub));
        out.entries.insert(name, Attr { value, key_span });
    }
    Value::attrs(out)
}

impl Modules {
    /// Whether no module hm did not read can define `option`: the files declare it and
    /// every module of the configuration was read (the configuration's own modules hm
    /// could not read, or another flake's, may define it; Home Manager's or NixOS's own
    /// modules do not know it).
    fn defines_no_more(&self, eval: &Eval, option: Option<&crate::options::OptionDecl>) -> bool {
        let Some(span) = option.and_then(|o| o.span) else {
            return false;
        };
        !eval.is_library(span.file) && self.0.borrow().opaque.is_empty()
    }

    /// Whether modules the analyser does not read may add names below `path`: in an
    /// open configuration, where its `UnreadNames` say so, but never below an option
    /// these modules declare (only they know it), unless one of the user's own modules
    /// could not be read. Another flake's module may add names anywhere but below an
    /// option the user's files declare: the framework's options (declared by the prelude)
    /// are its to define too.
    pub(crate) fn may_add_names(&self, eval: &mut Eval, path: &[Rc<str>]) -> bool {
        let (open, own_unread, input_unread) = {
            let state = self.0.borrow();
            let own = state.opaque.iter().any(|m| !m.from_input());
            (state.open, own, state.opaque.iter().any(|m| m.from_input()))
        };
        if !open {
            return false;
        }
        if own_unread {
            return true;
        }
        let (mut declared_here, mut declared_by_files) = (false, false);
        for k in 1..=path.len() {
            if let Some(option) = self.option_at(eval, &path[..k]) {
                declared_here = true;
                declared_by_files |= option.span.is_some_and(|s| !eval.is_library(s.file));
            }
        }
        if input_unread && !declared_by_files {
            return true;
        }
        !declared_here && self.0.borrow().unread_names.may_add(path)
    }
}

pub(crate) fn join(path: &[Rc<str>]) -> String {
    path.iter()
        .map(|p| p.as_ref())
        .collect::<Vec<_>>()
        .join(".")
}

/// `root.a.b` for the path `a.b` (`root` for the empty path).
pub(crate) fn dotted(root: &str, path: &[Rc<str>]) -> String {
    std::iter::once(root)
        .chain(path.iter().map(|p| p.as_ref()))
        .collect::<Vec<_>>()
        .join(".")
}
