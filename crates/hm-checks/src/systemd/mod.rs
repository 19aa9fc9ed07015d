//! Facts about systemd the service rules rely on.

mod directives;

use std::collections::HashMap;
use std::sync::OnceLock;

use directives::DIRECTIVES;

/// Sections of a Home Manager `systemd.user.services.<name>` value.
pub(crate) const SERVICE_SECTIONS: &[&str] = &["Unit", "Service", "Install"];

/// Targets that exist only in the system manager, with the user manager's counterpart.
pub(crate) const SYSTEM_ONLY_TARGETS: &[(&str, &str)] = &[
    ("multi-user.target", "default.target"),
    ("graphical.target", "graphical-session.target"),
];

/// How systemd takes a directive in a section (generated table: `directives.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Documented for this section.
    Current,
    /// Still accepted here, no longer documented.
    Legacy,
    /// Accepted here only for compatibility: it belongs to the named section.
    Moved(&'static str),
}

/// The generated table, indexed once per process.
struct Index {
    by_section: HashMap<&'static str, HashMap<&'static str, Status>>,
    current: HashMap<&'static str, Vec<&'static str>>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut by_section: HashMap<_, HashMap<_, _>> = HashMap::new();
        let mut current: HashMap<_, Vec<_>> = HashMap::new();
        for &(section, directive, status) in DIRECTIVES {
            by_section
                .entry(section)
                .or_default()
                .insert(directive, status);
            if status == Status::Current {
                current.entry(section).or_default().push(directive);
            }
        }
        Index {
            by_section,
            current,
        }
    })
}

/// How systemd takes `directive` in `section`; `None` when it does not know it there.
pub(crate) fn directive(section: &str, directive: &str) -> Option<Status> {
    index().by_section.get(section)?.get(directive).copied()
}

/// The documented directives of `section`.
pub(crate) fn current_directives(section: &str) -> &'static [&'static str] {
    index().current.get(section).map_or(&[], Vec::as_slice)
}

/// The section `directive` is documented in, if it is in exactly one of the service unit's.
pub(crate) fn home_section(directive: &str) -> Option<&'static str> {
    let mut homes = SERVICE_SECTIONS
        .iter()
        .filter(|section| self::directive(section, directive) == Some(Status::Current));
    match (homes.next(), homes.next()) {
        (Some(home), None) => Some(home),
        _ => None,
    }
}

/// A unit name systemd accepts (systemd.unit(5)): ASCII letters, digits and `:-_.\`, one
/// optional `@` for templates, at most 255 bytes with its suffix.
pub(crate) fn unit_name_problem(name: &str, suffix: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the unit name is empty".to_string());
    }
    if name.len() + 1 + suffix.len() > 255 {
        return Some(format!("`{name}.{suffix}` is longer than 255 bytes"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.' | '\\' | '@')))
    {
        return Some(format!("`{bad}` is not allowed in unit names"));
    }
    if name.matches('@').count() > 1 {
        return Some("a unit name can hold at most one `@`".to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_common_directives() {
        use Status::*;
        assert_eq!(directive("Service", "ExecStart"), Some(Current));
        assert_eq!(directive("Service", "Environment"), Some(Current));
        assert_eq!(directive("Unit", "ConditionPathExists"), Some(Current));
        assert_eq!(directive("Install", "WantedBy"), Some(Current));
        assert_eq!(directive("Install", "ExecStart"), None);
        assert!(current_directives("Service").contains(&"ExecStart"));
    }

    #[test]
    fn knows_legacy_and_moved_directives() {
        use Status::*;
        assert_eq!(directive("Service", "StartLimitBurst"), Some(Moved("Unit")));
        assert_eq!(
            directive("Service", "StartLimitInterval"),
            Some(Moved("Unit"))
        );
        assert_eq!(directive("Unit", "StartLimitBurst"), Some(Current));
        assert_eq!(directive("Unit", "StartLimitInterval"), Some(Legacy));
        assert_eq!(directive("Unit", "BindTo"), Some(Legacy));
        assert_eq!(home_section("WantedBy"), Some("Install"));
        assert_eq!(home_section("Nope"), None);
    }

    #[test]
    fn validates_unit_names() {
        assert_eq!(unit_name_problem("syncthing", "service"), None);
        assert_eq!(unit_name_problem("getty@", "service"), None);
        assert!(unit_name_problem("my service", "service").is_some());
        assert!(unit_name_problem("a/b", "service").is_some());
    }
}
