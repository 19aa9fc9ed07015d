# Option types: each knows how to merge a list of definitions (`{ file, value }`).
{ lib }:
let
  inherit (builtins) any attrNames concatStringsSep elemAt isAttrs length mapAttrs zipAttrsWith;
  mk = name: merge: { _type = "option-type"; inherit name merge; check = _: true; };
  leaf = name: mk name lib.mergeLeaf;
  last = list: elemAt list (length list - 1);
in
rec {
  anything = mk "anything" (loc: defs: lib.mergeAt loc { } defs);
  attrs = anything // { check = isAttrs; };
  unspecified = anything;
  raw = leaf "raw";
  str = leaf "str";
  nonEmptyStr = str;
  bool = leaf "bool";
  int = leaf "int";
  ints.unsigned = int;
  port = int;
  float = leaf "float";
  path = leaf "path";
  package = leaf "package";
  lines = mk "lines" (loc: defs: concatStringsSep "\n" (map (d: d.value) (lib.decide defs)));
  listOf = _: leaf "listOf";
  nullOr = t: t;
  uniq = t: t;
  enum = _: str;
  either = a: _: a;
  # Definitions `from` accepts become `f value`; the result merges as `to`.
  coercedTo = from: f: to: mk "coercedTo" (loc: defs:
    to.merge loc (map (d: d // { value = if from.check d.value then f d.value else d.value; }) (lib.decide defs)));
  oneOf = ts: elemAt ts 0;

  # Names whose definitions are all `mkIf false` are absent, as in nixpkgs.
  attrsOf = elem: mk "attrsOf" (loc: defs:
    let
      sets = lib.decide defs;
      zipped = zipAttrsWith (_: vs: vs) (map (d: mapAttrs (_: value: { inherit (d) file; inherit value; }) d.value) sets);
      present = lib.filterAttrs (_: ds: any (d: lib.discharge d.file 100 d.value != [ ]) ds) zipped;
    in
    mapAttrs (n: ds: elem.merge (loc ++ [ n ]) ds) present);
  lazyAttrsOf = attrsOf;

  # With `shorthandOnlyDefinesConfig` (as `submodule`), a definition that is a set is the
  # submodule's config, so it may hold an option named `config` (`launchd.agents.<name>`).
  submoduleWith = { modules, specialArgs ? { }, args ? { }, class ? null, shorthandOnlyDefinesConfig ? false, ... }: mk "submodule" (loc: defs:
    let
      asModule = d:
        if shorthandOnlyDefinesConfig && isAttrs d.value then { _file = d.file; config = d.value; }
        else { _file = d.file; imports = [ d.value ]; };
    in
    (lib.evalModules {
      modules = modules ++ map asModule (lib.decide defs);
      specialArgs = specialArgs // { name = last loc; };
      inherit args class;
    }).config);
  # Every definition is a module; the merged value imports them all, in order.
  deferredModule = mk "deferredModule" (loc: defs: { imports = map (d: d.value) (lib.decide defs); });
  submodule = m: submoduleWith { modules = lib.toList m; shorthandOnlyDefinesConfig = true; };
}
