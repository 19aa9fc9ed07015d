//! The entries of an attribute set, ordered by name: a sorted vector while small, a
//! `BTreeMap` once larger. Most sets have a few names (`s.Service.ExecStart = …` makes two
//! sets of one), and a B-tree's smallest node holds eleven: a vector keeps them in a
//! tenth of the memory, and large sets keep the tree's logarithmic inserts.

use std::collections::BTreeMap;
use std::collections::btree_map;
use std::rc::Rc;

use either::Either;

use crate::value::Attr;

/// Above this many names, a set is kept as a tree.
const SMALL: usize = 8;

#[derive(Clone)]
pub struct AttrMap(Repr);

#[derive(Clone)]
enum Repr {
    /// Sorted by name, no spare capacity.
    Small(Vec<(Rc<str>, Attr)>),
    /// Boxed, so a map is as small as a vector (every set holds one, most are small).
    #[allow(
        clippy::box_collection,
        reason = "the box makes every small map smaller"
    )]
    Large(Box<BTreeMap<Rc<str>, Attr>>),
}

impl Default for AttrMap {
    fn default() -> Self {
        AttrMap::new()
    }
}

type Iter<'a> = Either<
    std::iter::Map<
        std::slice::Iter<'a, (Rc<str>, Attr)>,
        fn(&(Rc<str>, Attr)) -> (&Rc<str>, &Attr),
    >,
    btree_map::Iter<'a, Rc<str>, Attr>,
>;

type IterMut<'a> = Either<
    std::iter::Map<
        std::slice::IterMut<'a, (Rc<str>, Attr)>,
        fn(&mut (Rc<str>, Attr)) -> (&Rc<str>, &mut Attr),
    >,
    btree_map::IterMut<'a, Rc<str>, Attr>,
>;

type IntoIter = Either<std::vec::IntoIter<(Rc<str>, Attr)>, btree_map::IntoIter<Rc<str>, Attr>>;

