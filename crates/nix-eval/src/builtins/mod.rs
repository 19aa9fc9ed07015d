//! Nix's builtins: exact on known data; unknown (with the reason of the unknown input)
//! otherwise. Effects on the world (fetching, building) are unknown by nature.

mod attrs;
pub(crate) mod io;
mod lists;
pub(crate) mod misc;
mod strings;

use std::rc::Rc;

use nix_source::Span;

use crate::eval::Eval;
use crate::value::{Attr, Attrs, ErrorKind, List, PrimOp, Reason, Str, Thunk, Value};

macro_rules! builtins {
    ($($variant:ident = $name:literal / $arity:literal,)*) => {
        /// A builtin function.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Builtin { $($variant,)* }

        impl Builtin {
            pub const ALL: &'static [Builtin] = &[$(Builtin::$variant,)*];

            pub fn name(self) -> &'static str {
                match self { $(Builtin::$variant => $name,)* }
            }

            pub fn arity(self) -> usize {
                match self { $(Builtin::$variant => $arity,)* }
            }
        }
    };
}

builtins! {
    Abort = "abort" / 1,
    Add = "add" / 2,
    AddErrorContext = "addErrorContext" / 2,
    All = "all" / 2,
    Any = "any" / 2,
    AppendContext = "appendContext" / 2,
    AttrNames = "attrNames" / 1,
    AttrValues = "attrValues" / 1,
    BaseNameOf = "baseNameOf" / 1,
    BitAnd = "bitAnd" / 2,
    BitOr = "bitOr" / 2,
    BitXor = "bitXor" / 2,
    Break = "break" / 1,
    CatAttrs = "catAttrs" / 2,
    Ceil = "ceil" / 1,
    CompareVersions = "compareVersions" / 2,
    ConcatLists = "concatLists" / 1,
    ConcatMap = "concatMap" / 2,
    ConcatStringsSep = "concatStringsSep" / 2,
    DeepSeq = "deepSeq" / 2,
    Derivation = "derivation" / 1,
    DirOf = "dirOf" / 1,
    Div = "div" / 2,
    Elem = "elem" / 2,
    ElemAt = "elemAt" / 2,
    FetchGit = "fetchGit" / 1,
    FetchTarball = "fetchTarball" / 1,
    FetchTree = "fetchTree" / 1,
    Fetchurl = "fetchurl" / 1,
    Filter = "filter" / 2,
    FilterSource = "filterSource" / 2,
    Floor = "floor" / 1,
    FoldlStrict = "foldl'" / 3,
    FromJSON = "fromJSON" / 1,
    FromTOML = "fromTOML" / 1,
    FunctionArgs = "functionArgs" / 1,
    GenList = "genList" / 2,
    GenericClosure = "genericClosure" / 1,
    GetAttr = "getAttr" / 2,
    GetContext = "getContext" / 1,
    GetEnv = "getEnv" / 1,
    GetFlake = "getFlake" / 1,
    GroupBy = "groupBy" / 2,
    HasAttr = "hasAttr" / 2,
    HasContext = "hasContext" / 1,
    HashString = "hashString" / 2,
    HashFile = "hashFile" / 2,
    Head = "head" / 1,
    Import = "import" / 1,
    IntersectAttrs = "intersectAttrs" / 2,
    IsAttrs = "isAttrs" / 1,
    IsBool = "isBool" / 1,
    IsFloat = "isFloat" / 1,
    IsFunction = "isFunction" / 1,
    IsInt = "isInt" / 1,
    IsList = "isList" / 1,
    IsNull = "isNull" / 1,
    IsPath = "isPath" / 1,
    IsString = "isString" / 1,
    Length = "length" / 1,
    LessThan = "lessThan" / 2,
    ListToAttrs = "listToAttrs" / 1,
    Map = "map" / 2,
    MapAttrs = "mapAttrs" / 2,
    Match = "match" / 2,
    Mul = "mul" / 2,
    ParseDrvName = "parseDrvName" / 1,
    Partition = "partition" / 2,
    Path = "path" / 1,
    PathExists = "pathExists" / 1,
    Placeholder = "placeholder" / 1,
    ReadDir = "readDir" / 1,
    ReadFile = "readFile" / 1,
    RemoveAttrs = "removeAttrs" / 2,
    ReplaceStrings = "replaceStrings" / 3,
    ScopedImport = "scopedImport" / 2,
    Seq = "seq" / 2,
    Sort = "sort" / 2,
    Split = "split" / 2,
    SplitVersion = "splitVersion" / 1,
    StorePath = "storePath" / 1,
    StringLength = "stringLength" / 1,
    Sub = "sub" / 2,
    Substring = "substring" / 3,
    Tail = "tail" / 1,
    Throw = "throw" / 1,
    ToFile = "toFile" / 2,
    ToJSON = "toJSON" / 1,
    ToPath = "toPath" / 1,
    ToString = "toString" / 1,
    ToXML = "toXML" / 1,
    Trace = "trace" / 2,
    TryEval = "tryEval" / 1,
    TypeOf = "typeOf" / 1,
    UnsafeDiscardOutputDependency = "unsafeDiscardOutputDependency" / 1,
    UnsafeDiscardStringContext = "unsafeDiscardStringContext" / 1,
    UnsafeGetAttrPos = "unsafeGetAttrPos" / 2,
    Warn = "warn" / 2,
    ZipAttrsWith = "zipAttrsWith" / 2,
}

