use hm_diagnostics::{Diagnostic, Severity};
use hm_model::{FieldValue, ServiceOrigin};

use super::ERROR;
use super::nixos_service_keys::NIXOS_KEYS;
use super::options::may_override_unread_module;
use crate::{Context, Docs, Rule};

pub struct MissingExecStart;

impl Rule for MissingExecStart {
    fn code(&self) -> &'static str {
        "HM206"
    }
    fn name(&self) -> &'static str {
        "missing-exec-start"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A user service without `Service.ExecStart`, unless it is `Type = \"oneshot\"` with `ExecStop` (or a `SuccessAction`). Overrides of services Home Manager's modules create are not reported, nor — in configurations importing modules hm cannot read — services that such a module may create.",
            why: "systemd refuses to load such a service: \"Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.\"",
            example: "systemd.user.services.sync = {\n  Unit.Description = \"Sync\";\n  Service.ExecStart = \"${pkgs.unison}/bin/unison default\";   # add this\n};",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        // An override of a module's service completes the module's definition.
        for service in cx
            .unit_services()
            .filter(|s| s.origin == ServiceOrigin::Written)
            .filter(|s| !may_override_unread_module(&cx.analysis.inventory, s))
        {
            let has = |key: &str| service.fields.contains_key(key);
            // `Service = something;` we cannot see into, or NixOS keys (HM203 reports those).
            let opaque = service.fields.keys().any(|k| {
                k == "Service"
                    || NIXOS_KEYS
                        .iter()
                        .any(|(n, _, _)| k.split('.').next() == Some(n))
            });
            let oneshot =
                matches!(service.field("Service.Type"), Some(FieldValue::Str(t)) if t == "oneshot");
            let allowed = oneshot && (has("Service.ExecStop") || has("Unit.SuccessAction"));
            if has("Service.ExecStart") || opaque || allowed {
                continue;
            }
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!("service `{}` has no `Service.ExecStart`", service.name),
                )
                .at(service.span, "defined without a command")
                .help("systemd refuses a service with no command: add `Service.ExecStart = \"${pkgs.…}/bin/…\";`"),
            );
        }
    }
}
