//! The evaluator: expressions to values, lazily.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use nix_source::{FileId, Span};
use nix_syntax::{AttrKey, Expr, ExprId, LiteralValue, PathKind, StrPart};

use crate::env::{Env, Lookup};
use crate::sources::Sources;
use crate::undecided_parts::Member;
use crate::value::{Application, ErrorKind, Part, Reason, Str, Thunk, ThunkState, Unknown, Value};

/// Bounds on one evaluation: what needs more is reported as [`Reason::Limit`].
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Expressions evaluated in all.
    pub fuel: u64,
    /// Nested evaluation depth. Each level takes stack: run the evaluator on a thread
    /// with a large stack (see [`run_with_stack`]).
    pub depth: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: 50_000_000,
            depth: 10_000,
        }
    }
}

pub struct Eval {
    pub(crate) sources: Box<dyn Sources>,
    fuel: u64,
    depth: u32,
    max_depth: u32,
    /// `import`ed files, each evaluated once.
    imports: HashMap<FileId, Thunk>,
    /// Files whose top expression is being imported (an `import` cycle never finishes).
    importing: Vec<FileId>,
    /// Scopes and thunks that may be part of reference cycles, cleared on drop.
    teardown_envs: Vec<Env>,
    teardown_thunks: Vec<Thunk>,
    pub(crate) prelude: Option<Value>,
    pub(crate) builtins_value: Option<Value>,
    /// The prelude's files (the library), as opposed to the user's.
    pub(crate) library_files: Vec<FileId>,
    home: Option<PathBuf>,
    /// What `builtins.getEnv` sees: see [`Eval::set_environment`].
    environment: Environment,
    /// What `import` of these sets gives (sets whose source is not read: flake inputs).
    imported_sets: Vec<(Rc<crate::value::Attrs>, Thunk)>,
}

impl Drop for Eval {
    fn drop(&mut self) {
        let mut sweep = crate::teardown::Sweep::default();
        for env in self.teardown_envs.drain(..) {
            sweep.env(env);
        }
        for thunk in self.teardown_thunks.drain(..) {
            sweep.thunk(thunk);
        }
        for (_, thunk) in self.imports.drain() {
            sweep.thunk(thunk);
        }
        for (set, thunk) in self.imported_sets.drain(..) {
            sweep.value(Value::Attrs(set));
            sweep.thunk(thunk);
        }
        if let Some(prelude) = self.prelude.take() {
            sweep.value(prelude);
        }
        if let Some(builtins) = self.builtins_value.take() {
            sweep.value(builtins);
        }
        sweep.run();
    }
}

impl Eval {
    pub fn new(sources: Box<dyn Sources>, limits: Limits) -> Eval {
        Eval {
            sources,
            fuel: limits.fuel,
            depth: 0,
            max_depth: limits.depth,
            imports: HashMap::new(),
            importing: Vec::new(),
            teardown_envs: Vec::new(),
            teardown_thunks: Vec::new(),
            prelude: None,
            builtins_value: None,
            library_files: Vec::new(),
            home: None,
            environment: Environment::Unknown,
            imported_sets: Vec::new(),
        }
    }

    /// The home directory `~/…` paths resolve against (none: such paths are impure).
    pub fn set_home(&mut self, home: Option<PathBuf>) {
        self.home = home;
    }

    /// What `builtins.getEnv` sees. A flake evaluates in pure mode unless `--impure`
    /// ([`Environment::Pure`]).
    pub fn set_environment(&mut self, environment: Environment) {
        self.environment = environment;
    }

    pub(crate) fn environment(&self) -> &Environment {
        &self.environment
    }

    /// Says what `import set` gives, for a set whose source the evaluator does not read
    /// (a flake input: Nix imports its `outPath`, here unknown).
    pub fn define_import(&mut self, set: &Value, imported: Thunk) {
        if let Value::Attrs(a) = set {
            self.imported_sets.push((a.clone(), imported));
        }
    }

