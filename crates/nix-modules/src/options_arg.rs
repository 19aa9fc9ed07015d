//! The `options` module argument: the declared options by path, each with what
//! `mkAliasDefinitions` and friends read: `isDefined`, `definitions` (each with its
//! conditions and priority, so the definitions they are copied to keep them) and
//! `value`. In an open configuration the options nobody declares here are unknown.

use std::rc::Rc;

use nix_eval::{Attr, Attrs, Eval, Reason, Unknown, Value};

use crate::defs::Decided;
use crate::merge::dotted;
use crate::{Modules, properties};

impl Modules {
    /// `options.<path>`.
    pub(crate) fn options_value(&self, eval: &mut Eval, path: &[Rc<str>]) -> Value {
        self.ensure_options(eval);
        if self.0.borrow().options.building || self.0.borrow().collecting {
            // Asked for while the modules are collected or their declarations read:
            // not known yet.
            return Value::external(dotted("options", path), None);
        }
        let (option, children) = {
            let state = self.0.borrow();
            match state.options.root.find(path) {
                Some(node) => (
                    node.option.clone(),
                    node.children.keys().cloned().collect::<Vec<_>>(),
                ),
                None => (None, Vec::new()),
            }
        };
        let mut attrs = match &option {
            Some(o) => (*o.attrs).clone(),
            None => Attrs::default(),
        };
        if option.is_some() {
            self.add_option_fields(eval, &mut attrs, path);
            return Value::attrs(attrs);
        }
        for name in children {
            let modules = self.clone();
            let mut sub = path.to_vec();
            sub.push(name.clone());
            let value = eval.lazy(move |eval| modules.options_value(eval, &sub));
            attrs.entries.insert(
                name,
                Attr {
                    value,
                    key_span: None,
                },
            );
        }
        if self.0.borrow().open {
            attrs.unknown_names.push(Rc::new(Unknown::new(
                Reason::External {
                    name: dotted("options", path).into(),
                    from_input: false,
                },
                None,
            )));
        }
        Value::attrs(attrs)
    }

    fn add_option_fields(&self, eval: &mut Eval, attrs: &mut Attrs, path: &[Rc<str>]) {
        // Each field holds the modules until forced: cleared with the evaluator, so an
        // options value kept in a definition is no reference cycle.
        let mut field = |f: Box<dyn FnOnce(&mut Eval) -> Value>| Attr {
            value: eval.lazy(f),
            key_span: None,
        };
        let (m, p) = (self.clone(), path.to_vec());
        attrs.entries.insert(
            "definitions".into(),
            field(Box::new(move |eval| {
                let items = m
                    .defs_at(eval, &p)
                    .iter()
                    .filter(|d| !matches!(d.decide(eval), Decided::False))
                    .map(properties::wrap)
                    .collect();
                Value::list(items, None)
            })),
        );
        let (m, p) = (self.clone(), path.to_vec());
        attrs.entries.insert(
            "isDefined".into(),
            field(Box::new(move |eval| {
                let mut undecided = None;
                for def in m.defs_at(eval, &p) {
                    match def.decide(eval) {
                        Decided::True => return Value::Bool(true),
                        Decided::False => {}
                        Decided::Unknown(u, _, _) => undecided = undecided.or(Some(u)),
                    }
                }
                match undecided {
                    Some(u) => Value::Unknown(u),
                    None => Value::Bool(false),
                }
            })),
        );
        let (m, p) = (self.clone(), path.to_vec());
        attrs.entries.insert(
            "value".into(),
            field(Box::new(move |eval| m.value_at(eval, &p))),
        );
    }
}
