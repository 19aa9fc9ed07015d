use hm_diagnostics::{Diagnostic, Edit, Severity};

use super::WARNING;
use crate::suggest::did_you_mean;
use crate::systemd::{SERVICE_SECTIONS, directives};
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
            what: "A directive that systemd does not know in the `Unit`, `Service` or `Install` section of a user service (custom `X-` directives are fine).",
            why: "systemd logs \"Unknown key name\" and ignores the line, so a misspelt `ExecStart` or `WantedBy` silently does nothing.",
            example: "Service.Execstart = \"…\";         # fix: ExecStart\nInstall.WantedBY = [ \"default.target\" ];   # fix: WantedBy",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for service in &cx.analysis.inventory.services {
            for (key, field) in &service.fields {
                let mut parts = key.split('.');
                let (Some(section), Some(directive)) = (parts.next(), parts.next()) else {
                    continue;
                };
                if !SERVICE_SECTIONS.contains(&section) || directive.starts_with("X-") {
                    continue;
                }
                let known = directives(section);
                if known.iter().any(|d| d == directive) {
                    continue;
                }
                let span = field.key_spans.get(1).copied().unwrap_or(field.span);
                let mut diagnostic = Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!("`{directive}` is not a `[{section}]` directive systemd knows"),
                )
                .at(span, "unknown directive");
                diagnostic = match did_you_mean(directive, known.iter().map(String::as_str)) {
                    Some(suggestion) => diagnostic
                        .help(format!("did you mean `{suggestion}`?"))
                        .fix(
                            format!("rename `{directive}` to `{suggestion}`"),
                            vec![Edit {
                                span,
                                replacement: suggestion.to_string(),
                            }],
                        ),
                    None => diagnostic
                        .help("see `man systemd.directives`; custom directives start with `X-`"),
                };
                out.push(diagnostic);
            }
        }
    }
}
