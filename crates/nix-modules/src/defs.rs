//! Definitions of an option path: every module's `config` is followed down the path,
//! unwrapping `mkIf` (its condition is kept, not forced), `mkMerge`, `mkOverride` and
//! `mkOrder` at each level, as nixpkgs' `pushDownProperties` does.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use nix_eval::{Eval, Member, Reason, Thunk, Unknown, Value};
use nix_source::{FileId, Span};

use crate::Modules;

/// The default priority of a definition (`mkOverride 100`).
pub const DEFAULT_PRIORITY: i64 = 100;
/// The priority of an option's `default` (`mkOptionDefault`).
pub const OPTION_DEFAULT_PRIORITY: i64 = 1500;
const DEFAULT_ORDER: i64 = 1000;

/// `mkIf condition …` around a definition.
#[derive(Clone)]
pub struct Condition {
    pub value: Thunk,
    /// Where the condition is written.
    pub span: Option<Span>,
    /// The `else` branch of an `if` on this condition.
    pub negated: bool,
    /// A branch of an `if` inside the value (or of a set's undecided part), not `mkIf`.
    pub branch: bool,
}

/// Whether a definition's conditions hold.
#[derive(Clone)]
pub enum Decided {
    True,
    False,
    /// Not known statically: the first undecided condition (its reason, where it is
    /// written, and whether it must be false).
    Unknown(Rc<Unknown>, Option<Span>, bool),
}

/// One definition of an option path.
#[derive(Clone)]
pub struct Def {
    /// The value, properties unwrapped (it may be unknown).
    pub value: Value,
    pub conditions: Vec<Condition>,
    pub priority: i64,
    pub order: i64,
    /// The file of the module that defines it.
    pub file: Option<FileId>,
    /// Where the last component of the path is written.
    pub key_span: Option<Span>,
    /// Where the value is written.
    pub span: Option<Span>,
    /// An unknown value from a level above (`x = pkgs.something;` seen at `x.y`), or a set
    /// whose names only Nix knows: it may define this path, or not.
    pub maybe: bool,
}

impl Def {
    pub fn decide(&self, eval: &mut Eval) -> Decided {
        decide(eval, &self.conditions)
    }

    /// Whether it is one branch of an `if` in the value whose condition only Nix decides
    /// (`if pkgs.x != null then pkgs.x else [ ]`): a value Nix may never take.
    pub fn in_undecided_branch(&self, eval: &mut Eval) -> bool {
        self.conditions
            .iter()
            .any(|c| c.branch && matches!(eval.force(&c.value), Value::Unknown(_)))
    }
}

pub fn decide(eval: &mut Eval, conditions: &[Condition]) -> Decided {
    let mut unknown = None;
    for c in conditions {
        match eval.force(&c.value) {
            Value::Bool(b) if b != c.negated => {}
            Value::Bool(_) => return Decided::False,
            Value::Unknown(u) => {
                if unknown.is_none() {
                    unknown = Some((u, c.span, c.negated));
                }
            }
            _ => {
                if unknown.is_none() {
                    unknown = Some((
                        Rc::new(Unknown::new(
                            Reason::error(
                                nix_eval::ErrorKind::Type,
                                "a condition must be a Boolean",
                            ),
                            c.span,
                        )),
                        c.span,
                        c.negated,
                    ));
                }
            }
        }
    }
    match unknown {
        Some((u, span, negated)) => Decided::Unknown(u, span, negated),
        None => Decided::True,
    }
}

/// Definitions seen one by one, to tell when two of them hold under opposite outcomes of
/// the same undecided condition and nothing else (`x // optionalAttrs c { a = …; }` with
/// `a` in `x` too defines `a` when `c` holds and when it does not): together, always.
#[derive(Default)]
pub struct Outcomes(Vec<(Rc<Unknown>, bool)>);

impl Outcomes {
    /// Adds `def`; whether it and one seen before together hold under every outcome.
    pub fn complete_with(&mut self, eval: &mut Eval, def: &Def) -> bool {
        let Some((condition, negated)) = sole_condition(eval, &def.conditions) else {
            return false;
        };
        let opposite = self
            .0
            .iter()
            .any(|(c, n)| Rc::ptr_eq(c, &condition) && *n != negated);
        self.0.push((condition, negated));
        opposite
    }
}

