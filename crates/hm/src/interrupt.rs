//! Ctrl-C, `kill` and hang-ups during a switch: hm notes them instead of dying, so it can
//! wait for the process it runs (which gets the terminal's signal too) and leave `$HOME`
//! as a whole generation.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use miette::{IntoDiagnostic, Result};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

pub struct Interrupts {
    flag: Arc<AtomicBool>,
}

/// The exit code of a command stopped by Ctrl-C, as shells report it.
pub const EXIT_INTERRUPTED: u8 = 130;

impl Interrupts {
    pub fn install() -> Result<Self> {
        let flag = Arc::new(AtomicBool::new(false));
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            signal_hook::flag::register(signal, Arc::clone(&flag)).into_diagnostic()?;
        }
        Ok(Self { flag })
    }

    pub fn happened(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
}
