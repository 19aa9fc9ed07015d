# The user units `option = true` adds: the base configuration with every `enable` option
# above it set (`programs.waybar.systemd.enable` needs `programs.waybar.enable`), compared
# with the same without `option`. With option = null: the base configuration's units.
#   { services = { <name> = [ "Section.Directive" … ]; }; timers = …; sockets = …; }
{ hm, pkgs, base, option }:
let
  lib = pkgs.lib;
  eval = modules: import (hm + "/lib/eval-config.nix") {
    inherit pkgs lib;
    modules = [ base ] ++ modules;
  };
  path = lib.splitString "." option;
  enable = p: lib.setAttrByPath p true;
  # `a.b.enable` for each prefix `a.b` of the option's path that declares one.
  ancestors = lib.filter (p: p != path && lib.hasAttrByPath p (eval [ ]).options)
    (map (n: lib.take n path ++ [ "enable" ]) (lib.range 1 (builtins.length path - 2)));
  before = eval (map enable ancestors);
  after = eval (map enable ancestors ++ [ (enable path) ]);
  keys = unit: lib.concatLists (lib.mapAttrsToList
    (section: v: if builtins.isAttrs v then map (d: "${section}.${d}") (builtins.attrNames v) else [ section ])
    unit);
  added = kind:
    let old = before.config.systemd.user.${kind}; in
    builtins.mapAttrs (_: keys)
      (lib.filterAttrs (name: _: option == null || !(old ? ${name})) (if option == null then old else after.config.systemd.user.${kind}));
in
{ services = added "services"; timers = added "timers"; sockets = added "sockets"; }
