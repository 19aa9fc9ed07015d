{
  # As Home Manager's: `pkgs` and `modules`, optional `extraSpecialArgs`; the result has
  # `activationPackage`, `config`, `options` and `pkgs`.
  homeManagerConfiguration =
    { pkgs
    , modules ? [ ]
    , extraSpecialArgs ? { }
    , lib ? pkgs.lib
    , configuration ? null
    , check ? true
    }:
    let
      eval = lib.evalModules {
        modules = import ./modules/all.nix ++ modules ++ lib.optional (configuration != null) configuration;
        specialArgs = { inherit lib; } // extraSpecialArgs;
        args = { inherit pkgs; };
        class = "homeManager";
      };
    in
    {
      inherit (eval) config options;
      inherit pkgs;
      activationPackage = eval.config.home.activationPackage;
      activation-script = eval.config.home.activationPackage;
    };
}
