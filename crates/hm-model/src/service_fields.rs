//! A service's fields by key, in the order they were found.

use serde::Serialize;

use crate::model::Field;

/// Up to this many fields are found by scanning; more get an index sorted by key.
const SCAN: usize = 8;

/// A service's fields by key (`Service.ExecStart`), in the order they were found. Built
/// once and kept for the whole run, for every service: a boxed slice with no spare room
/// and, past a few fields, the entries' positions sorted by key — no hash table per
/// service.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    entries: Box<[(String, Field)]>,
    /// Positions in `entries` sorted by key; empty up to [`SCAN`] fields.
    by_key: Box<[u32]>,
}

impl Fields {
    pub fn get(&self, key: &str) -> Option<&Field> {
        let entry = if self.by_key.is_empty() {
            self.entries.iter().find(|(k, _)| k == key)
        } else {
            let i = self
                .by_key
                .binary_search_by(|&i| self.entries[i as usize].0.as_str().cmp(key))
                .ok()?;
            self.entries.get(self.by_key[i] as usize)
        };
        entry.map(|(_, field)| field)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn iter(&self) -> Iter<'_> {
        self.entries.iter().map(|(k, f)| (k, f))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// [`Fields::iter`]: each key with its field.
pub type Iter<'a> = std::iter::Map<
    std::slice::Iter<'a, (String, Field)>,
    fn(&'a (String, Field)) -> (&'a String, &'a Field),
>;

impl<'a> IntoIterator for &'a Fields {
    type Item = (&'a String, &'a Field);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// A key found again replaces the field found first, in its place.
impl FromIterator<(String, Field)> for Fields {
    fn from_iter<I: IntoIterator<Item = (String, Field)>>(iter: I) -> Self {
        let mut entries: Vec<(String, Field)> = iter.into_iter().collect();
        let mut order = sorted(&entries);
        let mut duplicated = false;
        for pair in order.windows(2) {
            let (first, next) = (pair[0] as usize, pair[1] as usize);
            if entries[first].0 == entries[next].0 {
                duplicated = true;
            }
        }
        if duplicated {
            // Equal keys are sorted by position: the first of each run keeps its place and
            // takes the last one's field.
            let mut keep = vec![true; entries.len()];
            let mut run = 0;
            for i in 1..=order.len() {
                let same = i < order.len()
                    && entries[order[i] as usize].0 == entries[order[run] as usize].0;
                if same {
                    keep[order[i] as usize] = false;
                    continue;
                }
                let (first, last) = (order[run] as usize, order[i - 1] as usize);
                if first != last {
                    let field = entries[last].1.clone();
                    entries[first].1 = field;
                }
                run = i;
            }
            let mut kept = keep.into_iter();
            entries.retain(|_| kept.next().unwrap_or(true));
            order = sorted(&entries);
        }
        let by_key = if entries.len() > SCAN {
            order.into_boxed_slice()
        } else {
            Box::default()
        };
        Fields {
            entries: entries.into_boxed_slice(),
            by_key,
        }
    }
}

/// Positions of `entries` sorted by key, then by position.
fn sorted(entries: &[(String, Field)]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..entries.len() as u32).collect();
    order.sort_by(|&a, &b| {
        entries[a as usize]
            .0
            .cmp(&entries[b as usize].0)
            .then(a.cmp(&b))
    });
    order
}

impl Serialize for Fields {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use nix_source::{FileId, Span, TextRange};

    use super::*;
    use crate::model::FieldValue;

    fn field(i: i64) -> Field {
        Field {
            value: FieldValue::Int(i),
            span: Span {
                file: FileId(0),
                range: TextRange::new(0, 0),
            },
            key_spans: Box::default(),
        }
    }

    fn shown(fields: &Fields) -> Vec<(String, i64)> {
        fields
            .iter()
            .map(|(k, f)| match f.value {
                FieldValue::Int(i) => (k.clone(), i),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn keys_found_again_replace_the_first_in_place() {
        for n in [3, 20] {
            let mut keys: Vec<String> = (0..n).map(|i| format!("k{}", n - i)).collect();
            keys.insert(1, "k1".to_string());
            keys.push("k2".to_string());
            let fields: Fields = keys
                .iter()
                .enumerate()
                .map(|(i, k)| (k.clone(), field(i as i64)))
                .collect();
            let mut expected = indexmap::IndexMap::new();
            for (i, k) in keys.iter().enumerate() {
                expected.insert(k.clone(), i as i64);
            }
            let expected: Vec<(String, i64)> = expected.into_iter().collect();
            assert_eq!(shown(&fields), expected);
            for (k, i) in &expected {
                assert!(
                    matches!(fields.get(k).map(|f| &f.value), Some(FieldValue::Int(v)) if v == i)
                );
            }
            assert!(fields.get("nope").is_none());
        }
    }
}
