use std::path::Path;

use nix_source::SourceDb;
use serde::Serialize;

use crate::{Diagnostic, Location, Position, Severity};

/// One diagnostic in the `hm.check/v1` schema (docs/json.md).
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub end: Option<Position>,
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// What the primary label says at the location.
    pub label: Option<String>,
    pub related: Vec<JsonLabel>,
    pub fix: Option<JsonFix>,
}

#[derive(Debug, Serialize)]
pub struct JsonLabel {
    pub location: Location,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct JsonFix {
    pub description: String,
    pub edits: Vec<JsonEdit>,
}

#[derive(Debug, Serialize)]
pub struct JsonEdit {
    pub location: Location,
    pub replacement: String,
}

#[derive(Debug, Serialize)]
struct Document {
    schema: &'static str,
    diagnostics: Vec<JsonDiagnostic>,
    summary: Summary,
}

#[derive(Debug, Default, Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
}

pub fn json(db: &SourceDb, root: &Path, diagnostics: &[Diagnostic]) -> serde_json::Value {
    let mut summary = Summary::default();
    let diagnostics = diagnostics
        .iter()
        .map(|d| {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
            one(db, root, d)
        })
        .collect();
    let document = Document {
        schema: "hm.check/v1",
        diagnostics,
        summary,
    };
    serde_json::to_value(document).unwrap_or(serde_json::Value::Null)
}

pub fn one(db: &SourceDb, root: &Path, d: &Diagnostic) -> JsonDiagnostic {
    let at = d.primary.as_ref().map(|l| Location::new(db, root, l.span));
    JsonDiagnostic {
        file: at.as_ref().map(|a| a.file.clone()),
        line: at.as_ref().map(|a| a.line),
        column: at.as_ref().map(|a| a.column),
        end: at.as_ref().map(|a| a.end),
        code: d.code,
        severity: d.severity,
        message: d.message.clone(),
        help: d.help.clone(),
        label: d.primary.as_ref().map(|l| l.message.clone()),
        related: d
            .secondary
            .iter()
            .map(|l| JsonLabel {
                location: Location::new(db, root, l.span),
                message: l.message.clone(),
            })
            .collect(),
        fix: d.fix.as_ref().map(|f| JsonFix {
            description: f.description.clone(),
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    location: Location::new(db, root, e.span),
                    replacement: e.replacement.clone(),
                })
                .collect(),
        }),
    }
}
