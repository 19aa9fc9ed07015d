use std::path::Path;

use nix_source::SourceDb;

use crate::text::escape_line;
use crate::{Diagnostic, Location};

/// `file:line:col: severity[code]: message`, one line each, as editors parse them. Newlines
/// in messages become spaces; other control characters are escaped.
pub fn errfmt(db: &SourceDb, root: &Path, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let place = match &d.primary {
            Some(label) => {
                let at = Location::new(db, root, label.span);
                format!("{}:{}:{}", escape_line(&at.file), at.line, at.column)
            }
            None => "<no location>".to_string(),
        };
        let message = d.message.replace('\n', " ");
        let message = escape_line(&message);
        out.push_str(&format!(
            "{place}: {}[{}]: {message}\n",
            d.severity.as_str(),
            d.code
        ));
    }
    out
}
