/// One-based line and column; the column counts Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Maps byte offsets to lines and columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// Lines that hold a non-ASCII character: only there does a column need counting
    /// (so a column in a long one-line file costs nothing).
    non_ascii_lines: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        let mut non_ascii_lines = Vec::new();
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            } else if !b.is_ascii()
                && non_ascii_lines.last() != Some(&(line_starts.len() as u32 - 1))
            {
                non_ascii_lines.push(line_starts.len() as u32 - 1);
            }
        }
        Self {
            line_starts,
            non_ascii_lines,
        }
    }

    /// The one-based line of `offset` (past the end: the last line).
    pub fn line(&self, text: &str, offset: u32) -> u32 {
        let offset = offset.min(text.len() as u32);
        self.line_starts.partition_point(|&start| start <= offset) as u32
    }

    /// Line and column of `offset`; offsets past the end clamp to the end.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let line = self.line(text, offset);
        let start = self.line_starts[line as usize - 1] as usize;
        let end = floor_char_boundary(text, offset.min(text.len() as u32) as usize);
        let column = if self.non_ascii_lines.binary_search(&(line - 1)).is_ok() {
            text.get(start..end).map_or(0, |s| s.chars().count())
        } else {
            end.saturating_sub(start)
        };
        LineCol {
            line,
            column: column as u32 + 1,
        }
    }

    /// How many lines the text has (an empty text has one).
    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// The bytes of a one-based line, without its newline.
    pub fn line_range(&self, text: &str, line: u32) -> Option<std::ops::Range<usize>> {
        let index = line.checked_sub(1)? as usize;
        let start = *self.line_starts.get(index)? as usize;
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(text.len(), |next| *next as usize - 1);
        Some(start..end.max(start))
    }

    /// Byte offset of a one-based line and column, if it lies inside the text.
    pub fn offset(&self, text: &str, line: u32, column: u32) -> Option<u32> {
        let start = *self.line_starts.get(line.checked_sub(1)? as usize)? as usize;
        let rest = text.get(start..)?;
        let line_text = rest.split('\n').next().unwrap_or("");
        let skip = column.checked_sub(1)? as usize;
        let byte = line_text
            .char_indices()
            .nth(skip)
            .map_or(line_text.len(), |(i, _)| i);
        Some((start + byte) as u32)
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based() {
        let text = "ab\ncdé\nf";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 4), LineCol { line: 2, column: 2 });
        assert_eq!(index.line_col(text, 7), LineCol { line: 2, column: 4 });
        assert_eq!(index.line_col(text, 8), LineCol { line: 3, column: 1 });
        assert_eq!(index.line_col(text, 99), LineCol { line: 3, column: 2 });
        assert_eq!(index.line_col(text, 6), LineCol { line: 2, column: 3 });
        assert_eq!((index.line(text, 4), index.line(text, 99)), (2, 3));
        let text = "é\nabc";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 2), LineCol { line: 1, column: 2 });
        assert_eq!(index.line_col(text, 6), LineCol { line: 2, column: 4 });
    }

    #[test]
    fn offset_round_trips() {
        let text = "ab\ncdé\nf";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, 2, 3), Some(5));
        assert_eq!(index.offset(text, 9, 1), None);
    }

    #[test]
    fn line_ranges() {
        let text = "ab\ncdé\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_range(text, 1), Some(0..2));
        assert_eq!(index.line_range(text, 2), Some(3..7));
        assert_eq!(index.line_range(text, 3), Some(8..8));
        assert_eq!(index.line_range(text, 4), None);
    }
}
