//! What the launchd agent rules share: the keys launchd.plist(5) documents for a job's
//! property list, and which agents the rules may judge.

use hm_model::{Inventory, Service, ServiceOrigin};

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
/// a definition hm does not see (`mkForce`), in a configuration whose every module hm
/// reads (another module could complete the agent).
pub(crate) fn wholly_known_agents(inventory: &Inventory) -> impl Iterator<Item = &Service> {
    inventory.agents().filter(move |agent| {
        agent.origin == ServiceOrigin::Written
            && agent.enabled
            && !agent.incomplete
            && !agent.overrides
            && inventory
                .users
                .iter()
                .find(|u| u.name == agent.user)
                .is_some_and(|u| !u.opaque_modules)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_and_unique() {
        let mut sorted = PLIST_KEYS.to_vec();
        sorted.sort_by_key(|k| k.to_lowercase());
        sorted.dedup();
        assert_eq!(sorted, PLIST_KEYS);
    }
}
