//! What the launchd agent rules share: the keys launchd.plist(5) documents for a job's
//! property list, and which agents the rules may judge.

use hm_model::{FieldValue, Inventory, Service, ServiceOrigin};

/// The top-level keys of a launchd job (launchd.plist(5), macOS 14), and those Home
/// Manager's `launchd.agents.<name>.config` declares.
pub(crate) const PLIST_KEYS: &[&str] = &[
    "AbandonProcessGroup",
    "AssociatedBundleIdentifiers",
    "BundleProgram",
    "Debug",
    "Disabled",
    "EnableGlobbing",
    "EnablePressuredExit",
    "EnableTransactions",
    "EnvironmentVariables",
    "ExitTimeOut",
    "GroupName",
    "HardResourceLimits",
    "InitGroups",
    "KeepAlive",
    "Label",
    "LaunchEvents",
    "LaunchOnlyOnce",
    "LegacyTimers",
    "LimitLoadFromHardware",
    "LimitLoadFromHosts",
    "LimitLoadToHardware",
    "LimitLoadToHosts",
    "LimitLoadToSessionType",
    "LowPriorityBackgroundIO",
    "LowPriorityIO",
    "MachServices",
    "MaterializeDatalessFiles",
    "Nice",
    "OnDemand",
    "ProcessType",
    "Program",
    "ProgramArguments",
    "QueueDirectories",
    "RootDirectory",
    "RunAtLoad",
    "ServiceIPC",
    "SessionCreate",
    "Sockets",
    "SoftResourceLimits",
    "StandardErrorPath",
    "StandardInPath",
    "StandardOutPath",
    "StartCalendarInterval",
    "StartInterval",
    "StartOnMount",
    "ThrottleInterval",
    "TimeOut",
    "Umask",
    "UserName",
    "WaitForDebugger",
    "WatchPaths",
    "WorkingDirectory",
    "inetdCompatibility",
];

/// Agents Home Manager installs whose definition hm sees whole: written in the
/// configuration, enabled, with no name computed by code hm cannot run, not overriding
/// a definition hm does not see (`mkForce`, or the agent of a Home Manager module the
/// configuration enables), in a configuration whose every module hm reads (another
/// module could complete the agent).
pub(crate) fn wholly_known_agents(inventory: &Inventory) -> impl Iterator<Item = &Service> {
    inventory.agents().filter(move |agent| {
        agent.origin == ServiceOrigin::Written
            && agent.enabled
            && !agent.incomplete
            && !agent.overrides
            && !may_complete_module_agent(inventory, agent)
            // Users of different hosts may share a name: any of them will do.
            && !inventory
                .users
                .iter()
                .any(|u| *u.name == *agent.user && u.opaque_modules)
    })
}

/// Whether `agent` may add to an agent a Home Manager module creates: the configuration
/// enables `services.<x>` or `programs.<x>` whose name and the agent's contain one another
/// (`programs.atuin` creates `atuin-daemon`, `services.pueue` `pueued`,
/// `services.git-sync` `git-sync-<repo>`). hm's list of what modules create covers systemd
/// units only.
fn may_complete_module_agent(inventory: &Inventory, agent: &Service) -> bool {
    inventory.option_definitions.iter().any(|d| {
        *d.user == *agent.user
            && d.value == Some(FieldValue::Bool(true))
            && matches!(
                &*d.path,
                [ns, module, enable] if (&**ns == "services" || &**ns == "programs")
                    && &**enable == "enable"
                    && (agent.name.contains(&**module) || module.contains(agent.name.as_str()))
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_and_unique() {
        let mut sorted = PLIST_KEYS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, PLIST_KEYS);
    }
}
