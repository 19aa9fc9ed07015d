//! Reading and parsing files on demand, recording import edges and problems.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use nix_source::{FileId, LoadError, ReadFile, SourceDb, Span, TextRange};
use nix_syntax::Parsed;

use crate::model::{Import, ImportKind, Problem, ProblemKind, Related};

/// Files from which work on each is spread over all cores; fewer are done on this
/// thread, since waking rayon's pool costs more than they do.
const PARALLEL_FROM: usize = 16;

/// `f` on each of `items` (with its index), keeping the `Some` results in order: on all
/// cores from [`PARALLEL_FROM`] items, else on this thread.
pub fn filter_map_files<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(usize, &T) -> Option<R> + Sync + Send,
) -> Vec<R> {
    use rayon::prelude::*;
    if items.len() < PARALLEL_FROM {
        items
            .iter()
            .enumerate()
            .filter_map(|(i, t)| f(i, t))
            .collect()
    } else {
        items
            .par_iter()
            .enumerate()
            .filter_map(|(i, t)| f(i, t))
            .collect()
    }
}

#[derive(Default)]
pub(crate) struct Files {
    pub(crate) db: SourceDb,
    parsed: Vec<Arc<Parsed>>,
    pub(crate) problems: Vec<Problem>,
    /// The kind and place of each of `problems`, so each is recorded once.
    problems_seen: HashSet<(ProblemKind, Option<Span>)>,
    pub(crate) imports: Vec<Import>,
    /// `imports` again, to keep each edge once without scanning the list.
    imports_seen: HashSet<Import>,
}

impl Files {
    /// Loads and parses `path` (once).
    pub(crate) fn try_load(&mut self, path: &Path) -> Result<FileId, LoadError> {
        let id = self.db.load(path)?;
        if id.0 as usize == self.parsed.len() {
            self.parse(id);
        }
        Ok(id)
    }

    /// Loads and parses `path` imported at `from`; failures become problems there.
    pub(crate) fn load(
        &mut self,
        path: &Path,
        from: Option<Span>,
        kind: ImportKind,
    ) -> Option<FileId> {
        match self.try_load(path) {
            Ok(id) => {
                if let Some(span) = from {
                    let edge = Import { span, to: id, kind };
                    if self.imports_seen.insert(edge.clone()) {
                        self.imports.push(edge);
                    }
                }
                Some(id)
            }
            Err(error) => {
                let kind = match error {
                    LoadError::DirectoryWithoutDefault(_) => ProblemKind::MissingDefaultNix,
                    _ => ProblemKind::Import,
                };
                self.problem(kind, from, error.to_string());
                None
            }
        }
    }

    /// Loads and parses `path` for the evaluator: failures become problems at `from`, but
    /// no import edge is recorded (`import_graph` records the literal ones, with their kind).
    pub(crate) fn load_for_eval(
        &mut self,
        path: &Path,
        from: Option<Span>,
    ) -> Result<FileId, LoadError> {
        self.try_load(path).inspect_err(|error| {
            let kind = match error {
                LoadError::DirectoryWithoutDefault(_) => ProblemKind::MissingDefaultNix,
                _ => ProblemKind::Import,
            };
            if from.is_some() {
                self.problem(kind, from, error.to_string());
            }
        })
    }

    /// Adds built-in Nix source (the evaluator's prelude).
    pub(crate) fn add_virtual(&mut self, path: &Path, text: &str, parsed: Arc<Parsed>) -> FileId {
        let id = self.db.add_virtual(path, text);
        if id.0 as usize == self.parsed.len() {
            self.parsed.push(parsed);
        }
        id
    }

    /// Records a problem once, however often the code around it is evaluated.
    pub(crate) fn problem(&mut self, kind: ProblemKind, span: Option<Span>, message: String) {
        self.problem_with(kind, span, message, Vec::new());
    }

