use hm_diagnostics::{Diagnostic, Severity};

use super::ERROR;
use crate::systemd::unit_name_problem;
use crate::{Context, Docs, Rule};

pub struct InvalidUnitName;

impl Rule for InvalidUnitName {
    fn code(&self) -> &'static str {
        "HM208"
    }
    fn name(&self) -> &'static str {
        "invalid-unit-name"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A service name systemd does not accept: characters other than ASCII letters, digits and `:-_.\\`, more than one `@`, or longer than 255 bytes with `.service`.",
            why: "Home Manager writes `~/.config/systemd/user/<name>.service`; systemd ignores a unit file with an invalid name, so the service does not exist.",
            example: "systemd.user.services.\"my backup\" = { … };   # fix: systemd.user.services.my-backup",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for service in cx.unit_services() {
            let Some(problem) = unit_name_problem(&service.name, "service") else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!("`{}` is not a valid unit name: {problem}", service.name),
                )
                .at(service.span, "invalid name")
                .help(
                    "use ASCII letters, digits, `-`, `_`, `.` and `:` (and one `@` for templates)",
                ),
            );
        }
    }
}