fn lookup(name: &str) -> Option<Builtin> {
    Builtin::ALL.iter().copied().find(|b| b.name() == name)
}

fn prim(b: Builtin) -> Value {
    Value::PrimOp(PrimOp::Builtin(b), Rc::new(Vec::new()))
}

/// The value of a name bound in every file's outermost scope, if it is one.
pub(crate) fn global(eval: &mut Eval, name: &str, span: Span) -> Option<Value> {
    Some(match name {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        "builtins" => builtins_set(eval),
        _ if name.starts_with("__") => {
            let set = builtins_set(eval);
            return eval.select(&set, &name[2..], Some(span));
        }
        _ if nix_syntax::is_global(name) => match lookup(name) {
            Some(b) => prim(b),
            None => Value::unknown(
                Reason::Unsupported {
                    builtin: name.into(),
                },
                Some(span),
            ),
        },
        _ => return None,
    })
}

/// The `builtins` set (built once).
fn builtins_set(eval: &mut Eval) -> Value {
    if let Some(v) = &eval.builtins_value {
        return v.clone();
    }
    let mut attrs = Attrs::default();
    for b in Builtin::ALL {
        attrs.entries.insert(
            b.name().into(),
            Attr {
                value: Thunk::ready(prim(*b)),
                key_span: None,
            },
        );
    }
    let constants = [
        ("true", Value::Bool(true)),
        ("false", Value::Bool(false)),
        ("null", Value::Null),
        ("langVersion", Value::Int(6)),
        ("nixVersion", Value::string("2.8.0", None)),
        ("storeDir", Value::string("/nix/store", None)),
        ("currentSystem", Value::unknown(Reason::Impure, None)),
        ("currentTime", Value::unknown(Reason::Impure, None)),
        ("nixPath", Value::unknown(Reason::Impure, None)),
    ];
    for (name, value) in constants {
        attrs.entries.insert(
            name.into(),
            Attr {
                value: Thunk::ready(value),
                key_span: None,
            },
        );
    }
    let value = Value::attrs(attrs);
    eval.builtins_value = Some(value.clone());
    value
}

/// What a builtin's argument must be, or the value to return instead (an unknown or an
/// error), as `Err`.
pub(crate) type Arg<T> = Result<T, Value>;

impl Eval {
    pub(crate) fn arg_list(&mut self, t: &Thunk, span: Option<Span>) -> Arg<Rc<List>> {
        match self.force(t) {
            Value::List(l) => Ok(l),
            other => Err(self.expected(other, "a list", span)),
        }
    }

    pub(crate) fn arg_attrs(&mut self, t: &Thunk, span: Option<Span>) -> Arg<Rc<Attrs>> {
        match self.force(t) {
            Value::Attrs(a) => Ok(a),
            other => Err(self.expected(other, "a set", span)),
        }
    }

    pub(crate) fn arg_int(&mut self, t: &Thunk, span: Option<Span>) -> Arg<i64> {
        match self.force(t) {
            Value::Int(i) => Ok(i),
            other => Err(self.expected(other, "an integer", span)),
        }
    }

    /// A fully known string (paths and `outPath` sets coerced as Nix does).
    pub(crate) fn arg_string(&mut self, t: &Thunk, span: Option<Span>) -> Arg<Rc<str>> {
        let value = self.force(t);
        let s = self.arg_str(&value, span)?;
        match s.as_known() {
            Some(text) => Ok(text.as_ref().into()),
            None => Err(self.unknown_string(&s, span)),
        }
    }

