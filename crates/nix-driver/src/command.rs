use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// A program with its arguments, built up and inspectable before it runs.
#[derive(Debug, Clone)]
pub struct Command {
    program: OsString,
    args: Vec<OsString>,
    dir: Option<PathBuf>,
    env: Vec<(OsString, OsString)>,
    env_removed: Vec<OsString>,
    own_process_group: bool,
    interactive: bool,
}

/// What a finished process left behind.
#[derive(Debug, Clone)]
pub struct Finished {
    pub status: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Finished {
    pub fn success(&self) -> bool {
        self.status == Some(0)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("cannot run `{command}`: {source}")]
    Spawn {
        command: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{command}` failed ({status}):\n{stderr_tail}")]
    Failed {
        command: String,
        status: String,
        stderr: String,
        stderr_tail: String,
    },
}

/// Lines of stderr kept in error messages.
const TAIL_LINES: usize = 20;

/// The most of a streamed stderr kept for the error report (a build log with `-L` can be
/// gigabytes; Nix's error is at its end).
const KEPT_STDERR: usize = 4 << 20;

/// Drops whole lines from the front of `text` once it holds twice [`KEPT_STDERR`], so
/// what is kept stays bounded and the cost stays linear.
fn keep_tail(text: &mut String) {
    if text.len() <= 2 * KEPT_STDERR {
        return;
    }
    let from = (text.len() - KEPT_STDERR..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    let cut = text[from..].find('\n').map_or(from, |at| from + at + 1);
    text.drain(..cut);
}

impl Command {
    pub fn new(program: impl Into<OsString>) -> Self {
        Self {
            program: program.into(),
            args: Vec::new(),
            dir: None,
            env: Vec::new(),
            env_removed: Vec::new(),
            own_process_group: false,
            interactive: false,
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn dir(mut self, dir: &Path) -> Self {
        self.dir = Some(dir.to_path_buf());
        self
    }

    /// Sets a variable for this process only; hm never changes its own environment.
    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Removes a variable from this process's environment only.
    pub fn env_remove(mut self, key: impl Into<OsString>) -> Self {
        self.env_removed.push(key.into());
        self
    }

    /// Runs the process in a process group of its own, so a Ctrl-C at the terminal (sent
    /// to hm's group) does not reach it: for work that must finish, such as restoring the
    /// previous generation.
    pub fn own_process_group(mut self) -> Self {
        self.own_process_group = true;
        self
    }

    /// Gives the process hm's stdin (an editor, `nix repl`); otherwise stdin is closed.
    pub fn interactive(mut self) -> Self {
        self.interactive = true;
        self
    }

    /// The program and arguments exactly as the process receives them.
    pub fn argv(&self) -> Vec<String> {
        std::iter::once(&self.program)
            .chain(&self.args)
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    /// The command as a person would type it (for messages only; never run by a shell).
    pub fn display(&self) -> String {
        self.argv()
            .iter()
            .map(|a| {
                if a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=@#+,".contains(c))
                {
                    a.clone()
                } else {
                    format!("'{}'", a.replace('\'', "'\\''"))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn expression(&self) -> duct::Expression {
        let mut expression = duct::cmd(&self.program, &self.args).unchecked();
        if !self.interactive {
            expression = expression.stdin_null();
        }
        if let Some(dir) = &self.dir {
            expression = expression.dir(dir);
        }
        for key in &self.env_removed {
            expression = expression.env_remove(key);
        }
        for (key, value) in &self.env {
            expression = expression.env(key, value);
        }
        if self.own_process_group {
            expression = expression.before_spawn(|command| {
                std::os::unix::process::CommandExt::process_group(command, 0);
                Ok(())
            });
        }
        expression
    }

    fn spawn_error(&self, source: std::io::Error) -> CommandError {
        CommandError::Spawn {
            command: self.display(),
            source,
        }
    }

    /// Runs to completion, capturing both streams; a non-zero exit is not an error here.
    pub fn run(&self) -> Result<Finished, CommandError> {
        let output = self
            .expression()
            .stdout_capture()
            .stderr_capture()
            .run()
            .map_err(|e| self.spawn_error(e))?;
        Ok(Finished {
            status: output.status.code(),
            stdout: output.stdout,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }

    /// Runs to completion, capturing stdout and handing each stderr line to `on_line` as it
    /// arrives (progress), while also keeping it. The streams are read concurrently, so a
    /// chatty child cannot block on a full pipe.
    pub fn run_streaming(&self, on_line: &mut dyn FnMut(&str)) -> Result<Finished, CommandError> {
        let (reader, writer) = os_pipe::pipe().map_err(|e| self.spawn_error(e))?;
        let handle = self
            .expression()
            .stdout_capture()
            .stderr_file(writer)
            .start()
            .map_err(|e| self.spawn_error(e))?;
        // Drop our copy of the write end (the expression holds its own until the child
        // exits), so the read below ends when the child does.
        let mut stderr = String::new();
        for line in std::io::BufRead::lines(std::io::BufReader::new(reader)) {
            let line = line.unwrap_or_default();
            on_line(&line);
            stderr.push_str(&line);
            stderr.push('\n');
            keep_tail(&mut stderr);
        }
        let output = handle.wait().map_err(|e| self.spawn_error(e))?;
        Ok(Finished {
            status: output.status.code(),
            stdout: output.stdout.clone(),
            stderr,
        })
    }

    /// Runs with the terminal's stdout and stderr (for `systemctl status` and the like).
    pub fn run_attached(&self) -> Result<Option<i32>, CommandError> {
        let output = self.expression().run().map_err(|e| self.spawn_error(e))?;
        Ok(output.status.code())
    }

    /// Runs and requires success; a failure carries the command line and stderr's tail.
    pub fn run_checked(&self) -> Result<Finished, CommandError> {
        let finished = self.run()?;
        self.require_success(finished)
    }

    /// Turns a non-zero exit into `CommandError::Failed` with stderr's tail.
    pub fn require_success(&self, finished: Finished) -> Result<Finished, CommandError> {
        if finished.success() {
            return Ok(finished);
        }
        let lines: Vec<&str> = finished.stderr.lines().collect();
        let tail = lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n");
        Err(CommandError::Failed {
            command: self.display(),
            status: finished.status.map_or_else(
                || "killed by a signal".to_string(),
                |c| format!("exit status {c}"),
            ),
            stderr: finished.stderr,
            stderr_tail: tail,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_stderr_keeps_its_last_lines() {
        let mut text = String::new();
        let line = "é".repeat(499) + "\n";
        for _ in 0..(3 * KEPT_STDERR / line.len()) {
            text.push_str(&line);
            keep_tail(&mut text);
        }
        text.push_str("error: at the end\n");
        keep_tail(&mut text);
        assert!(text.len() <= 2 * KEPT_STDERR + line.len());
        assert!(text.starts_with('é') && text.ends_with("error: at the end\n"));
    }

    #[test]
    fn arguments_stay_single_argv_entries() {
        let command = Command::new("nix").arg("eval").arg("$(touch x); echo 'hi'");
        assert_eq!(command.argv(), ["nix", "eval", "$(touch x); echo 'hi'"]);
        assert_eq!(
            command.display(),
            "nix eval '$(touch x); echo '\\''hi'\\'''"
        );
    }

    #[test]
    fn failures_carry_the_command_and_stderr() {
        let error = Command::new("sh")
            .args(["-c", "echo boom >&2; exit 3"])
            .run_checked()
            .expect_err("fails");
        let text = error.to_string();
        assert!(text.contains("sh -c"), "{text}");
        assert!(text.contains("exit status 3"), "{text}");
        assert!(text.contains("boom"), "{text}");
    }

    #[test]
    fn streams_stderr_lines_while_capturing_stdout() {
        let mut seen = Vec::new();
        let finished = Command::new("sh")
            .args(["-c", "echo out; echo one >&2; echo two >&2"])
            .run_streaming(&mut |line| seen.push(line.to_string()))
            .expect("runs");
        assert_eq!(seen, ["one", "two"]);
        assert_eq!(finished.stdout, b"out\n");
        assert_eq!(finished.stderr, "one\ntwo\n");
        assert!(finished.success());
    }

    #[test]
    fn a_missing_program_is_a_spawn_error() {
        let error = Command::new("/nonexistent/nix")
            .run()
            .expect_err("cannot spawn");
        assert!(matches!(error, CommandError::Spawn { .. }));
    }
}
