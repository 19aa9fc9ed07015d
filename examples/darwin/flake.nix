{
  # A Mac with Home Manager as a nix-darwin module, as in Home Manager's manual.
  # The inputs point at hm's offline stand-ins; for the real thing use:
  #   nixpkgs.url = "github:nixos/nixpkgs/nixpkgs-unstable";
  #   nix-darwin.url = "github:nix-darwin/nix-darwin";
  #   home-manager.url = "github:nix-community/home-manager";
  description = "nix-darwin configuration of macbook, with Home Manager for alice";

  inputs = {
    nixpkgs.url = "path:../../nix/nixpkgs";
    nix-darwin.url = "path:../../nix/nix-darwin";
    nix-darwin.inputs.nixpkgs.follows = "nixpkgs";
    home-manager.url = "path:../../nix/home-manager";
    home-manager.inputs.nixpkgs.follows = "nixpkgs";
  };

  outputs = inputs@{ nixpkgs, nix-darwin, home-manager, ... }: {
    darwinConfigurations = {
      macbook = nix-darwin.lib.darwinSystem {
        system = "aarch64-darwin";
        modules = [
          ./configuration.nix
          home-manager.darwinModules.home-manager
          {
            home-manager.useGlobalPkgs = true;
            home-manager.useUserPackages = true;
            home-manager.users.alice = import ./home.nix;
          }
        ];
      };
    };
  };
}
