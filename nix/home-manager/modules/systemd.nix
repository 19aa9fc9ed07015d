# `systemd.user.<type>.<name>` in Home Manager's schema (`Unit`/`Service`/`Install`,
# values or lists of values), rendered into unit files under ~/.config/systemd/user, with
# `<target>.wants/` and `.requires/` links from `Install.WantedBy`/`RequiredBy`.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  unitTypes = [ "services" "slices" "sockets" "targets" "timers" "paths" "mounts" "automounts" ];
  suffix = {
    services = "service"; slices = "slice"; sockets = "socket"; targets = "target";
    timers = "timer"; paths = "path"; mounts = "mount"; automounts = "automount";
  };

  render = value:
    if builtins.isBool value then (if value then "true" else "false") else toString value;

  sectionText = name: directives:
    "[${name}]\n" + lib.concatStrings (lib.mapAttrsToList
      (key: value: lib.concatMapStrings (v: "${key}=${render v}\n") (lib.toList value))
      directives);

  # Unit, then Service (or the type's own section), then Install, as systemd writes them.
  unitText = unit:
    let
      order = [ "Unit" ] ++ lib.filter (s: s != "Unit" && s != "Install") (builtins.attrNames unit) ++ [ "Install" ];
    in
    lib.concatStringsSep "\n" (lib.concatMap (s: lib.optional (unit ? ${s}) (sectionText s unit.${s})) order);

  unitFiles = kind: lib.concatLists (lib.mapAttrsToList
    (name: unit:
      let
        file = "${name}.${suffix.${kind}}";
        source = pkgs.writeText file (unitText unit);
        links = dir: map (target: { name = "systemd/user/${target}.${dir}/${file}"; value = { inherit source; }; })
          (lib.toList (unit.Install.${if dir == "wants" then "WantedBy" else "RequiredBy"} or [ ]));
      in
      [ { name = "systemd/user/${file}"; value = { inherit source; }; } ] ++ links "wants" ++ links "requires")
    config.systemd.user.${kind});
in
{
  options.systemd.user = lib.genAttrs unitTypes (_: mkOption {
    type = types.attrsOf types.anything;
    default = { };
  });

  config.xdg.configFile = builtins.listToAttrs (lib.concatMap unitFiles unitTypes);
}
