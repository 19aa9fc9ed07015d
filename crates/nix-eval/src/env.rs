//! Lexical scopes. Names bound lexically win over `with`; `with` namespaces are searched
//! innermost first, and the builtins last.
//!
//! `let`, `rec` and function patterns with defaults bind thunks that refer back to their
//! own scope: those scopes are registered with the evaluator, which clears them when it
//! is dropped, so no reference cycle outlives an evaluation.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::value::Thunk;

#[derive(Clone)]
pub struct Env(pub(crate) Rc<Scope>);

pub(crate) enum Scope {
    Root,
    Vars {
        vars: RefCell<HashMap<Rc<str>, Thunk>>,
        parent: Env,
    },
    /// One variable (a function's argument): the common case, without a map.
    Var {
        name: Rc<str>,
        value: Thunk,
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
    NotFound,
}

impl Env {
    pub fn root() -> Env {
        Env(Rc::new(Scope::Root))
    }

    pub(crate) fn vars(&self) -> Env {
        Env(Rc::new(Scope::Vars {
            vars: RefCell::new(HashMap::new()),
            parent: self.clone(),
        }))
    }

    pub(crate) fn var(&self, name: Rc<str>, value: Thunk) -> Env {
        Env(Rc::new(Scope::Var {
            name,
            value,
            parent: self.clone(),
        }))
    }

    pub(crate) fn with(&self, namespace: Thunk) -> Env {
        Env(Rc::new(Scope::With {
            namespace,
            parent: self.clone(),
        }))
    }

    pub(crate) fn define(&self, name: Rc<str>, value: Thunk) {
        if let Scope::Vars { vars, .. } = &*self.0 {
            vars.borrow_mut().insert(name, value);
        }
    }

    pub(crate) fn lookup(&self, name: &str) -> Lookup {
        let mut withs = Vec::new();
        let mut scope = self;
        loop {
            match &*scope.0 {
                Scope::Root => break,
                Scope::Vars { vars, parent } => {
                    if let Some(t) = vars.borrow().get(name) {
                        return Lookup::Found(t.clone());
                    }
                    scope = parent;
                }
                Scope::Var {
                    name: n,
                    value,
                    parent,
                } => {
                    if n.as_ref() == name {
                        return Lookup::Found(value.clone());
                    }
                    scope = parent;
                }
                Scope::With { namespace, parent } => {
                    withs.push(namespace.clone());
                    scope = parent;
                }
            }
        }
        if withs.is_empty() {
            Lookup::NotFound
        } else {
            Lookup::Withs(withs)
        }
    }
}
