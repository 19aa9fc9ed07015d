{
  # As `home-manager init` writes it; the inputs point at hm's offline stand-ins.
  # For the real thing use:
  #   nixpkgs.url = "github:nixos/nixpkgs/nixos-unstable";
  #   home-manager.url = "github:nix-community/home-manager";
  description = "Home Manager configuration of alice";

  inputs = {
    nixpkgs.url = "path:../../nix/nixpkgs";
    home-manager = {
      url = "path:../../nix/home-manager";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { nixpkgs, home-manager, ... }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
    in
    {
      homeConfigurations."alice" = home-manager.lib.homeManagerConfiguration {
        inherit pkgs;

        # Specify your home configuration modules here, for example,
        # the path to your home.nix.
        modules = [ ./home.nix ];
      };
    };
}
