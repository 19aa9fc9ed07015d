{
  # A stand-in for nix-darwin's `lib.darwinSystem`, on the nixpkgs stand-in's module system.
  description = "nix-darwin stand-in for hm's tests (builtins only)";

  inputs.nixpkgs.url = "path:../nixpkgs";

  outputs = { self, nixpkgs }: {
    lib.darwinSystem = { system ? null, modules, specialArgs ? { }, ... }:
      let
        pkgs = nixpkgs.legacyPackages.${nixpkgs.lib.hostSystem system eval.config "aarch64-darwin"};
        eval = nixpkgs.lib.evalModules {
          modules = [ ./core.nix ] ++ modules;
          inherit specialArgs;
          args = { inherit pkgs; };
          class = "darwin";
        };
      in
      eval // { inherit pkgs; };
  };
}
