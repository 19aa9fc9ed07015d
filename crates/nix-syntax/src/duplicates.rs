//! Attributes defined twice, found on the syntax alone for every set and `let` of a file,
//! as Nix's parser rejects them: dotted paths build nested sets, and a literal set merges
//! with them one level deep; anything else defined twice is a duplicate.

use std::collections::HashMap;

use nix_source::TextRange;

use crate::ast::{Ast, AttrKey, Binding, Expr, ExprId};

/// `name` is defined at `at` although it already is at `first`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub name: String,
    pub at: TextRange,
    pub first: TextRange,
}

enum Slot<'a> {
    Value {
        key: TextRange,
        literal: Option<ExprId>,
    },
    Nested {
        key: TextRange,
        names: Names<'a>,
    },
}

impl Slot<'_> {
    fn key(&self) -> TextRange {
        match self {
            Slot::Value { key, .. } | Slot::Nested { key, .. } => *key,
        }
    }
}

/// The names of one set, borrowed from the tree: scanned while few (most nested sets of a
/// dotted path have one name), indexed by a map past `SCAN`.
#[derive(Default)]
struct Names<'a> {
    slots: Vec<(&'a str, Slot<'a>)>,
    /// Positions in `slots` by name, once there are more than `SCAN`. Boxed: most sets
    /// have none, and each nested slot holds its names inline.
    #[allow(clippy::box_collection)]
    index: Option<Box<HashMap<&'a str, usize>>>,
}

const SCAN: usize = 8;

impl<'a> Names<'a> {
    fn position(&self, name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(name).copied(),
            None => self.slots.iter().position(|(n, _)| *n == name),
        }
    }

    fn get(&self, name: &str) -> Option<&Slot<'a>> {
        self.position(name).map(|i| &self.slots[i].1)
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Slot<'a>> {
        self.position(name).map(|i| &mut self.slots[i].1)
    }

    /// Adds `name`, which is not there yet.
    fn insert(&mut self, name: &'a str, slot: Slot<'a>) -> &mut Slot<'a> {
        let i = self.slots.len();
        if i < SCAN {
            // One at a time while few: no spare room in the many small sets.
            self.slots.reserve_exact(1);
        }
        self.slots.push((name, slot));
        if let Some(index) = &mut self.index {
            index.insert(name, i);
        } else if self.slots.len() > SCAN {
            let index = self.slots.iter().enumerate().map(|(i, (n, _))| (*n, i));
            self.index = Some(Box::new(index.collect()));
        }
        &mut self.slots[i].1
    }

    fn keys(&self) -> impl Iterator<Item = (&'a str, TextRange)> + '_ {
        self.slots.iter().map(|(n, s)| (*n, s.key()))
    }
}

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
            let mut names = Names::default();
            finder.add_bindings(&mut names, bindings);
        }
    }
    let mut found = finder.found;
    found.sort_by_key(|d| (d.at.start, d.at.end));
    found.dedup_by_key(|d| d.at);
    found
}

impl<'a> Finder<'a> {
    fn add_bindings(&mut self, names: &mut Names<'a>, bindings: &'a [Binding]) {
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
                            name,
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

    fn add_path(&mut self, names: &mut Names<'a>, path: &'a [AttrKey], value: ExprId) {
        let Some((AttrKey::Static { name, range }, rest)) = path.split_first() else {
            return;
        };
        if !rest.is_empty() {
            let slot = match names.position(name) {
                Some(i) => &mut names.slots[i].1,
                None => names.insert(
                    name,
                    Slot::Nested {
                        key: *range,
                        names: Names::default(),
                    },
                ),
            };
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
                    name,
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
    fn merge_literal(&mut self, nested: &mut Names<'a>, bindings: &'a [Binding]) {
        let before: HashMap<&str, TextRange> = nested.keys().collect();
        for binding in bindings {
            if let Binding::Value { path, .. } = binding
                && let Some(AttrKey::Static { name, range }) = path.first()
                && let Some(first) = before.get(name.as_str())
            {
                let first = *first;
                self.duplicate(name, *range, first);
                continue;
            }
            self.add_bindings(nested, std::slice::from_ref(binding));
        }
    }

    /// `a = { … };` becomes nested names so that more can merge into it.
    fn open_literal(&mut self, slot: &mut Slot<'a>) {
        let Slot::Value {
            key,
            literal: Some(expr),
        } = slot
        else {
            return;
        };
        let (key, expr) = (*key, *expr);
        let mut names = Names::default();
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
