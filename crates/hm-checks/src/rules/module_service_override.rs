use hm_diagnostics::{Diagnostic, Severity};
use hm_model::ServiceOrigin;
use hm_model::knowledge::knowledge;

use crate::{Context, Docs, Rule};

pub struct ModuleServiceOverride;

/// Sections whose directives the generated data lists.
const SECTIONS: &[&str] = &["Unit", "Service", "Install"];

impl Rule for ModuleServiceOverride {
    fn code(&self) -> &'static str {
        "HM209"
    }
    fn name(&self) -> &'static str {
        "module-service-override"
    }
    fn severity(&self) -> Severity {
        Severity::Info
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A `systemd.user.services.<name>` definition that overrides a service a Home Manager module creates (`services.syncthing.enable = true`) with a directive that module never sets.",
            why: "The definition is merged into the module's unit: it adds a directive rather than changing one the module sets. That is often intended (a memory limit); when it is not, the directive may belong in another section, the service may have another name, or a module option may do it. Informational: the directives the module sets come from evaluating it with only its `enable` option.",
            example: "services.syncthing.enable = true;\nsystemd.user.services.syncthing.Service.MemoryMax = \"2G\";   # added: the module sets no limit",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for service in cx.unit_services() {
            let ServiceOrigin::Module { option, span } = &service.origin else {
                continue;
            };
            let Some(unit) = knowledge()
                .services_created_by(option)
                .iter()
                .find(|u| u.kind == "service" && u.name == service.name)
            else {
                continue;
            };
            // Without the module's keys the data cannot tell.
            if unit.keys.is_empty() {
                continue;
            }
            for (key, field) in &service.fields {
                let section = key.split('.').next().unwrap_or_default();
                if !SECTIONS.contains(&section)
                    || !key.contains('.')
                    || unit.keys.iter().any(|k| k == key)
                {
                    continue;
                }
                let Some(key_span) = field.key_spans.last().copied() else {
                    continue;
                };
                out.push(
                    Diagnostic::new(
                        self.code(),
                        self.severity(),
                        format!(
                            "`{key}` is added to service `{}`, which `{option}` creates without it",
                            service.name
                        ),
                    )
                    .at(key_span, "not set by the module")
                    .also(*span, "the module's service is created here")
                    .help("this adds the directive to the module's unit; check its section and the service name, or silence this with `# hm: allow(HM209)`"),
                );
            }
        }
    }
}
