//! `hm build`: find the configuration (see `source`), pick the user from the static model,
//! check it, then `nix build` it (or `nix-build` for configurations without a flake).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hm_checks::Context;
use hm_diagnostics::text::escape_line;
use hm_diagnostics::{Severity, render};
use hm_model::{Analysis, EntryKind, FieldValue, Setting, User, UserKind, select};
use miette::{IntoDiagnostic, Result, miette};
use nix_driver::{Command, CommandError, ConfigFile, FlakeRef, Nix};

use crate::cli::{BuildArgs, Selection};
use crate::progress::{self, Shown};
use crate::source::{self, Flake, Source};
use crate::{ask_nix, environment, nix_run, terminal};

/// How `nix build` runs besides the selection: where the result goes (`None`: no link),
/// `--dry-run`, `--verbose`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Output<'a> {
    pub out_link: Option<&'a Path>,
    pub dry_run: bool,
    pub verbose: bool,
}

/// What to run, and what hm knows of it.
struct Prepared {
    command: Command,
    analysis: Option<Analysis>,
    user: String,
    /// `nix build` or `nix-build`, for messages.
    program: &'static str,
    /// What is built, for the line that announces it.
    what: String,
    /// How Nix's log is shown.
    shown: Shown,
}

impl<'a> Output<'a> {
    /// A plain build with its result link at `out_link`.
    fn link(out_link: &'a Path) -> Self {
        Output {
            out_link: Some(out_link),
            ..Output::default()
        }
    }
}

/// Builds the selected configuration with the result link, `--dry-run` and `--verbose` of `output`; a dry run
/// builds nothing and ends in `Err(ExitCode::SUCCESS)`.
pub fn build_with(
    selection: &Selection,
    output: Output,
    nix: &Nix,
    interrupted: &dyn Fn() -> bool,
) -> Result<std::result::Result<PathBuf, ExitCode>> {
    match prepare(selection, output, nix)? {
        Ok(prepared) => run_prepared(prepared, output, interrupted),
        Err(code) => Ok(Err(code)),
    }
}

/// Builds a configuration file without a flake (`-f`, `home.nix`) with `nix-build`.
pub fn build_file(
    selection: &Selection,
    path: &Path,
    attribute: &str,
    out_link: &Path,
    nix: &Nix,
    interrupted: &dyn Fn() -> bool,
) -> Result<std::result::Result<PathBuf, ExitCode>> {
    let output = Output::link(out_link);
    match prepare_file(selection, path, attribute, output, nix)? {
        Ok(prepared) => run_prepared(prepared, output, interrupted),
        Err(code) => Ok(Err(code)),
    }
}

/// Runs a prepared build: the store path, or `Err(code)` when it failed (reported).
fn run_prepared(
    mut prepared: Prepared,
    output: Output,
    interrupted: &dyn Fn() -> bool,
) -> Result<std::result::Result<PathBuf, ExitCode>> {
    let command = &prepared.command;
    if output.verbose {
        eprintln!("hm: running {}", escape_line(&command.display()));
    } else {
        eprintln!("hm: building {}", escape_line(&prepared.what));
    }
    let finished =
        nix_run::run_shown(command, prepared.shown).map_err(crate::nix_run::not_found)?;
    match command.require_success(finished) {
        Ok(_) if output.dry_run => Ok(Err(ExitCode::SUCCESS)),
        Ok(done) => match built_path(&done.stdout) {
            Some(path) => Ok(Ok(path)),
            None => Err(miette!("`{}` printed no output path", command.display())),
        },
        Err(CommandError::Failed { .. }) if interrupted() => {
            eprintln!("hm: interrupted; nothing was activated");
            Ok(Err(ExitCode::from(crate::interrupt::EXIT_INTERRUPTED)))
        }
        Err(CommandError::Failed {
            stderr,
            stderr_tail,
            ..
        }) => {
            let report = nix_run::failure(
                prepared.analysis.as_mut(),
                &prepared.user,
                prepared.program,
                &stderr,
                &stderr_tail,
            );
            crate::output::eprint(&report);
            eprintln!("hm: the build failed; nothing was activated");
            Ok(Err(ExitCode::from(crate::exit::FAILED)))
        }
        Err(other) => Err(miette!("{other}")),
    }
}

