//! Problems met while reading the configuration, rendered as miette diagnostics on stderr.

use hm_model::{Analysis, Problem, ProblemKind};
use miette::{Diagnostic, LabeledSpan, NamedSource, Report};
use serde::Serialize;

use crate::location::{Location, display_path};

#[derive(Debug)]
struct ProblemDiagnostic {
    code: &'static str,
    message: String,
    labels: Vec<LabeledSpan>,
    source: Option<NamedSource<String>>,
    help: Option<&'static str>,
}

impl std::fmt::Display for ProblemDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ProblemDiagnostic {}

impl Diagnostic for ProblemDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help.map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}

fn code_and_help(kind: ProblemKind) -> (&'static str, &'static str) {
    match kind {
        ProblemKind::Syntax => (
            "HM001",
            "fix the syntax error; `nix-instantiate --parse FILE` shows Nix's own reading",
        ),
        ProblemKind::Import => (
            "HM101",
            "check the path; imports are relative to the file that contains them",
        ),
        ProblemKind::ImportCycle => (
            "HM102",
            "break the cycle: a file must not import itself, directly or through others",
        ),
        ProblemKind::DuplicateAttribute => (
            "HM103",
            "Nix merges a set into one already defined only one level deep: define each name once",
        ),
    }
}

/// Prints each problem to stderr as a diagnostic pointing at its span.
pub fn report(analysis: &Analysis) {
    for problem in &analysis.inventory.problems {
        eprintln!("{:?}", to_report(analysis, problem));
    }
}

fn to_report(analysis: &Analysis, problem: &Problem) -> Report {
    let (code, help) = code_and_help(problem.kind);
    let mut labels = Vec::new();
    let mut source = None;
    if let Some(span) = problem.span {
        let file = analysis.db.file(span.file);
        let name = display_path(&analysis.root, &file.path);
        labels.push(LabeledSpan::new_primary_with_span(
            Some(label_text(problem.kind).into()),
            span.range.as_usize(),
        ));
        // miette shows one source per diagnostic: related places in the same file become
        // labels, others are named in the message.
        for related in &problem.related {
            if related.span.file == span.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(related.message.clone()),
                    related.span.range.as_usize(),
                ));
            }
        }
        source = Some(NamedSource::new(name, file.text.clone()));
    }
    Report::new(ProblemDiagnostic {
        code,
        message: message(analysis, problem),
        labels,
        source,
        help: Some(help),
    })
}

/// The message, with paths shown relative to the analysed directory and related places in
/// other files named.
fn message(analysis: &Analysis, problem: &Problem) -> String {
    let root = format!("{}/", analysis.root.display());
    let mut message = problem.message.replace(&root, "");
    for related in &problem.related {
        if problem.span.is_some_and(|s| s.file == related.span.file) {
            continue;
        }
        let at = Location::new(analysis, related.span);
        message.push_str(&format!(
            " ({} at {}:{}:{})",
            related.message, at.file, at.line, at.column
        ));
    }
    message
}

fn label_text(kind: ProblemKind) -> &'static str {
    match kind {
        ProblemKind::Syntax => "here",
        ProblemKind::Import => "imported here",
        ProblemKind::ImportCycle => "this import closes the cycle",
        ProblemKind::DuplicateAttribute => "defined again here",
    }
}

/// A problem in the JSON output.
#[derive(Debug, Serialize)]
pub struct JsonProblem {
    pub code: &'static str,
    pub kind: ProblemKind,
    pub message: String,
    pub location: Option<Location>,
}

pub fn to_json(analysis: &Analysis) -> Vec<JsonProblem> {
    analysis
        .inventory
        .problems
        .iter()
        .map(|p| JsonProblem {
            code: code_and_help(p.kind).0,
            kind: p.kind,
            message: message(analysis, p),
            location: p.span.map(|s| Location::new(analysis, s)),
        })
        .collect()
}
