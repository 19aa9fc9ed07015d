//! The progress line of a Nix build. hm asks Nix for its `internal-json` log and draws one
//! line on stderr — derivations built, paths and bytes downloaded, the derivation being
//! built and its phase — with Nix's messages printed above it as Nix prints them (and,
//! with `-L`, each build log line as `name> line`). Nix's error is held back, as for the
//! plain log, to be reported once (`nix_run::failure`).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use hm_diagnostics::text::{escape_line, truncate};
use nix_driver::{BuildLog, Command, Count, LogEvent, Progress};

use crate::cli::Selection;

/// When to draw the progress line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum When {
    /// On a terminal.
    #[default]
    Auto,
    Always,
    /// Never: Nix's own log, as it prints it.
    Never,
}

/// How a build's log is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Nix's own lines, as it prints them.
    NixLog,
    /// A progress line drawn from Nix's `internal-json` log, with the build logs above
    /// it when `-L` asked for them.
    ProgressLine { build_logs: bool },
}

/// The line is drawn when asked (`always`, or `auto` with stderr on a terminal), unless
/// the user chose Nix's log format themselves.
pub fn shown(selection: &Selection) -> Shown {
    let nix = &selection.nix;
    let own_format = nix.log_format.is_some() || nix.extra.iter().any(|a| a == "--log-format");
    let wanted = match selection.progress {
        When::Always => true,
        When::Never => false,
        When::Auto => std::io::stderr().is_terminal(),
    };
    if wanted && !own_format {
        Shown::ProgressLine {
            build_logs: nix.print_build_logs,
        }
    } else {
        Shown::NixLog
    }
}

impl Shown {
    /// `command`, asking Nix for the log the progress line is drawn from (last, so it
    /// wins over `-L`'s format).
    pub fn apply(self, command: Command) -> Command {
        match self {
            Shown::NixLog => command,
            Shown::ProgressLine { .. } => command.args(["--log-format", "internal-json"]),
        }
    }
}

/// Least time between two redraws.
const REDRAW: Duration = Duration::from_millis(100);

/// Reads Nix's log and gives what to write to stderr.
pub struct ProgressLine {
    log: BuildLog,
    /// Print build log lines (`-L`).
    show_logs: bool,
    colour: bool,
    width: usize,
    /// A line is on the screen, to be cleared before anything else is written.
    drawn: bool,
    last_draw: Option<Instant>,
    /// Nix's messages as plain text, as Nix would have printed them.
    transcript: String,
    /// Nix's error started: the rest is held back.
    in_error: bool,
}

/// Moves to the start of the line and clears it.
const CLEAR: &str = "\r\x1b[K";

impl ProgressLine {
    pub fn new(show_logs: bool) -> Self {
        let options = crate::terminal::stderr_options();
        ProgressLine {
            log: BuildLog::default(),
            show_logs,
            colour: options.colour,
            width: options.width,
            drawn: false,
            last_draw: None,
            transcript: String::new(),
            in_error: false,
        }
    }

    /// Takes one line of Nix's stderr; gives what to write.
    pub fn read(&mut self, line: &str) -> String {
        let above = match self.log.read(line) {
            LogEvent::Message { level, text } => {
                let plain = anstream::adapter::strip_str(&text).to_string();
                self.in_error |= level == 0 && plain.starts_with("error:");
                self.transcript.push_str(&plain);
                self.transcript.push('\n');
                let shown = if self.colour { text } else { plain };
                (!self.in_error).then_some(shown)
            }
            LogEvent::Plain(text) => {
                self.transcript.push_str(&text);
                self.transcript.push('\n');
                (!self.in_error).then_some(text)
            }
            LogEvent::BuildLog { derivation, line } => self.show_logs.then(|| {
                let line = anstream::adapter::strip_str(&line).to_string();
                format!("{}> {}", escape_line(&derivation), escape_line(&line))
            }),
            LogEvent::Progress | LogEvent::Nothing => None,
        };
        let mut out = String::new();
        if self.in_error {
            self.clear_into(&mut out);
        } else if let Some(text) = above {
            self.clear_into(&mut out);
            out.push_str(&text);
            out.push('\n');
            self.draw_into(&mut out, true);
        } else {
            self.draw_into(&mut out, false);
        }
        out
    }

    fn clear_into(&mut self, out: &mut String) {
        if self.drawn {
            out.push_str(CLEAR);
            self.drawn = false;
        }
    }

    /// Redraws the line, at most every [`REDRAW`] unless `now`.
    fn draw_into(&mut self, out: &mut String, now: bool) {
        let due = self.last_draw.is_none_or(|at| at.elapsed() >= REDRAW);
        if self.in_error || !(now || due) {
            return;
        }
        let text = line(&self.log.progress());
        out.push_str(CLEAR);
        out.push_str(&truncate(&text, self.width.saturating_sub(1)));
        self.drawn = true;
        self.last_draw = Some(Instant::now());
    }

