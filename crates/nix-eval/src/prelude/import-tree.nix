# vic/import-tree (see README.md): `import-tree paths` is a module that imports every
# `.nix` file below the given directories, recursively, leaving out the files whose path
# below the directory has a `/_` in it; other values in `paths` (modules) are imported
# as they are. Its builder API (`filter`, `map`, `withLib`, `addPath`, …) is not
# modelled: those names are unknown.
lib:
let
  inherit (builtins) concatMap filter isAttrs isPath isString;
  isPathLike = x: isPath x || isString x || (isAttrs x && x ? outPath);
  leafs =
    root:
    let
      dir = if isAttrs root then root.outPath else root;
      prefix = toString dir;
      keep =
        file:
        let
          rel = lib.removePrefix prefix (toString file);
        in
        lib.hasSuffix ".nix" rel && !(lib.hasInfix "/_" rel);
    in
    filter keep (lib.filesystem.listFilesRecursive dir);
  files = paths: concatMap (p: if isPathLike p then leafs p else [ p ]) (lib.flatten [ paths ]);
in
{
  __functor =
    _: paths:
    {
      imports = [ { imports = files paths; } ];
    };
}