/// A flake configuration chosen for a switch: what `hm switch` builds, or hands to
/// `nixos-rebuild` for a module install.
pub struct Selected {
    pub analysis: Option<Analysis>,
    /// The user's name in the configuration.
    pub user: String,
    pub kind: UserKind,
    /// The NixOS or nix-darwin host of a module install.
    pub host: Option<String>,
    /// The flake attribute of the user's configuration, e.g. `homeConfigurations."alice"`.
    pub configuration: String,
    /// The flake attribute to build.
    pub attribute: String,
    pub flake: FlakeRef,
    /// Nix's pass-through arguments (`--show-trace`, `--override-input …`).
    pub nix_args: Vec<std::ffi::OsString>,
    /// How Nix's log is shown while it builds.
    pub shown: Shown,
}

/// Picks the configuration in a flake and runs the checks (`Err(code)` when they found
/// errors, already reported).
pub fn select_in_flake(
    selection: &Selection,
    flake: &Flake,
) -> Result<std::result::Result<Selected, ExitCode>> {
    let choice = match choose_in_flake(selection, flake, &Nix::default(), true)? {
        Ok(choice) => choice,
        Err(code) => return Ok(Err(code)),
    };
    let mut nix_args = selection.nix.argv();
    if selection.nix.print_build_logs {
        nix_args.insert(0, "--print-build-logs".into());
    }
    Ok(Ok(Selected {
        attribute: choice.configuration.activation(),
        configuration: choice.configuration.attribute,
        user: choice.configuration.user,
        kind: choice.configuration.kind,
        host: choice.configuration.host,
        analysis: choice.analysis,
        flake: choice.reference,
        nix_args,
        shown: progress::shown(selection),
    }))
}

/// Resolves the configuration (announcing it) and, for a flake, picks and checks it.
pub fn select_and_check(selection: &Selection) -> Result<std::result::Result<Selected, ExitCode>> {
    let resolved = source::resolve(selection)?;
    eprintln!("hm: {}", resolved.announce());
    match &resolved.source {
        Source::Flake(flake) => select_in_flake(selection, flake),
        Source::File { path, .. } => Err(miette!(
            code = "hm::needs-flake",
            help = "this command works on flakes: pass --flake",
            "{} is not a flake",
            path.display()
        )),
    }
}

/// `nix build`s what was selected, with its result link at `out_link`.
pub fn build_selected(
    selected: Selected,
    out_link: &Path,
    nix: &Nix,
    interrupted: &dyn Fn() -> bool,
) -> Result<std::result::Result<PathBuf, ExitCode>> {
    let output = Output::link(out_link);
    let command = selected.shown.apply(
        nix.build_to(&selected.flake, &selected.attribute, output.out_link)
            .args(&selected.nix_args),
    );
    let prepared = Prepared {
        shown: selected.shown,
        what: selected.flake.with_attribute(&selected.attribute),
        command,
        analysis: selected.analysis,
        user: selected.user,
        program: "nix build",
    };
    run_prepared(prepared, output, interrupted)
}

/// The output path `nix build --json` or `nix-build` printed.
fn built_path(stdout: &[u8]) -> Option<PathBuf> {
    Nix::built_path(stdout).or_else(|| {
        String::from_utf8_lossy(stdout)
            .lines()
            .rev()
            .find(|l| l.starts_with('/'))
            .map(PathBuf::from)
    })
}

/// Finds the configuration, picks the user, runs the checks, and makes the build command.
fn prepare(
    selection: &Selection,
    output: Output,
    nix: &Nix,
) -> Result<std::result::Result<Prepared, ExitCode>> {
    let resolved = source::resolve(selection)?;
    eprintln!("hm: {}", resolved.announce());
    match resolved.source {
        Source::Flake(flake) => prepare_flake(selection, &flake, output, nix),
        Source::File { path, attribute } => prepare_file(selection, &path, &attribute, output, nix),
    }
}

pub fn user_name(selection: &Selection) -> Result<String> {
    match &selection.user {
        Some(user) => Ok(user.clone()),
        None => environment::user_name(),
    }
}

/// A flake's configuration for one user, chosen (and checked unless `--no-check`).
pub struct FlakeChoice {
    pub reference: FlakeRef,
    pub analysis: Option<Analysis>,
    pub configuration: Configuration,
}

/// Where a user's Home Manager configuration is in a flake.
#[derive(Debug, Clone)]
pub struct Configuration {
    pub user: String,
    /// The NixOS or nix-darwin host of a module install.
    pub host: Option<String>,
    /// `homeConfigurations."alice"`, or `nixosConfigurations.laptop.config.home-manager.users.alice`.
    pub attribute: String,
    pub kind: UserKind,
}

