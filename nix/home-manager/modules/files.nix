# `home.file` and `xdg.configFile`: `text`, `source` and `executable`, as in Home Manager.
{ lib, ... }:
{
  options = {
    home.file = lib.mkOption { type = lib.types.attrsOf lib.types.anything; default = { }; };
    xdg.configFile = lib.mkOption { type = lib.types.attrsOf lib.types.anything; default = { }; };
  };
}
