//! Builtins that touch files or the store. Files inside the repository are read (through
//! [`crate::Sources`]); the store, the network and the environment are unknown.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use nix_source::Span;

use super::{Arg, Builtin};
use crate::eval::{Environment, Eval};
use crate::sources::{FileKind, SourcesError};
use crate::value::{Attr, Attrs, ErrorKind, Part, Reason, Str, Thunk, Value};

pub(super) fn call(eval: &mut Eval, b: Builtin, args: &[Thunk], span: Option<Span>) -> Arg<Value> {
    Ok(match b {
        Builtin::Import => {
            let target = eval.force(&args[0]);
            if let Some(imported) = eval.defined_import(&target) {
                return Ok(eval.force(&imported));
            }
            match path_of(eval, &target, span)? {
                Some(path) => eval.import_path(&path, span),
                None => imported_unknown(eval, &target, span),
            }
        }
        Builtin::ScopedImport => {
            return Err(Value::unknown(
                Reason::Unsupported {
                    builtin: "scopedImport".into(),
                },
                span,
            ));
        }
        Builtin::ReadFile => {
            let path = required_path(eval, &args[0], span)?;
            match eval.sources.read_file(&path) {
                Ok(text) => Value::string(text, span),
                Err(e) => return Err(io_error(e, span)),
            }
        }
        Builtin::ReadDir => {
            let path = required_path(eval, &args[0], span)?;
            match eval.sources.read_dir(&path) {
                Ok(entries) => {
                    let mut out = Attrs {
                        span,
                        ..Attrs::default()
                    };
                    for (name, kind) in entries {
                        let kind = match kind {
                            FileKind::Regular => "regular",
                            FileKind::Directory => "directory",
                            FileKind::Symlink => "symlink",
                            FileKind::Unknown => "unknown",
                        };
                        out.entries.insert(
                            name.into(),
                            Attr {
                                value: Thunk::ready(Value::string(kind, span)),
                                key_span: span,
                            },
                        );
                    }
                    Value::attrs(out)
                }
                Err(e) => return Err(io_error(e, span)),
            }
        }
        Builtin::PathExists => {
            let path = required_path(eval, &args[0], span)?;
            match eval.sources.path_exists(&path) {
                Some(b) => Value::Bool(b),
                None => return Err(Value::unknown(Reason::OutsideRepository, span)),
            }
        }
        Builtin::Path | Builtin::FilterSource => {
            let name = if b == Builtin::Path {
                let set = eval.arg_attrs(&args[0], span)?;
                match set.get("name") {
                    Some(n) => {
                        let n = n.value.clone();
                        eval.arg_string(&n, span)?.to_string()
                    }
                    None => "source".to_string(),
                }
            } else {
                "source".to_string()
            };
            store_string(&name, span)
        }
        Builtin::ToFile => {
            let name = eval.arg_string(&args[0], span)?;
            store_string(&name, span)
        }
        Builtin::Derivation => {
            let set = eval.arg_attrs(&args[0], span)?;
            let name = match set.get("name") {
                Some(n) => {
                    let n = n.value.clone();
                    eval.arg_string(&n, span)?.to_string()
                }
                None => {
                    return Err(Value::error(
                        ErrorKind::MissingAttribute,
                        "derivation needs a name",
                        span,
                    ));
                }
            };
            derivation(&name, span)
        }
        Builtin::StorePath | Builtin::ToPath => {
            let v = eval.force(&args[0]);
            let s = eval.arg_str(&v, span)?;
            match s.as_known() {
                Some(t) if b == Builtin::ToPath => Value::Path(Rc::new(PathBuf::from(t.as_ref()))),
                _ => Value::Str(Rc::new(s)),
            }
        }
        Builtin::BaseNameOf | Builtin::DirOf => {
            let v = eval.force(&args[0]);
            match &v {
                Value::Path(p) => {
                    if b == Builtin::DirOf {
                        Value::Path(Rc::new(
                            p.parent()
                                .map(Path::to_path_buf)
                                .unwrap_or_else(|| PathBuf::from("/")),
                        ))
                    } else {
                        Value::string(
                            p.file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_default(),
                            span,
                        )
                    }
                }
                _ => {
                    let s = eval.arg_str(&v, span)?;
                    let Some(t) = s.as_known() else {
                        // `"${./svc}/docker.nix"`: the name after the last `/` is known.
                        if b == Builtin::BaseNameOf
                            && let Some(Part::Text(last)) = s.parts.last()
                            && let Some((_, name)) = last.trim_end_matches('/').rsplit_once('/')
                        {
                            return Ok(Value::string(name, span));
                        }
                        return Err(eval.unknown_string(&s, span));
                    };
                    let t = t.trim_end_matches('/');
                    match t.rfind('/') {
                        Some(i) if b == Builtin::DirOf => {
                            Value::string(if i == 0 { "/" } else { &t[..i] }, span)
                        }
                        None if b == Builtin::DirOf => Value::string(".", span),
                        Some(i) => Value::string(&t[i + 1..], span),
                        None => Value::string(t, span),
                    }
                }
            }
        }
        // A flake's evaluation sees no environment (pure mode, Nix's default for flakes);
        // with `--impure`, the variables it was given.
        Builtin::GetEnv if !matches!(eval.environment(), Environment::Unknown) => {
            let name = eval.arg_string(&args[0], span)?;
            let value = match eval.environment() {
                Environment::Given(vars) => vars.get(&*name).map_or("", String::as_str),
                _ => "",
            };
            Value::string(value, span)
        }
        Builtin::GetEnv
        | Builtin::FetchGit
        | Builtin::FetchTarball
        | Builtin::FetchTree
        | Builtin::Fetchurl
        | Builtin::GetFlake
        | Builtin::Placeholder
        | Builtin::HashFile => return Err(Value::unknown(Reason::Impure, span)),
        _ => return Err(Value::error(ErrorKind::Other, "not an I/O builtin", span)),
    })
}

