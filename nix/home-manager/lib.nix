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
      # `hmExtend extra` evaluates this configuration with more modules (specialisations).
      evalWith = extra: lib.evalModules {
        modules = import ./modules/all.nix ++ modules ++ lib.optional (configuration != null) configuration ++ extra;
        specialArgs = { inherit lib; hmExtend = evalWith; } // extraSpecialArgs;
        args = { inherit pkgs; };
        class = "homeManager";
      };
      eval = evalWith [ ];
    in
    {
      inherit (eval) config options;
      inherit pkgs;
      activationPackage = eval.config.home.activationPackage;
      activation-script = eval.config.home.activationPackage;
    };
}
