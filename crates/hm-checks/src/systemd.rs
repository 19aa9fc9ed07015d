//! Facts about systemd the service rules rely on.

/// Sections of a Home Manager `systemd.user.services.<name>` value.
pub(crate) const SERVICE_SECTIONS: &[&str] = &["Unit", "Service", "Install"];

/// Targets that exist only in the system manager, with the user manager's counterpart.
pub(crate) const SYSTEM_ONLY_TARGETS: &[(&str, &str)] = &[
    ("multi-user.target", "default.target"),
    ("graphical.target", "graphical-session.target"),
];

/// `[Unit]` directives (systemd.unit(5)).
const UNIT: &[&str] = &[
    "Description",
    "Documentation",
    "Wants",
    "Requires",
    "Requisite",
    "BindsTo",
    "PartOf",
    "Upholds",
    "Conflicts",
    "Before",
    "After",
    "OnFailure",
    "OnSuccess",
    "PropagatesReloadTo",
    "ReloadPropagatedFrom",
    "PropagatesStopTo",
    "StopPropagatedFrom",
    "JoinsNamespaceOf",
    "RequiresMountsFor",
    "WantsMountsFor",
    "OnFailureJobMode",
    "OnSuccessJobMode",
    "IgnoreOnIsolate",
    "StopWhenUnneeded",
    "RefuseManualStart",
    "RefuseManualStop",
    "AllowIsolate",
    "DefaultDependencies",
    "SurviveFinalKillSignal",
    "CollectMode",
    "FailureAction",
    "SuccessAction",
    "FailureActionExitStatus",
    "SuccessActionExitStatus",
    "JobTimeoutSec",
    "JobRunningTimeoutSec",
    "JobTimeoutAction",
    "JobTimeoutRebootArgument",
    "StartLimitIntervalSec",
    "StartLimitInterval",
    "StartLimitBurst",
    "StartLimitAction",
    "RebootArgument",
    "SourcePath",
];

/// `Condition…=`/`Assert…=` suffixes (systemd.unit(5)).
const CONDITIONS: &[&str] = &[
    "Architecture",
    "Firmware",
    "Virtualization",
    "Host",
    "KernelCommandLine",
    "KernelVersion",
    "Credential",
    "Environment",
    "Security",
    "Capability",
    "ACPower",
    "NeedsUpdate",
    "FirstBoot",
    "PathExists",
    "PathExistsGlob",
    "PathIsDirectory",
    "PathIsSymbolicLink",
    "PathIsMountPoint",
    "PathIsReadWrite",
    "PathIsEncrypted",
    "DirectoryNotEmpty",
    "FileNotEmpty",
    "FileIsExecutable",
    "User",
    "Group",
    "ControlGroupController",
    "Memory",
    "CPUs",
    "CPUFeature",
    "OSRelease",
    "MemoryPressure",
    "CPUPressure",
    "IOPressure",
];

/// `[Service]` directives (systemd.service(5)).
const SERVICE: &[&str] = &[
    "Type",
    "ExitType",
    "RemainAfterExit",
    "GuessMainPID",
    "PIDFile",
    "BusName",
    "ExecStart",
    "ExecStartPre",
    "ExecStartPost",
    "ExecCondition",
    "ExecReload",
    "ExecStop",
    "ExecStopPost",
    "RestartSec",
    "RestartSteps",
    "RestartMaxDelaySec",
    "TimeoutStartSec",
    "TimeoutStopSec",
    "TimeoutAbortSec",
    "TimeoutSec",
    "TimeoutStartFailureMode",
    "TimeoutStopFailureMode",
    "RuntimeMaxSec",
    "RuntimeRandomizedExtraSec",
    "WatchdogSec",
    "Restart",
    "RestartMode",
    "SuccessExitStatus",
    "RestartPreventExitStatus",
    "RestartForceExitStatus",
    "RootDirectoryStartOnly",
    "NonBlocking",
    "NotifyAccess",
    "Sockets",
    "FileDescriptorStoreMax",
    "FileDescriptorStorePreserve",
    "USBFunctionDescriptors",
    "USBFunctionStrings",
    "OOMPolicy",
    "OpenFile",
    "ReloadSignal",
];

