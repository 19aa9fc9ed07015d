use hm_diagnostics::{Diagnostic, Severity};

use crate::Context;

/// What `hm explain CODE` prints.
#[derive(Debug, Clone, Copy)]
pub struct Docs {
    /// What the rule finds.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A configuration it fires on, and the fix.
    pub example: &'static str,
}

pub trait Rule: Sync {
    /// `HM201`.
    fn code(&self) -> &'static str;
    /// `service-never-started`.
    fn name(&self) -> &'static str;
    /// The severity of its findings (some findings may be milder).
    fn severity(&self) -> Severity;
    fn docs(&self) -> Docs;
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>);
    /// Whether it reports a problem met while reading files, shown by every command.
    fn is_loading_problem(&self) -> bool {
        false
    }
}
