//! Reading Nix's error output (`error: …`, `at /nix/store/…:L:C:`, `… while …` frames).

/// A position Nix printed: a file (usually in the store), one-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorePosition {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

/// One `… while evaluating …` frame of a `--show-trace` trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub message: String,
    pub position: Option<StorePosition>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NixError {
    /// The text after `error:`, continuation lines joined.
    pub message: String,
    pub position: Option<StorePosition>,
    pub frames: Vec<Frame>,
}

impl NixError {
    /// What a failed nix printed: its last `error:`, or `fallback` (stderr's tail) when it
    /// printed none.
    pub fn from_stderr(stderr: &str, fallback: &str) -> NixError {
        parse_error(stderr).unwrap_or_else(|| NixError {
            message: fallback.to_string(),
            position: None,
            frames: Vec::new(),
        })
    }
}

impl NixError {
    /// Nix found no such flake output: `flake '…' does not provide attribute '…'`.
    pub fn is_missing_output(&self) -> bool {
        self.message.starts_with("flake '") && self.message.contains("does not provide attribute")
    }
}

/// Reads the last `error:` in Nix's stderr; `None` if there is none.
pub fn parse_error(stderr: &str) -> Option<NixError> {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines.iter().rposition(|l| l.starts_with("error:"))?;
    let mut message = lines[start].trim_start_matches("error:").trim().to_string();
    let mut rest = lines[start + 1..].iter().peekable();
    // Continuation lines of the message, up to the first blank line or position.
    while let Some(line) = rest.peek() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("at ") || trimmed.starts_with('…') {
            break;
        }
        message.push(' ');
        message.push_str(trimmed);
        rest.next();
    }
    let mut error = NixError {
        message,
        position: None,
        frames: Vec::new(),
    };
    for line in rest {
        let trimmed = line.trim();
        if let Some(frame) = trimmed.strip_prefix('…') {
            error.frames.push(Frame {
                message: frame.trim().to_string(),
                position: None,
            });
        } else if let Some(position) = position(trimmed) {
            match error.frames.last_mut() {
                Some(frame) if frame.position.is_none() => frame.position = Some(position),
                Some(_) => {}
                None if error.position.is_none() => error.position = Some(position),
                None => {}
            }
        }
    }
    Some(error)
}

/// `at /nix/store/…-source/home.nix:10:21:`
fn position(line: &str) -> Option<StorePosition> {
    let rest = line.strip_prefix("at ")?.strip_suffix(':')?;
    let (rest, column) = rest.rsplit_once(':')?;
    let (path, line) = rest.rsplit_once(':')?;
    Some(StorePosition {
        path: path.to_string(),
        line: line.parse().ok()?,
        column: column.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRACE: &str = "warning: Git tree '/tmp/x' is dirty
error: undefined variable 'pkgz'

       at /nix/store/f2ll-source/examples/standalone/home.nix:10:21:

            9|
           10|   home.packages = [ pkgz.hello ];
             |                     ^
           11|

       … while evaluating the attribute 'module.imports'

       at /nix/store/gjac-source/lib/modules.nix:34:7:

           34|       imports = value.imports or [ ];

       … from call site

       … while evaluating 'collectModules'

       at /nix/store/gjac-source/lib/modules.nix:40:26:
";

    #[test]
    fn reads_message_position_and_frames() {
        let error = parse_error(TRACE).expect("an error");
        assert_eq!(error.message, "undefined variable 'pkgz'");
        assert_eq!(
            error.position,
            Some(StorePosition {
                path: "/nix/store/f2ll-source/examples/standalone/home.nix".into(),
                line: 10,
                column: 21
            })
        );
        assert_eq!(error.frames.len(), 3);
        assert_eq!(
            error.frames[0].message,
            "while evaluating the attribute 'module.imports'"
        );
        assert_eq!(error.frames[1].position, None);
        assert_eq!(error.frames[2].position.as_ref().map(|p| p.line), Some(40));
    }

    #[test]
    fn no_error_no_result() {
        assert_eq!(parse_error("warning: nothing\n"), None);
    }
}
