//! The lines of a file a diagnostic shows, made safe for a terminal: control characters
//! escaped, lines longer than the terminal cut to a window around the label (with `…`), and
//! label ranges moved to match. miette is given only these lines, so a label far along a long
//! line (past column 65,535, where miette's padding overflows) is drawn near the left edge,
//! and a 50 MB file is not copied for each diagnostic.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use nix_source::{SourceFile, TextRange};

use crate::text::{ELLIPSIS, char_width, escaped_char};

/// Columns a tab takes in miette's rendering.
const TAB_WIDTH: usize = 4;

pub(crate) struct Snippet {
    name: String,
    text: String,
    /// Zero-based line of the file where `text` starts.
    first_line: usize,
    lines: Vec<ShownLine>,
    /// Columns a shown line may take.
    max_columns: usize,
    /// Each label's start in `text`, with its zero-based line and column in the file, so
    /// miette's `[file:line:column]` header names the place in the file.
    starts: Vec<(usize, usize, usize)>,
}

/// One line of the file as shown.
struct ShownLine {
    /// Byte offset of the line in the file and in the snippet.
    file_start: usize,
    shown_start: usize,
    map: LineMap,
}

impl Snippet {
    /// The lines of `file` covering `ranges`, with one line of context either side, each cut
    /// to fit `width` with the line numbers and gutter miette draws before it.
    pub(crate) fn new(name: String, file: &SourceFile, ranges: &[TextRange], width: usize) -> Self {
        let index = &file.line_index;
        let line_of = |offset: u32| file.line(offset);
        let first = ranges.iter().map(|r| line_of(r.start)).min().unwrap_or(1);
        let last = ranges.iter().map(|r| line_of(r.end)).max().unwrap_or(1);
        let first = first.saturating_sub(1).max(1);
        let last = (last + 1).min(index.line_count());
        // ` 12 │ ` before each line, and the gutter of labels over several lines.
        let multi_line = ranges.iter().filter(|r| line_of(r.start) != line_of(r.end));
        let gutter = last.to_string().len() + 4 + 3 * multi_line.count();
        let max_columns = width.saturating_sub(gutter).max(20);
        let mut text = String::new();
        let mut lines = Vec::new();
        for line in first..=last {
            let Some(range) = index.line_range(&file.text, line) else {
                break;
            };
            let focus = ranges
                .iter()
                .map(|r| r.start as usize)
                .filter(|start| range.contains(start))
                .min()
                .map(|start| start - range.start);
            if line > first {
                text.push('\n');
            }
            let (shown, map) = show_line(&file.text[range.clone()], focus, max_columns);
            lines.push(ShownLine {
                file_start: range.start,
                shown_start: text.len(),
                map,
            });
            text.push_str(&shown);
        }
        let mut snippet = Snippet {
            name,
            text,
            first_line: first as usize - 1,
            lines,
            max_columns,
            starts: Vec::new(),
        };
        snippet.starts = ranges
            .iter()
            .map(|r| {
                let at = file.line_col(r.start);
                (
                    snippet.offset(r.start as usize),
                    at.line as usize - 1,
                    at.column as usize - 1,
                )
            })
            .collect();
        snippet
    }

    /// Where a byte offset of the file is in the snippet.
    fn offset(&self, file_offset: usize) -> usize {
        let index = self
            .lines
            .partition_point(|l| l.file_start <= file_offset)
            .saturating_sub(1);
        match self.lines.get(index) {
            Some(line) => {
                line.shown_start + line.map.shown(file_offset.saturating_sub(line.file_start))
            }
            None => 0,
        }
    }

