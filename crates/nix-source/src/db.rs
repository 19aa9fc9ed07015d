use std::collections::HashMap;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use crate::{FileId, LineCol, LineIndex};

/// Largest file the analyser reads; Nix files this big are generated, not written.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file could not be read. Each cause is its own variant so callers decide by kind,
/// never by message text.
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
    #[error("cannot read {path}: too many levels of symbolic links (a symlink loop)")]
    SymlinkLoop { path: PathBuf },
    #[error("cannot read {path}: permission denied")]
    PermissionDenied { path: PathBuf },
    #[error("cannot read {path}: it is {kind}, not a regular file")]
    NotRegularFile { path: PathBuf, kind: FileKind },
    #[error("cannot read {path}: {message}")]
    Unreadable { path: PathBuf, message: String },
}

impl LoadError {
    /// The error for an I/O failure on `path`, by its cause.
    pub fn from_io(path: &Path, error: &std::io::Error) -> Self {
        let path = path.to_path_buf();
        match error.kind() {
            std::io::ErrorKind::NotFound => LoadError::NotFound(path),
            std::io::ErrorKind::PermissionDenied => LoadError::PermissionDenied { path },
            _ if error.raw_os_error() == Some(libc::ELOOP) => LoadError::SymlinkLoop { path },
            _ => LoadError::Unreadable {
                path,
                message: error.to_string(),
            },
        }
    }
}

/// What a path that is not a regular file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Directory,
    Fifo,
    Socket,
    CharDevice,
    BlockDevice,
    Other,
}

impl FileKind {
    fn of(file_type: std::fs::FileType) -> Self {
        if file_type.is_dir() {
            FileKind::Directory
        } else if file_type.is_fifo() {
            FileKind::Fifo
        } else if file_type.is_socket() {
            FileKind::Socket
        } else if file_type.is_char_device() {
            FileKind::CharDevice
        } else if file_type.is_block_device() {
            FileKind::BlockDevice
        } else {
            FileKind::Other
        }
    }
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileKind::Directory => "a directory",
            FileKind::Fifo => "a FIFO (named pipe)",
            FileKind::Socket => "a socket",
            FileKind::CharDevice => "a character device",
            FileKind::BlockDevice => "a block device",
            FileKind::Other => "a special file",
        })
    }
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

    /// The one-based line of `offset`.
    pub fn line(&self, offset: u32) -> u32 {
        self.line_index.line(&self.text, offset)
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

    /// Resolves `path` like Nix's `import`: a directory means its `default.nix`; anything but
    /// a regular file or a directory is refused.
    pub fn resolve(path: &Path) -> Result<PathBuf, LoadError> {
        let meta = std::fs::metadata(path).map_err(|e| LoadError::from_io(path, &e))?;
        if !meta.is_dir() {
            // Checked before anything resolves the path: `/dev/stdin` on a pipe links to
            // `pipe:[…]`, which is no path.
            regular_file(path, &meta)?;
            return Ok(path.to_path_buf());
        }
        let default = path.join("default.nix");
        match std::fs::metadata(&default) {
            Ok(meta) if meta.is_dir() => {
                Err(LoadError::DirectoryWithoutDefault(path.to_path_buf()))
            }
            Ok(_) => Ok(default),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(LoadError::DirectoryWithoutDefault(path.to_path_buf()))
            }
            Err(e) => Err(LoadError::from_io(&default, &e)),
        }
    }

    /// Reads a file once; later calls with the same file return the same id.
    pub fn load(&mut self, requested: &Path) -> Result<FileId, LoadError> {
        if let Some(id) = self.by_request.get(requested) {
            return Ok(*id);
        }
        let path = Self::resolve(requested)?;
        let key = std::fs::canonicalize(&path).map_err(|e| LoadError::from_io(&path, &e))?;
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
        let key = std::fs::canonicalize(&path).map_err(|e| LoadError::from_io(&path, &e))?;
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

    /// Reads a regular file of at most `MAX_FILE_BYTES`. The type is checked before opening
    /// (so a FIFO is never opened), the file is opened non-blocking and checked again (it may
    /// have been replaced meanwhile), and the cap holds while reading (sizes can lie).
    fn read_text(path: &Path, key: &Path) -> Result<String, LoadError> {
        let io = |e: std::io::Error| LoadError::from_io(path, &e);
        let too_large = || LoadError::TooLarge {
            path: path.to_path_buf(),
            limit: MAX_FILE_BYTES,
        };
        regular_file(path, &std::fs::metadata(key).map_err(io)?)?;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
            .open(key)
            .map_err(io)?;
        let meta = file.metadata().map_err(io)?;
        regular_file(path, &meta)?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(too_large());
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large());
        }
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

/// `NotRegularFile` unless `meta` is a regular file's.
fn regular_file(path: &Path, meta: &std::fs::Metadata) -> Result<(), LoadError> {
    if meta.is_file() {
        Ok(())
    } else {
        Err(LoadError::NotRegularFile {
            path: path.to_path_buf(),
            kind: FileKind::of(meta.file_type()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(path: &Path) -> Result<FileId, LoadError> {
        SourceDb::new().load(path)
    }

    #[test]
    fn devices_are_refused_before_reading() {
        let error = load(Path::new("/dev/zero")).expect_err("a device");
        assert_eq!(
            error,
            LoadError::NotRegularFile {
                path: "/dev/zero".into(),
                kind: FileKind::CharDevice
            }
        );
        assert_eq!(
            error.to_string(),
            "cannot read /dev/zero: it is a character device, not a regular file"
        );
    }

    #[test]
    fn fifos_are_refused_without_blocking() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("fifo.nix");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        let error = load(&fifo).expect_err("a FIFO");
        assert!(
            matches!(
                error,
                LoadError::NotRegularFile {
                    kind: FileKind::Fifo,
                    ..
                }
            ),
            "{error}"
        );
        // Reached through a directory's default.nix too.
        std::fs::rename(&fifo, dir.path().join("default.nix")).expect("rename");
        let error = load(dir.path()).expect_err("a FIFO");
        assert!(
            matches!(
                error,
                LoadError::NotRegularFile {
                    kind: FileKind::Fifo,
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn symlink_loops_say_so() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("loop.nix");
        std::os::unix::fs::symlink("loop.nix", &path).expect("symlink");
        let error = load(&path).expect_err("a loop");
        assert_eq!(error, LoadError::SymlinkLoop { path: path.clone() });
        assert!(error.to_string().contains("symlink loop"), "{error}");
    }

    #[test]
    fn missing_files_and_directories_without_default() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("missing.nix");
        assert_eq!(load(&missing), Err(LoadError::NotFound(missing)));
        assert_eq!(
            load(dir.path()),
            Err(LoadError::DirectoryWithoutDefault(dir.path().to_path_buf()))
        );
    }

    #[test]
    fn size_cap_and_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big = dir.path().join("big.nix");
        let file = std::fs::File::create(&big).expect("create");
        file.set_len(MAX_FILE_BYTES + 1).expect("sparse file");
        assert!(matches!(load(&big), Err(LoadError::TooLarge { .. })));
        let small = dir.path().join("small.nix");
        std::fs::write(&small, "{ }").expect("write");
        let mut db = SourceDb::new();
        let id = db.load(&small).expect("loads");
        assert_eq!(db.file(id).text, "{ }");
    }
}