impl Configuration {
    fn named(name: &str) -> Self {
        Self {
            user: name.to_string(),
            host: None,
            attribute: format!("homeConfigurations.{}", nix_driver::nix_string(name)),
            kind: UserKind::Standalone,
        }
    }

    fn of(user: &User) -> Self {
        Self {
            user: user.name.clone(),
            host: user.host.clone(),
            attribute: user.attribute.clone().unwrap_or_default(),
            kind: user.kind,
        }
    }

    /// The activation package.
    pub fn activation(&self) -> String {
        match self.kind {
            UserKind::Standalone => format!("{}.activationPackage", self.attribute),
            _ => format!("{}.home.activationPackage", self.attribute),
        }
    }

    /// The option values (`config`).
    pub fn config(&self) -> String {
        match self.kind {
            UserKind::Standalone => format!("{}.config", self.attribute),
            _ => self.attribute.clone(),
        }
    }
}

/// Reads the flake (when local), picks the configuration, and runs the checks when
/// `check` (`Err(code)` when they fail, already reported).
pub fn choose_in_flake(
    selection: &Selection,
    flake: &Flake,
    nix: &Nix,
    check: bool,
) -> Result<std::result::Result<FlakeChoice, ExitCode>> {
    if let Some(attribute) = &selection.attribute {
        return Err(miette!(
            code = "hm::attribute-with-flake",
            help = format!(
                "name the configuration with the flake: --flake {}#{attribute}",
                flake.shown()
            ),
            "-A selects an attribute of a configuration file, and {} is a flake",
            flake.shown()
        ));
    }
    let user_name = user_name(selection)?;
    let host = selection
        .host
        .clone()
        .unwrap_or_else(environment::host_name);
    let analysis = match &flake.dir {
        Some(dir) => Some(analyse_flake(dir, selection.nix.impure)?),
        None => {
            eprintln!(
                "hm: note: {} is not on this machine, so hm cannot read it: the static checks are skipped and Nix evaluates it",
                flake.shown()
            );
            None
        }
    };
    let reference = match (&flake.url, &analysis) {
        (Some(url), _) => FlakeRef::from_url(url.clone()),
        (None, Some(analysis)) => FlakeRef::for_dir(&analysis.root).map_err(|e| {
            miette!(
                code = "hm::flake-reference",
                help = "rename or move the directory (or put the flake in a git repository whose path has none of these characters)",
                "{e}"
            )
        })?,
        (None, None) => return Err(miette!("no flake to build")),
    };
    let configuration = match (&analysis, &flake.name) {
        (Some(analysis), name) => choose(analysis, name.as_deref(), &user_name, &host, &reference)?,
        (None, Some(name)) => Configuration::named(name),
        (None, None) => {
            let name = ask_nix_for_name(nix, &reference, selection, &user_name, &host)?;
            Configuration::named(&name)
        }
    };
    if let Some(analysis) = &analysis
        && check
        && !selection.no_check
    {
        let uses_git = flake.url.as_deref().is_none_or(|u| u.starts_with("git+"));
        let git = uses_git
            .then(|| crate::check::git_tracked(analysis))
            .flatten();
        if !checks_pass(analysis, git.as_ref()) {
            return Ok(Err(ExitCode::from(crate::exit::FAILED)));
        }
    }
    Ok(Ok(FlakeChoice {
        reference,
        analysis,
        configuration,
    }))
}

fn prepare_flake(
    selection: &Selection,
    flake: &Flake,
    output: Output,
    nix: &Nix,
) -> Result<std::result::Result<Prepared, ExitCode>> {
    let choice = match choose_in_flake(selection, flake, nix, true)? {
        Ok(choice) => choice,
        Err(code) => return Ok(Err(code)),
    };
    let mut command = nix.build_to(
        &choice.reference,
        &choice.configuration.activation(),
        output.out_link,
    );
    if selection.nix.print_build_logs {
        command = command.arg("--print-build-logs");
    }
    if output.verbose {
        command = command.arg("--verbose");
    }
    if output.dry_run {
        command = command.arg("--dry-run");
    }
    let shown = progress::shown(selection);
    Ok(Ok(Prepared {
        command: shown.apply(command.args(selection.nix.argv())),
        shown,
        analysis: choice.analysis,
        what: choice
            .reference
            .with_attribute(&choice.configuration.activation()),
        user: choice.configuration.user,
        program: "nix build",
    }))
}

