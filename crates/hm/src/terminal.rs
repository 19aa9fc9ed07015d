//! How diagnostics are drawn on this terminal: colour only on a TTY without `NO_COLOR`,
//! width from `COLUMNS` (else 80), so piped output is the same everywhere.

use std::io::IsTerminal;

use hm_diagnostics::render::HumanOptions;

pub fn human_options(is_terminal: bool) -> HumanOptions {
    HumanOptions {
        colour: is_terminal && std::env::var_os("NO_COLOR").is_none(),
        width: std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(80),
    }
}

pub fn stdout_options() -> HumanOptions {
    human_options(std::io::stdout().is_terminal())
}

pub fn stderr_options() -> HumanOptions {
    human_options(std::io::stderr().is_terminal())
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
                .build(),
        )
    }));
}
