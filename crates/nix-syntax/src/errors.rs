use nix_source::TextRange;
use rnix::ParseError;

/// A parse error with the range it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

/// Converts one rnix error. `ParseError` is non-exhaustive and some variants carry
/// no range: those (end of file, recursion limit) are placed at the end of the text.
pub(crate) fn convert(error: &ParseError, text: &str) -> SyntaxError {
    let end = text.len() as u32;
    let at_end = TextRange::new(end, end);
    let (range, message) = match error {
        ParseError::Unexpected(r) => (from_rowan(*r), "unexpected syntax".to_string()),
        ParseError::UnexpectedExtra(r) => (
            from_rowan(*r),
            "unexpected token after the end of the expression".to_string(),
        ),
        ParseError::UnexpectedWanted(got, r, wanted)
            if wanted.contains(&rnix::SyntaxKind::TOKEN_SEMICOLON) =>
        {
            (
                missing_semicolon(text, usize::from(r.start()), *got),
                "missing `;`".to_string(),
            )
        }
        ParseError::UnexpectedWanted(got, r, wanted) => (
            from_rowan(*r),
            format!("expected {}, found {}", kinds(wanted), kind_name(*got)),
        ),
        ParseError::UnexpectedDoubleBind(r) => (
            from_rowan(*r),
            "a pattern can be bound only once (`@` used twice)".to_string(),
        ),
        ParseError::UnexpectedEOF => (at_end, "unexpected end of file".to_string()),
        ParseError::UnexpectedEOFWanted(wanted) => (
            at_end,
            format!("unexpected end of file, expected {}", kinds(wanted)),
        ),
        ParseError::DuplicatedArgs(r, name) => (
            from_rowan(*r),
            format!("function argument `{name}` is declared twice"),
        ),
        ParseError::RecursionLimitExceeded => {
            (at_end, "expression nested too deeply to parse".to_string())
        }
        other => (at_end, other.to_string()),
    };
    SyntaxError { range, message }
}

/// Where a missing `;` belongs: after the token before the error. When the parser stopped
/// at `=`, it read the next binding's name as part of the previous value (`"a" b.c = …`),
/// so the `;` belongs before that name.
fn missing_semicolon(text: &str, error_start: usize, got: rnix::SyntaxKind) -> TextRange {
    let mut before = text.get(..error_start).unwrap_or("").trim_end();
    if got == rnix::SyntaxKind::TOKEN_ASSIGN || before.ends_with('=') {
        before = before.strip_suffix('=').unwrap_or(before).trim_end();
        before = before
            .trim_end_matches(|c: char| c.is_alphanumeric() || "_-.'\"".contains(c))
            .trim_end();
    }
    let end = before.len() as u32;
    let last = before.chars().last().map_or(0, |c| c.len_utf8() as u32);
    TextRange::new(end - last, end)
}

fn from_rowan(range: rnix::TextRange) -> TextRange {
    TextRange::new(range.start().into(), range.end().into())
}

fn kinds(wanted: &[rnix::SyntaxKind]) -> String {
    let names: Vec<String> = wanted.iter().map(|k| kind_name(*k)).collect();
    match names.as_slice() {
        [] => "more input".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// A human name for a token kind: the punctuation itself where there is one.
fn kind_name(kind: rnix::SyntaxKind) -> String {
    use rnix::SyntaxKind::*;
    let text = match kind {
        TOKEN_SEMICOLON => "`;`",
        TOKEN_COLON => "`:`",
        TOKEN_COMMA => "`,`",
        TOKEN_DOT => "`.`",
        TOKEN_ELLIPSIS => "`...`",
        TOKEN_QUESTION => "`?`",
        TOKEN_AT => "`@`",
        TOKEN_ASSIGN => "`=`",
        TOKEN_L_BRACE => "`{`",
        TOKEN_R_BRACE => "`}`",
        TOKEN_L_BRACK => "`[`",
        TOKEN_R_BRACK => "`]`",
        TOKEN_L_PAREN => "`(`",
        TOKEN_R_PAREN => "`)`",
        TOKEN_IN => "`in`",
        TOKEN_THEN => "`then`",
        TOKEN_ELSE => "`else`",
        TOKEN_IDENT => "an identifier",
        TOKEN_STRING_START | TOKEN_STRING_END => "a string quote",
        TOKEN_INTERPOL_START => "`${`",
        TOKEN_INTERPOL_END => "`}`",
        TOKEN_OR => "`or`",
        TOKEN_REC => "`rec`",
        TOKEN_LET => "`let`",
        TOKEN_WITH => "`with`",
        TOKEN_IF => "`if`",
        TOKEN_INHERIT => "`inherit`",
        TOKEN_ASSERT => "`assert`",
        TOKEN_CUR_POS => "`__curPos`",
        TOKEN_ADD => "`+`",
        TOKEN_SUB => "`-`",
        TOKEN_MUL => "`*`",
        TOKEN_DIV => "`/`",
        TOKEN_CONCAT => "`++`",
        TOKEN_UPDATE => "`//`",
        TOKEN_INTEGER | TOKEN_FLOAT => "a number",
        TOKEN_URI => "a URI",
        TOKEN_PATH_ABS | TOKEN_PATH_REL | TOKEN_PATH_HOME | TOKEN_PATH_SEARCH => "a path",
        TOKEN_ERROR => "an invalid character",
        _ => {
            let name = format!("{kind:?}").to_lowercase();
            return name
                .trim_start_matches("token_")
                .trim_start_matches("node_")
                .replace('_', " ");
        }
    };
    text.to_string()
}

#[cfg(test)]
mod tests {
    use crate::parse;

    #[test]
    fn eof_errors_sit_at_the_end_of_the_file() {
        let text = "{ a = 1;";
        let parsed = parse(text);
        assert!(!parsed.errors.is_empty());
        let last = parsed.errors.last().map(|e| e.range.start);
        assert_eq!(last, Some(text.len() as u32));
    }

    #[test]
    fn a_missing_semicolon_is_placed_after_the_previous_token() {
        let text = "{\n  a = \"x\"\n  b = 2;\n}";
        let parsed = parse(text);
        let error = parsed.errors.first().expect("an error");
        assert_eq!(error.message, "missing `;`");
        assert_eq!(&text[error.range.as_usize()], "\"");
        assert_eq!(error.range.start, 10);
    }

    #[test]
    fn wanted_tokens_are_named() {
        let parsed = parse("let a = 1; in");
        let messages: Vec<_> = parsed.errors.iter().map(|e| e.message.as_str()).collect();
        assert!(!messages.is_empty(), "{messages:?}");
    }
}
