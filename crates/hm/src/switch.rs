//! `hm switch`: build, say what will change, activate, then record the generation.
//!
//! Safer than the order Home Manager's CLI uses (profile first, then activate): the
//! profile moves to the new generation only after `activate --driver-version 1`
//! succeeded. A switch holds a lock, keeps the new generation a GC root from the build
//! until the profile records it, checks the profile before activating, and when the
//! activation fails or is interrupted, removes the links it made and re-activates the
//! previous generation, so `$HOME` is always one whole generation.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hm_diagnostics::text::escape_line;
use miette::{IntoDiagnostic, Result, miette};
use nix_driver::activation::{self, ActivationError};
use nix_driver::{
    Backup, Command, HmState, InTheWay, Nix, Plan, Profile, Refusal, SwitchLock, plan,
};

use crate::cli::{Activation, SwitchArgs};
use crate::interrupt::{EXIT_INTERRUPTED, Interrupts};
use crate::source::{self, Source};
use crate::{build, environment, remote};

/// Where the user's Home Manager state lives.
pub struct Context {
    pub home: PathBuf,
    pub profile: Profile,
    pub state: HmState,
}

impl Context {
    pub fn for_user() -> Result<Self> {
        let home = environment::home()?;
        let xdg_state_home = environment::xdg_state_home();
        let user = environment::user_name().unwrap_or_default();
        Ok(Self {
            profile: Profile::locate(
                &home,
                xdg_state_home.as_deref(),
                &environment::nix_state_dir(),
                &user,
            ),
            state: HmState::for_user(&home, xdg_state_home.as_deref()),
            home,
        })
    }

    /// The generation whose links are in `$HOME`: the last one activated, else the
    /// profile's current one.
    pub fn active(&self) -> Option<PathBuf> {
        self.state.active_generation().or_else(|| {
            self.profile
                .current()
                .map(|g| g.path.canonicalize().unwrap_or(g.path))
        })
    }

    /// "generation N" when the profile has it, else its store path.
    fn describe(&self, generation: &Path) -> String {
        self.profile
            .generations()
            .into_iter()
            .find(|g| g.path.canonicalize().is_ok_and(|p| p == generation))
            .map_or_else(
                || generation.display().to_string(),
                |g| format!("generation {}", g.id),
            )
    }
}

/// A switch in progress: signals noted, the lock held, an earlier unfinished switch
/// repaired.
pub struct Session {
    pub context: Context,
    pub interrupts: Interrupts,
    _lock: SwitchLock,
}

impl Session {
    pub fn start(out: &mut impl Write) -> Result<Self> {
        let interrupts = Interrupts::install()?;
        let context = Context::for_user()?;
        let lock = context
            .state
            .lock(|path| {
                eprintln!(
                    "hm: another switch is running; waiting for it to finish (lock: {})",
                    path.display()
                );
            })
            .map_err(|e| {
                miette!(
                    code = "hm::lock",
                    "cannot take the switch lock {}: {e}",
                    context.state.lock_path().display()
                )
            })?;
        let session = Self {
            context,
            interrupts,
            _lock: lock,
        };
        session.repair_unfinished(out)?;
        Ok(session)
    }

    /// A switch killed mid-way (hm or its activation) leaves its GC roots: remove the
    /// links into that generation and re-activate the one `$HOME` had.
    fn repair_unfinished(&self, out: &mut impl Write) -> Result<()> {
        let cx = &self.context;
        let active = cx.active();
        for unfinished in cx.state.unfinished() {
            if Some(&unfinished) == active.as_ref() {
                continue;
            }
            writeln!(
                out,
                "an earlier switch to {} did not finish; repairing $HOME",
                unfinished.display()
            )
            .into_diagnostic()?;
            restore(cx, &unfinished, active.as_deref(), out)?;
        }
        cx.state.remove_temporary_roots();
        Ok(())
    }
}

/// What a switch builds: a flake's configuration, or a file built without a flake (`-f`,
/// `home.nix`, with `nix-build`).
enum ToBuild<'a> {
    Flake(Box<build::Selected>),
    File { path: &'a Path, attribute: &'a str },
}

