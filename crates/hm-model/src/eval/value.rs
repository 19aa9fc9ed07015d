//! Values of the static evaluator. Nothing here escapes the crate: the public
//! model (`crate::model`) holds only spans and plain data.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use indexmap::IndexMap;
use nix_source::{FileId, Span};
use nix_syntax::ExprId;

use super::env::Env;

/// A lazily evaluated expression, remembered once forced.
#[derive(Clone)]
pub(crate) struct Thunk(Rc<ThunkCell>);

pub(crate) struct ThunkCell {
    /// Where the expression was written, if it was.
    pub(crate) span: Option<Span>,
    pub(crate) state: RefCell<ThunkState>,
}

pub(crate) enum ThunkState {
    Pending {
        file: FileId,
        expr: ExprId,
        env: Env,
    },
    /// `inherit name;` / `inherit (from) name;`
    Inherit {
        name: Rc<str>,
        env: Env,
        from: Option<Thunk>,
    },
    Forcing,
    Done(Value),
}

impl Thunk {
    pub(crate) fn pending(file: FileId, expr: ExprId, env: Env, span: Span) -> Self {
        Self::with_state(Some(span), ThunkState::Pending { file, expr, env })
    }

    pub(crate) fn ready(value: Value) -> Self {
        Self::with_state(value.span(), ThunkState::Done(value))
    }

    pub(crate) fn with_state(span: Option<Span>, state: ThunkState) -> Self {
        Thunk(Rc::new(ThunkCell {
            span,
            state: RefCell::new(state),
        }))
    }

    pub(crate) fn cell(&self) -> &ThunkCell {
        &self.0
    }

    pub(crate) fn span(&self) -> Option<Span> {
        self.0.span
    }
}

/// The source text of a condition (`mkIf cond`, `optionalAttrs cond`, `if cond`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Condition {
    pub(crate) text: Rc<str>,
    pub(crate) span: Option<Span>,
}

impl Condition {
    pub(crate) fn negated(&self) -> Condition {
        Condition {
            text: format!("!({})", self.text).into(),
            span: self.span,
        }
    }
}

#[derive(Clone)]
pub(crate) struct Attr {
    pub(crate) value: Thunk,
    pub(crate) key_span: Span,
}

#[derive(Clone)]
pub(crate) struct Attrs {
    pub(crate) entries: IndexMap<Rc<str>, Attr>,
    /// Keys written as `${expr}` that could not be computed statically.
    pub(crate) dynamic_keys: Vec<Span>,
    pub(crate) span: Span,
}

pub(crate) struct Closure {
    pub(crate) file: FileId,
    pub(crate) lambda: ExprId,
    pub(crate) env: Env,
    pub(crate) span: Span,
}

/// Something from outside the files: `pkgs.hello`, `config.home.username`, a flake input,
/// or the result of calling one. Selecting from or calling it gives another opaque value.
pub(crate) struct Opaque {
    pub(crate) name: String,
    pub(crate) args: Vec<Thunk>,
    pub(crate) span: Option<Span>,
}

/// An attribute set whose missing attributes are opaque: module arguments and flake inputs.
pub(crate) struct Open {
    pub(crate) known: IndexMap<Rc<str>, Thunk>,
    /// For a flake's inputs: remember which names the outputs ask for.
    pub(crate) record_uses: bool,
}

/// A value computed by code the analyser does not run (`map`, `genAttrs`, comparisons, …).
pub(crate) struct Dynamic {
    pub(crate) span: Option<Span>,
    pub(crate) reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    Import,
    Throw,
    ToString,
    /// `lib.mkIf cond value`
    MkIf,
    /// `lib.optionalAttrs cond attrs`
    OptionalAttrs,
    /// `lib.optional cond x`
    Optional,
    /// `lib.optionals cond list`
    Optionals,
    MkMerge,
    /// `mkDefault`, `mkForce`, `mkBefore`, …: priority wrappers around one value.
    Priority,
    /// `mkOverride prio value`, `mkOrder prio value`
    PriorityWithArg,
    /// `recursiveUpdate a b`
    RecursiveUpdate,
    /// Functions whose result the analyser does not compute, with their arity.
    Computes(&'static str, u8),
}

impl Builtin {
    pub(crate) fn arity(self) -> usize {
        match self {
            Builtin::Import | Builtin::Throw | Builtin::ToString | Builtin::MkMerge => 1,
            Builtin::Priority => 1,
            Builtin::MkIf
            | Builtin::OptionalAttrs
            | Builtin::Optional
            | Builtin::Optionals
            | Builtin::PriorityWithArg
            | Builtin::RecursiveUpdate => 2,
            Builtin::Computes(_, arity) => arity as usize,
        }
    }
}

#[derive(Clone)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string; `text` is `None` when it interpolates something not known statically.
    Str {
        text: Option<Rc<str>>,
        span: Option<Span>,
    },
    Path(Rc<PathBuf>, Option<Span>),
    Attrs(Rc<Attrs>),
    List(Rc<Vec<Thunk>>, Option<Span>),
    Lambda(Rc<Closure>),
    Builtin(Builtin, Rc<Vec<Thunk>>, Option<Span>),
    /// `mkIf`, `optionalAttrs`, `optional(s)`
    Conditional {
        cond: Condition,
        body: Thunk,
    },
    /// `if cond then a else b` with an undecidable `cond`.
    Branch {
        cond: Condition,
        then: Thunk,
        otherwise: Thunk,
    },
    /// `mkMerge [ … ]`, `a // b` and `recursiveUpdate a b` when not both known attribute sets.
    Merge(Rc<Vec<Thunk>>),
    /// `mkDefault x`, `mkForce x`, …
    Priority(Thunk),
    Opaque(Rc<Opaque>),
    Open(Rc<Open>),
    Dynamic(Rc<Dynamic>),
    /// Evaluation failed (undefined variable, missing attribute, import error, …).
    Error(Rc<str>),
}

impl Value {
    pub(crate) fn span(&self) -> Option<Span> {
        match self {
            Value::Str { span, .. } | Value::Path(_, span) | Value::List(_, span) => *span,
            Value::Attrs(a) => Some(a.span),
            Value::Lambda(c) => Some(c.span),
            Value::Builtin(_, _, span) => *span,
            Value::Opaque(o) => o.span,
            Value::Dynamic(d) => d.span,
            _ => None,
        }
    }

    pub(crate) fn opaque(name: impl Into<String>, span: Option<Span>) -> Value {
        Value::Opaque(Rc::new(Opaque {
            name: name.into(),
            args: Vec::new(),
            span,
        }))
    }

    pub(crate) fn dynamic(span: Option<Span>, reason: impl Into<String>) -> Value {
        Value::Dynamic(Rc::new(Dynamic {
            span,
            reason: reason.into(),
        }))
    }

    pub(crate) fn error(reason: impl Into<Rc<str>>) -> Value {
        Value::Error(reason.into())
    }

    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Str { .. } => "a string",
            Value::Path(..) => "a path",
            Value::Attrs(_) | Value::Open(_) => "an attribute set",
            Value::List(..) => "a list",
            Value::Lambda(_) | Value::Builtin(..) => "a function",
            Value::Conditional { .. } | Value::Branch { .. } => "a conditional value",
            Value::Merge(_) | Value::Priority(_) => "a module-system value",
            Value::Opaque(_) => "an external value",
            Value::Dynamic(_) => "a computed value",
            Value::Error(_) => "an error",
        }
    }
}
