//! What a switch changes, shown before activating and by `hm diff`: a unified diff of
//! every file of the generation that changes, the units a running user manager will start,
//! restart or stop (timers as timers), and the package changes `nix store diff-closures`
//! reports.

use std::io::{self, Read, Write};
use std::path::Path;

use hm_diagnostics::text::escape;
use miette::{IntoDiagnostic, Result};
use nix_driver::{ChangeKind, FileChange, Nix, Plan, changed_files, user_manager_running};
use owo_colors::OwoColorize;
use similar::{ChangeTag, TextDiff};

use crate::terminal;

/// Files larger than this are named, not diffed.
const MAX_DIFF_BYTES: u64 = 1 << 20;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// Colour on a terminal without `NO_COLOR`, as everywhere else in hm.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub colour: bool,
}

#[derive(Clone, Copy)]
enum Paint {
    Header,
    Hunk,
    Removed,
    Added,
}

impl Style {
    pub fn stdout() -> Self {
        Self {
            colour: terminal::stdout_options().colour,
        }
    }

    fn paint(self, text: &str, paint: Paint) -> String {
        if !self.colour {
            return text.to_string();
        }
        match paint {
            Paint::Header => text.bold().to_string(),
            Paint::Hunk => text.cyan().to_string(),
            Paint::Removed => text.red().to_string(),
            Paint::Added => text.green().to_string(),
        }
    }
}

/// A file's content as far as a diff can show it.
enum Content {
    Text(String),
    Binary,
    TooLarge(u64),
    Unreadable(String),
}

fn read(path: &Path) -> Content {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return Content::Unreadable(e.to_string()),
    };
    match file.metadata() {
        Ok(meta) if meta.len() > MAX_DIFF_BYTES => return Content::TooLarge(meta.len()),
        Ok(meta) if !meta.is_file() => return Content::Unreadable("not a file".into()),
        Ok(_) => {}
        Err(e) => return Content::Unreadable(e.to_string()),
    }
    let mut bytes = Vec::new();
    if let Err(e) = file.take(MAX_DIFF_BYTES + 1).read_to_end(&mut bytes) {
        return Content::Unreadable(e.to_string());
    }
    if bytes.contains(&0) {
        return Content::Binary;
    }
    String::from_utf8(bytes).map_or(Content::Binary, Content::Text)
}

/// The plan before activating `new` over `old` (the generation `$HOME` has): the files
/// that change, the units a running user manager will start, restart or stop (none when
/// no user manager runs: then nothing starts them), and the package changes.
pub fn show(
    nix: &Nix,
    old: Option<&Path>,
    new: &Path,
    plan: &Plan,
    out: &mut impl Write,
) -> Result<()> {
    write_file_diffs(old, new, Style::stdout(), out).into_diagnostic()?;
    if user_manager_running() {
        write_units(plan, out).into_diagnostic()?;
    }
    if let Some(old) = old.filter(|old| *old != new) {
        write_packages(nix, old, new, out)?;
    }
    Ok(())
}

/// Writes a unified diff of every file that changes from `old` to `new` (without `old`,
/// the names of `new`'s files); returns how many files change.
pub fn write_file_diffs(
    old: Option<&Path>,
    new: &Path,
    style: Style,
    out: &mut impl Write,
) -> io::Result<usize> {
    let changes = changed_files(old, new);
    for change in &changes {
        if old.is_none() {
            writeln!(out, "new file: {}", escape(&change.path.to_string_lossy()))?;
        } else {
            write_file_diff(old, new, change, style, out)?;
        }
    }
    Ok(changes.len())
}

fn write_file_diff(
    old: Option<&Path>,
    new: &Path,
    change: &FileChange,
    style: Style,
    out: &mut impl Write,
) -> io::Result<()> {
    let rel = escape(&change.path.to_string_lossy()).into_owned();
    let (a, b) = (format!("a/{rel}"), format!("b/{rel}"));
    let none = "/dev/null".to_string();
    let empty = || Content::Text(String::new());
    let (a_name, old_content) = match (change.kind, old) {
        (ChangeKind::Added, _) | (_, None) => (none.clone(), empty()),
        (_, Some(old)) => (a, read(&change.in_generation(old))),
    };
    let (b_name, new_content) = match change.kind {
        ChangeKind::Removed => (none, empty()),
        _ => (b, read(&change.in_generation(new))),
    };
    let (old_text, new_text) = match (old_content, new_content) {
        (Content::Text(old), Content::Text(new)) => (old, new),
        (Content::TooLarge(size), _) | (_, Content::TooLarge(size)) => {
            return writeln!(out, "{rel}: changed (too large to show: {size} bytes)");
        }
        (Content::Unreadable(why), _) | (_, Content::Unreadable(why)) => {
            return writeln!(out, "{rel}: changed (cannot read it: {why})");
        }
        _ => return writeln!(out, "Binary files {a_name} and {b_name} differ"),
    };
    writeln!(
        out,
        "{}",
        style.paint(&format!("--- {a_name}"), Paint::Header)
    )?;
    writeln!(
        out,
        "{}",
        style.paint(&format!("+++ {b_name}"), Paint::Header)
    )?;
    let diff = TextDiff::from_lines(&old_text, &new_text);
    for hunk in diff.unified_diff().context_radius(CONTEXT).iter_hunks() {
        writeln!(
            out,
            "{}",
            style.paint(&hunk.header().to_string(), Paint::Hunk)
        )?;
        for line in hunk.iter_changes() {
            let (sign, paint) = match line.tag() {
                ChangeTag::Delete => ('-', Some(Paint::Removed)),
                ChangeTag::Insert => ('+', Some(Paint::Added)),
                ChangeTag::Equal => (' ', None),
            };
            let value = line.value();
            let text = format!(
                "{sign}{}",
                escape(value.strip_suffix('\n').unwrap_or(value))
            );
            match paint {
                Some(paint) => writeln!(out, "{}", style.paint(&text, paint))?,
                None => writeln!(out, "{text}")?,
            }
            if line.missing_newline() {
                writeln!(out, "\\ No newline at end of file")?;
            }
        }
    }
    Ok(())
}

