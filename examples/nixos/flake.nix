{
  # A NixOS machine with Home Manager as a NixOS module, as in Home Manager's manual.
  # The inputs point at hm's offline stand-ins; for the real thing use:
  #   nixpkgs.url = "github:nixos/nixpkgs/nixos-unstable";
  #   home-manager.url = "github:nix-community/home-manager";
  description = "NixOS configuration of laptop, with Home Manager for alice";

  inputs = {
    nixpkgs.url = "path:../../nix/nixpkgs";
    home-manager.url = "path:../../nix/home-manager";
    home-manager.inputs.nixpkgs.follows = "nixpkgs";
  };

  outputs = inputs@{ nixpkgs, home-manager, ... }: {
    nixosConfigurations = {
      laptop = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          ./configuration.nix
          home-manager.nixosModules.home-manager
          {
            home-manager.useGlobalPkgs = true;
            home-manager.useUserPackages = true;
            home-manager.users.alice = import ./home.nix;

            # Optionally, use home-manager.extraSpecialArgs to pass
            # arguments to home.nix
          }
        ];
      };
    };
  };
}
