//! Strings holding store paths whose hash is unknown: `/nix/store/<32 characters>-<name>`
//! has a known length and known text but for the hash, so `stringLength`, and `substring`
//! away from the hash, are exact (`lib.hasSuffix ".nix"` on a path coerced to a string,
//! as in `filter (hasSuffix ".nix") (listFilesRecursive ./modules)`).

use std::rc::Rc;

use crate::value::{Part, Reason, Str, Unknown};

const STORE_DIR: &str = "/nix/store/";
/// Where the hash ends: `/nix/store/` and 32 characters.
const HASH_END: usize = STORE_DIR.len() + 32;

/// The name of a store path part, when the part is one.
fn store_name(unknown: &Unknown) -> Option<&str> {
    match &unknown.reason {
        Reason::Derivation { name, .. } => Some(name),
        _ => None,
    }
}

fn part_len(part: &Part) -> Option<usize> {
    match part {
        Part::Text(t) => Some(t.len()),
        Part::Unknown(u) => match &u.reason {
            Reason::StoreHash { len } => Some(*len),
            _ => store_name(u).map(|name| HASH_END + 1 + name.len()),
        },
    }
}

/// `len` unknown characters of a hash.
fn hash(len: usize, span: Option<nix_source::Span>) -> Part {
    Part::Unknown(Rc::new(Unknown::new(Reason::StoreHash { len }, span)))
}

/// The byte length of `s`, when every unknown part is a store path.
pub(crate) fn length(s: &Str) -> Option<usize> {
    s.parts.iter().map(part_len).sum()
}

/// Bytes `start..end` of `s` (clamped): what falls in a hash stays unknown (with its
/// length); `None` when they reach an unknown part of unknown length.
pub(crate) fn substring(s: &Str, start: usize, end: usize) -> Option<Str> {
    let mut parts = Vec::new();
    let mut offset = 0;
    for part in &s.parts {
        let len = part_len(part)?;
        let (from, to) = (start.max(offset), end.min(offset + len));
        if from < to {
            let (a, b) = (from - offset, to - offset);
            match part {
                Part::Text(t) => push(&mut parts, &t.as_bytes()[a..b]),
                Part::Unknown(_) if a == 0 && b == len => parts.push(part.clone()),
                Part::Unknown(u) => match store_name(u) {
                    None => parts.push(hash(b - a, u.span)),
                    Some(name) => {
                        let known = format!("{STORE_DIR}{}-{name}", "?".repeat(32));
                        let bytes = known.as_bytes();
                        if a < STORE_DIR.len() {
                            push(&mut parts, &bytes[a..b.min(STORE_DIR.len())]);
                        }
                        let (ha, hb) = (a.max(STORE_DIR.len()), b.min(HASH_END));
                        if ha < hb {
                            parts.push(hash(hb - ha, u.span));
                        }
                        if b > HASH_END {
                            push(&mut parts, &bytes[a.max(HASH_END)..b]);
                        }
                    }
                },
            }
        }
        offset += len;
        if offset >= end {
            break;
        }
    }
    Some(Str {
        parts,
        span: s.span,
    })
}

/// Each byte of `s` where known (`None` inside a store path's hash), when its length is.
fn bytes(s: &Str) -> Option<Vec<Option<u8>>> {
    let mut out = Vec::new();
    for part in &s.parts {
        match part {
            Part::Text(t) => out.extend(t.bytes().map(Some)),
            Part::Unknown(u) => {
                if let Reason::StoreHash { len } = u.reason {
                    out.extend(std::iter::repeat_n(None, len));
                    continue;
                }
                let name = store_name(u)?;
                out.extend(STORE_DIR.bytes().map(Some));
                out.extend(std::iter::repeat_n(None, HASH_END - STORE_DIR.len()));
                out.push(Some(b'-'));
                out.extend(name.bytes().map(Some));
            }
        }
    }
    Some(out)
}

/// The characters of a store path's hash (Nix's base 32: no `e`, `o`, `t`, `u`).
const HASH_CHARS: &[u8] = b"0123456789abcdfghijklmnpqrsvwxyz";

/// Whether `needle` occurs in `s`, when that does not depend on a hash: `None` when it
/// may occur across or inside one. A hash holds only [`HASH_CHARS`], so a needle with other
/// characters (`_`, `/`, `.`) can only lie in the known text (`lib.hasInfix "_"` of a
/// path Nix copies to the store).
pub(crate) fn contains(s: &Str, needle: &[u8]) -> Option<bool> {
    let hay = bytes(s)?;
    if needle.is_empty() {
        return Some(true);
    }
    let mut may = false;
    for window in hay.windows(needle.len()) {
        let (mut possible, mut certain) = (true, true);
        for (slot, c) in window.iter().zip(needle) {
            match slot {
                Some(b) if b == c => {}
                None if HASH_CHARS.contains(c) => certain = false,
                _ => {
                    possible = false;
                    break;
                }
            }
        }
        if possible && certain {
            return Some(true);
        }
        may |= possible;
    }
    if may { None } else { Some(false) }
}

/// The known text before the first unknown part, and after the last.
fn known_ends(s: &Str) -> (String, String) {
    let text = |part: &Part| match part {
        Part::Text(t) => Some(t.to_string()),
        Part::Unknown(_) => None,
    };
    let head: String = s.parts.iter().map_while(text).collect();
    let mut tail: Vec<String> = s.parts.iter().rev().map_while(text).collect();
    tail.reverse();
    (head, tail.concat())
}

/// Whether two strings, not both known, certainly differ: their known text differs at
/// the same place (from the start, from the end, or anywhere when both lengths are known).
pub(crate) fn known_unequal(a: &Str, b: &Str) -> bool {
    if let (Some(x), Some(y)) = (bytes(a), bytes(b)) {
        return x.len() != y.len()
            || x.iter()
                .zip(&y)
                .any(|(p, q)| matches!((p, q), (Some(p), Some(q)) if p != q));
    }
    let ((a_head, a_tail), (b_head, b_tail)) = (known_ends(a), known_ends(b));
    let differ = |x: &[u8], y: &[u8]| x.iter().zip(y).any(|(p, q)| p != q);
    differ(a_head.as_bytes(), b_head.as_bytes())
        || differ(
            &a_tail.bytes().rev().collect::<Vec<_>>(),
            &b_tail.bytes().rev().collect::<Vec<_>>(),
        )
}

/// Whether two strings, not both known, are certainly equal: the same text around store
/// copies of the same repository paths, in the same places (`"${./.}/a" == "${./.}/a"`;
/// a path's store copy depends only on the path).
pub(crate) fn same_copies(a: &Str, b: &Str) -> bool {
    let copy = |p: &Part| match p {
        Part::Unknown(u) => match &u.reason {
            Reason::Derivation {
                name,
                source: Some(source),
            } => Some((name.clone(), source.clone())),
            _ => None,
        },
        Part::Text(_) => None,
    };
    a.parts.len() == b.parts.len()
        && a.parts.iter().zip(&b.parts).all(|(p, q)| match (p, q) {
            (Part::Text(x), Part::Text(y)) => x == y,
            _ => copy(p).is_some() && copy(p) == copy(q),
        })
}

fn push(parts: &mut Vec<Part>, bytes: &[u8]) {
    let text: Rc<str> = String::from_utf8_lossy(bytes).into();
    crate::strings::push_parts(parts, &[Part::Text(text)]);
}