/// The analysis of the flake in `dir`, read as `nix build --impure` reads it when `impure`.
fn analyse_flake(dir: &Path, impure: bool) -> Result<Analysis> {
    let analysis = hm_model::analyse_with(dir, hm_model::Options { impure })
        .map_err(|e| miette!(code = "hm::cannot-analyse", "{e}"))?;
    if analysis.entry_kind != EntryKind::Flake {
        return Err(miette!(
            code = "hm::build-needs-flake",
            help = format!(
                "build it without a flake: `hm build -f {}`, or create a flake next to it with `hm init`",
                analysis.entry.display()
            ),
            "{} is not a flake",
            dir.display()
        ));
    }
    Ok(analysis)
}

/// The configuration named after `#`, else
/// the one for `user` on `host`. Never a configuration of another host.
fn choose(
    analysis: &Analysis,
    name: Option<&str>,
    user_name: &str,
    host: &str,
    reference: &FlakeRef,
) -> Result<Configuration> {
    let users = &analysis.inventory.users;
    if let Some(name) = name {
        let found = users
            .iter()
            .find(|u| u.kind == UserKind::Standalone && u.name == name);
        return Ok(match found {
            Some(user) => {
                warn_about_identity(user);
                Configuration::named(name)
            }
            None => {
                eprintln!(
                    "hm: note: hm does not see homeConfigurations.\"{name}\" in this flake; Nix will tell"
                );
                Configuration::named(name)
            }
        });
    }
    match select(&analysis.inventory, user_name, host) {
        Ok(user) => {
            warn_about_identity(user);
            Ok(Configuration::of(user))
        }
        Err(tried) => {
            // When the files compute users hm cannot follow, they may hold it: Nix decides.
            let asked = match analysis.inventory.users_undecided().then(|| {
                let nix = Nix::default().impure(analysis.impure);
                ask_nix::select(&nix, reference, user_name, host)
            }) {
                None => None,
                Some(Ok(found)) => {
                    return Ok(Configuration {
                        user: found.name,
                        host: found.host,
                        attribute: found.configuration,
                        kind: found.kind,
                    });
                }
                Some(Err(asked)) => asked,
            };
            let (whose, known) = match asked {
                Some(known) => ("as Nix evaluates it", known),
                None => (
                    "found statically",
                    users.iter().filter_map(|u| u.attribute.clone()).collect(),
                ),
            };
            let elsewhere: Vec<&str> = users
                .iter()
                .filter(|u| u.name == user_name)
                .filter_map(|u| u.host.as_deref())
                .collect();
            let mut help = format!(
                "configurations in this flake ({whose}): {}\npass --user and --host, or --flake REF#NAME, to pick one",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            );
            if !elsewhere.is_empty() {
                help = format!(
                    "`{user_name}` is configured on other hosts: {} (pass --host to build one of them)\n{help}",
                    elsewhere.join(", ")
                );
            }
            Err(miette!(
                code = "hm::no-configuration-for-user",
                help = help,
                "no configuration for `{user_name}` on `{host}`; tried:\n  {}",
                tried.join("\n  ")
            ))
        }
    }
}

/// Warns when the configuration is for another user or home than the one running hm.
fn warn_about_identity(user: &User) {
    let known = |key: &str| match user.settings.get(key) {
        Some(Setting::Known(field)) => match &field.value {
            FieldValue::Str(value) => Some(value.clone()),
            _ => None,
        },
        _ => None,
    };
    let checks = [
        (
            "home.username",
            known("home.username"),
            environment::user_name().ok(),
            "USER",
        ),
        (
            "home.homeDirectory",
            known("home.homeDirectory"),
            environment::home().ok().map(|h| h.display().to_string()),
            "HOME",
        ),
    ];
    for (option, configured, actual, variable) in checks {
        if let (Some(configured), Some(actual)) = (configured, actual)
            && configured != actual
        {
            eprintln!(
                "hm: warning: `{}` sets {option} = \"{configured}\", but ${variable} is \"{actual}\": Home Manager's activation will refuse it or manage another home",
                user.name
            );
        }
    }
}

/// Runs the static checks; prints the errors and says why nothing is built when any.
fn checks_pass(analysis: &Analysis, git: Option<&hm_checks::GitTracked>) -> bool {
    let errors: Vec<_> = hm_checks::check(&Context::new(analysis, git))
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        return true;
    }
    eprint!(
        "{}",
        render::human(
            &analysis.db,
            &analysis.root,
            &errors,
            terminal::stderr_options()
        )
    );
    eprintln!("hm: not building: `hm check` found errors (fix them, or pass --no-check)");
    false
}

