{
  # A package set for testing hm against the real Home Manager offline: the real nixpkgs
  # `lib` (copied to ./lib by the tests from HM_TEST_NIXPKGS_LIB; never committed), the
  # trivial builders Home Manager uses, and the packages its activation needs as
  # derivations over the host's binaries. Builds run /bin/bash outside a sandbox, like
  # the other stand-ins (nix/offline.conf).
  description = "nixpkgs over the host's binaries, for hm's tests with the real Home Manager";

  outputs = { self }:
    let
      lib = import ./lib;
      systems = [ "x86_64-linux" "aarch64-linux" ];
    in
    {
      inherit lib;
      legacyPackages = lib.genAttrs systems (system: import ./pkgs.nix { inherit lib system; path = ./.; });
    };
}
