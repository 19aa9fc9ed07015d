//! The files the evaluator may read: Nix files through [`Files`] (parsed once, problems
//! recorded), and `readFile`/`readDir`/`pathExists` inside the repository only.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use nix_eval::{FileKind, Sources, SourcesError};
use nix_source::{FileId, LoadError, Span};
use nix_syntax::Parsed;

use crate::files::Files;

/// Largest file `builtins.readFile` reads.
const MAX_READ_BYTES: u64 = 16 * 1024 * 1024;

pub(crate) struct Repo {
    pub(crate) files: Rc<RefCell<Files>>,
    /// Reads outside this directory are unknown.
    pub(crate) root: PathBuf,
}

impl Repo {
    fn inside(&self, path: &Path) -> Result<(), SourcesError> {
        if path.starts_with(&self.root) {
            Ok(())
        } else {
            Err(SourcesError::OutsideRepository(path.to_path_buf()))
        }
    }
}

fn sources_error(path: &Path, error: LoadError) -> SourcesError {
    match error {
        LoadError::NotFound(_) => SourcesError::NotFound(path.to_path_buf()),
        other => SourcesError::Unreadable {
            path: path.to_path_buf(),
            message: other.to_string(),
        },
    }
}

impl Sources for Repo {
    fn import(&mut self, path: &Path, from: Option<Span>) -> Result<FileId, SourcesError> {
        // Nix files anywhere are read (bounded), as `import` reads them outside flakes.
        self.files
            .borrow_mut()
            .load_for_eval(path, from)
            .map_err(|e| sources_error(path, e))
    }

    fn parsed(&self, file: FileId) -> Arc<Parsed> {
        self.files.borrow().parsed(file)
    }

    fn path(&self, file: FileId) -> PathBuf {
        self.files.borrow().db.file(file).path.clone()
    }

    fn text(&self, file: FileId) -> String {
        self.files.borrow().db.file(file).text.clone()
    }

    fn read_file(&mut self, path: &Path) -> Result<String, SourcesError> {
        self.inside(path)?;
        let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
        if !meta.is_file() || meta.len() > MAX_READ_BYTES {
            return Err(SourcesError::Unreadable {
                path: path.to_path_buf(),
                message: "not a regular file of a readable size".into(),
            });
        }
        std::fs::read_to_string(path).map_err(|e| io_error(path, &e))
    }

    fn read_dir(&mut self, path: &Path) -> Result<Vec<(String, FileKind)>, SourcesError> {
        self.inside(path)?;
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(path).map_err(|e| io_error(path, &e))? {
            let entry = entry.map_err(|e| io_error(path, &e))?;
            let kind = match entry.file_type() {
                Ok(t) if t.is_symlink() => FileKind::Symlink,
                Ok(t) if t.is_dir() => FileKind::Directory,
                Ok(t) if t.is_file() => FileKind::Regular,
                _ => FileKind::Unknown,
            };
            entries.push((entry.file_name().to_string_lossy().into_owned(), kind));
            if entries.len() > 100_000 {
                break;
            }
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(entries)
    }

    fn path_exists(&mut self, path: &Path) -> Option<bool> {
        self.inside(path).ok()?;
        Some(path.exists())
    }

    fn add_virtual(&mut self, path: &Path, text: &str, parsed: Arc<Parsed>) -> FileId {
        self.files.borrow_mut().add_virtual(path, text, parsed)
    }
}

fn io_error(path: &Path, error: &std::io::Error) -> SourcesError {
    match error.kind() {
        std::io::ErrorKind::NotFound => SourcesError::NotFound(path.to_path_buf()),
        _ => SourcesError::Unreadable {
            path: path.to_path_buf(),
            message: error.to_string(),
        },
    }
}
