# `import pkgs.path { … }`, as Home Manager's misc/nixpkgs.nix does: this package set again.
{ system ? localSystem.system, localSystem ? { system = "x86_64-linux"; }, ... }:
import ./pkgs.nix { lib = import ./lib; inherit system; path = ./.; }
