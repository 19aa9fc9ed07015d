use hm_diagnostics::{Diagnostic, Edit, Severity};
use hm_model::{Field, Service};
use nix_source::{Span, TextRange};

use super::WARNING;
use crate::suggest::did_you_mean;
use crate::systemd::{SERVICE_SECTIONS, Status, current_directives, directive, home_section};
use crate::{Context, Docs, Rule};

pub struct UnknownDirective;

impl Rule for UnknownDirective {
    fn code(&self) -> &'static str {
        "HM205"
    }
    fn name(&self) -> &'static str {
        "unknown-directive"
    }
    fn severity(&self) -> Severity {
        WARNING
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A directive that systemd does not know in the `Unit`, `Service` or `Install` section of a user service (custom `X-` directives are fine), one that belongs to another section, or a legacy name systemd still accepts (`StartLimitBurst` in `Service` moved to `Unit`). The directive tables are generated from systemd's own parser and manual (tools/systemd-directives.py).",
            why: "systemd logs \"Unknown key name\" and ignores the line, so a misspelt `ExecStart` or `WantedBy` silently does nothing; legacy names work today but are no longer documented.",
            example: "Service.Execstart = \"…\";         # fix: ExecStart\nInstall.WantedBY = [ \"default.target\" ];   # fix: WantedBy\nService.StartLimitBurst = 5;      # fix: Unit.StartLimitBurst",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for service in cx.unit_services() {
            for (key, field) in &service.fields {
                let mut parts = key.split('.');
                let (Some(section), Some(name)) = (parts.next(), parts.next()) else {
                    continue;
                };
                if !SERVICE_SECTIONS.contains(&section) || name.starts_with("X-") {
                    continue;
                }
                let found = Found {
                    service,
                    code: self.code(),
                    severity: self.severity(),
                    section,
                    name,
                    keys: Keys::of(cx, section, field),
                };
                let diagnostic = match directive(section, name) {
                    Some(Status::Current) => continue,
                    Some(Status::Moved(home)) => found.moved(home, true),
                    Some(Status::Legacy) => found.legacy(),
                    None => match home_section(name) {
                        Some(home) => found.moved(home, false),
                        None => found.unknown(),
                    },
                };
                out.push(diagnostic);
            }
        }
    }
}

/// The spans of a field's key: the directive, and the section when it is written in the
/// same attribute path (`Service.StartLimitBurst`), so the fix can move it by renaming.
struct Keys {
    directive: Span,
    dotted_section: Option<Span>,
}

impl Keys {
    fn of(cx: &Context, section: &str, field: &Field) -> Self {
        let directive = field.key_spans.get(1).copied().unwrap_or(field.span);
        // The section written right before the directive: `Service.StartLimitBurst`.
        let text = &cx.analysis.db.file(directive.file).text;
        let end = directive.range.start as usize;
        let dotted_section = end
            .checked_sub(section.len() + 1)
            .filter(|&start| {
                text.get(start..end).and_then(|s| s.strip_suffix('.')) == Some(section)
                    && !text[..start].ends_with(|c: char| {
                        c.is_alphanumeric() || matches!(c, '_' | '-' | '\'' | '"')
                    })
            })
            .map(|start| {
                Span::new(
                    directive.file,
                    TextRange::new(start as u32, (start + section.len()) as u32),
                )
            });
        Keys {
            directive,
            dotted_section,
        }
    }
}

struct Found<'a> {
    service: &'a Service,
    code: &'static str,
    severity: Severity,
    section: &'a str,
    name: &'a str,
    keys: Keys,
}

impl Found<'_> {
    fn diagnostic(&self, message: String, label: &str) -> Diagnostic {
        Diagnostic::new(self.code, self.severity, message).at(self.keys.directive, label)
    }

    /// The documented name in `section` for `name` (itself, or the closest documented one).
    fn current_name(&self, section: &str) -> Option<&'static str> {
        let documented = current_directives(section);
        documented
            .iter()
            .copied()
            .find(|d| *d == self.name)
            .or_else(|| did_you_mean(self.name, documented.iter().copied()))
    }

    /// A directive of `home` written in `self.section`; `accepted` when systemd still reads it
    /// there for compatibility.
    fn moved(&self, home: &'static str, accepted: bool) -> Diagnostic {
        let (name, section) = (self.name, self.section);
        let (message, label) = if accepted {
            (
                format!(
                    "`{name}` moved to `[{home}]`; `[{section}]` accepts it only for compatibility"
                ),
                format!("moved to `[{home}]`"),
            )
        } else {
            (
                format!("`{name}` belongs in `[{home}]`, not `[{section}]`"),
                "systemd ignores it here".to_string(),
            )
        };
        let target = self.current_name(home).unwrap_or(self.name);
        let mut diagnostic = self
            .diagnostic(message, &label)
            .help(format!("write it as `{home}.{target}`"));
        // Renaming the section moves the definition, unless that would define the key twice.
        let taken = self
            .service
            .fields
            .contains_key(&format!("{home}.{target}"));
        if let Some(section_key) = self.keys.dotted_section.filter(|_| !taken) {
            let mut edits = vec![Edit {
                span: section_key,
                replacement: home.to_string(),
            }];
            if target != name {
                edits.push(Edit {
                    span: self.keys.directive,
                    replacement: target.to_string(),
                });
            }
            diagnostic = diagnostic.fix(format!("move it to `{home}.{target}`"), edits);
        }
        diagnostic
    }

    /// A name systemd still parses in this section but no longer documents.
    fn legacy(&self) -> Diagnostic {
        let (name, section) = (self.name, self.section);
        let diagnostic = self.diagnostic(
            format!("`{name}` is a legacy `[{section}]` directive: systemd still accepts it but no longer documents it"),
            "legacy directive",
        );
        match self.current_name(section) {
            Some(current) => diagnostic
                .help(format!("its current form is likely `{current}`"))
                .fix(
                    format!("rename `{name}` to `{current}`"),
                    vec![Edit {
                        span: self.keys.directive,
                        replacement: current.to_string(),
                    }],
                ),
            None => diagnostic.help("see `man systemd.directives` for what replaces it"),
        }
    }

    fn unknown(&self) -> Diagnostic {
        let (name, section) = (self.name, self.section);
        let diagnostic = self.diagnostic(
            format!("`{name}` is not a `[{section}]` directive systemd knows"),
            "unknown directive",
        );
        match did_you_mean(name, current_directives(section).iter().copied()) {
            Some(suggestion) => diagnostic
                .help(format!("did you mean `{suggestion}`?"))
                .fix(
                    format!("rename `{name}` to `{suggestion}`"),
                    vec![Edit {
                        span: self.keys.directive,
                        replacement: suggestion.to_string(),
                    }],
                ),
            None => {
                diagnostic.help("see `man systemd.directives`; custom directives start with `X-`")
            }
        }
    }
}
