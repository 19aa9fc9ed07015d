# The subset of nixpkgs' `lib` that Home Manager configurations commonly use.
{ nixpkgsFlake ? null }:
let
  inherit (builtins)
    attrNames concatMap concatStringsSep elem filter foldl' genList head isAttrs isFunction
    isList isPath isString length listToAttrs mapAttrs replaceStrings stringLength substring
    tail;

  modules = import ./modules.nix { inherit lib; };

  # `prev` with `f final prev` on top, itself extensible.
  extendWith = prev: f:
    let final = prev // f final prev // { extend = extendWith final; }; in final;

  lib = modules // rec {
    types = import ./types.nix { inherit lib; };

    # attrsets
    genAttrs = names: f: listToAttrs (map (n: { name = n; value = f n; }) names);
    nameValuePair = name: value: { inherit name value; };
    mapAttrs' = f: set: listToAttrs (map (n: f n set.${n}) (attrNames set));
    mapAttrsToList = f: set: map (n: f n set.${n}) (attrNames set);
    filterAttrs = pred: set:
      listToAttrs (concatMap (n: if pred n set.${n} then [ { name = n; value = set.${n}; } ] else [ ]) (attrNames set));
    optionalAttrs = cond: set: if cond then set else { };
    attrByPath = path: default: set:
      if path == [ ] then set
      else if set ? ${head path} then attrByPath (tail path) default set.${head path}
      else default;
    recursiveUpdate = lhs: rhs:
      lhs // mapAttrs (n: v: if isAttrs v && isAttrs (lhs.${n} or null) && !(v ? type) then recursiveUpdate lhs.${n} v else v) rhs;
    inherit mapAttrs attrNames;
    attrValues = builtins.attrValues;

    # lists
    optional = cond: x: if cond then [ x ] else [ ];
    optionals = cond: xs: if cond then xs else [ ];
    toList = x: if isList x then x else [ x ];
    flatten = x: if isList x then concatMap flatten x else [ x ];
    imap0 = f: list: genList (i: f i (builtins.elemAt list i)) (length list);
    imap1 = f: list: genList (i: f (i + 1) (builtins.elemAt list i)) (length list);
    unique = foldl' (acc: x: if elem x acc then acc else acc ++ [ x ]) [ ];
    forEach = xs: f: map f xs;
    inherit concatMap filter foldl' elem head tail length genList;
    concatLists = builtins.concatLists;

    # strings
    concatStrings = concatStringsSep "";
    concatMapStrings = f: list: concatStringsSep "" (map f list);
    concatMapStringsSep = sep: f: list: concatStringsSep sep (map f list);
    optionalString = cond: s: if cond then s else "";
    hasPrefix = pref: str: substring 0 (stringLength pref) str == pref;
    hasSuffix = suf: str:
      let l = stringLength str; s = stringLength suf; in l >= s && substring (l - s) s str == suf;
    escapeShellArg = arg: "'${replaceStrings [ "'" ] [ "'\\''" ] (toString arg)}'";
    inherit concatStringsSep replaceStrings;
    getExe = drv: "${drv}/bin/${drv.meta.mainProgram or drv.pname or drv.name}";
    getExe' = drv: name: "${drv}/bin/${name}";

    # fixed points: `lib.extend (final: prev: { … })`, as nixpkgs' `makeExtensible` lib
    extend = extendWith lib;

    # trivial
    id = x: x;
    const = x: _: x;
    isDerivation = x: isAttrs x && (x.type or null) == "derivation";
    versionAtLeast = a: b: builtins.compareVersions a b >= 0;
    trivial.release = "24.11";

    # The system a NixOS or nix-darwin configuration is for: the call's, else the one its
    # modules name, else `fallback`.
    hostSystem = system: config: fallback:
      let
        named = config.nixpkgs or { };
        platform = named.hostPlatform or named.system or fallback;
      in
      if system != null then system
      else if builtins.isString platform then platform
      else platform.system;

    # NixOS, the stand-in way: the same module system, the caller's modules, no real system.
    # As in nixpkgs, the packages are for the call's `system`, else for the platform the
    # modules name (`nixpkgs.hostPlatform`, or the older `nixpkgs.system`).
    nixosSystem = { system ? null, modules, specialArgs ? { }, ... }:
      let
        hostSystem = lib.hostSystem system eval.config "x86_64-linux";
        pkgs = if nixpkgsFlake == null then import ../pkgs.nix { inherit lib; system = hostSystem; } else nixpkgsFlake.legacyPackages.${hostSystem};
        eval = lib.evalModules {
          modules = [ ../nixos/core.nix ] ++ modules;
          specialArgs = { modulesPath = ../nixos; } // specialArgs;
          args = { inherit pkgs; };
          class = "nixos";
        };
      in
      eval // { inherit pkgs; };
  };
in
lib
