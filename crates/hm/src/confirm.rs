//! `--ask` (or `NH_ASK`, as nh reads it): a yes/no question before anything changes.

use std::io::{BufRead, Write};

/// Asks `question` on stderr and reads the answer from stdin: only `y`/`yes` (any case)
/// is yes; an empty line, end of input or anything else is no.
pub fn confirm(question: &str) -> bool {
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "{question} [y/N] ");
    let _ = stderr.flush();
    let mut answer = String::new();
    // A line at most: never an unbounded read.
    match std::io::Read::take(std::io::stdin().lock(), 1024).read_line(&mut answer) {
        Ok(0) | Err(_) => {
            let _ = writeln!(stderr);
            false
        }
        Ok(_) => matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"),
    }
}
