//! A plain aligned table: no colours, no borders, so it greps and diffs well. Cells are
//! escaped (no control character reaches the terminal) and cut with `…` to the width: on a
//! terminal the widest columns are cut until a row fits; piped, only cells wider than the
//! width are cut, so the output stays greppable.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use hm_diagnostics::text::{escape_line, truncate, width};

/// Columns between two cells.
const GAP: usize = 2;
/// Narrowest a column is cut to, however narrow the terminal.
const MIN_COLUMN: usize = 8;

pub struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    width: usize,
    /// Cut columns so a whole row fits `width` (on a terminal), not only single cells.
    fit_rows: bool,
}

impl Table {
    pub fn new(header: Vec<&'static str>) -> Self {
        Self {
            header,
            rows: Vec::new(),
            width: crate::terminal::stdout_width(),
            fit_rows: std::io::stdout().is_terminal(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn write(&self, out: &mut impl Write) -> io::Result<()> {
        // Cells are escaped where they need it (else borrowed) when measured and again when
        // written, so no escaped copy of a large table is held.
        let header = || self.header.iter().map(|h| Cow::Borrowed(*h));
        let rows = || {
            self.rows
                .iter()
                .map(|row| row.iter().map(|cell| escape_line(cell)))
        };
        let mut widths: Vec<usize> = vec![0; self.header.len()];
        for (column, cell) in widths.iter_mut().zip(header()) {
            *column = (*column).max(width(&cell));
        }
        for row in rows() {
            for (column, cell) in widths.iter_mut().zip(row) {
                *column = (*column).max(width(&cell));
            }
        }
        let cap = if self.fit_rows {
            column_cap(&widths, self.width)
        } else {
            self.width
        };
        for width in &mut widths {
            *width = (*width).min(cap);
        }
        let mut line = String::new();
        write_row(out, &mut line, header(), &widths)?;
        for row in rows() {
            write_row(out, &mut line, row, &widths)?;
        }
        Ok(())
    }
}

/// One row, each cell cut to its column's width and padded to it (`line` is reused).
fn write_row<'a>(
    out: &mut impl Write,
    line: &mut String,
    cells: impl ExactSizeIterator<Item = Cow<'a, str>>,
    widths: &[usize],
) -> io::Result<()> {
    line.clear();
    let count = cells.len();
    for (i, (cell, column)) in cells.zip(widths).enumerate() {
        let cell = truncate(&cell, *column);
        line.push_str(&cell);
        if i + 1 < count {
            let pad = column - width(&cell) + GAP;
            line.extend(std::iter::repeat_n(' ', pad));
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// The widest a column may be so the row fits `total` columns: the largest cap for which the
/// capped widths and the gaps fit, never below `MIN_COLUMN`.
fn column_cap(widths: &[usize], total: usize) -> usize {
    let gaps = GAP * widths.len().saturating_sub(1);
    let fits = |cap: usize| widths.iter().map(|w| (*w).min(cap)).sum::<usize>() + gaps <= total;
    let widest = widths.iter().copied().max().unwrap_or(0);
    if fits(widest) {
        return widest;
    }
    // `fits` holds up to some cap and fails above it.
    let (mut low, mut high) = (MIN_COLUMN, widest);
    while low < high {
        let middle = (low + high).div_ceil(2);
        if fits(middle) {
            low = middle;
        } else {
            high = middle - 1;
        }
    }
    low
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(table: &Table) -> String {
        let mut out = Vec::new();
        table.write(&mut out).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    fn table(width: usize, rows: &[[&str; 3]]) -> Table {
        let mut table = Table::new(vec!["NAME", "USER", "COMMAND"]);
        table.width = width;
        table.fit_rows = true;
        for row in rows {
            table.row(row.iter().map(|c| c.to_string()).collect());
        }
        table
    }

    #[test]
    fn aligns_columns() {
        let t = table(80, &[["a", "alice", "/bin/true"], ["bbbb", "bob", "x"]]);
        assert_eq!(
            render(&t),
            "NAME  USER   COMMAND\na     alice  /bin/true\nbbbb  bob    x\n"
        );
    }

    #[test]
    fn long_cells_are_cut_to_the_width() {
        let long = "x".repeat(70_000);
        let t = table(40, &[[long.as_str(), "alice", long.as_str()]]);
        let text = render(&t);
        for line in text.lines() {
            assert!(width(line) <= 40, "{line}");
        }
        assert!(text.contains('…'));
        // Piped: only cells wider than the width are cut.
        let mut piped = table(40, &[["a", "alice", long.as_str()]]);
        piped.fit_rows = false;
        assert_eq!(
            render(&piped).lines().nth(1).map(width),
            Some(4 + 2 + 5 + 2 + 40)
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        let t = table(80, &[["\u{1b}]52;c;eA==\u{7}", "a\nb", "\r"]]);
        let text = render(&t);
        assert!(!text.contains('\u{1b}') && !text.contains('\r'));
        assert!(text.contains("\\u{1b}]52;c;eA==\\u{7}  a\\nb"), "{text}");
    }
}
