//! Values, thunks and unknowns.

use std::cell::RefCell;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use nix_source::{FileId, Span};
use nix_syntax::ExprId;

use crate::attr_map::AttrMap;
use crate::builtins::Builtin;
use crate::env::Env;
use crate::eval::Eval;

/// Why a value is not known statically. A closed set: layers above decide by these,
/// never by message text.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// Comes from outside the files: a module argument, a flake input, `pkgs`. `name` is
    /// the access path as written (`pkgs.hello`, `config.home.username`). `from_input`:
    /// it is read from a flake input (`inputs.x.nixosModules.y`, a path into its
    /// source), another flake's code, written without these files in view.
    External { name: Rc<str>, from_input: bool },
    /// A derivation built by a trivial builder (`pkgs.writeShellScript "name" …`): its
    /// store path is only known after building. `source`: the file or directory of the
    /// repository a path interpolated into a string copies to the store (`"${./hm}/x.nix"`
    /// names `./hm/x.nix`).
    Derivation {
        name: Rc<str>,
        source: Option<Rc<Path>>,
    },
    /// `len` characters of a store path's hash (what `substring` cuts from a store path).
    StoreHash { len: usize },
    /// A string a library function (the prelude) returned to the user's files, computed
    /// from values only Nix knows (`lib.getExe pkgs.hello`): the call names it.
    LibraryCall,
    /// `if` on a condition that is itself unknown.
    UndecidedCondition,
    /// Depends on the environment or the clock (`getEnv`, `currentTime`, `<nixpkgs>`).
    Impure,
    /// A file outside the repository, or one that could not be read.
    OutsideRepository,
    /// A builtin the evaluator does not implement.
    Unsupported { builtin: Rc<str> },
    /// Evaluation entered itself (`let x = x; in x`).
    InfiniteRecursion,
    /// `throw`, `abort`, a failed `assert`, or a type or attribute error: Nix would fail.
    Error { kind: ErrorKind, message: Rc<str> },
    /// The evaluation budget or depth limit ran out.
    Limit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Throw,
    Abort,
    Assert,
    Type,
    MissingAttribute,
    UndefinedVariable,
    Import,
    Syntax,
    /// An option read where no module defines it and it has no default (Nix: "used but
    /// not defined"); the unknown's span is where the option is declared.
    UndefinedOption,
    Other,
}

impl Reason {
    /// Errors Nix would raise (which `tryEval` catches when thrown).
    pub fn is_error(&self) -> bool {
        matches!(self, Reason::Error { .. })
    }

    pub fn error(kind: ErrorKind, message: impl Into<Rc<str>>) -> Reason {
        Reason::Error {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::External { name, .. } => {
                write!(f, "depends on `{name}`, known only to Nix")
            }
            Reason::Derivation { name, source: None } => {
                write!(f, "the store path of derivation `{name}`")
            }
            Reason::Derivation { name, .. } => write!(f, "the store path of the copy of `{name}`"),
            Reason::StoreHash { .. } => write!(f, "a store path's hash"),
            Reason::LibraryCall => {
                write!(
                    f,
                    "computed by a library function from values known only to Nix"
                )
            }
            Reason::UndecidedCondition => write!(f, "depends on a condition not known statically"),
            Reason::Impure => write!(f, "depends on the environment"),
            Reason::OutsideRepository => write!(f, "reads a file outside the repository"),
            Reason::Unsupported { builtin } => {
                write!(f, "uses `{builtin}`, not evaluated statically")
            }
            Reason::InfiniteRecursion => write!(f, "infinite recursion"),
            Reason::Error { message, .. } => write!(f, "{message}"),
            Reason::Limit => write!(f, "too deep or too long to evaluate statically"),
        }
    }
}

/// An item a list holds under a condition (see [`Unknown::conditional_items`]).
pub type ConditionalItem = (Thunk, Rc<Unknown>);

