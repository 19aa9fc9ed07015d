//! Names the evaluator knows without reading them from a file: the global builtins,
//! and the nixpkgs `lib` functions that shape module definitions.

use super::value::{Builtin, Value};
use nix_source::Span;

pub(crate) use nix_syntax::is_global;

/// The value of a global name, or `None` if the name is not bound anywhere.
pub(crate) fn global(name: &str, span: Span) -> Option<Value> {
    let value = match name {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        _ if is_global(name) => match function(&format!("builtins.{name}")) {
            Some(b) => Value::Builtin(b, Default::default(), Some(span)),
            None => Value::opaque(name, Some(span)),
        },
        _ => return None,
    };
    Some(value)
}

/// Recognises `lib.mkIf`, `pkgs.lib.mkMerge`, `builtins.map`, … by their qualified name.
/// A bare `mkIf` only counts when reached through `lib` (e.g. `with lib;` or `inherit (lib) mkIf`),
/// which is how the name is built by the time it gets here.
pub(crate) fn function(qualified: &str) -> Option<Builtin> {
    let mut segments: Vec<&str> = qualified.split('.').collect();
    let last = segments.pop()?;
    let from_lib = segments.contains(&"lib");
    let from_builtins = segments.last() == Some(&"builtins");
    if !from_lib && !from_builtins {
        return None;
    }
    let builtin = match last {
        "import" | "scopedImport" if from_builtins => Builtin::Import,
        "throw" | "abort" => Builtin::Throw,
        "toString" => Builtin::ToString,
        "mkIf" => Builtin::MkIf,
        "optionalAttrs" => Builtin::OptionalAttrs,
        "optional" => Builtin::Optional,
        "optionals" => Builtin::Optionals,
        "mkMerge" => Builtin::MkMerge,
        "mkDefault"
        | "mkForce"
        | "mkBefore"
        | "mkAfter"
        | "mkOptionDefault"
        | "mkVMOverride"
        | "mkImageMediaOverride" => Builtin::Priority,
        "mkOverride" | "mkOrder" => Builtin::PriorityWithArg,
        "recursiveUpdate" => Builtin::RecursiveUpdate,
        other => {
            return COMPUTING
                .iter()
                .find(|(name, _)| *name == other)
                .map(|&(name, arity)| Builtin::Computes(name, arity));
        }
    };
    Some(builtin)
}

/// Functions whose results the analyser does not compute: values built with them are
/// reported as dynamic rather than guessed.
const COMPUTING: &[(&str, u8)] = &[
    ("map", 2),
    ("genAttrs", 2),
    ("listToAttrs", 1),
    ("mapAttrs", 2),
    ("mapAttrs'", 2),
    ("mapAttrsToList", 2),
    ("concatMapAttrs", 2),
    ("mapAttrsRecursive", 2),
    ("filterAttrs", 2),
    ("filter", 2),
    ("foldl", 3),
    ("foldl'", 3),
    ("foldr", 3),
    ("foldAttrs", 3),
    ("concatMap", 2),
    ("concatLists", 1),
    ("attrValues", 1),
    ("attrNames", 1),
    ("mergeAttrsList", 1),
    ("zipAttrsWith", 2),
    ("flatten", 1),
    ("forEach", 2),
    ("imap0", 2),
    ("imap1", 2),
    ("genList", 2),
    ("removeAttrs", 2),
    ("getAttr", 2),
    ("readFile", 1),
    ("fromJSON", 1),
    ("fromTOML", 1),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_lib_functions_by_qualified_name() {
        assert_eq!(function("lib.mkIf"), Some(Builtin::MkIf));
        assert_eq!(function("pkgs.lib.mkMerge"), Some(Builtin::MkMerge));
        assert_eq!(
            function("nixpkgs.lib.genAttrs"),
            Some(Builtin::Computes("genAttrs", 2))
        );
        assert_eq!(
            function("builtins.listToAttrs"),
            Some(Builtin::Computes("listToAttrs", 1))
        );
        assert_eq!(function("pkgs.mkIf"), None);
        assert_eq!(function("lib.nixosSystem"), None);
    }
}
