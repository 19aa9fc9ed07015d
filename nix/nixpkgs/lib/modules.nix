# A small module system with the semantics Home Manager configurations rely on:
# module functions get the arguments they ask for, `imports` are followed (each file
# once), attribute sets merge, lists concatenate, and `mkIf`/`mkMerge`/priorities are
# honoured. `mkIf` is pushed into attribute sets, so conditions are only evaluated where
# the value is needed, as in nixpkgs. Options declared with `mkOption` give defaults and
# types (`attrsOf`, `submodule`, `lines`, …); undeclared paths merge structurally.
{ lib }:
let
  inherit (builtins)
    all any attrNames concatLists concatMap concatStringsSep elemAt filter foldl' functionArgs
    genList genericClosure intersectAttrs isAttrs isFunction isList isPath isString length
    listToAttrs mapAttrs removeAttrs substring zipAttrsWith;

  typeOf = v: if isAttrs v then v._type or null else null;

  isModuleFile = m: isPath m || (isString m && substring 0 1 m == "/");

  # Calls a module function with the arguments it names (all of them for `args: …`).
  callModule = f: args:
    let wanted = functionArgs f; in
    if wanted == { } then f args else f (intersectAttrs wanted args);

  metaAttrs = [ "imports" "options" "config" "_file" "key" "disabledModules" "meta" "_class" ];

  loadModule = key: args: m:
    let
      raw = if isModuleFile m then import m else m;
      value = if isFunction raw then callModule raw args else raw;
      full = value ? config || value ? options;
    in
    {
      inherit key;
      file = value._file or (if isModuleFile m then toString m else key);
      imports = value.imports or [ ];
      options = value.options or { };
      config = if full then value.config or { } else removeAttrs value metaAttrs;
    };

  # Every module reachable through `imports`; a file is loaded once however often imported.
  collectModules = args: modules:
    let
      item = parent: index: m: {
        key = if isModuleFile m then toString m else "${parent}:${toString index}";
        inherit m;
      };
      load = i: i // { module = loadModule i.key args i.m; };
      numbered = parent: ms: genList (i: load (item parent i (elemAt ms i))) (length ms);
    in
    map (i: i.module) (genericClosure {
      startSet = numbered "<root>" modules;
      operator = i: numbered i.key i.module.imports;
    });

  isOptionDecl = x: typeOf x == "option";

  mergeDecls = a: b:
    a // mapAttrs
      (n: v: if a ? ${n} && !isOptionDecl v && !isOptionDecl a.${n} then mergeDecls a.${n} v else v)
      b;

  # `mkIf c { a = x; }` -> `[ { a = mkIf c x; } ]`: names known, conditions untouched.
  pushDown = v:
    let t = typeOf v; in
    if t == "merge" then concatMap pushDown v.contents
    else if t == "if" then map (mapAttrs (_: self.mkIf v.condition)) (pushDown v.content)
    else if t == "override" then map (mapAttrs (_: self.mkOverride v.priority)) (pushDown v.content)
    else if t == "order" then pushDown v.content
    else [ v ];

  isAttrsDef = v:
    let t = typeOf v; in
    if t == "if" || t == "override" || t == "order" then isAttrsDef v.content
    else if t == "merge" then all isAttrsDef v.contents
    else isAttrs v && t == null && (v.type or null) != "derivation" && !(v ? outPath);

  self = rec {
    mkIf = condition: content: { _type = "if"; inherit condition content; };
    mkMerge = contents: { _type = "merge"; inherit contents; };
    mkOverride = priority: content: { _type = "override"; inherit priority content; };
    mkOptionDefault = mkOverride 1500;
    mkDefault = mkOverride 1000;
    mkImageMediaOverride = mkOverride 60;
    mkForce = mkOverride 50;
    mkVMOverride = mkOverride 10;
    mkOrder = priority: content: { _type = "order"; inherit priority content; };
    mkBefore = mkOrder 500;
    mkAfter = mkOrder 1500;
    mkOption = attrs: attrs // { _type = "option"; };
    mkEnableOption = name: mkOption {
      default = false;
      type = lib.types.bool;
      description = "Whether to enable ${name}.";
    };
    mkPackageOption = pkgs: name: { default ? [ name ], ... }:
      mkOption { type = lib.types.package; default = lib.attrByPath (lib.toList default) null pkgs; };
    literalExpression = text: { _type = "literalExpression"; inherit text; };

    # Definitions are `{ file, value }`; discharged ones also carry `priority`.
    discharge = file: priority: v:
      let t = typeOf v; in
      if t == "merge" then concatMap (discharge file priority) v.contents
      else if t == "if" then (if v.condition then discharge file priority v.content else [ ])
      else if t == "override" then discharge file v.priority v.content
      else if t == "order" then discharge file priority v.content
      else [ { inherit file priority; value = v; } ];

    # The definitions that win: conditions decided, highest priority (lowest number) only.
    decide = defs:
      let
        discharged = concatMap (d: discharge d.file 100 d.value) defs;
        best = foldl' (p: d: if d.priority < p then d.priority else p) 9999 discharged;
      in
      filter (d: d.priority == best) discharged;

    mergeLeaf = loc: defs:
      let
        chosen = decide defs;
        values = map (d: d.value) chosen;
        first = elemAt values 0;
        name = concatStringsSep "." loc;
      in
      if chosen == [ ] then throw "The option `${name}' is used but not defined."
      else if all isList values then concatLists values
      else if length values == 1 || all (v: v == first) values then first
      else if all isAttrs values then mergeAt loc { } chosen
      else throw "The option `${name}' has conflicting definition values, in: ${concatStringsSep ", " (map (d: d.file) chosen)}.";

    # Merges the definitions at `loc`, guided by the option declarations `decls` there.
    mergeAt = loc: decls: defs:
      if isOptionDecl decls then
        let
          withDefault = defs ++ lib.optional (decls ? default) { file = "<default>"; value = mkOptionDefault decls.default; };
          type = decls.type or lib.types.anything;
        in
        type.merge loc withDefault
      else if all (d: isAttrsDef d.value) defs then
        let
          sets = concatMap (d: map (value: { inherit (d) file; inherit value; }) (pushDown d.value)) defs;
          zipped = zipAttrsWith (_: vs: vs) (map (s: mapAttrs (_: value: { inherit (s) file; inherit value; }) s.value) sets);
          names = attrNames zipped ++ filter (n: !(zipped ? ${n})) (attrNames decls);
        in
        listToAttrs (map (n: { name = n; value = mergeAt (loc ++ [ n ]) (decls.${n} or { }) (zipped.${n} or [ ]); }) names)
      else mergeLeaf loc defs;

    evalModules = { modules, specialArgs ? { }, args ? { }, class ? null, prefix ? [ ] }:
      let
        allArgs = { inherit lib config options specialArgs; } // args // specialArgs;
        collected = collectModules allArgs modules;
        options = foldl' mergeDecls { } (map (m: m.options) collected);
        config = mergeAt prefix options (map (m: { inherit (m) file; value = m.config; }) collected);
      in
      {
        inherit config options class;
        _module.args = allArgs;
      };
  };
in
self
