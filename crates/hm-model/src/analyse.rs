//! The entry point: resolve what was asked for, run the evaluator on a thread with a
//! large stack, and return plain data.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use nix_syntax::Parsed;

use nix_source::{LoadError, SourceDb};

use crate::eval::Evaluator;
use crate::eval::value::Thunk;
use crate::model::{Dynamic, Field, FieldValue, Inventory, Setting, User, UserKind};
use crate::users::{UserConfig, open_args};

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
    let meta = std::fs::metadata(path).map_err(|_| LoadError::NotFound(path.to_path_buf()))?;
    if meta.is_dir() {
        for (name, kind) in [
            ("flake.nix", EntryKind::Flake),
            ("home.nix", EntryKind::Module),
        ] {
            let candidate = path.join(name);
            if candidate.is_file() {
                return Ok((candidate, kind));
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
        .spawn(move || run(&thread_entry, entry_kind, home))
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
    })
}

/// What the evaluator thread hands back: only `Send` data.
type Outcome = (SourceDb, Inventory, Vec<Arc<Parsed>>);

fn run(entry: &Path, kind: EntryKind, home: Option<PathBuf>) -> Result<Outcome, AnalyseError> {
    let mut ev = Evaluator::new(home);
    ev.files.preload(entry);
    let file = ev.files.try_load(entry)?;
    let entry_span = ev.files.whole_file(file);
    let mut inventory = Inventory::default();
    let configs = match kind {
        EntryKind::Flake => {
            let flake = ev.import_file(file);
            let users = ev.flake_users(flake.clone(), entry_span, &mut inventory.dynamic);
            inventory.flake = Some(ev.flake_model(&flake, entry_span));
            users
        }
        EntryKind::Module => {
            let module = Thunk::ready(crate::eval::value::Value::Path(
                entry.to_path_buf().into(),
                Some(entry_span),
            ));
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
                    declared_modules: 0,
                    declared_options: Vec::new(),
                    opaque_modules: false,
                },
                modules: vec![(module, Vec::new())],
                args: open_args(Default::default()),
            }]
        }
    };
    for config in configs {
        let UserConfig {
            mut user,
            modules,
            args,
        } = config;
        user.declared_modules = modules.len();
        let set = ev.collect_modules(modules, &args);
        user.settings = ev.settings(&set);
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
        inventory
            .dynamic
            .extend(set.unknown.iter().map(|u| Dynamic {
                defines: "modules",
                user: Some(name.clone()),
                span: u.span,
                reason: u.reason.clone(),
            }));
        user.modules = set.spans.clone();
        let services = ev.services(&set, &name, &mut inventory.dynamic);
        inventory.services.extend(services);
        ev.option_facts(&set, &mut user, &mut inventory);
        inventory.users.push(user);
    }
    crate::import_graph::follow(&mut ev.files);
    inventory.problems = std::mem::take(&mut ev.files.problems);
    inventory.imports = std::mem::take(&mut ev.files.imports);
    let syntax = ev.files.take_syntax();
    Ok((std::mem::take(&mut ev.files.db), inventory, syntax))
}