/// Execution environment directives, valid in `[Service]` (systemd.exec(5)).
const EXEC: &[&str] = &[
    "WorkingDirectory",
    "RootDirectory",
    "RootImage",
    "RootImageOptions",
    "RootEphemeral",
    "RootHash",
    "RootHashSignature",
    "RootVerity",
    "RootImagePolicy",
    "MountImagePolicy",
    "ExtensionImagePolicy",
    "MountAPIVFS",
    "ProtectProc",
    "ProcSubset",
    "BindPaths",
    "BindReadOnlyPaths",
    "MountImages",
    "ExtensionImages",
    "ExtensionDirectories",
    "User",
    "Group",
    "DynamicUser",
    "SupplementaryGroups",
    "SetLoginEnvironment",
    "PAMName",
    "CapabilityBoundingSet",
    "AmbientCapabilities",
    "NoNewPrivileges",
    "SecureBits",
    "SELinuxContext",
    "AppArmorProfile",
    "SmackProcessLabel",
    "LimitCPU",
    "LimitFSIZE",
    "LimitDATA",
    "LimitSTACK",
    "LimitCORE",
    "LimitRSS",
    "LimitNOFILE",
    "LimitAS",
    "LimitNPROC",
    "LimitMEMLOCK",
    "LimitLOCKS",
    "LimitSIGPENDING",
    "LimitMSGQUEUE",
    "LimitNICE",
    "LimitRTPRIO",
    "LimitRTTIME",
    "UMask",
    "CoredumpFilter",
    "KeyringMode",
    "OOMScoreAdjust",
    "TimerSlackNSec",
    "Personality",
    "IgnoreSIGPIPE",
    "Nice",
    "CPUSchedulingPolicy",
    "CPUSchedulingPriority",
    "CPUSchedulingResetOnFork",
    "CPUAffinity",
    "NUMAPolicy",
    "NUMAMask",
    "IOSchedulingClass",
    "IOSchedulingPriority",
    "ProtectSystem",
    "ProtectHome",
    "RuntimeDirectory",
    "StateDirectory",
    "CacheDirectory",
    "LogsDirectory",
    "ConfigurationDirectory",
    "RuntimeDirectoryMode",
    "StateDirectoryMode",
    "CacheDirectoryMode",
    "LogsDirectoryMode",
    "ConfigurationDirectoryMode",
    "RuntimeDirectoryPreserve",
    "TimeoutCleanSec",
    "ReadWritePaths",
    "ReadOnlyPaths",
    "InaccessiblePaths",
    "ExecPaths",
    "NoExecPaths",
    "TemporaryFileSystem",
    "PrivateTmp",
    "PrivateDevices",
    "PrivateNetwork",
    "NetworkNamespacePath",
    "PrivateIPC",
    "IPCNamespacePath",
    "MemoryKSM",
    "PrivateUsers",
    "ProtectHostname",
    "ProtectClock",
    "ProtectKernelTunables",
    "ProtectKernelModules",
    "ProtectKernelLogs",
    "ProtectControlGroups",
    "RestrictAddressFamilies",
    "RestrictFileSystems",
    "RestrictNamespaces",
    "LockPersonality",
    "MemoryDenyWriteExecute",
    "RestrictRealtime",
    "RestrictSUIDSGID",
    "RemoveIPC",
    "PrivateMounts",
    "MountFlags",
    "SystemCallFilter",
    "SystemCallErrorNumber",
    "SystemCallArchitectures",
    "SystemCallLog",
    "Environment",
    "EnvironmentFile",
    "PassEnvironment",
    "UnsetEnvironment",
    "StandardInput",
    "StandardOutput",
    "StandardError",
    "StandardInputText",
    "StandardInputData",
    "LogLevelMax",
    "LogExtraFields",
    "LogRateLimitIntervalSec",
    "LogRateLimitBurst",
    "LogFilterPatterns",
    "LogNamespace",
    "SyslogIdentifier",
    "SyslogFacility",
    "SyslogLevel",
    "SyslogLevelPrefix",
    "TTYPath",
    "TTYReset",
    "TTYVHangup",
    "TTYRows",
    "TTYColumns",
    "TTYVTDisallocate",
    "LoadCredential",
    "LoadCredentialEncrypted",
    "ImportCredential",
    "SetCredential",
    "SetCredentialEncrypted",
    "UtmpIdentifier",
    "UtmpMode",
];

/// Process killing directives, valid in `[Service]` (systemd.kill(5)).
const KILL: &[&str] = &[
    "KillMode",
    "KillSignal",
    "RestartKillSignal",
    "SendSIGHUP",
    "SendSIGKILL",
    "FinalKillSignal",
    "WatchdogSignal",
];

