//! Names Nix binds in every file's outermost scope.

/// The global names of Nix 2.x, besides the `__`-prefixed builtins.
pub const GLOBALS: &[&str] = &[
    "abort",
    "baseNameOf",
    "break",
    "builtins",
    "derivation",
    "derivationStrict",
    "dirOf",
    "false",
    "fetchGit",
    "fetchMercurial",
    "fetchTarball",
    "fetchTree",
    "fromTOML",
    "import",
    "isNull",
    "map",
    "null",
    "placeholder",
    "removeAttrs",
    "scopedImport",
    "throw",
    "toString",
    "true",
];

/// Whether `name` is bound in every file without being defined there.
pub fn is_global(name: &str) -> bool {
    name.starts_with("__") || GLOBALS.contains(&name)
}
