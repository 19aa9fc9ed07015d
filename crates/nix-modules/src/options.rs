//! Options declared by the modules (`options.a.b = mkOption { … };`).

use std::collections::BTreeMap;
use std::rc::Rc;

use nix_eval::{Attrs, Eval, Thunk, Value};
use nix_source::Span;

use crate::Modules;

/// One declared option.
#[derive(Clone)]
pub struct OptionDecl {
    pub attrs: Rc<Attrs>,
    /// Where its name is written.
    pub span: Option<Span>,
    /// Other declarations of the same option (Nix merges them: a submodule's options are
    /// those of every declaration's submodule).
    pub others: Vec<Rc<Attrs>>,
}

impl OptionDecl {
    pub fn default(&self) -> Option<Thunk> {
        self.attrs.get("default").map(|a| a.value.clone())
    }

    /// The option type's `name` (`bool`, `attrsOf`, `listOf`, `submodule`, …).
    pub fn type_name(&self, eval: &mut Eval) -> Option<Rc<str>> {
        let ty = self.type_value(eval)?;
        type_name(eval, &ty)
    }

    /// The option's `type`, forced.
    pub fn type_value(&self, eval: &mut Eval) -> Option<Value> {
        let ty = self.attrs.get("type")?.value.clone();
        Some(eval.force(&ty))
    }
}

/// An option type's `name` (`bool`, `attrsOf`, `coercedTo`, `submodule`, …).
pub(crate) fn type_name(eval: &mut Eval, ty: &Value) -> Option<Rc<str>> {
    let name = eval.select(ty, "name", None)?;
    name.as_str().map(|s| Rc::from(s.as_ref()))
}

/// Options by path: a node is an option, or has children.
#[derive(Default)]
pub(crate) struct OptionTree {
    built: bool,
    /// The declarations are being read (one of them asks for `options`).
    pub(crate) building: bool,
    pub(crate) root: Node,
}

#[derive(Default)]
pub(crate) struct Node {
    pub(crate) option: Option<OptionDecl>,
    pub(crate) children: BTreeMap<Rc<str>, Node>,
}

impl Node {
    pub(crate) fn find(&self, path: &[Rc<str>]) -> Option<&Node> {
        let mut node = self;
        for name in path {
            node = node.children.get(name)?;
        }
        Some(node)
    }
}

/// The type of the values at a path `depth` names long that lies below `option`, declared
/// `k` names from the root, when that is `attrsOf` or `lazyAttrsOf` (nested or not): the
/// element type, one level per name (`flake.modules.nixos.desk` of
/// `lazyAttrsOf (lazyAttrsOf deferredModule)`).
pub(crate) fn element_type(
    eval: &mut Eval,
    depth: usize,
    (k, option): &(usize, OptionDecl),
) -> Option<Value> {
    if *k >= depth {
        return None;
    }
    let mut ty = option.type_value(eval)?;
    for _ in *k..depth {
        if !matches!(
            type_name(eval, &ty).as_deref(),
            Some("attrsOf" | "lazyAttrsOf")
        ) {
            return None;
        }
        ty = element(eval, &ty)?;
    }
    Some(ty)
}

/// The element type of `attrsOf t`/`lazyAttrsOf t` (its `nestedTypes.elemType`).
pub(crate) fn element(eval: &mut Eval, ty: &Value) -> Option<Value> {
    let nested = eval.select(ty, "nestedTypes", None)?;
    eval.select(&nested, "elemType", None)
}

const MAX_OPTIONS: usize = 100_000;

impl Modules {
    /// Builds the option tree once.
    pub(crate) fn ensure_options(&self, eval: &mut Eval) {
        // While modules are still being collected (an `imports` that reads `config`),
        // the declarations are not all there: nothing is built yet.
        if self.0.borrow().options.built || self.0.borrow().collecting {
            return;
        }
        self.0.borrow_mut().options.built = true;
        self.0.borrow_mut().options.building = true;
        let roots: Vec<Thunk> = self
            .0
            .borrow()
            .modules
            .iter()
            .filter_map(|m| m.options.clone())
            .collect();
        let mut root = Node::default();
        let mut count = 0;
        for thunk in roots {
            let value = eval.force(&thunk);
            add(eval, &mut root, &value, None, &mut count, 0);
        }
        let mut state = self.0.borrow_mut();
        state.options.root = root;
        state.options.building = false;
    }

    /// The option nearest the root that `path` lies at or below, and its length: one
    /// walk down the option tree.
    pub(crate) fn nearest_option(
        &self,
        eval: &mut Eval,
        path: &[Rc<str>],
    ) -> Option<(usize, OptionDecl)> {
        self.ensure_options(eval);
        let state = self.0.borrow();
        let mut node = &state.options.root;
        for (k, name) in path.iter().enumerate() {
            node = node.children.get(name)?;
            if let Some(option) = &node.option {
                return Some((k + 1, option.clone()));
            }
        }
        None
    }

    /// The option declared exactly at `path`, if any.
    pub fn option_at(&self, eval: &mut Eval, path: &[Rc<str>]) -> Option<OptionDecl> {
        self.ensure_options(eval);
        let state = self.0.borrow();
        state.options.root.find(path)?.option.clone()
    }

    /// Names of options (or option groups) declared directly below `path`.
    pub fn option_children(
        &self,
        eval: &mut Eval,
        path: &[Rc<str>],
    ) -> Vec<(Rc<str>, Option<Span>)> {
        self.ensure_options(eval);
        let state = self.0.borrow();
        match state.options.root.find(path) {
            Some(node) => node
                .children
                .iter()
                .map(|(k, n)| (k.clone(), n.option.as_ref().and_then(|o| o.span)))
                .collect(),
            None => Vec::new(),
        }
    }
}

fn add(
    eval: &mut Eval,
    node: &mut Node,
    value: &Value,
    span: Option<Span>,
    count: &mut usize,
    depth: u32,
) {
    if *count >= MAX_OPTIONS || depth > 64 {
        return;
    }
    let Value::Attrs(attrs) = value else { return };
    let kind = eval.module_type(value);
    if kind.as_deref() == Some("option") {
        *count += 1;
        match &mut node.option {
            None => {
                node.option = Some(OptionDecl {
                    attrs: attrs.clone(),
                    span,
                    others: Vec::new(),
                });
            }
            Some(first) => first.others.push(attrs.clone()),
        }
        return;
    }
    if kind.is_some() {
        return;
    }
    for (name, attr) in &attrs.entries {
        let child = node.children.entry(name.clone()).or_default();
        let v = eval.force(&attr.value);
        add(eval, child, &v, attr.key_span, count, depth + 1);
    }
}

pub(crate) fn all(eval: &mut Eval, modules: &Modules) -> Vec<(Vec<Rc<str>>, OptionDecl)> {
    modules.ensure_options(eval);
    let state = modules.0.borrow();
    let mut out = Vec::new();
    let mut stack: Vec<(Vec<Rc<str>>, &Node)> = vec![(Vec::new(), &state.options.root)];
    while let Some((path, node)) = stack.pop() {
        if let Some(o) = &node.option {
            out.push((path.clone(), o.clone()));
        }
        for (k, child) in &node.children {
            let mut p = path.clone();
            p.push(k.clone());
            stack.push((p, child));
        }
    }
    out
}