    /// What [`Eval::define_import`] said `import set` gives.
    pub(crate) fn defined_import(&self, set: &Value) -> Option<Thunk> {
        let Value::Attrs(a) = set else { return None };
        self.imported_sets
            .iter()
            .find(|(s, _)| Rc::ptr_eq(s, a))
            .map(|(_, t)| t.clone())
    }

    pub fn sources(&self) -> &dyn Sources {
        &*self.sources
    }

    pub fn sources_mut(&mut self) -> &mut dyn Sources {
        &mut *self.sources
    }

    /// A value computed by `f` when first forced, cleared when the evaluator is dropped:
    /// what `f` holds (a module system, a flake's outputs) may refer back to the thunk,
    /// and the cycle is broken then.
    pub fn lazy(&mut self, f: impl FnOnce(&mut Eval) -> Value + 'static) -> Thunk {
        let thunk = Thunk::native(f);
        self.register_for_teardown(&thunk);
        thunk
    }

    /// Keeps `thunk` to be cleared when the evaluator is dropped (for fixpoints built by
    /// layers above).
    pub fn register_for_teardown(&mut self, thunk: &Thunk) {
        self.teardown_thunks.push(thunk.clone());
    }

    pub(crate) fn register_env(&mut self, env: &Env) {
        self.teardown_envs.push(env.clone());
    }

    pub fn force(&mut self, thunk: &Thunk) -> Value {
        if let ThunkState::Done(v) = &*thunk.state().borrow() {
            return v.clone();
        }
        let span = self.thunk_span(thunk);
        let state = std::mem::replace(&mut *thunk.state().borrow_mut(), ThunkState::Forcing(span));
        if self.depth >= self.max_depth {
            *thunk.state().borrow_mut() = state;
            return Value::unknown(Reason::Limit, span);
        }
        self.depth += 1;
        let value = match state {
            ThunkState::Done(v) => v,
            ThunkState::Forcing(at) => Value::unknown(Reason::InfiniteRecursion, at),
            ThunkState::Expr { file, expr, env } => self.eval(file, expr, &env),
            ThunkState::Apply(call) => {
                let Application { func, arg, span } = *call;
                self.apply(func, arg, span)
            }
            ThunkState::Native(f) => f(self),
        };
        self.depth -= 1;
        *thunk.state().borrow_mut() = ThunkState::Done(value.clone());
        value
    }

    /// Where the thunk's expression is written, if it is one.
    pub fn thunk_span(&self, thunk: &Thunk) -> Option<Span> {
        if let Some((file, expr)) = thunk.expr_location() {
            return Some(self.span_of(file, expr));
        }
        match &*thunk.state().borrow() {
            ThunkState::Apply(call) => call.span,
            _ => None,
        }
    }

    /// Forces a value and, recursively, everything in it (`deepSeq`), up to a depth.
    pub fn force_deep(&mut self, value: &Value, depth: u32) {
        if depth == 0 {
            return;
        }
        match value {
            Value::Attrs(a) => {
                for attr in a.entries.values() {
                    let v = self.force(&attr.value);
                    self.force_deep(&v, depth - 1);
                }
            }
            Value::List(l) => {
                for item in &l.items {
                    let v = self.force(item);
                    self.force_deep(&v, depth - 1);
                }
            }
            _ => {}
        }
    }

    pub fn span_of(&self, file: FileId, expr: ExprId) -> Span {
        Span::new(file, self.sources.parsed(file).ast.range(expr))
    }

    pub fn eval(&mut self, file: FileId, id: ExprId, env: &Env) -> Value {
        if self.fuel == 0 || self.depth >= self.max_depth {
            return Value::unknown(Reason::Limit, Some(self.span_of(file, id)));
        }
        self.fuel -= 1;
        self.depth += 1;
        let value = self.eval_expr(file, id, env);
        self.depth -= 1;
        value
    }