pub fn run(args: &SwitchArgs, out: &mut impl Write) -> Result<ExitCode> {
    let resolved = source::resolve(&args.selection)?;
    eprintln!("hm: {}", resolved.announce());
    let target_host = args.remote.target_host.as_deref();
    let to_build = match &resolved.source {
        Source::Flake(flake) => match build::select_in_flake(&args.selection, flake)? {
            Ok(selected) => {
                if let Some(kind) = crate::system::kind(selected.kind) {
                    return crate::system::switch(&selected, kind, target_host, out);
                }
                ToBuild::Flake(Box::new(selected))
            }
            Err(code) => return Ok(code),
        },
        Source::File { path, attribute } => {
            if args.remote.target_host.is_some() || args.remote.build_host.is_some() {
                return Err(miette!(
                    code = "hm::remote-needs-flake",
                    "--target-host and --build-host work on flakes, and {} is built without one",
                    path.display()
                ));
            }
            ToBuild::File { path, attribute }
        }
    };
    let news = match &to_build {
        ToBuild::Flake(selected) if target_host.is_none() => Some(crate::news::target(selected)),
        _ => None,
    };
    let target_host = target_host.map(remote::host).transpose()?;
    let build_host = args
        .remote
        .build_host
        .as_deref()
        .map(remote::host)
        .transpose()?;
    let session = Session::start(out)?;
    let cx = &session.context;
    if target_host.is_none() {
        prepare_profile(&cx.profile)?;
    }
    let nix = Nix::default();
    let interrupted = || session.interrupts.happened();
    let out_link = cx.state.switching();
    let result = match to_build {
        _ if interrupted() => Ok(Err(ExitCode::from(EXIT_INTERRUPTED))),
        ToBuild::Flake(selected) => match &build_host {
            Some(host) => remote::build_on(host, &selected, &out_link, &nix),
            None => build::build_selected(*selected, &out_link, &nix, &interrupted),
        },
        ToBuild::File { path, attribute } => build::build_file(
            &args.selection,
            path,
            attribute,
            &out_link,
            &nix,
            &interrupted,
        ),
    };
    let result = match result {
        Ok(Ok(built)) if !interrupted() => {
            writeln!(out, "built {}", built.display()).into_diagnostic()?;
            match &target_host {
                Some(host) => remote::activate_on(
                    host,
                    &built,
                    args.specialisation.as_deref(),
                    &args.activation,
                    &nix,
                    out,
                ),
                None => {
                    let activated = Switch {
                        session: &session,
                        nix: &nix,
                        options: &args.activation,
                    }
                    .activate(
                        &built,
                        args.specialisation.as_deref(),
                        Record::NewGeneration,
                        out,
                    );
                    // As the home-manager CLI does after a switch: the unread news.
                    if let (Ok(code), Some((flake, attribute))) = (&activated, &news)
                        && *code == ExitCode::SUCCESS
                        && !args.activation.dry_run
                    {
                        crate::news::notice(&nix, flake, attribute);
                    }
                    activated
                }
            }
        }
        Ok(Ok(_)) => {
            eprintln!("hm: interrupted; nothing was activated");
            Ok(ExitCode::from(EXIT_INTERRUPTED))
        }
        Ok(Err(code)) => Ok(code),
        Err(e) => Err(e),
    };
    cx.state.remove_temporary_roots();
    result
}

fn prepare_profile(profile: &Profile) -> Result<()> {
    profile.prepare().map_err(|e| {
        miette!(
            code = "hm::profile",
            help = "nothing was activated; fix the profile directory and switch again",
            "{e}"
        )
    })
}

/// How the profile records an activated generation.
pub enum Record {
    /// `nix-env --set`: a new generation.
    NewGeneration,
    /// `nix-env --switch-generation N`: an existing one (rollback).
    Existing(u64),
}

pub struct Switch<'a> {
    pub session: &'a Session,
    pub nix: &'a Nix,
    pub options: &'a Activation,
}

