//! `hm users` and `hm services`.

use std::io::Write;
use std::process::ExitCode;

use hm_checks::Context;
use hm_diagnostics::text::{escape_line, truncate};
use hm_diagnostics::{Diagnostic, Location};
use hm_model::{Analysis, Dynamic, Manager, Service, ServiceOrigin};
use miette::{IntoDiagnostic, Result, miette};

use crate::cli::{Format, InventoryArgs, ServicesArgs};
use crate::render::{json, table::Table};
use crate::{evaluated, target, terminal};

/// Problems met while reading the files; printed to stderr in table mode.
fn loading_problems(analysis: &Analysis) -> Vec<Diagnostic> {
    hm_checks::loading_problems(&Context::new(analysis, None))
}

/// 0 when the files were read cleanly, 1 when problems were reported (the inventory may
/// be incomplete).
fn finish(analysis: &Analysis, problems: &[Diagnostic], format: Format) -> ExitCode {
    if format == Format::Table && !problems.is_empty() {
        let text = hm_diagnostics::render::human(
            &analysis.db,
            &analysis.root,
            problems,
            terminal::stderr_options(),
        );
        crate::output::eprint(&text);
    }
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::exit::FAILED)
    }
}

pub fn users(args: &InventoryArgs, out: &mut impl Write) -> Result<ExitCode> {
    let analysis = target::load(&args.target, args.impure)?;
    let problems = loading_problems(&analysis);
    let inventory = &analysis.inventory;
    let completion = match args.eval {
        true => Some(evaluated::users(&analysis)?.1),
        false => None,
    };
    match args.format {
        Format::Json => write_json(
            out,
            &with_evaluated(json::users_document(&analysis, &problems), &completion),
        )?,
        Format::Table => {
            let mut table = Table::new(vec![
                "USER",
                "KIND",
                "HOST",
                "ATTRIBUTE",
                "LOCATION",
                "CONDITION",
                "MODULES",
            ]);
            for user in &inventory.users {
                let row = json::user(&analysis, user);
                table.row(vec![
                    row.name,
                    format!("{:?}", row.kind).to_lowercase(),
                    dash(row.host),
                    dash(row.attribute),
                    row.location.short(),
                    dash(row.condition),
                    row.modules.join(" "),
                ]);
            }
            for user in completion.iter().flat_map(|c| &c.added) {
                table.row(vec![
                    user.name.clone(),
                    format!("{:?}", user.kind).to_lowercase(),
                    dash(user.host.clone()),
                    user.attribute.clone(),
                    "(nix eval)".to_string(),
                    "-".to_string(),
                    "-".to_string(),
                ]);
            }
            write_table(out, &table, "no Home Manager users found")?;
            write_not_evaluated(out, completion.as_ref())?;
            let dynamic: Vec<&Dynamic> = inventory
                .dynamic
                .iter()
                .filter(|d| d.defines == "users")
                .collect();
            write_dynamic(out, &analysis, &dynamic)?;
        }
    }
    let code = finish(&analysis, &problems, args.format);
    target::keep_until_exit(analysis);
    Ok(code)
}

