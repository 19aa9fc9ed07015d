//! Sets with parts under an undecided condition: `x // optionalAttrs c { b = …; }`.
//!
//! `//` keeps such a part as the `if` it came from (an unknown with two alternatives) in
//! the set's `unknown_names`. When both alternatives are sets, a name the set's entries
//! lack is looked up in each, so what the set holds under either outcome is still known:
//! `b` is there when `c` holds, and every other name of `x` is `x`'s. A part whose
//! alternatives are not both sets (a name from `pkgs`, `${e} = …`) leaves its names
//! unknown, as before.

use std::rc::Rc;

use nix_source::Span;

use crate::eval::Eval;
use crate::value::{Attr, Attrs, ErrorKind, Reason, Thunk, Unknown, Value};

/// How deep alternatives nest inside alternatives before the rest is left unknown.
const DEPTH: u32 = 32;

/// What a set holds under a name.
#[derive(Clone)]
pub enum Member {
    /// Not in the set.
    Absent,
    /// In the set, with this value, named where written.
    Present(Attr),
    /// Decided by `condition`: `then` when it holds, `otherwise` when it does not.
    Either {
        condition: Rc<Unknown>,
        then: Box<Member>,
        otherwise: Box<Member>,
    },
    /// The set's names are not all known: the name may be one of them, for this reason.
    Unknown(Rc<Unknown>),
}

impl Member {
    /// Whether the set holds the name (`?`, `hasAttr`): an unknown where that is undecided,
    /// placed at the condition that decides it, else at `span`.
    pub fn held(&self, span: Option<Span>) -> Result<bool, Value> {
        match self {
            Member::Present(_) => Ok(true),
            Member::Absent => Ok(false),
            Member::Either { condition, .. } => Err(Value::unknown(
                Reason::UndecidedCondition,
                condition.span.or(span),
            )),
            Member::Unknown(_) => Err(Value::unknown(Reason::UndecidedCondition, span)),
        }
    }

    /// Whether any of `members` (one name in several sets, as `zipAttrsWith` sees it) is
    /// held: `present` where one is, absent where none is, decided by their conditions in
    /// turn.
    pub fn any(members: &[Member], present: &Attr) -> Member {
        let mut budget = DEPTH;
        Member::any_within(members, present, &mut budget)
    }

    fn any_within(members: &[Member], present: &Attr, budget: &mut u32) -> Member {
        let Some((first, rest)) = members.split_first() else {
            return Member::Absent;
        };
        match first {
            Member::Absent => Member::any_within(rest, present, budget),
            Member::Present(_) => Member::Present(present.clone()),
            Member::Unknown(u) => Member::Unknown(u.clone()),
            Member::Either { condition, .. } if *budget == 0 => Member::Unknown(condition.clone()),
            Member::Either {
                condition,
                then,
                otherwise,
            } => {
                *budget -= 1;
                let branch = |taken: &Member, budget: &mut u32| {
                    let members: Vec<Member> = std::iter::once(taken.clone())
                        .chain(rest.iter().cloned())
                        .collect();
                    Member::any_within(&members, present, budget)
                };
                let then = branch(then, budget);
                let otherwise = branch(otherwise, budget);
                Member::either(condition, then, otherwise)
            }
        }
    }

    fn either(condition: &Rc<Unknown>, then: Member, otherwise: Member) -> Member {
        match (&then, &otherwise) {
            (Member::Absent, Member::Absent) => Member::Absent,
            (Member::Present(a), Member::Present(b)) if a.value.ptr_eq(&b.value) => then,
            _ => Member::Either {
                condition: condition.clone(),
                then: Box::new(then),
                otherwise: Box::new(otherwise),
            },
        }
    }
}

/// What [`Eval::undecided_names`] finds.
#[derive(Default)]
pub struct UndecidedNames {
    /// Names a part holds under some outcome of its conditions.
    pub names: Vec<(Rc<str>, Option<Span>)>,
    /// Parts whose names only Nix knows.
    pub unknown: Vec<Rc<Unknown>>,
}

impl Eval {
    /// What `attrs` holds under `name`.
    pub fn member(&mut self, attrs: &Attrs, name: &str) -> Member {
        self.member_in(attrs, name, &Member::Absent, DEPTH)
            .unwrap_or(Member::Absent)
    }

    /// What `attrs` holds under `name`, `fallback` where neither it nor its parts do;
    /// `None` when nothing of it can hold `name` (the fallback stands as it is).
    fn member_in(
        &mut self,
        attrs: &Attrs,
        name: &str,
        fallback: &Member,
        depth: u32,
    ) -> Option<Member> {
        match attrs.get(name) {
            Some(attr) => Some(Member::Present(attr.clone())),
            None if attrs.unknown_names.is_empty() => None,
            None => self.member_of_parts(&attrs.unknown_names, name, fallback.clone(), depth),
        }
    }

