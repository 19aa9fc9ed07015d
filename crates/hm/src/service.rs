//! `hm service <status|start|stop|restart|logs> NAME`.

use std::io::Write;
use std::process::ExitCode;

use hm_diagnostics::text::escape;
use miette::{IntoDiagnostic, Result, miette};
use nix_driver::{journalctl, no_user_manager, systemctl};

use crate::cli::{ServiceArgs, ServiceVerb};
use crate::target;

pub fn run(args: &ServiceArgs, out: &mut impl Write) -> Result<ExitCode> {
    let analysis = target::load(&args.target)?;
    let name = args.name.strip_suffix(".service").unwrap_or(&args.name);
    let services = &analysis.inventory.services;
    if !services.iter().any(|s| s.name == name) {
        let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
        let help = match hm_checks::did_you_mean(name, names.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None if names.is_empty() => "the configuration defines no user services".to_string(),
            None => format!("services in this configuration: {}", names.join(", ")),
        };
        return Err(miette!(
            code = "hm::unknown-service",
            help = escape(&help).into_owned(),
            "`{}` is not a service of this configuration",
            escape(name)
        ));
    }
    let unit = format!("{name}.service");
    let spawn_error = |e: nix_driver::CommandError| {
        miette!(
            code = "hm::systemctl",
            help = "is systemd installed?",
            "{}",
            escape(&e.to_string())
        )
    };
    let verb = match args.verb {
        ServiceVerb::Logs => {
            // The journal is read directly, with no user manager; output goes straight to
            // the terminal so `--follow` shows lines as they come.
            let status = journalctl(&unit, args.lines, args.follow)
                .run_attached()
                .map_err(spawn_error)?;
            // Killed by a signal: SIGPIPE when the reader went away (`| head -1`), or
            // Ctrl-C ending `--follow`; both are how a log reader normally stops.
            return Ok(if matches!(status, Some(0) | None) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(crate::exit::FAILED)
            });
        }
        ServiceVerb::Status => "status",
        ServiceVerb::Start => "start",
        ServiceVerb::Stop => "stop",
        ServiceVerb::Restart => "restart",
    };
    let command = systemctl(verb, &unit);
    let finished = command
        .run_streaming(&mut |line| crate::output::eprint(&format!("{line}\n")))
        .map_err(spawn_error)?;
    out.write_all(&finished.stdout).into_diagnostic()?;
    if no_user_manager(&finished.stderr) {
        return Err(miette!(
            code = "hm::no-user-manager",
            help = "log in through a session that starts `systemd --user` (most desktops and `ssh` do), \
                    or enable lingering: `loginctl enable-linger $USER`",
            "no systemd user manager is running for you, so `{}` cannot reach it",
            escape(&command.display())
        ));
    }
    // `systemctl status` exits 3 for a stopped unit: that is an answer, not a failure.
    let code = finished.status.unwrap_or(1);
    Ok(match (args.verb, code) {
        (_, 0) => ExitCode::SUCCESS,
        (ServiceVerb::Status, 3) => ExitCode::from(crate::exit::NOT_RUNNING),
        _ => ExitCode::from(crate::exit::FAILED),
    })
}