/// A value that cannot be decided statically.
#[derive(Clone)]
pub struct Unknown {
    pub reason: Reason,
    /// Where it arose.
    pub span: Option<Span>,
    /// For an external function called with arguments: the arguments (so layers above
    /// can recognise `nixosSystem { modules = …; }` by the shape of its argument).
    pub args: Vec<Thunk>,
    /// For `if` on an unknown condition: the two alternatives.
    pub alternatives: Option<(Thunk, Thunk)>,
    /// For a list only Nix knows whole, `[ ./a.nix ] ++ x`: the items known to be in it
    /// (`imports`, `modules`: the known ones are still read).
    pub known_items: Vec<Thunk>,
    /// For a list whose items are known but not all decided (`filter` with a predicate
    /// only Nix decides for some items): each of those items with the condition under
    /// which the list holds it. When set, the list holds `known_items` and these, nothing
    /// else.
    pub conditional_items: Option<Rc<[ConditionalItem]>>,
}

impl Unknown {
    /// An unknown for `reason`, arising at `span`, with nothing more known of it.
    pub fn new(reason: Reason, span: Option<Span>) -> Unknown {
        Unknown {
            reason,
            span,
            args: Vec::new(),
            alternatives: None,
            known_items: Vec::new(),
            conditional_items: None,
        }
    }

    pub fn external_name(&self) -> Option<&str> {
        match &self.reason {
            Reason::External { name, .. } => Some(name),
            _ => None,
        }
    }
}

/// One piece of a string: known text, or something only Nix can fill in.
#[derive(Clone)]
pub enum Part {
    Text(Rc<str>),
    /// An unknown value interpolated at `span` (`${pkgs.hello}`).
    Unknown(Rc<Unknown>),
}

/// A string whose parts may be unknown.
#[derive(Clone)]
pub struct Str {
    pub parts: Vec<Part>,
    /// Where the string literal was written.
    pub span: Option<Span>,
}

impl Str {
    pub fn known(text: impl Into<Rc<str>>, span: Option<Span>) -> Self {
        let text: Rc<str> = text.into();
        let parts = if text.is_empty() {
            Vec::new()
        } else {
            vec![Part::Text(text)]
        };
        Str { parts, span }
    }

    /// The store path of a derivation (or a copied file) named `name`: only the name is
    /// known, not the hash.
    pub fn store_path(name: &str, span: Option<Span>) -> Self {
        Str::copied(name, None, span)
    }

    /// The store path `source` (a path of the repository) is copied to, named `name`.
    pub fn copied(name: &str, source: Option<Rc<Path>>, span: Option<Span>) -> Self {
        Str {
            parts: vec![Part::Unknown(Rc::new(Unknown::new(
                Reason::Derivation {
                    name: name.into(),
                    source,
                },
                span,
            )))],
            span,
        }
    }

    /// The repository path a string names through a store copy of one:
    /// `"${./hm}/bob.nix"` is `./hm/bob.nix` to `import`, `readFile`, … as to Nix.
    pub fn source_path(&self) -> Option<PathBuf> {
        let (Part::Unknown(u), rest) = self.parts.split_first()? else {
            return None;
        };
        let Reason::Derivation {
            source: Some(source),
            ..
        } = &u.reason
        else {
            return None;
        };
        let mut tail = String::new();
        for part in rest {
            match part {
                Part::Text(t) => tail.push_str(t),
                Part::Unknown(_) => return None,
            }
        }
        // `"${./hm}x"` is another store path (`…-hmx`), not a file below the copy.
        if !tail.is_empty() && !tail.starts_with('/') {
            return None;
        }
        let tail = tail.trim_start_matches('/');
        // `..` leaves the copy: `/nix/store/…-hm/../x` is no file of the repository.
        if Path::new(tail)
            .components()
            .any(|c| matches!(c, Component::ParentDir))
        {
            return None;
        }
        Some(if tail.is_empty() {
            source.to_path_buf()
        } else {
            source.join(tail)
        })
    }

    /// The text when every part is known.
    pub fn as_known(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self.parts.as_slice() {
            [] => Some("".into()),
            [Part::Text(t)] => Some(t.as_ref().into()),
            parts => {
                let mut out = String::new();
                for p in parts {
                    match p {
                        Part::Text(t) => out.push_str(t),
                        Part::Unknown(_) => return None,
                    }
                }
                Some(out.into())
            }
        }
    }

