{ lib, ... }:
{
  options = {
    users.users = lib.mkOption { type = lib.types.attrsOf lib.types.anything; default = { }; };
    system.stateVersion = lib.mkOption { type = lib.types.int; default = 5; };
  };
}