    /// `name` in the undecided parts `parts` of a set (a later part wins), `fallback`
    /// where none holds it; `None` when no part can hold it. A part that cannot hold it
    /// leaves what came before as it is, so a name looked up through many parts makes a
    /// decision only for each part that may hold it.
    fn member_of_parts(
        &mut self,
        parts: &[Rc<Unknown>],
        name: &str,
        fallback: Member,
        depth: u32,
    ) -> Option<Member> {
        let mut found = fallback;
        let mut held = false;
        for part in parts {
            let Some((then, otherwise)) = self.alternative_sets(part, depth) else {
                return Some(Member::Unknown(part.clone()));
            };
            let in_then = self.member_in(&then, name, &found, depth - 1);
            let in_otherwise = self.member_in(&otherwise, name, &found, depth - 1);
            if in_then.is_none() && in_otherwise.is_none() {
                continue;
            }
            held = true;
            let then = in_then.unwrap_or_else(|| found.clone());
            let otherwise = in_otherwise.unwrap_or(found);
            found = Member::either(part, then, otherwise);
        }
        held.then_some(found)
    }

    /// The sets an undecided part holds when its condition holds and when it does not;
    /// `None` when they are not both sets.
    fn alternative_sets(
        &mut self,
        part: &Rc<Unknown>,
        depth: u32,
    ) -> Option<(Rc<Attrs>, Rc<Attrs>)> {
        if depth == 0 || part.reason != Reason::UndecidedCondition {
            return None;
        }
        let (then, otherwise) = part.alternatives.clone()?;
        Some((self.as_set(&then)?, self.as_set(&otherwise)?))
    }

    /// A set, or an `if` on an undecided condition (`if a then { … } else if b …`) as a set
    /// made of that one part.
    fn as_set(&mut self, thunk: &Thunk) -> Option<Rc<Attrs>> {
        match self.force(thunk) {
            Value::Attrs(a) => Some(a),
            Value::Unknown(u) if u.alternatives.is_some() && !u.reason.is_error() => {
                Some(Rc::new(Attrs {
                    unknown_names: vec![u.clone()],
                    span: u.span,
                    ..Attrs::default()
                }))
            }
            _ => None,
        }
    }

    /// The names the undecided parts of `attrs` may add (besides its entries), with where
    /// each is written, and the parts whose names only Nix knows.
    pub fn undecided_names(&mut self, attrs: &Attrs) -> UndecidedNames {
        let mut out = UndecidedNames::default();
        self.collect_undecided(&attrs.unknown_names, &mut out, DEPTH);
        out.names.sort_by(|a, b| a.0.cmp(&b.0));
        out.names.dedup_by(|later, first| later.0 == first.0);
        out
    }

    fn collect_undecided(&mut self, parts: &[Rc<Unknown>], out: &mut UndecidedNames, depth: u32) {
        for part in parts {
            match self.alternative_sets(part, depth) {
                Some((then, otherwise)) => {
                    for set in [then, otherwise] {
                        out.names
                            .extend(set.entries.iter().map(|(k, a)| (k.clone(), a.key_span)));
                        self.collect_undecided(&set.unknown_names, out, depth - 1);
                    }
                }
                None => out.unknown.push(part.clone()),
            }
        }
    }

    /// The value of a member: `None` when absent, or when the set's names are unknown
    /// (the caller says what that means); an undecided member is an `if` on its
    /// condition, with `absent` where a branch lacks it.
    pub fn member_value(&mut self, member: Member, absent: &Thunk) -> Option<Value> {
        match member {
            Member::Absent | Member::Unknown(_) => None,
            Member::Present(attr) => Some(self.force(&attr.value)),
            Member::Either {
                condition,
                then,
                otherwise,
            } => Some(undecided(&condition, *then, *otherwise, absent)),
        }
    }

    /// `x.name` where `x` lacks it: Nix's error.
    pub(crate) fn missing(name: &str, span: Option<Span>) -> Thunk {
        Thunk::ready(Value::error(
            ErrorKind::MissingAttribute,
            format!("attribute '{name}' missing"),
            span,
        ))
    }

    /// The value of `name` in `left // right` when `right`'s undecided parts may hold it:
    /// theirs under the conditions they hold it, `left`'s elsewhere.
    pub(crate) fn updated_member(
        &mut self,
        right: &[Rc<Unknown>],
        name: &str,
        left: Thunk,
        span: Option<Span>,
    ) -> Value {
        let left = Member::Present(Attr {
            value: left,
            key_span: None,
        });
        let member = self
            .member_of_parts(right, name, left.clone(), DEPTH)
            .unwrap_or(left);
        match member {
            Member::Unknown(u) => self.unknown_from(&Value::Unknown(u), span),
            member => {
                let absent = Eval::missing(name, span);
                self.member_value(member, &absent)
                    .unwrap_or_else(|| Value::unknown(Reason::UndecidedCondition, span))
            }
        }
    }
}

/// An `if` on `condition` between two members.
fn undecided(condition: &Rc<Unknown>, then: Member, otherwise: Member, absent: &Thunk) -> Value {
    Value::Unknown(Rc::new(Unknown {
        alternatives: Some((thunk_of(then, absent), thunk_of(otherwise, absent))),
        ..Unknown::new(Reason::UndecidedCondition, condition.span)
    }))
}

fn thunk_of(member: Member, absent: &Thunk) -> Thunk {
    match member {
        Member::Absent => absent.clone(),
        Member::Present(attr) => attr.value,
        Member::Unknown(u) => Thunk::ready(Value::Unknown(u)),
        Member::Either {
            condition,
            then,
            otherwise,
        } => Thunk::ready(undecided(&condition, *then, *otherwise, absent)),
    }
}