/// What kind of unit a unit file is, for the plan's headings.
fn unit_kind(unit: &str) -> &'static str {
    match unit.rsplit_once('.').map(|(_, kind)| kind) {
        Some("service") => "services",
        Some("timer") => "timers",
        Some("socket") => "sockets",
        Some("path") => "paths",
        Some("target") => "targets",
        _ => "units",
    }
}

/// `services to start: a.service`, `timers to start: b.timer`, … for the units `plan`
/// changes. Only meaningful when a user manager runs: the caller decides.
pub fn write_units(plan: &Plan, out: &mut impl Write) -> io::Result<()> {
    for (verb, units) in [
        ("start", &plan.start),
        ("restart", &plan.restart),
        ("stop", &plan.stop),
    ] {
        let kinds: std::collections::BTreeSet<&str> = units.iter().map(|u| unit_kind(u)).collect();
        for kind in kinds {
            let names: Vec<String> = units
                .iter()
                .filter(|u| unit_kind(u) == kind)
                .map(|u| escape(u).into_owned())
                .collect();
            writeln!(out, "{kind} to {verb}: {}", names.join(", "))?;
        }
    }
    Ok(())
}

/// `packages:` and what `nix store diff-closures old new` prints, or why it could not
/// say. Nothing when no package changes.
pub fn write_packages(nix: &Nix, old: &Path, new: &Path, out: &mut impl Write) -> Result<()> {
    let command = nix.diff_closures(old, new);
    match command.run() {
        Ok(done) if done.success() => {
            let text = String::from_utf8_lossy(&done.stdout);
            let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
            if !lines.is_empty() {
                writeln!(out, "packages:").into_diagnostic()?;
                for line in lines {
                    writeln!(out, "  {}", escape(line)).into_diagnostic()?;
                }
            }
        }
        Ok(done) => {
            let why = done.stderr.lines().find(|l| !l.trim().is_empty());
            writeln!(
                out,
                "packages: `{}` failed{}",
                command.display(),
                why.map(|w| format!(": {}", escape(w))).unwrap_or_default()
            )
            .into_diagnostic()?;
        }
        Err(e) => writeln!(out, "packages: {e}").into_diagnostic()?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_grouped_by_kind() {
        let plan = Plan {
            start: vec!["a.service".into(), "b.timer".into(), "c.service".into()],
            stop: vec!["d.socket".into()],
            ..Plan::default()
        };
        let mut out = Vec::new();
        write_units(&plan, &mut out).expect("write");
        assert_eq!(
            String::from_utf8_lossy(&out),
            "services to start: a.service, c.service\ntimers to start: b.timer\nsockets to stop: d.socket\n"
        );
    }

    #[test]
    fn file_diffs_are_unified_and_escaped() {
        let root = tempfile::tempdir().expect("tempdir");
        let write = |generation: &str, rel: &str, text: &[u8]| {
            let path = root.path().join(generation).join("home-files").join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        };
        write("old", ".gitconfig", b"[user]\n  name = A\n  email = a@x\n");
        write("new", ".gitconfig", b"[user]\n  name = B\n  email = a@x\n");
        write("old", ".bin", b"\0a");
        write("new", ".bin", b"\0b");
        write("new", ".new", b"\x1b[31mred");
        let mut out = Vec::new();
        let count = write_file_diffs(
            Some(&root.path().join("old")),
            &root.path().join("new"),
            Style { colour: false },
            &mut out,
        )
        .expect("write");
        assert_eq!(count, 3);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "Binary files a/.bin and b/.bin differ\n\
             --- a/.gitconfig\n+++ b/.gitconfig\n@@ -1,3 +1,3 @@\n [user]\n-  name = A\n+  name = B\n   email = a@x\n\
             --- /dev/null\n+++ b/.new\n@@ -0,0 +1 @@\n+\\u{1b}[31mred\n\\ No newline at end of file\n"
        );
    }
}
