# Stand-in (written here) for nixpkgs' nixos/modules/system/service/systemd/service.nix: free-form.
{ lib, ... }:
{
  options.systemd = lib.mkOption { type = lib.types.attrsOf lib.types.anything; default = { }; };
}
