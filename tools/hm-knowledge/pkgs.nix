# The stub package set of real-hm with `formats` whose types have the nested types
# modules reach into (`iniFormat.type.nestedTypes.elemType`): all free-form, and named
# `format`, since what the real format accepts (any JSON value, sections of an INI file, …)
# is not known here: options of these types are never type-checked.
# Copied next to real-hm's `pkgs.nix` by generate.sh; `default.nix` there imports it.
let
  pkgs = import ./pkgs.nix;
  lib = pkgs.lib;
  free = lib.types.attrsOf (lib.types.attrsOf lib.types.anything) // {
    name = "format";
    description = "a value of a file format (pkgs.formats)";
  };
  format = _args: {
    type = free;
    generate = n: _v: pkgs.${n} or pkgs;
    lib = {
      types = { atom = lib.types.anything; };
      mkRaw = x: x;
      mkLuaInline = x: x;
    };
  };
in
pkgs // { formats = builtins.mapAttrs (_: _: format) pkgs.formats; }
