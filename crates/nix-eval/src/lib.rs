//! A lazy Nix evaluator for static analysis.
//!
//! Values may be [`Unknown`]: something that cannot be decided without running Nix for
//! real (a package, a module argument nobody passed, a condition on one of those). An
//! unknown carries a [`Reason`] (a closed enum) and the span where it arose, and
//! propagates through every operation, so what the files decide is computed exactly and
//! the rest is never guessed. Strings keep known and unknown parts apart.
//!
//! This crate knows nothing of modules, flakes or Home Manager: the layers above pass in
//! [`Sources`] (files and the repository) and [`NativeFn`]s of their own.

mod apply;
mod attr_map;
mod attrs;
mod builtins;
mod env;
mod eval;
mod ops;
mod prelude;
mod sources;
mod store_text;
mod strings;
mod teardown;
mod undecided_parts;
mod value;

pub use attr_map::AttrMap;
pub use builtins::Builtin;
pub use builtins::derivation;
pub use env::Env;
pub use eval::{Environment, Eval, Limits, normalize, run_with_stack};
pub use prelude::{Prelude, parsed as prelude_parsed};
pub use sources::{FileKind, MemorySources, Sources, SourcesError};
pub use undecided_parts::{Member, UndecidedNames};
pub use value::{
    Attr, Attrs, Closure, ErrorKind, List, NativeCall, NativeFn, Part, PrimOp, Reason, Str, Thunk,
    Unknown, Value,
};
