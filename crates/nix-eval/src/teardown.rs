//! Breaking every reference cycle when the evaluator is dropped.
//!
//! Values refer to each other through `Rc`s, and Nix data can be cyclic: a `rec` set or a
//! `let` whose thunks capture their own scope, a fixpoint, or data that contains itself once
//! forced (nixpkgs' `types.bool.functor.type` is `types.bool`). Clearing only the scopes
//! the evaluator registered left the cycles that forcing creates between values (the
//! fuzzer found `home.file.f = lib.types.bool.functor`). So teardown walks everything
//! reachable from what the evaluator holds and empties each thunk and scope once: nothing
//! is left holding anything, and the `Rc`s free it all.

use rustc_hash::FxHashSet;

use crate::env::{Env, Scope};
use crate::value::{Application, Part, Thunk, ThunkState, Unknown, Value};

#[derive(Default)]
pub(crate) struct Sweep {
    thunks: Vec<Thunk>,
    envs: Vec<Env>,
    values: Vec<Value>,
    /// The shared objects already walked, by address (hashed by rustc's hasher: an
    /// address needs no protection from collisions, and a large analysis has millions).
    seen: FxHashSet<usize>,
}

impl Sweep {
    pub(crate) fn thunk(&mut self, thunk: Thunk) {
        self.thunks.push(thunk);
    }

    pub(crate) fn env(&mut self, env: Env) {
        self.envs.push(env);
    }

    pub(crate) fn value(&mut self, value: Value) {
        self.values.push(value);
    }

    /// Empties every thunk and scope reachable from what was added.
    pub(crate) fn run(mut self) {
        loop {
            if let Some(thunk) = self.thunks.pop() {
                self.empty_thunk(&thunk);
            } else if let Some(env) = self.envs.pop() {
                self.empty_env(&env);
            } else if let Some(value) = self.values.pop() {
                self.walk_value(value);
            } else {
                return;
            }
        }
    }

    fn first_visit<T>(&mut self, rc: &std::rc::Rc<T>) -> bool {
        self.seen
            .insert(std::rc::Rc::as_ptr(rc) as *const () as usize)
    }

    fn empty_thunk(&mut self, thunk: &Thunk) {
        // A thunk being forced (only possible if teardown starts mid-evaluation) keeps
        // its state; a cleared one holds nothing more.
        let Ok(mut state) = thunk.0.state.try_borrow_mut() else {
            return;
        };
        match std::mem::replace(&mut *state, ThunkState::Done(Value::Null)) {
            ThunkState::Expr { env, .. } => self.envs.push(env),
            ThunkState::Apply(call) => {
                let Application { func, arg, .. } = *call;
                self.values.push(func);
                self.thunks.push(arg);
            }
            ThunkState::Done(value) => self.values.push(value),
            ThunkState::Native(_) | ThunkState::Forcing(_) => {}
        }
    }

    fn empty_env(&mut self, env: &Env) {
        if !self.first_visit(&env.0) {
            return;
        }
        match &*env.0 {
            Scope::Root => {}
            Scope::Vars { vars, parent } => {
                if let Ok(mut vars) = vars.try_borrow_mut() {
                    self.thunks.extend(std::mem::take(&mut *vars).into_values());
                }
                self.envs.push(parent.clone());
            }
            Scope::Var { value, parent, .. } => {
                self.thunks.push(value.clone());
                self.envs.push(parent.clone());
            }
            Scope::With { namespace, parent } => {
                self.thunks.push(namespace.clone());
                self.envs.push(parent.clone());
            }
        }
    }

    fn walk_value(&mut self, value: Value) {
        match value {
            Value::Attrs(attrs) if self.first_visit(&attrs) => {
                self.thunks
                    .extend(attrs.entries.values().map(|attr| attr.value.clone()));
                for unknown in &attrs.unknown_names {
                    self.walk_unknown(unknown);
                }
            }
            Value::List(list) if self.first_visit(&list) => {
                self.thunks.extend(list.items.iter().cloned());
            }
            Value::Lambda(closure) if self.first_visit(&closure) => {
                self.envs.push(closure.env.clone());
            }
            // A native function's closure is opaque: what it captured goes with it.
            Value::PrimOp(_, args) if self.first_visit(&args) => {
                self.thunks.extend(args.iter().cloned());
            }
            Value::Str(text) if self.first_visit(&text) => {
                for part in &text.parts {
                    if let Part::Unknown(unknown) = part {
                        self.walk_unknown(unknown);
                    }
                }
            }
            Value::Unknown(unknown) => self.walk_unknown(&unknown),
            _ => {}
        }
    }

    fn walk_unknown(&mut self, unknown: &std::rc::Rc<Unknown>) {
        if !self.first_visit(unknown) {
            return;
        }
        self.thunks.extend(unknown.args.iter().cloned());
        if let Some((then, otherwise)) = &unknown.alternatives {
            self.thunks.push(then.clone());
            self.thunks.push(otherwise.clone());
        }
    }
}
