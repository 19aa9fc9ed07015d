{
  # A tiny stand-in for nixpkgs, so the tests and the README demo run with no network.
  # It has the parts Home Manager configurations touch: `lib` (with a small module
  # system and `nixosSystem`) and `legacyPackages.<system>` with a few packages.
  description = "nixpkgs stand-in for hm's tests (builtins only, builds offline)";

  outputs = { self }:
    let
      lib = import ./lib { nixpkgsFlake = self; };
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
    in
    {
      inherit lib;
      legacyPackages = lib.genAttrs systems (system: import ./pkgs.nix { inherit lib system; });
    };
}
