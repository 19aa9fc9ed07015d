# `import nixpkgs { system = …; }`, as configurations call nixpkgs' own default.nix: the
# package set of that system (config and overlays are accepted; overlays are applied).
{ system ? builtins.currentSystem, config ? { }, overlays ? [ ], ... }:
let
  lib = import ./lib { nixpkgsFlake = null; };
  base = import ./pkgs.nix { inherit lib system; };
in
builtins.foldl' (pkgs: overlay: pkgs // overlay pkgs pkgs) base overlays