impl Switch<'_> {
    fn backup(&self) -> Backup {
        Backup {
            extension: self.options.backup_extension.clone(),
            command: self.options.backup_command.clone(),
            overwrite: self.options.backup_overwrite,
        }
    }

    /// Activates `generation` (or its specialisation) and points the profile at it.
    pub fn activate(
        &self,
        generation: &Path,
        specialisation: Option<&str>,
        record: Record,
        out: &mut impl Write,
    ) -> Result<ExitCode> {
        let cx = &self.session.context;
        let options = self.options;
        let target = activation::target(generation, specialisation).map_err(|e| match e {
            ActivationError::NoSpecialisation { ref available, .. } => miette!(
                code = "hm::no-such-specialisation",
                help = if available.is_empty() {
                    "this configuration defines no specialisations".to_string()
                } else {
                    format!("its specialisations: {}", available.join(", "))
                },
                "{e}"
            ),
            other => miette!("{other}"),
        })?;
        let active = cx.active();
        let backup = self.backup();
        let plan = plan(active.as_deref(), &target, &cx.home, &backup);
        report(&plan, options, out).into_diagnostic()?;
        crate::plan::show(self.nix, active.as_deref(), &target, &plan, out)?;
        refuse(&plan)?;
        if options.ask && !options.dry_run {
            out.flush().into_diagnostic()?;
            if !crate::confirm::confirm("Activate it?") {
                eprintln!("hm: not activated: you answered no");
                return Ok(ExitCode::from(crate::exit::FAILED));
            }
        }
        prepare_profile(&cx.profile)?;

        let activate = self.activate_command(&target, &backup);
        out.flush().into_diagnostic()?;
        if options.dry_run {
            let status = activate.run_attached().map_err(|e| miette!("{e}"))?;
            if status != Some(0) {
                return Err(miette!(
                    code = "hm::activation-failed",
                    "the dry run of {} failed",
                    target.display()
                ));
            }
            writeln!(out, "dry run: nothing was changed").into_diagnostic()?;
            return Ok(ExitCode::SUCCESS);
        }

        move_aside(&plan)?;
        match activate.run_attached() {
            Ok(Some(0)) => {}
            status => {
                let why = match &status {
                    Ok(Some(code)) => format!("exited with status {code}"),
                    Ok(None) => "was interrupted".to_string(),
                    Err(e) => e.to_string(),
                };
                eprintln!("hm: the activation of {} {why}", target.display());
                return self.recover(&target, active.as_deref(), &plan, out);
            }
        }
        self.record(generation, record)?;
        let id = cx.profile.current().map_or(0, |g| g.id);
        writeln!(out, "switched to generation {id}").into_diagnostic()?;
        if self.session.interrupts.happened() {
            eprintln!("hm: interrupted after the activation had finished; the switch is complete");
        }
        Ok(ExitCode::SUCCESS)
    }

    /// `<target>/activate --driver-version 1` with the backup settings, DRY_RUN and
    /// VERBOSE set exactly as asked (inherited values removed).
    fn activate_command(&self, target: &Path, backup: &Backup) -> Command {
        let options = self.options;
        let mut activate = activation::activate(target, &self.session.context.home);
        for (key, value) in [
            ("HOME_MANAGER_BACKUP_EXT", backup.extension.clone()),
            ("HOME_MANAGER_BACKUP_COMMAND", backup.command.clone()),
            (
                "HOME_MANAGER_BACKUP_OVERWRITE",
                backup.overwrite.then(|| "1".to_string()),
            ),
            ("DRY_RUN", options.dry_run.then(|| "1".to_string())),
            ("VERBOSE", options.verbose.then(|| "1".to_string())),
        ] {
            activate = match value {
                Some(value) => activate.env(key, value),
                None => activate.env_remove(key),
            };
        }
        activate
    }

    /// After the activation of `failed` failed or was interrupted: restore `previous`, put
    /// files moved aside back where the restored generation left their place free, and
    /// say what state `$HOME` is in.
    fn recover(
        &self,
        failed: &Path,
        previous: Option<&Path>,
        plan: &Plan,
        out: &mut impl Write,
    ) -> Result<ExitCode> {
        let restored = restore(&self.session.context, failed, previous, out)?;
        for collision in &plan.in_the_way {
            let (InTheWay::BackedUp { to }
            | InTheWay::ReplacesBackup { to }
            | InTheWay::MovedByHm { to }) = &collision.action
            else {
                continue;
            };
            if std::fs::symlink_metadata(&collision.path).is_err()
                && std::fs::symlink_metadata(to).is_ok()
                && std::fs::rename(to, &collision.path).is_ok()
            {
                writeln!(
                    out,
                    "put {} back (from {})",
                    collision.path.display(),
                    to.display()
                )
                .into_diagnostic()?;
            }
        }
        if self.session.interrupts.happened() {
            eprintln!("hm: interrupted; {restored}");
            return Ok(ExitCode::from(EXIT_INTERRUPTED));
        }
        Err(miette!(
            code = "hm::activation-failed",
            help = "the previous generation is still active; fix what the activation script reported and switch again",
            "activation of {} failed; {restored}",
            failed.display()
        ))
    }

    fn record(&self, generation: &Path, record: Record) -> Result<()> {
        let profile = &self.session.context.profile;
        // A generation without `gen-version` records the profile itself (the CLI runs it
        // as a `test`); record it only if it did not.
        if !activation::speaks_driver_version_1(generation)
            && profile.current().is_some_and(|g| g.path == generation)
        {
            return Ok(());
        }
        let command = match record {
            Record::NewGeneration => profile.set(self.nix, generation),
            Record::Existing(id) => profile.switch_generation(self.nix, id),
        };
        // $HOME is switched already: a Ctrl-C now must not stop the profile from saying so.
        command
            .own_process_group()
            .run_checked()
            .map(drop)
            .map_err(|e| {
                miette!(
                    code = "hm::profile",
                    "activated, but recording the generation failed: {e}"
                )
            })
    }
}

