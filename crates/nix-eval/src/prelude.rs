//! The nixpkgs `lib` (and friends) as Nix source evaluated by this evaluator: see
//! `prelude/README.md`. Evaluated lazily, once per evaluator.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use nix_syntax::Parsed;

use crate::eval::Eval;
use crate::value::Value;

const LIB: &str = include_str!("prelude/lib.nix");
const HM: &str = include_str!("prelude/hm.nix");
const FLAKE_UTILS: &str = include_str!("prelude/flake-utils.nix");
const FLAKE_PARTS: &str = include_str!("prelude/flake-parts.nix");

/// Which prelude file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prelude {
    /// `nixpkgs.lib`
    Lib,
    /// `lib: { … }`: Home Manager's `lib.hm`
    Hm,
    /// `lib: { lib = { eachSystem … }; }`
    FlakeUtils,
    /// `lib: { lib = { mkFlake … }; }`
    FlakeParts,
}

impl Eval {
    /// The nixpkgs library, evaluated by this evaluator.
    pub fn lib(&mut self) -> Value {
        if let Some(v) = &self.prelude {
            return v.clone();
        }
        let v = self.prelude_file(Prelude::Lib);
        self.prelude = Some(v.clone());
        v
    }

    /// The value of a prelude file (functions of `lib` are applied to it).
    pub fn prelude_file(&mut self, which: Prelude) -> Value {
        let (name, text) = source(which);
        let path = Path::new("/<hm-prelude>").join(name);
        let value = self.eval_virtual(&path, text, parsed(which));
        if which == Prelude::Lib {
            return value;
        }
        let lib = self.lib();
        self.apply(value, crate::value::Thunk::ready(lib), None)
    }
}

fn source(which: Prelude) -> (&'static str, &'static str) {
    match which {
        Prelude::Lib => ("lib.nix", LIB),
        Prelude::Hm => ("hm.nix", HM),
        Prelude::FlakeUtils => ("flake-utils.nix", FLAKE_UTILS),
        Prelude::FlakeParts => ("flake-parts.nix", FLAKE_PARTS),
    }
}

/// Each prelude file is parsed once per process.
pub fn parsed(which: Prelude) -> Arc<Parsed> {
    static CACHE: [OnceLock<Arc<Parsed>>; 4] = [const { OnceLock::new() }; 4];
    let slot = &CACHE[which as usize];
    slot.get_or_init(|| Arc::new(nix_syntax::parse(source(which).1)))
        .clone()
}