    fn eval_expr(&mut self, file: FileId, id: ExprId, env: &Env) -> Value {
        let parsed = self.sources.parsed(file);
        let ast = &parsed.ast;
        let span = Span::new(file, ast.range(id));
        let thunk = |e: ExprId| Thunk::expr(file, e, env.clone());
        match ast.expr(id) {
            Expr::Literal(LiteralValue::Int(i)) => Value::Int(*i),
            Expr::Literal(LiteralValue::Float(f)) => Value::Float(*f),
            Expr::Literal(LiteralValue::Uri(u)) => Value::string(u.as_str(), Some(span)),
            Expr::Str(parts) => self.string(file, parts, env, span),
            Expr::Path { kind, parts } => self.path(file, *kind, parts, env, span),
            Expr::Ident(name) => self.variable(name, env, span),
            Expr::AttrSet { rec, bindings } => {
                if *rec {
                    let scope = env.vars();
                    self.register_env(&scope);
                    let attrs = self.build_attrs(file, bindings, &scope, env, Some(span));
                    for (name, attr) in &attrs.entries {
                        scope.define(name.clone(), attr.value.clone());
                    }
                    Value::attrs(attrs)
                } else {
                    Value::attrs(self.build_attrs(file, bindings, env, env, Some(span)))
                }
            }
            Expr::LetIn { bindings, body } => {
                let scope = env.vars();
                self.register_env(&scope);
                let attrs = self.build_attrs(file, bindings, &scope, env, Some(span));
                for (name, attr) in attrs.entries {
                    scope.define(name, attr.value);
                }
                self.eval(file, *body, &scope)
            }
            Expr::List(items) => Value::list(items.iter().map(|i| thunk(*i)).collect(), Some(span)),
            Expr::Lambda { .. } => Value::Lambda(Rc::new(crate::value::Closure {
                file,
                lambda: id,
                env: env.clone(),
                span,
            })),
            Expr::Apply { func, arg } => {
                let func = self.eval(file, *func, env);
                let value = self.apply(func, thunk(*arg), Some(span));
                self.named_by_call(file, value, span)
            }
            Expr::Select {
                expr,
                path,
                default,
            } => {
                let mut value = self.eval(file, *expr, env);
                for key in path {
                    let name = match self.attr_name(file, key, env) {
                        Ok(name) => name,
                        Err(v) => match outside_name(&value) {
                            // `inputs.x.packages.${system}`: still the outside value,
                            // named with the unknown key.
                            Some((base, from_input))
                                if !v.as_unknown().is_some_and(|u| u.reason.is_error()) =>
                            {
                                let key = match v.as_unknown().map(|u| &u.reason) {
                                    Some(Reason::External { name, .. }) => name.to_string(),
                                    _ => "…".to_string(),
                                };
                                value = Value::external_from(
                                    format!("{base}.${{{key}}}"),
                                    from_input,
                                    Some(span),
                                );
                                continue;
                            }
                            _ => return v,
                        },
                    };
                    // `x.a or d` where an undecided part of `x` may hold `a`: `d` where it
                    // does not.
                    let absent = default.map(&thunk);
                    match self.select_or(&value, &name, Some(span), absent) {
                        Some(v) => value = v,
                        None => {
                            return match default {
                                Some(d) => self.eval(file, *d, env),
                                None => self.missing_attribute(&value, &name, span),
                            };
                        }
                    }
                }
                value
            }
            Expr::HasAttr { expr, path } => {
                let mut value = self.eval(file, *expr, env);
                for key in path {
                    let name = match self.attr_name(file, key, env) {
                        Ok(name) => name,
                        Err(v) => return v,
                    };
                    match &value {
                        Value::Unknown(_) => return self.unknown_from(&value, Some(span)),
                        Value::Attrs(a) => match self.member(a, &name) {
                            Member::Present(attr) => value = self.force(&attr.value),
                            other => {
                                return match other.held(Some(span)) {
                                    Ok(held) => Value::Bool(held),
                                    Err(undecided) => undecided,
                                };
                            }
                        },
                        _ => return Value::Bool(false),
                    }
                }
                Value::Bool(true)
            }
            Expr::IfElse {
                cond,
                then,
                otherwise,
            } => match self.eval(file, *cond, env) {
                Value::Bool(true) => self.eval(file, *then, env),
                Value::Bool(false) => self.eval(file, *otherwise, env),
                Value::Unknown(u) if u.reason.is_error() => Value::Unknown(u),
                Value::Unknown(_) => Value::Unknown(Rc::new(Unknown {
                    reason: Reason::UndecidedCondition,
                    span: Some(self.condition_site(file, *cond, env)),
                    args: Vec::new(),
                    alternatives: Some((thunk(*then), thunk(*otherwise))),
                    known_items: Vec::new(),
                    conditional_items: None,
                })),
                other => Value::error(
                    ErrorKind::Type,
                    format!(
                        "value is {} while a Boolean was expected",
                        other.type_name()
                    ),
                    Some(self.span_of(file, *cond)),
                ),
            },
            Expr::Binary { op, lhs, rhs } => self.binary(*op, thunk(*lhs), thunk(*rhs), span),
            Expr::Not(inner) => {
                let value = self.eval(file, *inner, env);
                self.not(value, Some(span))
            }
            Expr::Negate(inner) => match self.eval(file, *inner, env) {
                Value::Int(i) => Value::Int(i.wrapping_neg()),
                Value::Float(f) => Value::Float(-f),
                v @ Value::Unknown(_) => v,
                other => Value::error(
                    ErrorKind::Type,
                    format!("cannot negate {}", other.type_name()),
                    Some(span),
                ),
            },
            Expr::With { namespace, body } => {
                let scope = env.with(thunk(*namespace));
                self.eval(file, *body, &scope)
            }
            Expr::Assert { cond, body } => match self.eval(file, *cond, env) {
                Value::Bool(false) => Value::error(
                    ErrorKind::Assert,
                    "assertion failed",
                    Some(self.span_of(file, *cond)),
                ),
                _ => self.eval(file, *body, env),
            },
            Expr::CurPos => {
                let line_col = crate::strings::line_col(&self.sources.text(file), span.range.start);
                let mut attrs = crate::value::Attrs::default();
                let path = self.sources.path(file).display().to_string();
                for (name, value) in [
                    ("file", Value::string(path, None)),
                    ("line", Value::Int(line_col.0 as i64)),
                    ("column", Value::Int(line_col.1 as i64)),
                ] {
                    attrs.entries.insert(
                        name.into(),
                        crate::value::Attr {
                            value: Thunk::ready(value),
                            key_span: None,
                        },
                    );
                }
                Value::attrs(attrs)
            }
            Expr::Error => Value::error(ErrorKind::Syntax, "syntax error", Some(span)),
            Expr::TooComplex => Value::unknown(Reason::Limit, Some(span)),
        }
    }

