//! Checks of a Home Manager configuration, run on the static model.
//!
//! Each rule lives in its own file under `rules/`, has a stable code (HM0xx syntax,
//! HM1xx imports and flakes, HM2xx services, HM3xx users, HM9xx evaluation) and docs that
//! `hm explain CODE` prints. A `# hm: allow(CODE)` comment on the line before a finding
//! silences it.

mod allow;
mod context;
mod launchd;
mod rule;
pub mod rules;
mod suggest;
mod systemd;

use hm_diagnostics::Diagnostic;

pub use context::{Context, GitTracked};
pub use rule::{Docs, Rule};
pub use rules::{ALL, NixEvaluation, rule};
pub use suggest::did_you_mean;

/// Every finding of every rule, minus those allowed by comments, in file order. While a
/// file has syntax errors only the problems met reading files are reported: the rest would
/// read a tree the parser had to guess at. (What is too complex to analyse is unknown to
/// the model, like any value only Nix knows.)
pub fn check(cx: &Context) -> Vec<Diagnostic> {
    // Nix rejects such files before evaluating anything: the rest would be noise.
    let rejected = [
        hm_model::ProblemKind::Syntax,
        hm_model::ProblemKind::DuplicateAttribute,
    ];
    if rejected.iter().any(|k| cx.problems(*k).next().is_some()) {
        return loading_problems(cx);
    }
    run(cx, ALL.iter().copied())
}

/// Only the problems met while reading the files (syntax, imports, duplicates), which
/// `hm users` and `hm services` report too.
pub fn loading_problems(cx: &Context) -> Vec<Diagnostic> {
    run(cx, ALL.iter().copied().filter(|r| r.is_loading_problem()))
}

fn run<'a>(cx: &Context, rules: impl Iterator<Item = &'a dyn Rule>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in rules {
        rule.check(cx, &mut out);
    }
    out.retain(|d| !allow::is_allowed(cx, d));
    // By file path and place, so the order does not depend on the order files were read.
    out.sort_by_cached_key(|d| {
        let place = d
            .primary
            .as_ref()
            .map(|l| (cx.path(l.span.file).to_path_buf(), l.span.range.start));
        (place, d.code)
    });
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_grouped() {
        let mut codes: Vec<&str> = ALL.iter().map(|r| r.code()).collect();
        let mut names: Vec<&str> = ALL.iter().map(|r| r.name()).collect();
        codes.sort_unstable();
        names.sort_unstable();
        let (codes_before, names_before) = (codes.len(), names.len());
        codes.dedup();
        names.dedup();
        assert_eq!(codes.len(), codes_before, "duplicate codes");
        assert_eq!(names.len(), names_before, "duplicate names");
        for code in codes {
            assert!(code.len() == 5 && code.starts_with("HM"), "{code}");
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for rule in ALL {
            let docs = rule.docs();
            for (part, text) in [
                ("what", docs.what),
                ("why", docs.why),
                ("example", docs.example),
            ] {
                assert!(text.len() > 20, "{} has no `{part}` text", rule.code());
            }
            assert!(crate::rule(rule.code()).is_some());
        }
    }
}
