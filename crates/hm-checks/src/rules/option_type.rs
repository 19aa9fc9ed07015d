use hm_diagnostics::{Diagnostic, Severity};
use hm_model::FieldValue;
use hm_model::knowledge::{Lookup, knowledge};

use super::ERROR;
use super::options::{checks_options, declared_by_config, user_of};
use crate::{Context, Docs, Rule};

pub struct OptionType;

/// Options another rule checks with a better message (HM302: `home.stateVersion`).
const OWNED_ELSEWHERE: &[&str] = &["home.stateVersion"];

impl Rule for OptionType {
    fn code(&self) -> &'static str {
        "HM305"
    }
    fn name(&self) -> &'static str {
        "option-type"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A value written for a Home Manager option that its type does not accept: a string where a boolean or a list is expected, a number where a string is, a value an `enum` does not list. Only values known without evaluating are checked (not a branch of an `if` whose condition only Nix decides), and a value that the option's type in an earlier release (24.11 on) accepts is not reported: the configuration may lock that release.",
            why: "Nix fails with \"A definition for option `…' is not of type `boolean'\" when the configuration is evaluated, far from where the value is written.",
            example: "programs.git.enable = \"yes\";   # a boolean: true\nhome.packages = pkgs.hello;     # a list: [ pkgs.hello ]",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let inventory = &cx.analysis.inventory;
        for definition in &inventory.option_definitions {
            let Some(value) = &definition.value else {
                continue;
            };
            let Lookup::Option(option) = knowledge().lookup(&definition.path) else {
                continue;
            };
            if OWNED_ELSEWHERE.contains(&option.path) {
                continue;
            }
            // The configuration may lock an earlier release, which typed it differently.
            let older_accepts = || {
                knowledge()
                    .older_types(&definition.path)
                    .iter()
                    .any(|t| t.ty().accepts(value) != Some(false))
            };
            if option.ty().accepts(value) != Some(false)
                || older_accepts()
                || user_of(inventory, &definition.user)
                    .is_none_or(|u| !checks_options(u) || declared_by_config(u, &definition.path))
            {
                continue;
            }
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!(
                        "`{}` expects {}, not {}",
                        definition.path.join("."),
                        option.type_description,
                        shown(value)
                    ),
                )
                .at(definition.span, format!("{} here", kind(value)))
                .help(format!(
                    "the option is declared in Home Manager's {} as {}",
                    option.file, option.type_description
                )),
            );
        }
    }
}

/// The value itself when it is a short string, else its kind.
fn shown(value: &FieldValue) -> String {
    match value {
        FieldValue::Str(s) if s.chars().count() <= 40 && !s.contains('\n') => format!("{s:?}"),
        other => kind(other).to_string(),
    }
}

fn kind(value: &FieldValue) -> &'static str {
    match value {
        FieldValue::Bool(_) => "a boolean",
        FieldValue::Int(_) => "an integer",
        FieldValue::Float(_) => "a float",
        FieldValue::Str(_) | FieldValue::Interpolated(_) => "a string",
        FieldValue::List(_) => "a list",
        FieldValue::Expr { .. } => "an expression",
    }
}