    /// Whether `file` is one of the prelude's (library code, not the user's).
    pub fn is_library(&self, file: FileId) -> bool {
        self.library_files.contains(&file)
    }

    /// A string a call in the user's files got back whose unknown parts all arose inside
    /// the library, so that nothing the user wrote names them, and which begins and ends
    /// with one (`lib.getExe pkgs.hello` is `${getBin x}/bin/${x.meta.mainProgram}`
    /// inside `lib`): one unknown, named by the call as written. A string with known
    /// text at either end (`lib.getExe' pkgs.ripgrep "rg"`) keeps its parts.
    fn named_by_call(&self, file: FileId, value: Value, span: Span) -> Value {
        let Value::Str(s) = &value else {
            return value;
        };
        let from_library = |part: &Part| match part {
            Part::Text(_) => true,
            Part::Unknown(u) => {
                !matches!(
                    u.reason,
                    Reason::Derivation { .. } | Reason::StoreHash { .. }
                ) && u.span.is_some_and(|at| self.is_library(at.file))
            }
        };
        let ends_unknown = matches!(
            (s.parts.first(), s.parts.last()),
            (Some(Part::Unknown(_)), Some(Part::Unknown(_)))
        );
        if !ends_unknown || self.is_library(file) || !s.parts.iter().all(from_library) {
            return value;
        }
        Value::Str(Rc::new(Str {
            parts: vec![Part::Unknown(Rc::new(Unknown::new(
                Reason::LibraryCall,
                Some(span),
            )))],
            span: s.span,
        }))
    }

