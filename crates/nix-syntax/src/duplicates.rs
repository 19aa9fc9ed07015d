//! Attributes defined twice, found on the syntax alone for every set and `let` of a file,
//! as Nix's parser rejects them: dotted paths build nested sets, and a literal set merges
//! with them one level deep; anything else defined twice is a duplicate.

use std::collections::BTreeMap;

use nix_source::TextRange;

use crate::ast::{Ast, AttrKey, Binding, Expr, ExprId};

/// `name` is defined at `at` although it already is at `first`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub name: String,
    pub at: TextRange,
    pub first: TextRange,
}

enum Slot {
    Value {
        key: TextRange,
        literal: Option<ExprId>,
    },
    Nested {
        key: TextRange,
        names: Names,
    },
}

impl Slot {
    fn key(&self) -> TextRange {
        match self {
            Slot::Value { key, .. } | Slot::Nested { key, .. } => *key,
        }
    }
}

type Names = BTreeMap<String, Slot>;

struct Finder<'a> {
    ast: &'a Ast,
    found: Vec<Duplicate>,
}

/// Every duplicate attribute in `ast`, each reported once.
pub fn find(ast: &Ast) -> Vec<Duplicate> {
    let mut finder = Finder {
        ast,
        found: Vec::new(),
    };
    for i in 0..ast.len() {
        let id = ExprId(i as u32);
        if let Expr::AttrSet { bindings, .. } | Expr::LetIn { bindings, .. } = ast.expr(id) {
            let mut names = Names::new();
            finder.add_bindings(&mut names, bindings);
        }
    }
    let mut found = finder.found;
    found.sort_by_key(|d| (d.at.start, d.at.end));
    found.dedup_by_key(|d| d.at);
    found
}

impl Finder<'_> {
    fn add_bindings(&mut self, names: &mut Names, bindings: &[Binding]) {
        for binding in bindings {
            match binding {
                Binding::Value { path, value, .. } => self.add_path(names, path, *value),
                Binding::Inherit {
                    names: inherited, ..
                } => {
                    for (name, range) in inherited {
                        if let Some(existing) = names.get(name) {
                            self.duplicate(name, *range, existing.key());
                            continue;
                        }
                        names.insert(
                            name.clone(),
                            Slot::Value {
                                key: *range,
                                literal: None,
                            },
                        );
                    }
                }
            }
        }
    }

    fn literal(&self, value: ExprId) -> Option<ExprId> {
        // Nix merges `rec` sets with dotted paths too.
        matches!(self.ast.expr(value), Expr::AttrSet { .. }).then_some(value)
    }

    fn add_path(&mut self, names: &mut Names, path: &[AttrKey], value: ExprId) {
        let Some((AttrKey::Static { name, range }, rest)) = path.split_first() else {
            return;
        };
        if !rest.is_empty() {
            let slot = names.entry(name.clone()).or_insert_with(|| Slot::Nested {
                key: *range,
                names: Names::new(),
            });
            self.open_literal(slot);
            match slot {
                Slot::Nested { names: nested, .. } => self.add_path(nested, rest, value),
                Slot::Value { key, .. } => {
                    let first = *key;
                    self.duplicate(name, *range, first);
                }
            }
            return;
        }
        let literal = self.literal(value);
        match (names.get_mut(name), literal) {
            (None, _) => {
                names.insert(
                    name.clone(),
                    Slot::Value {
                        key: *range,
                        literal,
                    },
                );
            }
            (Some(slot), Some(expr)) => {
                self.open_literal(slot);
                match slot {
                    Slot::Nested { names: nested, .. } => {
                        if let Expr::AttrSet { bindings, .. } = self.ast.expr(expr) {
                            self.merge_literal(nested, bindings);
                        }
                    }
                    Slot::Value { key, .. } => {
                        let first = *key;
                        self.duplicate(name, *range, first);
                    }
                }
            }
            (Some(slot), None) => {
                let first = slot.key();
                self.duplicate(name, *range, first);
            }
        }
    }

    /// The names of a literal set merged into a set already there must be new (to that
    /// set: the literal's own dotted paths merge with each other as in any set).
    fn merge_literal(&mut self, nested: &mut Names, bindings: &[Binding]) {
        let before: BTreeMap<String, TextRange> =
            nested.iter().map(|(k, s)| (k.clone(), s.key())).collect();
        for binding in bindings {
            if let Binding::Value { path, .. } = binding
                && let Some(AttrKey::Static { name, range }) = path.first()
                && let Some(first) = before.get(name)
            {
                let first = *first;
                self.duplicate(name, *range, first);
                continue;
            }
            self.add_bindings(nested, std::slice::from_ref(binding));
        }
    }

    /// `a = { … };` becomes nested names so that more can merge into it.
    fn open_literal(&mut self, slot: &mut Slot) {
        let Slot::Value {
            key,
            literal: Some(expr),
        } = slot
        else {
            return;
        };
        let (key, expr) = (*key, *expr);
        let mut names = Names::new();
        if let Expr::AttrSet { bindings, .. } = self.ast.expr(expr) {
            self.add_bindings(&mut names, bindings);
        }
        *slot = Slot::Nested { key, names };
    }

    fn duplicate(&mut self, name: &str, at: TextRange, first: TextRange) {
        self.found.push(Duplicate {
            name: name.to_string(),
            at,
            first,
        });
    }
}