    /// A string whose parts may be unknown.
    pub(crate) fn arg_str(&mut self, value: &Value, span: Option<Span>) -> Arg<Str> {
        match value {
            Value::Str(s) => Ok((**s).clone()),
            Value::Unknown(_) => Err(self.unknown_from(value, span)),
            Value::Path(_) | Value::Attrs(_) => self.coerce_to_string(value, false, span),
            other => Err(self.expected(other.clone(), "a string", span)),
        }
    }

    pub(crate) fn unknown_string(&self, s: &Str, span: Option<Span>) -> Value {
        match s.first_unknown() {
            Some(u) => Value::Unknown(Rc::new(crate::value::Unknown::new(
                u.reason.clone(),
                span.or(u.span),
            ))),
            None => Value::unknown(Reason::UndecidedCondition, span),
        }
    }

    pub(crate) fn arg_bool(&mut self, value: Value, span: Option<Span>) -> Arg<bool> {
        match value {
            Value::Bool(b) => Ok(b),
            other => Err(self.expected(other, "a Boolean", span)),
        }
    }

    pub(crate) fn expected(&self, value: Value, what: &str, span: Option<Span>) -> Value {
        match value {
            Value::Unknown(_) => self.unknown_from(&value, span),
            other => Value::error(
                ErrorKind::Type,
                format!("value is {} while {what} was expected", type_phrase(&other)),
                span,
            ),
        }
    }
}

fn type_phrase(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a Boolean",
        Value::Int(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Str(_) => "a string",
        Value::Path(_) => "a path",
        Value::Attrs(_) => "a set",
        Value::List(_) => "a list",
        Value::Lambda(_) | Value::PrimOp(..) => "a function",
        Value::Unknown(_) => "unknown",
    }
}

/// Calls a builtin with all its arguments.
pub(crate) fn call(eval: &mut Eval, b: Builtin, args: &[Thunk], span: Option<Span>) -> Value {
    let result = match b {
        Builtin::Import
        | Builtin::ScopedImport
        | Builtin::ReadFile
        | Builtin::ReadDir
        | Builtin::PathExists
        | Builtin::Path
        | Builtin::FilterSource
        | Builtin::FetchGit
        | Builtin::FetchTarball
        | Builtin::FetchTree
        | Builtin::Fetchurl
        | Builtin::GetFlake
        | Builtin::GetEnv
        | Builtin::Derivation
        | Builtin::ToFile
        | Builtin::StorePath
        | Builtin::Placeholder
        | Builtin::HashFile
        | Builtin::BaseNameOf
        | Builtin::DirOf
        | Builtin::ToPath => io::call(eval, b, args, span),
        Builtin::Map
        | Builtin::Filter
        | Builtin::FoldlStrict
        | Builtin::GenList
        | Builtin::ConcatLists
        | Builtin::ConcatMap
        | Builtin::Elem
        | Builtin::ElemAt
        | Builtin::Head
        | Builtin::Tail
        | Builtin::Length
        | Builtin::Sort
        | Builtin::Partition
        | Builtin::GroupBy
        | Builtin::Any
        | Builtin::All
        | Builtin::GenericClosure => lists::call(eval, b, args, span),
        Builtin::AttrNames
        | Builtin::AttrValues
        | Builtin::MapAttrs
        | Builtin::ListToAttrs
        | Builtin::RemoveAttrs
        | Builtin::IntersectAttrs
        | Builtin::CatAttrs
        | Builtin::HasAttr
        | Builtin::GetAttr
        | Builtin::ZipAttrsWith
        | Builtin::FunctionArgs
        | Builtin::UnsafeGetAttrPos => attrs::call(eval, b, args, span),
        Builtin::ToString
        | Builtin::ReplaceStrings
        | Builtin::Substring
        | Builtin::StringLength
        | Builtin::Split
        | Builtin::Match
        | Builtin::ConcatStringsSep
        | Builtin::ToJSON
        | Builtin::FromJSON
        | Builtin::FromTOML
        | Builtin::CompareVersions
        | Builtin::SplitVersion
        | Builtin::ParseDrvName
        | Builtin::HashString
        | Builtin::ToXML
        | Builtin::UnsafeDiscardStringContext
        | Builtin::UnsafeDiscardOutputDependency
        | Builtin::HasContext
        | Builtin::GetContext
        | Builtin::AppendContext => strings::call(eval, b, args, span),
        _ => misc::call(eval, b, args, span),
    };
    result.unwrap_or_else(|v| v)
}
pub use io::derivation;
pub(crate) use misc::to_json;
