use hm_diagnostics::{Diagnostic, Severity};

use super::ERROR;
use crate::launchd::wholly_known_agents;
use crate::{Context, Docs, Rule};

pub struct AgentWithoutProgram;

impl Rule for AgentWithoutProgram {
    fn code(&self) -> &'static str {
        "HM210"
    }
    fn name(&self) -> &'static str {
        "agent-without-program"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "An enabled launchd agent (`launchd.agents.<name>`) with neither `config.Program` nor `config.ProgramArguments`. Not reported: agents whose names or settings are computed by code hm cannot run, `mkForce` overrides, additions to the agent of a Home Manager module the configuration enables (`programs.atuin.enable` and `launchd.agents.atuin-daemon`), and configurations importing modules hm cannot read.",
            why: "launchd needs a program to run: Home Manager writes a property list whose command is empty, and `launchctl bootstrap` fails or the job exits at once.",
            example: "launchd.agents.sync = {\n  enable = true;\n  config.RunAtLoad = true;\n  config.ProgramArguments = [ \"${pkgs.unison}/bin/unison\" \"default\" ];   # add this\n};",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for agent in wholly_known_agents(&cx.analysis.inventory) {
            let has = |key: &str| agent.fields.contains_key(key);
            if has("config.Program") || has("config.ProgramArguments") {
                continue;
            }
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!(
                        "launchd agent `{}` of `{}` has no program to run",
                        agent.name, agent.user
                    ),
                )
                .at(agent.span, "no `config.Program` or `config.ProgramArguments`")
                .help(
                    "give the command as a list: `config.ProgramArguments = [ \"${pkgs.foo}/bin/foo\" \"--flag\" ];` \
                     (or `config.Program = \"${pkgs.foo}/bin/foo\";` when it takes no arguments)",
                ),
            );
        }
    }
}