/// Without reading the flake: asks Nix which `homeConfigurations` exist and takes
/// `user@host`, then `user`, as the home-manager CLI does.
fn ask_nix_for_name(
    nix: &Nix,
    reference: &FlakeRef,
    selection: &Selection,
    user: &str,
    host: &str,
) -> Result<String> {
    let command = nix
        .eval_apply(reference, "homeConfigurations", "builtins.attrNames")
        .args(selection.nix.argv());
    eprintln!(
        "hm: asking Nix for the configurations: {}",
        command.display()
    );
    let finished = command.run_checked().map_err(|e| {
        miette!(
            code = "hm::nix-eval",
            help = "name the configuration: --flake REF#NAME",
            "{e}"
        )
    })?;
    let names: Vec<String> = serde_json::from_slice(&finished.stdout)
        .map_err(|e| miette!("`{}` printed no list of names: {e}", command.display()))?;
    for candidate in [format!("{user}@{host}"), user.to_string()] {
        if names.contains(&candidate) {
            return Ok(candidate);
        }
    }
    Err(miette!(
        code = "hm::no-configuration-for-user",
        help = format!(
            "configurations in this flake: {}\npick one with --flake REF#NAME",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        ),
        "no configuration for `{user}` on `{host}`; tried homeConfigurations.\"{user}@{host}\" and homeConfigurations.\"{user}\""
    ))
}

fn prepare_file(
    selection: &Selection,
    path: &Path,
    attribute: &str,
    output: Output,
    nix: &Nix,
) -> Result<std::result::Result<Prepared, ExitCode>> {
    if let Some(flag) = selection.nix.flake_only() {
        return Err(miette!(
            code = "hm::flake-option",
            "{flag} works on flakes, and {} is built without one",
            path.display()
        ));
    }
    let user = user_name(selection)?;
    // hm reads the file when it can; the file is Nix's to judge when it cannot.
    let analysis = match hm_model::analyse(path) {
        Ok(analysis) if attribute.is_empty() => Some(analysis),
        Ok(_) | Err(_) => None,
    };
    if let Some(analysis) = &analysis
        && !selection.no_check
        && !checks_pass(analysis, None)
    {
        return Ok(Err(ExitCode::from(crate::exit::FAILED)));
    }
    let config = ConfigFile {
        file: path,
        attribute,
        include: &selection.include,
    };
    let mut passthrough = selection.nix.argv();
    if output.dry_run {
        passthrough.insert(0, "--dry-run".into());
    }
    let command = nix.nix_build_config(
        &config,
        "activationPackage",
        output.out_link,
        output.verbose,
        &passthrough,
    );
    let shown = progress::shown(selection);
    Ok(Ok(Prepared {
        command: shown.apply(command),
        shown,
        analysis,
        user,
        program: "nix-build",
        what: format!("the activation package of {}", path.display()),
    }))
}

pub fn run(args: &BuildArgs, out: &mut impl Write) -> Result<ExitCode> {
    let nix = Nix::default();
    // Relative to where hm runs, not to the flake nix builds in.
    let out_link = std::path::absolute(&args.out_link).into_diagnostic()?;
    let output = Output {
        out_link: (!args.no_out_link).then_some(out_link.as_path()),
        dry_run: args.dry_run,
        verbose: args.verbose,
    };
    let built = if args.system {
        let mut selected = match select_and_check(&args.selection)? {
            Ok(selected) => selected,
            Err(code) => return Ok(code),
        };
        let (Some(kind), Some(host)) = (crate::system::kind(selected.kind), &selected.host) else {
            return Err(miette!(
                code = "hm::not-a-module-install",
                help =
                    "--system builds the NixOS or nix-darwin host a user belongs to; pass --host",
                "{} is a standalone Home Manager configuration, not a user of a host",
                selected.user
            ));
        };
        selected.attribute = kind.toplevel_attribute(host);
        build_selected(selected, &out_link, &nix, &|| false)?
    } else {
        build_with(&args.selection, output, &nix, &|| false)?
    };
    match built {
        Ok(path) => {
            writeln!(out, "{}", path.display()).into_diagnostic()?;
            Ok(ExitCode::SUCCESS)
        }
        Err(code) => Ok(code),
    }
}
