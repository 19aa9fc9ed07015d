use hm_diagnostics::{Diagnostic, Edit, Severity};

use super::ERROR;
use super::nixos_service_keys::NIXOS_KEYS;
use crate::suggest::did_you_mean;
use crate::systemd::SERVICE_SECTIONS;
use crate::{Context, Docs, Rule};

pub struct UnknownSection;

impl Rule for UnknownSection {
    fn code(&self) -> &'static str {
        "HM204"
    }
    fn name(&self) -> &'static str {
        "unknown-unit-section"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A section of a user service other than `Unit`, `Service` and `Install` (names are case-sensitive).",
            why: "Home Manager writes each attribute as a `[Section]` of the unit file; systemd ignores sections it does not know, so their settings silently do nothing.",
            example: "systemd.user.services.foo = {\n  service.ExecStart = \"…\";   # fix: Service.ExecStart\n  Units.Description = \"…\";   # fix: Unit.Description\n};",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for service in cx.unit_services() {
            let mut seen = Vec::new();
            for (key, field) in &service.fields {
                let section = key.split('.').next().unwrap_or(key);
                let known = SERVICE_SECTIONS.contains(&section) || section.starts_with("X-");
                if known || NIXOS_KEYS.iter().any(|(k, _, _)| *k == section) {
                    continue;
                }
                let Some(span) = field.key_spans.first().copied() else {
                    continue;
                };
                if seen.contains(&span) {
                    continue;
                }
                seen.push(span);
                let mut diagnostic = Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!("`{section}` is not a section of a service unit"),
                )
                .at(span, "unknown section");
                diagnostic = match did_you_mean(section, SERVICE_SECTIONS.iter().copied()) {
                    Some(suggestion) => diagnostic
                        .help(format!("did you mean `{suggestion}`?"))
                        .fix(
                            format!("rename `{section}` to `{suggestion}`"),
                            vec![Edit {
                                span,
                                replacement: suggestion.to_string(),
                            }],
                        ),
                    None => diagnostic.help(
                        "a Home Manager service has the sections `Unit`, `Service` and `Install`",
                    ),
                };
                out.push(diagnostic);
            }
        }
    }
}
