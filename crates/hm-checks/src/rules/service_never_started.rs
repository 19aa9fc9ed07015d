use hm_diagnostics::{Diagnostic, Severity};

use hm_model::ServiceOrigin;

use super::WARNING;
use super::options::may_override_unread_module;
use crate::{Context, Docs, Rule};

pub struct ServiceNeverStarted;

impl Rule for ServiceNeverStarted {
    fn code(&self) -> &'static str {
        "HM201"
    }
    fn name(&self) -> &'static str {
        "service-never-started"
    }
    fn severity(&self) -> Severity {
        WARNING
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A user service that nothing starts: no `Install.WantedBy`/`RequiredBy`, no timer, socket or path unit of the same name, and no other service that wants or requires it. Not reported: targets computed by an expression, overrides of services Home Manager's modules create, and command-less overrides in configurations importing modules hm cannot read.",
            why: "systemd starts a unit only when something pulls it in. Home Manager links `<target>.wants/` entries only from `Install.WantedBy`; without it the service is installed but never runs unless you start it by hand.",
            example: "systemd.user.services.workstyle = {\n  Service.ExecStart = \"${pkgs.workstyle}/bin/workstyle\";\n  Install.WantedBy = [ \"default.target\" ];   # add this (graphical-session.target for GUI programs)\n};",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for service in cx
            .unit_services()
            .filter(|s| s.started_by.is_empty() && s.origin == ServiceOrigin::Written)
            .filter(|s| !s.starters_computed())
            .filter(|s| !may_override_unread_module(&cx.analysis.inventory, s))
            .filter(|s| !s.overrides)
        {
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!("service `{}` of `{}` is never started automatically", service.name, service.user),
                )
                .at(service.span, "nothing wants this service")
                .help(
                    "systemd starts a user unit only when something wants it: add `Install.WantedBy = [ \"default.target\" ];` \
                     (or \"graphical-session.target\" for graphical programs), or a timer of the same name; \
                     if you start it by hand, silence this with `# hm: allow(HM201)`",
                ),
            );
        }
    }
}
