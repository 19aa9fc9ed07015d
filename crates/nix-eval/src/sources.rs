//! Where the evaluator gets files from. The layer above decides what the repository is
//! (reads outside it are refused, and become unknowns); tests use [`MemorySources`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use nix_source::{FileId, Span};
use nix_syntax::Parsed;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Regular,
    Directory,
    Symlink,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourcesError {
    #[error("{0} does not exist")]
    NotFound(PathBuf),
    #[error("{0} is outside the repository")]
    OutsideRepository(PathBuf),
    #[error("cannot read {path}: {message}")]
    Unreadable { path: PathBuf, message: String },
}

pub trait Sources {
    /// Loads and parses the Nix file `path` refers to (a directory means its
    /// `default.nix`), imported at `from`.
    fn import(&mut self, path: &Path, from: Option<Span>) -> Result<FileId, SourcesError>;
    fn parsed(&self, file: FileId) -> Arc<Parsed>;
    fn path(&self, file: FileId) -> PathBuf;
    fn text(&self, file: FileId) -> String;
    fn read_file(&mut self, path: &Path) -> Result<String, SourcesError>;
    fn read_dir(&mut self, path: &Path) -> Result<Vec<(String, FileKind)>, SourcesError>;
    /// `None`: outside the repository, so not known.
    fn path_exists(&mut self, path: &Path) -> Option<bool>;
    /// Adds a file that is not on disk (the prelude), parsed already.
    fn add_virtual(&mut self, path: &Path, text: &str, parsed: Arc<Parsed>) -> FileId;
}

/// Files held in memory: `#- /path` headers split one text into several files.
#[derive(Default)]
pub struct MemorySources {
    texts: BTreeMap<PathBuf, String>,
    files: Vec<(PathBuf, String, Arc<Parsed>)>,
    by_path: HashMap<PathBuf, FileId>,
}

impl MemorySources {
    /// `#- /a.nix` starts the file `/a.nix`; text before the first header is `/default.nix`.
    pub fn from_fixture(fixture: &str) -> Self {
        let mut sources = MemorySources::default();
        let mut current = PathBuf::from("/default.nix");
        let mut text = String::new();
        for line in fixture.lines() {
            if let Some(path) = line.strip_prefix("#- ") {
                if !text.trim().is_empty() {
                    sources
                        .texts
                        .insert(current.clone(), std::mem::take(&mut text));
                }
                text.clear();
                current = PathBuf::from(path.trim());
            } else {
                text.push_str(line);
                text.push('\n');
            }
        }
        if !text.trim().is_empty() || !sources.texts.contains_key(&current) {
            sources.texts.insert(current, text);
        }
        sources
    }

    pub fn file_id(&mut self, path: &str) -> Option<FileId> {
        self.import(Path::new(path), None).ok()
    }

    fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        let parsed = Arc::new(nix_syntax::parse(&text));
        self.by_path.insert(path.clone(), id);
        self.files.push((path, text, parsed));
        id
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.texts.keys().any(|p| p.starts_with(path) && p != path)
    }
}

impl Sources for MemorySources {
    fn import(&mut self, path: &Path, _from: Option<Span>) -> Result<FileId, SourcesError> {
        let path = if self.is_dir(path) {
            path.join("default.nix")
        } else {
            path.to_path_buf()
        };
        if let Some(id) = self.by_path.get(&path) {
            return Ok(*id);
        }
        let text = self
            .texts
            .get(&path)
            .cloned()
            .ok_or_else(|| SourcesError::NotFound(path.clone()))?;
        Ok(self.add(path, text))
    }

    fn parsed(&self, file: FileId) -> Arc<Parsed> {
        self.files[file.0 as usize].2.clone()
    }

    fn path(&self, file: FileId) -> PathBuf {
        self.files[file.0 as usize].0.clone()
    }

    fn text(&self, file: FileId) -> String {
        self.files[file.0 as usize].1.clone()
    }

    fn read_file(&mut self, path: &Path) -> Result<String, SourcesError> {
        self.texts
            .get(path)
            .cloned()
            .ok_or_else(|| SourcesError::NotFound(path.to_path_buf()))
    }

    fn read_dir(&mut self, path: &Path) -> Result<Vec<(String, FileKind)>, SourcesError> {
        let mut entries: BTreeMap<String, FileKind> = BTreeMap::new();
        for p in self.texts.keys() {
            if let Ok(rest) = p.strip_prefix(path) {
                let mut components = rest.components();
                if let Some(first) = components.next() {
                    let name = first.as_os_str().to_string_lossy().into_owned();
                    let kind = if components.next().is_some() {
                        FileKind::Directory
                    } else {
                        FileKind::Regular
                    };
                    entries.insert(name, kind);
                }
            }
        }
        if entries.is_empty() {
            return Err(SourcesError::NotFound(path.to_path_buf()));
        }
        Ok(entries.into_iter().collect())
    }

    fn path_exists(&mut self, path: &Path) -> Option<bool> {
        Some(self.texts.contains_key(path) || self.is_dir(path))
    }

    fn add_virtual(&mut self, path: &Path, text: &str, parsed: Arc<Parsed>) -> FileId {
        if let Some(id) = self.by_path.get(path) {
            return *id;
        }
        let id = FileId(self.files.len() as u32);
        self.by_path.insert(path.to_path_buf(), id);
        self.files
            .push((path.to_path_buf(), text.to_string(), parsed));
        id
    }
}
