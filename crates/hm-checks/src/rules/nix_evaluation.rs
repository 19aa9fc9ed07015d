use hm_diagnostics::{Diagnostic, Severity};
use nix_driver::{NixError, StoreMapper, StorePosition};
use nix_source::{SourceDb, Span, TextRange};

use super::ERROR;
use crate::{Context, Docs, Rule};

/// Reported by `hm check --eval` from real `nix eval` errors, not by the static checks.
pub struct NixEvaluation;

impl Rule for NixEvaluation {
    fn code(&self) -> &'static str {
        "HM901"
    }
    fn name(&self) -> &'static str {
        "nix-evaluation-error"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "An error from evaluating the configuration with `nix eval` (`hm check --eval`), shown at the place in your files that Nix names, with the trace's frames in your files as further labels.",
            why: "Some mistakes only show when Nix evaluates: wrong option types, missing packages, assertions. Nix reports them in the copy of your flake under /nix/store/…-source; hm maps them back to your files.",
            example: "home.packages = [ pkgs.rigrep ];   # error: attribute 'rigrep' missing",
        }
    }
    fn check(&self, _cx: &Context, _out: &mut Vec<Diagnostic>) {}
}

impl NixEvaluation {
    /// A diagnostic for a failed `nix eval` of `attribute`, its positions mapped back to
    /// local files (loaded into `db` when not read yet).
    pub fn diagnostic(
        &self,
        db: &mut SourceDb,
        mapper: &StoreMapper,
        error: &NixError,
        user: &str,
        command: &str,
    ) -> Diagnostic {
        let mut diagnostic = Diagnostic::new(
            self.code(),
            self.severity(),
            format!(
                "evaluating the configuration of `{user}` failed: {}",
                error.message
            ),
        );
        let mut primary = error
            .position
            .as_ref()
            .and_then(|p| locate(db, mapper, p))
            .map(|span| through_missing_attribute(db, span, &error.message));
        let mut omitted = 0;
        for frame in &error.frames {
            match frame.position.as_ref().and_then(|p| locate(db, mapper, p)) {
                // The error itself was in another flake: the innermost frame in the
                // user's files is where to look.
                Some(span) if primary.is_none() => {
                    primary = Some(span);
                    diagnostic = diagnostic.help(format!("reached from here: {}", frame.message));
                }
                Some(span) if Some(span) != primary => {
                    diagnostic = diagnostic.also(span, frame.message.clone())
                }
                Some(_) => {}
                None => omitted += 1,
            }
        }
        if let Some(span) = primary {
            diagnostic = diagnostic.at(span, error.message.clone());
        }
        let mut help = format!("`{command}` failed");
        if omitted > 0 {
            help.push_str(&format!(
                "; {omitted} trace frames outside your files are not shown"
            ));
        }
        match diagnostic.help.take() {
            Some(first) => diagnostic.help(format!("{first}\n{help}")),
            None => diagnostic.help(help),
        }
    }
}

/// For "attribute 'x' missing", Nix points at the start of `pkgs.x`: cover up to `x`.
fn through_missing_attribute(db: &SourceDb, span: Span, message: &str) -> Span {
    let Some(name) = message
        .strip_prefix("attribute '")
        .and_then(|rest| rest.split_once("' missing"))
        .map(|(name, _)| name)
    else {
        return span;
    };
    let text = &db.file(span.file).text;
    let line_end = text[span.range.start as usize..]
        .find('\n')
        .map_or(text.len(), |i| i + span.range.start as usize);
    match text[span.range.start as usize..line_end].find(name) {
        Some(at) => Span::new(
            span.file,
            TextRange::new(
                span.range.start,
                span.range.start + (at + name.len()) as u32,
            ),
        ),
        None => span,
    }
}

/// The span Nix points at: from its line and column to the end of the word there.
fn locate(db: &mut SourceDb, mapper: &StoreMapper, position: &StorePosition) -> Option<Span> {
    let path = mapper
        .local(&position.path)
        .or_else(|| StoreMapper::existing(&position.path))?;
    let file = db.load(&path).ok()?;
    let source = db.file(file);
    let start = source
        .line_index
        .offset(&source.text, position.line, position.column)?;
    let rest = source.text.get(start as usize..).unwrap_or("");
    let word = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '\'')))
        .map_or(rest.len(), |(i, _)| i)
        .max(rest.chars().next().map_or(0, char::len_utf8));
    Some(Span::new(file, TextRange::new(start, start + word as u32)))
}