    fn missing_attribute(&mut self, value: &Value, name: &str, span: Span) -> Value {
        match value {
            Value::Unknown(_) => self.unknown_from(value, Some(span)),
            Value::Attrs(a)
                if !a.unknown_names.is_empty()
                    && !matches!(self.member(a, name), Member::Absent) =>
            {
                Value::unknown(Reason::UndecidedCondition, Some(span))
            }
            Value::Attrs(_) => Value::error(
                ErrorKind::MissingAttribute,
                format!("attribute '{name}' missing"),
                Some(span),
            ),
            other => Value::error(
                ErrorKind::Type,
                format!("value is {} while a set was expected", other.type_name()),
                Some(span),
            ),
        }
    }

    /// An unknown derived from `value` (itself unknown), keeping its reason.
    pub(crate) fn unknown_from(&self, value: &Value, span: Option<Span>) -> Value {
        match value {
            Value::Unknown(u) if u.reason.is_error() => value.clone(),
            Value::Unknown(u) => Value::unknown(u.reason.clone(), span.or(u.span)),
            _ => Value::unknown(Reason::UndecidedCondition, span),
        }
    }

    /// Where an `if`'s condition is written: in a library function (`optionalAttrs c x`),
    /// where its caller wrote the argument the condition names.
    fn condition_site(&self, file: FileId, cond: ExprId, env: &Env) -> Span {
        let here = self.span_of(file, cond);
        if !self.is_library(file) {
            return here;
        }
        match self.sources.parsed(file).ast.expr(cond) {
            Expr::Ident(name) => match env.lookup(name) {
                Lookup::Found(thunk) => self
                    .thunk_span(&thunk)
                    .filter(|at| !self.is_library(at.file))
                    .unwrap_or(here),
                _ => here,
            },
            _ => here,
        }
    }

    /// `value.name`: `None` when a known set lacks it.
    pub fn select(&mut self, value: &Value, name: &str, span: Option<Span>) -> Option<Value> {
        self.select_or(value, name, span, None)
    }

    /// [`Eval::select`], with `absent` (`x.name or d`'s `d`; else Nix's error) where an
    /// undecided part of the set may not hold the name.
    fn select_or(
        &mut self,
        value: &Value,
        name: &str,
        span: Option<Span>,
        absent: Option<Thunk>,
    ) -> Option<Value> {
        match value {
            Value::Attrs(a) => match a.get(name) {
                Some(attr) => {
                    let thunk = attr.value.clone();
                    Some(self.force(&thunk))
                }
                None if a.unknown_names.is_empty() => None,
                None => match self.member(a, name) {
                    // An open set (a flake input): names it does not list come from
                    // outside.
                    Member::Unknown(_) => a.unknown_names.iter().find_map(|u| match &u.reason {
                        Reason::External {
                            name: base,
                            from_input,
                        } => Some(Value::external_from(
                            member_name(base, &u.args, name),
                            *from_input,
                            span.or(u.span),
                        )),
                        _ => None,
                    }),
                    // A name an undecided part may hold.
                    member => {
                        let absent = absent.unwrap_or_else(|| Eval::missing(name, span));
                        self.member_value(member, &absent)
                    }
                },
            },
            Value::Unknown(u) => Some(match &u.reason {
                Reason::External {
                    name: base,
                    from_input,
                } => Value::unknown(
                    Reason::External {
                        name: member_name(base, &u.args, name).into(),
                        from_input: *from_input,
                    },
                    span.or(u.span),
                ),
                _ => value.clone(),
            }),
            _ => None,
        }
    }

