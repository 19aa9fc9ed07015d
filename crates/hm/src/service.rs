//! `hm service <status|start|stop|restart|logs> NAME`: `systemctl --user` and
//! `journalctl --user` on Linux, `launchctl` and the agent's log files on macOS.

use std::io::Write;
use std::process::ExitCode;

use hm_diagnostics::text::escape;
use hm_model::{Analysis, FieldValue, Manager, Service};
use miette::{IntoDiagnostic, Result, miette};
use nix_driver::{
    Command, CommandError, current_uid, domain_target, journalctl, launchctl_bootout,
    launchctl_bootstrap, launchctl_kickstart, launchctl_print, no_user_manager, systemctl, tail,
};

use crate::cli::{ServiceArgs, ServiceVerb};
use crate::target;

/// Chooses the service manager instead of the running OS (`systemd` or `launchd`): for
/// tests, which cannot run on macOS.
const MANAGER_ENV: &str = "HM_SERVICE_MANAGER";

/// The service manager of the running system.
fn manager() -> Result<Manager> {
    match std::env::var(MANAGER_ENV).ok().as_deref() {
        None | Some("") if cfg!(target_os = "macos") => Ok(Manager::Launchd),
        None | Some("") => Ok(Manager::Systemd),
        Some("systemd") => Ok(Manager::Systemd),
        Some("launchd") => Ok(Manager::Launchd),
        Some(other) => Err(miette!(
            help = "use `systemd` or `launchd`, or unset it to follow the running system",
            "{MANAGER_ENV}={} is not a service manager",
            escape(other)
        )),
    }
}

pub fn run(args: &ServiceArgs, out: &mut impl Write) -> Result<ExitCode> {
    let manager = manager()?;
    let analysis = target::load(&args.target, false)?;
    let service = find(&analysis, manager, &args.name)?;
    match manager {
        Manager::Systemd => systemd(args, &service.name, out),
        Manager::Launchd => launchd(args, service, out),
    }
}

/// The service `name` names for `manager`: a systemd service (`.service` may be added),
/// or a launchd agent by name or label.
fn find<'a>(analysis: &'a Analysis, manager: Manager, name: &str) -> Result<&'a Service> {
    let services = &analysis.inventory.services;
    let matches = |s: &&Service| match s.manager {
        Manager::Systemd => s.name == name.strip_suffix(".service").unwrap_or(name),
        Manager::Launchd => s.name == name || s.label.as_deref() == Some(name),
    };
    if let Some(found) = services
        .iter()
        .filter(|s| s.manager == manager)
        .find(matches)
    {
        return Ok(found);
    }
    let kind = |m: Manager| match m {
        Manager::Systemd => "systemd user service",
        Manager::Launchd => "launchd agent",
    };
    if let Some(other) = services.iter().find(matches) {
        return Err(miette!(
            code = "hm::other-service-manager",
            help = match other.manager {
                Manager::Launchd => "launchd agents run on macOS; this system runs systemd",
                Manager::Systemd => "systemd user services run on Linux; this system runs launchd",
            },
            "`{}` is a {}, not a {}",
            escape(name),
            kind(other.manager),
            kind(manager)
        ));
    }
    let names: Vec<&str> = services
        .iter()
        .filter(|s| s.manager == manager)
        .map(|s| s.name.as_str())
        .collect();
    let help = match hm_checks::did_you_mean(name, names.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None if names.is_empty() => format!("the configuration defines no {}s", kind(manager)),
        None => format!(
            "{}s in this configuration: {}",
            kind(manager),
            names.join(", ")
        ),
    };
    Err(miette!(
        code = "hm::unknown-service",
        help = escape(&help).into_owned(),
        "`{}` is not a {} of this configuration",
        escape(name),
        kind(manager)
    ))
}

fn spawn_error(program: &'static str) -> impl Fn(CommandError) -> miette::Report {
    move |e| {
        miette!(
            code = "hm::service-manager",
            help = format!("is `{program}` installed and on PATH?"),
            "{}",
            escape(&e.to_string())
        )
    }
}

/// Runs a command attached to the terminal (logs): 0 or 1.
fn attached(command: &Command, program: &'static str) -> Result<ExitCode> {
    let status = command.run_attached().map_err(spawn_error(program))?;
    // Killed by a signal: SIGPIPE when the reader went away (`| head -1`), or Ctrl-C
    // ending `--follow`; both are how a log reader normally stops.
    Ok(if matches!(status, Some(0) | None) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::exit::FAILED)
    })
}

/// Runs a command, stderr streamed, stdout copied to `out`; returns stderr and the code.
fn streamed(
    command: &Command,
    program: &'static str,
    out: &mut impl Write,
) -> Result<(String, i32)> {
    let finished = command
        .run_streaming(&mut |line| crate::output::eprint(&format!("{line}\n")))
        .map_err(spawn_error(program))?;
    out.write_all(&finished.stdout).into_diagnostic()?;
    Ok((finished.stderr, finished.status.unwrap_or(1)))
}

