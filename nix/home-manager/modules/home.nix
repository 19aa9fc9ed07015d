{ lib, ... }:
let
  inherit (lib) mkOption types;
in
{
  options = {
    home.username = mkOption { type = types.str; };
    home.homeDirectory = mkOption { type = types.path; };
    home.stateVersion = mkOption { type = types.str; };
    home.packages = mkOption { type = types.listOf types.package; default = [ ]; };
    home.sessionVariables = mkOption { type = types.attrs; default = { }; };
    home.activationPackage = mkOption { type = types.package; };
    home.extraBuilderCommands = mkOption { type = types.lines; default = ""; };
    programs.home-manager.enable = lib.mkEnableOption "Home Manager";
  };
}
