use hm_diagnostics::{Diagnostic, Severity};
use hm_model::ServiceOrigin;

use super::WARNING;
use crate::{Context, Docs, Rule};

pub struct SystemdOnDarwin;

impl Rule for SystemdOnDarwin {
    fn code(&self) -> &'static str {
        "HM214"
    }
    fn name(&self) -> &'static str {
        "systemd-on-darwin"
    }
    fn severity(&self) -> Severity {
        WARNING
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A `systemd.user.services.<name>` definition in a configuration that only targets macOS: a user of a `darwinConfigurations` host, or a standalone configuration whose `pkgs` is for a `*-darwin` system. Services defined under a condition (`lib.mkIf pkgs.stdenv.isLinux`), or whose settings all are, or defined in a module a Linux configuration of the repository uses too, are not reported; nor do the other unit checks look at such a configuration's systemd services, since no unit is written.",
            why: "macOS has no systemd: Home Manager's `systemd.user.enable` is off there, so the service is never written or started. User services on macOS are launchd agents.",
            example: "systemd.user.services.sync = { Service.ExecStart = \"${pkgs.unison}/bin/unison\"; };\n# fix: launchd.agents.sync = {\n#   enable = true;\n#   config = { ProgramArguments = [ \"${pkgs.unison}/bin/unison\" ]; RunAtLoad = true; };\n# };",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        // Definitions a configuration for Linux uses too: a module shared between the
        // Mac and Linux machines, where the service does what it is written for.
        let on_linux: std::collections::HashSet<_> = cx
            .unit_services()
            .flat_map(|s| s.definitions.iter().copied())
            .collect();
        for service in cx
            .analysis
            .inventory
            .systemd_services()
            .filter(|s| !s.definitions.iter().any(|d| on_linux.contains(d)))
            // With no field, everything it sets is under a condition false on macOS
            // (`Service = lib.mkIf pkgs.stdenv.isLinux { … }`): nothing to report.
            .filter(|s| s.darwin && s.origin == ServiceOrigin::Written && s.condition.is_none())
            .filter(|s| !s.fields.is_empty())
        {
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!(
                        "systemd service `{}` of `{}` has no effect on macOS",
                        service.name, service.user
                    ),
                )
                .at(service.span, "this configuration targets macOS")
                .help(format!(
                    "define it as a launchd agent: `launchd.agents.{} = {{ enable = true; config.ProgramArguments = [ … ]; config.RunAtLoad = true; }};`",
                    service.name
                )),
            );
        }
    }
}