/// A store path string for a derivation named `name` (only its name is known).
pub(crate) fn store_string(name: &str, span: Option<Span>) -> Value {
    Value::Str(Rc::new(Str::store_path(name, span)))
}

/// A derivation whose name is known: `outPath` is a store path placeholder, and
/// `meta.mainProgram` is the name, as `lib.getExe` expects of trivial builders.
pub fn derivation(name: &str, span: Option<Span>) -> Value {
    let ready = |v: Value| Attr {
        value: Thunk::ready(v),
        key_span: None,
    };
    let mut meta = Attrs::default();
    meta.entries
        .insert("mainProgram".into(), ready(Value::string(name, span)));
    let mut out = Attrs {
        span,
        ..Attrs::default()
    };
    out.entries
        .insert("type".into(), ready(Value::string("derivation", span)));
    out.entries
        .insert("name".into(), ready(Value::string(name, span)));
    out.entries
        .insert("outPath".into(), ready(store_string(name, span)));
    out.entries.insert("meta".into(), ready(Value::attrs(meta)));
    Value::attrs(out)
}

/// The path a value names: a path, an absolute string, or a set's `outPath`. `None`:
/// unknown.
fn path_of(eval: &mut Eval, v: &Value, span: Option<Span>) -> Arg<Option<PathBuf>> {
    Ok(match v {
        Value::Path(p) => Some((**p).clone()),
        Value::Str(s) => match s.as_known() {
            Some(t) if t.starts_with('/') => Some(PathBuf::from(t.as_ref())),
            Some(_) => {
                return Err(Value::error(
                    ErrorKind::Type,
                    "string is not an absolute path",
                    span,
                ));
            }
            None => s.source_path(),
        },
        Value::Attrs(a) => match a.get("outPath") {
            Some(o) => {
                let o = o.value.clone();
                let o = eval.force(&o);
                return path_of(eval, &o, span);
            }
            // An open set (a flake input): its `outPath` comes from outside.
            None if !a.unknown_names.is_empty() => None,
            None => {
                return Err(Value::error(
                    ErrorKind::Type,
                    "cannot coerce a set to a path",
                    span,
                ));
            }
        },
        Value::Unknown(u) if u.reason.is_error() => return Err(v.clone()),
        Value::Unknown(_) => None,
        other => return Err(eval.expected(other.clone(), "a path", span)),
    })
}

fn required_path(eval: &mut Eval, t: &Thunk, span: Option<Span>) -> Arg<PathBuf> {
    let v = eval.force(t);
    match path_of(eval, &v, span)? {
        Some(p) => Ok(p),
        None => Err(eval.unknown_from(&v, span)),
    }
}

/// `import x` where `x` is unknown: an external value named after `x` (or after the open
/// set, such as a flake input, whose `outPath` it is).
fn imported_unknown(eval: &Eval, target: &Value, span: Option<Span>) -> Value {
    let external = match target {
        Value::Attrs(a) => a.unknown_names.first().map(|u| &u.reason),
        other => other.as_unknown().map(|u| &u.reason),
    };
    match external {
        Some(Reason::External { name, from_input }) => {
            Value::external_from(format!("import {name}"), *from_input, span)
        }
        _ => eval.unknown_from(target, span),
    }
}

fn io_error(e: SourcesError, span: Option<Span>) -> Value {
    match e {
        SourcesError::OutsideRepository(_) => Value::unknown(Reason::OutsideRepository, span),
        other => Value::error(ErrorKind::Import, other.to_string(), span),
    }
}
