use std::collections::HashSet;
use std::path::{Path, PathBuf};

use hm_model::{Analysis, Problem, ProblemKind};
use nix_source::{FileId, Span};

/// The files git tracks in the work tree around a flake: flakes see only those.
#[derive(Debug, Clone)]
pub struct GitTracked {
    pub root: PathBuf,
    /// Absolute paths.
    pub files: HashSet<PathBuf>,
}

/// What the rules read.
pub struct Context<'a> {
    pub analysis: &'a Analysis,
    /// Present when the entry is a flake inside a git work tree.
    pub git: Option<&'a GitTracked>,
}

impl<'a> Context<'a> {
    pub fn new(analysis: &'a Analysis, git: Option<&'a GitTracked>) -> Self {
        Self { analysis, git }
    }

    /// The source text at `span`.
    pub fn text(&self, span: Span) -> &'a str {
        let file = self.analysis.db.file(span.file);
        file.text.get(span.range.as_usize()).unwrap_or("")
    }

    pub fn path(&self, file: FileId) -> &'a Path {
        &self.analysis.db.file(file).path
    }

    /// `path` as shown to the user.
    pub fn display(&self, file: FileId) -> String {
        hm_diagnostics::display_path(&self.analysis.root, self.path(file))
    }

    pub fn problems(&self, kind: ProblemKind) -> impl Iterator<Item = &'a Problem> + 'a {
        self.analysis
            .inventory
            .problems
            .iter()
            .filter(move |p| p.kind == kind)
    }

    /// The systemd user services Home Manager writes units for: not those of users on
    /// macOS, where its `systemd.user.enable` is off and no unit is written (HM214 says
    /// so once; a Linux user sharing the module still has each checked).
    pub fn unit_services(&self) -> impl Iterator<Item = &'a hm_model::Service> + 'a {
        self.analysis
            .inventory
            .systemd_services()
            .filter(|s| !s.darwin)
    }

    /// The first place `needle` is written inside `span`.
    pub fn find_in(&self, span: Span, needle: &str) -> Option<Span> {
        let offset = self.text(span).find(needle)? as u32;
        let start = span.range.start + offset;
        Some(Span::new(
            span.file,
            nix_source::TextRange::new(start, start + needle.len() as u32),
        ))
    }

    /// A problem's message with paths relative to the analysed directory.
    pub fn relative(&self, message: &str) -> String {
        message.replace(&format!("{}/", self.analysis.root.display()), "")
    }
}
