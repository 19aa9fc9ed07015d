//! The rules, one per file, and the registry `hm check` and `hm explain` read.

/// A rule reporting one kind of problem met while reading files (HM001–HM104).
macro_rules! loading_problem_rule {
    (
        $rule:ident, $code:literal, $name:literal, $kind:expr,
        label: $label:literal,
        help: $help:literal,
        docs: $docs:expr
    ) => {
        pub struct $rule;

        impl crate::Rule for $rule {
            fn code(&self) -> &'static str {
                $code
            }
            fn name(&self) -> &'static str {
                $name
            }
            fn severity(&self) -> hm_diagnostics::Severity {
                hm_diagnostics::Severity::Error
            }
            fn is_loading_problem(&self) -> bool {
                true
            }
            fn docs(&self) -> Docs {
                $docs
            }
            fn check(&self, cx: &crate::Context, out: &mut Vec<hm_diagnostics::Diagnostic>) {
                super::report_problems(cx, self, $kind, $label, $help, out);
            }
        }
    };
}

mod agent_arguments_one_string;
mod agent_never_started;
mod agent_without_program;
mod duplicate_attribute;
mod import_cycle;
mod input_not_following;
mod invalid_unit_name;
mod missing_default_nix;
mod missing_exec_start;
mod missing_file;
mod missing_home_option;
mod module_service_override;
mod nix_evaluation;
mod nixos_service_keys;
mod option_type;
mod options;
mod relative_exec_start;
mod service_never_started;
mod syntax_error;
mod system_target;
mod systemd_on_darwin;
mod too_complex;
mod undeclared_input;
mod undefined_variable;
mod unknown_directive;
mod unknown_option;
mod unknown_plist_key;
mod unknown_section;
mod unknown_state_version;
mod unresolved_module;
mod unset_option;
mod untracked_file;
mod username_mismatch;

use hm_diagnostics::{Diagnostic, Severity};
use hm_model::ProblemKind;

use crate::{Context, Rule};

pub use nix_evaluation::NixEvaluation;

/// Every rule, in code order.
pub static ALL: &[&dyn Rule] = &[
    &syntax_error::SyntaxError,
    &too_complex::TooComplex,
    &missing_file::MissingFile,
    &import_cycle::ImportCycle,
    &duplicate_attribute::DuplicateAttribute,
    &missing_default_nix::MissingDefaultNix,
    &untracked_file::UntrackedFile,
    &undeclared_input::UndeclaredInput,
    &input_not_following::InputNotFollowing,
    &unresolved_module::UnresolvedModule,
    &undefined_variable::UndefinedVariable,
    &service_never_started::ServiceNeverStarted,
    &system_target::SystemTarget,
    &nixos_service_keys::NixosServiceKeys,
    &unknown_section::UnknownSection,
    &unknown_directive::UnknownDirective,
    &missing_exec_start::MissingExecStart,
    &relative_exec_start::RelativeExecStart,
    &invalid_unit_name::InvalidUnitName,
    &module_service_override::ModuleServiceOverride,
    &agent_without_program::AgentWithoutProgram,
    &agent_never_started::AgentNeverStarted,
    &agent_arguments_one_string::AgentArgumentsOneString,
    &unknown_plist_key::UnknownPlistKey,
    &systemd_on_darwin::SystemdOnDarwin,
    &missing_home_option::MissingHomeOption,
    &unknown_state_version::UnknownStateVersion,
    &username_mismatch::UsernameMismatch,
    &unknown_option::UnknownOption,
    &option_type::OptionType,
    &unset_option::UnsetOption,
    &NixEvaluation,
];

/// The rule with this code (case-insensitive) or name.
pub fn rule(code: &str) -> Option<&'static dyn Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code().eq_ignore_ascii_case(code) || r.name() == code)
}

/// Reports each problem of `kind` met while loading files.
fn report_problems(
    cx: &Context,
    rule: &dyn Rule,
    kind: ProblemKind,
    label: &str,
    help: &str,
    out: &mut Vec<Diagnostic>,
) {
    for problem in cx.problems(kind) {
        let mut diagnostic =
            Diagnostic::new(rule.code(), rule.severity(), cx.relative(&problem.message)).help(help);
        if let Some(span) = problem.span {
            diagnostic = diagnostic.at(span, label);
        }
        for related in &problem.related {
            diagnostic = diagnostic.also(related.span, related.message.clone());
        }
        out.push(diagnostic);
    }
}

/// All rules report errors unless they say otherwise.
const ERROR: Severity = Severity::Error;
const WARNING: Severity = Severity::Warning;