/// `a` and `b` when they hold under opposite outcomes of one undecided condition and
/// nothing else: the `if` on it between their values.
pub fn either_of(eval: &mut Eval, a: &Def, b: &Def) -> Option<Value> {
    let (condition, a_negated) = sole_condition(eval, &a.conditions)?;
    let (other, b_negated) = sole_condition(eval, &b.conditions)?;
    if !Rc::ptr_eq(&condition, &other) || a_negated == b_negated {
        return None;
    }
    let (then, otherwise) = if a_negated { (b, a) } else { (a, b) };
    Some(Value::Unknown(Rc::new(Unknown {
        alternatives: Some((
            Thunk::ready(then.value.clone()),
            Thunk::ready(otherwise.value.clone()),
        )),
        ..Unknown::new(Reason::UndecidedCondition, condition.span)
    })))
}

/// The one condition of `conditions` only Nix decides, and whether it must be false,
/// when all the others hold.
fn sole_condition(eval: &mut Eval, conditions: &[Condition]) -> Option<(Rc<Unknown>, bool)> {
    let mut sole = None;
    for c in conditions {
        match eval.force(&c.value) {
            Value::Bool(b) if b != c.negated => {}
            Value::Unknown(u) if sole.is_none() && !u.reason.is_error() => {
                sole = Some((u, c.negated));
            }
            _ => return None,
        }
    }
    sole
}

struct Frame {
    conditions: Vec<Condition>,
    priority: i64,
    order: i64,
    file: Option<FileId>,
    key_span: Option<Span>,
}

impl Frame {
    /// The definition of `value`, written at `span`, in this frame.
    fn def(self, value: Value, span: Option<Span>) -> Def {
        Def {
            value,
            conditions: self.conditions,
            priority: self.priority,
            order: self.order,
            file: self.file,
            key_span: self.key_span,
            span,
            maybe: false,
        }
    }

    /// This frame, inside the `then` (or, `negated`, the `else`) branch of an `if` on the
    /// undecided `condition`.
    fn under(&self, condition: &Rc<Unknown>, negated: bool) -> Frame {
        let mut conditions = self.conditions.clone();
        conditions.push(Condition {
            value: Thunk::ready(Value::Unknown(condition.clone())),
            span: condition.span,
            negated,
            branch: true,
        });
        Frame {
            conditions,
            priority: self.priority,
            order: self.order,
            file: self.file,
            key_span: self.key_span,
        }
    }
}

/// Unwraps module-system properties of `thunk` and pushes the definitions it makes.
fn unwrap(eval: &mut Eval, thunk: &Thunk, frame: Frame, out: &mut Vec<Def>, budget: &mut u32) {
    // Conditions nest only as deep as the code does; a value that contains itself
    // (`s = if c then s else …`) would nest them forever.
    if *budget == 0 || frame.conditions.len() > 32 {
        return;
    }
    *budget -= 1;
    let span = eval.thunk_span(thunk).or(frame.key_span);
    let value = eval.force(thunk);
    let kind = eval.module_type(&value);
    let field =
        |name: &str| -> Option<Thunk> { value.as_attrs()?.get(name).map(|a| a.value.clone()) };
    match kind.as_deref() {
        Some("if") => {
            let (Some(condition), Some(content)) = (field("condition"), field("content")) else {
                return;
            };
            let mut frame = frame;
            let cspan = eval.thunk_span(&condition);
            frame.conditions.push(Condition {
                value: condition,
                span: cspan,
                negated: false,
                branch: false,
            });
            unwrap(eval, &content, frame, out, budget);
        }
        Some("merge") => {
            let Some(contents) = field("contents") else {
                return;
            };
            match eval.force(&contents) {
                Value::List(items) => {
                    for item in &items.items {
                        let frame = Frame {
                            conditions: frame.conditions.clone(),
                            ..frame
                        };
                        unwrap(eval, item, frame, out, budget);
                    }
                }
                other => out.push(frame.def(other, span)),
            }
        }
        Some(k @ ("override" | "order")) => {
            let (Some(priority), Some(content)) = (field("priority"), field("content")) else {
                return;
            };
            let mut frame = frame;
            if let Value::Int(p) = eval.force(&priority) {
                if k == "override" {
                    frame.priority = p;
                } else {
                    frame.order = p;
                }
            }
            unwrap(eval, &content, frame, out, budget);
        }
        Some("definition") => {
            if let Some(v) = field("value") {
                unwrap(eval, &v, frame, out, budget);
            }
        }
        _ if value.as_unknown().is_some_and(|u| u.alternatives.is_some()) => {
            // `if c then a else b` on an undecided `c`: both, each under its condition.
            let Some(u) = value.as_unknown() else { return };
            let Some((then, otherwise)) = u.alternatives.clone() else {
                return;
            };
            for (branch, negated) in [(then, false), (otherwise, true)] {
                unwrap(eval, &branch, frame.under(u, negated), out, budget);
            }
        }
        _ => out.push(frame.def(value, span)),
    }
}

