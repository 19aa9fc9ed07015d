//! `hm diff [FROM] [TO]`: what changes between two generations (the plan `hm switch`
//! shows), then the files applications changed in `$HOME` since the last switch;
//! `hm diff --adopt FILE` prints how to keep such a file in the configuration.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hm_diagnostics::Location;
use hm_diagnostics::text::escape;
use miette::{IntoDiagnostic, Result, miette};
use nix_driver::{DriftKind, Generation, Nix, drift, unit_plan};

use crate::cli::{DiffArgs, Target};
use crate::plan::{Style, write_file_diffs, write_packages, write_units};
use crate::switch::Context;

pub fn run(args: &DiffArgs, out: &mut impl Write) -> Result<ExitCode> {
    let cx = Context::for_user()?;
    if let Some(file) = &args.adopt {
        return adopt(&cx, file, args.flake.clone(), out);
    }
    let generations = cx.profile.generations();
    let find = |id: u64| {
        generations.iter().find(|g| g.id == id).ok_or_else(|| {
            miette!(
                code = "hm::no-such-generation",
                help = "`hm generations` lists them",
                "there is no generation {id} in {}",
                cx.profile.path.display()
            )
        })
    };
    let current = generations.iter().find(|g| g.current);
    let (from, to) = match (args.from, args.to) {
        (Some(from), Some(to)) => (find(from)?, find(to)?),
        (Some(from), None) => (find(from)?, current.ok_or_else(no_current)?),
        (None, _) => {
            let to = current.ok_or_else(no_current)?;
            let previous = generations
                .iter()
                .filter(|g| g.id < to.id)
                .max_by_key(|g| g.id);
            let Some(previous) = previous else {
                writeln!(
                    out,
                    "generation {} is the first one; there is nothing before it to compare",
                    to.id
                )
                .into_diagnostic()?;
                if let Some(active) = cx.active() {
                    write_drift(&active, &cx.home, out)?;
                }
                return Ok(ExitCode::SUCCESS);
            };
            (previous, to)
        }
    };
    let (old, new) = (store_path(from), store_path(to));
    writeln!(out, "generation {} -> generation {}", from.id, to.id).into_diagnostic()?;
    let changed = write_file_diffs(Some(&old), &new, Style::stdout(), out).into_diagnostic()?;
    if changed == 0 {
        writeln!(out, "no file changes").into_diagnostic()?;
    }
    write_units(&unit_plan(Some(&old), &new), out).into_diagnostic()?;
    write_packages(&Nix::default(), &old, &new, out)?;
    if let Some(active) = cx.active() {
        write_drift(&active, &cx.home, out)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn no_current() -> miette::Report {
    miette!(
        code = "hm::no-generation",
        help = "switch once with `hm switch`",
        "there is no current generation"
    )
}

fn store_path(generation: &Generation) -> PathBuf {
    generation
        .path
        .canonicalize()
        .unwrap_or_else(|_| generation.path.clone())
}

/// `~/rel` for messages.
fn tilde(rel: &Path) -> String {
    format!("~/{}", escape(&rel.to_string_lossy()))
}

fn write_drift(active: &Path, home: &Path, out: &mut impl Write) -> Result<()> {
    let drifted = drift(active, home);
    if drifted.is_empty() {
        return Ok(());
    }
    writeln!(out, "changed in $HOME since the last switch:").into_diagnostic()?;
    for d in &drifted {
        let what = match &d.kind {
            DriftKind::ReplacedByFile => "a file of its own replaced the link".to_string(),
            DriftKind::LinksElsewhere(to) => {
                format!("links to {}", escape(&to.to_string_lossy()))
            }
            DriftKind::Missing => "removed".to_string(),
        };
        writeln!(out, "  {}: {what}", tilde(&d.path)).into_diagnostic()?;
    }
    writeln!(
        out,
        "keep a change with `hm diff --adopt FILE`; `hm switch -b backup` puts the links back"
    )
    .into_diagnostic()?;
    Ok(())
}

/// How to keep `file`, which an application changed since the last switch, in the
/// configuration: copy it next to the configuration and link it with `home.file`.
fn adopt(
    cx: &Context,
    file: &Path,
    config: Option<PathBuf>,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let file = std::path::absolute(file).into_diagnostic()?;
    let rel = file.strip_prefix(&cx.home).map_err(|_| {
        miette!(
            code = "hm::not-in-home",
            "{} is not in $HOME ({})",
            file.display(),
            cx.home.display()
        )
    })?;
    let active = cx.active().ok_or_else(no_current)?;
    let Some(found) = drift(&active, &cx.home).into_iter().find(|d| d.path == rel) else {
        return Err(miette!(
            code = "hm::nothing-to-adopt",
            help = "`hm diff` lists the files applications changed since the last switch",
            "{} is not a file of the active generation that changed since the last switch",
            tilde(rel)
        ));
    };
    let config = crate::target::resolve(&Target { path: config })?;
    let config = if config.is_file() {
        config.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        config
    };
    match found.kind {
        DriftKind::ReplacedByFile => {
            let written = written_at(&config, rel);
            // Next to the file that defines it, so `./dotfiles/…` is right there.
            let dir = written
                .as_ref()
                .map_or(config.as_path(), |w| w.dir.as_path());
            let copy = Path::new("dotfiles").join(rel);
            let quoted = |path: &Path| nix_driver::quote(&path.to_string_lossy());
            let destination = dir.join(&copy);
            writeln!(
                out,
                "{} is now a file of its own. To keep it, copy it into your configuration:\n\n  mkdir -p {}\n  cp {} {}\n  git -C {} add {}\n",
                tilde(rel),
                quoted(destination.parent().unwrap_or(dir)),
                quoted(&file),
                quoted(&destination),
                quoted(dir),
                quoted(&copy),
            )
            .into_diagnostic()?;
            let source = nix_path(&copy.to_string_lossy());
            match written {
                Some(written) => writeln!(
                    out,
                    "and make the option that writes it read that file: `{}` ({}) becomes\n\n  {}.source = {source};\n",
                    written.option,
                    written.location,
                    written.entry
                ),
                None => writeln!(
                    out,
                    "and make the option that writes it read that file (hm cannot tell statically which one does); for a `home.file` entry, in a module in {}:\n\n  home.file.{}.source = {source};\n",
                    config.display(),
                    nix_string(&rel.to_string_lossy())
                ),
            }
            .into_diagnostic()?;
            writeln!(
                out,
                "then `hm switch -b backup` links it again (the file in $HOME is kept as FILE.backup)."
            )
            .into_diagnostic()?;
        }
        DriftKind::LinksElsewhere(target) => {
            let entry = written_at(&config, rel).map_or_else(
                || format!("home.file.{}", nix_string(&rel.to_string_lossy())),
                |w| w.entry,
            );
            writeln!(
                out,
                "{} now links to {}. To keep that link, make the configuration write it:\n\n  {entry}.source = config.lib.file.mkOutOfStoreSymlink {};\n\nthen `hm switch -b backup`.",
                tilde(rel),
                escape(&target.to_string_lossy()),
                nix_string(&target.to_string_lossy()),
            )
            .into_diagnostic()?;
        }
        DriftKind::Missing => {
            writeln!(
                out,
                "{} was removed; there is nothing to adopt. To stop managing it, remove the option that writes it; `hm switch` otherwise puts it back.",
                tilde(rel)
            )
            .into_diagnostic()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Where the configuration defines the file `rel` of `$HOME`.
struct Written {
    /// The option as written, e.g. `xdg.configFile."git/config".text`.
    option: String,
    /// `file:line:column`.
    location: String,
    /// The file's entry, e.g. `xdg.configFile."git/config"`.
    entry: String,
    /// The directory of the file that defines it.
    dir: PathBuf,
}

/// The `home.file`/`xdg.*File` definition of `rel` in the configuration at `config`,
/// found statically (XDG directories at their defaults), if any.
fn written_at(config: &Path, rel: &Path) -> Option<Written> {
    let analysis = hm_model::analyse(config).ok()?;
    let rel = rel.to_string_lossy();
    let prefixes = [
        (["home", "file"], ""),
        (["xdg", "configFile"], ".config/"),
        (["xdg", "dataFile"], ".local/share/"),
        (["xdg", "stateFile"], ".local/state/"),
        (["xdg", "cacheFile"], ".cache/"),
    ];
    analysis.inventory.option_definitions.iter().find_map(|d| {
        let [a, b, name, ..] = &*d.path else {
            return None;
        };
        let (namespace, dir) = prefixes
            .iter()
            .find(|(p, _)| p[0] == &**a && p[1] == &**b)?;
        let name = name.trim_start_matches("./");
        let matches = format!("{dir}{name}") == rel
            || (namespace[0] == "home"
                && name.starts_with('/')
                && name.ends_with(&format!("/{rel}")));
        matches.then(|| {
            let entry = format!("{a}.{b}.{}", nix_string(name));
            let rest: Vec<&str> = d.path[3..].iter().map(|n| &**n).collect();
            Written {
                option: if rest.is_empty() {
                    entry.clone()
                } else {
                    format!("{entry}.{}", rest.join("."))
                },
                location: Location::new(&analysis.db, &analysis.root, d.span).short(),
                entry,
                dir: analysis
                    .db
                    .file(d.span.file)
                    .path
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
            }
        })
    })
}

/// `text` as a Nix string literal.
fn nix_string(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("${", "\\${")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}

/// `./rel` as a Nix path literal, or `./. + "/rel"` when `rel` holds characters a path
/// literal cannot.
fn nix_path(rel: &str) -> String {
    let literal = rel
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-+/".contains(c));
    if literal {
        format!("./{rel}")
    } else {
        format!("(./. + {})", nix_string(&format!("/{rel}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nix_literals() {
        assert_eq!(nix_string("a\"${b}"), "\"a\\\"\\${b}\"");
        assert_eq!(nix_path("dotfiles/.config/x"), "./dotfiles/.config/x");
        assert_eq!(nix_path("dotfiles/a b"), "(./. + \"/dotfiles/a b\")");
    }
}