/// The exit code for a command's: status asks a question, so a stopped service is an
/// answer (3, as `systemctl status` says), not a failure.
fn exit_code(verb: ServiceVerb, code: i32, stopped: i32) -> ExitCode {
    match (verb, code) {
        (_, 0) => ExitCode::SUCCESS,
        (ServiceVerb::Status, c) if c == stopped => ExitCode::from(crate::exit::NOT_RUNNING),
        _ => ExitCode::from(crate::exit::FAILED),
    }
}

fn systemd(args: &ServiceArgs, name: &str, out: &mut impl Write) -> Result<ExitCode> {
    let unit = format!("{name}.service");
    let verb = match args.verb {
        ServiceVerb::Logs => {
            // The journal is read directly, with no user manager; output goes straight to
            // the terminal so `--follow` shows lines as they come.
            return attached(&journalctl(&unit, args.lines, args.follow), "journalctl");
        }
        ServiceVerb::Status => "status",
        ServiceVerb::Start => "start",
        ServiceVerb::Stop => "stop",
        ServiceVerb::Restart => "restart",
    };
    let command = systemctl(verb, &unit);
    let (stderr, code) = streamed(&command, "systemctl", out)?;
    if no_user_manager(&stderr) {
        return Err(miette!(
            code = "hm::no-user-manager",
            help = "log in through a session that starts `systemd --user` (most desktops and `ssh` do), \
                    or enable lingering: `loginctl enable-linger $USER`",
            "no systemd user manager is running for you, so `{}` cannot reach it",
            escape(&command.display())
        ));
    }
    Ok(exit_code(args.verb, code, 3))
}

/// A field's text when it is fully known (no part only Nix knows).
fn known_text(agent: &Service, key: &str) -> Option<String> {
    match agent.field(key) {
        Some(FieldValue::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

fn launchd(args: &ServiceArgs, agent: &Service, out: &mut impl Write) -> Result<ExitCode> {
    let name = escape(&agent.name).into_owned();
    if args.verb == ServiceVerb::Logs {
        let mut paths: Vec<String> = Vec::new();
        for key in ["config.StandardOutPath", "config.StandardErrorPath"] {
            let Some(field) = agent.field(key) else {
                continue;
            };
            let Some(path) = known_text(agent, key) else {
                return Err(miette!(
                    code = "hm::log-path-unknown",
                    help = "hm reads logs from the paths your configuration names; run `tail -F` on the file yourself",
                    "the {} of launchd agent `{name}` is not known statically: {}",
                    key.trim_start_matches("config."),
                    escape(&field.display())
                ));
            };
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
        if paths.is_empty() {
            return Err(miette!(
                code = "hm::no-log-path",
                help = format!(
                    "launchd discards the output of jobs without a log file: set \
                     `launchd.agents.{name}.config.StandardOutPath` and `StandardErrorPath`"
                ),
                "launchd agent `{name}` has no StandardOutPath or StandardErrorPath"
            ));
        }
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        return attached(&tail(&paths, args.lines, args.follow), "tail");
    }
    let Some(label) = &agent.label else {
        return Err(miette!(
            code = "hm::label-unknown",
            help = "pass the label itself: `hm service status <label>` once it is known, or use `launchctl` directly",
            "the label of launchd agent `{name}` (config.Label) is not known statically"
        ));
    };
    if !agent.enabled && matches!(args.verb, ServiceVerb::Start | ServiceVerb::Restart) {
        return Err(miette!(
            code = "hm::agent-disabled",
            help = format!("set `launchd.agents.{name}.enable = true;` and switch"),
            "launchd agent `{name}` is not enabled, so Home Manager does not install it"
        ));
    }
    let domain = match known_text(agent, "domain").as_deref() {
        Some("user") => "user",
        _ => "gui",
    };
    let domain = domain_target(domain, current_uid());
    let command = match args.verb {
        ServiceVerb::Status => launchctl_print(&domain, label),
        ServiceVerb::Start => {
            let plist = crate::environment::home()?
                .join("Library/LaunchAgents")
                .join(format!("{label}.plist"));
            launchctl_bootstrap(&domain, &plist)
        }
        ServiceVerb::Stop => launchctl_bootout(&domain, label),
        ServiceVerb::Restart | ServiceVerb::Logs => launchctl_kickstart(&domain, label),
    };
    let (_, code) = streamed(&command, "launchctl", out)?;
    // `launchctl print` exits 113 for a job that is not loaded.
    Ok(exit_code(args.verb, code, 113))
}
