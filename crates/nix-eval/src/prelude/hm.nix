# hm's prelude for Home Manager's `lib.hm`: the subset configurations call, our own
# code written against the behaviour of Home Manager's modules/lib (see README.md).
lib:
let
  inherit (lib)
    all attrNames attrValues elem filter head isAttrs length mapAttrs mkIf mkOption mkOptionType
    mkOrder tail toposort types
    ;

  dag = rec {
    empty = { };
    isEntry = e: e ? data && e ? after && e ? before;
    isDag = d: isAttrs d && all isEntry (attrValues d);
    entryBetween = before: after: data: { inherit data before after; };
    entryAnywhere = entryBetween [ ] [ ];
    entryAfter = entryBetween [ ];
    entryBefore = before: entryBetween before [ ];
    entriesBetween =
      tag:
      let
        go =
          i: before: after: entries:
          let
            name = "${tag}-${toString i}";
          in
          if entries == [ ] then
            { }
          else if length entries == 1 then
            { ${name} = entryBetween before after (head entries); }
          else
            { ${name} = entryAfter after (head entries); } // go (i + 1) before [ name ] (tail entries);
      in
      go 0;
    entriesAnywhere = tag: entriesBetween tag [ ] [ ];
    entriesAfter = tag: entriesBetween tag [ ];
    entriesBefore = tag: before: entriesBetween tag before [ ];
    map = f: mapAttrs (n: v: v // { data = f n v.data; });
    topoSort =
      d:
      let
        names = attrNames d;
        normalized = mapAttrs (n: v: {
          name = n;
          inherit (v) data;
          after = v.after ++ filter (m: elem n d.${m}.before) names;
        }) d;
        sorted = toposort (a: b: elem a.name b.after) (attrValues normalized);
      in
      if sorted ? result then { result = builtins.map (v: { inherit (v) name data; }) sorted.result; } else sorted;
  };

  # A DAG entry: plain values become `entryAnywhere` entries (keeping mkOrder priorities).
  dagEntryOf =
    elemType:
    let
      entry = types.submodule (
        { name, ... }:
        {
          options = {
            data = mkOption { type = elemType; };
            after = mkOption { type = types.listOf types.str; };
            before = mkOption { type = types.listOf types.str; };
          };
          config = mkIf (elemType.name == "submodule") { data._module.args.dagName = name; };
        }
      );
      toEntry =
        def:
        if dag.isEntry def.value then
          def.value
        else
          dag.entryAnywhere (if def ? priority then mkOrder def.priority def.value else def.value);
    in
    mkOptionType {
      name = "dagEntryOf";
      description = "DAG entry of ${elemType.description}";
      merge =
        loc: defs:
        entry.merge loc (
          builtins.map (def: {
            inherit (def) file;
            value = toEntry def;
          }) defs
        );
    };

  dagOf =
    elemType:
    let
      asAttrs = types.attrsOf (dagEntryOf elemType);
    in
    mkOptionType {
      name = "dagOf";
      description = "DAG of ${elemType.description}";
      inherit (asAttrs) check merge emptyValue;
      getSubOptions = prefix: elemType.getSubOptions (prefix ++ [ "<name>" ]);
      inherit (elemType) getSubModules;
      substSubModules = m: dagOf (elemType.substSubModules m);
      functor = lib.types.defaultFunctor "dagOf" // {
        wrapped = elemType;
      };
      nestedTypes.elemType = elemType;
    };

  # GVariant values for dconf settings: `{ _type = "gvariant"; type; value; __toString; }`.
  gvariant =
    let
      prim = t: v: {
        _type = "gvariant";
        type = t;
        value = v;
        __toString = self: "@${self.type} ${toString self.value}";
      };
      withString = f: v: v // { __toString = f; };
      type = {
        arrayOf = t: "a${t}";
        maybeOf = t: "m${t}";
        tupleOf = ts: "(${lib.concatStrings ts})";
        dictionaryEntryOf = ts: "{${lib.concatStrings ts}}";
        string = "s";
        boolean = "b";
        uchar = "y";
        int16 = "n";
        uint16 = "q";
        int32 = "i";
        uint32 = "u";
        int64 = "x";
        uint64 = "t";
        double = "d";
        variant = "v";
      };
      typeOf =
        v:
        if builtins.isBool v then
          type.boolean
        else if builtins.isInt v then
          type.int32
        else if builtins.isFloat v then
          type.double
        else if builtins.isString v then
          type.string
        else if builtins.isList v then
          (if elemTypeOf v == "" then "" else type.arrayOf (elemTypeOf v))
        else if builtins.isAttrs v && v ? type then
          v.type
        else
          "";
      elemTypeOf = vs: if builtins.isList vs && vs != [ ] then typeOf (head vs) else "";
      joined = open: close: self: "@${self.type} ${open}${lib.concatMapStringsSep "," toString self.value}${close}";
      maybe =
        t: v:
        withString (self: if self.value == null then "@${self.type} nothing" else "just ${toString self.value}") (
          prim (type.maybeOf t) v
        );
    in
    rec {
      inherit type typeOf;
      isGVariant = v: v._type or "" == "gvariant";
      isArray = lib.hasPrefix "a";
      isDictionaryEntry = lib.hasPrefix "{";
      isMaybe = lib.hasPrefix "m";
      isTuple = lib.hasPrefix "(";
      mkValue =
        v:
        if builtins.isBool v then
          mkBoolean v
        else if builtins.isInt v then
          mkInt32 v
        else if builtins.isFloat v then
          mkDouble v
        else if builtins.isString v then
          mkString v
        else if builtins.isList v then
          (if v == [ ] then mkArray type.string [ ] else mkArray (elemTypeOf v) v)
        else if isGVariant v then
          v
        else
          null;
      mkArray = t: elems: withString (joined "[" "]") (prim (type.arrayOf t) (builtins.map mkValue elems));
      mkEmptyArray = t: mkArray t [ ];
      mkVariant = elem: withString (self: "@${self.type} <${toString self.value}>") (prim type.variant (mkValue elem));
      mkDictionaryEntry =
        elems:
        let
          vs = builtins.map mkValue elems;
        in
        withString (joined "{" "}") (prim (type.dictionaryEntryOf (builtins.map (e: e.type) vs)) vs);
      mkNothing = t: maybe t null;
      mkJust =
        elem:
        let
          v = mkValue elem;
        in
        maybe v.type v;
      mkTuple =
        elems:
        let
          vs = builtins.map mkValue elems;
        in
        withString (joined "(" ")") (prim (type.tupleOf (builtins.map (e: e.type) vs)) vs);
      mkBoolean = v: withString (self: if self.value then "true" else "false") (prim type.boolean v);
      mkString =
        v:
        withString (
          self: "'${builtins.replaceStrings [ "\n" ] [ "\\n" ] (lib.escape [ "'" "\\" ] self.value)}'"
        ) (prim type.string v);
      mkObjectpath = v: withString (self: "objectpath '${lib.escape [ "'" ] self.value}'") (prim type.string v);
      mkUchar = prim type.uchar;
      mkInt16 = prim type.int16;
      mkUint16 = prim type.uint16;
      mkInt32 = v: withString (self: toString self.value) (prim type.int32 v);
      mkUint32 = prim type.uint32;
      mkInt64 = prim type.int64;
      mkUint64 = prim type.uint64;
      mkDouble = v: withString (self: toString self.value) (prim type.double v);
    };

  safeChars =
    [ "+" "." "_" "?" "=" ] ++ lib.lowerChars ++ lib.upperChars ++ lib.stringToCharacters "0123456789";
  blanks = l: builtins.map (_: "") l;
in
{
  inherit dag gvariant;
  types = {
    inherit dagOf;
  };
  strings = rec {
    storeFileName =
      path:
      let
        unsafe = lib.stringToCharacters (builtins.replaceStrings safeChars (blanks safeChars) path);
      in
      "hm_" + builtins.replaceStrings unsafe (blanks unsafe) path;
    toCaseWithSeparator =
      separator: string:
      lib.removePrefix separator (
        lib.concatMapStrings (w: if builtins.isString w then w else separator + lib.toLower (head w)) (
          builtins.split "([A-Z])" string
        )
      );
    toSnakeCase = toCaseWithSeparator "_";
    toKebabCase = toCaseWithSeparator "-";
  };
  booleans.yesNo = v: if v then "yes" else "no";
  shell = rec {
    export = n: v: ''export ${n}="${if builtins.isBool v then lib.boolToString v else toString v}"'';
    exportAll = vars: lib.concatStringsSep "\n" (lib.mapAttrsToList export (lib.filterAttrs (_: v: v != null) vars));
    prependToVar = sep: n: v: "${lib.concatStringsSep sep v}\${${n}:+${sep}}\$${n}";
  };
  assertions.assertPlatform = module: pkgs: platforms: {
    assertion = builtins.elem pkgs.stdenv.hostPlatform.system platforms;
    message = ''
      The module ${module} does not support your platform. It only supports

      ${lib.concatMapStringsSep "\n" (p: "  - ${p}") (builtins.sort (a: b: a < b) platforms)}'';
  };
}
