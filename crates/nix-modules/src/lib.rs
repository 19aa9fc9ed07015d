//! The Nix module system over [`nix_eval`] values, as `lib.evalModules` does it:
//! modules are collected through `imports` (each file once, `disabledModules` honoured),
//! functions are applied to the module arguments, options declared by the modules bring
//! their defaults, definitions are merged by priority and order, `mkIf` is pushed down so
//! names never force conditions, and `config` is a lazy fixpoint.
//!
//! Conditions that cannot be decided stay attached to the definitions they guard
//! ([`Def::conditions`]), so layers above can say under which condition something
//! exists instead of guessing.

mod coerced_to;
mod collect;
mod defs;
mod merge;
mod options;
mod options_arg;
mod properties;
mod submodule;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use nix_eval::{Attrs, Eval, Reason, Thunk, Unknown, Value};
use nix_source::{FileId, Span};

pub use defs::{Condition, DEFAULT_PRIORITY, Decided, Def, Outcomes, either_of};
pub use options::OptionDecl;

/// A module as given to [`eval_modules`]: a value (path, function or set) and where it
/// was listed.
#[derive(Clone)]
pub struct ModuleInput {
    pub value: Thunk,
    pub span: Option<Span>,
    /// The conditions it applies under: those of the definition it came from
    /// (`home-manager.users.alice = mkIf c { … }`). Its imports share them.
    pub conditions: Vec<Condition>,
}

impl ModuleInput {
    /// A module that applies unconditionally.
    pub fn new(value: Thunk, span: Option<Span>) -> ModuleInput {
        ModuleInput {
            value,
            span,
            conditions: Vec::new(),
        }
    }
}

/// One collected module.
pub struct Module {
    /// The file it was read from, when it was one.
    pub file: Option<FileId>,
    /// Where it was listed (an `imports` element, a `modules` element).
    pub span: Option<Span>,
    pub(crate) config: Thunk,
    pub(crate) options: Option<Thunk>,
    /// [`ModuleInput::conditions`]: every definition of its `config` is under them.
    pub(crate) conditions: Vec<Condition>,
}

/// A module that could not be read: its value is unknown (a flake input's module) or
/// not a module.
#[derive(Clone)]
pub struct OpaqueModule {
    pub span: Option<Span>,
    pub reason: Rc<Unknown>,
}

impl OpaqueModule {
    /// Another flake's module (`inputs.x.nixosModules.y`): written without these files in
    /// view, it sets none of the options they declare, as the framework's own modules.
    pub fn from_input(&self) -> bool {
        matches!(
            self.reason.reason,
            Reason::External {
                from_input: true,
                ..
            }
        )
    }
}

pub(crate) struct State {
    pub(crate) modules: Vec<Module>,
    pub(crate) opaque: Vec<OpaqueModule>,
    pub(crate) options: options::OptionTree,
    pub(crate) values: HashMap<Vec<Rc<str>>, Thunk>,
    /// `defs_at` of the whole `config`, with the levels below it asked for so far: a
    /// path's definitions are found from its parent's, so walking every option of N
    /// modules costs N steps, not N passes over all modules each.
    pub(crate) defs: Option<Rc<defs::Level>>,
    /// The evaluations of submodule values, by path.
    pub(crate) submodules: HashMap<Vec<Rc<str>>, Modules>,
    pub(crate) special_args: Rc<Attrs>,
    pub(crate) lib: Value,
    pub(crate) open: bool,
    pub(crate) unread_names: UnreadNames,
    /// `eval_modules` is still collecting the modules.
    pub(crate) collecting: bool,
}

/// The result of evaluating a list of modules.
#[derive(Clone)]
pub struct Modules(pub(crate) Rc<RefCell<State>>);

/// Arguments to [`eval_modules`].
pub struct EvalModules {
    pub modules: Vec<ModuleInput>,
    /// `specialArgs`: module arguments known before `config` (they win over
    /// `_module.args`).
    pub special_args: Rc<Attrs>,
    /// The `lib` module argument.
    pub lib: Value,
    /// Options exist that these modules do not declare (they come from modules the
    /// analyser does not read, such as Home Manager's own): an option nobody defines is
    /// then unknown (`config.a.b` from outside), not an error.
    pub open: bool,
    /// Where, in an `open` configuration, modules the analyser does not read may add
    /// names to the sets the modules define.
    pub unread_names: UnreadNames,
}

/// Where modules the analyser does not read may add names to merged sets.
#[derive(Clone, Debug, Default)]
pub enum UnreadNames {
    /// Anywhere (Home Manager's or NixOS's own modules are not read).
    #[default]
    Anywhere,
    /// Only at and above these paths (flake-parts' own modules add the per-system
    /// outputs), unless a module could not be read: that one may add names anywhere.
    Below(Vec<Vec<Rc<str>>>),
}

impl UnreadNames {
    pub(crate) fn may_add(&self, path: &[Rc<str>]) -> bool {
        match self {
            UnreadNames::Anywhere => true,
            UnreadNames::Below(paths) => paths
                .iter()
                .any(|p| path.starts_with(p) || p.starts_with(path)),
        }
    }
}

/// Evaluates a module list; nothing is forced beyond what collecting the modules needs.
pub fn eval_modules(eval: &mut Eval, args: EvalModules) -> Modules {
    let modules = Modules(Rc::new(RefCell::new(State {
        modules: Vec::new(),
        opaque: Vec::new(),
        options: options::OptionTree::default(),
        values: HashMap::new(),
        defs: None,
        submodules: HashMap::new(),
        special_args: args.special_args,
        lib: args.lib,
        open: args.open,
        unread_names: args.unread_names,
        collecting: true,
    })));
    collect::collect(eval, &modules, args.modules);
    modules.0.borrow_mut().collecting = false;
    modules
}

/// A [`Modules`] that does not keep the evaluation alive: for a function given to the
/// modules that reads them back (flake-parts' `withSystem`) without a reference cycle.
#[derive(Clone)]
pub struct WeakModules(std::rc::Weak<RefCell<State>>);

impl WeakModules {
    /// The modules, while something else keeps them.
    pub fn upgrade(&self) -> Option<Modules> {
        self.0.upgrade().map(Modules)
    }
}

impl Modules {
    pub fn downgrade(&self) -> WeakModules {
        WeakModules(Rc::downgrade(&self.0))
    }

    /// The special argument `name` the modules were given (`inputs`).
    pub fn special_arg(&self, name: &str) -> Option<Thunk> {
        self.0
            .borrow()
            .special_args
            .get(name)
            .map(|a| a.value.clone())
    }

    /// Every module collected, in order.
    pub fn modules(&self) -> Vec<(Option<FileId>, Option<Span>)> {
        self.0
            .borrow()
            .modules
            .iter()
            .map(|m| (m.file, m.span))
            .collect()
    }

    /// Modules that could not be read.
    pub fn opaque(&self) -> Vec<OpaqueModule> {
        self.0.borrow().opaque.clone()
    }

    /// The `config` fixpoint.
    pub fn config(&self, eval: &mut Eval) -> Value {
        self.value_at(eval, &[])
    }

    /// Options declared by the modules, by path.
    pub fn declared_options(&self, eval: &mut Eval) -> Vec<(Vec<Rc<str>>, OptionDecl)> {
        options::all(eval, self)
    }
}
