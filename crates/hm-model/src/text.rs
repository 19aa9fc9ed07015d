//! Source text for what the model shows as written: conditions, unknown parts.

use nix_eval::Eval;
use nix_source::Span;

/// The text at `span`, whitespace runs collapsed.
pub(crate) fn condition_text(eval: &Eval, span: Span) -> String {
    let text = eval.sources().text(span.file);
    text.get(span.range.as_usize())
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A condition as shown: its text, or `!(text)` for the `else` branch.
pub(crate) fn condition(eval: &Eval, span: Span, negated: bool) -> String {
    let text = condition_text(eval, span);
    if negated { format!("!({text})") } else { text }
}
