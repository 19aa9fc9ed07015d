use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::{FileId, LineCol, LineIndex};

/// Largest file the analyser reads; Nix files this big are generated, not written.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum LoadError {
    #[error("no such file or directory: {0}")]
    NotFound(PathBuf),
    #[error("{0} is a directory without a default.nix")]
    DirectoryWithoutDefault(PathBuf),
    #[error("{path} is not valid UTF-8 text")]
    NotUtf8 { path: PathBuf },
    #[error("{path} is larger than {limit} bytes")]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("cannot read {path}: {message}")]
    Unreadable { path: PathBuf, message: String },
}

/// One source file as read from disk.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as given (made absolute), used for display and resolution.
    pub path: PathBuf,
    pub text: String,
    pub line_index: LineIndex,
    /// Built into the analyser (not the user's): checks skip it.
    pub builtin: bool,
}

impl SourceFile {
    pub fn line_col(&self, offset: u32) -> LineCol {
        self.line_index.line_col(&self.text, offset)
    }
}

/// A file read but not yet added to a `SourceDb`.
#[derive(Debug)]
pub struct ReadFile {
    pub path: PathBuf,
    key: PathBuf,
    pub text: String,
}

/// Every file the analyser has read, keyed by canonical path.
#[derive(Debug, Default)]
pub struct SourceDb {
    files: Vec<SourceFile>,
    /// By canonical path: one entry per file however it is reached.
    by_path: HashMap<PathBuf, FileId>,
    /// By the path as requested, so repeated imports skip the filesystem.
    by_request: HashMap<PathBuf, FileId>,
}

impl SourceDb {
    pub fn new() -> Self {
        Self::default()
    }

    /// Resolves `path` like Nix's `import`: a directory means its `default.nix`.
    pub fn resolve(path: &Path) -> Result<PathBuf, LoadError> {
        let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
        if meta.is_dir() {
            let default = path.join("default.nix");
            if default.is_file() {
                Ok(default)
            } else {
                Err(LoadError::DirectoryWithoutDefault(path.to_path_buf()))
            }
        } else {
            Ok(path.to_path_buf())
        }
    }

    /// Reads a file once; later calls with the same file return the same id.
    pub fn load(&mut self, requested: &Path) -> Result<FileId, LoadError> {
        if let Some(id) = self.by_request.get(requested) {
            return Ok(*id);
        }
        let path = Self::resolve(requested)?;
        let key = std::fs::canonicalize(&path).map_err(|e| io_error(&path, &e))?;
        let id = match self.by_path.get(&key) {
            Some(id) => *id,
            None => {
                let text = Self::read_text(&path, &key)?;
                self.add(path, key, text)
            }
        };
        self.by_request.insert(requested.to_path_buf(), id);
        Ok(id)
    }

    /// Reads `path` without adding it (so many can be read at once); add it with `insert`.
    pub fn read(path: &Path) -> Result<ReadFile, LoadError> {
        let path = Self::resolve(path)?;
        let key = std::fs::canonicalize(&path).map_err(|e| io_error(&path, &e))?;
        let text = Self::read_text(&path, &key)?;
        Ok(ReadFile { path, key, text })
    }

    /// Adds a file read with `read` from `requested`; if the same file is here already, its
    /// id and `false`.
    pub fn insert(&mut self, requested: &Path, file: ReadFile) -> (FileId, bool) {
        let (id, new) = match self.by_path.get(&file.key) {
            Some(id) => (*id, false),
            None => (self.add(file.path, file.key, file.text), true),
        };
        self.by_request.insert(requested.to_path_buf(), id);
        (id, new)
    }

    fn read_text(path: &Path, key: &Path) -> Result<String, LoadError> {
        let meta = std::fs::metadata(key).map_err(|e| io_error(path, &e))?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(LoadError::TooLarge {
                path: path.to_path_buf(),
                limit: MAX_FILE_BYTES,
            });
        }
        let bytes = std::fs::read(key).map_err(|e| io_error(path, &e))?;
        String::from_utf8(bytes).map_err(|_| LoadError::NotUtf8 {
            path: path.to_path_buf(),
        })
    }

    /// Adds a file that is not on disk (such as built-in Nix source), under `path`.
    pub fn add_virtual(&mut self, path: &Path, text: &str) -> FileId {
        if let Some(id) = self.by_path.get(path) {
            return *id;
        }
        let id = self.add(path.to_path_buf(), path.to_path_buf(), text.to_string());
        self.files[id.0 as usize].builtin = true;
        id
    }

    fn add(&mut self, path: PathBuf, key: PathBuf, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile {
            line_index: LineIndex::new(&text),
            builtin: false,
            path,
            text,
        });
        self.by_path.insert(key, id);
        id
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

fn io_error(path: &Path, error: &std::io::Error) -> LoadError {
    match error.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound(path.to_path_buf()),
        _ => LoadError::Unreadable {
            path: path.to_path_buf(),
            message: error.to_string(),
        },
    }
}
