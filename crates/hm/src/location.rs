//! Spans as `file:line:column`, with files shown relative to the analysed directory.

use std::path::Path;

use hm_model::{Analysis, Span};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Location {
    pub file: String,
    /// One-based.
    pub line: u32,
    /// One-based, in characters.
    pub column: u32,
    /// Byte offsets of the span in the file.
    pub start: u32,
    pub end: u32,
}

impl Location {
    pub fn new(analysis: &Analysis, span: Span) -> Self {
        let file = analysis.db.file(span.file);
        let at = file.line_col(span.range.start);
        Location {
            file: display_path(&analysis.root, &file.path),
            line: at.line,
            column: at.column,
            start: span.range.start,
            end: span.range.end,
        }
    }

    /// `file:line`, for tables.
    pub fn short(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

pub fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
