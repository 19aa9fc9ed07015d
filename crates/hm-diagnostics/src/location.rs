use std::path::Path;

use nix_source::{SourceDb, Span};
use serde::Serialize;

/// A one-based line and column (characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// A span as people and editors read it, with the file relative to the analysed directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// Where the span ends.
    pub end: Position,
    /// Byte offsets of the span in the file.
    pub start_offset: u32,
    pub end_offset: u32,
}

impl Location {
    pub fn new(db: &SourceDb, root: &Path, span: Span) -> Self {
        let file = db.file(span.file);
        let start = file.line_col(span.range.start);
        let end = file.line_col(span.range.end);
        Location {
            file: display_path(root, &file.path),
            line: start.line,
            column: start.column,
            end: Position {
                line: end.line,
                column: end.column,
            },
            start_offset: span.range.start,
            end_offset: span.range.end,
        }
    }

    /// `file:line`, for tables.
    pub fn short(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    /// [`Location::short`] of `span`, without counting columns (a table of 100,000
    /// services has a location a row).
    pub fn short_of(db: &SourceDb, root: &Path, span: Span) -> String {
        let file = db.file(span.file);
        format!(
            "{}:{}",
            display_path(root, &file.path),
            file.line(span.range.start)
        )
    }
}

/// `path` relative to `root` when inside it.
pub fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
