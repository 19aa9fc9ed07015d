use hm_diagnostics::{Diagnostic, Edit, Severity};
use hm_model::{FieldValue, Setting};

use super::ERROR;
use crate::suggest::did_you_mean;
use crate::{Context, Docs, Rule};

pub struct UnknownStateVersion;

/// The values Home Manager accepts for `home.stateVersion`.
const RELEASES: &[&str] = &[
    "18.09", "19.03", "19.09", "20.03", "20.09", "21.03", "21.05", "21.11", "22.05", "22.11",
    "23.05", "23.11", "24.05", "24.11", "25.05", "25.11", "26.05", "26.11",
];

impl Rule for UnknownStateVersion {
    fn code(&self) -> &'static str {
        "HM302"
    }
    fn name(&self) -> &'static str {
        "unknown-state-version"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A `home.stateVersion` that is not a Home Manager release (`YY.05` or `YY.11`).",
            why: "The option only accepts release names; anything else fails evaluation with a type error.",
            example: "home.stateVersion = \"24.10\";   # fix: \"24.11\" (or the release you first installed)",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for user in &cx.analysis.inventory.users {
            let Some(Setting::Known(field)) = user.settings.get("home.stateVersion") else {
                continue;
            };
            let FieldValue::Str(version) = &field.value else {
                continue;
            };
            if RELEASES.contains(&version.as_str()) {
                continue;
            }
            let mut diagnostic = Diagnostic::new(
                self.code(),
                self.severity(),
                format!("`{version}` is not a Home Manager release"),
            )
            .at(field.span, "home.stateVersion");
            diagnostic = match did_you_mean(version, RELEASES.iter().copied()) {
                Some(release) => diagnostic
                    .help(format!(
                        "did you mean \"{release}\"? releases are YY.05 and YY.11"
                    ))
                    .fix(
                        format!("use \"{release}\""),
                        vec![Edit {
                            span: cx.find_in(field.span, version).unwrap_or(field.span),
                            replacement: release.to_string(),
                        }],
                    ),
                None => diagnostic.help(format!("releases are {}", RELEASES.join(", "))),
            };
            out.push(diagnostic);
        }
    }
}
