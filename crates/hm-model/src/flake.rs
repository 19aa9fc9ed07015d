//! What a `flake.nix` declares: its inputs, their URLs and `follows`.

use nix_source::Span;

use crate::eval::Evaluator;
use crate::eval::value::Value;
use crate::model::{Flake, FlakeInput};

impl Evaluator {
    pub(crate) fn flake_model(&mut self, flake: &Value, span: Span) -> Flake {
        let inputs_span = match flake {
            Value::Attrs(attrs) => attrs.entries.get("inputs").map(|a| a.key_span),
            _ => None,
        };
        let declared = self.entries_at(flake.clone(), &["inputs"], &[]);
        let mut inputs = Vec::new();
        for entry in declared.entries {
            let value = self.force(&entry.value);
            let url = self
                .static_string(value.clone(), &["url"])
                .map(|(url, _)| url);
            let mut follows = Vec::new();
            for nested in self.entries_at(value, &["inputs"], &[]).entries {
                let nested_value = self.force(&nested.value);
                if let Some((target, at)) = self.static_string(nested_value, &["follows"]) {
                    follows.push((
                        nested.name.to_string(),
                        target,
                        at.unwrap_or(nested.key_span),
                    ));
                }
            }
            inputs.push(FlakeInput {
                name: entry.name.to_string(),
                span: entry.key_span,
                url,
                follows,
            });
        }
        Flake {
            span,
            inputs,
            inputs_span,
            used_inputs: std::mem::take(&mut self.input_uses),
        }
    }

    /// The string defined at `path`, when exactly one known string is.
    fn static_string(&mut self, value: Value, path: &[&str]) -> Option<(String, Option<Span>)> {
        let mut found = Vec::new();
        self.defs_at(value, path, &[], &mut found, &mut Vec::new());
        match found.as_slice() {
            [one] => match &one.value {
                Value::Str {
                    text: Some(text),
                    span,
                } => Some((text.to_string(), *span)),
                _ => None,
            },
            _ => None,
        }
    }
}
