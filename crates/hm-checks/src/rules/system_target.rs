use hm_diagnostics::{Diagnostic, Edit, Severity};

use super::ERROR;
use crate::systemd::SYSTEM_ONLY_TARGETS;
use crate::{Context, Docs, Rule};

pub struct SystemTarget;

impl Rule for SystemTarget {
    fn code(&self) -> &'static str {
        "HM202"
    }
    fn name(&self) -> &'static str {
        "system-target-in-user-unit"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A user service wanted by `multi-user.target` or `graphical.target`.",
            why: "Those targets exist only in the system manager. The user manager (`systemctl --user`) has `default.target` and `graphical-session.target`; a user unit wanted by a system target is never started.",
            example: "Install.WantedBy = [ \"multi-user.target\" ];   # fix: [ \"default.target\" ]\nInstall.WantedBy = [ \"graphical.target\" ];     # fix: [ \"graphical-session.target\" ]",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for service in cx.unit_services() {
            for key in ["Install.WantedBy", "Install.RequiredBy", "Install.UpheldBy"] {
                let Some(field) = service.fields.get(key) else {
                    continue;
                };
                for target in field.value.strings() {
                    let Some((_, user_target)) =
                        SYSTEM_ONLY_TARGETS.iter().find(|(t, _)| *t == target)
                    else {
                        continue;
                    };
                    let at = cx.find_in(field.span, target).unwrap_or(field.span);
                    out.push(
                        Diagnostic::new(
                            self.code(),
                            self.severity(),
                            format!("user service `{}` is wanted by `{target}`, which only the system manager has", service.name),
                        )
                        .at(at, "not a target of the user manager")
                        .help(format!(
                            "the user manager has `default.target` and `graphical-session.target`: use `{user_target}`"
                        ))
                        .fix(
                            format!("replace `{target}` with `{user_target}`"),
                            vec![Edit {
                                span: at,
                                replacement: user_target.to_string(),
                            }],
                        ),
                    );
                }
            }
        }
    }
}