    pub fn first_unknown(&self) -> Option<&Rc<Unknown>> {
        self.parts.iter().find_map(|p| match p {
            Part::Unknown(u) => Some(u),
            Part::Text(_) => None,
        })
    }
}

#[derive(Clone)]
pub struct Attr {
    pub value: Thunk,
    /// Where the name was written.
    pub key_span: Option<Span>,
}

/// An attribute set, ordered by name as in Nix.
#[derive(Clone, Default)]
pub struct Attrs {
    pub entries: AttrMap,
    /// `${e} = …` whose name is unknown: any missing name may be one of these.
    pub unknown_names: Vec<Rc<Unknown>>,
    pub span: Option<Span>,
}

impl Attrs {
    pub fn get(&self, name: &str) -> Option<&Attr> {
        self.entries.get(name)
    }
}

#[derive(Clone)]
pub struct List {
    pub items: Vec<Thunk>,
    pub span: Option<Span>,
}

pub struct Closure {
    pub file: FileId,
    pub lambda: ExprId,
    pub env: Env,
    pub span: Span,
}

/// A function implemented by a layer above (e.g. `nixosSystem` recognised by the
/// flake layer). Called once all `arity` arguments are given.
pub struct NativeFn {
    pub name: Rc<str>,
    pub arity: usize,
    #[allow(clippy::type_complexity)]
    pub call: Box<dyn Fn(&mut Eval, &[Thunk], Option<Span>) -> Value>,
}

#[derive(Clone)]
pub enum PrimOp {
    Builtin(Builtin),
    Native(Rc<NativeFn>),
}

impl PrimOp {
    pub fn arity(&self) -> usize {
        match self {
            PrimOp::Builtin(b) => b.arity(),
            PrimOp::Native(n) => n.arity,
        }
    }

    pub fn name(&self) -> Rc<str> {
        match self {
            PrimOp::Builtin(b) => b.name().into(),
            PrimOp::Native(n) => n.name.clone(),
        }
    }
}

#[derive(Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<Str>),
    Path(Rc<PathBuf>),
    Attrs(Rc<Attrs>),
    List(Rc<List>),
    Lambda(Rc<Closure>),
    /// A builtin or native function with the arguments given so far.
    PrimOp(PrimOp, Rc<Vec<Thunk>>),
    Unknown(Rc<Unknown>),
}

impl Value {
    pub fn string(text: impl Into<Rc<str>>, span: Option<Span>) -> Value {
        Value::Str(Rc::new(Str::known(text, span)))
    }

    pub fn unknown(reason: Reason, span: Option<Span>) -> Value {
        Value::Unknown(Rc::new(Unknown::new(reason, span)))
    }

    pub fn error(kind: ErrorKind, message: impl Into<Rc<str>>, span: Option<Span>) -> Value {
        Value::unknown(Reason::error(kind, message), span)
    }

    pub fn external(name: impl Into<Rc<str>>, span: Option<Span>) -> Value {
        Value::external_from(name, false, span)
    }

    /// An outside value, read from a flake input when `from_input`.
    pub fn external_from(name: impl Into<Rc<str>>, from_input: bool, span: Option<Span>) -> Value {
        Value::unknown(
            Reason::External {
                name: name.into(),
                from_input,
            },
            span,
        )
    }

    pub fn attrs(attrs: Attrs) -> Value {
        Value::Attrs(Rc::new(attrs))
    }

    pub fn list(items: Vec<Thunk>, span: Option<Span>) -> Value {
        Value::List(Rc::new(List { items, span }))
    }

    pub fn native(name: &str, arity: usize, call: NativeCall) -> Value {
        Value::PrimOp(
            PrimOp::Native(Rc::new(NativeFn {
                name: name.into(),
                arity,
                call,
            })),
            Rc::new(Vec::new()),
        )
    }

    /// A list's items; for a list only Nix knows whole (`[ ./a.nix ] ++ x`), the items
    /// known to be in it and the unknown rest; for anything else, no items and itself.
    pub fn list_items(&self) -> (Vec<Thunk>, Option<Value>) {
        match self {
            Value::List(l) => (l.items.clone(), None),
            Value::Unknown(u) if !u.known_items.is_empty() => {
                let rest = Unknown {
                    known_items: Vec::new(),
                    conditional_items: None,
                    ..Unknown::clone(u)
                };
                (u.known_items.clone(), Some(Value::Unknown(Rc::new(rest))))
            }
            other => (Vec::new(), Some(other.clone())),
        }
    }

