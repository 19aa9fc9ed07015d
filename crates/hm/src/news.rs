//! `hm news`: the news entries of Home Manager's modules that concern the configuration,
//! as `home-manager news` shows them. They come from evaluation: `nix build` of the
//! user's `news.json.output`; which were read is kept where the home-manager CLI keeps it,
//! so both agree.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use hm_diagnostics::text::escape;
use hm_model::UserKind;
use miette::{IntoDiagnostic, Result, miette};
use nix_driver::{FlakeRef, News, Nix, format_entry, mark_read, read_ids, read_ids_path};

use crate::build::{self, Selected};
use crate::cli::NewsArgs;
use crate::environment;

/// The flake attribute of the user's news file.
fn news_attribute(selected: &Selected) -> String {
    match selected.kind {
        UserKind::Standalone => format!("{}.config.news.json.output", selected.configuration),
        _ => format!("{}.news.json.output", selected.configuration),
    }
}

/// The user's news, where their read ids are kept, and which were read.
struct Loaded {
    news: News,
    ids_path: PathBuf,
    read: std::collections::BTreeSet<String>,
}

/// Builds the user's `news.json.output` (`attribute` of `flake`) and reads it.
fn load(nix: &Nix, flake: &FlakeRef, attribute: &str) -> Result<Loaded> {
    // The result link keeps the file from garbage collection while it is read.
    let dir = tempfile::tempdir().into_diagnostic()?;
    let command = nix.build(flake, attribute, &dir.path().join("news.json"));
    let built = command.run_checked().map_err(|e| {
        miette!(
            code = "hm::news",
            help = "the news come from Home Manager's modules (`news.json.output`)",
            "cannot build the news: {e}"
        )
    })?;
    let path = Nix::built_path(&built.stdout)
        .ok_or_else(|| miette!("`{}` printed no output path", command.display()))?;
    let news = News::read(&path).map_err(|e| miette!(code = "hm::news", "{e}"))?;
    let home = environment::home()?;
    let xdg_data_home = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let ids_path = read_ids_path(&home, xdg_data_home.as_deref());
    let read = read_ids(&ids_path);
    Ok(Loaded {
        news,
        ids_path,
        read,
    })
}

/// What to build for the news notice after a switch: the flake and the attribute.
pub fn target(selected: &Selected) -> (FlakeRef, String) {
    (selected.flake.clone(), news_attribute(selected))
}

/// After a switch, as the home-manager CLI does: how many relevant news are unread, and
/// how to read them. A failure to build them is one line; it never fails the switch.
pub fn notice(nix: &Nix, flake: &FlakeRef, attribute: &str) {
    match load(nix, flake, attribute) {
        Ok(loaded) => {
            let unread = loaded
                .news
                .relevant()
                .into_iter()
                .filter(|e| !loaded.read.contains(&e.id))
                .count();
            if unread > 0 {
                let items = if unread == 1 { "item" } else { "items" };
                eprintln!(
                    "hm: there {} {unread} unread and relevant news {items}; read {} with `hm news`",
                    if unread == 1 { "is" } else { "are" },
                    if unread == 1 { "it" } else { "them" }
                );
            }
        }
        Err(e) => eprintln!("hm: note: the news could not be read: {e}"),
    }
}

pub fn run(args: &NewsArgs, out: &mut impl Write) -> Result<ExitCode> {
    let selected = match build::select_and_check(&args.selection)? {
        Ok(selected) => selected,
        Err(code) => return Ok(code),
    };
    let Loaded {
        news,
        ids_path,
        read,
    } = load(&Nix::default(), &selected.flake, &news_attribute(&selected))?;
    let shown: Vec<_> = news
        .relevant()
        .into_iter()
        .filter(|e| !args.unread || !read.contains(&e.id))
        .collect();
    if shown.is_empty() {
        let what = if args.unread { "unread news" } else { "news" };
        writeln!(out, "no {what} for this configuration").into_diagnostic()?;
    }
    for (i, entry) in shown.iter().enumerate() {
        if i > 0 {
            writeln!(out).into_diagnostic()?;
        }
        let text = format_entry(entry, read.contains(&entry.id));
        write!(out, "{}", escape(&text)).into_diagnostic()?;
    }
    mark_read(&ids_path, news.entries.iter().map(|e| e.id.as_str())).map_err(|e| {
        miette!(
            "cannot record the news as read in {}: {e}",
            ids_path.display()
        )
    })?;
    Ok(ExitCode::SUCCESS)
}
