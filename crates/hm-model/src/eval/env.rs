//! Lexical scopes. Lexical bindings (and the builtins at the root) win over `with`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::value::Thunk;

pub(crate) type Env = Rc<Scope>;

pub(crate) enum Scope {
    Root,
    Vars {
        vars: RefCell<HashMap<Rc<str>, Thunk>>,
        parent: Env,
    },
    With {
        namespace: Thunk,
        parent: Env,
    },
}

pub(crate) enum Lookup {
    Found(Thunk),
    /// Not bound lexically; these `with` namespaces (innermost first) may have it.
    Withs(Vec<Thunk>),
    /// Not bound anywhere in the files: a builtin or an undefined variable.
    Global,
}

impl Scope {
    pub(crate) fn root() -> Env {
        Rc::new(Scope::Root)
    }

    pub(crate) fn vars(parent: &Env) -> Env {
        Rc::new(Scope::Vars {
            vars: RefCell::new(HashMap::new()),
            parent: parent.clone(),
        })
    }

    pub(crate) fn with(parent: &Env, namespace: Thunk) -> Env {
        Rc::new(Scope::With {
            namespace,
            parent: parent.clone(),
        })
    }

    pub(crate) fn define(&self, name: Rc<str>, value: Thunk) {
        if let Scope::Vars { vars, .. } = self {
            vars.borrow_mut().insert(name, value);
        }
    }

    pub(crate) fn lookup(self: &Env, name: &str) -> Lookup {
        let mut withs = Vec::new();
        let mut scope = self;
        loop {
            match &**scope {
                Scope::Root => break,
                Scope::Vars { vars, parent } => {
                    if let Some(t) = vars.borrow().get(name) {
                        return Lookup::Found(t.clone());
                    }
                    scope = parent;
                }
                Scope::With { namespace, parent } => {
                    withs.push(namespace.clone());
                    scope = parent;
                }
            }
        }
        if withs.is_empty() || super::builtins::is_global(name) {
            Lookup::Global
        } else {
            Lookup::Withs(withs)
        }
    }
}