    pub fn as_unknown(&self) -> Option<&Rc<Unknown>> {
        match self {
            Value::Unknown(u) => Some(u),
            _ => None,
        }
    }

    pub fn as_attrs(&self) -> Option<&Rc<Attrs>> {
        match self {
            Value::Attrs(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The text of a fully known string.
    pub fn as_str(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Value::Str(s) => s.as_known(),
            _ => None,
        }
    }

    /// Where the value was written, when that is known.
    pub fn span(&self) -> Option<Span> {
        match self {
            Value::Str(s) => s.span,
            Value::Attrs(a) => a.span,
            Value::List(l) => l.span,
            Value::Lambda(c) => Some(c.span),
            Value::Unknown(u) => u.span,
            _ => None,
        }
    }

    /// Nix's `builtins.typeOf`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "string",
            Value::Path(_) => "path",
            Value::Attrs(_) => "set",
            Value::List(_) => "list",
            Value::Lambda(_) | Value::PrimOp(..) => "lambda",
            Value::Unknown(_) => "unknown",
        }
    }
}

pub type NativeCall = Box<dyn Fn(&mut Eval, &[Thunk], Option<Span>) -> Value>;

/// A lazily evaluated value, remembered once forced.
#[derive(Clone)]
pub struct Thunk(pub(crate) Rc<ThunkCell>);

pub(crate) struct ThunkCell {
    /// The expression it stands for, when it is one (kept after forcing, for spans).
    pub(crate) origin: Option<(FileId, ExprId)>,
    pub(crate) state: RefCell<ThunkState>,
}

impl Thunk {
    fn new(origin: Option<(FileId, ExprId)>, state: ThunkState) -> Thunk {
        Thunk(Rc::new(ThunkCell {
            origin,
            state: RefCell::new(state),
        }))
    }

    pub(crate) fn state(&self) -> &RefCell<ThunkState> {
        &self.0.state
    }
}

pub(crate) enum ThunkState {
    Expr {
        file: FileId,
        expr: ExprId,
        env: Env,
    },
    /// `f arg`, applied when forced (keeps `map`, `mapAttrs`, … lazy). Boxed, being the
    /// largest state: every cell is as large as its largest state (88 bytes with this one
    /// inline, 64 boxed), and most cells hold an expression or a value.
    Apply(Box<Application>),
    /// Computed by a layer above or a builtin.
    Native(NativeThunk),
    Forcing(Option<Span>),
    Done(Value),
}

pub(crate) type NativeThunk = Box<dyn FnOnce(&mut Eval) -> Value>;

/// [`ThunkState::Apply`]: a function, its argument and where the call is written.
pub(crate) struct Application {
    pub(crate) func: Value,
    pub(crate) arg: Thunk,
    pub(crate) span: Option<Span>,
}

impl Thunk {
    pub fn ready(value: Value) -> Thunk {
        Thunk::new(None, ThunkState::Done(value))
    }

    pub(crate) fn expr(file: FileId, expr: ExprId, env: Env) -> Thunk {
        Thunk::new(Some((file, expr)), ThunkState::Expr { file, expr, env })
    }

    pub fn apply(func: Value, arg: Thunk, span: Option<Span>) -> Thunk {
        Thunk::new(
            None,
            ThunkState::Apply(Box::new(Application { func, arg, span })),
        )
    }

    pub fn native(f: impl FnOnce(&mut Eval) -> Value + 'static) -> Thunk {
        Thunk::new(None, ThunkState::Native(Box::new(f)))
    }

    /// The value if already forced.
    pub fn peek(&self) -> Option<Value> {
        match &*self.0.state.borrow() {
            ThunkState::Done(v) => Some(v.clone()),
            _ => None,
        }
    }

    /// The expression the thunk stands for, forced or not.
    pub fn expr_location(&self) -> Option<(FileId, ExprId)> {
        self.0.origin
    }

    pub fn ptr_eq(&self, other: &Thunk) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
