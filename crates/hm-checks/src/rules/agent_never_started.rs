use hm_diagnostics::{Diagnostic, Severity};

use super::WARNING;
use crate::launchd::wholly_known_agents;
use crate::{Context, Docs, Rule};

pub struct AgentNeverStarted;

impl Rule for AgentNeverStarted {
    fn code(&self) -> &'static str {
        "HM211"
    }
    fn name(&self) -> &'static str {
        "agent-never-started"
    }
    fn severity(&self) -> Severity {
        WARNING
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "An enabled launchd agent that nothing starts: no `RunAtLoad = true`, `KeepAlive`, `StartInterval`, `StartCalendarInterval`, `WatchPaths`, `QueueDirectories`, `StartOnMount`, `Sockets`, `MachServices` or `LaunchEvents`. Not reported: such keys set by an expression hm does not evaluate, agents whose settings are computed, `mkForce` overrides, additions to the agent of a Home Manager module the configuration enables, and configurations importing modules hm cannot read.",
            why: "Home Manager loads the agent with `launchctl bootstrap`, but launchd runs a job only at load (`RunAtLoad`), to keep it alive, on a schedule, or on demand: without any of them the agent is loaded and never runs.",
            example: "launchd.agents.backup = {\n  enable = true;\n  config.ProgramArguments = [ \"${pkgs.restic}/bin/restic\" \"backup\" ];\n  config.StartCalendarInterval = [ { Hour = 3; Minute = 0; } ];   # add this (or RunAtLoad = true)\n};",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for agent in wholly_known_agents(&cx.analysis.inventory).filter(|a| a.started_by.is_empty())
        {
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!(
                        "launchd agent `{}` of `{}` is never started",
                        agent.name, agent.user
                    ),
                )
                .at(agent.span, "nothing makes launchd run this agent")
                .help(
                    "add `config.RunAtLoad = true;` to run it at login, `config.KeepAlive = true;` to keep it running, \
                     or a schedule (`config.StartCalendarInterval = [ { Hour = 3; Minute = 0; } ];`); \
                     if you start it by hand, silence this with `# hm: allow(HM211)`",
                ),
            );
        }
    }
}
