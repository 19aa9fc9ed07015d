use hm_diagnostics::{Diagnostic, Severity};
use hm_model::FieldValue;

use super::ERROR;
use crate::{Context, Docs, Rule};

pub struct AgentArgumentsOneString;

impl Rule for AgentArgumentsOneString {
    fn code(&self) -> &'static str {
        "HM212"
    }
    fn name(&self) -> &'static str {
        "agent-arguments-one-string"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A launchd agent's `config.ProgramArguments` whose first item is a whole command line: a program followed by arguments (a store path or interpolation then a space, or a later word starting with `-`). Paths with spaces (`/Applications/My App.app/…`, `${config.home.homeDirectory}/Applications/Home Manager Apps/X.app/…`: a later word goes on with the path's directories) are not reported; a plain string instead of a list is a type error (HM305).",
            why: "launchd does not split `ProgramArguments` at spaces: the first item is the program's path, so `\"${pkgs.foo}/bin/foo --bar\"` names a file that does not exist. Give the program and each argument as its own item.",
            example: "config.ProgramArguments = [ \"${pkgs.foo}/bin/foo --verbose\" ];\n# fix: config.ProgramArguments = [ \"${pkgs.foo}/bin/foo\" \"--verbose\" ];",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for agent in cx.analysis.inventory.agents() {
            let Some(field) = agent.fields.get("config.ProgramArguments") else {
                continue;
            };
            // A plain string is a type error Home Manager reports (HM305).
            let FieldValue::List(items) = &field.value else {
                continue;
            };
            let Some(command) = items.first().and_then(FieldValue::as_text) else {
                continue;
            };
            if !is_command_line(command) {
                continue;
            }
            let mut fixed: Vec<String> = words(command).iter().map(|w| format!("{w:?}")).collect();
            if items.len() > 1 {
                fixed.push("…".to_string());
            }
            let fixed = fixed.join(" ");
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!(
                        "launchd agent `{}` of `{}`: the first item of `ProgramArguments` is a whole command line",
                        agent.name, agent.user
                    ),
                )
                .at(field.span, "launchd does not split this at spaces")
                .help(format!(
                    "give the program and each argument as its own item: `[ {fixed} ]`"
                )),
            );
        }
    }
}

/// Whether `text` is a program followed by arguments, not a path that holds spaces:
/// its known text (interpolations set aside) has a space after a store path or an
/// interpolation, or a later word that is an option.
fn is_command_line(text: &str) -> bool {
    let known = without_interpolations(text);
    let mut words = known.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let rest: Vec<&str> = words.collect();
    if rest.is_empty() {
        return false;
    }
    // A path that goes on after a space (`${home}/Applications/My Apps/X.app/…`): a
    // later word carries on its directories, and none is an option.
    let path_goes_on = rest.iter().any(|w| w.find('/').is_some_and(|i| i > 0));
    if path_goes_on && !rest.iter().any(|w| w.starts_with('-')) {
        return false;
    }
    let program = text.trim_start();
    program.starts_with("${")
        || first.starts_with("/nix/store/")
        || rest.iter().any(|w| w.starts_with('-'))
}

/// The words of `text`, split at whitespace outside `${…}`.
fn words(text: &str) -> Vec<String> {
    let mut words = vec![String::new()];
    let mut depth = 0usize;
    let mut previous = ' ';
    for c in text.chars() {
        match c {
            '{' if previous == '$' || depth > 0 => depth += 1,
            '}' if depth > 0 => depth -= 1,
            c if c.is_whitespace() && depth == 0 => {
                if words.last().is_some_and(|w| !w.is_empty()) {
                    words.push(String::new());
                }
                previous = c;
                continue;
            }
            _ => {}
        }
        if let Some(word) = words.last_mut() {
            word.push(c);
        }
        previous = c;
    }
    words.retain(|w| !w.is_empty());
    words
}

/// `text` with each `${…}` replaced by `_` (an interpolation as written may hold spaces).
fn without_interpolations(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek() == Some(&'{') {
            chars.next();
            if depth == 0 {
                out.push('_');
            }
            depth += 1;
        } else if depth > 0 {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_not_paths_with_spaces() {
        assert!(is_command_line("${pkgs.foo}/bin/foo --bar"));
        assert!(is_command_line("${pkgs.foo}/bin/foo sync"));
        assert!(is_command_line("/nix/store/<hash>-foo/bin/foo sync"));
        assert!(is_command_line("/usr/bin/say -v Alex hello"));
        assert!(!is_command_line(
            "/Applications/My App.app/Contents/MacOS/My App"
        ));
        assert!(!is_command_line("${lib.escapeShellArgs args}"));
        assert!(!is_command_line(
            "${config.home.homeDirectory}/Applications/Home Manager Apps/CleanShot X.app/Contents/MacOS/CleanShot X"
        ));
        assert!(is_command_line("${pkgs.foo}/bin/foo /tmp/input"));
        assert!(!is_command_line("${pkgs.foo}/bin/foo"));
        assert!(!is_command_line("/bin/echo"));
    }

    #[test]
    fn words_keep_interpolations_whole() {
        assert_eq!(
            words("${lib.getExe pkgs.foo}  --bar x"),
            ["${lib.getExe pkgs.foo}", "--bar", "x"]
        );
    }
}