    /// `range` of the file as a span of the snippet. A span within one line is at most a
    /// third of the width long, so the label text miette writes after its middle fits.
    pub(crate) fn span(&self, range: TextRange) -> SourceSpan {
        let start = self.offset(range.start as usize);
        let mut end = self.offset(range.end as usize).max(start);
        if !self.text[start..end].contains('\n') {
            end = end.min(start + self.max_columns / 3);
            while !self.text.is_char_boundary(end) {
                end -= 1;
            }
        }
        (start, end - start).into()
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let exact = context_lines_before == 0 && context_lines_after == 0;
        let (line, column) = match self.starts.iter().find(|s| s.0 == span.offset()) {
            Some(&(_, line, column)) if exact => (line, column),
            _ => (inner.line() + self.first_line, inner.column()),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

/// How byte offsets of one line move when it is escaped and cut.
#[derive(Default)]
struct LineMap {
    /// Places where the shift changes: (offset in the line, offset in the escaped line,
    /// whether the bytes after it are copied as they are).
    marks: Vec<(usize, usize, bool)>,
    /// The part of the escaped line shown, and the bytes of the `…` before it.
    window: Option<(usize, usize, usize)>,
}

impl LineMap {
    fn shown(&self, offset: usize) -> usize {
        let index = self
            .marks
            .partition_point(|m| m.0 <= offset)
            .saturating_sub(1);
        let escaped = match self.marks.get(index) {
            Some(&(from, to, true)) => to + offset.saturating_sub(from),
            Some(&(_, to, false)) => to,
            None => offset,
        };
        match self.window {
            Some((start, end, prefix)) => prefix + escaped.clamp(start, end) - start,
            None => escaped,
        }
    }
}

/// The part of `line` that can be shown around `focus` in `max_columns`: every character
/// takes at least one column (but zero-width ones), so a window of `max_columns` characters
/// either side holds it. Only this part is escaped and measured, so a diagnostic on a long
/// line costs the width of the terminal, not the length of the line.
fn clip(line: &str, focus: usize, max_columns: usize) -> (usize, usize) {
    let mut focus = focus.min(line.len());
    while !line.is_char_boundary(focus) {
        focus -= 1;
    }
    let reach = max_columns + 1;
    let from = line[..focus]
        .char_indices()
        .rev()
        .take(reach)
        .last()
        .map_or(focus, |(i, _)| i);
    let to = line[focus..]
        .char_indices()
        .nth(reach)
        .map_or(line.len(), |(i, _)| focus + i);
    (from, to)
}

/// `line` escaped, and cut to a window of `max_columns` around `focus` when longer.
fn show_line(line: &str, focus: Option<usize>, max_columns: usize) -> (String, LineMap) {
    let (from, to) = clip(line, focus.unwrap_or(0), max_columns);
    let clipped = (from > 0, to < line.len());
    let mut escaped = String::with_capacity(to - from);
    let mut map = LineMap {
        marks: vec![(from, 0, true)],
        window: None,
    };
    // (byte offset in `escaped`, columns) of every character, for cutting.
    let mut columns: Vec<(usize, usize)> = Vec::new();
    for (i, c) in line[from..to].char_indices() {
        let i = from + i;
        // The `\r` of a CRLF line ending is part of the line break.
        let crlf = c == '\r' && i + 1 == line.len();
        match escaped_char(c, true).filter(|_| !crlf) {
            Some(text) => {
                map.marks.push((i, escaped.len(), false));
                for e in text.chars() {
                    columns.push((escaped.len(), 1));
                    escaped.push(e);
                }
                map.marks.push((i + c.len_utf8(), escaped.len(), true));
            }
            None => {
                let width = if c == '\t' { TAB_WIDTH } else { char_width(c) };
                columns.push((escaped.len(), width));
                escaped.push(c);
            }
        }
    }
    let total: usize = columns.iter().map(|c| c.1).sum();
    if total <= max_columns && clipped == (false, false) {
        return (escaped, map);
    }
    // Start a third of the width before the focus (the label's text goes after it), then
    // fill the width.
    let focus = map.shown(focus.unwrap_or(0));
    let at_focus = columns.partition_point(|c| c.0 < focus);
    let mut first = at_focus;
    let mut before = 0;
    while first > 0 && before + columns[first - 1].1 <= max_columns / 3 {
        first -= 1;
        before += columns[first].1;
    }
    let cut_before = first > 0 || clipped.0;
    let mut room = max_columns.saturating_sub(usize::from(cut_before) + 1);
    let mut last = first;
    while last < columns.len() && columns[last].1 <= room {
        room -= columns[last].1;
        last += 1;
    }
    let start = columns.get(first).map_or(escaped.len(), |c| c.0);
    let end = columns.get(last).map_or(escaped.len(), |c| c.0);
    let mut shown = String::with_capacity(end - start + 8);
    if cut_before {
        shown.push(ELLIPSIS);
    }
    let prefix = shown.len();
    shown.push_str(&escaped[start..end]);
    if end < escaped.len() || clipped.1 {
        shown.push(ELLIPSIS);
    }
    map.window = Some((start, end, prefix));
    (shown, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_kept() {
        let (shown, map) = show_line("{ a = 1; }", Some(2), 80);
        assert_eq!(shown, "{ a = 1; }");
        assert_eq!(map.shown(2), 2);
    }

    #[test]
    fn controls_are_escaped_and_offsets_follow() {
        let (shown, map) = show_line("\"\u{1b}[2J\" x", Some(7), 80);
        assert_eq!(shown, "\"\\u{1b}[2J\" x");
        assert_eq!(&shown[map.shown(7)..], "x");
        assert_eq!(map.shown(1), 1);
    }

    #[test]
    fn long_lines_are_cut_around_the_focus() {
        let line = format!("{}target{}", " ".repeat(70_000), " ".repeat(100));
        let (shown, map) = show_line(&line, Some(70_000), 60);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown:?}");
        assert_eq!(crate::text::width(&shown), 60);
        let at = map.shown(70_000);
        assert_eq!(&shown[at..at + 6], "target");
        // Offsets outside the window stick to its edges.
        assert_eq!(map.shown(0), '…'.len_utf8());
        assert_eq!(map.shown(line.len()), shown.len() - '…'.len_utf8());
    }

    #[test]
    fn only_a_window_of_a_long_line_is_escaped() {
        // Found re-checking issue #12: 10,000 duplicate attributes on one line took 6 s,
        // each diagnostic escaping and measuring the whole 70,000-byte line.
        let line = format!("{}target{}", "a".repeat(1_000_000), "b".repeat(1_000_000));
        let (from, to) = clip(&line, 1_000_000, 60);
        assert!(
            from < 1_000_000 && to > 1_000_006 && to - from <= 2 * 61,
            "{from}..{to}"
        );
        let (shown, map) = show_line(&line, Some(1_000_000), 60);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown:?}");
        assert_eq!(crate::text::width(&shown), 60);
        let at = map.shown(1_000_000);
        assert_eq!(&shown[at..at + 6], "target");
        assert_eq!(map.shown(0), '…'.len_utf8());
        assert_eq!(map.shown(line.len()), shown.len() - '…'.len_utf8());
    }
}
