//! The entry point: resolve what was asked for, run the evaluator on a thread with a
//! large stack, and return plain data.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use nix_syntax::Parsed;

use nix_source::{LoadError, SourceDb};

use std::cell::RefCell;
use std::rc::Rc;

use nix_eval::{Attrs, Environment, Eval, Limits, Thunk, Value};
use nix_modules::{EvalModules, ModuleInput, eval_modules};

use crate::configurations::Found;
use crate::discover::UserConfig;
use crate::files::Files;
use crate::model::{Dynamic, Field, FieldValue, Inventory, Setting, User, UserKind};
use crate::repo::Repo;

/// What the analysis was run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// A `flake.nix`.
    Flake,
    /// A Home Manager module such as `home.nix`.
    Module,
}

#[derive(Debug)]
pub struct Analysis {
    pub db: SourceDb,
    pub inventory: Inventory,
    /// The parsed files, indexed by `FileId`, for checks that read syntax.
    pub syntax: Vec<Arc<Parsed>>,
    /// The directory paths are shown relative to.
    pub root: PathBuf,
    pub entry: PathBuf,
    pub entry_kind: EntryKind,
    /// Read as `nix … --impure` evaluates a flake (see [`Options::impure`]).
    pub impure: bool,
}

/// How to read the configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Read a flake as `nix … --impure` evaluates it: `builtins.getEnv` sees this
    /// process's environment. Without it, a flake is read in pure mode, Nix's default,
    /// where it sees none.
    pub impure: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum AnalyseError {
    #[error("{0} has neither a flake.nix nor a home.nix")]
    NoConfiguration(PathBuf),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("the analyser stopped unexpectedly: {0}")]
    Internal(String),
}

/// Stack for the evaluator thread; deep but legal Nix nests this far.
const STACK_BYTES: usize = 256 * 1024 * 1024;

/// Finds the configuration file for `path`: a `flake.nix` or Home Manager module, or a
/// directory holding `flake.nix` (preferred) or `home.nix`.
pub fn resolve_entry(path: &Path) -> Result<(PathBuf, EntryKind), AnalyseError> {
    let meta = std::fs::metadata(path).map_err(|e| LoadError::from_io(path, &e))?;
    if meta.is_dir() {
        for (name, kind) in [
            ("flake.nix", EntryKind::Flake),
            ("home.nix", EntryKind::Module),
        ] {
            let candidate = path.join(name);
            match std::fs::metadata(&candidate) {
                Ok(meta) if meta.is_file() => return Ok((candidate, kind)),
                Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                    return Err(LoadError::from_io(&candidate, &e).into());
                }
                _ => {}
            }
        }
        return Err(AnalyseError::NoConfiguration(path.to_path_buf()));
    }
    let kind = if path.file_name().is_some_and(|n| n == "flake.nix") {
        EntryKind::Flake
    } else {
        EntryKind::Module
    };
    Ok((path.to_path_buf(), kind))
}

/// Analyses the configuration at `path` (see [`resolve_entry`]).
pub fn analyse(path: &Path) -> Result<Analysis, AnalyseError> {
    analyse_with(path, Options::default())
}

/// [`analyse`], read as `options` say.
pub fn analyse_with(path: &Path, options: Options) -> Result<Analysis, AnalyseError> {
    let (entry, entry_kind) = resolve_entry(path)?;
    let entry = std::path::absolute(&entry).map_err(|e| LoadError::Unreadable {
        path: entry.clone(),
        message: e.to_string(),
    })?;
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let thread_entry = entry.clone();
    let handle = std::thread::Builder::new()
        .name("hm-analyse".into())
        .stack_size(STACK_BYTES)
        .spawn(move || run(&thread_entry, entry_kind, home, options))
        .map_err(|e| AnalyseError::Internal(e.to_string()))?;
    let (db, inventory, syntax) = handle
        .join()
        .map_err(|_| AnalyseError::Internal("the evaluator thread panicked".into()))??;
    let root = entry.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(Analysis {
        db,
        inventory,
        syntax,
        root,
        entry,
        entry_kind,
        impure: options.impure,
    })
}

/// What the evaluator thread hands back: only `Send` data.
type Outcome = (SourceDb, Inventory, Vec<Arc<Parsed>>);

/// The directory reads are allowed in: the git work tree holding the entry, else the
/// entry's directory.
fn repository_root(entry: &Path) -> PathBuf {
    let dir = entry.parent().map(Path::to_path_buf).unwrap_or_default();
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
        .unwrap_or(dir)
}

