//! The `home.*` options every configuration must set, read from a user's modules.

use indexmap::IndexMap;

use crate::eval::Evaluator;
use crate::eval::value::Value;
use crate::model::{Field, Setting};
use crate::modules::ModuleSet;

/// Options Home Manager requires of a configuration.
pub const REQUIRED_SETTINGS: &[&str] =
    &["home.username", "home.homeDirectory", "home.stateVersion"];

impl Evaluator {
    /// The first definition of each required option; absent when nothing defines it.
    pub(crate) fn settings(&mut self, modules: &ModuleSet) -> IndexMap<String, Setting> {
        let mut settings = IndexMap::new();
        for key in REQUIRED_SETTINGS {
            let path: Vec<&str> = key.split('.').collect();
            for module in &modules.modules {
                let mut found = Vec::new();
                let mut unknown = Vec::new();
                self.defs_at(
                    module.config.clone(),
                    &path,
                    &module.conds,
                    &mut found,
                    &mut unknown,
                );
                let setting = match (found.into_iter().next(), unknown.into_iter().next()) {
                    (Some(def), _) => {
                        let key_spans: Vec<_> = def.key_span.into_iter().collect();
                        let Some(span) = def.value.span().or(def.key_span) else {
                            continue;
                        };
                        let value = match def.value {
                            v @ (Value::Str { .. } | Value::Int(_) | Value::Bool(_)) => {
                                self.field_value(v, span, 0)
                            }
                            _ => {
                                settings.insert(key.to_string(), Setting::Unknown(Some(span)));
                                break;
                            }
                        };
                        Setting::Known(Field {
                            value,
                            span,
                            key_spans,
                        })
                    }
                    (None, Some(unknown)) => Setting::Unknown(unknown.span),
                    (None, None) => continue,
                };
                settings.insert(key.to_string(), setting);
                break;
            }
        }
        settings
    }
}
