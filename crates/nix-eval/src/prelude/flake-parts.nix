# hm's prelude for hercules-ci/flake-parts: our own code with the behaviour of
# flake-parts' `lib.mkFlake` and its core modules (see README.md). It runs on the
# module system of hm's lib prelude (`lib.evalModules`).
lib:
let
  inherit (lib)
    genAttrs
    mapAttrs
    filterAttrs
    mkOption
    mkOptionType
    optionalAttrs
    setDefaultModuleLocation
    showOption
    types
    ;
  inherit (types) attrsWith;

  isFlake =
    x: if x ? _type then x._type == "flake" else x ? inputs && x ? outputs && x ? sourceInfo;

  # flake-parts' own deferred module type: merges to a list of modules.
  deferredModuleWith =
    attrs@{
      staticModules ? [ ],
    }:
    mkOptionType {
      name = "deferredModule";
      description = "module";
      check = x: builtins.isAttrs x || builtins.isFunction x || types.path.check x;
      merge =
        loc: defs:
        staticModules ++ map (def: setDefaultModuleLocation "${def.file}, via option ${showOption loc}" def.value) defs;
      getSubOptions = _: { };
      getSubModules = staticModules;
      substSubModules = m: deferredModuleWith (attrs // { staticModules = m; });
      functor = types.defaultFunctor "deferredModuleWith" // {
        type = deferredModuleWith;
        payload = { inherit staticModules; };
        binOp = lhs: rhs: { staticModules = lhs.staticModules ++ rhs.staticModules; };
      };
    };

  flake-parts-lib = rec {
    evalFlakeModule =
      args@{
        inputs ? self.inputs,
        specialArgs ? { },
        self ? inputs.self or (throw "When invoking flake-parts, you must pass all the flake output arguments, and not just `self.inputs`."),
        moduleLocation ? "${self.outPath}/flake.nix",
      }:
      let
        inputsPos = builtins.unsafeGetAttrPos "inputs" args;
        errorLocation =
          args.moduleLocation or (
            if inputsPos != null then
              inputsPos.file
            else if args ? inputs.self.outPath then
              args.inputs.self.outPath + "/flake.nix"
            else
              "<mkFlake argument>"
          );
      in
      if !args ? self && !args ? inputs then
        throw "When invoking flake-parts, you must pass in the flake output arguments."
      else
        module:
        lib.evalModules {
          specialArgs = {
            inherit self flake-parts-lib moduleLocation;
            inputs = args.inputs or self.inputs;
          }
          // specialArgs;
          modules = builtins.attrValues builtinModules ++ [ (setDefaultModuleLocation errorLocation module) ];
          class = "flake";
        };

    mkFlake = args: module: (evalFlakeModule args module).config.processedFlake;

    defaultModule = maybeFlake: if isFlake maybeFlake then maybeFlake.flakeModules.default or maybeFlake else maybeFlake;

    mkSubmoduleOptions =
      options:
      mkOption {
        type = types.submoduleWith { modules = [ { inherit options; } ]; };
      };

    mkPerSystemType = module: deferredModuleWith { staticModules = [ module ]; };
    mkDeferredModuleType = mkPerSystemType;
    mkDeferredModuleOption = module: mkOption { type = mkPerSystemType module; };
    mkPerSystemOption = mkDeferredModuleOption;
    inherit attrsWith deferredModuleWith;

    mkTransposedPerSystemModule =
      {
        name,
        option,
        file,
      }:
      {
        _file = file;
        options = {
          flake.${name} = mkOption {
            type = attrsWith {
              elemType = option.type;
              lazy = true;
              placeholder = "system";
            };
            default = { };
          };
          perSystem = mkPerSystemOption {
            _file = file;
            options.${name} = option;
          };
        };
        config.transposition.${name} = { };
      };

    inherit (lib) mkAliasOptionModule;

    importApply = modulePath: staticArgs: setDefaultModuleLocation modulePath (import modulePath staticArgs);

    memoizeStr = f: f;

    importAndPublish =
      name: module:
      { ... }:
      {
        imports = [
          module
          extraModules.modules
        ];
        flake.modules.flake.${name} = module;
      };
  };

  # A module with a stable identity, as flake-parts' module files have.
  fileModule = name: m: {
    _file = "flake-parts/modules/${name}.nix";
    key = "flake-parts/modules/${name}.nix";
    imports = [ m ];
  };

  transposed =
    name: type:
    fileModule name (
      flake-parts-lib.mkTransposedPerSystemModule {
        inherit name;
        option = mkOption {
          inherit type;
          default = { };
        };
        file = "flake-parts/modules/${name}.nix";
      }
    );

  builtinModules = {
    flake = fileModule "flake" (
      { config, options, ... }:
      {
        options = {
          flake = mkOption {
            type = types.submoduleWith {
              modules = [
                {
                  freeformType = types.lazyAttrsOf (
                    types.unique {
                      message = "No option has been declared for this flake output attribute, so its definitions can't be merged automatically.";
                    } types.raw
                  );
                }
              ];
            };
          };
          processedFlake = mkOption {
            type = types.raw;
            readOnly = true;
            apply = if options.processedFlake.isDefined then x: x else _: config.flake;
          };
        };
      }
    );

    perSystem = fileModule "perSystem" (
      { config, self, ... }:
      let
        rootConfig = config;
        notHere =
          param:
          throw "`${param}` is not a `perSystem` module argument, but a module argument of the top level config.";
      in
      {
        options = {
          systems = mkOption {
            type = types.listOf types.str;
          };
          perInput = mkOption {
            type = types.functionTo (types.functionTo (types.lazyAttrsOf types.unspecified));
          };
          perSystem = mkOption {
            type = flake-parts-lib.mkPerSystemType (
              { system, ... }:
              {
                _file = "flake-parts/modules/perSystem.nix";
                config._module.args = {
                  inputs' = mapAttrs (
                    name: input:
                    if input._type or null == "flake" then
                      rootConfig.perInput system input
                    else
                      throw "Trying to retrieve system-dependent attributes for input ${lib.strings.escapeNixIdentifier name}, but this input is not a flake."
                  ) self.inputs;
                  self' = rootConfig.perInput system self;
                  self = notHere "self";
                  inputs = notHere "inputs";
                  getSystem = notHere "getSystem";
                  withSystem = notHere "withSystem";
                  moduleWithSystem = notHere "moduleWithSystem";
                };
              }
            );
            apply =
              modules: system:
              (lib.evalModules {
                inherit modules;
                prefix = [
                  "perSystem"
                  system
                ];
                specialArgs = { inherit system; };
                class = "perSystem";
              }).config;
          };
          allSystems = mkOption {
            type = types.lazyAttrsOf types.unspecified;
            internal = true;
          };
        };
        config = {
          allSystems = genAttrs config.systems config.perSystem;
          _module.args.getSystem = system: config.allSystems.${system} or (config.perSystem system);
          _module.args.getSystemIgnoreWarning = system: config.allSystems.${system} or (config.perSystem system);
        };
      }
    );

    transposition = fileModule "transposition" (
      { config, ... }:
      {
        options.transposition = mkOption {
          type = types.lazyAttrsOf (
            types.submoduleWith {
              modules = [
                {
                  options.adHoc = mkOption {
                    type = types.bool;
                    default = false;
                  };
                }
              ];
            }
          );
        };
        config = {
          flake = mapAttrs (
            attrName: _:
            mapAttrs (
              _: v:
              v.${attrName}
                or (abort "Could not find option ${attrName} in the perSystem module. It is required to declare such an option whenever transposition.<name> is defined (and in this instance <name> is ${attrName}).")
            ) config.allSystems
          ) config.transposition;
          perInput =
            system: flake:
            mapAttrs (
              attrName: _:
              flake.${attrName}.${system}
                or (throw "Attempt to access ${attrName}.${system} of a flake that does not have it.")
            ) config.transposition;
          perSystem.options = mapAttrs (_: _: mkOption { }) (filterAttrs (_: v: v.adHoc) config.transposition);
        };
      }
    );

    withSystem = fileModule "withSystem" (
      { getSystem, ... }:
      {
        options.perSystem = flake-parts-lib.mkPerSystemOption (
          {
            config,
            options,
            specialArgs,
            ...
          }:
          {
            _file = "flake-parts/modules/withSystem.nix";
            options.allModuleArgs = mkOption {
              type = types.lazyAttrsOf types.raw;
              internal = true;
              readOnly = true;
            };
            config.allModuleArgs = config._module.args // specialArgs // { inherit config options; };
          }
        );
        config._module.args.withSystem = system: f: f (getSystem system).allModuleArgs;
      }
    );

    moduleWithSystem = fileModule "moduleWithSystem" (
      { withSystem, ... }:
      {
        config._module.args.moduleWithSystem =
          module:
          { config, ... }:
          let
            system =
              config._module.args.system
                or config._module.args.pkgs.stdenv.hostPlatform.system
                or (throw "moduleWithSystem: Could not determine the configuration's system parameter for this module system application.");
            allArgs = withSystem system (args: args);
            lazyArgs = mapAttrs (
              k: _: allArgs.${k} or (throw "moduleWithSystem: module argument `${k}` does not exist.")
            ) (builtins.functionArgs module);
          in
          {
            imports = [ (module lazyArgs) ];
          };
      }
    );

    nixpkgs = fileModule "nixpkgs" {
      config.perSystem =
        { inputs', lib, ... }:
        {
          config._module.args.pkgs = lib.mkOptionDefault (
            builtins.seq (inputs'.nixpkgs
              or (throw "flake-parts: The flake does not have a `nixpkgs` input. Please add it, or set `perSystem._module.args.pkgs` yourself.")
            ) inputs'.nixpkgs.legacyPackages
          );
        };
    };

    packages = transposed "packages" (types.lazyAttrsOf types.package);
    checks = transposed "checks" (types.lazyAttrsOf types.package);
    devShells = transposed "devShells" (types.lazyAttrsOf types.package);
    legacyPackages = transposed "legacyPackages" (types.lazyAttrsOf types.raw);

    apps =
      let
        derivationType = types.package // {
          check = lib.isDerivation;
        };
        appType = types.submodule {
          options = {
            type = mkOption {
              type = types.enum [ "app" ];
              default = "app";
            };
            program = mkOption {
              type = types.coercedTo derivationType lib.getExe types.str;
            };
            meta = mkOption {
              type = types.lazyAttrsOf types.raw;
              default = { };
            };
          };
        };
      in
      transposed "apps" (types.lazyAttrsOf appType);

    formatter = fileModule "formatter" (
      { config, ... }:
      let
        probe = config.perSystem (throw "flake-parts probes perSystem without a system argument.");
        probed = builtins.tryEval probe.formatter;
        haveFormatter = !probed.success || probed.value != null;
      in
      {
        options = {
          flake.formatter = mkOption {
            type = types.lazyAttrsOf (types.nullOr types.package);
            default = { };
          };
          perSystem = flake-parts-lib.mkPerSystemOption {
            _file = "flake-parts/modules/formatter.nix";
            options.formatter = mkOption {
              type = types.nullOr types.package;
              default = null;
            };
          };
        };
        config = {
          flake.formatter = optionalAttrs haveFormatter (
            mapAttrs (
              k: v:
              if v.formatter != null then
                v.formatter
              else
                throw "flake-parts could not determine statically that no formatter is defined for *all* systems (formatter.${k} is null)."
            ) config.allSystems
          );
          perInput = system: flake: { formatter = flake.formatter.${system}; };
        };
      }
    );

    nixosConfigurations = fileModule "nixosConfigurations" {
      options.flake.nixosConfigurations = mkOption {
        type = types.lazyAttrsOf types.raw;
        default = { };
      };
    };

    nixosModules = fileModule "nixosModules" (
      { moduleLocation, ... }:
      {
        options.flake.nixosModules = mkOption {
          type = types.lazyAttrsOf types.deferredModule;
          default = { };
          apply = mapAttrs (
            k: v: {
              _class = "nixos";
              _file = "${toString moduleLocation}#nixosModules.${k}";
              imports = [ v ];
            }
          );
        };
      }
    );

    overlays = fileModule "overlays" {
      options.flake.overlays = mkOption {
        type = types.lazyAttrsOf (
          types.uniq (types.functionTo (types.functionTo (types.lazyAttrsOf types.unspecified)))
        );
        apply = mapAttrs (_: f: final: prev: f final prev);
        default = { };
      };
    };

    debug = fileModule "debug" (
      {
        config,
        options,
        extendModules,
        ...
      }:
      {
        options.debug = mkOption {
          type = types.bool;
          default = false;
        };
        config = lib.mkIf config.debug {
          flake = {
            debug = config // {
              inherit config options extendModules;
            };
            allSystems = mapAttrs (_: v: v) config.allSystems;
          };
        };
      }
    );
  };

  extraModules = {
    # perSystem `overlayAttrs` become `overlays.default`, re-evaluating perSystem with the overlay's `prev` as `pkgs`.
    easyOverlay = fileModule "easyOverlay" (
      toplevel@{ getSystemIgnoreWarning, ... }:
      {
        options.perSystem = flake-parts-lib.mkPerSystemOption (
          { extendModules, pkgs, ... }:
          {
            _file = "flake-parts/extras/easyOverlay.nix";
            options = {
              extendModules = mkOption {
                type = types.raw;
                default = extendModules;
                internal = true;
              };
              overlayAttrs = mkOption {
                type = types.lazyAttrsOf types.raw;
                default = { };
              };
            };
            config._module.args.final = lib.mkDefault (pkgs.extend toplevel.config.flake.overlays.default);
          }
        );
        config.flake.overlays.default =
          final: prev:
          let
            system =
              prev.stdenv.hostPlatform.system
                or (prev.system or (throw "Could not determine the `hostPlatform` of Nixpkgs. Was this overlay loaded as a Nixpkgs overlay, or was it loaded into something else?"));
            perSys = (getSystemIgnoreWarning system).extendModules {
              modules = [
                {
                  _file = "flake-parts#flakeModules.easyOverlay/overlay-overrides";
                  _module.args.pkgs = lib.mkForce prev;
                  _module.args.final = lib.mkForce final;
                }
              ];
            };
          in
          perSys.config.overlayAttrs;
      }
    );
    flakeModules = fileModule "flakeModules" (
      { moduleLocation, ... }:
      {
        options.flake = mkOption {
          type = types.submoduleWith {
            modules = [
              (lib.mkAliasOptionModule [ "flakeModule" ] [ "flakeModules" "default" ])
              {
                options.flakeModules = mkOption {
                  type = types.lazyAttrsOf types.deferredModule;
                  default = { };
                  apply = mapAttrs (
                    k: v: {
                      _file = "${toString moduleLocation}#flakeModules.${k}";
                      key = "${toString moduleLocation}#flakeModules.${k}";
                      imports = [ v ];
                      _class = "flake";
                    }
                  );
                };
              }
            ];
          };
        };
      }
    );
    modules = fileModule "modules" {
      options.flake = mkOption {
        type = types.submoduleWith {
          modules = [
            {
              options.modules = mkOption {
                type = types.lazyAttrsOf (types.lazyAttrsOf types.deferredModule);
                default = { };
              };
            }
          ];
        };
      };
    };
  };
in
{
  lib = flake-parts-lib;
  flakeModules = builtinModules // extraModules;
}
