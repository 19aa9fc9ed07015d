# The user units of the base configuration with `option = true` (none with option = null):
# { services = { <name> = [ "Section.Directive" … ]; }; timers = …; sockets = …; }
{ hm, pkgs, base, option }:
let
  lib = pkgs.lib;
  enable = lib.optional (option != null) (lib.setAttrByPath (lib.splitString "." option) true);
  cfg = import (hm + "/lib/eval-config.nix") {
    inherit pkgs lib;
    modules = [ base ] ++ enable;
  };
  keys = unit: lib.concatLists (lib.mapAttrsToList
    (section: v: if builtins.isAttrs v then map (d: "${section}.${d}") (builtins.attrNames v) else [ section ])
    unit);
  of = kind: builtins.mapAttrs (_: keys) cfg.config.systemd.user.${kind};
in
{ services = of "services"; timers = of "timers"; sockets = of "sockets"; }