impl Modules {
    /// Every definition of `path`, in module order (memoised: found from the parent
    /// path's definitions).
    pub fn defs_at(&self, eval: &mut Eval, path: &[Rc<str>]) -> Vec<Def> {
        self.level(eval, path).defs.to_vec()
    }

    /// [`Modules::defs_at`] of `path`, given `parent`, the definitions of the path above
    /// it: for walks that visit each path once. Found from `parent` without being
    /// memoised while it holds few definitions (a walk over thousands of services keeps
    /// no level for each); else through the memoised level and its index.
    pub fn defs_below(&self, eval: &mut Eval, path: &[Rc<str>], parent: &[Def]) -> Vec<Def> {
        match path.last() {
            Some(name) if parent.len() <= SCAN => scan(eval, parent, name),
            _ => self.defs_at(eval, path),
        }
    }

    /// The memoised definitions of `path`, found name by name from the top.
    fn level(&self, eval: &mut Eval, path: &[Rc<str>]) -> Rc<Level> {
        let mut level = self.top_level(eval);
        for name in path {
            level = level.below(eval, name);
        }
        level
    }

    /// The memoised definitions of the whole `config`.
    fn top_level(&self, eval: &mut Eval) -> Rc<Level> {
        if let Some(level) = &self.0.borrow().defs {
            return level.clone();
        }
        let level = Level::new(self.top_defs(eval));
        self.0.borrow_mut().defs = Some(level.clone());
        level
    }

    /// Every module's `config`, properties unwrapped.
    fn top_defs(&self, eval: &mut Eval) -> Vec<Def> {
        let roots: Vec<(Thunk, Frame)> = self
            .0
            .borrow()
            .modules
            .iter()
            .map(|m| {
                let frame = Frame {
                    conditions: m.conditions.clone(),
                    priority: DEFAULT_PRIORITY,
                    order: DEFAULT_ORDER,
                    file: m.file,
                    key_span: m.span,
                };
                (m.config.clone(), frame)
            })
            .collect();
        let mut budget = 200_000;
        let mut current = Vec::new();
        for (config, frame) in roots {
            unwrap(eval, &config, frame, &mut current, &mut budget);
        }
        current
    }
}

/// The definitions of one path, and which of them define each name below it.
pub(crate) struct Level {
    defs: Box<[Def]>,
    /// Built when a name below is first asked for (nothing is forced to build it), for
    /// levels of more than `SCAN` definitions; boxed, since most levels have none.
    index: OnceCell<Box<Index>>,
    /// The levels below asked for so far: each path's level is kept once, under its
    /// parent, by its last name (no map keyed by whole paths).
    below: RefCell<Below>,
}

/// Up to this many definitions, a level's children are found by visiting each one: as
/// fast as an index, without its memory (most paths have one or two definitions).
const SCAN: usize = 8;

#[derive(Default)]
struct Index {
    /// The definitions (indices in `defs`, ascending) that set each name.
    by_name: HashMap<Rc<str>, Vec<usize>>,
    /// Those that may set any name: unknown values, sets with names not known.
    any: Vec<usize>,
}

/// Memoised levels below one level, by name: a vector scanned for up to `SCAN` names,
/// else a map (`systemd.user.services` may have thousands).
enum Below {
    Few(Vec<(Rc<str>, Rc<Level>)>),
    Many(HashMap<Rc<str>, Rc<Level>>),
}

impl Below {
    fn get(&self, name: &str) -> Option<&Rc<Level>> {
        match self {
            Below::Few(few) => few.iter().find(|(n, _)| n.as_ref() == name).map(|(_, l)| l),
            Below::Many(many) => many.get(name),
        }
    }

    /// Adds (or replaces) the level of `name`.
    fn insert(&mut self, name: Rc<str>, level: Rc<Level>) {
        match self {
            Below::Few(few) => {
                if let Some(slot) = few.iter_mut().find(|(n, _)| *n == name) {
                    slot.1 = level;
                } else if few.len() < SCAN {
                    // One at a time: most levels have one or two names below.
                    few.reserve_exact(1);
                    few.push((name, level));
                } else {
                    let mut many: HashMap<Rc<str>, Rc<Level>> = few.drain(..).collect();
                    many.insert(name, level);
                    *self = Below::Many(many);
                }
            }
            Below::Many(many) => {
                many.insert(name, level);
            }
        }
    }
}

