//! Text from a configuration made safe and small enough for a terminal: control characters
//! (escape sequences, carriage returns) and bidirectional overrides are shown escaped, never
//! sent raw, and long text is cut to a display width with an ellipsis.

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

/// Shown where text was cut.
pub const ELLIPSIS: char = '…';

/// Whether `c` must not reach a terminal raw. `keep_layout` keeps newlines and tabs.
fn needs_escape(c: char, keep_layout: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_layout,
        // Bidirectional embeddings, overrides, isolates and marks reorder what is shown.
        '\u{200e}'
        | '\u{200f}'
        | '\u{061c}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => true,
        // C0, DEL and C1 (which holds the one-byte CSI and OSC introducers).
        c => c.is_control(),
    }
}

/// Whether `text` is printable ASCII only: nothing to escape, one column a character. Most
/// text is, and a table of 100,000 services measures half a million cells.
fn printable_ascii(text: &str) -> bool {
    text.bytes().all(|b| (b' '..=b'~').contains(&b))
}

fn escape_with(text: &str, keep_layout: bool) -> Cow<'_, str> {
    if printable_ascii(text) || !text.chars().any(|c| needs_escape(c, keep_layout)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c, keep_layout) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with control characters and bidi controls escaped (`\u{1b}`, `\r`); newlines and
/// tabs are kept, for messages laid out over several lines.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_with(text, true)
}

/// `text` on one line: newlines and tabs escaped too (table cells, `errfmt`).
pub fn escape_line(text: &str) -> Cow<'_, str> {
    escape_with(text, false)
}

/// The escaped form of one character, if it needs one (`keep_layout` as in [`escape`]).
pub(crate) fn escaped_char(c: char, keep_layout: bool) -> Option<String> {
    needs_escape(c, keep_layout).then(|| c.escape_debug().collect())
}

/// Columns `c` takes on a terminal (control characters: none).
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Columns `text` takes on a terminal.
pub fn width(text: &str) -> usize {
    if printable_ascii(text) {
        return text.len();
    }
    text.chars().map(char_width).sum()
}

/// `text` cut to at most `max` columns, ending in an ellipsis when cut.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if width(text) <= max {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    let room = max.saturating_sub(1);
    for c in text.chars() {
        let w = char_width(c);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    if max > 0 {
        out.push(ELLIPSIS);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(escape("plain"), "plain");
        assert_eq!(
            escape("\u{1b}]52;c;ZXZpbA==\u{7}x"),
            "\\u{1b}]52;c;ZXZpbA==\\u{7}x"
        );
        assert_eq!(escape("a\rb\nc\td"), "a\\rb\nc\td");
        assert_eq!(escape_line("a\nb\tc"), "a\\nb\\tc");
        assert_eq!(escape("\u{9b}2J"), "\\u{9b}2J");
        assert_eq!(escape("abc\u{202e}def"), "abc\\u{202e}def");
    }

    #[test]
    fn printable_ascii_takes_one_column_and_is_never_escaped() {
        for c in ' '..='~' {
            assert_eq!(char_width(c), 1, "{c:?}");
            assert!(!needs_escape(c, false) && !needs_escape(c, true), "{c:?}");
        }
        assert_eq!(width("a\tb"), 2);
        assert_eq!(width("日本"), 4);
    }

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
        assert_eq!(width(&truncate(&"x".repeat(70_000), 80)), 80);
    }
}