    pub(crate) fn problem_with(
        &mut self,
        kind: ProblemKind,
        span: Option<Span>,
        message: String,
        related: Vec<Related>,
    ) {
        if self.problems_seen.insert((kind, span)) {
            self.problems.push(Problem {
                kind,
                span,
                message,
                related,
            });
        }
    }

    /// Reads and parses every file reachable from `entry` through literal imports, one
    /// wave of the import graph at a time, a large wave on all cores. Evaluation then finds
    /// them parsed; failures are left to it and to `import_graph`, which know the spans.
    pub(crate) fn preload(&mut self, entry: &Path) {
        // Paths already requested (as written, normalised): each is read at most once here;
        // the database then deduplicates files reached by different paths.
        let mut requested = HashSet::new();
        let mut wave = vec![entry.to_path_buf()];
        requested.insert(entry.to_path_buf());
        let load = |path: &PathBuf| {
            let file = SourceDb::read(path).ok()?;
            let parsed = nix_syntax::parse(&file.text);
            Some((path.clone(), file, parsed))
        };
        while !wave.is_empty() {
            let read: Vec<(PathBuf, ReadFile, Parsed)> =
                filter_map_files(&wave, |_, path| load(path));
            let mut next = Vec::new();
            for (asked_for, file, parsed) in read {
                let (id, new) = self.db.insert(&asked_for, file);
                if !new {
                    continue;
                }
                self.add_parsed(id, parsed);
                let dir = self.dir_of(id);
                let parsed = self.parsed(id);
                for (_, target, _) in crate::import_graph::literal_imports(&parsed.ast) {
                    let target = nix_eval::normalize(&dir.join(target));
                    if requested.insert(target.clone()) {
                        next.push(target);
                    }
                }
            }
            wave = next;
        }
    }

    fn parse(&mut self, id: FileId) {
        let parsed = nix_syntax::parse(&self.db.file(id).text);
        self.add_parsed(id, parsed);
    }

    fn add_parsed(&mut self, id: FileId, parsed: Parsed) {
        debug_assert_eq!(id.0 as usize, self.parsed.len());
        for error in &parsed.errors {
            self.problem(
                ProblemKind::Syntax,
                Some(Span::new(id, error.range)),
                error.message.clone(),
            );
        }
        if let Some(limit) = &parsed.too_complex {
            self.problem(
                ProblemKind::TooComplex,
                Some(Span::new(id, limit.range)),
                limit.message.clone(),
            );
        }
        for d in &parsed.duplicates {
            let related = vec![Related {
                span: Span::new(id, d.first),
                message: "first defined here".to_string(),
            }];
            self.problem_with(
                ProblemKind::DuplicateAttribute,
                Some(Span::new(id, d.at)),
                format!("attribute `{}` is already defined", d.name),
                related,
            );
        }
        self.parsed.push(Arc::new(parsed));
    }

    /// Every parsed file, indexed by `FileId`.
    pub(crate) fn take_syntax(&mut self) -> Vec<Arc<Parsed>> {
        std::mem::take(&mut self.parsed)
    }

    pub(crate) fn len(&self) -> usize {
        self.parsed.len()
    }

    pub(crate) fn parsed(&self, id: FileId) -> Arc<Parsed> {
        self.parsed[id.0 as usize].clone()
    }

    /// The whole file when `span` is its top expression (`import ./home.nix`), else `span`.
    pub(crate) fn widen_to_file(&self, span: Span) -> Span {
        let root = self.parsed(span.file).ast.root();
        let is_root =
            root.is_some_and(|r| self.parsed[span.file.0 as usize].ast.range(r) == span.range);
        if is_root {
            self.whole_file(span.file)
        } else {
            span
        }
    }

    /// The directory relative paths in the file are resolved against.
    pub(crate) fn dir_of(&self, id: FileId) -> PathBuf {
        self.db
            .file(id)
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    pub(crate) fn whole_file(&self, id: FileId) -> Span {
        Span::new(id, TextRange::new(0, self.db.file(id).text.len() as u32))
    }
}