pub fn services(args: &ServicesArgs, out: &mut impl Write) -> Result<ExitCode> {
    let analysis = target::load(&args.inventory.target, args.inventory.impure)?;
    let problems = loading_problems(&analysis);
    let inventory = &analysis.inventory;
    if let Some(user) = &args.user
        && !inventory
            .users
            .iter()
            .any(|u| names_user(user, &u.name, u.host.as_deref()))
    {
        let mut known: Vec<String> = inventory
            .users
            .iter()
            .map(|u| user_label(inventory, &u.name, u.host.as_deref()))
            .collect();
        known.dedup();
        return Err(miette!(
            code = "hm::unknown-user",
            help = format!(
                "users in this configuration: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
            "no user named `{user}`"
        ));
    }
    let wanted = |user: &str, host: Option<&str>| {
        args.user
            .as_deref()
            .is_none_or(|arg| names_user(arg, user, host))
    };
    let services: Vec<&Service> = inventory
        .services
        .iter()
        .filter(|s| wanted(&s.user, s.host.as_deref()))
        .collect();
    // What is not known has no host: `alice@desk` asks for `alice`'s.
    let only = args.user.as_deref().map(|arg| {
        inventory
            .users
            .iter()
            .find(|u| names_user(arg, &u.name, u.host.as_deref()))
            .map_or(arg, |u| u.name.as_str())
    });
    let dynamic: Vec<&Dynamic> = inventory
        .dynamic
        .iter()
        // Users hm cannot see have services it cannot list: said when all users are asked for.
        .filter(|d| match only {
            None => true,
            Some(name) => d.defines != "users" && d.user.as_deref().is_none_or(|u| u == name),
        })
        .collect();
    let completion = match args.inventory.eval {
        true => Some(evaluated::services(&analysis, only)?),
        false => None,
    };
    match args.inventory.format {
        Format::Json => write_json(
            out,
            &with_evaluated(
                json::services_document(
                    &analysis,
                    &problems,
                    services.iter().copied(),
                    dynamic.iter().copied(),
                ),
                &completion,
            ),
        )?,
        Format::Table => {
            let mut table = Table::new(vec![
                "SERVICE",
                "USER",
                "DESCRIPTION",
                "STARTED BY",
                "LOCATION",
                "CONDITION",
            ]);
            for service in &services {
                let user = user_label(inventory, &service.user, service.host.as_deref());
                let started_by = if !service.enabled {
                    match service.field("enable") {
                        Some(_) => "disabled".to_string(),
                        None => "disabled (enable is not set)".to_string(),
                    }
                } else if service.started_by.is_empty() && service.starters_computed() {
                    "not known statically".to_string()
                } else if service.started_by.is_empty() {
                    "not started automatically".to_string()
                } else {
                    service.started_by.join(", ")
                };
                // Services Home Manager's modules create are marked with the option.
                let description = match service.manager {
                    Manager::Systemd => service.field("Unit.Description").map(|d| d.display()),
                    Manager::Launchd => Some(format!(
                        "launchd: {}",
                        service.label.as_deref().unwrap_or("(label not known)")
                    )),
                };
                let description = match &service.origin {
                    ServiceOrigin::Written => dash(description),
                    ServiceOrigin::Module { option, .. } => match description {
                        Some(d) => format!("{d} (from {option})"),
                        None => format!("(from {option})"),
                    },
                };
                table.row(vec![
                    service.name.clone(),
                    user,
                    description,
                    started_by,
                    Location::short_of(&analysis.db, &analysis.root, service.span),
                    dash(service.condition.clone()),
                ]);
            }
            for service in completion.iter().flat_map(|c| &c.added) {
                let started_by = if service.wanted_by.is_empty() {
                    "not started automatically".to_string()
                } else {
                    service.wanted_by.join(", ")
                };
                let location = if service.files.is_empty() {
                    "(nix eval)".to_string()
                } else {
                    format!("{} (nix eval)", service.files.join(" "))
                };
                let user = user_label(inventory, &service.user, service.host.as_deref());
                table.row(vec![
                    service.name.clone(),
                    user,
                    dash(service.description.clone()),
                    started_by,
                    location,
                    "-".to_string(),
                ]);
            }
            write_table(
                out,
                &table,
                "no systemd user services or launchd agents found",
            )?;
            write_not_evaluated(out, completion.as_ref())?;
            write_dynamic(out, &analysis, &dynamic)?;
        }
    }
    let code = finish(&analysis, &problems, args.inventory.format);
    target::keep_until_exit(analysis);
    Ok(code)
}

/// A JSON document with Nix's completion under `evaluated`, when asked for.
#[derive(serde::Serialize)]
struct WithEvaluated<'a, D, T> {
    #[serde(flatten)]
    document: D,
    #[serde(skip_serializing_if = "Option::is_none")]
    evaluated: Option<&'a evaluated::Completion<T>>,
}

fn with_evaluated<D, T>(
    document: D,
    completion: &Option<evaluated::Completion<T>>,
) -> WithEvaluated<'_, D, T> {
    WithEvaluated {
        document,
        evaluated: completion.as_ref(),
    }
}

/// What the static model found and Nix does not define.
fn write_not_evaluated<T>(
    out: &mut impl Write,
    completion: Option<&evaluated::Completion<T>>,
) -> Result<()> {
    let Some(completion) = completion.filter(|c| !c.not_evaluated.is_empty()) else {
        return Ok(());
    };
    writeln!(
        out,
        "\nfound statically, but not defined when Nix evaluates it ({}):",
        completion.not_evaluated.len()
    )
    .into_diagnostic()?;
    for name in &completion.not_evaluated {
        writeln!(out, "  {}", escape_line(name)).into_diagnostic()?;
    }
    Ok(())
}

/// A user as the services table names it: with its host (`alice@desk`) when the name is
/// configured on several hosts.
fn user_label(inventory: &hm_model::Inventory, user: &str, host: Option<&str>) -> String {
    let mut configured = inventory.users.iter().filter(|u| u.name == user);
    match host {
        Some(host) if configured.next().is_some() && configured.next().is_some() => {
            format!("{user}@{host}")
        }
        _ => user.to_string(),
    }
}

/// Whether `--user arg` names this user: its name, or `name@host` for a host's user.
fn names_user(arg: &str, user: &str, host: Option<&str>) -> bool {
    arg == user
        || host.is_some_and(|host| {
            arg.strip_prefix(user)
                .and_then(|rest| rest.strip_prefix('@'))
                == Some(host)
        })
}

fn dash(value: Option<String>) -> String {
    value
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "-".to_string())
}

pub fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).into_diagnostic()?;
    writeln!(out).into_diagnostic()
}

fn write_table(out: &mut impl Write, table: &Table, empty: &str) -> Result<()> {
    if table.is_empty() {
        writeln!(out, "{empty}").into_diagnostic()
    } else {
        table.write(out).into_diagnostic()
    }
}

/// Lists what could not be decided statically, so nothing is silently missing.
fn write_dynamic(out: &mut impl Write, analysis: &Analysis, dynamic: &[&Dynamic]) -> Result<()> {
    if dynamic.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nnot statically known ({}):", dynamic.len()).into_diagnostic()?;
    // Each part escaped and cut to the width, like table cells.
    let width = terminal::stdout_width();
    for d in dynamic {
        let at = d.span.map_or_else(
            || "-".to_string(),
            |s| Location::short_of(&analysis.db, &analysis.root, s),
        );
        let user = d
            .user
            .as_ref()
            .map(|u| format!(" of {u}"))
            .unwrap_or_default();
        let cell = |text: &str| truncate(&escape_line(text), width).into_owned();
        let (defines, user, reason) = (cell(d.defines), cell(&user), cell(&d.reason));
        writeln!(out, "  {at}: {defines}{user}: {reason}").into_diagnostic()?;
    }
    Ok(())
}