impl Level {
    fn new(defs: Vec<Def>) -> Rc<Level> {
        // Boxed: no spare capacity, since every level asked for stays memoised.
        Rc::new(Level {
            defs: defs.into_boxed_slice(),
            index: OnceCell::new(),
            below: RefCell::new(Below::Few(Vec::new())),
        })
    }

    /// The memoised level of `name` below this one.
    fn below(&self, eval: &mut Eval, name: &Rc<str>) -> Rc<Level> {
        if let Some(level) = self.below.borrow().get(name) {
            return level.clone();
        }
        // Not borrowed while the definitions are found: forcing them may ask for levels.
        let level = Level::new(self.child(eval, name));
        self.below.borrow_mut().insert(name.clone(), level.clone());
        level
    }

    /// The definitions of `name` below this path, in module order. Only the definitions
    /// that can hold `name` are visited, so asking for each of N names costs N steps.
    fn child(&self, eval: &mut Eval, name: &str) -> Vec<Def> {
        if self.defs.len() <= SCAN {
            return scan(eval, &self.defs, name);
        }
        let mut budget = 200_000;
        let mut next = Vec::new();
        let index = self.index.get_or_init(|| {
            let mut index = Box::<Index>::default();
            for (i, def) in self.defs.iter().enumerate() {
                match &def.value {
                    Value::Attrs(attrs) => {
                        for key in attrs.entries.keys() {
                            index.by_name.entry(key.clone()).or_default().push(i);
                        }
                        if !attrs.unknown_names.is_empty() {
                            index.any.push(i);
                        }
                    }
                    Value::Unknown(_) => index.any.push(i),
                    _ => {}
                }
            }
            index
        });
        let mut visit: Vec<usize> = index.by_name.get(name).cloned().unwrap_or_default();
        if !index.any.is_empty() {
            visit.extend(&index.any);
            visit.sort_unstable();
            visit.dedup();
        }
        for i in visit {
            step(eval, &self.defs[i], name, &mut budget, &mut next);
        }
        next
    }
}

/// The definitions of `name` below `defs`, each visited.
fn scan(eval: &mut Eval, defs: &[Def], name: &str) -> Vec<Def> {
    let mut budget = 200_000;
    let mut next = Vec::new();
    // `step` adds nothing for a definition that cannot hold `name`.
    for def in defs {
        step(eval, def, name, &mut budget, &mut next);
    }
    next
}

/// The definitions of `name` inside `def`, added to `next`.
fn step(eval: &mut Eval, def: &Def, name: &str, budget: &mut u32, next: &mut Vec<Def>) {
    match &def.value {
        Value::Attrs(attrs) => {
            if let Some(attr) = attrs.get(name) {
                let frame = Frame {
                    conditions: def.conditions.clone(),
                    priority: def.priority,
                    order: def.order,
                    file: def.file,
                    key_span: attr.key_span,
                };
                let value = attr.value.clone();
                unwrap(eval, &value, frame, next, budget);
            } else if !attrs.unknown_names.is_empty() {
                // Held by a part under an undecided condition (`// optionalAttrs c { … }`):
                // defined under that condition; or a name only Nix knows (`${…} = …`):
                // it may be this one.
                let frame = Frame {
                    conditions: def.conditions.clone(),
                    priority: def.priority,
                    order: def.order,
                    file: def.file,
                    key_span: None,
                };
                let member = eval.member(attrs, name);
                unwrap_member(eval, member, frame, def.span, next, budget);
            }
        }
        // Unknown, or an error Nix would raise: whatever it defines, it defines here too.
        Value::Unknown(_) => next.push(Def {
            maybe: true,
            ..def.clone()
        }),
        _ => {}
    }
}

/// The definitions a set's member makes: its value's where it is present, each under the
/// conditions that decide it.
fn unwrap_member(
    eval: &mut Eval,
    member: Member,
    frame: Frame,
    span: Option<Span>,
    out: &mut Vec<Def>,
    budget: &mut u32,
) {
    match member {
        Member::Absent => {}
        Member::Present(attr) => {
            let frame = Frame {
                key_span: attr.key_span.or(frame.key_span),
                ..frame
            };
            unwrap(eval, &attr.value, frame, out, budget);
        }
        Member::Either {
            condition,
            then,
            otherwise,
        } => {
            for (branch, negated) in [(*then, false), (*otherwise, true)] {
                unwrap_member(
                    eval,
                    branch,
                    frame.under(&condition, negated),
                    span,
                    out,
                    budget,
                );
            }
        }
        Member::Unknown(u) => out.push(Def {
            maybe: true,
            ..frame.def(Value::Unknown(u), span)
        }),
    }
}
