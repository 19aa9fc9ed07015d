//! Source files for the analyser: ids, text, spans and line/column lookup.
//!
//! Nothing here knows about Nix syntax; it only owns bytes read from disk.

mod db;
mod line_index;
mod span;

pub use db::{FileKind, LoadError, ReadFile, SourceDb, SourceFile};
pub use line_index::{LineCol, LineIndex};
pub use span::{FileId, Span, TextRange};
