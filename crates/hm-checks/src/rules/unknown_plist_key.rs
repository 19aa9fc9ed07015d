use hm_diagnostics::{Diagnostic, Edit, Severity};

use super::WARNING;
use crate::launchd::PLIST_KEYS;
use crate::suggest::did_you_mean;
use crate::{Context, Docs, Rule};

pub struct UnknownPlistKey;

impl Rule for UnknownPlistKey {
    fn code(&self) -> &'static str {
        "HM213"
    }
    fn name(&self) -> &'static str {
        "unknown-plist-key"
    }
    fn severity(&self) -> Severity {
        WARNING
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A key under a launchd agent's `config` that launchd.plist(5) does not document (keys are case-sensitive), with the closest known key when there is one.",
            why: "Home Manager's `config` is free-form: any key is written into the property list, and launchd ignores keys it does not know, so a misspelt `RunAtLoad` or `StartInterval` silently does nothing.",
            example: "launchd.agents.sync.config = {\n  ProgramArguments = [ \"${pkgs.unison}/bin/unison\" ];\n  RunAtLogin = true;   # fix: RunAtLoad\n};",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for agent in cx.analysis.inventory.agents() {
            for (key, field) in &agent.fields {
                let Some(name) = key.strip_prefix("config.") else {
                    continue;
                };
                if PLIST_KEYS.contains(&name) {
                    continue;
                }
                let span = field.key_spans.last().copied().unwrap_or(field.span);
                let diagnostic = Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!(
                        "`{name}` is not a launchd job key (launchd agent `{}`)",
                        agent.name
                    ),
                )
                .at(span, "launchd ignores this key");
                let diagnostic = match did_you_mean(name, PLIST_KEYS.iter().copied()) {
                    Some(suggestion) if cx.text(span) == name => diagnostic
                        .help(format!("did you mean `{suggestion}`?"))
                        .fix(
                            format!("rename `{name}` to `{suggestion}`"),
                            vec![Edit {
                                span,
                                replacement: suggestion.to_string(),
                            }],
                        ),
                    Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")),
                    None => diagnostic
                        .help("the keys of a launchd job are listed in launchd.plist(5) (`man launchd.plist`)"),
                };
                out.push(diagnostic);
            }
        }
    }
}
