# The `meta` option of nixpkgs' nixos/modules/misc/meta.nix (maintainers, docs), which
# Home Manager imports from `pkgs.path`; its content is not used here.
{ lib, ... }:
{
  options.meta = lib.mkOption {
    type = lib.types.lazyAttrsOf lib.types.raw;
    default = { };
  };
}