impl AttrMap {
    pub const fn new() -> Self {
        AttrMap(Repr::Small(Vec::new()))
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Small(v) => v.len(),
            Repr::Large(m) => m.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, name: &str) -> Option<&Attr> {
        match &self.0 {
            Repr::Small(v) => search(v, name).ok().map(|i| &v[i].1),
            Repr::Large(m) => m.get(name),
        }
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Attr> {
        match &mut self.0 {
            Repr::Small(v) => search(v, name).ok().map(|i| &mut v[i].1),
            Repr::Large(m) => m.get_mut(name),
        }
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets `name`, returning the value it replaces.
    pub fn insert(&mut self, name: Rc<str>, attr: Attr) -> Option<Attr> {
        match &mut self.0 {
            Repr::Small(v) => match search(v, &name) {
                Ok(i) => Some(std::mem::replace(&mut v[i].1, attr)),
                Err(_) if v.len() == SMALL => {
                    let mut tree: BTreeMap<Rc<str>, Attr> = std::mem::take(v).into_iter().collect();
                    tree.insert(name, attr);
                    self.0 = Repr::Large(Box::new(tree));
                    None
                }
                Err(i) => {
                    v.reserve_exact(1);
                    v.insert(i, (name, attr));
                    None
                }
            },
            Repr::Large(m) => m.insert(name, attr),
        }
    }

    /// Sets `name` unless it is set already (the first definition wins).
    pub fn insert_if_absent(&mut self, name: Rc<str>, attr: Attr) {
        match &mut self.0 {
            Repr::Large(m) => {
                m.entry(name).or_insert(attr);
            }
            Repr::Small(v) => {
                if search(v, &name).is_err() {
                    self.insert(name, attr);
                }
            }
        }
    }

    /// Keeps the entries for which `keep` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(&Rc<str>, &mut Attr) -> bool) {
        match &mut self.0 {
            Repr::Small(v) => v.retain_mut(|(k, a)| keep(k, a)),
            Repr::Large(m) => m.retain(|k, a| keep(k, a)),
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<Attr> {
        match &mut self.0 {
            Repr::Small(v) => search(v, name).ok().map(|i| v.remove(i).1),
            Repr::Large(m) => m.remove(name),
        }
    }

    pub fn iter(&self) -> Iter<'_> {
        match &self.0 {
            Repr::Small(v) => Either::Left(v.iter().map(|(k, a)| (k, a))),
            Repr::Large(m) => Either::Right(m.iter()),
        }
    }

    pub fn iter_mut(&mut self) -> IterMut<'_> {
        match &mut self.0 {
            Repr::Small(v) => Either::Left(v.iter_mut().map(|(k, a)| (&*k, a))),
            Repr::Large(m) => Either::Right(m.iter_mut()),
        }
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Rc<str>> + ExactSizeIterator {
        self.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Attr> + ExactSizeIterator {
        self.iter().map(|(_, a)| a)
    }
}

fn search(entries: &[(Rc<str>, Attr)], name: &str) -> Result<usize, usize> {
    entries.binary_search_by(|(k, _)| k.as_ref().cmp(name))
}

impl<'a> IntoIterator for &'a AttrMap {
    type Item = (&'a Rc<str>, &'a Attr);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut AttrMap {
    type Item = (&'a Rc<str>, &'a mut Attr);
    type IntoIter = IterMut<'a>;

    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

impl IntoIterator for AttrMap {
    type Item = (Rc<str>, Attr);
    type IntoIter = IntoIter;

    fn into_iter(self) -> IntoIter {
        match self.0 {
            Repr::Small(v) => Either::Left(v.into_iter()),
            Repr::Large(m) => Either::Right((*m).into_iter()),
        }
    }
}

impl Extend<(Rc<str>, Attr)> for AttrMap {
    fn extend<I: IntoIterator<Item = (Rc<str>, Attr)>>(&mut self, items: I) {
        for (name, attr) in items {
            self.insert(name, attr);
        }
    }
}

impl FromIterator<(Rc<str>, Attr)> for AttrMap {
    /// Later entries of the same name win, as with `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (Rc<str>, Attr)>>(items: I) -> Self {
        let items = items.into_iter();
        if items.size_hint().0 > SMALL {
            return AttrMap(Repr::Large(Box::new(items.collect())));
        }
        let mut map = AttrMap::new();
        map.extend(items);
        map
    }
}

impl From<BTreeMap<Rc<str>, Attr>> for AttrMap {
    fn from(tree: BTreeMap<Rc<str>, Attr>) -> Self {
        if tree.len() > SMALL {
            AttrMap(Repr::Large(Box::new(tree)))
        } else {
            AttrMap(Repr::Small(tree.into_iter().collect()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Thunk, Value};

    fn attr(n: i64) -> Attr {
        Attr {
            value: Thunk::ready(Value::Int(n)),
            key_span: None,
        }
    }

    fn names(map: &AttrMap) -> Vec<String> {
        map.keys().map(|k| k.to_string()).collect()
    }

    #[test]
    fn ordered_by_name_small_and_large() {
        for n in [3, SMALL, SMALL + 1, 40] {
            let mut map = AttrMap::new();
            let mut expected: Vec<String> = (0..n).map(|i| format!("k{i}")).collect();
            for (i, name) in expected.iter().enumerate().rev() {
                assert!(map.insert(name.as_str().into(), attr(i as i64)).is_none());
            }
            expected.sort();
            assert_eq!(names(&map), expected);
            assert_eq!(map.len(), n);
            assert!(map.insert("k0".into(), attr(-1)).is_some());
            assert_eq!(map.len(), n);
            assert!(map.get("k0").is_some() && map.get("k").is_none());
            assert!(map.remove("k0").is_some() && !map.contains_key("k0"));
            assert_eq!(map.len(), n - 1);
        }
    }
}
