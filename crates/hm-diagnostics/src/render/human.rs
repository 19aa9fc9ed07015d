use std::fmt;
use std::path::Path;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use nix_source::{FileId, SourceDb};

use crate::{Diagnostic, Label, Severity, display_path};

#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub colour: bool,
    pub width: usize,
}

/// miette's graphical rendering: the source around each label, help and fix below.
pub fn human(
    db: &SourceDb,
    root: &Path,
    diagnostics: &[Diagnostic],
    options: HumanOptions,
) -> String {
    let theme = if options.colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    let mut out = String::new();
    for d in diagnostics {
        let report = Report::new(db, root, d);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!(
                "{}[{}]: {}\n",
                d.severity.as_str(),
                d.code,
                d.message
            ));
        }
        out.push('\n');
    }
    out
}

/// A diagnostic as miette sees it. miette shows one source file per diagnostic, so labels
/// in other files become related notes with their own source.
struct Report {
    code: &'static str,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: Option<NamedSource<String>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl Report {
    fn new(db: &SourceDb, root: &Path, d: &Diagnostic) -> Self {
        let file = d.primary.as_ref().map(|l| l.span.file);
        let mut labels = Vec::new();
        let mut related = Vec::new();
        if let Some(primary) = &d.primary {
            labels.push(LabeledSpan::new_primary_with_span(
                Some(primary.message.clone()),
                primary.span.range.as_usize(),
            ));
        }
        for label in &d.secondary {
            if Some(label.span.file) == file {
                labels.push(LabeledSpan::new_with_span(
                    Some(label.message.clone()),
                    label.span.range.as_usize(),
                ));
            } else {
                related.push(Report::note(db, root, label));
            }
        }
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
            message: d.message.clone(),
            help,
            source: file.map(|f| source(db, root, f)),
            labels,
            related,
        }
    }

    fn note(db: &SourceDb, root: &Path, label: &Label) -> Self {
        Report {
            code: "",
            severity: miette::Severity::Advice,
            message: label.message.clone(),
            help: None,
            source: Some(source(db, root, label.span.file)),
            labels: vec![LabeledSpan::new_primary_with_span(
                None,
                label.span.range.as_usize(),
            )],
            related: Vec::new(),
        }
    }
}

fn source(db: &SourceDb, root: &Path, file: FileId) -> NamedSource<String> {
    let file = db.file(file);
    NamedSource::new(display_path(root, &file.path), file.text.clone())
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