/// Removes the links a failed or interrupted activation of `failed` made and re-activates
/// `previous`. Says what state `$HOME` is in.
fn restore(
    cx: &Context,
    failed: &Path,
    previous: Option<&Path>,
    out: &mut impl Write,
) -> Result<String> {
    let removed = activation::remove_links(failed, &cx.home);
    let Some(previous) = previous else {
        return Ok(format!(
            "there is no previous generation: removed the {removed} link{} it had made, so $HOME holds no generation's links",
            if removed == 1 { "" } else { "s" }
        ));
    };
    let name = cx.describe(previous);
    if removed == 0 && activation::links_complete(previous, &cx.home) {
        return Ok(format!("$HOME is still at {name}"));
    }
    writeln!(out, "restoring {name} ({})", previous.display()).into_diagnostic()?;
    out.flush().into_diagnostic()?;
    // In a process group of its own: a second Ctrl-C must not stop the repair.
    let status = activation::activate(previous, &cx.home)
        .env_remove("DRY_RUN")
        .env_remove("HOME_MANAGER_BACKUP_EXT")
        .env_remove("HOME_MANAGER_BACKUP_COMMAND")
        .own_process_group()
        .run_attached();
    Ok(if matches!(status, Ok(Some(0))) {
        format!("$HOME is back at {name}")
    } else {
        format!(
            "restoring {name} failed too: $HOME may hold links of both; run `hm rollback` once the problem is fixed"
        )
    })
}

/// Moves the files hm backs up itself (see `InTheWay::MovedByHm`); on an error, moves
/// back those it had moved.
fn move_aside(plan: &Plan) -> Result<()> {
    let mut moved: Vec<(&Path, &Path)> = Vec::new();
    for collision in &plan.in_the_way {
        if let InTheWay::MovedByHm { to } = &collision.action {
            if let Err(e) = std::fs::rename(&collision.path, to) {
                for (from, to) in moved.iter().rev() {
                    let _ = std::fs::rename(to, from);
                }
                return Err(miette!(
                    code = "hm::backup-failed",
                    "cannot move {} to {}: {e}; nothing was activated",
                    collision.path.display(),
                    to.display()
                ));
            }
            moved.push((&collision.path, to));
        }
    }
    Ok(())
}

fn refuse(plan: &Plan) -> Result<()> {
    let refused: Vec<String> = plan
        .refused()
        .map(|(path, why)| match why {
            Refusal::NoBackup => path.display().to_string(),
            Refusal::ForeignLink => {
                format!("{} (a symlink not made by Home Manager)", path.display())
            }
        })
        .collect();
    if refused.is_empty() {
        return Ok(());
    }
    Err(miette!(
        code = "hm::files-in-the-way",
        help = "move them away, or let hm back them up: `hm switch -b backup` renames each to FILE.backup",
        "{} file{} Home Manager does not manage would be replaced:\n  {}",
        refused.len(),
        if refused.len() == 1 { "" } else { "s" },
        refused.join("\n  ")
    ))
}

/// What the switch will do, file and unit names escaped (a name may hold control
/// characters, which must not reach the terminal raw).
fn report(plan: &Plan, options: &Activation, out: &mut impl Write) -> std::io::Result<()> {
    let shown = |path: &Path| escape_line(&path.display().to_string()).into_owned();
    for collision in &plan.in_the_way {
        let file = shown(&collision.path);
        match &collision.action {
            InTheWay::Identical => {
                writeln!(out, "identical to the new file, left in place: {file}")?
            }
            InTheWay::BackedUp { to } => writeln!(out, "back up: {file} -> {}", shown(to))?,
            InTheWay::ReplacesBackup { to } => writeln!(
                out,
                "back up: {file} -> {} (replacing the earlier backup)",
                shown(to)
            )?,
            InTheWay::BackupCommand => writeln!(
                out,
                "back up: `{} {file}`",
                escape_line(options.backup_command.as_deref().unwrap_or_default())
            )?,
            InTheWay::MovedByHm { to } => writeln!(
                out,
                "back up: {file} -> {} (moved by hm: Home Manager would refuse or overwrite)",
                shown(to)
            )?,
            InTheWay::Refused(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use nix_driver::{Collision, InTheWay, Plan};

    #[test]
    fn the_report_escapes_file_and_unit_names() {
        let plan = Plan {
            in_the_way: vec![Collision {
                path: PathBuf::from("/home/a/\u{1b}]0;x\u{7}file"),
                action: InTheWay::BackedUp {
                    to: PathBuf::from("/home/a/\u{1b}[2Jfile.bak"),
                },
            }],
            start: vec!["evil\u{1b}]52;c;aGk=\u{7}.service".into()],
            stop: Vec::new(),
            restart: vec!["a\rb.service".into()],
        };
        let options = Activation::default();
        let mut out = Vec::new();
        report(&plan, &options, &mut out).expect("report");
        let text = String::from_utf8(out).expect("UTF-8");
        assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text:?}");
        // The units are the plan's to show (`plan::show`, escaped there too).
        assert_eq!(
            text,
            "back up: /home/a/\\u{1b}]0;x\\u{7}file -> /home/a/\\u{1b}[2Jfile.bak\n"
        );
    }
}