    /// Clears the line and says what was built and downloaded; gives Nix's messages as
    /// plain text (for the error report).
    pub fn finish(mut self) -> (String, String) {
        let mut out = String::new();
        self.clear_into(&mut out);
        if let Some(summary) = summary(&self.log.progress()) {
            out.push_str(&format!("hm: {summary}\n"));
        }
        (out, self.transcript)
    }
}

fn size(bytes: u64) -> String {
    humansize::format_size(bytes, humansize::BINARY)
}

/// `[1/3 built, 1 running, 2/5 downloaded (1.2 MiB/3.4 MiB)] building hello-2.12 (buildPhase)`.
fn line(progress: &Progress) -> String {
    let mut counts = Vec::new();
    let Count {
        done,
        expected,
        running,
        failed,
    } = progress.builds;
    if expected > 0 {
        counts.push(format!("{done}/{expected} built"));
    }
    if running > 0 {
        counts.push(format!("{running} running"));
    }
    if failed > 0 {
        counts.push(format!("{failed} failed"));
    }
    if progress.downloads.expected > 0 {
        let mut downloads = format!(
            "{}/{} downloaded",
            progress.downloads.done, progress.downloads.expected
        );
        if progress.bytes.expected > 0 {
            downloads.push_str(&format!(
                " ({}/{})",
                size(progress.bytes.done),
                size(progress.bytes.expected)
            ));
        }
        counts.push(downloads);
    }
    let doing = match &progress.building {
        Some((name, Some(phase))) => {
            format!("building {} ({})", escape_line(name), escape_line(phase))
        }
        Some((name, None)) => format!("building {}", escape_line(name)),
        None if counts.is_empty() => "evaluating".to_string(),
        None => String::new(),
    };
    match (counts.is_empty(), doing.is_empty()) {
        (true, _) => doing,
        (false, true) => format!("[{}]", counts.join(", ")),
        (false, false) => format!("[{}] {doing}", counts.join(", ")),
    }
}

/// `built 3 derivations, downloaded 2 paths (3.4 MiB)`, when anything was.
fn summary(progress: &Progress) -> Option<String> {
    let mut parts = Vec::new();
    let built = progress.builds.done;
    if built > 0 {
        parts.push(format!(
            "built {built} derivation{}",
            if built == 1 { "" } else { "s" }
        ));
    }
    let downloaded = progress.downloads.done;
    if downloaded > 0 {
        let mut part = format!(
            "downloaded {downloaded} path{}",
            if downloaded == 1 { "" } else { "s" }
        );
        if progress.bytes.done > 0 {
            part.push_str(&format!(" ({})", size(progress.bytes.done)));
        }
        parts.push(part);
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(done: u64, expected: u64, running: u64) -> Count {
        Count {
            done,
            expected,
            running,
            failed: 0,
        }
    }

    #[test]
    fn the_line_says_what_is_done_and_what_is_built() {
        assert_eq!(line(&Progress::default()), "evaluating");
        let progress = Progress {
            builds: count(1, 3, 1),
            downloads: count(2, 5, 0),
            bytes: count(1_258_291, 3_565_158, 0),
            building: Some(("hello-2.12".into(), Some("buildPhase".into()))),
        };
        assert_eq!(
            line(&progress),
            "[1/3 built, 1 running, 2/5 downloaded (1.20 MiB/3.40 MiB)] building hello-2.12 (buildPhase)"
        );
        assert_eq!(
            summary(&progress).as_deref(),
            Some("built 1 derivation, downloaded 2 paths (1.20 MiB)")
        );
        assert_eq!(summary(&Progress::default()), None);
    }

    #[test]
    fn messages_go_above_the_line_and_the_error_is_held_back() {
        let mut progress = ProgressLine::new(true);
        progress.width = 40;
        let out = progress
            .read(r#"@nix {"action":"msg","level":3,"msg":"these 3 derivations will be built:"}"#);
        assert!(
            out.starts_with("these 3 derivations will be built:\n"),
            "{out:?}"
        );
        let out = progress.read(r#"@nix {"action":"start","fields":["/nix/store/kf5415jmpqlvmiizqardarwvpbgq5pjd-a\u001b]52;x-1.0.drv","",1,1],"id":4,"level":3,"text":"","type":105}"#);
        let out = out
            + &progress
                .read(r#"@nix {"action":"result","fields":["hi \u001b[2J"],"id":4,"type":101}"#);
        assert!(out.contains("a\\u{1b}]52;x-1.0> hi \n"), "{out:?}");
        let out = progress
            .read(r#"@nix {"action":"msg","level":0,"msg":"\u001b[31;1merror:\u001b[0m boom"}"#);
        assert_eq!(out, CLEAR);
        let (out, transcript) = progress.finish();
        assert_eq!(out, "");
        assert_eq!(
            transcript,
            "these 3 derivations will be built:\nerror: boom\n"
        );
    }
}
