use hm_diagnostics::{Diagnostic, Edit, Severity};

use super::ERROR;
use crate::{Context, Docs, Rule};

pub struct NixosServiceKeys;

/// NixOS `systemd.services.<name>` options, and what Home Manager writes instead.
/// `Some(replacement)` replaces the key as written; `None` needs more than a rename.
pub(crate) const NIXOS_KEYS: &[(&str, Option<&str>, &str)] = &[
    ("serviceConfig", Some("Service"), "`Service = { … };`"),
    ("unitConfig", Some("Unit"), "`Unit = { … };`"),
    (
        "wantedBy",
        Some("Install.WantedBy"),
        "`Install.WantedBy = [ … ];`",
    ),
    (
        "requiredBy",
        Some("Install.RequiredBy"),
        "`Install.RequiredBy = [ … ];`",
    ),
    (
        "description",
        Some("Unit.Description"),
        "`Unit.Description = \"…\";`",
    ),
    ("after", Some("Unit.After"), "`Unit.After = [ … ];`"),
    ("before", Some("Unit.Before"), "`Unit.Before = [ … ];`"),
    ("wants", Some("Unit.Wants"), "`Unit.Wants = [ … ];`"),
    (
        "requires",
        Some("Unit.Requires"),
        "`Unit.Requires = [ … ];`",
    ),
    ("partOf", Some("Unit.PartOf"), "`Unit.PartOf = [ … ];`"),
    ("bindsTo", Some("Unit.BindsTo"), "`Unit.BindsTo = [ … ];`"),
    (
        "conflicts",
        Some("Unit.Conflicts"),
        "`Unit.Conflicts = [ … ];`",
    ),
    (
        "documentation",
        Some("Unit.Documentation"),
        "`Unit.Documentation = [ … ];`",
    ),
    (
        "script",
        None,
        "`Service.ExecStart = \"${pkgs.writeShellScript \"name\" ''…''}\";`",
    ),
    (
        "preStart",
        None,
        "`Service.ExecStartPre = \"${pkgs.writeShellScript \"name-pre\" ''…''}\";`",
    ),
    (
        "postStart",
        None,
        "`Service.ExecStartPost = \"${pkgs.writeShellScript \"name-post\" ''…''}\";`",
    ),
    (
        "environment",
        None,
        "`Service.Environment = [ \"NAME=value\" ];`",
    ),
    (
        "path",
        None,
        "`Service.Environment = [ \"PATH=${lib.makeBinPath [ … ]}\" ];`",
    ),
    (
        "startAt",
        None,
        "a `systemd.user.timers.<name>` with `Timer.OnCalendar`",
    ),
    (
        "enable",
        None,
        "nothing: every defined Home Manager service is installed; use `lib.mkIf` to make it conditional",
    ),
    (
        "restartIfChanged",
        None,
        "nothing: Home Manager restarts changed services on switch",
    ),
    (
        "restartTriggers",
        None,
        "`Unit.X-Restart-Triggers = [ … ];`",
    ),
];

impl Rule for NixosServiceKeys {
    fn code(&self) -> &'static str {
        "HM203"
    }
    fn name(&self) -> &'static str {
        "nixos-service-keys"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A Home Manager user service written with NixOS's option names (`serviceConfig`, `wantedBy`, `script`, `description`, …).",
            why: "Home Manager's `systemd.user.services.<name>` is the unit file itself, in sections `Unit`/`Service`/`Install`; NixOS's `systemd.services.<name>` has its own options. Home Manager writes the NixOS names into the unit file as unknown sections, and the service has no command or install target.",
            example: "systemd.user.services.backup = {\n  description = \"Backup\";            # fix: Unit.Description = \"Backup\";\n  serviceConfig.ExecStart = \"…\";       # fix: Service.ExecStart = \"…\";\n  wantedBy = [ \"default.target\" ];     # fix: Install.WantedBy = [ \"default.target\" ];\n};",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for service in cx.unit_services() {
            let mut seen = Vec::new();
            for (key, field) in &service.fields {
                let first = key.split('.').next().unwrap_or(key);
                let Some((name, replacement, instead)) =
                    NIXOS_KEYS.iter().find(|(k, _, _)| *k == first)
                else {
                    continue;
                };
                let Some(key_span) = field.key_spans.first().copied() else {
                    continue;
                };
                if seen.contains(&key_span) {
                    continue;
                }
                seen.push(key_span);
                let mut diagnostic = Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!("`{name}` is a NixOS option; Home Manager services are written as unit sections"),
                )
                .at(key_span, "NixOS's name")
                .help(format!("in Home Manager write {instead}"));
                if let Some(replacement) = replacement {
                    diagnostic = diagnostic.fix(
                        format!("rename `{name}` to `{replacement}`"),
                        vec![Edit {
                            span: key_span,
                            replacement: replacement.to_string(),
                        }],
                    );
                }
                out.push(diagnostic);
            }
        }
    }
}
