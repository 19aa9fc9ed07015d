use hm_diagnostics::{Diagnostic, Severity};
use hm_model::{REQUIRED_SETTINGS, UserKind};

use super::ERROR;
use super::options::is_entry_point;
use crate::{Context, Docs, Rule};

pub struct MissingHomeOption;

impl Rule for MissingHomeOption {
    fn code(&self) -> &'static str {
        "HM301"
    }
    fn name(&self) -> &'static str {
        "missing-home-option"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A configuration that does not set `home.stateVersion`, or — for standalone configurations — `home.username` or `home.homeDirectory`. (As a NixOS or nix-darwin module, Home Manager derives the user name and home directory from the system.) Only entry points are checked: not a configuration importing modules hm cannot read, nor a file checked on its own that sets none of the three (a module others import).",
            why: "Home Manager fails evaluation with \"The option `home.stateVersion' is used but not defined\". `home.stateVersion` fixes the defaults your configuration was written against, so it must be set explicitly.",
            example: "{\n  home.username = \"alice\";\n  home.homeDirectory = \"/home/alice\";\n  home.stateVersion = \"24.11\";   # the release you first installed; do not bump it blindly\n}",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        // Users without any module found are HM108's.
        for user in cx
            .analysis
            .inventory
            .users
            .iter()
            .filter(|u| !u.modules.is_empty() && is_entry_point(u))
        {
            let standalone = matches!(user.kind, UserKind::Standalone | UserKind::Module);
            for option in REQUIRED_SETTINGS {
                if user.settings.contains_key(*option)
                    || (!standalone && *option != "home.stateVersion")
                {
                    continue;
                }
                let mut diagnostic = Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!(
                        "the configuration of `{}` does not set `{option}`",
                        user.name
                    ),
                )
                .at(user.span, "configuration defined here")
                .help(format!(
                    "set it in the user's home.nix: {}",
                    example(option, &user.name)
                ));
                if let Some(module) = user.modules.first().filter(|m| *m != &user.span) {
                    diagnostic = diagnostic.also(*module, "the user's first module");
                }
                out.push(diagnostic);
            }
        }
    }
}

fn example(option: &str, user: &str) -> String {
    let name = user.split('@').next().unwrap_or(user);
    match option {
        "home.username" => format!("home.username = \"{name}\";"),
        "home.homeDirectory" => format!("home.homeDirectory = \"/home/{name}\";"),
        _ => "home.stateVersion = \"24.11\"; (the release you first installed)".to_string(),
    }
}
