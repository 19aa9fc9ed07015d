# Every option of the real Home Manager module set, as a list of
#   [ path type-code free default-json file type-description ]
# path: components joined by ".", attribute names of attrsOf/submodule written `<name>`,
# list items `*`; type-code: a compact type (`listOf(str)`, `enum["a","b"]`, …); free: 1
# when anything below the option is free-form, 2 when a whole configuration is below it
# (`specialisation.<name>.configuration`); default-json: the default when it is a
# literal (else ""); file: the declaring file relative to the checkout.
{ hm, pkgs, base }:
let
  lib = pkgs.lib;
  # Releases up to 26.05 have no lib/eval-config.nix: modules/default.nix is the entry.
  cfg =
    if builtins.pathExists (hm + "/lib/eval-config.nix") then
      import (hm + "/lib/eval-config.nix") {
        inherit pkgs lib;
        check = false;
        modules = [ base ];
      }
    else
      import (hm + "/modules") {
        inherit pkgs lib;
        check = false;
        configuration = base;
      };
  prefix = toString hm + "/";
  rel = f: let s = toString f; in
    if lib.hasPrefix prefix s then lib.removePrefix prefix s else s;
  try = x: let r = builtins.tryEval x; in if r.success then r.value else null;

  typeCode = depth: t:
    let
      n = t.name or "unknown";
      nested = t.nestedTypes or { };
      sub = x: typeCode (depth + 1) x;
      values = let p = t.functor.payload or null; in
        if builtins.isAttrs p && p ? values then p.values
        else if builtins.isList p then p else [ ];
      enumValues = builtins.filter (v: builtins.isString v || builtins.isInt v || builtins.isBool v) values;
    in
    if depth > 4 then n
    else if n == "enum" then "enum" + builtins.toJSON enumValues
    else if nested ? left && nested ? right then "${n}(${sub nested.left},${sub nested.right})"
    else if nested ? coercedType && nested ? finalType then "${n}(${sub nested.coercedType},${sub nested.finalType})"
    else if nested ? elemType then "${n}(${sub nested.elemType})"
    else if nested ? freeformType then "${n}(${sub nested.freeformType})"
    else n;

  # Types below which any attribute name is accepted.
  freeNames = [ "attrs" "anything" "unspecified" "raw" "json" "yaml" "toml" "pkgs" "format" ];
  isFree = depth: t:
    let
      n = t.name or "";
      nested = t.nestedTypes or { };
      sub = isFree (depth + 1);
    in
    depth < 5 && (
      builtins.elem n freeNames
      || (builtins.elem n [ "attrsOf" "lazyAttrsOf" ]
        && (!(hasSubOptions (nested.elemType or { })) || sub (nested.elemType or { })))
      || (nested ? freeformType)
      || (nested ? left && nested ? right && (sub nested.left || sub nested.right))
      || (n == "nullOr" && sub (nested.elemType or { }))
      || (nested ? finalType && sub nested.finalType)
      || (n == "coercedTo" && nested ? coercedType && sub nested.coercedType)
    );
  hasSubOptions = t: (t.getSubModules or null) != null
    || builtins.elem (t.name or "") [ "attrsOf" "lazyAttrsOf" "listOf" "nullOr" ] && hasSubOptions (t.nestedTypes.elemType or { });

  literal = v:
    builtins.isBool v || builtins.isInt v || builtins.isFloat v || builtins.isString v || v == null
    || (builtins.isList v && builtins.length v < 20 && builtins.all literal v);
  defaultOf = opt:
    if opt ? defaultText || !(opt ? default) then ""
    else let r = builtins.tryEval (let d = opt.default; in if literal d then builtins.toJSON d else ""); in
      if r.success then r.value else "";

  one = opt:
    let
      t = opt.type or { };
      path = lib.concatStringsSep "." opt.loc;
      r = builtins.tryEval (builtins.deepSeq [ (typeCode 0 t) (isFree 0 t) ] true);
      ok = r.success;
    in
    [
      path
      # Renamed and removed options (`mkRenamedOptionModule`) are invisible; their type
      # is not the one a definition must have.
      (if ok && (opt.visible or true) != false then typeCode 0 t else "unknown")
      (if ok && isFree 0 t then 1 else 0)
      (defaultOf opt)
      (let d = try (map rel (opt.declarations or [ ])); in if d == null || d == [ ] then "" else builtins.head d)
      (let d = try (t.description or ""); in if builtins.isString d then d else "")
    ];

  walk = depth: options:
    lib.concatMap (
      opt:
      let
        subs = try (opt.type.getSubOptions opt.loc);
        ss = if subs == null || depth > 6 then { } else builtins.removeAttrs subs [ "_freeformOptions" "_module" ];
        # `specialisation.<name>.configuration`: a whole Home Manager configuration again.
        again = ss ? home && ss ? programs && ss ? systemd;
        inner = let r = builtins.tryEval (builtins.deepSeq (map (o: o.loc) (lib.collect lib.isOption ss)) (walk (depth + 1) ss)); in
          if again || !r.success then [ ] else r.value;
        record = one opt;
      in
      [ (if again then lib.take 2 record ++ [ 2 ] ++ lib.drop 3 record else record) ] ++ inner
    ) (lib.collect lib.isOption options);
in
walk 0 (builtins.removeAttrs cfg.options [ "_module" ])