/// Resource control directives, valid in `[Service]` (systemd.resource-control(5)).
const RESOURCE_CONTROL: &[&str] = &[
    "CPUAccounting",
    "CPUWeight",
    "StartupCPUWeight",
    "CPUQuota",
    "CPUQuotaPeriodSec",
    "AllowedCPUs",
    "StartupAllowedCPUs",
    "AllowedMemoryNodes",
    "StartupAllowedMemoryNodes",
    "MemoryAccounting",
    "MemoryMin",
    "MemoryLow",
    "StartupMemoryLow",
    "DefaultStartupMemoryLow",
    "MemoryHigh",
    "StartupMemoryHigh",
    "MemoryMax",
    "StartupMemoryMax",
    "MemorySwapMax",
    "StartupMemorySwapMax",
    "MemoryZSwapMax",
    "StartupMemoryZSwapMax",
    "MemoryZSwapWriteback",
    "TasksAccounting",
    "TasksMax",
    "IOAccounting",
    "IOWeight",
    "StartupIOWeight",
    "IODeviceWeight",
    "IOReadBandwidthMax",
    "IOWriteBandwidthMax",
    "IOReadIOPSMax",
    "IOWriteIOPSMax",
    "IODeviceLatencyTargetSec",
    "IPAccounting",
    "IPAddressAllow",
    "IPAddressDeny",
    "SocketBindAllow",
    "SocketBindDeny",
    "RestrictNetworkInterfaces",
    "NFTSet",
    "IPIngressFilterPath",
    "IPEgressFilterPath",
    "BPFProgram",
    "DeviceAllow",
    "DevicePolicy",
    "Slice",
    "Delegate",
    "DelegateSubgroup",
    "DisableControllers",
    "ManagedOOMSwap",
    "ManagedOOMMemoryPressure",
    "ManagedOOMMemoryPressureLimit",
    "ManagedOOMMemoryPressureDurationSec",
    "ManagedOOMPreference",
    "MemoryPressureWatch",
    "MemoryPressureThresholdSec",
    "CoredumpReceive",
    "CPUShares",
    "StartupCPUShares",
    "MemoryLimit",
    "BlockIOAccounting",
    "BlockIOWeight",
    "StartupBlockIOWeight",
    "BlockIODeviceWeight",
    "BlockIOReadBandwidth",
    "BlockIOWriteBandwidth",
];

/// `[Install]` directives (systemd.unit(5)).
const INSTALL: &[&str] = &[
    "Alias",
    "WantedBy",
    "RequiredBy",
    "UpheldBy",
    "Also",
    "DefaultInstance",
];

/// The directives valid in a section of a service unit.
pub(crate) fn directives(section: &str) -> Vec<String> {
    let named = |list: &[&str]| list.iter().map(|d| d.to_string()).collect::<Vec<_>>();
    match section {
        "Unit" => {
            let mut all = named(UNIT);
            for condition in CONDITIONS {
                all.push(format!("Condition{condition}"));
                all.push(format!("Assert{condition}"));
            }
            all
        }
        "Service" => [SERVICE, EXEC, KILL, RESOURCE_CONTROL]
            .concat()
            .iter()
            .map(|d| d.to_string())
            .collect(),
        "Install" => named(INSTALL),
        _ => Vec::new(),
    }
}

/// A unit name systemd accepts (systemd.unit(5)): ASCII letters, digits and `:-_.\`, one
/// optional `@` for templates, at most 255 bytes with its suffix.
pub(crate) fn unit_name_problem(name: &str, suffix: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the unit name is empty".to_string());
    }
    if name.len() + 1 + suffix.len() > 255 {
        return Some(format!("`{name}.{suffix}` is longer than 255 bytes"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.' | '\\' | '@')))
    {
        return Some(format!("`{bad}` is not allowed in unit names"));
    }
    if name.matches('@').count() > 1 {
        return Some("a unit name can hold at most one `@`".to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_common_directives() {
        assert!(directives("Service").contains(&"ExecStart".to_string()));
        assert!(directives("Service").contains(&"Environment".to_string()));
        assert!(directives("Unit").contains(&"ConditionPathExists".to_string()));
        assert!(directives("Install").contains(&"WantedBy".to_string()));
        assert!(!directives("Install").contains(&"ExecStart".to_string()));
    }

    #[test]
    fn validates_unit_names() {
        assert_eq!(unit_name_problem("syncthing", "service"), None);
        assert_eq!(unit_name_problem("getty@", "service"), None);
        assert!(unit_name_problem("my service", "service").is_some());
        assert!(unit_name_problem("a/b", "service").is_some());
    }
}