    fn attr_name(&mut self, file: FileId, key: &AttrKey, env: &Env) -> Result<Rc<str>, Value> {
        match key {
            AttrKey::Static { name, .. } => Ok(name.as_str().into()),
            AttrKey::Dynamic { expr, .. } => match self.eval(file, *expr, env) {
                Value::Str(s) => match s.as_known() {
                    Some(t) => Ok(t.as_ref().into()),
                    None => Err(Value::Unknown(s.first_unknown().cloned().unwrap_or_else(
                        || Rc::new(Unknown::new(Reason::UndecidedCondition, None)),
                    ))),
                },
                v @ Value::Unknown(_) => Err(v),
                other => Err(Value::error(
                    ErrorKind::Type,
                    format!(
                        "an attribute name must be a string, not {}",
                        other.type_name()
                    ),
                    Some(Span::new(file, key.range())),
                )),
            },
        }
    }

    pub(crate) fn variable(&mut self, name: &str, env: &Env, span: Span) -> Value {
        match env.lookup(name) {
            Lookup::Found(thunk) => return self.force(&thunk),
            Lookup::Withs(namespaces) => {
                if let Some(v) = crate::builtins::global(self, name, span) {
                    return v;
                }
                for namespace in namespaces {
                    match self.force(&namespace) {
                        Value::Attrs(attrs) => {
                            if let Some(attr) = attrs.get(name) {
                                let t = attr.value.clone();
                                return self.force(&t);
                            }
                        }
                        ns @ Value::Unknown(_) => {
                            // The name may come from this namespace: Nix would know.
                            return self.select(&ns, name, Some(span)).unwrap_or(ns);
                        }
                        _ => {}
                    }
                }
            }
            Lookup::NotFound => {}
        }
        crate::builtins::global(self, name, span).unwrap_or_else(|| {
            Value::error(
                ErrorKind::UndefinedVariable,
                format!("undefined variable '{name}'"),
                Some(span),
            )
        })
    }

    fn string(&mut self, file: FileId, parts: &[StrPart], env: &Env, span: Span) -> Value {
        // Room for one part per part written: a literal is one, and kept as long as the
        // string is.
        let mut out: Vec<Part> = Vec::with_capacity(parts.len());
        for part in parts {
            match part {
                StrPart::Literal(text) => crate::strings::push_text(&mut out, text),
                StrPart::Interpolation(e) => {
                    let value = self.eval(file, *e, env);
                    let at = self.span_of(file, *e);
                    match self.coerce_to_string(&value, false, Some(at)) {
                        Ok(s) => crate::strings::push_parts(&mut out, &s.parts),
                        Err(v) => return v,
                    }
                }
            }
        }
        Value::Str(Rc::new(Str {
            parts: out,
            span: Some(span),
        }))
    }

    fn path(
        &mut self,
        file: FileId,
        kind: PathKind,
        parts: &[StrPart],
        env: &Env,
        span: Span,
    ) -> Value {
        let mut text = String::new();
        for part in parts {
            match part {
                StrPart::Literal(t) => text.push_str(t),
                StrPart::Interpolation(e) => {
                    let value = self.eval(file, *e, env);
                    match value.as_str() {
                        Some(t) => text.push_str(&t),
                        None => match &value {
                            Value::Path(p) => text.push_str(&p.to_string_lossy()),
                            _ => return self.unknown_from(&value, Some(span)),
                        },
                    }
                }
            }
        }
        match kind {
            PathKind::Absolute => Value::Path(Rc::new(normalize(Path::new(&text)))),
            PathKind::Relative => {
                let dir = self
                    .sources
                    .path(file)
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                Value::Path(Rc::new(normalize(&dir.join(&text))))
            }
            PathKind::Home => match &self.home {
                Some(home) => {
                    let rest = text.trim_start_matches('~').trim_start_matches('/');
                    Value::Path(Rc::new(normalize(&home.join(rest))))
                }
                None => Value::unknown(Reason::Impure, Some(span)),
            },
            PathKind::Search => Value::external(format!("<{text}>"), Some(span)),
        }
    }

