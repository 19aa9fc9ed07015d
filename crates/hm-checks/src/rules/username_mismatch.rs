use hm_diagnostics::{Diagnostic, Severity};
use hm_model::{FieldValue, Setting, UserKind};

use super::WARNING;
use crate::{Context, Docs, Rule};

pub struct UsernameMismatch;

impl Rule for UsernameMismatch {
    fn code(&self) -> &'static str {
        "HM303"
    }
    fn name(&self) -> &'static str {
        "username-mismatch"
    }
    fn severity(&self) -> Severity {
        WARNING
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A `homeConfigurations` entry named `user@host` whose user differs from the `home.username` it sets, or named like a misspelling of it (`alcie` for `alice`). Entries named otherwise (after a host or a role, `homeConfigurations.laptop`) are chosen with `--flake .#name` on purpose and are not reported.",
            why: "`home-manager switch` picks `homeConfigurations.\"$USER@$HOST\"`, then `\"$USER\"`: an entry named for another user is never picked, and activation refuses to run as a user other than `home.username`.",
            example: "homeConfigurations.\"alice@laptop\" = … { modules = [ { home.username = \"alcie\"; } ]; };   # fix: \"alice\"",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for user in cx
            .analysis
            .inventory
            .users
            .iter()
            .filter(|u| u.kind == UserKind::Standalone)
        {
            let Some(Setting::Known(field)) = user.settings.get("home.username") else {
                continue;
            };
            let FieldValue::Str(username) = &field.value else {
                continue;
            };
            let (configured, host) = match user.name.split_once('@') {
                Some((configured, host)) => (configured, Some(host)),
                None => (user.name.as_str(), None),
            };
            if configured == username {
                continue;
            }
            // A plain name far from the user name is a deliberate name (a host, a role),
            // chosen with `--flake .#name`; only a near miss is a mistake.
            if host.is_none() && strsim::osa_distance(configured, username) > 2 {
                continue;
            }
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!("`homeConfigurations.\"{}\"` sets `home.username` to `{username}`", user.name),
                )
                .at(field.span, "home.username")
                .also(user.span, "configuration named here")
                .help(format!(
                    "home-manager picks the configuration named `$USER@$HOST` or `$USER`: rename it to `{username}` or set home.username = \"{configured}\""
                )),
            );
        }
    }
}
