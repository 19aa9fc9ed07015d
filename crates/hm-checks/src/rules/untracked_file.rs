use hm_diagnostics::{Diagnostic, Severity};
use hm_model::EntryKind;
use nix_source::FileId;

use super::ERROR;
use crate::{Context, Docs, Rule};

pub struct UntrackedFile;

impl Rule for UntrackedFile {
    fn code(&self) -> &'static str {
        "HM105"
    }
    fn name(&self) -> &'static str {
        "untracked-file"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A file the flake uses that git does not track, in a flake inside a git repository.",
            why: "Nix copies only the files git tracks into the store before evaluating a flake, so an untracked file is \"missing\" to Nix although it is on disk.",
            example: "$ echo '{ }' > programs/new.nix   # imported by home.nix, but never `git add`ed\n# fix: git add programs/new.nix",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let (Some(git), EntryKind::Flake) = (cx.git, cx.analysis.entry_kind) else {
            return;
        };
        for (id, file) in cx.analysis.db.files() {
            if !file.path.starts_with(&git.root) || git.files.contains(&file.path) {
                continue;
            }
            let name = cx.display(id);
            let relative = file
                .path
                .strip_prefix(&git.root)
                .unwrap_or(&file.path)
                .display()
                .to_string();
            let message = format!("{name} is not tracked by git, so the flake cannot see it");
            let help = format!("flakes only see files tracked by git: git add {relative}");
            let diagnostic = match imported_at(cx, id) {
                Some(span) => {
                    Diagnostic::new(self.code(), self.severity(), message).at(span, "used here")
                }
                None => {
                    let start = nix_source::Span::new(id, nix_source::TextRange::new(0, 0));
                    Diagnostic::new(self.code(), self.severity(), message).at(start, "this file")
                }
            };
            out.push(diagnostic.help(help));
        }
    }
}

fn imported_at(cx: &Context, file: FileId) -> Option<nix_source::Span> {
    cx.analysis
        .inventory
        .imports
        .iter()
        .find(|i| i.to == file)
        .map(|i| i.span)
}