    /// Evaluates a file as `import` does (each file once).
    pub fn import_file(&mut self, file: FileId) -> Value {
        if let Some(thunk) = self.imports.get(&file) {
            let thunk = thunk.clone();
            return self.force(&thunk);
        }
        if self.importing.contains(&file) {
            return Value::unknown(Reason::InfiniteRecursion, None);
        }
        let parsed = self.sources.parsed(file);
        let Some(root) = parsed.ast.root() else {
            return Value::error(ErrorKind::Syntax, "empty file", None);
        };
        let thunk = Thunk::expr(file, root, self.root_env());
        self.importing.push(file);
        let value = self.force(&thunk);
        self.importing.pop();
        self.imports.insert(file, thunk);
        value
    }

    /// `import path` from `span`.
    pub fn import_path(&mut self, path: &Path, span: Option<Span>) -> Value {
        match self.sources.import(path, span) {
            Ok(file) => self.import_file(file),
            Err(crate::sources::SourcesError::OutsideRepository(_)) => {
                Value::unknown(Reason::OutsideRepository, span)
            }
            Err(e) => Value::error(ErrorKind::Import, e.to_string(), span),
        }
    }

    /// The environment files are evaluated in: the builtins only.
    pub fn root_env(&self) -> Env {
        Env::root()
    }
}

/// Resolves `.` and `..` without touching the filesystem, as Nix does for path literals.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

impl Eval {
    /// `_type` of a module-system value (`if`, `merge`, `override`, `option`, …).
    pub fn module_type(&mut self, value: &Value) -> Option<Rc<str>> {
        let thunk = value.as_attrs()?.get("_type")?.value.clone();
        match self.force(&thunk) {
            Value::Str(s) => s.as_known().map(|t| Rc::from(t.as_ref())),
            _ => None,
        }
    }

    /// `builtins.toJSON` of a value: `Err` with the unknown (or error) that stops it.
    pub fn to_json(&mut self, value: &Value) -> Result<serde_json::Value, Value> {
        crate::builtins::to_json(self, value, None, 64)
    }
}

/// Runs `f` on a thread whose stack fits the default depth limit.
pub fn run_with_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(f)
        .and_then(|h| {
            h.join()
                .map_err(|_| std::io::Error::other("evaluation thread panicked"))
        })
        .unwrap_or_else(|e| panic!("{e}"))
}

/// How `base.name` is written, where `base` is an outside value called with `args`:
/// `pkgs.hello`, but `(import nixpkgs …).lib`, so a reason names the call it came from.
fn member_name(base: &str, args: &[Thunk], name: &str) -> String {
    if !args.is_empty() {
        format!("({base} …).{name}")
    } else if base.starts_with("import ") {
        format!("({base}).{name}")
    } else {
        format!("{base}.{name}")
    }
}

/// The name of a value that comes from outside (`inputs.x`, `pkgs`): an external unknown,
/// or an open set such as a flake input.
fn outside_name(value: &Value) -> Option<(Rc<str>, bool)> {
    let unknown = match value {
        Value::Unknown(u) => u,
        Value::Attrs(a) => a.unknown_names.first()?,
        _ => return None,
    };
    match &unknown.reason {
        Reason::External { name, from_input } => Some((name.clone(), *from_input)),
        _ => None,
    }
}

/// What `builtins.getEnv` sees.
#[derive(Debug, Default)]
pub enum Environment {
    /// Not known statically: `getEnv` is unknown.
    #[default]
    Unknown,
    /// Nix's pure mode, a flake's default: no variable, so `getEnv` is `""`.
    Pure,
    /// These variables (`nix … --impure`): `getEnv` of another name is `""`, as in Nix.
    Given(std::collections::HashMap<String, String>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_of_calls_name_the_call() {
        let arg = [Thunk::ready(Value::Null)];
        assert_eq!(member_name("pkgs", &[], "hello"), "pkgs.hello");
        assert_eq!(
            member_name("import nixpkgs", &[], "lib"),
            "(import nixpkgs).lib"
        );
        assert_eq!(
            member_name("import nixpkgs", &arg, "lib"),
            "(import nixpkgs …).lib"
        );
        assert_eq!(
            member_name("(import nixpkgs …).lib.mapAttrs'", &arg, "a"),
            "((import nixpkgs …).lib.mapAttrs' …).a"
        );
    }
}
