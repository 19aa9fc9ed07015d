//! The nixpkgs `lib` (and friends) as Nix source evaluated by this evaluator: see
//! `prelude/README.md`. Evaluated lazily, once per evaluator; parsed at build time
//! (`build.rs`), so a run only decodes the lowered syntax.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use nix_syntax::{Ast, Parsed};

use crate::eval::Eval;
use crate::value::Value;

const LIB: &str = include_str!("prelude/lib.nix");
const HM: &str = include_str!("prelude/hm.nix");
const FLAKE_UTILS: &str = include_str!("prelude/flake-utils.nix");
const FLAKE_PARTS: &str = include_str!("prelude/flake-parts.nix");
const IMPORT_TREE: &str = include_str!("prelude/import-tree.nix");

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
    /// `lib: { __functor … }`: vic/import-tree
    ImportTree,
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
        let file = self.sources.add_virtual(&path, text, parsed(which));
        self.library_files.push(file);
        let value = self.import_file(file);
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
        Prelude::ImportTree => ("import-tree.nix", IMPORT_TREE),
    }
}

/// The file's syntax as `build.rs` parsed it, in `nix_syntax`'s binary form.
fn prebuilt(which: Prelude) -> &'static [u8] {
    match which {
        Prelude::Lib => include_bytes!(concat!(env!("OUT_DIR"), "/lib.ast")),
        Prelude::Hm => include_bytes!(concat!(env!("OUT_DIR"), "/hm.ast")),
        Prelude::FlakeUtils => include_bytes!(concat!(env!("OUT_DIR"), "/flake-utils.ast")),
        Prelude::FlakeParts => include_bytes!(concat!(env!("OUT_DIR"), "/flake-parts.ast")),
        Prelude::ImportTree => include_bytes!(concat!(env!("OUT_DIR"), "/import-tree.ast")),
    }
}

/// Each prelude file's syntax, read once per process from what `build.rs` parsed (the
/// build checked it has no errors), else parsed here.
pub fn parsed(which: Prelude) -> Arc<Parsed> {
    static CACHE: [OnceLock<Arc<Parsed>>; 5] = [const { OnceLock::new() }; 5];
    let slot = &CACHE[which as usize];
    slot.get_or_init(|| {
        let parsed = match Ast::decode(prebuilt(which)) {
            Some(ast) => Parsed {
                ast,
                errors: Vec::new(),
                duplicates: Vec::new(),
                too_complex: None,
            },
            None => nix_syntax::parse(source(which).1),
        };
        Arc::new(parsed)
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prebuilt_syntax_is_the_parsed_text() {
        for which in [
            Prelude::Lib,
            Prelude::Hm,
            Prelude::FlakeUtils,
            Prelude::FlakeParts,
        ] {
            let decoded = Ast::decode(prebuilt(which)).expect("build.rs output decodes");
            assert!(
                decoded == nix_syntax::parse(source(which).1).ast,
                "{which:?}"
            );
        }
    }
}
