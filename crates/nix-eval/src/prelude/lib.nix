# hm's nixpkgs `lib` prelude: our own compact implementation of the parts of
# nixpkgs' lib that configurations use, written against the real lib's behaviour
# (see README.md). Plain Nix: real Nix evaluates it too (tests/prelude/check.sh).
# Everything is lazy: only what a configuration touches is evaluated.
let
  inherit (builtins)
    add all any attrNames attrValues catAttrs concatLists concatMap concatStringsSep
    deepSeq div elem elemAt filter foldl' functionArgs genList getAttr groupBy hasAttr
    head intersectAttrs isAttrs isBool isFloat isInt isList isPath isString length
    listToAttrs mapAttrs match partition removeAttrs replaceStrings seq sort split
    stringLength substring tail throw toJSON toString trace tryEval typeOf zipAttrsWith
    ;

  # ---------------------------------------------------------------- trivial
  trivial = rec {
    id = x: x;
    const = x: _: x;
    flip = f: a: b: f b a;
    pipe = val: fns: foldl' (x: f: f x) val fns;
    concat = x: y: x ++ y;
    or = x: y: x || y;
    and = x: y: x && y;
    xor = x: y: (!x) != (!y);
    bitAnd = builtins.bitAnd;
    bitOr = builtins.bitOr;
    bitXor = builtins.bitXor;
    boolToString = b: if b then "true" else "false";
    boolToYesNo = b: if b then "yes" else "no";
    mergeAttrs = x: y: x // y;
    defaultTo = default: maybeValue: if maybeValue != null then maybeValue else default;
    mapNullable = f: a: if a == null then a else f a;
    min = x: y: if x < y then x else y;
    max = x: y: if x > y then x else y;
    mod = base: int: base - (int * (base / int));
    compare = a: b: if a < b then -1 else if a > b then 1 else 0;
    splitByAndCompare =
      p: yes: no: a: b:
      if p a then (if p b then yes a b else -1) else if p b then 1 else no a b;
    isFunction = f: builtins.isFunction f || (f ? __functor && isFunction (f.__functor f));
    toFunction = v: if isFunction v then v else _: v;
    functionArgs =
      f: if f ? __functor then f.__functionArgs or (functionArgs (f.__functor f)) else builtins.functionArgs f;
    setFunctionArgs = f: args: {
      __functor = self: f;
      __functionArgs = args;
    };
    mirrorFunctionArgs = f: g: setFunctionArgs g (functionArgs f);
    inherit (builtins) seq deepSeq typeOf;
    # Unlike nixpkgs, no NIX_ABORT_ON_WARN: hm evaluates purely, where getEnv gives "".
    warn = msg: trace "evaluation warning: ${msg}";
    warnIf = cond: msg: if cond then warn msg else id;
    warnIfNot = cond: msg: if cond then id else warn msg;
    throwIf = cond: msg: if cond then throw msg else id;
    throwIfNot = cond: msg: if cond then id else throw msg;
    info = msg: trace "INFO: ${msg}";
    showWarnings = warnings: res: foldl' (acc: w: warn w acc) res (lists.reverseList warnings);
    release = "26.11";
    versionSuffix = "pre-git";
    version = release + versionSuffix;
    codeName = "Zokor";
    oldestSupportedRelease = 2505;
    isInOldestRelease = r: r <= oldestSupportedRelease;
    oldestSupportedReleaseIsAtLeast = r: r <= oldestSupportedRelease;
    inPureEvalMode = !(builtins ? currentSystem);
    importJSON = path: builtins.fromJSON (builtins.readFile path);
    inherit (builtins)
      add sub mul div lessThan isBool isFloat isInt readFile genericClosure ceil floor fromTOML
      hashFile toXML placeholder splitVersion trace pathExists
      ;
    revisionWithDefault = default: default;
    bitNot = builtins.sub (-1);
    inNixShell = builtins.getEnv "IN_NIX_SHELL" != "";
    maybeEnv = name: default: let v = builtins.getEnv name; in if v == "" then default else v;
    fakeHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    fakeSha256 = "0000000000000000000000000000000000000000000000000000000000000000";
    fakeSha512 = "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
    nixpkgsVersion = version;
    warnOnInstantiate = msg: drv: drv;
    importTOML = path: builtins.fromTOML (builtins.readFile path);
    toHexString =
      i:
      let
        digits = "0123456789ABCDEF";
        go = n: (if n >= 16 then go (n / 16) else "") + substring (mod n 16) 1 digits;
      in
      go i;
  };
  inherit (trivial) id const flip warn isFunction min max;

  # ---------------------------------------------------------------- lists
  lists = rec {
    inherit (builtins)
      all any concatLists concatMap elem elemAt filter genList groupBy head isList length map
      partition sort tail
      ;
    foldl' = builtins.foldl';
    singleton = x: [ x ];
    forEach = xs: f: map f xs;
    foldr =
      op: nul: list:
      let
        len = length list;
        go = n: if n == len then nul else op (elemAt list n) (go (n + 1));
      in
      go 0;
    fold = foldr;
    foldl =
      op: nul: list:
      let
        go = n: if n == -1 then nul else op (go (n - 1)) (elemAt list n);
      in
      go (length list - 1);
    imap0 = f: list: genList (n: f n (elemAt list n)) (length list);
    imap1 = f: list: genList (n: f (n + 1) (elemAt list n)) (length list);
    imap = imap1;
    concatAttrValues = set: concatLists (attrValues set);
    replaceElemAt = list: idx: newElem: genList (i: if i == idx then newElem else elemAt list i) (length list);
    uniqList = { inputList, acc ? [ ] }: acc ++ unique inputList;
    ifilter0 =
      ipred: input:
      map (i: elemAt input i) (filter (i: ipred i (elemAt input i)) (genList id (length input)));
    flatten = x: if isList x then concatMap flatten x else [ x ];
    remove = e: filter (x: x != e);
    findFirstIndex =
      pred: default: list:
      let
        go = i: if i == length list then default else if pred (elemAt list i) then i else go (i + 1);
      in
      go 0;
    findFirst =
      pred: default: list:
      let
        i = findFirstIndex pred null list;
      in
      if i == null then default else elemAt list i;
    findSingle =
      pred: default: multiple: list:
      let
        found = filter pred list;
      in
      if found == [ ] then default else if length found > 1 then multiple else head found;
    count = pred: foldl' (c: x: if pred x then c + 1 else c) 0;
    optional = cond: x: if cond then [ x ] else [ ];
    optionals = cond: xs: if cond then xs else [ ];
    toList = x: if isList x then x else [ x ];
    range = first: last: if first > last then [ ] else genList (n: first + n) (last - first + 1);
    replicate = n: x: genList (_: x) n;
    groupBy' = op: nul: pred: lst: mapAttrs (_: foldl op nul) (groupBy pred lst);
    zipListsWith =
      f: fst: snd:
      genList (n: f (elemAt fst n) (elemAt snd n)) (min (length fst) (length snd));
    zipLists = zipListsWith (fst: snd: { inherit fst snd; });
    reverseList =
      xs:
      let
        l = length xs;
      in
      genList (n: elemAt xs (l - n - 1)) l;
    sortOn =
      f: list:
      map (p: elemAt p 1) (sort (a: b: head a < head b) (map (x: [ (f x) x ]) list));
    compareLists =
      cmp: a: b:
      if a == [ ] then
        (if b == [ ] then 0 else -1)
      else if b == [ ] then
        1
      else
        let
          r = cmp (head a) (head b);
        in
        if r == 0 then compareLists cmp (tail a) (tail b) else r;
    sublist =
      start: count: list:
      let
        len = length list;
        n =
          if start >= len then
            0
          else if start + count > len then
            len - start
          else
            count;
      in
      genList (i: elemAt list (i + start)) (if n < 0 then 0 else n);
    take = count: sublist 0 count;
    drop = count: list: sublist count (length list) list;
    takeEnd = n: xs: drop (max 0 (length xs - n)) xs;
    dropEnd = n: xs: take (max 0 (length xs - n)) xs;
    last =
      list:
      assert trivial.throwIf (list == [ ]) "lists.last: list must not be empty!" true;
      elemAt list (length list - 1);
    init =
      list:
      assert trivial.throwIf (list == [ ]) "lists.init: list must not be empty!" true;
      take (length list - 1) list;
    hasPrefix = prefix: list: take (length prefix) list == prefix;
    removePrefix =
      prefix: list:
      if hasPrefix prefix list then
        drop (length prefix) list
      else
        throw "lists.removePrefix: First argument is not a list prefix of the second argument";
    commonPrefix =
      a: b:
      let
        n = findFirstIndex (i: elemAt a i != elemAt b i) (min (length a) (length b)) (
          genList id (min (length a) (length b))
        );
      in
      take n a;
    unique = foldl' (acc: e: if elem e acc then acc else acc ++ [ e ]) [ ];
    uniqueStrings = list: attrNames (listToAttrs (map (name: { inherit name; value = null; }) list));
    allUnique = list: length (unique list) == length list;
    intersectLists = e: filter (x: elem x e);
    subtractLists = e: filter (x: !elem x e);
    mutuallyExclusive = a: b: a == [ ] || !(any (x: elem x a) b);
    crossLists = f: foldl (fs: args: concatMap (f: map f args) fs) [ f ];
    cartesianProduct =
      attrsOfLists:
      foldl' (acc: name: concatMap (a: map (v: a // { ${name} = v; }) attrsOfLists.${name}) acc) [ { } ] (
        attrNames attrsOfLists
      );
    mapCartesianProduct = f: attrsOfLists: map f (cartesianProduct attrsOfLists);
    listDfs =
      stopOnCycles: before: list:
      let
        dfs' =
          us: visited: rest:
          let
            c = filter (x: before x us) visited;
            b = partition (x: before x us) rest;
          in
          if stopOnCycles && (length c > 0) then
            {
              cycle = us;
              loops = c;
              inherit visited rest;
            }
          else if length b.right == 0 then
            {
              minimal = us;
              inherit visited rest;
            }
          else
            dfs' (head b.right) ([ us ] ++ visited) (tail b.right ++ b.wrong);
      in
      dfs' (head list) [ ] (tail list);
    toposort =
      before: list:
      let
        dfsthis = listDfs true before list;
        toporest = toposort before (dfsthis.visited ++ dfsthis.rest);
      in
      if length list < 2 then
        { result = list; }
      else if dfsthis ? cycle then
        {
          cycle = reverseList ([ dfsthis.cycle ] ++ dfsthis.visited);
          inherit (dfsthis) loops;
        }
      else if toporest ? cycle then
        toporest
      else
        { result = [ dfsthis.minimal ] ++ toporest.result; };
    naturalSort =
      lst:
      let
        vectorise = s: map (x: if isList x then builtins.fromJSON (head x) else x) (split "(0|[1-9][0-9]*)" s);
        prepared = map (x: [ (vectorise x) x ]) lst;
        less = a: b: compareLists trivial.compare (head a) (head b) < 0;
      in
      map (x: elemAt x 1) (sort less prepared);
  };
  inherit (lists) foldr imap0 imap1 optional optionals toList last reverseList unique;

  # ---------------------------------------------------------------- strings
  strings = rec {
    inherit (builtins)
      compareVersions concatStringsSep elem elemAt filter fromJSON head isInt isList isAttrs
      isPath isString match parseDrvName readFile replaceStrings split storeDir stringLength
      substring tail toJSON typeOf unsafeDiscardStringContext
      ;
    toString = builtins.toString;
    concatStrings = concatStringsSep "";
    concatMapStrings = f: list: concatStrings (map f list);
    concatImapStrings = f: list: concatStrings (imap1 f list);
    concatMapStringsSep = sep: f: list: concatStringsSep sep (map f list);
    concatImapStringsSep = sep: f: list: concatStringsSep sep (imap1 f list);
    concatMapAttrsStringSep = sep: f: attrs: concatStringsSep sep (attrValues (mapAttrs f attrs));
    concatLines = list: concatStrings (map (s: s + "\n") list);
    intersperse =
      separator: list:
      if list == [ ] || length list == 1 then list else tail (concatMap (x: [ separator x ]) list);
    replicate = n: s: concatStrings (lists.replicate n s);
    optionalString = cond: s: if cond then s else "";
    hasPrefix = pref: str: substring 0 (stringLength pref) str == pref;
    hasSuffix =
      suffix: content:
      let
        lenC = stringLength content;
        lenS = stringLength suffix;
      in
      lenS <= lenC && substring (lenC - lenS) lenS content == suffix;
    hasInfix = infix: content: match ".*${escapeRegex infix}.*" "${content}" != null;
    removePrefix =
      prefix: str:
      let
        n = stringLength prefix;
      in
      if hasPrefix prefix str then substring n (stringLength str - n) str else str;
    removeSuffix =
      suffix: str:
      let
        n = stringLength suffix;
        l = stringLength str;
      in
      if hasSuffix suffix str then substring 0 (l - n) str else str;
    stringToCharacters = s: genList (p: substring p 1 s) (stringLength s);
    stringAsChars = f: s: concatMapStrings f (stringToCharacters s);
    lowerChars = stringToCharacters "abcdefghijklmnopqrstuvwxyz";
    upperChars = stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    toLower = replaceStrings upperChars lowerChars;
    toUpper = replaceStrings lowerChars upperChars;
    toSentenceCase =
      str: if str == "" then "" else toUpper (substring 0 1 str) + toLower (substring 1 (-1) str);
    escape = list: replaceStrings list (map (c: "\\${c}") list);
    escapeC =
      list:
      replaceStrings list (map (c: "\\x${toLower (trivial.toHexString (charToInt c))}") list);
    charToInt =
      c:
      let
        table = "\t\n\r !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
        codes = [ 9 10 13 ] ++ genList (n: n + 32) 95;
        i = lists.findFirstIndex (j: substring j 1 table == c) null (genList id (stringLength table));
      in
      if i == null then throw "charToInt: unsupported character" else elemAt codes i;
    escapeRegex = escape (stringToCharacters "\\[{()^$?*+|.");
    escapeShellArg =
      arg:
      let
        s = toString arg;
      in
      if match "[[:alnum:],._+:@%/-]+" s == null then "'${replaceStrings [ "'" ] [ "'\\''" ] s}'" else s;
    escapeShellArgs = concatMapStringsSep " " escapeShellArg;
    escapeNixString = s: escape [ "$" ] (toJSON s);
    escapeNixIdentifier =
      s:
      if
        match "[a-zA-Z_][a-zA-Z0-9_'-]*" s != null
        && !elem s [ "assert" "else" "if" "in" "inherit" "let" "or" "rec" "then" "with" ]
      then
        s
      else
        escapeNixString s;
    escapeXML =
      replaceStrings [ "\"" "'" "<" ">" "&" ] [ "&quot;" "&apos;" "&lt;" "&gt;" "&amp;" ];
    escapeURL =
      let
        unreserved = "[A-Za-z0-9._~-]";
      in
      s:
      concatMapStrings (
        c: if match unreserved c != null then c else "%" + fixedWidthString 2 "0" (trivial.toHexString (charToInt c))
      ) (stringToCharacters s);
    isStringLike = x: isString x || isPath x || x ? outPath || x ? __toString;
    isStorePath =
      x:
      if isStringLike x then
        let
          str = toString x;
        in
        substring 0 1 str == "/"
        && dirOf str == storeDir
        && match "[0-9a-z]{32}-.+" (baseNameOf str) != null
      else
        false;
    isValidPosixName = name: match "[a-zA-Z_][a-zA-Z0-9_]*" name != null;
    splitString =
      sep: s: filter isString (split (escapeRegex (toString sep)) (toString s));
    trimWith =
      {
        start ? false,
        end ? false,
      }:
      let
        ws = "[ \t\r\n]";
        regex =
          if start && end then
            "${ws}*(.*[^ \t\r\n])${ws}*"
          else if start then
            "${ws}*(.*)"
          else if end then
            "(.*[^ \t\r\n])${ws}*"
          else
            "(.*)";
      in
      s:
      let
        res = match regex s;
      in
      optionalString (res != null) (head res);
    trim = trimWith {
      start = true;
      end = true;
    };
    fixedWidthString =
      width: filler: str:
      let
        strw = stringLength str;
      in
      assert trivial.throwIf (strw > width) "fixedWidthString: requested string length (${toString width}) must not be shorter than actual length (${toString strw})" true;
      if strw == width then str else filler + fixedWidthString (width - stringLength filler) filler str;
    fixedWidthNumber = width: n: fixedWidthString width "0" (toString n);
    toInt =
      str:
      let
        m = match "[[:space:]]*(-?[[:digit:]]+)[[:space:]]*" str;
      in
      if m == null then
        throw "Could not convert ${str} to int."
      else if match "-?0[[:digit:]]+" (head m) != null then
        throw "Ambiguity in interpretation of ${str} between octal and zero padded integer."
      else
        fromJSON (head m);
    toIntBase10 =
      str:
      let
        m = match "[[:space:]]*0*(-?[[:digit:]]+)[[:space:]]*" str;
      in
      if m == null then
        throw "toIntBase10: Could not convert ${escapeNixString str} to int."
      else if match "0+" (head m) != null then
        0
      else
        fromJSON (head m);
    versionOlder = v1: v2: compareVersions v2 v1 == 1;
    versionAtLeast = v1: v2: !versionOlder v1 v2;
    getName =
      x: if isString x then (parseDrvName x).name else x.pname or (parseDrvName x.name).name;
    getVersion =
      x: if isString x then (parseDrvName x).version else x.version or (parseDrvName x.name).version;
    makeSearchPath =
      subDir: paths: concatStringsSep ":" (map (p: "${p}/${subDir}") (filter (x: x != null) paths));
    makeSearchPathOutput =
      output: subDir: pkgs: makeSearchPath subDir (map (attrsets.getOutput output) pkgs);
    makeLibraryPath = makeSearchPathOutput "lib" "lib";
    makeIncludePath = makeSearchPathOutput "dev" "include";
    makeBinPath = makeSearchPathOutput "bin" "bin";
    normalizePath =
      s:
      let
        parts = split "/+" s;
      in
      concatStrings (map (x: if isList x then "/" else x) parts);
    fileContents = file: removeSuffix "\n" (readFile file);
    enableFeature = flag: feature: "--${if flag then "enable" else "disable"}-${feature}";
    enableFeatureAs = flag: feature: value: enableFeature flag feature + optionalString flag "=${value}";
    withFeature = flag: feature: "--${if flag then "with" else "without"}-${feature}";
    withFeatureAs = flag: feature: value: withFeature flag feature + optionalString flag "=${value}";
    mesonOption = feature: value: "-D${feature}=${value}";
    mesonBool = feature: flag: mesonOption feature (trivial.boolToString flag);
    mesonEnable = feature: flag: mesonOption feature (if flag then "enabled" else "disabled");
    cmakeOptionType = type: feature: value: "-D${feature}:${toUpper type}=${value}";
    cmakeBool = condition: flag: cmakeOptionType "bool" condition (toUpper (trivial.boolToString flag));
    cmakeFeature = feature: value: cmakeOptionType "string" feature value;
    nameFromURL =
      url: sep:
      let
        components = splitString "/" url;
        filename = lists.last components;
        name = head (splitString sep filename);
      in
      assert name != filename;
      name;
    addContextFrom = src: target: substring 0 0 src + target;
    replaceString = from: to: replaceStrings [ from ] [ to ];
    floatToString = toString;
    join = concatStringsSep;
    inherit (builtins) genList;
    isConvertibleWithToString =
      x: isStringLike x || elem (typeOf x) [ "null" "int" "float" "bool" ] || (isList x && lists.all isConvertibleWithToString x);
    toShellVar =
      name: value:
      trivial.throwIfNot (isValidPosixName name) "toShellVar: ${name} is not a valid shell variable name" (
        if isAttrs value && !isStringLike value then
          "declare -A ${name}=(${
            concatStringsSep " " (attrsets.mapAttrsToList (n: v: "[${escapeShellArg n}]=${escapeShellArg v}") value)
          })"
        else if isList value then
          "declare -a ${name}=(${escapeShellArgs value})"
        else
          "${name}=${escapeShellArg value}"
      );
    toShellVars = vars: concatStringsSep "\n" (attrsets.mapAttrsToList toShellVar vars);
    inherit (builtins) hasContext getContext appendContext hashString toFile;
    sanitizeDerivationName =
      string:
      let
        cleaned = replaceStrings [ "." ] [ "-" ] (
          concatStrings (map (x: if isList x then "-" else x) (split "[^[:alnum:]+._?=-]+" string))
        );
        trimmed = substring 0 207 (if hasPrefix "-" cleaned then "_" + substring 1 (-1) cleaned else cleaned);
      in
      if trimmed == "" then "unknown" else trimmed;
  };
  inherit (strings)
    concatStrings concatMapStrings concatMapStringsSep optionalString hasPrefix hasSuffix
    escapeNixIdentifier escapeNixString removeSuffix removePrefix fixedWidthString
    ;

  # ---------------------------------------------------------------- attrsets
  attrsets = rec {
    inherit (builtins)
      attrNames attrValues catAttrs getAttr hasAttr intersectAttrs isAttrs listToAttrs mapAttrs
      removeAttrs zipAttrsWith
      ;
    attrByPath =
      attrPath: default: set:
      if attrPath == [ ] then
        set
      else if set ? ${head attrPath} then
        attrByPath (tail attrPath) default set.${head attrPath}
      else
        default;
    hasAttrByPath =
      attrPath: e:
      attrPath == [ ] || (e ? ${head attrPath} && hasAttrByPath (tail attrPath) e.${head attrPath});
    setAttrByPath =
      attrPath: value:
      if attrPath == [ ] then value else { ${head attrPath} = setAttrByPath (tail attrPath) value; };
    getAttrFromPath =
      attrPath: set:
      attrByPath attrPath (abort "cannot find attribute '${concatStringsSep "." attrPath}'") set;
    attrVals = nameList: set: map (x: set.${x}) nameList;
    getAttrs = names: attrs: genAttrs names (name: attrs.${name});
    genAttrs = names: f: listToAttrs (map (n: nameValuePair n (f n)) names);
    genAttrs' = xs: f: listToAttrs (map f xs);
    nameValuePair = name: value: { inherit name value; };
    mapAttrs' = f: set: listToAttrs (map (n: f n set.${n}) (attrNames set));
    mapAttrsToList = f: attrs: map (n: f n attrs.${n}) (attrNames attrs);
    attrsToList = mapAttrsToList nameValuePair;
    mapAttrsToListRecursive = mapAttrsToListRecursiveCond (_: _: true);
    mapAttrsToListRecursiveCond =
      pred: f: set:
      let
        go =
          path: s:
          concatLists (
            mapAttrsToList (
              n: v:
              let
                p = path ++ [ n ];
              in
              if isAttrs v && pred p v then go p v else [ (f p v) ]
            ) s
          );
      in
      go [ ] set;
    chooseDevOutputs = map getDev;
    mapAttrsRecursive = mapAttrsRecursiveCond (_: true);
    mapAttrsRecursiveCond =
      cond: f: set:
      let
        go =
          path:
          mapAttrs (
            n: v: if isAttrs v && cond v then go (path ++ [ n ]) v else f (path ++ [ n ]) v
          );
      in
      go [ ] set;
    filterAttrs = pred: set: removeAttrs set (filter (n: !pred n set.${n}) (attrNames set));
    filterAttrsRecursive =
      pred: set:
      listToAttrs (
        concatMap (
          n:
          let
            v = set.${n};
          in
          if pred n v then [ (nameValuePair n (if isAttrs v then filterAttrsRecursive pred v else v)) ] else [ ]
        ) (attrNames set)
      );
    foldlAttrs = f: init: set: foldl' (acc: n: f acc n set.${n}) init (attrNames set);
    foldAttrs =
      op: nul: list:
      foldr (set: acc: foldl' (a: n: a // { ${n} = op set.${n} (a.${n} or nul); }) acc (attrNames set)) { } list;
    collect =
      pred: attrs:
      if pred attrs then
        [ attrs ]
      else if isAttrs attrs then
        concatMap (collect pred) (attrValues attrs)
      else
        [ ];
    concatMapAttrs = f: v: foldl' (a: b: a // b) { } (attrValues (mapAttrs f v));
    recursiveUpdateUntil =
      pred: lhs: rhs:
      let
        go =
          path: l: r:
          l
          // mapAttrs (
            n: rv:
            let
              here = path ++ [ n ];
            in
            if !(l ? ${n}) || pred here l.${n} rv then rv else go here l.${n} rv
          ) r;
      in
      go [ ] lhs rhs;
    recursiveUpdate = recursiveUpdateUntil (_: l: r: !(isAttrs l && isAttrs r));
    mergeAttrsList = foldl' (a: b: a // b) { };
    zipAttrsWithNames =
      names: f: sets:
      listToAttrs (map (name: { inherit name; value = f name (catAttrs name sets); }) names);
    zipAttrs = zipAttrsWith (_: values: values);
    zipWithNames = zipAttrsWithNames;
    isDerivation = value: value.type or null == "derivation";
    optionalAttrs = cond: as: if cond then as else { };
    unionOfDisjoint =
      x: y:
      let
        common = intersectAttrs x y;
      in
      if common == { } then x // y else throw "unionOfDisjoint: collision on ${toString (attrNames common)}";
    overrideExisting = old: new: mapAttrs (n: v: new.${n} or v) old;
    matchAttrs =
      pattern: attrs:
      all (
        n:
        attrs ? ${n}
        && (
          let
            p = pattern.${n};
            a = attrs.${n};
          in
          if isAttrs p && isAttrs a then matchAttrs p a else p == a
        )
      ) (attrNames pattern);
    recurseIntoAttrs = attrs: attrs // { recurseForDerivations = true; };
    dontRecurseIntoAttrs = attrs: attrs // { recurseForDerivations = false; };
    showAttrPath =
      path: if path == [ ] then "<root attribute path>" else concatMapStringsSep "." escapeNixIdentifier path;
    getOutput =
      output: pkg:
      if !pkg ? outputSpecified || !pkg.outputSpecified then pkg.${output} or pkg.out or pkg else pkg;
    getFirstOutput =
      candidates: pkg:
      let
        outputs = pkg.outputs or [ "out" ];
        o = lists.findFirst (c: elem c outputs) (head outputs) candidates;
      in
      getOutput o pkg;
    getBin = getOutput "bin";
    getLib = getOutput "lib";
    getDev = getOutput "dev";
    getMan = getOutput "man";
    getInclude = getFirstOutput [ "include" "dev" "out" ];
    # Nested updates first, then this level's in order; a missing path gives a throwing old value.
    updateManyAttrsByPath =
      let
        go =
          depth: hasValue: value: updates:
          let
            here = filter (u: length u.path == depth) updates;
            deeper = filter (u: length u.path != depth) updates;
            nested = groupBy (u: elemAt u.path depth) deeper;
            base =
              if deeper == [ ] then
                (
                  if hasValue then
                    value
                  else
                    throw "updateManyAttrsByPath: Path '${showAttrPath (head here).path}' does not exist in the given value, but the first update to this path tries to access the existing value."
                )
              else if !hasValue then
                mapAttrs (_: go (depth + 1) false null) nested
              else if isAttrs value then
                value // mapAttrs (n: go (depth + 1) (value ? ${n}) (value.${n} or null)) nested
              else
                throw "updateManyAttrsByPath: Path '${showAttrPath (head deeper).path}' needs to be updated, but path '${showAttrPath (lists.take depth (head deeper).path)}' of the given value is not an attribute set, so we can't update an attribute inside of it.";
          in
          lists.foldl (acc: u: u.update acc) base here;
      in
      updates: value: go 0 true value updates;
    cartesianProduct = lists.cartesianProduct;
    mapCartesianProduct = lists.mapCartesianProduct;
  };
  inherit (attrsets)
    attrByPath setAttrByPath getAttrFromPath genAttrs nameValuePair mapAttrsToList filterAttrs
    optionalAttrs recursiveUpdate isDerivation showAttrPath
    ;

  # ---------------------------------------------------------------- meta
  meta = rec {
    addMetaAttrs = newAttrs: drv: drv // { meta = (drv.meta or { }) // newAttrs; };
    dontDistribute = drv: addMetaAttrs { hydraPlatforms = [ ]; } drv;
    setName = name: drv: drv // { inherit name; };
    updateName = updater: drv: drv // { name = updater (drv.name); };
    appendToName =
      suffix:
      updateName (
        name:
        let
          x = builtins.parseDrvName name;
        in
        "${x.name}-${suffix}-${x.version}"
      );
    setPrio = priority: addMetaAttrs { inherit priority; };
    lowPrio = setPrio 10;
    hiPrio = setPrio (-10);
    lowPrioSet = set: mapAttrs (_: lowPrio) set;
    hiPrioSet = set: mapAttrs (_: hiPrio) set;
    platformMatch =
      platform: elem:
      if isString elem then platform ? system && elem == platform.system else attrsets.matchAttrs elem platform;
    availableOn =
      platform: pkg:
      (!(pkg ? meta.platforms) || any (platformMatch platform) pkg.meta.platforms)
      && !any (platformMatch platform) (pkg.meta.badPlatforms or [ ]);
    getExe =
      x:
      getExe' x (
        x.meta.mainProgram or (warn
          "getExe: Package ${escapeNixIdentifier x.meta.name or x.pname or x.name} has no meta.mainProgram; assuming its main program is named like the package (deprecated). Set meta.mainProgram, or use lib.getExe' to name the program."
          strings.getName
          x
        )
      );
    getExe' =
      x: y:
      assert trivial.throwIfNot (isDerivation x) "lib.meta.getExe': The first argument is of type ${typeOf x}, but it should be a derivation instead." true;
      assert trivial.throwIfNot (isString y) "lib.meta.getExe': The second argument is of type ${typeOf y}, but it should be a string instead." true;
      assert trivial.throwIfNot (match ".*/.*" y == null) "lib.meta.getExe': The second argument \"${y}\" is a nested path with a \"/\" character, but it should just be the name of the executable instead." true;
      "${attrsets.getBin x}/bin/${y}";
  };

  # ---------------------------------------------------------------- fixed points
  fixedPoints = rec {
    fix =
      f:
      let
        x = f x;
      in
      x;
    fix' =
      f:
      let
        x = f x // { __unfix__ = f; };
      in
      x;
    converge =
      f: x:
      let
        x' = f x;
      in
      if x' == x then x else converge f x';
    extends =
      overlay: f: final:
      let
        prev = f final;
      in
      prev // overlay final prev;
    composeExtensions =
      f: g: final: prev:
      let
        fApplied = f final prev;
      in
      fApplied // g final (prev // fApplied);
    composeManyExtensions = foldr composeExtensions (_: _: { });
    toExtension =
      f:
      if isFunction f then
        final: prev:
        let
          r = f prev;
        in
        if isFunction r then f final prev else r
      else
        _: _: f;
    makeExtensible = makeExtensibleWithCustomName "extend";
    makeExtensibleWithCustomName =
      extenderName: rattrs:
      fix' (
        self:
        rattrs self
        // {
          ${extenderName} = f: makeExtensibleWithCustomName extenderName (extends (toExtension f) rattrs);
        }
      );
  };

  # ---------------------------------------------------------------- asserts / debug
  asserts = {
    assertMsg = pred: msg: pred || throw msg;
    assertOneOf =
      name: val: xs:
      asserts.assertMsg (elem val xs) "${name} must be one of ${toJSON xs}, but is: ${toJSON val}";
    assertEachOneOf =
      name: vals: xs:
      asserts.assertMsg (all (v: elem v xs) vals) "each element in ${name} must be one of ${toJSON xs}, but is: ${toJSON vals}";
  };
  debug = rec {
    traceIf = pred: msg: x: if pred then trace msg x else x;
    traceVal = x: trace x x;
    traceValFn = f: x: trace (f x) x;
    traceSeq = x: y: trace (deepSeq x x) y;
    traceValSeq = x: traceValFn (v: deepSeq v v) x;
    traceValSeqFn = f: v: traceValFn f (deepSeq v v);
    traceFnSeqN = depth: name: f: v: f v;
    runTests = _: [ ];
  };

  # ---------------------------------------------------------------- options
  options = rec {
    isOption = x: x._type or "" == "option";
    mkOption =
      {
        default ? null,
        defaultText ? null,
        example ? null,
        description ? null,
        relatedPackages ? null,
        type ? null,
        apply ? null,
        internal ? null,
        visible ? null,
        readOnly ? null,
      }@attrs:
      attrs // { _type = "option"; };
    mkEnableOption =
      name:
      mkOption {
        default = false;
        example = true;
        description = "Whether to enable ${name}.";
        type = types.bool;
      };
    mkPackageOption =
      pkgs: name:
      {
        nullable ? false,
        default ? name,
        example ? null,
        extraDescription ? "",
        pkgsText ? "pkgs",
      }:
      let
        name' = if isList name then last name else name;
        default' = toList default;
        defaultText = showAttrPath default';
        defaults =
          if default != null then
            {
              default = attrByPath default' (throw "${defaultText} cannot be found in ${pkgsText}") pkgs;
              defaultText = literalExpression "${pkgsText}.${defaultText}";
            }
          else
            optionalAttrs nullable { default = null; };
      in
      mkOption (
        defaults
        // {
          description =
            "The ${name'} package to use." + (if extraDescription == "" then "" else " ") + extraDescription;
          type = if nullable then types.nullOr types.package else types.package;
        }
        // optionalAttrs (example != null) {
          example = literalExpression (
            if isList example then "${pkgsText}.${showAttrPath example}" else example
          );
        }
      );
    mkPackageOptionMD = mkPackageOption;
    mkSinkUndeclaredOptions =
      attrs:
      mkOption (
        {
          internal = true;
          visible = false;
          default = false;
          description = "Sink for option definitions.";
          type = types.mkOptionType {
            name = "sink";
            check = _: true;
            merge = _: _: false;
          };
          apply = _: throw "Option value is not readable because the option is not declared.";
        }
        // attrs
      );
    literalExpression =
      text:
      if !isString text then
        throw "literalExpression expects a string."
      else
        {
          _type = "literalExpression";
          inherit text;
        };
    literalExample = literalExpression;
    literalMD =
      text:
      if !isString text then
        throw "literalMD expects a string."
      else
        {
          _type = "literalMD";
          inherit text;
        };
    mdDoc = id;
    showOption =
      parts:
      let
        part = p: if p == "*" || match "<(.*)>" p != null then p else escapeNixIdentifier p;
      in
      concatStringsSep "." (map part parts);
    showFiles = files: concatStringsSep " and " (map (f: "`${toString f}'") files);
    showDefs =
      defs:
      concatMapStrings (
        def:
        let
          v = tryEval (toJSON def.value);
        in
        "\n- In `${toString def.file}': ${if v.success then v.value else "<${typeOf def.value}>"}"
      ) defs;
    getValues = map (x: x.value);
    getFiles = map (x: x.file);
    unknownModule = "<unknown-file>";
    mergeDefaultOption =
      loc: defs:
      let
        list = getValues defs;
      in
      if length list == 1 then
        head list
      else if all isFunction list then
        x: mergeDefaultOption loc (map (f: f x) list)
      else if all isList list then
        concatLists list
      else if all isAttrs list then
        foldl' (a: b: a // b) { } list
      else if all isBool list then
        any id list
      else if all isString list then
        concatStrings list
      else if all isInt list && all (x: x == head list) list then
        head list
      else
        throw "Cannot merge definitions of `${showOption loc}'. Definition values:${showDefs defs}";
    mergeUniqueOption =
      { message }:
      loc: defs:
      if length defs == 1 then
        (head defs).value
      else
        throw "The option `${showOption loc}' is defined multiple times while it's expected to be unique.\n${message}\nDefinition values:${showDefs defs}";
    mergeOneOption = mergeUniqueOption { message = ""; };
    mergeEqualOption =
      loc: defs:
      if defs == [ ] then
        abort "This case should never happen."
      else
        (foldl' (
          first: def:
          if def.value != first.value then
            throw "The option `${showOption loc}' has conflicting definition values:${showDefs [ first def ]}"
          else
            first
        ) (head defs) (tail defs)).value;
    mergeOptionDecls = modules.mergeOptionDecls;
  };
  inherit (options) mkOption isOption showOption showFiles showDefs literalExpression mergeOneOption;

  # ---------------------------------------------------------------- modules
  modules = rec {
    mkIf = condition: content: {
      _type = "if";
      inherit condition content;
    };
    mkAssert =
      assertion: message: content:
      mkIf (if assertion then true else throw "\nFailed assertion: ${message}") content;
    mkMerge = contents: {
      _type = "merge";
      inherit contents;
    };
    mkDefinition = args: args // { _type = "definition"; };
    mkOverride = priority: content: {
      _type = "override";
      inherit priority content;
    };
    defaultOverridePriority = 100;
    defaultPriority = defaultOverridePriority;
    mkOptionDefault = mkOverride 1500;
    mkDefault = mkOverride 1000;
    mkImageMediaOverride = mkOverride 60;
    mkForce = mkOverride 50;
    mkVMOverride = mkOverride 10;
    mkFixStrictness = id;
    mkOrder = priority: content: {
      _type = "order";
      inherit priority content;
    };
    defaultOrderPriority = 1000;
    mkBefore = mkOrder 500;
    mkAfter = mkOrder 1500;

    setDefaultModuleLocation = file: m: {
      _file = file;
      imports = [ m ];
    };

    # Definitions of a value, with mkMerge and mkIf resolved.
    dischargeProperties =
      def:
      let
        t = def._type or "";
      in
      if t == "merge" then
        concatMap dischargeProperties def.contents
      else if t == "if" then
        if isBool def.condition then
          (if def.condition then dischargeProperties def.content else [ ])
        else
          throw "‘mkIf’ called with a non-Boolean condition"
      else
        [ def ];
    # An attribute set wrapped in properties, as a list of attribute sets whose values carry them.
    pushDownProperties =
      cfg:
      let
        t = cfg._type or "";
      in
      if t == "merge" then
        concatMap pushDownProperties cfg.contents
      else if t == "if" then
        map (mapAttrs (_: mkIf cfg.condition)) (pushDownProperties cfg.content)
      else if t == "override" then
        map (mapAttrs (_: mkOverride cfg.priority)) (pushDownProperties cfg.content)
      else
        [ cfg ];
    filterOverrides' =
      defs:
      let
        prio = def: if def.value._type or "" == "override" then def.value.priority else defaultOverridePriority;
        highestPrio = foldl' (p: def: min (prio def) p) 9999 defs;
        strip = def: if def.value._type or "" == "override" then def // { value = def.value.content; } else def;
      in
      {
        inherit highestPrio;
        values = concatMap (def: if prio def == highestPrio then [ (strip def) ] else [ ]) defs;
      };
    filterOverrides = defs: (filterOverrides' defs).values;
    sortProperties =
      defs:
      let
        strip =
          def:
          if def.value._type or "" == "order" then
            def
            // {
              value = def.value.content;
              inherit (def.value) priority;
            }
          else
            def;
      in
      sort (a: b: (a.priority or defaultOrderPriority) < (b.priority or defaultOrderPriority)) (map strip defs);

    mergeDefinitions =
      loc: type: defs:
      let
        discharged = concatMap (
          m:
          map (
            value:
            if value._type or null == "definition" then
              value
            else
              {
                inherit (m) file;
                inherit value;
              }
          ) (dischargeProperties m.value)
        ) defs;
        overridden = filterOverrides' discharged;
        defsFinal =
          if any (def: def.value._type or "" == "order") overridden.values then
            sortProperties overridden.values
          else
            overridden.values;
        isDefined = defsFinal != [ ];
        invalid = filter (def: !type.check def.value) defsFinal;
        mergedValue =
          if !isDefined then
            throw "The option `${showOption loc}' was accessed but has no value defined. Try setting the option."
          else if invalid != [ ] then
            throw "A definition for option `${showOption loc}' is not of type `${type.description}'. Definition values:${showDefs invalid}"
          else
            type.merge loc defsFinal;
      in
      {
        inherit defsFinal isDefined mergedValue;
        defsFinal' = {
          values = defsFinal;
          inherit (overridden) highestPrio;
        };
        optionalValue = if isDefined then { value = mergedValue; } else { };
      };

    # Merge option declarations (`{ file; options; }`) of one location into one option.
    mergeOptionDecls =
      loc: decls:
      let
        withType = filter (d: d.options ? type) decls;
        typeOf' =
          foldl' (
            t: d:
            if t == null then
              d.options.type
            else
              let
                m = t.typeMerge d.options.type.functor;
              in
              if m == null then
                throw "The option `${showOption loc}' in `${d.file}' is already declared in ${showFiles (map (x: x.file) decls)}."
              else
                m
          ) null withType;
        subModules = concatMap (
          d:
          if d.options ? type && d.options.type.getSubModules or null != null then
            map (setDefaultModuleLocation d.file) d.options.type.getSubModules
          else
            [ ]
        ) decls;
        attrs = foldl' (a: d: a // removeAttrs d.options [ "type" ]) { } decls;
        type =
          if typeOf' == null then
            types.unspecified
          else if typeOf'.getSubModules or null != null then
            typeOf'.substSubModules subModules
          else
            typeOf';
      in
      attrs
      // {
        inherit loc type;
        declarations = map (d: d.file) decls;
      };

    evalOptionValue =
      loc: opt: defs:
      let
        defs' = optional (opt ? default) {
          file = head opt.declarations;
          value = mkOptionDefault opt.default;
        }
        ++ defs;
        res =
          if opt.readOnly or false == true && length defs' > 1 then
            throw "The option `${showOption loc}' is read-only, but it's set multiple times."
          else
            mergeDefinitions loc opt.type defs';
        value = if opt.apply or null != null then opt.apply res.mergedValue else res.mergedValue;
      in
      opt
      // {
        inherit value;
        inherit (res.defsFinal') highestPrio;
        definitions = map (d: d.value) res.defsFinal;
        files = map (d: d.file) res.defsFinal;
        definitionsWithLocations = res.defsFinal;
        inherit (res) isDefined;
        __toString = _: showOption loc;
      };

    # Turn a module (after argument application) into its normal form.
    unifyModuleSyntax =
      file: key: m:
      let
        file' = toString (m._file or file);
        key' = toString (m.key or key);
        freeform = optionalAttrs (m ? freeformType) { _module.freeformType = m.freeformType; };
      in
      if m ? config || m ? options then
        let
          badAttrs = removeAttrs m [ "_class" "_file" "key" "disabledModules" "imports" "options" "config" "meta" "freeformType" ];
        in
        if badAttrs != { } then
          throw "Module `${key'}' has an unsupported attribute `${head (attrNames badAttrs)}'. This is caused by introducing a top-level `config' or `options' attribute. Add configuration attributes immediately on the top level instead, or move all of them (namely: ${toString (attrNames badAttrs)}) into the explicit `config' attribute."
        else
          {
            _file = file';
            _class = m._class or null;
            key = key';
            disabledModules = m.disabledModules or [ ];
            imports = m.imports or [ ];
            options = m.options or { };
            config = mkMerge (
              [ (m.config or { }) ] ++ optional (m ? meta) { meta = m.meta; } ++ optional (m ? freeformType) freeform
            );
          }
      else
        {
          _file = file';
          _class = m._class or null;
          key = key';
          disabledModules = m.disabledModules or [ ];
          imports = m.require or [ ] ++ m.imports or [ ];
          options = { };
          config = mkMerge [
            (removeAttrs m [ "_class" "_file" "key" "disabledModules" "require" "imports" "freeformType" ])
            freeform
          ];
        };

    collectModules =
      class: modulesPath: args: modules:
      let
        argNames = attrNames args;
        apply =
          key: f:
          if isFunction f then
            f (
              args
              // mapAttrs (
                n: _:
                args.config._module.args.${n}
                  or (throw "The module ${key} was called with an argument `${n}' it does not have (not in specialArgs nor _module.args).")
              ) (removeAttrs (trivial.functionArgs f) argNames)
            )
          else
            f;
        load =
          parentFile: parentKey: n: m:
          let
            key = "${parentKey}:anon-${toString n}";
          in
          if isFunction m then
            tree (unifyModuleSyntax parentFile key (apply key m))
          else if isAttrs m then
            if m._type or "module" == "module" then
              tree (unifyModuleSyntax parentFile key m)
            else if m._type == "if" || m._type == "override" then
              tree (unifyModuleSyntax parentFile key { config = m; })
            else
              throw "Expected a module, but found a value of type ${escapeNixString m._type}, while trying to load a module into ${toString parentFile}."
          else if isList m then
            throw "Module imports can't be nested lists. Perhaps you meant to remove one level of lists?"
          else
            let
              path = toString m;
            in
            tree (unifyModuleSyntax path path (apply path (import m)));
        checkClass =
          um:
          if class != null && um._class != null && um._class != class then
            throw "The module `${um._file}` (class: ${escapeNixString um._class}) cannot be imported into a module evaluation that expects class ${escapeNixString class}."
          else
            um;
        tree =
          raw:
          let
            um = checkClass raw;
          in
          {
            inherit (um) key;
            module = um;
            children = imap1 (load um._file um.key) um.imports;
          };
        roots = imap1 (load unknownModule' "") modules;
        unknownModule' = options.unknownModule;
        disabledKeys = concatMap (
          t:
          map (
            x:
            if isString x then
              (if substring 0 1 x == "/" then x else "${toString modulesPath}/${x}")
            else if isAttrs x && x ? key && !(x ? outPath || x ? __toString) then
              x.key
            else
              toString x
          ) t.module.disabledModules
        ) (builtins.genericClosure {
          startSet = roots;
          operator = t: t.children;
        });
        keep = filter (t: !elem t.key disabledKeys);
      in
      map (t: t.module) (builtins.genericClosure {
        startSet = keep roots;
        operator = t: keep t.children;
      });

    evalModules =
      evalArgs@{
        modules,
        prefix ? [ ],
        specialArgs ? { },
        class ? null,
        args ? { },
        check ? true,
      }:
      let
        internalModule = {
          _file = "lib/modules.nix";
          key = "lib/modules.nix";
          options._module = {
            args = mkOption {
              type = types.lazyAttrsOf types.raw;
              internal = true;
              description = "Additional arguments passed to each module.";
            };
            check = mkOption {
              type = types.bool;
              internal = true;
              default = true;
            };
            freeformType = mkOption {
              type = types.nullOr types.optionType;
              internal = true;
              default = null;
            };
            specialArgs = mkOption {
              readOnly = true;
              internal = true;
              type = types.raw;
            };
          };
          config._module = {
            args = args // {
              inherit extendModules;
              moduleType = type;
            };
            specialArgs = specialArgs;
          };
        };
        moduleArgs = {
          inherit lib options specialArgs;
          _class = class;
          _prefix = prefix;
          config = config;
        }
        // specialArgs;
        collected = collectModules class (specialArgs.modulesPath or "") moduleArgs (modules ++ [ internalModule ]);
        # Definitions come in reverse collection order, as in nixpkgs.
        merged = mergeLevel prefix (
          map (m: {
            file = m._file;
            inherit (m) options config;
          }) (reverseList collected)
        );
        options = merged.options;
        declaredConfig = merged.config;
        freeformType = declaredConfig._module.freeformType;
        freeformConfig =
          let
            defs = map (d: {
              inherit (d) file;
              value = setAttrByPath d.prefix d.value;
            }) merged.unmatched;
          in
          if defs == [ ] then { } else freeformType.merge prefix defs;
        config =
          if freeformType == null then declaredConfig else recursiveUpdate freeformConfig declaredConfig;
        checkUnmatched =
          if declaredConfig._module.check && freeformType == null && merged.unmatched != [ ] then
            let
              d = head merged.unmatched;
            in
            throw "The option `${showOption (prefix ++ d.prefix)}' does not exist. Definition values:${showDefs [ d ]}"
          else
            true;
        extendModules =
          extendArgs@{
            modules ? [ ],
            specialArgs ? { },
            prefix ? [ ],
          }:
          evalModules (
            evalArgs
            // {
              modules = evalArgs.modules ++ modules;
              specialArgs = evalArgs.specialArgs or { } // specialArgs;
              prefix = extendArgs.prefix or evalArgs.prefix or [ ];
            }
          );
        type = types.submoduleWith {
          inherit modules specialArgs class;
        };
      in
      {
        _type = "configuration";
        options = seq checkUnmatched options;
        config = seq checkUnmatched (removeAttrs config [ "_module" ]);
        _module = seq checkUnmatched config._module;
        inherit extendModules type class;
      };

    # One level of the option tree: `mods` are `{ file; options; config; }` at `loc`.
    mergeLevel =
      loc: mods:
      let
        declsByName = zipAttrsWith (_: ds: ds) (
          map (m: mapAttrs (_: o: { inherit (m) file; options = o; }) m.options) mods
        );
        defsByName = zipAttrsWith (_: ds: concatLists ds) (
          concatMap (
            m:
            map (c: mapAttrs (_: value: [ { inherit (m) file; inherit value; } ]) c) (pushDownProperties m.config)
          ) mods
        );
        children = mapAttrs (
          name: decls:
          let
            loc' = loc ++ [ name ];
            defs = defsByName.${name} or [ ];
            optionDecls = filter (d: isOption d.options) decls;
          in
          if optionDecls == [ ] then
            let
              sub = mergeLevel loc' (
                map (d: {
                  inherit (d) file options;
                  config = { };
                }) decls
                ++ concatMap (
                  d:
                  map (c: {
                    inherit (d) file;
                    options = { };
                    config = c;
                  }) (pushDownProperties d.value)
                ) defs
              );
            in
            {
              option = sub.options;
              value = sub.config;
              unmatched = map (u: u // { prefix = [ name ] ++ u.prefix; }) sub.unmatched;
            }
          else
            let
              treeToOption =
                d:
                if isOption d.options then
                  d
                else
                  d
                  // {
                    options = mkOption {
                      type = types.submoduleWith {
                        modules = [ { options = d.options; } ];
                        shorthandOnlyDefinesConfig = null;
                      };
                    };
                  };
              opt = evalOptionValue loc' (mergeOptionDecls loc' (map treeToOption (optionDecls ++ filter (d: !isOption d.options) decls))) defs;
            in
            if length optionDecls != length decls && !all (d: d.options.type.getSubModules or null != null) optionDecls then
              throw "The option `${showOption loc'}' in `${(head optionDecls).file}' is a prefix of options in `${(head (filter (d: !isOption d.options) decls)).file}'."
            else
              {
                option = opt;
                value = opt.value;
                unmatched = [ ];
              }
        ) declsByName;
        unmatchedHere = concatMap (
          name:
          map (d: {
            inherit (d) file value;
            prefix = [ name ];
          }) defsByName.${name}
        ) (filter (n: !(declsByName ? ${n})) (attrNames defsByName));
      in
      {
        options = mapAttrs (_: c: c.option) children;
        config = mapAttrs (_: c: c.value) children;
        unmatched = unmatchedHere ++ concatMap (c: c.unmatched) (attrValues children);
      };

    # Renaming helpers (as in nixpkgs: they return modules).
    doRename =
      {
        from,
        to,
        visible,
        warn,
        use,
        withPriority ? true,
      }:
      { config, options, ... }:
      let
        fromOpt = attrsets.getAttrFromPath from options;
        toOf = attrByPath to (abort "Renaming error: option `${showOption to}' does not exist.");
        toType =
          let
            opt = attrByPath to { } options;
          in
          opt.type or (types.submodule { });
      in
      {
        options = setAttrByPath from (
          mkOption {
            inherit visible;
            description = "Alias of {option}`${showOption to}`.";
            apply = _: use (toOf config);
          }
          // optionalAttrs (toType != null) { type = toType; }
        );
        config = mkMerge [
          (optionalAttrs (options ? warnings) {
            warnings = optional (warn && fromOpt.isDefined) "The option `${showOption from}' defined in ${showFiles fromOpt.files} has been renamed to `${showOption to}'.";
          })
          (
            if withPriority then
              mkAliasAndWrapDefsWithPriority (setAttrByPath to) fromOpt
            else
              mkAliasAndWrapDefinitions (setAttrByPath to) fromOpt
          )
        ];
      };
    mkRenamedOptionModule =
      from: to:
      doRename {
        inherit from to;
        visible = false;
        warn = true;
        use = trace "Obsolete option `${showOption from}' is used. It was renamed to `${showOption to}'.";
      };
    mkRenamedOptionModuleWith =
      {
        from,
        to,
        sinceRelease,
      }:
      doRename {
        inherit from to;
        visible = false;
        warn = trivial.isInOldestRelease sinceRelease;
        use = trivial.warnIf (trivial.isInOldestRelease sinceRelease) "Obsolete option `${showOption from}' is used. It was renamed to `${showOption to}'.";
      };
    mkAliasOptionModule =
      from: to:
      doRename {
        inherit from to;
        visible = true;
        warn = false;
        use = id;
      };
    mkAliasOptionModuleMD = mkAliasOptionModule;
    mkDerivedConfig = opt: f: mkOverride (opt.highestPrio or defaultOverridePriority) (f opt.value);
    mkRemovedOptionModule =
      optionName: replacementInstructions:
      { options, ... }:
      {
        options = setAttrByPath optionName (mkOption {
          visible = false;
          apply = _: throw "The option `${showOption optionName}' can no longer be used since it's been removed. ${replacementInstructions}";
        });
        config.assertions =
          let
            opt = attrsets.getAttrFromPath optionName options;
          in
          [
            {
              assertion = !opt.isDefined;
              message = ''
                The option definition `${showOption optionName}' in ${showFiles opt.files} no longer has any effect; please remove it.
                ${replacementInstructions}
              '';
            }
          ];
      };
    mkMergedOptionModule =
      from: to: mergeFn:
      { config, options, ... }:
      {
        options = foldl' recursiveUpdate { } (
          map (
            path:
            setAttrByPath path (mkOption {
              visible = false;
              default = "_mkMergedOptionModule";
            })
          ) from
        );
        config = {
          warnings = filter (x: x != "") (
            map (
              f:
              let
                val = attrsets.getAttrFromPath f config;
                opt = attrsets.getAttrFromPath f options;
              in
              optionalString (val != "_mkMergedOptionModule") "The option `${showOption f}' defined in ${showFiles opt.files} has been changed to `${showOption to}' that has a different type. Please read `${showOption to}' documentation and update your configuration accordingly."
            ) from
          );
        }
        // setAttrByPath to (
          mkMerge (
            optional (any (f: (attrsets.getAttrFromPath f config) != "_mkMergedOptionModule") from) (
              mergeFn config
            )
          )
        );
      };
    mkChangedOptionModule =
      from: to: changeFn:
      mkMergedOptionModule [ from ] to changeFn;
    mkAliasDefinitions = mkAliasAndWrapDefinitions id;
    mkAliasAndWrapDefinitions = wrap: option: mkAliasIfDef option (wrap (mkMerge option.definitions));
    mkAliasAndWrapDefsWithPriority =
      wrap: option:
      let
        prio = option.highestPrio or defaultOverridePriority;
        defsWithPrio = map (mkOverride prio) option.definitions;
      in
      mkAliasIfDef option (wrap (mkMerge defsWithPrio));
    mkAliasIfDef = option: mkIf (isOption option && option.isDefined);
    importApply = modulePath: staticArgs: setDefaultModuleLocation modulePath (import modulePath staticArgs);
    importJSON = file: {
      _file = file;
      config = trivial.importJSON file;
    };
    importTOML = file: {
      _file = file;
      config = trivial.importTOML file;
    };
  };
  inherit (modules) mkOverride mkMerge mkIf mkOptionDefault setDefaultModuleLocation evalModules;

  # Helpers of the option types.
  elemTypeFunctor = name: payload: {
    inherit name payload;
    type = types.${name};
    binOp =
      a: b:
      let
        merged = a.elemType.typeMerge b.elemType.functor;
      in
      if merged == null then null else { elemType = merged; };
  };
  # A type's description, parenthesised unless `ok` accepts its description class.
  phrase = ok: t: if ok (t.descriptionClass or null) then t.description else "(${t.description})";
  nounOrComposite = c: c == "noun" || c == "composite";
  evalOptionValue' =
    loc: opt: defs:
    modules.evalOptionValue loc (modules.mergeOptionDecls loc [
      {
        file = "<attrTag>";
        options = opt;
      }
    ]) defs;

  # ---------------------------------------------------------------- types
  types = rec {
    isType = type: x: (x._type or "") == type;
    setType = typeName: value: value // { _type = typeName; };
    isOptionType = isType "option-type";
    defaultTypeMerge =
      f: f':
      if f.name != f'.name then
        null
      else if f.payload != null then
        let
          p = f.binOp f.payload f'.payload;
        in
        if p == null then null else f.type p
      else
        f.type;
    defaultFunctor = name: {
      inherit name;
      type = types.${name} or null;
      payload = null;
      binOp = _: _: null;
    };
    mkOptionType =
      {
        name,
        description ? null,
        descriptionClass ? null,
        check ? (_: true),
        merge ? options.mergeDefaultOption,
        emptyValue ? { },
        getSubOptions ? _: { },
        getSubModules ? null,
        substSubModules ? _: null,
        typeMerge ? defaultTypeMerge functor,
        functor ? defaultFunctor name,
        deprecationMessage ? null,
        nestedTypes ? { },
      }:
      {
        _type = "option-type";
        inherit
          name check merge emptyValue getSubOptions getSubModules substSubModules typeMerge
          deprecationMessage nestedTypes descriptionClass functor
          ;
        description = if description == null then name else description;
      };
    optionDescriptionPhrase = phrase;
    raw = mkOptionType {
      name = "raw";
      description = "raw value";
      descriptionClass = "noun";
      merge = mergeOneOption;
    };
    anything = mkOptionType {
      name = "anything";
      description = "anything";
      descriptionClass = "noun";
      merge =
        loc: defs:
        let
          kind = v: if isAttrs v && strings.isStringLike v then "stringCoercibleSet" else typeOf v;
          common = foldl' (
            k: def:
            if kind def.value == k then k else throw "The option `${showOption loc}' has conflicting option types in ${showFiles (options.getFiles defs)}"
          ) (kind (head defs).value) defs;
          f =
            {
              set = (attrsOf anything).merge;
              stringCoercibleSet = mergeOneOption;
              lambda =
                loc: defs: arg:
                anything.merge (loc ++ [ "<function body>" ]) (
                  map (def: {
                    inherit (def) file;
                    value = def.value arg;
                  }) defs
                );
            }
            .${common} or options.mergeEqualOption;
        in
        f loc defs;
    };
    unspecified = mkOptionType {
      name = "unspecified";
      description = "unspecified value";
      descriptionClass = "noun";
    };
    bool = mkOptionType {
      name = "bool";
      description = "boolean";
      descriptionClass = "noun";
      check = isBool;
      merge = options.mergeEqualOption;
    };
    boolByOr = mkOptionType {
      name = "boolByOr";
      description = "boolean (merged using or)";
      descriptionClass = "noun";
      check = isBool;
      merge = _: defs: any (d: d.value) defs;
    };
    int = mkOptionType {
      name = "int";
      description = "signed integer";
      descriptionClass = "noun";
      check = isInt;
      merge = options.mergeEqualOption;
    };
    ints =
      let
        betweenDesc = lo: hi: "${toString lo} and ${toString hi} (both inclusive)";
        between =
          lo: hi:
          addCheck int (x: x >= lo && x <= hi)
          // {
            name = "intBetween";
            description = "integer between ${betweenDesc lo hi}";
          };
        ign =
          lo: hi: name: docStart:
          between lo hi
          // {
            inherit name;
            description = docStart + "; between ${betweenDesc lo hi}";
          };
        unsign = bit: range: ign 0 (range - 1) "unsignedInt${toString bit}" "${toString bit} bit unsigned integer";
        sign =
          bit: range:
          ign (0 - (range / 2)) (range / 2 - 1) "signedInt${toString bit}" "${toString bit} bit signed integer";
      in
      {
        inherit between;
        unsigned = addCheck int (x: x >= 0) // {
          name = "unsignedInt";
          description = "unsigned integer, meaning >=0";
          descriptionClass = "nonRestrictiveClause";
        };
        positive = addCheck int (x: x > 0) // {
          name = "positiveInt";
          description = "positive integer, meaning >0";
          descriptionClass = "nonRestrictiveClause";
        };
        u8 = unsign 8 256;
        u16 = unsign 16 65536;
        u32 = unsign 32 4294967296;
        s8 = sign 8 256;
        s16 = sign 16 65536;
        s32 = sign 32 4294967296;
      };
    port = ints.u16;
    float = mkOptionType {
      name = "float";
      description = "floating point number";
      descriptionClass = "noun";
      check = isFloat;
      merge = options.mergeEqualOption;
    };
    number = either int float;
    numbers = {
      between =
        lo: hi:
        addCheck number (x: x >= lo && x <= hi)
        // {
          name = "numberBetween";
          description = "integer or floating point number between ${toJSON lo} and ${toJSON hi} (both inclusive)";
        };
      nonnegative = addCheck number (x: x >= 0) // {
        name = "numberNonnegative";
        description = "nonnegative integer or floating point number, meaning >=0";
        descriptionClass = "nonRestrictiveClause";
      };
      positive = addCheck number (x: x > 0) // {
        name = "numberPositive";
        description = "positive integer or floating point number, meaning >0";
        descriptionClass = "nonRestrictiveClause";
      };
    };
    str = mkOptionType {
      name = "str";
      description = "string";
      descriptionClass = "noun";
      check = isString;
      merge = options.mergeEqualOption;
    };
    nonEmptyStr = mkOptionType {
      name = "nonEmptyStr";
      description = "non-empty string";
      descriptionClass = "noun";
      check = x: isString x && match "[ \t\n]*" x == null;
      inherit (str) merge;
    };
    singleLineStr = mkOptionType {
      name = "singleLineStr";
      description = "(optionally newline-terminated) single-line string";
      descriptionClass = "noun";
      inherit (strMatching "[^\n\r]*\n?") check;
      merge = loc: defs: removeSuffix "\n" (str.merge loc defs);
    };
    strMatching =
      pattern:
      mkOptionType {
        name = "strMatching ${escapeNixString pattern}";
        description = "string matching the pattern ${pattern}";
        descriptionClass = "noun";
        check = x: isString x && match pattern x != null;
        inherit (str) merge;
        functor = defaultFunctor "strMatching" // {
          type = payload: strMatching payload.pattern;
          payload = { inherit pattern; };
          binOp = lhs: rhs: if lhs == rhs then lhs else null;
        };
      };
    separatedString =
      sep:
      mkOptionType {
        name = "separatedString";
        description = "strings concatenated with ${toJSON sep}";
        descriptionClass = "noun";
        check = isString;
        merge = _: defs: concatStringsSep sep (options.getValues defs);
        functor = defaultFunctor "separatedString" // {
          payload = { inherit sep; };
          type = payload: separatedString payload.sep;
          binOp = lhs: rhs: if lhs.sep == rhs.sep then { inherit (lhs) sep; } else null;
        };
      };
    lines = separatedString "\n";
    commas = separatedString ",";
    envVar = separatedString ":";
    passwdEntry =
      entryType:
      addCheck entryType (s: !(strings.hasInfix ":" s || strings.hasInfix "\n" s))
      // {
        name = "passwdEntry ${entryType.name}";
        description = "${phrase (c: c == "noun") entryType}, not containing newlines or colons";
        descriptionClass = "nonRestrictiveClause";
      };
    attrs = mkOptionType {
      name = "attrs";
      description = "attribute set";
      check = isAttrs;
      merge = _: foldl' (res: def: res // def.value) { };
      emptyValue.value = { };
    };
    package = mkOptionType {
      name = "package";
      descriptionClass = "noun";
      check = x: isDerivation x || strings.isStorePath x;
      merge = mergeOneOption;
    };
    pkgs = addCheck (
      unique { message = "A Nixpkgs pkgs set can not be merged with another pkgs set."; } attrs
      // {
        name = "pkgs";
        descriptionClass = "noun";
        description = "Nixpkgs package set";
      }
    ) (x: (x._type or null) == "pkgs");
    shellPackage = package // {
      check = x: isDerivation x && x ? shellPath;
    };
    pathWith =
      {
        inStore ? null,
        absolute ? null,
      }:
      mkOptionType {
        name = "path";
        description =
          (if absolute == null then "" else if absolute then "absolute " else "relative ")
          + "path"
          + (if inStore == null then "" else if inStore then " in the Nix store" else " not in the Nix store");
        descriptionClass = "noun";
        merge = options.mergeEqualOption;
        functor = defaultFunctor "path" // {
          type = pathWith;
          payload = { inherit inStore absolute; };
          binOp = lhs: rhs: if lhs == rhs then lhs else null;
        };
        check =
          x:
          let
            s = toString x;
            isInStore = hasPrefix "${builtins.storeDir}/" s && stringLength s > stringLength builtins.storeDir + 1;
            expected = if inStore == null || inStore then strings.isStringLike x else isString x;
          in
          expected
          && (inStore == null || inStore == isInStore)
          && (absolute == null || absolute == (substring 0 1 s == "/"));
      };
    path = pathWith { absolute = true; };
    pathInStore = pathWith { inStore = true; };
    externalPath = pathWith {
      absolute = true;
      inStore = false;
    };
    listOf =
      elemType:
      mkOptionType {
        name = "listOf";
        description = "list of ${phrase nounOrComposite elemType}";
        descriptionClass = "composite";
        check = isList;
        merge =
          loc: defs:
          map (x: x.value) (
            filter (x: x ? value) (
              concatLists (
                imap1 (
                  n: def:
                  imap1 (
                    m: v:
                    (modules.mergeDefinitions (loc ++ [ "[definition ${toString n}-entry ${toString m}]" ]) elemType [
                      {
                        inherit (def) file;
                        value = v;
                      }
                    ]).optionalValue
                  ) def.value
                ) defs
              )
            )
          );
        emptyValue.value = [ ];
        getSubOptions = prefix: elemType.getSubOptions (prefix ++ [ "*" ]);
        getSubModules = elemType.getSubModules;
        substSubModules = m: listOf (elemType.substSubModules m);
        functor = elemTypeFunctor "listOf" { inherit elemType; };
        nestedTypes.elemType = elemType;
      };
    nonEmptyListOf =
      elemType:
      let
        list = addCheck (listOf elemType) (l: l != [ ]);
      in
      list
      // {
        description = "non-empty ${phrase (c: c == "noun") list}";
        emptyValue = { };
        substSubModules = m: nonEmptyListOf (elemType.substSubModules m);
      };
    attrsWith =
      {
        elemType,
        lazy ? false,
        placeholder ? "name",
      }:
      let
        pushPositions = map (
          def:
          mapAttrs (_: v: {
            inherit (def) file;
            value = v;
          }) def.value
        );
        mergeEach = loc: defs: zipAttrsWith (n: ds: modules.mergeDefinitions (loc ++ [ n ]) elemType ds) (pushPositions defs);
      in
      mkOptionType {
        name = if lazy then "lazyAttrsOf" else "attrsOf";
        description =
          (if lazy then "lazy attribute set" else "attribute set")
          + " of ${phrase nounOrComposite elemType}";
        descriptionClass = "composite";
        check = isAttrs;
        merge =
          if lazy then
            loc: defs:
            mapAttrs (_: v: v.optionalValue.value or elemType.emptyValue.value or v.mergedValue) (mergeEach loc defs)
          else
            loc: defs:
            mapAttrs (_: v: v.value) (filterAttrs (_: v: v ? value) (mapAttrs (_: v: v.optionalValue) (mergeEach loc defs)));
        emptyValue.value = { };
        getSubOptions = prefix: elemType.getSubOptions (prefix ++ [ "<${placeholder}>" ]);
        getSubModules = elemType.getSubModules;
        substSubModules =
          m:
          attrsWith {
            elemType = elemType.substSubModules m;
            inherit lazy placeholder;
          };
        functor = defaultFunctor "attrsWith" // {
          type = attrsWith;
          payload = { inherit elemType lazy placeholder; };
          binOp =
            lhs: rhs:
            let
              e = lhs.elemType.typeMerge rhs.elemType.functor;
            in
            if e == null || lhs.lazy != rhs.lazy || lhs.placeholder != rhs.placeholder then
              null
            else
              {
                elemType = e;
                inherit (lhs) lazy placeholder;
              };
        };
        nestedTypes.elemType = elemType;
      };
    attrsOf = elemType: attrsWith { inherit elemType; };
    lazyAttrsOf =
      elemType:
      attrsWith {
        inherit elemType;
        lazy = true;
      };
    loaOf = attrsOf;
    uniq = unique { message = ""; };
    unique =
      { message }:
      type:
      mkOptionType {
        name = "unique";
        inherit (type) description descriptionClass check;
        merge = options.mergeUniqueOption { inherit message; };
        emptyValue = type.emptyValue;
        getSubOptions = type.getSubOptions;
        getSubModules = type.getSubModules;
        substSubModules = m: unique { inherit message; } (type.substSubModules m);
        functor = elemTypeFunctor "unique" { elemType = type; } // {
          type = payload: unique { inherit message; } payload.elemType;
        };
        nestedTypes.elemType = type;
      };
    nullOr =
      elemType:
      mkOptionType {
        name = "nullOr";
        description = "null or ${phrase (c: c == "noun" || c == "conjunction") elemType}";
        descriptionClass = "conjunction";
        check = x: x == null || elemType.check x;
        merge =
          loc: defs:
          let
            nulls = lists.count (def: def.value == null) defs;
          in
          if nulls == length defs then
            null
          else if nulls != 0 then
            throw "The option `${showOption loc}` is defined both null and not null, in ${showFiles (options.getFiles defs)}."
          else
            elemType.merge loc defs;
        emptyValue.value = null;
        getSubOptions = elemType.getSubOptions;
        getSubModules = elemType.getSubModules;
        substSubModules = m: nullOr (elemType.substSubModules m);
        functor = elemTypeFunctor "nullOr" { inherit elemType; };
        nestedTypes.elemType = elemType;
      };
    functionTo =
      elemType:
      mkOptionType {
        name = "functionTo";
        description = "function that evaluates to a(n) ${phrase nounOrComposite elemType}";
        descriptionClass = "composite";
        check = isFunction;
        merge =
          loc: defs: fnArgs:
          (modules.mergeDefinitions (loc ++ [ "<function body>" ]) elemType (
            map (fn: {
              inherit (fn) file;
              value = fn.value fnArgs;
            }) defs
          )).mergedValue;
        getSubOptions = prefix: elemType.getSubOptions (prefix ++ [ "<function body>" ]);
        getSubModules = elemType.getSubModules;
        substSubModules = m: functionTo (elemType.substSubModules m);
        functor = elemTypeFunctor "functionTo" { inherit elemType; };
        nestedTypes.elemType = elemType;
      };
    submodule =
      mods:
      submoduleWith {
        shorthandOnlyDefinesConfig = true;
        modules = toList mods;
      };
    submoduleWith =
      attrs@{
        modules,
        specialArgs ? { },
        shorthandOnlyDefinesConfig ? false,
        description ? null,
        class ? null,
      }:
      let
        allModules = map (
          { value, file }:
          if isAttrs value && shorthandOnlyDefinesConfig == true then
            {
              _file = file;
              config = value;
            }
          else
            {
              _file = file;
              imports = [ value ];
            }
        );
      in
      mkOptionType {
        name = "submodule";
        description = if description != null then description else "submodule";
        check = x: isAttrs x || isFunction x || path.check x;
        merge =
          loc: defs:
          (evalModules {
            inherit specialArgs class;
            prefix = loc;
            modules = [ { _module.args.name = last loc; } ] ++ modules ++ allModules defs;
          }).config;
        emptyValue.value = { };
        getSubOptions = _: { };
        getSubModules = modules;
        substSubModules = m: submoduleWith (attrs // { modules = m; });
        functor = defaultFunctor "submodule" // {
          type = submoduleWith;
          payload = {
            inherit modules class specialArgs shorthandOnlyDefinesConfig description;
          };
          binOp = lhs: rhs: {
            class = if lhs.class == null then rhs.class else lhs.class;
            modules = lhs.modules ++ rhs.modules;
            specialArgs = lhs.specialArgs // rhs.specialArgs;
            shorthandOnlyDefinesConfig =
              if lhs.shorthandOnlyDefinesConfig == null then rhs.shorthandOnlyDefinesConfig else lhs.shorthandOnlyDefinesConfig;
            description = if lhs.description == null then rhs.description else lhs.description;
          };
        };
      };
    deferredModule = deferredModuleWith { };
    deferredModuleWith =
      attrs@{
        staticModules ? [ ],
      }:
      mkOptionType {
        name = "deferredModule";
        description = "module";
        descriptionClass = "noun";
        check = x: isAttrs x || isFunction x || path.check x;
        merge = loc: defs: {
          imports =
            staticModules
            ++ map (def: setDefaultModuleLocation "${def.file}, via option ${showOption loc}" def.value) defs;
        };
        getSubModules = staticModules;
        substSubModules = m: deferredModuleWith (attrs // { staticModules = m; });
        functor = defaultFunctor "deferredModuleWith" // {
          type = deferredModuleWith;
          payload = { inherit staticModules; };
          binOp = lhs: rhs: { staticModules = lhs.staticModules ++ rhs.staticModules; };
        };
      };
    optionType = mkOptionType {
      name = "optionType";
      description = "optionType";
      descriptionClass = "noun";
      check = isType "option-type";
      # Several freeform types merge like option types (the later one wins when they cannot).
      merge =
        _: defs:
        foldl' (
          a: d:
          let
            merged = a.typeMerge d.value.functor;
          in
          if a == null then d.value else if merged == null then d.value else merged
        ) null defs;
    };
    optionDeclaration = mkOptionType {
      name = "optionDeclaration";
      description = "option declaration";
      descriptionClass = "noun";
      check = x: isOption x && !(x ? value);
      merge = mergeOneOption;
    };
    enum =
      values:
      let
        show =
          v:
          if isString v then
            ''"${v}"''
          else if isInt v then
            toString v
          else if isBool v then
            trivial.boolToString v
          else
            "<${typeOf v}>";
      in
      mkOptionType {
        name = "enum";
        description =
          if values == [ ] then
            "impossible (empty enum)"
          else if length values == 1 then
            "value ${show (head values)} (singular enum)"
          else
            "one of ${concatMapStringsSep ", " show values}";
        descriptionClass = if length values < 2 then "noun" else "conjunction";
        check = x: elem x values;
        merge = options.mergeEqualOption;
        functor = defaultFunctor "enum" // {
          payload = { inherit values; };
          type = payload: enum payload.values;
          binOp = a: b: { values = lists.unique (a.values ++ b.values); };
        };
      };
    either =
      t1: t2:
      mkOptionType {
        name = "either";
        description =
          if t1.descriptionClass or null == "nonRestrictiveClause" then
            "${t1.description}, or ${phrase (c: c == "noun" || c == "conjunction") t2}"
          else
            "${phrase (c: c == "noun" || c == "conjunction") t1} or ${
              phrase (c: c == "noun" || c == "conjunction" || c == "composite") t2
            }";
        descriptionClass = "conjunction";
        check = x: t1.check x || t2.check x;
        merge =
          loc: defs:
          let
            vs = options.getValues defs;
          in
          if all t1.check vs then
            t1.merge loc defs
          else if all t2.check vs then
            t2.merge loc defs
          else
            mergeOneOption loc defs;
        typeMerge =
          f':
          let
            mt1 = t1.typeMerge (head f'.payload.elemType).functor;
            mt2 = t2.typeMerge (elemAt f'.payload.elemType 1).functor;
          in
          if f'.name == "either" && mt1 != null && mt2 != null then either mt1 mt2 else null;
        functor = elemTypeFunctor "either" { elemType = [ t1 t2 ]; } // {
          type = payload: either (head payload.elemType) (elemAt payload.elemType 1);
        };
        nestedTypes.left = t1;
        nestedTypes.right = t2;
      };
    oneOf =
      ts:
      let
        h = head ts;
        t = tail ts;
      in
      if ts == [ ] then throw "types.oneOf needs to get at least one type in its argument" else foldl' either h t;
    coercedTo =
      coercedType: coerceFunc: finalType:
      mkOptionType {
        name = "coercedTo";
        description = "${phrase (c: c == "noun") finalType} or ${phrase (c: c == "noun") coercedType} convertible to it";
        check = x: (coercedType.check x && finalType.check (coerceFunc x)) || finalType.check x;
        merge =
          loc: defs:
          finalType.merge loc (
            map (def: def // { value = if coercedType.check def.value then coerceFunc def.value else def.value; }) defs
          );
        emptyValue = finalType.emptyValue;
        getSubOptions = finalType.getSubOptions;
        getSubModules = finalType.getSubModules;
        substSubModules = m: coercedTo coercedType coerceFunc (finalType.substSubModules m);
        typeMerge = _: null;
        # The payload lets the module layer coerce definitions of a submodule it evaluates.
        functor = defaultFunctor "coercedTo" // {
          payload = { inherit coercedType coerceFunc finalType; };
        };
        nestedTypes.coercedType = coercedType;
        nestedTypes.finalType = finalType;
      };
    addCheck = elemType: check: elemType // { check = x: elemType.check x && check x; };
    attrTag =
      tags:
      mkOptionType {
        name = "attrTag";
        description = "attribute-tagged union";
        descriptionClass = "noun";
        check = v: isAttrs v && length (attrNames v) == 1 && tags ? ${head (attrNames v)};
        merge =
          loc: defs:
          let
            choice = head (attrNames (head defs).value);
          in
          {
            ${choice} = (evalOptionValue' (loc ++ [ choice ]) tags.${choice} (map (d: { inherit (d) file; value = d.value.${choice}; }) defs)).value;
          };
      };
    luaInline = mkOptionType {
      name = "luaInline";
      description = "inline lua";
      descriptionClass = "noun";
      check = x: x._type or null == "lua-inline";
      merge = mergeOneOption;
    };
    json = anything // {
      name = "json";
      description = "JSON value";
    };
    toml = json // {
      description = "TOML value";
    };
  };

  # ---------------------------------------------------------------- generators (common subset)
  generators = rec {
    mkValueStringDefault =
      { }:
      v:
      if isInt v || isFloat v then
        toString v
      else if isString v then
        v
      else if true == v then
        "true"
      else if false == v then
        "false"
      else if v == null then
        "null"
      else if isList v then
        throw "generators.mkValueStringDefault: lists are not supported"
      else if strings.isStringLike v then
        toString v
      else
        throw "generators.mkValueStringDefault: ${typeOf v} not supported: ${toString v}";
    mkKeyValueDefault =
      {
        mkValueString ? mkValueStringDefault { },
      }:
      sep: k: v: "${strings.escape [ sep ] k}${sep}${mkValueString v}";
    toKeyValue =
      {
        mkKeyValue ? mkKeyValueDefault { } "=",
        listsAsDuplicateKeys ? false,
        indent ? "",
      }:
      let
        line = k: v: indent + mkKeyValue k v + "\n";
        lines = k: v: if listsAsDuplicateKeys && isList v then map (line k) v else [ (line k v) ];
      in
      attrs: concatStrings (concatLists (mapAttrsToList lines attrs));
    toINI =
      {
        mkSectionName ? (name: strings.escape [ "[" "]" ] name),
        mkKeyValue ? mkKeyValueDefault { } "=",
        listsAsDuplicateKeys ? false,
      }:
      attrsOfAttrs:
      concatStringsSep "\n" (
        mapAttrsToList (
          sec: values:
          "[${mkSectionName sec}]\n" + toKeyValue { inherit mkKeyValue listsAsDuplicateKeys; } values
        ) attrsOfAttrs
      );
    toINIWithGlobalSection =
      {
        mkSectionName ? (name: strings.escape [ "[" "]" ] name),
        mkKeyValue ? mkKeyValueDefault { } "=",
        listsAsDuplicateKeys ? false,
      }:
      {
        globalSection,
        sections ? { },
      }:
      (
        if globalSection == { } then
          ""
        else
          toKeyValue { inherit mkKeyValue listsAsDuplicateKeys; } globalSection + "\n"
      )
      + toINI { inherit mkSectionName mkKeyValue listsAsDuplicateKeys; } sections;
    toLua =
      {
        multiline ? true,
        indent ? "",
        asBindings ? false,
      }@args:
      v:
      let
        inner = args // {
          indent = if asBindings then indent else indent + "  ";
          asBindings = false;
        };
        open = if multiline then "\n${indent}  " else " ";
        close = if multiline then "\n${indent}" else " ";
        items = xs: "{${open}${concatStringsSep ",${open}" xs}${close}}";
        badNames = filter (n: match "[[:alpha:]_][[:alnum:]_]*(\\.[[:alpha:]_][[:alnum:]_]*)*" n == null) (attrNames v);
      in
      if asBindings then
        assert asserts.assertMsg (badNames == [ ]) "Bad Lua var names: ${builtins.toJSON badNames}";
        concatStrings (mapAttrsToList (k: x: "${indent}${k} = ${toLua inner x}\n") v)
      else if v == null then
        "nil"
      else if isInt v || isFloat v || isString v || isBool v then
        builtins.toJSON v
      else if isPath v || isDerivation v then
        builtins.toJSON "${v}"
      else if isList v then
        (if v == [ ] then "{}" else items (map (toLua inner) v))
      else if isAttrs v then
        (
          if v._type or null == "lua-inline" then
            "(${v.expr})"
          else if v == { } then
            "{}"
          else
            items (mapAttrsToList (k: x: "[${builtins.toJSON k}] = ${toLua inner x}") v)
        )
      else
        abort "generators.toLua: type ${typeOf v} is unsupported";
    # Nix-like rendering of a value (for messages and generated files).
    toPretty =
      {
        allowPrettyValues ? false,
        multiline ? true,
        indent ? "",
      }:
      let
        go =
          ind: v:
          let
            open = if multiline then "\n${ind}  " else " ";
            close = if multiline then "\n${ind}" else " ";
            showString =
              str:
              let
                ls = filter isString (split "\n" str);
                single = "\"" + concatMapStringsSep "\\n" (strings.escape [ "\\" "\"" "\${" ]) ls + "\"";
                escaped = map (replaceStrings [ "\${" "''" ] [ "''\${" "'''" ]) ls;
                lastLine = last escaped;
              in
              if multiline && length ls > 1 then
                "''" + open + concatStringsSep open (lists.init escaped) + (if lastLine == "" then close else open + lastLine) + "''"
              else
                single;
            showFunction =
              f:
              let
                args = trivial.functionArgs f;
                shown = mapAttrsToList (n: hasDefault: if hasDefault then n + "?" else n) args;
              in
              if args == { } then "<function>" else "<function, args: {${concatStringsSep ", " shown}}>";
          in
          if isInt v then
            toString v
          else if isFloat v then
            builtins.toJSON v
          else if isString v then
            showString v
          else if isBool v then
            trivial.boolToString v
          else if v == null then
            "null"
          else if isPath v then
            toString v
          else if isList v then
            (if v == [ ] then "[ ]" else "[" + open + concatMapStringsSep open (go (ind + "  ")) v + close + "]")
          else if isFunction v then
            showFunction v
          else if isAttrs v then
            (
              if allowPrettyValues && v ? __pretty && v ? val then
                v.__pretty v.val
              else if v == { } then
                "{ }"
              else if isDerivation v then
                "<derivation ${v.name or "???"}>"
              else
                "{"
                + open
                + concatStringsSep open (mapAttrsToList (n: x: "${escapeNixIdentifier n} = ${go (ind + "  ") x};") v)
                + close
                + "}"
            )
          else
            abort "generators.toPretty: unexpected value";
      in
      go indent;
    mkLuaInline = expr: {
      _type = "lua-inline";
      inherit expr;
    };
    toJSON = { }: builtins.toJSON;
    toYAML = { }: builtins.toJSON;
  };

  # ---------------------------------------------------------------- sources / filesystem
  sources = rec {
    pathType =
      path:
      if dirOf (toString path) == toString path then
        "directory"
      else
        (builtins.readDir (dirOf path)).${baseNameOf path}
          or (throw "lib.filesystem.pathType: Path ${toString path} does not exist.");
    pathIsDirectory = path: builtins.pathExists path && pathType path == "directory";
    pathIsRegularFile = path: builtins.pathExists path && pathType path == "regular";
    cleanSourceFilter =
      name: type:
      let
        b = baseNameOf name;
      in
      !(
        (b == ".git" || type == "directory" && elem b [ ".svn" "CVS" ".hg" ".jj" ".pijul" "_darcs" ])
        || hasSuffix "~" b
        || match "^\\.sw[a-z]$" b != null
        || match "^\\..*\\.sw[a-z]$" b != null
        || hasSuffix ".o" b
        || hasSuffix ".so" b
        || (type == "symlink" && hasPrefix "result" b)
        || type == "unknown"
      );
    toSourceAttributes =
      src:
      if src ? _isLibCleanSourceWith then
        { inherit (src) origSrc filter name; }
      else
        {
          origSrc = src;
          filter = _: _: true;
          name = "source";
        };
    fromSourceAttributes =
      { origSrc, filter, name }:
      {
        _isLibCleanSourceWith = true;
        inherit origSrc filter name;
        outPath = builtins.path {
          inherit filter name;
          path = origSrc;
        };
      };
    cleanSourceWith =
      {
        src,
        filter ? _: _: true,
        name ? null,
      }:
      let
        orig = toSourceAttributes src;
      in
      fromSourceAttributes {
        inherit (orig) origSrc;
        filter = path: type: filter path type && orig.filter path type;
        name = if name != null then name else orig.name;
      };
    cleanSource = src: cleanSourceWith { filter = cleanSourceFilter; inherit src; };
    sourceByRegex =
      src: regexes:
      let
        isFiltered = src ? _isLibCleanSourceWith;
        origSrc = if isFiltered then src.origSrc else src;
      in
      cleanSourceWith {
        filter =
          path: type:
          let
            relPath = removePrefix (toString origSrc + "/") (toString path);
          in
          any (re: match re relPath != null) regexes;
        inherit src;
      };
    sourceFilesBySuffices =
      src: exts:
      cleanSourceWith {
        filter = name: type: type == "directory" || any (ext: hasSuffix ext (baseNameOf name)) exts;
        inherit src;
      };
  };
  filesystem = {
    inherit (sources) pathType pathIsDirectory pathIsRegularFile;
    listFilesRecursive =
      let
        go =
          dir:
          mapAttrsToList (name: type: if type == "directory" then go (dir + "/${name}") else dir + "/${name}") (
            builtins.readDir dir
          );
      in
      dir: lists.flatten (go dir);
    # A directory's packages: its `package.nix`, else `x.nix` and `x/` as `x`. With
    # `newScope`, nixpkgs makes a scope of each directory, which adds the scope's own
    # names: not followed here.
    packagesFromDirectoryRecursive =
      { callPackage, directory, ... }@args:
      if builtins.pathExists (directory + "/package.nix") then
        callPackage (directory + "/package.nix") { }
      else
        attrsets.concatMapAttrs (
          name: type:
          let
            path = directory + "/${name}";
          in
          if type == "directory" then
            { ${name} = filesystem.packagesFromDirectoryRecursive (args // { directory = path; }); }
          else if type == "regular" && strings.hasSuffix ".nix" name then
            { ${strings.removeSuffix ".nix" name} = callPackage path { }; }
          else
            { }
        ) (builtins.readDir directory);
  };

  # ---------------------------------------------------------------- fileset (lib.fileset)
  # A file set as the sorted list of the files it holds (what `toList` gives); a path
  # stands for every file under it. `gitTracked` and `toSource` are left to Nix.
  fileset = rec {
    _files =
      x:
      if x ? _type && x._type == "fileset" then
        x._files
      else if isPath x then
        (if sources.pathType x == "directory" then filesystem.listFilesRecursive x else [ x ])
      else
        throw "lib.fileset: expected a file set or a path, not ${typeOf x}";
    _make = files: {
      _type = "fileset";
      _files = sort (a: b: toString a < toString b) (lists.unique files);
    };
    toList = fs: _files fs;
    empty = _make [ ];
    maybeMissing = path: if builtins.pathExists path then _make (_files path) else empty;
    fileFilter =
      predicate: root:
      _make (
        filter (
          f:
          let
            name = baseNameOf f;
          in
          predicate {
            inherit name;
            type = sources.pathType f;
            hasExt = ext: strings.hasSuffix ".${ext}" name;
          }
        ) (_files root)
      );
    union = a: b: _make (_files a ++ _files b);
    unions = list: _make (concatMap _files list);
    intersection = a: b: let bs = _files b; in _make (filter (f: elem f bs) (_files a));
    difference = a: b: let bs = _files b; in _make (filter (f: !(elem f bs)) (_files a));
  };

  # ---------------------------------------------------------------- path (lib.path)
  path = rec {
    invalidReason =
      value:
      if !isString value then
        "The given value is of type ${typeOf value}, but a string was expected"
      else if value == "" then
        "The given string is empty"
      else if substring 0 1 value == "/" then
        "The given string \"${value}\" starts with a `/`, representing an absolute path"
      else if elem ".." (strings.splitString "/" value) then
        "The given string \"${value}\" contains a `..` component, which is not allowed in subpaths"
      else
        null;
    splitRel = value: filter (c: c != "" && c != ".") (strings.splitString "/" value);
    joinRel = cs: if cs == [ ] then "./." else "./" + concatStringsSep "/" cs;
    pathComponents = p: filter (c: c != "") (strings.splitString "/" (toString p));
    checkPath =
      fn: which: p:
      asserts.assertMsg (isPath p)
        "lib.path.${fn}: ${which} argument is of type ${typeOf p}, but a path was expected";
    append =
      base: sub:
      assert checkPath "append" "The first" base;
      assert asserts.assertMsg (subpath.isValid sub) ''
        lib.path.append: Second argument is not a valid subpath string:
            ${invalidReason sub}'';
      base + ("/" + sub);
    hasPrefix =
      p1: p2:
      assert checkPath "hasPrefix" "First" p1;
      assert checkPath "hasPrefix" "Second" p2;
      lists.take (length (pathComponents p1)) (pathComponents p2) == pathComponents p1;
    removePrefix =
      p1: p2:
      assert checkPath "removePrefix" "First" p1;
      assert checkPath "removePrefix" "Second" p2;
      if hasPrefix p1 p2 then
        joinRel (lists.drop (length (pathComponents p1)) (pathComponents p2))
      else
        throw "lib.path.removePrefix: The first path argument \"${toString p1}\" is not a component-wise prefix of the second path argument \"${toString p2}\".";
    splitRoot =
      p:
      assert checkPath "splitRoot" "The" p;
      {
        root = /.;
        subpath = joinRel (pathComponents p);
      };
    subpath = {
      isValid = value: invalidReason value == null;
      join =
        subs:
        if all subpath.isValid subs then
          joinRel (concatMap splitRel subs)
        else
          throw "lib.path.subpath.join: an element is not a valid subpath string";
      components =
        sub:
        assert asserts.assertMsg (subpath.isValid sub) ''
          lib.path.subpath.components: Argument is not a valid subpath string:
              ${invalidReason sub}'';
        splitRel sub;
      normalise =
        sub:
        assert asserts.assertMsg (subpath.isValid sub) ''
          lib.path.subpath.normalise: Argument is not a valid subpath string:
              ${invalidReason sub}'';
        joinRel (splitRel sub);
    };
  };

  # ---------------------------------------------------------------- customisation (simplified)
  customisation = rec {
    makeOverridable =
      f: origArgs:
      let
        result = f origArgs;
        overrideWith = newArgs: origArgs // (if isFunction newArgs then newArgs origArgs else newArgs);
      in
      if isAttrs result then
        result
        // {
          override = newArgs: makeOverridable f (overrideWith newArgs);
          overrideDerivation = fdrv: result // fdrv result;
        }
      else if isFunction result then
        {
          __functor = self: result;
          override = newArgs: makeOverridable f (overrideWith newArgs);
        }
      else
        result;
    callPackageWith =
      autoArgs: fn: args:
      let
        f = if isFunction fn then fn else import fn;
        fargs = trivial.functionArgs f;
      in
      makeOverridable f (intersectAttrs fargs autoArgs // args);
    callPackagesWith = callPackageWith;
    extendDerivation = condition: passthru: drv: if condition then drv // passthru else throw "extendDerivation: condition failed";
    hydraJob = id;
  };

  # ---------------------------------------------------------------- systems / platforms (minimal)
  platforms = rec {
    linux = [ "aarch64-linux" "armv5tel-linux" "armv6l-linux" "armv7a-linux" "armv7l-linux" "i686-linux" "loongarch64-linux" "m68k-linux" "microblaze-linux" "microblazeel-linux" "mips-linux" "mips64-linux" "mips64el-linux" "mipsel-linux" "powerpc-linux" "powerpc64-linux" "powerpc64le-linux" "riscv32-linux" "riscv64-linux" "s390-linux" "s390x-linux" "x86_64-linux" ];
    darwin = [ "x86_64-darwin" "aarch64-darwin" ];
    x86_64 = [ "x86_64-linux" "x86_64-darwin" ];
    aarch64 = [ "aarch64-linux" "aarch64-darwin" ];
    unix = linux ++ darwin;
    all = unix;
    none = [ ];
  };
  systems = rec {
    flakeExposed = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "armv6l-linux" "armv7l-linux" "i686-linux" "aarch64-darwin" "powerpc64le-linux" "riscv64-linux" "x86_64-freebsd" ];
    doubles = platforms // { all = platforms.all; };
    elaborate =
      args:
      let
        system = if isString args then args else args.system;
        parts = strings.splitString "-" system;
        cpu = head parts;
        kernel = last parts;
      in
      {
        inherit system;
        config =
          if kernel == "darwin" then
            "${if cpu == "aarch64" then "arm64" else cpu}-apple-darwin"
          else
            "${cpu}-unknown-${kernel}-gnu";
        isLinux = kernel == "linux";
        isDarwin = kernel == "darwin";
        isMacOS = kernel == "darwin";
        isUnix = kernel == "linux" || kernel == "darwin";
        isx86_64 = cpu == "x86_64";
        isx86 = cpu == "x86_64" || cpu == "i686";
        isi686 = cpu == "i686";
        isAarch64 = cpu == "aarch64";
        isAarch32 = hasPrefix "arm" cpu;
        isAarch = cpu == "aarch64" || hasPrefix "arm" cpu;
        isRiscV = hasPrefix "riscv" cpu;
        isPower64 = hasPrefix "powerpc64" cpu;
        is64bit = elem cpu [ "x86_64" "aarch64" "riscv64" "powerpc64" "powerpc64le" "s390x" "mips64" "mips64el" "loongarch64" ];
        is32bit = !elem cpu [ "x86_64" "aarch64" "riscv64" "powerpc64" "powerpc64le" "s390x" "mips64" "mips64el" "loongarch64" ];
        parsed = {
          cpu.name = cpu;
          kernel.name = kernel;
        };
        linuxArch = if cpu == "x86_64" then "x86_64" else if cpu == "aarch64" then "arm64" else cpu;
        darwinArch = if cpu == "aarch64" then "arm64" else cpu;
        canExecute = p: p.system == system;
      };
    examples = { };
  };

  versions = {
    splitVersion = builtins.splitVersion;
    major = v: head (builtins.splitVersion v);
    minor = v: elemAt (builtins.splitVersion v) 1;
    patch = v: elemAt (builtins.splitVersion v) 2;
    majorMinor = v: "${versions.major v}.${versions.minor v}";
    pad =
      n: version:
      let
        numeric = concatStringsSep "." (lists.take n (builtins.splitVersion version));
        missing = n - length (builtins.splitVersion version);
      in
      if missing > 0 then numeric + strings.replicate missing ".0" else numeric;
  };

  licenses = mapAttrs (n: v: v // { shortName = n; }) {
    mit = { spdxId = "MIT"; fullName = "MIT License"; free = true; };
    gpl2Only = { spdxId = "GPL-2.0-only"; fullName = "GNU General Public License v2.0 only"; free = true; };
    gpl3Only = { spdxId = "GPL-3.0-only"; fullName = "GNU General Public License v3.0 only"; free = true; };
    gpl3Plus = { spdxId = "GPL-3.0-or-later"; fullName = "GNU General Public License v3.0 or later"; free = true; };
    asl20 = { spdxId = "Apache-2.0"; fullName = "Apache License 2.0"; free = true; };
    bsd3 = { spdxId = "BSD-3-Clause"; fullName = "BSD 3-clause \"New\" or \"Revised\" License"; free = true; };
    mpl20 = { spdxId = "MPL-2.0"; fullName = "Mozilla Public License 2.0"; free = true; };
    unfree = { fullName = "Unfree"; free = false; };
  };

  lib =
    removeAttrs (
      attrsets
      // lists
      // strings
      // trivial
      // meta
      // fixedPoints
      // asserts
      // debug
      // options
      // modules
      // sources
      // customisation
      // {
        inherit
          trivial lists strings attrsets meta fixedPoints asserts debug options modules
          generators platforms systems versions licenses
          ;
        types = types // { inherit types; };
        inherit (lists) replicate;
        inherit (trivial) importJSON importTOML;
        inherit (generators) mkLuaInline;
        inherit (types) mkOptionType isType setType;
        inherit (modules) evalModules;
        inherit (strings) hasPrefix removePrefix;
        inherit sources filesystem fileset customisation;
        inherit (filesystem) packagesFromDirectoryRecursive;
        path = { inherit (path) append hasPrefix removePrefix splitRoot subpath; };
        inherit (types) defaultFunctor defaultTypeMerge isOptionType;
        maintainers = { };
        teams = { };
        extend =
        f:
        let
          final = lib // f final lib;
        in
        final;
        # re-exported builtins
        inherit (builtins)
          add sub mul div lessThan attrNames attrValues hasAttr getAttr isAttrs isList isString isInt
          isBool isFloat isPath elem elemAt head tail length filter map genList concatLists concatMap
          listToAttrs mapAttrs removeAttrs intersectAttrs catAttrs foldl' sort partition groupBy
          zipAttrsWith typeOf seq deepSeq tryEval genericClosure pathExists readFile
          readDir baseNameOf dirOf fromJSON toJSON replaceStrings substring stringLength split
          match concatStringsSep addErrorContext unsafeGetAttrPos
          ;
      }
    )
    # Internals and namespace-only functions that real lib does not put at the top level.
    [
      "mergeLevel" "collectModules" "filterOverrides'" "charToInt" "commonPrefix"
      "escapeC" "findFirstIndex" "normalizePath" "sanitizeDerivationName"
      "storeDir" "unionOfDisjoint" "zipWithNames" "platformMatch" "availableOn"
      "assertEachOneOf" "oldestSupportedRelease" "versionSuffix" "release" "codeName"
      "escapeNixIdentifier" "escapeNixString" "showDefs" "importApply"
      "defaultOrderPriority" "defaultOverridePriority" "defaultPriority"
      "mkAliasAndWrapDefsWithPriority" "mkAliasIfDef" "toSourceAttributes" "fromSourceAttributes"
    ];
in
lib
