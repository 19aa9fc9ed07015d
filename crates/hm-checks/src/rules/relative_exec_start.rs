use hm_diagnostics::{Diagnostic, Severity};

use super::WARNING;
use crate::{Context, Docs, Rule};

pub struct RelativeExecStart;

const EXEC_KEYS: &[&str] = &[
    "Service.ExecStart",
    "Service.ExecStartPre",
    "Service.ExecStartPost",
    "Service.ExecStop",
    "Service.ExecStopPost",
    "Service.ExecReload",
    "Service.ExecCondition",
];

impl Rule for RelativeExecStart {
    fn code(&self) -> &'static str {
        "HM207"
    }
    fn name(&self) -> &'static str {
        "relative-exec-path"
    }
    fn severity(&self) -> Severity {
        WARNING
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "An `Exec…=` command that is not an absolute path or a Nix store path.",
            why: "systemd looks bare command names up in a fixed search path (/usr/local/bin, /usr/bin, /bin, …) — not your Nix profile — so on NixOS, and for programs installed with Nix elsewhere, the command is not found.",
            example: "Service.ExecStart = \"syncthing serve\";   # fix: \"${pkgs.syncthing}/bin/syncthing serve\"",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for service in cx.unit_services() {
            for key in EXEC_KEYS {
                let Some(field) = service.fields.get(key) else {
                    continue;
                };
                for command in field.value.strings() {
                    // Command prefixes of systemd.service(5): @ - : + ! !!
                    let program = command
                        .trim_start()
                        .trim_start_matches(['@', '-', ':', '+', '!']);
                    let program = program.split_whitespace().next().unwrap_or("");
                    if program.is_empty() || program.starts_with('/') || program.starts_with("${") {
                        continue;
                    }
                    let at = cx.find_in(field.span, program).unwrap_or(field.span);
                    out.push(
                        Diagnostic::new(
                            self.code(),
                            self.severity(),
                            format!(
                                "`{program}` in `{key}` of `{}` is not an absolute path",
                                service.name
                            ),
                        )
                        .at(
                            at,
                            "looked up in systemd's fixed search path, not your Nix profile",
                        )
                        .help(format!(
                            "use the package's store path: \"${{pkgs.{program}}}/bin/{program}\""
                        )),
                    );
                }
            }
        }
    }
}
