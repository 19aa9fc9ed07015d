# The NixOS options the stand-in knows; everything else a configuration sets merges freely.
{ lib, ... }:
{
  options = {
    networking.hostName = lib.mkOption { type = lib.types.str; default = "nixos"; };
    users.users = lib.mkOption { type = lib.types.attrsOf lib.types.anything; default = { }; };
    system.stateVersion = lib.mkOption { type = lib.types.str; };
  };
}
