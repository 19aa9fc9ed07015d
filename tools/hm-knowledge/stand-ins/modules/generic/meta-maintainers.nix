# Stand-in (written here) for nixpkgs' modules/generic/meta-maintainers.nix.
{ lib, ... }:
{
  options.meta.maintainers = lib.mkOption { type = lib.types.listOf lib.types.raw; default = [ ]; };
}
