use std::fmt;
use std::path::Path;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use nix_source::{FileId, SourceDb, TextRange};

use super::snippet::Snippet;
use crate::text::{escape, truncate};
use crate::{Diagnostic, Label, Severity, display_path};

/// Longest message, label or help shown, in columns; text from a configuration can be huge.
const MAX_TEXT_COLUMNS: usize = 2_000;

#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub colour: bool,
    pub width: usize,
}

/// miette's graphical rendering: the source around each label, help and fix below. Text and
/// source lines from the configuration are escaped and cut to the width (see `snippet`).
pub fn human(
    db: &SourceDb,
    root: &Path,
    diagnostics: &[Diagnostic],
    options: HumanOptions,
) -> String {
    let mut out = String::new();
    for_each_human(db, root, diagnostics, options, |text| {
        out.push_str(text);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
    out
}

/// What [`human`] renders, written to `out` one diagnostic at a time, so thousands of
/// findings are never held as one text.
pub fn write_human(
    out: &mut impl std::io::Write,
    db: &SourceDb,
    root: &Path,
    diagnostics: &[Diagnostic],
    options: HumanOptions,
) -> std::io::Result<()> {
    for_each_human(db, root, diagnostics, options, |text| {
        out.write_all(text.as_bytes())
    })
}

/// Diagnostics rendered together on all cores before their text is handed on, in order.
const BATCH: usize = 512;

/// Renders each diagnostic (followed by an empty line) and hands its text to `emit`, in
/// order. Thousands of findings (100,000 duplicate attributes) are rendered in batches on
/// all cores: each diagnostic's text depends on nothing else, so the output is the same.
fn for_each_human<E>(
    db: &SourceDb,
    root: &Path,
    diagnostics: &[Diagnostic],
    options: HumanOptions,
    mut emit: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    use rayon::prelude::*;
    let theme = if options.colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_word_separator(textwrap::WordSeparator::Custom(super::words::words));
    let shown = Shown {
        db,
        root,
        width: options.width,
    };
    let render = |d: &Diagnostic| {
        let mut out = String::new();
        let report = Report::new(&shown, d);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!(
                "{}[{}]: {}\n",
                d.severity.as_str(),
                d.code,
                clean(&d.message)
            ));
        }
        out.push('\n');
        out
    };
    if diagnostics.len() <= BATCH {
        for d in diagnostics {
            emit(&render(d))?;
        }
        return Ok(());
    }
    for batch in diagnostics.chunks(BATCH) {
        let texts: Vec<String> = batch.par_iter().map(render).collect();
        for text in &texts {
            emit(text)?;
        }
    }
    Ok(())
}

/// How many lines apart a label may be from the primary one to share its snippet.
const NEAR_LINES: u32 = 8;

/// A diagnostic as miette sees it. miette shows one source file per diagnostic, so labels
/// in other files become related notes with their own source.
struct Report {
    code: &'static str,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: Option<Snippet>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

/// What every report needs to show source: the files, the directory paths are relative to,
/// and the terminal width.
struct Shown<'a> {
    db: &'a SourceDb,
    root: &'a Path,
    width: usize,
}

impl Shown<'_> {
    fn snippet(&self, file: FileId, ranges: &[TextRange]) -> Snippet {
        let file = self.db.file(file);
        let name = escape(&display_path(self.root, &file.path)).into_owned();
        Snippet::new(name, file, ranges, self.width)
    }
}

/// Text from a configuration as shown: escaped and of bounded length.
fn clean(text: &str) -> String {
    truncate(&escape(text), MAX_TEXT_COLUMNS).into_owned()
}

impl Report {
    fn new(shown: &Shown, d: &Diagnostic) -> Self {
        let file = d.primary.as_ref().map(|l| l.span.file);
        // Labels near the primary one share its snippet; others (in another file, or
        // far away in this one) get a note of their own, so a snippet stays a few lines.
        let line = |span: &nix_source::Span| shown.db.file(span.file).line(span.range.start);
        let primary_line = d.primary.as_ref().map(|l| line(&l.span));
        let (here, elsewhere): (Vec<&Label>, Vec<&Label>) = d.secondary.iter().partition(|label| {
            Some(label.span.file) == file
                && primary_line.is_some_and(|p| line(&label.span).abs_diff(p) <= NEAR_LINES)
        });
        let ranges: Vec<TextRange> = d
            .primary
            .iter()
            .chain(here.iter().copied())
            .map(|l| l.span.range)
            .collect();
        let source = file.map(|f| shown.snippet(f, &ranges));
        let mut labels = Vec::new();
        if let (Some(primary), Some(snippet)) = (&d.primary, &source) {
            labels.push(LabeledSpan::new_primary_with_span(
                Some(clean(&primary.message)),
                snippet.span(primary.span.range),
            ));
        }
        if let Some(snippet) = &source {
            for label in &here {
                labels.push(LabeledSpan::new_with_span(
                    Some(clean(&label.message)),
                    snippet.span(label.span.range),
                ));
            }
        }
        let related = elsewhere
            .into_iter()
            .map(|label| Report::note(shown, label))
            .collect();
        let mut help = d.help.clone();
        if let Some(fix) = &d.fix {
            let fix = format!("fix: {}", fix.description);
            help = Some(match help {
                Some(h) => format!("{h}\n{fix}"),
                None => fix,
            });
        }
        Report {
            code: d.code,
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            message: clean(&d.message),
            help: help.map(|h| clean(&h)),
            source,
            labels,
            related,
        }
    }

    fn note(shown: &Shown, label: &Label) -> Self {
        let snippet = shown.snippet(label.span.file, &[label.span.range]);
        Report {
            code: "",
            severity: miette::Severity::Advice,
            message: clean(&label.message),
            help: None,
            labels: vec![LabeledSpan::new_primary_with_span(
                None,
                snippet.span(label.span.range),
            )],
            source: Some(snippet),
            related: Vec::new(),
        }
    }
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        (!self.related.is_empty()).then(|| {
            Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic))
                as Box<dyn Iterator<Item = _>>
        })
    }
}
