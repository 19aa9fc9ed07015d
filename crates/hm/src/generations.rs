//! `hm generations`, `hm generations remove`, `hm rollback`.

use std::io::Write;
use std::process::ExitCode;

use miette::{IntoDiagnostic, Result, miette};
use nix_driver::activation::specialisations;
use nix_driver::{Generation, Nix, Profile};
use serde::Serialize;

use crate::cli::{Activation, Format, GenerationsAction, GenerationsArgs, RollbackArgs};
use crate::render::table::Table;
use crate::{inventory::write_json, switch};

fn profile() -> Result<Profile> {
    Ok(switch::Context::for_user()?.profile)
}

#[derive(Serialize)]
struct JsonGeneration {
    id: u64,
    path: String,
    /// Seconds since the Unix epoch.
    created: Option<u64>,
    current: bool,
    /// Names usable with `hm switch -c NAME`.
    specialisations: Vec<String>,
}

fn json(generation: &Generation) -> JsonGeneration {
    JsonGeneration {
        id: generation.id,
        path: generation.path.display().to_string(),
        created: generation
            .created
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs()),
        current: generation.current,
        specialisations: specialisations(&generation.path),
    }
}

pub fn run(args: &GenerationsArgs, out: &mut impl Write) -> Result<ExitCode> {
    let profile = profile()?;
    let generations = profile.generations();
    if let Some(GenerationsAction::Remove { ids }) = &args.action {
        return remove(&profile, &generations, ids, out);
    }
    match args.format {
        Format::Json => {
            let list: Vec<JsonGeneration> = generations.iter().map(json).collect();
            write_json(
                out,
                &serde_json::json!({ "schema": "hm.generations/v1", "generations": list }),
            )?;
        }
        Format::Table => {
            if generations.is_empty() {
                writeln!(out, "no generations in {}", profile.path.display()).into_diagnostic()?;
                return Ok(ExitCode::SUCCESS);
            }
            let mut table = Table::new(vec!["ID", "CREATED", "PATH", "SPECIALISATIONS", ""]);
            for generation in generations.iter().rev() {
                let listed = json(generation);
                let created = listed.created.map_or_else(|| "-".to_string(), format_time);
                let marker = if generation.current { "(current)" } else { "" };
                let specialisations = if listed.specialisations.is_empty() {
                    "-".to_string()
                } else {
                    listed.specialisations.join(" ")
                };
                table.row(vec![
                    generation.id.to_string(),
                    created,
                    generation.path.display().to_string(),
                    specialisations,
                    marker.to_string(),
                ]);
            }
            table.write(out).into_diagnostic()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `hm remove-generations ID…`.
pub fn remove_ids(ids: &[u64], out: &mut impl Write) -> Result<ExitCode> {
    let profile = profile()?;
    let generations = profile.generations();
    remove(&profile, &generations, ids, out)
}

fn remove(
    profile: &Profile,
    generations: &[Generation],
    ids: &[u64],
    out: &mut impl Write,
) -> Result<ExitCode> {
    for id in ids {
        match generations.iter().find(|g| g.id == *id) {
            None => {
                return Err(miette!(
                    code = "hm::no-such-generation",
                    "there is no generation {id}"
                ));
            }
            Some(g) if g.current => {
                return Err(miette!(
                    code = "hm::current-generation",
                    help = "switch or roll back to another generation first",
                    "generation {id} is the current one"
                ));
            }
            Some(_) => {}
        }
    }
    profile
        .delete_generations(&Nix::default(), ids)
        .run_checked()
        .map_err(|e| miette!("{e}"))?;
    writeln!(
        out,
        "removed generation{} {}",
        if ids.len() == 1 { "" } else { "s" },
        join(ids)
    )
    .into_diagnostic()?;
    Ok(ExitCode::SUCCESS)
}

pub fn rollback(args: &RollbackArgs, out: &mut impl Write) -> Result<ExitCode> {
    rollback_to(args.generation, &args.activation, out)
}

/// `hm rollback [ID]` and `hm switch --rollback`.
pub fn rollback_to(
    generation: Option<u64>,
    activation: &Activation,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let session = switch::Session::start(out)?;
    let cx = &session.context;
    let profile = &cx.profile;
    let generations = profile.generations();
    let current = generations.iter().find(|g| g.current);
    let target = match generation {
        Some(id) => generations.iter().find(|g| g.id == id),
        None => current.and_then(|c| generations.iter().rev().find(|g| g.id < c.id)),
    };
    let Some(target) = target else {
        return Err(miette!(
            code = "hm::no-such-generation",
            help = "`hm generations` lists them",
            "{}",
            match generation {
                Some(id) => format!("there is no generation {id}"),
                None => "there is no generation before the current one".to_string(),
            }
        ));
    };
    // The profile may say `target` while $HOME holds another generation (a switch that
    // failed half-way, or hm killed before recording): then re-activate it anyway.
    let target_path = target.path.canonicalize().unwrap_or(target.path.clone());
    if target.current && cx.active().as_ref() == Some(&target_path) {
        writeln!(out, "generation {} is already current", target.id).into_diagnostic()?;
        return Ok(ExitCode::SUCCESS);
    }
    let nix = Nix::default();
    let switch = switch::Switch {
        session: &session,
        nix: &nix,
        options: activation,
    };
    switch.activate(&target.path, None, switch::Record::Existing(target.id), out)
}

/// `hm expire-generations TIMESTAMP`: removes the generations made at or before the
/// time `date -d TIMESTAMP` names (the home-manager CLI's `find -not -newermt`), never the
/// current one.
pub fn expire(timestamp: &str, dry_run: bool, out: &mut impl Write) -> Result<ExitCode> {
    let date = nix_driver::Command::new("date")
        .arg("-d")
        .arg(timestamp)
        .arg("+%s")
        .run_checked()
        .map_err(|e| {
            miette!(
                code = "hm::bad-timestamp",
                help = "examples: \"-30 days\", \"2024-01-01\"",
                "cannot read the time {timestamp:?}: {e}"
            )
        })?;
    let cutoff: u64 = String::from_utf8_lossy(&date.stdout)
        .trim()
        .parse()
        .map_err(|_| {
            miette!(
                code = "hm::bad-timestamp",
                "`date` did not print a time for {timestamp:?}"
            )
        })?;
    let profile = profile()?;
    let generations = profile.generations();
    let expired: Vec<u64> = generations
        .iter()
        .filter(|g| !g.current)
        .filter(|g| {
            g.created
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .is_some_and(|age| age.as_secs() <= cutoff)
        })
        .map(|g| g.id)
        .collect();
    if expired.is_empty() {
        writeln!(out, "no generations to expire").into_diagnostic()?;
        return Ok(ExitCode::SUCCESS);
    }
    if dry_run {
        writeln!(out, "would remove generations {}", join(&expired)).into_diagnostic()?;
        return Ok(ExitCode::SUCCESS);
    }
    remove(&profile, &generations, &expired, out)
}

fn join(ids: &[u64]) -> String {
    ids.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `YYYY-MM-DD HH:MM:SS` UTC, without a date library.
fn format_time(secs: u64) -> String {
    let days = secs / 86_400;
    let rest = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::format_time;

    #[test]
    fn formats_utc_times() {
        assert_eq!(format_time(0), "1970-01-01 00:00:00");
        assert_eq!(format_time(1_795_550_400), "2026-11-24 20:00:00");
    }
}
