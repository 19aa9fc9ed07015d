# `home-manager.*` for NixOS (and nix-darwin, with another home prefix), as in Home Manager.
{ homePrefix }:
{ config, lib, pkgs, ... }:
let
  cfg = config.home-manager;
  inherit (lib) mkOption types;

  userModule = types.submoduleWith {
    modules = import ./modules/all.nix ++ [
      ({ name, ... }: {
        home.username = lib.mkDefault name;
        home.homeDirectory = lib.mkDefault "${homePrefix}/${name}";
      })
    ] ++ cfg.sharedModules;
    specialArgs = { inherit lib; osConfig = config; nixosConfig = config; } // cfg.extraSpecialArgs;
    args = { inherit pkgs; };
    class = "homeManager";
  };
in
{
  options.home-manager = {
    users = mkOption { type = types.attrsOf userModule; default = { }; };
    useGlobalPkgs = lib.mkEnableOption "using the system configuration's pkgs";
    useUserPackages = lib.mkEnableOption "installing user packages through users.users.<name>.packages";
    sharedModules = mkOption { type = types.listOf types.raw; default = [ ]; };
    extraSpecialArgs = mkOption { type = types.attrs; default = { }; };
    backupFileExtension = mkOption { type = types.nullOr types.str; default = null; };
    verbose = lib.mkEnableOption "verbose output on activation";
  };
}
