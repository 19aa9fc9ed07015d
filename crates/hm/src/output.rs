//! Standard output: buffered, and a reader that went away (`hm services | head -1`) ends
//! the command successfully instead of failing it.

use std::io::{self, Write};

/// Wraps stdout and remembers whether a write failed with a broken pipe, so `main` can
/// tell that failure apart from others however the error was wrapped on its way up.
pub struct Stdout<W: Write> {
    inner: W,
    broken_pipe: bool,
}

impl<W: Write> Stdout<W> {
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            broken_pipe: false,
        }
    }

    pub fn broken_pipe(&self) -> bool {
        self.broken_pipe
    }

    fn note<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result {
            self.broken_pipe |= e.kind() == io::ErrorKind::BrokenPipe;
        }
        result
    }
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.note(result)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let result = self.inner.write_all(buf);
        self.note(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.note(result)
    }
}

/// Writes to stderr, ignoring failure: there is nowhere left to report it.
pub fn eprint(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// `eprintln!` that never panics: a note on standard error is lost, not fatal, when the
/// stream is closed or a pipe nobody reads (`hm build 2>&1 | head -1`).
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that never panics (see [`note!`]).
macro_rules! note_part {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

pub(crate) use {note, note_part};
