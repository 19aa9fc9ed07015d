//! How diagnostics are drawn on this terminal: colour only on a TTY without `NO_COLOR`,
//! width from `COLUMNS`, else the terminal's, else 80, so piped output is the same everywhere.

use std::io::IsTerminal;
use std::os::fd::AsFd;

use hm_diagnostics::render::HumanOptions;

/// Width when `COLUMNS` is unset and the output is not a terminal.
const DEFAULT_WIDTH: usize = 80;

/// Columns to fit output in: `COLUMNS` if set, else the terminal's width, else 80.
fn width(stream: &impl AsFd, is_terminal: bool) -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|c| *c > 0)
        .or_else(|| {
            is_terminal
                .then(|| terminal_size::terminal_size_of(stream))
                .flatten()
                .map(|(terminal_size::Width(w), _)| usize::from(w))
        })
        .unwrap_or(DEFAULT_WIDTH)
}

fn options(stream: &(impl AsFd + IsTerminal)) -> HumanOptions {
    let is_terminal = stream.is_terminal();
    HumanOptions {
        colour: is_terminal && std::env::var_os("NO_COLOR").is_none(),
        width: width(stream, is_terminal),
    }
}

pub fn stdout_options() -> HumanOptions {
    options(&std::io::stdout())
}

pub fn stderr_options() -> HumanOptions {
    options(&std::io::stderr())
}

/// Columns tables on stdout fit in.
pub fn stdout_width() -> usize {
    stdout_options().width
}

/// The same style for errors hm reports about itself (miette reports).
pub fn install_error_style() {
    let options = stderr_options();
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .color(options.colour)
                .unicode(true)
                .terminal_links(false)
                .width(options.width)
                // Wrap at spaces only, never inside a path or a command.
                .break_words(false)
                .word_separator(textwrap::WordSeparator::AsciiSpace)
                .build(),
        )
    }));
}