fn run(
    entry: &Path,
    kind: EntryKind,
    home: Option<PathBuf>,
    options: Options,
) -> Result<Outcome, AnalyseError> {
    // The prelude `lib` is read on the other core while the configuration's files are
    // parsed; the thread is joined, so no thread outlives the analysis.
    let prelude = std::thread::spawn(|| nix_eval::prelude_parsed(nix_eval::Prelude::Lib));
    let files = Rc::new(RefCell::new(Files::default()));
    files.borrow_mut().preload(entry);
    let _ = prelude.join();
    let file = files.borrow_mut().try_load(entry)?;
    let entry_span = files.borrow().whole_file(file);
    let root = repository_root(entry);
    let repo = Repo {
        files: files.clone(),
        root: root.clone(),
    };
    let mut inventory = Inventory::default();
    {
        let mut eval = Eval::new(Box::new(repo), Limits::default());
        eval.set_home(home);
        let configs = match kind {
            EntryKind::Flake => {
                // `nix build`, `nix eval` and `home-manager --flake` evaluate flakes in pure
                // mode unless told `--impure`.
                eval.set_environment(match options.impure {
                    true => Environment::Given(std::env::vars().collect()),
                    false => Environment::Pure,
                });
                let flake = eval.import_file(file);
                inventory.flake = Some(crate::flake::model(&mut eval, &flake, entry_span));
                let found = Rc::new(RefCell::new(Found::default()));
                // Nix copies the git repository holding the flake, and `self` is its root.
                let outputs = crate::flake::outputs(&mut eval, &flake, &found, &root);
                let flake = crate::discover::Flake { outputs, found };
                crate::discover::flake_users(&mut eval, &flake, entry_span, &mut inventory.dynamic)
            }
            EntryKind::Module => {
                let module = ModuleInput::new(
                    Thunk::ready(Value::Path(Rc::new(entry.to_path_buf()))),
                    Some(entry_span),
                );
                let lib = crate::inputs::hm_lib(&mut eval);
                let modules = eval_modules(
                    &mut eval,
                    EvalModules {
                        modules: vec![module],
                        special_args: Rc::new(Attrs::default()),
                        lib,
                        open: true,
                        unread_names: nix_modules::UnreadNames::Anywhere,
                    },
                );
                vec![UserConfig {
                    user: User {
                        name: String::new(),
                        kind: UserKind::Module,
                        host: None,
                        attribute: None,
                        span: entry_span,
                        condition: None,
                        modules: Vec::new(),
                        settings: Default::default(),
                        declared_modules: 1,
                        declared_options: Vec::new(),
                        opaque_modules: false,
                        host_input_modules: false,
                        darwin: false,
                    },
                    modules,
                }]
            }
        };
        for UserConfig { mut user, modules } in configs {
            user.settings = crate::user_facts::settings(&mut eval, &modules);
            if user.kind == UserKind::Module {
                user.name = match user.settings.get("home.username") {
                    Some(Setting::Known(Field {
                        value: FieldValue::Str(name),
                        ..
                    })) => name.clone(),
                    _ => "(home.username not set)".to_string(),
                };
            }
            let name = user.name.clone();
            // Modules that failed to load are problems already.
            let import_failed = |r: &nix_eval::Reason| {
                matches!(
                    r,
                    nix_eval::Reason::Error {
                        kind: nix_eval::ErrorKind::Import,
                        ..
                    }
                )
            };
            for opaque in modules
                .opaque()
                .into_iter()
                .filter(|o| !import_failed(&o.reason.reason))
            {
                inventory.dynamic.push(Dynamic {
                    defines: "modules",
                    user: Some(name.clone()),
                    span: opaque.span,
                    reason: opaque.reason.reason.to_string(),
                    error: opaque.reason.reason.is_error(),
                });
            }
            let mut spans = Vec::new();
            for (file, span) in modules.modules() {
                let span = match file {
                    Some(f) if !files.borrow().db.file(f).builtin => {
                        Some(files.borrow().whole_file(f))
                    }
                    Some(_) => None,
                    None => span.map(|s| files.borrow().widen_to_file(s)),
                };
                if let Some(span) = span
                    && !spans.contains(&span)
                {
                    spans.push(span);
                }
            }
            user.modules = spans;
            let first_service = inventory.services.len();
            let name = crate::model::Name::from(name);
            let services = crate::user_facts::services(
                &mut eval,
                &modules,
                &name,
                &mut inventory.dynamic,
                &mut inventory.unset_options,
            );
            if inventory.services.is_empty() {
                // The first user's: moved, not copied.
                inventory.services = services;
            } else {
                inventory.services.extend(services);
            }
            let agents = crate::agents::agents(
                &mut eval,
                &modules,
                &name,
                &mut inventory.dynamic,
                &mut inventory.unset_options,
            );
            inventory.services.extend(agents);
            for service in &mut inventory.services[first_service..] {
                service.darwin = user.darwin;
                service.host = user.host.clone();
            }
            crate::option_defs::option_facts(&mut eval, &modules, &name, &mut user, &mut inventory);
            inventory.users.push(user);
        }
        // An unknown that arose inside hm's prelude has no place in the user's files.
        for d in &mut inventory.dynamic {
            d.span = d.span.filter(|s| !eval.is_library(s.file));
        }
    }
    let mut files = match Rc::try_unwrap(files) {
        Ok(cell) => cell.into_inner(),
        Err(shared) => std::mem::take(&mut *shared.borrow_mut()),
    };
    crate::import_graph::follow(&mut files);
    inventory.problems = std::mem::take(&mut files.problems);
    inventory.imports = std::mem::take(&mut files.imports);
    let syntax = files.take_syntax();
    Ok((std::mem::take(&mut files.db), inventory, syntax))
}
