{
  # A stand-in for Home Manager with the same interface, so hm's tests and README demo run
  # with no network. Configurations written for it work with the real Home Manager.
  description = "Home Manager stand-in for hm's tests (builtins only, builds offline)";

  inputs.nixpkgs.url = "path:../nixpkgs";

  outputs = { self, nixpkgs }: {
    lib = import ./lib.nix;

    nixosModules.home-manager = import ./os-module.nix { homePrefix = "/home"; };
    nixosModules.default = self.nixosModules.home-manager;

    darwinModules.home-manager = import ./os-module.nix { homePrefix = "/Users"; };
    darwinModules.default = self.darwinModules.home-manager;
  };
}
