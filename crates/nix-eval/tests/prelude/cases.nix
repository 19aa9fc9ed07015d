# Realistic uses of nixpkgs lib, flake-utils and flake-parts, as configurations
# write them. check.sh evaluates every case against hm's prelude and, given
# checkouts, against the real libraries, and compares the results.
{
  lib,
  flake-utils ? null,
  flake-parts ? null,
  hm ? null,
}:
let
  inherit (lib)
    mkIf mkMerge mkDefault mkForce mkOverride mkBefore mkAfter mkOption types;

  drv = name: extra: {
    type = "derivation";
    inherit name;
    outPath = "/nix/store/00000000000000000000000000000000-${name}";
  } // extra;
  ripgrep = drv "ripgrep-14.1.0" {
    pname = "ripgrep";
    version = "14.1.0";
    meta.mainProgram = "rg";
  };
  coreutils = drv "coreutils-9.5" {
    pname = "coreutils";
    bin = drv "coreutils-9.5-bin" { };
    outputs = [ "out" "bin" ];
  };
  openssl = drv "openssl-3.0.14" {
    pname = "openssl";
    dev = drv "openssl-3.0.14-dev" { };
    out = drv "openssl-3.0.14" { };
    lib = drv "openssl-3.0.14-lib" { };
    outputs = [ "bin" "dev" "out" "lib" ];
  };
  users = [ "alice" "bob" "carol" ];
  hosts = {
    laptop = { system = "x86_64-linux"; gui = true; };
    server = { system = "aarch64-linux"; gui = false; };
    mac = { system = "aarch64-darwin"; gui = true; };
  };

  eval = modules: (lib.evalModules { inherit modules; }).config;
  optsModule = {
    options = {
      enable = mkOption { type = types.bool; default = false; };
      name = mkOption { type = types.str; default = "default"; };
      port = mkOption { type = types.port; default = 8080; };
      packages = mkOption { type = types.listOf types.str; default = [ ]; };
      env = mkOption { type = types.attrsOf types.str; default = { }; };
      extra = mkOption { type = types.lines; default = ""; };
      shell = mkOption { type = types.nullOr (types.enum [ "bash" "zsh" "fish" ]); default = null; };
      settings = mkOption { type = types.attrsOf types.anything; default = { }; };
      hosts = mkOption {
        default = { };
        type = types.attrsOf (types.submodule ({ name, ... }: {
          options = {
            hostName = mkOption { type = types.str; default = name; };
            user = mkOption { type = types.str; default = "root"; };
            port = mkOption { type = types.nullOr types.port; default = null; };
          };
        }));
      };
    };
  };

  fu = flake-utils.lib;
  fp = flake-parts.lib;
  fakeSelf = outputs: {
    outPath = "/nix/store/11111111111111111111111111111111-source";
    inputs = { };
  } // outputs;
in
{
  # ---------------------------------------------------------------- trivial
  id = lib.id 5;
  const = lib.const 1 2;
  flip = lib.flip lib.concat [ 1 ] [ 2 ];
  pipe = lib.pipe 2 [ (x: x + 1) (x: x * 10) toString ];
  concat = lib.concat [ 1 2 ] [ 3 ];
  or-and = [ (lib.or false true) (lib.and true false) (lib.xor true false) ];
  boolToString = map lib.boolToString [ true false ];
  mergeAttrs = lib.mergeAttrs { a = 1; } { b = 2; a = 3; };
  toFunction = [ (lib.toFunction 3 4) (lib.toFunction (x: x + 1) 4) ];
  min-max-mod = [ (lib.min 3 4) (lib.max 3 4) (lib.mod 11 4) ];
  defaultTo = [ (lib.defaultTo "x" null) (lib.defaultTo "x" "y") ];
  isFunction = [ (lib.isFunction lib.id) (lib.isFunction { __functor = self: x: x; }) (lib.isFunction 1) ];
  functionArgs = lib.functionArgs ({ a, b ? 1, ... }: a);
  setFunctionArgs = lib.functionArgs (lib.setFunctionArgs (x: x) { pkgs = false; });
  release-is-string = lib.isString lib.trivial.release && lib.versionAtLeast lib.version "23.05";
  fix = (lib.fix (self: { a = 1; b = self.a + 1; })).b;
  extends =
    let
      base = self: { a = 1; b = self.a * 10; };
      ov = final: prev: { a = prev.a + 1; };
    in
    lib.fix (lib.extends ov base);
  composeExtensions =
    let
      f = final: prev: { x = 1; };
      g = final: prev: { y = prev.x + 1; };
    in
    lib.fix (lib.extends (lib.composeExtensions f g) (self: { }));
  composeManyExtensions =
    lib.fix (lib.extends (lib.composeManyExtensions [ (f: p: { a = 1; }) (f: p: { b = p.a + 1; }) (f: p: { c = f.b * 2; }) ]) (self: { }));
  makeExtensible = ((lib.makeExtensible (self: { a = 1; b = self.a + 1; })).extend (f: p: { a = 5; })).b;

  # ---------------------------------------------------------------- attrsets
  attrByPath = [
    (lib.attrByPath [ "a" "b" ] 0 { a.b = 1; })
    (lib.attrByPath [ "a" "c" ] 0 { a.b = 1; })
    (lib.attrByPath [ ] 0 { x = 1; })
  ];
  hasAttrByPath = [
    (lib.hasAttrByPath [ "programs" "git" "enable" ] { programs.git.enable = true; })
    (lib.hasAttrByPath [ "programs" "zsh" ] { programs.git.enable = true; })
  ];
  setAttrByPath = lib.setAttrByPath [ "programs" "git" "enable" ] true;
  getAttrFromPath = lib.getAttrFromPath [ "a" "b" ] { a.b = "x"; };
  attrVals = lib.attrVals [ "a" "c" ] { a = 1; b = 2; c = 3; };
  genAttrs-users = lib.genAttrs users (u: { home = "/home/${u}"; });
  genAttrs-systems = lib.genAttrs [ "x86_64-linux" "aarch64-darwin" ] (s: "pkgs-${s}");
  nameValuePair = lib.nameValuePair "a" 1;
  mapAttrs' = lib.mapAttrs' (n: v: lib.nameValuePair "${n}-conf" { text = v; }) { foo = "1"; bar = "2"; };
  mapAttrs'-xdg = lib.mapAttrs' (name: value: lib.nameValuePair ".config/${name}" { source = value; }) { nvim = "/src/nvim"; };
  mapAttrsToList = lib.mapAttrsToList (n: v: "${n}=${toString v}") { a = 1; b = 2; };
  mapAttrsRecursive = lib.mapAttrsRecursive (path: v: lib.concatStringsSep "." path + ":" + toString v) { a.b = 1; c = 2; };
  mapAttrsRecursiveCond = lib.mapAttrsRecursiveCond (as: !(as ? enable)) (p: v: p) { a.b.enable = 1; c.d = 2; };
  filterAttrs = lib.filterAttrs (n: v: v.gui) hosts;
  filterAttrs-names = lib.attrNames (lib.filterAttrs (n: _: lib.hasPrefix "s" n) hosts);
  filterAttrsRecursive = lib.filterAttrsRecursive (n: v: v != null) { a = null; b = { c = null; d = 1; }; };
  foldAttrs = lib.foldAttrs (item: acc: [ item ] ++ acc) [ ] [ { a = 2; } { a = 3; b = 1; } ];
  foldlAttrs = lib.foldlAttrs (acc: name: value: acc + "${name}${toString value}") "" { x = 1; y = 2; };
  concatMapAttrs = lib.concatMapAttrs (name: value: { ${name} = value; "${name}-bak" = value; }) { a = 1; b = 2; };
  recursiveUpdate = lib.recursiveUpdate { a.b = 1; a.c = 2; d = [ 1 ]; } { a.b = 3; d = [ 2 ]; e = 4; };
  recursiveUpdate-hosts = lib.foldl' lib.recursiveUpdate { } (lib.mapAttrsToList (n: h: { nixos.${n}.system = h.system; byArch.${h.system} = [ n ]; }) hosts);
  recursiveUpdateUntil = lib.recursiveUpdateUntil (path: l: r: path == [ "foo" ]) { foo.bar = 1; foo.baz = 2; bar = 3; } { foo.bar = 1; foo.quz = 2; baz = 4; };
  mergeAttrsList = lib.mergeAttrsList [ { a = 1; } { b = 2; } { a = 3; } ];
  zipAttrs = lib.zipAttrs [ { a = 1; } { a = 2; b = 3; } ];
  zipAttrsWith = lib.zipAttrsWith (n: vs: lib.concatStringsSep "," vs) [ { a = "x"; } { a = "y"; b = "z"; } ];
  zipAttrsWithNames = lib.zipAttrsWithNames [ "a" ] (name: vs: vs) [ { a = 1; } { a = 2; b = 3; } ];
  collect = lib.collect lib.isString { a = "x"; b = { c = "y"; d = 1; }; };
  collect-derivations = map (d: d.name) (lib.collect lib.isDerivation { a = ripgrep; b.c = coreutils; });
  isDerivation = [ (lib.isDerivation ripgrep) (lib.isDerivation { }) ];
  optionalAttrs = [ (lib.optionalAttrs true { a = 1; }) (lib.optionalAttrs false { a = 1; }) ];
  optionalAttrs-host = lib.mapAttrs (n: h: { x = 1; } // lib.optionalAttrs h.gui { gui = "gnome"; }) hosts;
  attrsToList = lib.attrsToList { a = 1; b = 2; };
  listToAttrs = lib.listToAttrs (map (u: { name = u; value = lib.stringLength u; }) users);
  mapAttrs = lib.mapAttrs (n: h: h.system) hosts;
  updateManyAttrsByPath = lib.updateManyAttrsByPath [ { path = [ "a" "b" ]; update = old: old + 1; } { path = [ "c" ]; update = old: 10; } ] { a.b = 1; c = 2; };
  updateManyAttrsByPath-order = lib.updateManyAttrsByPath [
    { path = [ "a" ]; update = old: old // { seen = old.b; }; }
    { path = [ "a" "b" ]; update = old: old * 10; }
    { path = [ "new" "x" ]; update = _: "created"; }
    { path = [ ]; update = old: old // { top = true; }; }
  ] { a.b = 1; };
  attrNames-values = [ (lib.attrNames hosts) (map (h: h.system) (lib.attrValues hosts)) ];
  getAttrs = lib.getAttrs [ "a" ] { a = 1; b = 2; };
  cartesianProduct = lib.cartesianProduct { os = [ "linux" "darwin" ]; arch = [ "x86_64" "aarch64" ]; };
  overrideExisting = lib.attrsets.overrideExisting { a = 1; b = 2; } { a = 3; c = 4; };
  matchAttrs = [ (lib.matchAttrs { cpu = { bits = 64; }; } { cpu = { bits = 64; name = "x"; }; }) (lib.matchAttrs { a = 1; } { a = 2; }) ];
  recurseIntoAttrs = lib.recurseIntoAttrs { a = 1; };
  showAttrPath = [ (lib.showAttrPath [ "foo" "bar-baz" "with space" ]) (lib.showAttrPath [ ]) ];
  attrsets-ns = lib.attrsets.genAttrs [ "a" ] (x: x);

  # ---------------------------------------------------------------- lists
  optional = (lib.optional true "x") ++ (lib.optional false "y");
  optionals = lib.optionals true [ "a" "b" ] ++ lib.optionals false [ "c" ];
  optionals-packages = [ "git" "vim" ] ++ lib.optionals hosts.laptop.gui [ "firefox" ] ++ lib.optional hosts.server.gui "gimp";
  flatten = lib.flatten [ 1 [ 2 [ 3 [ ] ] ] 4 ];
  forEach = lib.forEach users (u: "user-${u}");
  imap0 = lib.imap0 (i: v: "${toString i}-${v}") [ "a" "b" ];
  imap1 = lib.imap1 (i: v: "${toString i}-${v}") [ "a" "b" ];
  ifilter0 = lib.lists.ifilter0 (i: v: i == 0 || v > 1) [ 1 2 3 ];
  foldl = lib.foldl (acc: x: acc + x) "" [ "a" "b" "c" ];
  foldl' = lib.foldl' (acc: x: acc * x) 1 [ 1 2 3 4 ];
  foldr = lib.foldr (x: acc: acc + x) "" [ "a" "b" "c" ];
  range = lib.range 2 5;
  range-empty = lib.range 3 1;
  replicate = lib.replicate 3 "x";
  unique = lib.unique [ 3 1 3 2 1 ];
  remove = lib.remove 3 [ 1 3 4 3 ];
  last-init = [ (lib.last [ 1 2 3 ]) (lib.init [ 1 2 3 ]) ];
  take-drop = [ (lib.take 2 [ 1 2 3 ]) (lib.drop 2 [ 1 2 3 ]) (lib.take 5 [ 1 ]) (lib.drop 5 [ 1 ]) ];
  sublist = [ (lib.sublist 1 3 [ "a" "b" "c" "d" "e" ]) (lib.sublist 1 3 [ "a" "b" ]) (lib.sublist 9 1 [ "a" ]) ];
  reverseList = lib.reverseList [ 1 2 3 ];
  sort = lib.sort (a: b: a < b) [ 3 1 2 ];
  sortOn = lib.sortOn (x: x.p) [ { p = 3; n = "c"; } { p = 1; n = "a"; } { p = 2; n = "b"; } ];
  naturalSort = lib.naturalSort [ "disk11" "disk8" "disk100" "disk9" ];
  findFirst = [ (lib.findFirst (x: x > 3) 7 [ 1 6 4 ]) (lib.findFirst (x: x > 9) 7 [ 1 6 4 ]) ];
  findSingle = [ (lib.findSingle (x: x == 3) "none" "multiple" [ 1 3 3 ]) (lib.findSingle (x: x == 3) "none" "multiple" [ 1 3 ]) (lib.findSingle (x: x == 9) "none" "multiple" [ 1 ]) ];
  any-all = [ (lib.any lib.isString [ 1 "a" ]) (lib.all lib.isString [ 1 "a" ]) ];
  count = lib.count (x: x == 1) [ 1 2 1 ];
  subtractLists = lib.subtractLists [ 3 2 ] [ 1 2 3 4 5 3 ];
  intersectLists = lib.intersectLists [ 1 2 3 ] [ 6 3 2 ];
  toList = [ (lib.toList 1) (lib.toList [ 2 ]) ];
  head-tail-elemAt-length = [ (lib.head [ 1 2 ]) (lib.tail [ 1 2 ]) (lib.elemAt [ 1 2 ] 1) (lib.length [ 1 2 ]) ];
  concatMap = lib.concatMap (x: [ x x ]) [ 1 2 ];
  partition = lib.partition (x: x > 2) [ 5 1 2 3 4 ];
  groupBy = lib.groupBy (h: h.system) (lib.attrValues hosts);
  groupBy' = lib.groupBy' builtins.add 0 (x: if x > 2 then "big" else "small") [ 1 2 3 4 ];
  zipLists = lib.zipLists [ 1 2 ] [ "a" "b" "c" ];
  zipListsWith = lib.zipListsWith (a: b: a + b) [ 1 2 ] [ 3 4 ];
  crossLists = lib.crossLists (x: y: "${toString x}${toString y}") [ [ 1 2 ] [ 3 4 ] ];
  allUnique = [ (lib.allUnique [ 1 2 ]) (lib.allUnique [ 1 1 ]) ];
  mutuallyExclusive = [ (lib.mutuallyExclusive [ 1 2 ] [ 3 ]) (lib.mutuallyExclusive [ 1 ] [ 1 ]) ];
  toposort = lib.toposort (a: b: lib.hasPrefix a b) [ "/" "/home/user" "/home" "/etc" ];
  compareLists = lib.compareLists lib.trivial.compare [ "a" "b" ] [ "a" "c" ];
  takeEnd = lib.lists.takeEnd 2 [ 1 2 3 ];
  lists-hasPrefix = lib.lists.hasPrefix [ 1 2 ] [ 1 2 3 ];

  # ---------------------------------------------------------------- strings
  concatStrings = lib.concatStrings [ "a" "b" ];
  concatStringsSep = lib.concatStringsSep ", " users;
  concatMapStrings = lib.concatMapStrings (u: "${u}\n") users;
  concatMapStringsSep = lib.concatMapStringsSep ":" (p: "${p}/bin") [ "/a" "/b" ];
  concatImapStringsSep = lib.concatImapStringsSep "-" (i: x: x + toString i) [ "a" "b" ];
  concatLines = lib.concatLines [ "set -e" "echo hi" ];
  optionalString = [ (lib.optionalString true "yes") (lib.optionalString false "no") ];
  hasPrefix = [ (lib.hasPrefix "foo" "foobar") (lib.hasPrefix "bar" "foobar") ];
  hasSuffix = [ (lib.hasSuffix ".nix" "default.nix") (lib.hasSuffix ".nix" "nix") ];
  hasInfix = [ (lib.hasInfix "bc" "abcd") (lib.hasInfix "x.y" "axzyb") (lib.hasInfix "" "a") ];
  removePrefix = [ (lib.removePrefix "/home/alice/" "/home/alice/.config") (lib.removePrefix "x" "abc") ];
  removeSuffix = [ (lib.removeSuffix ".nix" "hosts/laptop.nix") (lib.removeSuffix "x" "abc") ];
  splitString = lib.splitString "," "a,b,,c";
  splitString-dot = lib.splitString "." "1.2.3";
  splitString-newline = lib.splitString "\n" "line1\nline2\n";
  toLower-toUpper = [ (lib.toLower "HeLLo") (lib.toUpper "HeLLo-1") ];
  escapeShellArg = map lib.escapeShellArg [ "simple" "has space" "it's" "" "/nix/store/x-y/bin" "$HOME" ];
  escapeShellArgs = lib.escapeShellArgs [ "ls" "-la" "my dir" ];
  escape = lib.escape [ "\"" "$" ] ''say "hi" $USER'';
  escapeRegex = lib.strings.escapeRegex "a.b*c";
  escapeNixString = lib.strings.escapeNixString "x\${y}";
  escapeNixIdentifier = map lib.strings.escapeNixIdentifier [ "foo" "foo-bar" "1x" "if" ];
  escapeXML = lib.escapeXML "<a href=\"x\">&</a>";
  replaceStrings = lib.replaceStrings [ "@user@" ] [ "alice" ] "hello @user@";
  trim = map lib.trim [ "  hi  " "\n\tx y\n" "   " "" ];
  trimWith = (lib.strings.trimWith { start = true; }) "  x  ";
  fixedWidthString = lib.fixedWidthString 5 "0" "42";
  fixedWidthNumber = lib.fixedWidthNumber 3 7;
  toInt = map lib.toInt [ "42" " 7 " "-3" "0" ];
  toInt-bad = (builtins.tryEval (lib.toInt "0123")).success;
  toIntBase10 = map lib.strings.toIntBase10 [ "0123" "00" "-7" " 12 " ];
  versionAtLeast = [ (lib.versionAtLeast "24.05" "23.11") (lib.versionAtLeast "1.2" "1.10") ];
  versionOlder = [ (lib.versionOlder "24.05" "23.11") (lib.versionOlder "1.2.3" "1.2.4") ];
  versions = [ (lib.versions.major "24.05.1") (lib.versions.minor "24.05.1") (lib.versions.majorMinor "3.12.4") ];
  stringToCharacters = lib.stringToCharacters "abc";
  stringLength-substring = [ (lib.stringLength "hello") (lib.substring 1 3 "hello") ];
  intersperse = lib.intersperse "," [ "a" "b" "c" ];
  getName-getVersion = [ (lib.getName "hello-2.12") (lib.getVersion "hello-2.12") (lib.getName ripgrep) (lib.getVersion ripgrep) ];
  isStringLike = [ (lib.isStringLike "x") (lib.isStringLike ripgrep) (lib.isStringLike 1) ];
  isStorePath = [ (lib.isStorePath "/nix/store/00000000000000000000000000000000-x") (lib.isStorePath "/etc/x") ];
  enableFeature = [ (lib.enableFeature true "x") (lib.withFeatureAs false "y" "z") (lib.mesonBool "a" true) (lib.cmakeBool "B" false) ];
  strings-replicate = lib.strings.replicate 3 "ab";
  normalizePath = lib.strings.normalizePath "/a//b///c";
  sanitizeDerivationName = lib.strings.sanitizeDerivationName "foo bar/baz";
  toSentenceCase = lib.strings.toSentenceCase "hELLO";

  toShellVar = [ (lib.toShellVar "NAME" "it's") (lib.toShellVar "LIST" [ "a b" "c" ]) (lib.toShellVar "MAP" { k = "v w"; }) ];
  toShellVars = lib.toShellVars { A = "1"; B = [ "x" ]; };
  replaceString = lib.replaceString "-" "_" "a-b-c";
  imap = lib.imap (i: x: i * x) [ 5 6 ];
  mapAttrsToListRecursive = lib.mapAttrsToListRecursive (path: v: "${lib.concatStringsSep "." path}=${toString v}") { a.b = 1; c = 2; };
  concatAttrValues = lib.concatAttrValues { a = [ 1 ]; b = [ 2 3 ]; };
  replaceElemAt = lib.replaceElemAt [ 1 2 3 ] 1 "x";

  # ---------------------------------------------------------------- sources / filesystem
  listFilesRecursive = lib.sort (a: b: a < b) (map baseNameOf (lib.filesystem.listFilesRecursive ./.));
  packagesFromDirectoryRecursive = lib.packagesFromDirectoryRecursive {
    callPackage = path: _: baseNameOf path;
    directory = ./.;
  };
  fileset = map (fs: map baseNameOf (lib.fileset.toList fs)) [
    (lib.fileset.fileFilter (f: f.hasExt "nix" && f.type == "regular") ./.)
    (lib.fileset.difference ./. ./check.sh)
    (lib.fileset.unions [ ./check.sh (lib.fileset.maybeMissing ./nope) ./cases.nix ])
  ];
  pathType = [ (lib.pathType ./.) (lib.pathType ./cases.nix) (lib.pathIsDirectory ./.) (lib.pathIsRegularFile ./cases.nix) (lib.pathIsDirectory ./nope) ];
  cleanSource = let s = lib.cleanSource ./.; in [ s.name s._isLibCleanSourceWith (s.filter "/x/.git" "directory") (s.filter "/x/main.rs" "regular") (s.filter "/x/result" "symlink") ];
  cleanSourceWith = let s = lib.cleanSourceWith { src = lib.cleanSource ./.; filter = p: t: !(lib.hasSuffix ".md" p); name = "src"; }; in [ s.name (s.filter "/x/README.md" "regular") (s.filter "/x/.git" "directory") (s.filter "/x/a.nix" "regular") ];
  sourceByRegex = let s = lib.sourceByRegex ./. [ ".*[.]nix" ]; in [ (s.filter "${toString ./.}/cases.nix" "regular") (s.filter "${toString ./.}/check.sh" "regular") ];
  callPackageWith = (lib.callPackageWith { a = 1; b = 2; } ({ a, c ? 3 }: { sum = a + c; }) { }).sum;
  makeOverridable = ((lib.makeOverridable ({ x }: { y = x * 2; }) { x = 1; }).override { x = 5; }).y;

  # ---------------------------------------------------------------- edge inputs
  edge-a = lib.splitString "." "a.b.c";
  edge-b = lib.splitString "|" "a|b";
  edge-c = lib.splitString "" "abc";
  edge-d = lib.splitString "ab" "xabyabz";
  edge-e = lib.hasInfix "[" "a[b";
  edge-f = map lib.escapeShellArg [ "a\nb" "ü" "a=b" "--flag=x" "~" "*" ];
  edge-g = lib.toLower "ÄB";
  edge-h = lib.fixedWidthString 3 "0" "abc";
  edge-k = lib.sublist 0 0 [ 1 ];
  edge-l = lib.removePrefix "abc" "abc";
  edge-m = lib.removeSuffix "abc" "abc";
  edge-n = lib.range 0 0;
  edge-o = lib.hasPrefix "" "x";
  edge-p = lib.hasSuffix "" "x";
  edge-q = lib.concatMapStringsSep "," toString [ ];
  edge-r = lib.unique [ ];
  edge-s = lib.flatten 1;
  edge-t = lib.trim "\t\n";
  edge-u = lib.toList null;
  edge-v = lib.versionOlder "1.0" "1.0";
  edge-w = lib.strings.escapeNixIdentifier "a.b";
  edge-x = lib.attrByPath [ "a" "b" ] "d" { a = 1; };
  edge-y = lib.hasAttrByPath [ "a" "b" ] { a = 1; };
  edge-z = lib.mapAttrsRecursive (p: v: p) { a = { }; };
  edge-aa = lib.recursiveUpdate { a = 1; } { a.b = 2; };
  edge-ab = lib.recursiveUpdate { a.b = 2; } { a = 1; };
  edge-ac = lib.foldr (a: b: a - b) 0 [ 5 3 1 ];
  edge-ad = lib.foldl (a: b: a - b) 0 [ 5 3 1 ];
  edge-ae = lib.optionalString true "";
  edge-af = lib.makeBinPath [ ];
  edge-ag = lib.makeSearchPath "bin" [ null "/a" ];
  edge-ah = lib.escapeShellArgs [ ];
  edge-ai = lib.splitString "\n" "";
  edge-aj = lib.concatStringsSep "/" [ "" "a" ];
  edge-ak = lib.filterAttrs (n: v: true) { };
  edge-al = lib.intersectLists [ ] [ 1 ];
  edge-am = lib.naturalSort [ "a10" "a2" "b1" "a02" ];
  edge-an = lib.zipLists [ ] [ 1 ];
  edge-ao = lib.groupBy' (a: b: a + b) 0 (x: "k") [ ];
  edge-ap = lib.versions.pad 3 "1.2";
  edge-aq = lib.toInt "-0";
  edge-ar = lib.mapAttrs' (n: v: { name = v; value = n; }) { a = "x"; b = "x"; };
  edge-as = lib.escapeRegex "a]b";
  edge-at = lib.getName { name = "foo-1.0"; };
  edge-au = lib.getVersion { name = "foo-1.0"; };
  edge-av = lib.strings.stringAsChars (c: c + c) "ab";
  edge-aw = lib.concatImapStrings (i: s: "${toString i}${s}") [ "a" "b" ];
  edge-ax = lib.findFirst (x: x) null [ ];
  edge-ay = lib.count (x: x) [ ];
  edge-az = lib.lists.dropEnd 1 [ 1 2 3 ];
  edge-ba = lib.strings.trimWith { end = true; } "  a  ";
  edge-bb = lib.genAttrs [ ] (x: x);
  edge-bc = lib.showOption [ "a" "<name>" "*" "b c" "1x" ];
  edge-bd = (lib.types.either (lib.types.enum ["a"]) lib.types.int).description;
  edge-be = (lib.types.attrsOf (lib.types.nullOr lib.types.str)).description;
  edge-bf = (lib.types.listOf (lib.types.submodule {})).description;
  edge-bg = (lib.types.nullOr (lib.types.listOf lib.types.str)).description;
  edge-bh = (lib.types.oneOf [ lib.types.str lib.types.int lib.types.bool ]).description;
  edge-bi = (lib.types.coercedTo lib.types.str (x: [x]) (lib.types.listOf lib.types.str)).description;
  edge-bj = (lib.types.passwdEntry lib.types.str).description;
  edge-bk = (lib.types.uniq (lib.types.listOf lib.types.int)).description;
  edge-bl = (lib.types.lazyAttrsOf lib.types.raw).description;
  edge-bm = (lib.types.functionTo (lib.types.attrsOf lib.types.str)).description;
  edge-bn = lib.types.path.description;
  edge-bo = lib.types.deferredModule.description;
  edge-bp = (lib.types.separatedString " ").description;
  edge-bq = (lib.types.ints.s8).description;
  edge-br = lib.types.numbers.positive.description;

  # ---------------------------------------------------------------- meta / paths
  getExe = lib.getExe ripgrep;
  getExe' = lib.getExe' coreutils "ls";
  getBin = toString (lib.getBin coreutils);
  getLib = toString (lib.getLib openssl);
  getDev = toString (lib.getDev openssl);
  getOutput-missing = toString (lib.getOutput "man" ripgrep);
  makeBinPath = lib.makeBinPath [ coreutils ripgrep ];
  makeLibraryPath = lib.makeLibraryPath [ openssl ];
  makeSearchPath = lib.makeSearchPath "share/fonts" [ "/a" "/b" ];
  makeSearchPathOutput = lib.makeSearchPathOutput "dev" "lib/pkgconfig" [ openssl ];
  lowPrio = (lib.lowPrio ripgrep).meta.priority;
  hiPrio = (lib.hiPrio ripgrep).meta;

  # ---------------------------------------------------------------- module properties
  mkIf = mkIf true { a = 1; };
  mkIf-false = mkIf false "x";
  mkMerge = mkMerge [ { a = 1; } (mkIf false { b = 2; }) ];
  mkOverride = mkOverride 900 "x";
  mkDefault = mkDefault 1;
  mkForce = mkForce [ ];
  mkOptionDefault = lib.mkOptionDefault 2;
  mkImageMediaOverride = lib.mkImageMediaOverride 3;
  mkVMOverride = lib.mkVMOverride 4;
  mkBefore-mkAfter = [ (mkBefore "a") (mkAfter "b") (lib.mkOrder 750 "c") ];
  priorities = [ lib.modules.defaultOverridePriority lib.modules.defaultOrderPriority ];
  mkOption = lib.mkOption { default = 1; description = "x"; };
  mkOption-type-name = (lib.mkOption { type = types.str; }).type.name;
  mkEnableOption = removeAttrs (lib.mkEnableOption "the foo service") [ "type" ];
  mkPackageOption = removeAttrs (lib.mkPackageOption { ripgrep = ripgrep; } "ripgrep" { }) [ "type" ];
  mkPackageOption-nullable = let o = lib.mkPackageOption { } "foo" { nullable = true; default = null; }; in [ o.default o.type.name o.description ];
  mkSinkUndeclaredOptions = (lib.mkSinkUndeclaredOptions { }).default;
  literalExpression = lib.literalExpression "pkgs.hello";
  literalMD = lib.literalMD "some *markdown*";
  isOption = [ (lib.isOption (lib.mkOption { })) (lib.isOption { }) ];
  showOption = lib.showOption [ "programs" "git" "extraConfig" "user.name" ];
  mkAliasOptionModule-shape = lib.isFunction (lib.mkAliasOptionModule [ "a" ] [ "b" ]);

  # ---------------------------------------------------------------- types
  type-names = map (t: t.name) [ types.bool types.int types.str types.lines types.commas types.envVar types.path types.package types.attrs types.anything types.raw types.unspecified types.float types.number types.port types.nonEmptyStr types.singleLineStr types.deferredModule (types.listOf types.str) (types.attrsOf types.int) (types.lazyAttrsOf types.int) (types.nullOr types.str) (types.either types.str types.int) (types.enum [ "a" ]) (types.submodule { }) (types.uniq types.str) (types.functionTo types.str) (types.coercedTo types.int toString types.str) (types.strMatching "[a-z]+") (types.separatedString " ") (types.oneOf [ types.str types.int ]) (types.nonEmptyListOf types.str) types.ints.unsigned types.ints.positive types.ints.u8 (types.ints.between 1 10) ];
  type-descriptions = map (t: t.description) [ types.bool types.int types.str types.lines types.package types.port (types.listOf types.str) (types.attrsOf (types.listOf types.int)) (types.nullOr (types.either types.str types.int)) (types.enum [ "a" "b" ]) (types.enum [ 1 ]) (types.either types.ints.unsigned types.str) (types.nonEmptyListOf types.str) (types.strMatching "[0-9]+") (types.functionTo types.bool) (types.coercedTo types.int toString types.str) types.ints.u16 (types.ints.between 0 100) ];
  type-check-bool = map types.bool.check [ true 1 ];
  type-check-int = map types.int.check [ 1 1.5 "1" ];
  type-check-str = map types.str.check [ "x" 1 ];
  type-check-port = map types.port.check [ 22 65535 65536 (-1) ];
  type-check-enum = map (types.enum [ "bash" "zsh" ]).check [ "zsh" "fish" ];
  type-check-listOf = map (types.listOf types.str).check [ [ ] "x" ];
  type-check-attrsOf = map (types.attrsOf types.int).check [ { } [ ] ];
  type-check-nullOr = map (types.nullOr types.int).check [ null 1 "x" ];
  type-check-either = map (types.either types.int types.str).check [ 1 "x" true ];
  type-check-package = map types.package.check [ ripgrep "/nix/store/00000000000000000000000000000000-x" { } ];
  type-check-path = map types.path.check [ "/etc/passwd" "relative" ];
  type-check-strMatching = map (types.strMatching "[a-z]+").check [ "abc" "ABC" ];
  type-check-nonEmptyStr = map types.nonEmptyStr.check [ "" "  " "x" ];
  type-check-submodule = map (types.submodule { }).check [ { } (x: x) 1 ];
  type-check-ints = [ (types.ints.u8.check 255) (types.ints.u8.check 256) (types.ints.positive.check 0) (types.ints.unsigned.check 0) (types.ints.s8.check (-128)) ];
  type-check-float-number = [ (types.float.check 1.5) (types.number.check 1) (types.number.check "1") ];
  type-check-passwdEntry = map (types.passwdEntry types.str).check [ "ok" "no:colons" ];
  type-check-functionTo = map (types.functionTo types.str).check [ (x: x) "x" ];
  type-check-addCheck = map (types.addCheck types.int (x: x > 5)).check [ 3 7 ];
  type-check-singleLineStr = map types.singleLineStr.check [ "one" "one\n" "one\ntwo" ];
  type-nested = (types.attrsOf (types.listOf types.str)).nestedTypes.elemType.nestedTypes.elemType.name;
  type-functor = let f = (types.listOf types.int).functor; in [ f.name f.payload.elemType.name ];
  type-submodule-getSubModules = builtins.length (types.submodule [ { } { } ]).getSubModules;
  type-option-type = (types.str)._type;
  type-merge-lines = types.lines.merge [ "x" ] [ { file = "a"; value = "one"; } { file = "b"; value = "two"; } ];
  type-merge-listOf = (types.listOf types.int).merge [ "x" ] [ { file = "a"; value = [ 1 ]; } { file = "b"; value = [ 2 3 ]; } ];
  type-merge-attrsOf = (types.attrsOf types.int).merge [ "x" ] [ { file = "a"; value = { a = 1; }; } { file = "b"; value = { b = 2; }; } ];
  type-merge-bool = types.bool.merge [ "x" ] [ { file = "a"; value = true; } { file = "b"; value = true; } ];
  type-merge-commas = types.commas.merge [ "x" ] [ { file = "a"; value = "a"; } { file = "b"; value = "b"; } ];
  type-merge-attrs = types.attrs.merge [ "x" ] [ { file = "a"; value = { a = 1; }; } { file = "b"; value = { a = 2; b = 3; }; } ];

  # ---------------------------------------------------------------- evalModules
  evalModules-defaults = eval [ optsModule ];
  evalModules-defs = eval [
    optsModule
    { enable = true; packages = [ "git" ]; env.EDITOR = "vim"; extra = "a"; }
    ({ config, ... }: { packages = mkIf config.enable [ "htop" ]; extra = mkAfter "z"; name = mkDefault "low"; })
    { packages = mkBefore [ "first" ]; extra = mkBefore "0"; port = 22; shell = "zsh"; }
  ];
  evalModules-priorities = eval [
    optsModule
    { name = "normal"; }
    { name = mkForce "forced"; }
    { port = mkDefault 1; }
    { port = mkOverride 900 2; }
  ];
  evalModules-submodules = eval [
    optsModule
    { hosts.web = { port = 443; }; hosts.db.user = "postgres"; }
    { hosts.web.user = "nginx"; }
  ];
  evalModules-mkMerge = eval [
    optsModule
    { config = mkMerge [ { enable = true; } (mkIf false { name = "never"; }) { env.A = "1"; } ]; }
    { config = mkIf true { env.B = "2"; }; }
  ];
  evalModules-merge-as-module = (builtins.tryEval (eval [ optsModule (mkMerge [ { enable = true; } ]) ]).enable).success;
  evalModules-if-as-module = eval [ optsModule (mkIf true { enable = true; }) ];
  evalModules-anything = eval [
    optsModule
    { settings = { ui.color = true; keys = [ "a" ]; }; }
    { settings = { ui.theme = "dark"; }; }
  ];
  evalModules-imports = eval [
    optsModule
    { imports = [ { packages = [ "a" ]; } ({ lib, ... }: { packages = lib.mkAfter [ "z" ]; }) ]; }
    { packages = [ "b" ]; }
  ];
  evalModules-args = eval [
    optsModule
    { _module.args.userName = "alice"; }
    ({ userName, ... }: { name = userName; })
  ];
  evalModules-specialArgs = (lib.evalModules {
    specialArgs.hostName = "laptop";
    modules = [ optsModule ({ hostName, ... }: { name = hostName; }) ];
  }).config.name;
  evalModules-freeform = eval [
    {
      freeformType = types.attrsOf types.str;
      options.known = mkOption { type = types.int; default = 1; };
    }
    { extraKey = "x"; }
  ];
  evalModules-options-isDefined = let e = lib.evalModules { modules = [ optsModule { port = 1; } ]; }; in [ e.options.port.isDefined e.options.name.isDefined e.options.port.highestPrio ];
  evalModules-renamed = (lib.evalModules {
    modules = [
      optsModule
      (lib.mkAliasOptionModule [ "userName" ] [ "name" ])
      { userName = "aliased"; }
    ];
  }).config.name;
  evalModules-undeclared = (builtins.tryEval (eval [ optsModule { nope = 1; } ]).nope).success;
  evalModules-bad-type = (builtins.tryEval (eval [ optsModule { port = "x"; } ]).port).success;
  evalModules-key-dedup = eval [
    optsModule
    { key = "shared"; packages = [ "once" ]; }
    { imports = [ { key = "shared"; packages = [ "once" ]; } ]; }
  ];
  evalModules-readOnly = [
    (eval [ { options.r = mkOption { readOnly = true; default = 1; }; } ]).r
    (builtins.tryEval (eval [ { options.r = mkOption { readOnly = true; default = 1; }; } { r = 2; } ]).r).success
    (eval [ { options.r = mkOption { readOnly = true; }; } { r = 3; } ]).r
  ];
  evalModules-disabled = eval [
    optsModule
    { disabledModules = [ "m" ]; }
    { key = "m"; packages = [ "disabled" ]; }
  ];
  evalModules-disabled-key = eval [
    optsModule
    { disabledModules = [ { key = "m"; } ]; }
    { key = "m"; packages = [ "disabled" ]; }
  ];
  evalModules-class = (builtins.tryEval (lib.evalModules { class = "nixos"; modules = [ { _class = "darwin"; } ]; }).config).success;
  evalModules-nixos-like = eval [
    {
      options.users.users = mkOption {
        type = types.attrsOf (types.submodule ({ name, config, ... }: {
          options.name = mkOption { type = types.str; default = name; };
          options.home = mkOption { type = types.str; default = "/home/${config.name}"; };
          options.extraGroups = mkOption { type = types.listOf types.str; default = [ ]; };
        }));
        default = { };
      };
    }
    { users.users = lib.genAttrs users (u: { extraGroups = [ "users" ]; }); }
    { users.users.alice.extraGroups = [ "wheel" ]; }
  ];

  evalModules-hm-style =
    let
      pkgs = { inherit ripgrep; stdenv.isLinux = true; };
      programModule = { config, lib, pkgs, ... }:
        let cfg = config.programs.ripgrep; in
        {
          options.programs.ripgrep = {
            enable = lib.mkEnableOption "ripgrep";
            package = lib.mkPackageOption pkgs "ripgrep" { };
            arguments = lib.mkOption { type = with lib.types; listOf str; default = [ ]; };
          };
          config = lib.mkIf cfg.enable {
            home.packages = [ cfg.package ];
            home.sessionVariables.RIPGREP_CONFIG_PATH = "/home/alice/.config/ripgrep/ripgreprc";
            xdg.configFile."ripgrep/ripgreprc".text = lib.concatLines cfg.arguments;
          };
        };
      homeModule = { lib, ... }: {
        options.home.packages = lib.mkOption { type = lib.types.listOf lib.types.package; default = [ ]; };
        options.home.sessionVariables = lib.mkOption { type = with lib.types; lazyAttrsOf (oneOf [ str path int float ]); default = { }; };
        options.xdg.configFile = lib.mkOption {
          default = { };
          type = lib.types.attrsOf (lib.types.submodule ({ name, config, ... }: {
            options.target = lib.mkOption { type = lib.types.str; default = name; };
            options.text = lib.mkOption { type = lib.types.nullOr lib.types.lines; default = null; };
            options.source = lib.mkOption { type = lib.types.nullOr lib.types.str; default = null; };
            options.executable = lib.mkOption { type = lib.types.nullOr lib.types.bool; default = null; };
          }));
        };
        options.warnings = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
        options.assertions = lib.mkOption { type = lib.types.listOf lib.types.unspecified; default = [ ]; };
      };
      e = lib.evalModules {
        specialArgs = { inherit pkgs; };
        modules = [
          homeModule
          programModule
          (lib.mkRenamedOptionModule [ "programs" "rg" "enable" ] [ "programs" "ripgrep" "enable" ])
          (lib.mkRemovedOptionModule [ "programs" "ripgrep" "oldFlag" ] "Use arguments instead.")
          {
            programs.rg.enable = true;
            programs.ripgrep.arguments = [ "--smart-case" "--hidden" ];
            xdg.configFile."git/ignore".text = "*.swp";
            home.packages = lib.mkIf pkgs.stdenv.isLinux [ coreutils ];
          }
        ];
      };
    in
    {
      packages = map (p: p.name) e.config.home.packages;
      inherit (e.config.home) sessionVariables;
      configFile = e.config.xdg.configFile;
      inherit (e.config) warnings;
      assertions = map (a: a.assertion) e.config.assertions;
      packageDefault = e.options.programs.ripgrep.package.defaultText;
    };
  evalModules-lines-order = eval [
    optsModule
    { extra = lib.mkOrder 1200 "late"; }
    { extra = "normal"; }
    { extra = lib.mkBefore "early"; }
  ];
  evalModules-attrsOf-mkIf = eval [
    optsModule
    { env = { A = mkIf false "no"; B = mkIf true "yes"; }; }
    { env = mkIf true { C = "c"; }; }
  ];
  evalModules-nullOr-submodule = (lib.evalModules {
    modules = [
      { options.s = mkOption { type = types.nullOr (types.submodule { options.x = mkOption { type = types.int; default = 1; }; }); default = null; }; }
      { s.x = 2; }
    ];
  }).config.s;
  evalModules-either-merge = (lib.evalModules {
    modules = [
      { options.v = mkOption { type = types.either types.str (types.listOf types.str); }; }
      { v = [ "a" ]; }
      { v = [ "b" ]; }
    ];
  }).config.v;
  evalModules-coercedTo = (lib.evalModules {
    modules = [
      { options.v = mkOption { type = types.coercedTo types.str (s: [ s ]) (types.listOf types.str); }; }
      { v = "a"; }
      { v = [ "b" ]; }
    ];
  }).config.v;
  evalModules-functionTo = ((lib.evalModules {
    modules = [
      { options.f = mkOption { type = types.functionTo (types.listOf types.int); }; }
      { f = x: [ x ]; }
      { f = x: [ (x + 1) ]; }
    ];
  }).config.f) 10;
  evalModules-enum-merge = (lib.evalModules {
    modules = [
      { options.e = mkOption { type = types.enum [ "a" ]; }; }
      { options.e = mkOption { type = types.enum [ "b" ]; }; }
      { e = "b"; }
    ];
  }).config.e;
  evalModules-submodule-extend = (lib.evalModules {
    modules = [
      { options.s = mkOption { type = types.submodule { options.a = mkOption { default = 1; }; }; default = { }; }; }
      { options.s = mkOption { type = types.submodule { options.b = mkOption { default = 2; }; }; }; }
      { options.s.c = mkOption { default = 3; }; }
    ];
  }).config.s;
  evalModules-deferredModule = let
    e = lib.evalModules {
      modules = [
        { options.m = mkOption { type = types.deferredModule; default = { }; }; }
        { m = { x = 1; }; }
      ];
    };
  in (lib.evalModules { modules = [ { options.x = mkOption { }; } e.config.m ]; }).config.x;
  evalModules-config-fixpoint = eval [
    optsModule
    ({ config, ... }: { name = "port-${toString config.port}"; port = 443; packages = lib.optional (config.port == 443) "tls"; })
  ];
  evalModules-submodule-forms = (lib.evalModules {
    modules = [
      {
        options.accounts = mkOption {
          default = { };
          type = types.attrsOf (types.submodule ({ name, ... }: {
            options.address = mkOption { type = types.str; default = "${name}@example.org"; };
            options.primary = mkOption { type = types.bool; default = false; };
          }));
        };
        options.servers = mkOption {
          default = [ ];
          type = types.listOf (types.submoduleWith {
            specialArgs.domain = "example.org";
            modules = [ ({ domain, ... }: { options.host = mkOption { type = types.str; default = "www.${domain}"; }; options.port = mkOption { type = types.port; default = 80; }; }) ];
          });
        };
      }
      { accounts.work = { name, ... }: { primary = true; address = "me@${name}.org"; }; }
      { accounts.home = { }; accounts.work.primary = mkForce true; }
      { servers = [ { port = 443; } ({ ... }: { host = "api.example.org"; }) ]; }
    ];
  }).config;
  submodule-description = (types.submodule { }).description;

  lazy-optionalAttrs = lib.optionalAttrs false (throw "never");
  lazy-optionals = lib.optionals false (throw "never");
  lazy-genAttrs = lib.attrNames (lib.genAttrs users (_: throw "never"));
  lazy-recursiveUpdate = (lib.recursiveUpdate { a = throw "never"; } { b = 1; }).b;
  lazy-mapAttrs' = lib.attrNames (lib.mapAttrs' (n: v: lib.nameValuePair "x-${n}" (throw "never")) hosts);
  lazy-mkIf-option = (eval [ optsModule { name = mkIf false (throw "never"); port = 1; } ]).port;
  lazy-lazyAttrsOf = lib.attrNames (lib.evalModules {
    modules = [
      { options.l = mkOption { type = types.lazyAttrsOf types.int; default = { }; }; }
      { l.a = throw "never"; l.b = 2; }
    ];
  }).config.l;
  lazy-other-options = (eval [ optsModule { hosts = throw "never"; } ]).port;

  # ---------------------------------------------------------------- systems / generators
  platforms = [ (lib.elem "x86_64-linux" lib.platforms.linux) (lib.elem "aarch64-darwin" lib.platforms.darwin) (lib.elem "x86_64-linux" lib.platforms.darwin) ];
  elaborate = let p = lib.systems.elaborate "aarch64-darwin"; in [ p.system p.isDarwin p.isLinux p.isAarch64 p.isx86_64 ];
  elaborate-linux = let p = lib.systems.elaborate { system = "x86_64-linux"; }; in [ p.isLinux p.isx86_64 p.is64bit ];
  flakeExposed = lib.elem "x86_64-linux" lib.systems.flakeExposed;
  toKeyValue = lib.generators.toKeyValue { } { a = 1; b = "x"; c = true; };
  toINI = lib.generators.toINI { } { main = { font = "mono"; size = 12; }; colors.bg = "000"; };
  mkKeyValueDefault = lib.generators.mkKeyValueDefault { } ":" "key" "value";
  toPretty = lib.generators.toPretty { } { a = 1; b = [ "x" "multi\nline\n" ]; c = { d = null; "e f" = true; }; f = 1.5; g = ripgrep; h = { a, b ? 1 }: a; i = x: x; j = { }; k = [ ]; l = "has \"quotes\" and \${x}"; };
  toPretty-oneline = lib.generators.toPretty { multiline = false; } { a = [ 1 2 ]; s = "x\ny"; };
  toLua = lib.generators.toLua { } { opts = { number = true; tabstop = 2; }; plugins = [ "a" { name = "b"; lazy = false; } ]; on_attach = lib.generators.mkLuaInline "function() end"; nothing = null; empty = { }; };
  toLua-oneline = lib.generators.toLua { multiline = false; } [ 1 "x" [ ] ];
  toLua-bindings = lib.generators.toLua { asBindings = true; } { vim.g.mapleader = " "; x = 1; };
  luaInline-check = map lib.types.luaInline.check [ (lib.mkLuaInline "x") "x" ];
  toINIWithGlobalSection = lib.generators.toINIWithGlobalSection { } { globalSection.a = 1; sections.s.b = 2; };
}
// lib.optionalAttrs (flake-utils != null) {
  # ---------------------------------------------------------------- flake-utils
  fu-eachDefaultSystem = fu.eachDefaultSystem (system: {
    packages.default = "pkg-${system}";
    devShells.default = "shell-${system}";
  });
  fu-eachSystem = fu.eachSystem [ "x86_64-linux" "aarch64-darwin" ] (system: { formatter = system; });
  fu-eachSystem-merged = fu.eachSystem [ "x86_64-linux" ] (s: { packages.a = s; }) // { nixosConfigurations.host = "h"; };
  fu-eachSystem-recursiveUpdate = lib.recursiveUpdate (fu.eachSystem [ "x86_64-linux" ] (s: { packages.a = s; })) { packages.x86_64-linux.b = "b"; };
  fu-eachDefaultSystemMap = fu.eachDefaultSystemMap (s: "x-${s}");
  fu-eachSystemMap = fu.eachSystemMap [ "a" "b" ] (s: s + s);
  fu-defaultSystems = fu.defaultSystems;
  fu-system = [ fu.system.x86_64-linux fu.system.aarch64-darwin ];
  fu-allSystems = lib.elem "riscv64-linux" fu.allSystems;
  fu-flattenTree = fu.flattenTree { hello = ripgrep; tools = { recurseForDerivations = true; rg = ripgrep; nested.x = ripgrep; }; other = { x = ripgrep; }; };
  fu-mkApp = fu.mkApp { drv = ripgrep; exePath = "/bin/rg"; };
  fu-mkApp-name = fu.mkApp { drv = coreutils; name = "ls"; };
  fu-filterPackages = builtins.attrNames (fu.filterPackages "x86_64-linux" {
    ok = ripgrep;
    broken = ripgrep // { meta.broken = true; };
    darwinOnly = ripgrep // { meta.platforms = [ "aarch64-darwin" ]; };
    notDrv = { };
  });
}
// lib.optionalAttrs (flake-parts != null) {
  # ---------------------------------------------------------------- flake-parts
  fp-flake-only =
    let
      self = fp.mkFlake { inputs.self = self; } {
        systems = [ ];
        flake = {
          homeConfigurations.alice = { user = "alice"; };
          lib.greet = "hi";
          nixosModules.default = { };
        };
      };
    in
    { inherit (self) homeConfigurations lib; nixosModules = builtins.attrNames self.nixosModules; };
  fp-perSystem =
    let
      inputs = { self = fakeSelf outputs; };
      outputs = fp.mkFlake { inherit inputs; } {
        systems = [ "x86_64-linux" "aarch64-darwin" ];
        perSystem = { system, config, ... }: {
          packages.default = drv "hello-${system}" { };
          packages.other = config.packages.default // { name = "other"; };
          devShells.default = drv "shell" { };
          legacyPackages.tree.x = system;
          checks.test = drv "check-${system}" { };
        };
      };
    in
    {
      packages = lib.mapAttrs (s: ps: lib.mapAttrs (_: p: p.name) ps) outputs.packages;
      devShells = lib.attrNames outputs.devShells;
      legacyPackages = outputs.legacyPackages;
      checks = lib.mapAttrs (s: c: c.test.name) outputs.checks;
      outputNames = lib.attrNames outputs;
    };
  fp-imports-and-merge =
    let
      inputs = { self = fakeSelf outputs; };
      moduleA = { lib, ... }: {
        perSystem = { system, ... }: { packages.a = drv "a-${system}" { }; };
        flake.overlays.default = final: prev: { };
      };
      moduleB = { config, ... }: {
        options.myHosts = lib.mkOption { type = types.listOf types.str; default = [ ]; };
        config.flake.nixosConfigurations = lib.genAttrs config.myHosts (h: { hostName = h; });
      };
      outputs = fp.mkFlake { inherit inputs; } ({ withSystem, ... }: {
        imports = [ moduleA moduleB ];
        systems = [ "x86_64-linux" ];
        myHosts = [ "laptop" "server" ];
        perSystem = { system, ... }: { packages.b = drv "b-${system}" { }; };
        flake.homeConfigurations.me = withSystem "x86_64-linux" ({ config, system, ... }: {
          pkg = config.packages.a.name;
          inherit system;
        });
      });
    in
    {
      packages = lib.mapAttrs (_: ps: lib.attrNames ps) outputs.packages;
      inherit (outputs) nixosConfigurations homeConfigurations;
      overlays = lib.attrNames outputs.overlays;
    };
  fp-self-prime =
    let
      inputs = { self = fakeSelf outputs; };
      outputs = fp.mkFlake { inherit inputs; } {
        systems = [ "x86_64-linux" ];
        perSystem = { self', ... }: {
          packages.default = drv "main" { };
          apps.default.program = "${self'.packages.default}/bin/main";
          formatter = drv "fmt" { };
        };
      };
    in
    {
      apps = outputs.apps;
      formatter = lib.mapAttrs (_: f: f.name) outputs.formatter;
    };
  fp-nixpkgs-input =
    let
      nixpkgs = {
        _type = "flake";
        outPath = "/nix/store/22222222222222222222222222222222-source";
        legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (system: {
          hello = drv "hello-${system}" { };
          mkShell = args: drv "shell-${system}" { };
        });
      };
      inputs = { self = fakeSelf outputs // { inputs = inputs; }; inherit nixpkgs; };
      outputs = fp.mkFlake { inherit inputs; } ({ flake-parts-lib, lib, ... }: {
        options.perSystem = flake-parts-lib.mkPerSystemOption ({ lib, ... }: {
          options.greeting = lib.mkOption { type = lib.types.str; default = "hi"; };
        });
        config = {
          systems = [ "x86_64-linux" "aarch64-linux" ];
          transposition.greeting = { };
          perSystem = { pkgs, inputs', system, config, ... }: {
            packages.default = pkgs.hello;
            packages.fromInput = inputs'.nixpkgs.legacyPackages.hello;
            devShells.default = pkgs.mkShell { };
            greeting = lib.mkForce "hello from ${system}";
          };
        };
      });
    in
    {
      packages = lib.mapAttrs (_: ps: lib.mapAttrs (_: p: p.name) ps) outputs.packages;
      devShells = lib.mapAttrs (_: ps: ps.default.name) outputs.devShells;
      greeting = outputs.greeting;
    };
  fp-moduleWithSystem =
    let
      inputs = { self = fakeSelf outputs; };
      outputs = fp.mkFlake { inherit inputs; } ({ moduleWithSystem, ... }: {
        systems = [ "x86_64-linux" ];
        perSystem = { system, ... }: { packages.tool = drv "tool-${system}" { }; };
        flake.nixosModules.default = moduleWithSystem (perSystem@{ config }: { ... }: {
          environment.systemPackages = [ perSystem.config.packages.tool ];
        });
      });
      m = outputs.nixosModules.default;
    in
    { inherit (m) _class; imports = builtins.length m.imports; };
  fp-easyOverlay =
    let
      inputs = { self = fakeSelf outputs; };
      outputs = fp.mkFlake { inherit inputs; } {
        imports = [ flake-parts.flakeModules.easyOverlay ];
        systems = [ "x86_64-linux" ];
        perSystem = { pkgs, final, ... }: {
          _module.args.pkgs = { hello = drv "hello" { }; extend = f: { }; };
          overlayAttrs = { myHello = drv "my-${pkgs.hello.name}" { }; fromFinal = final.marker or "none"; };
        };
      };
      applied = outputs.overlays.default { marker = "final"; } { stdenv.hostPlatform.system = "x86_64-linux"; hello = drv "prev-hello" { }; };
    in
    { name = applied.myHello.name; inherit (applied) fromFinal; };
  fp-flakeModules =
    let
      inputs = { self = fakeSelf outputs; };
      outputs = fp.mkFlake { inherit inputs; } {
        imports = [ flake-parts.flakeModules.flakeModules ];
        systems = [ ];
        flake.flakeModules.default = { perSystem = { }; };
        flake.flakeModules.extra = ./cases.nix;
      };
      m = outputs.flakeModules;
    in
    {
      names = builtins.attrNames m;
      inherit (m.default) _file key _class;
      aliased = outputs.flakeModule.key;
    };
  fp-mkDefault-flake =
    let
      outputs = fp.mkFlake { inputs.self = fakeSelf outputs; } {
        systems = [ "x86_64-linux" ];
        imports = [
          { flake.nixosConfigurations.a = lib.mkDefault "default"; }
          { flake.nixosConfigurations.a = lib.mkForce "forced"; }
        ];
      };
    in
    outputs.nixosConfigurations;
}
// lib.optionalAttrs (hm != null) {
  # ---------------------------------------------------------------- Home Manager's lib.hm
  hm-dag-entries = with hm.dag; [ (entryAnywhere 1) (entryAfter [ "a" ] 2) (entryBefore [ "b" ] 3) (entryBetween [ "b" ] [ "a" ] 4) ];
  hm-entriesBetween = hm.dag.entriesBetween "x" [ "b" ] [ "a" ] [ 1 2 3 ];
  hm-entriesAnywhere = hm.dag.entriesAnywhere "y" [ "p" "q" ];
  hm-topoSort = hm.dag.topoSort {
    a = hm.dag.entryAnywhere 1;
    b = hm.dag.entryAfter [ "a" ] 2;
    c = hm.dag.entryBefore [ "a" ] 3;
  };
  hm-isEntry = [ (hm.dag.isEntry (hm.dag.entryAnywhere 1)) (hm.dag.isEntry { data = 1; }) ];
  hm-storeFileName = map hm.strings.storeFileName [ ".config/nvim/init.lua" "foo bar@baz" "plain" ];
  hm-case = [ (hm.strings.toSnakeCase "fooBarBaz") (hm.strings.toKebabCase "FooBar") ];
  hm-shell = [ (hm.shell.export "EDITOR" "vim") (hm.shell.export "X" true) (hm.shell.exportAll { A = "1"; B = null; C = 2; }) (hm.shell.prependToVar ":" "PATH" [ "/a" "/b" ]) ];
  hm-yesNo = map hm.booleans.yesNo [ true false ];
  hm-gvariant-strings = with hm.gvariant; map toString [
    (mkTuple [ "xkb" "us" ])
    (mkUint32 5)
    (mkDouble 1.5)
    (mkInt32 3)
    (mkBoolean true)
    (mkString "it's a\nline")
    (mkArray type.string [ "a" "b" ])
    (mkEmptyArray type.string)
    (mkVariant 1)
    (mkDictionaryEntry [ "k" (mkVariant "v") ])
    (mkJust "x")
    (mkNothing type.string)
    (mkObjectpath "/org/x")
    (mkValue [ (mkTuple [ 1 true ]) ])
  ];
  hm-gvariant-types = with hm.gvariant; map (v: v.type) [ (mkTuple [ "a" 1 ]) (mkArray type.int32 [ 1 ]) (mkValue [ [ "x" ] ]) (mkDictionaryEntry [ "a" 1.0 ]) (mkUint64 1) ];
  hm-gvariant-preds = with hm.gvariant; [ (isGVariant (mkUint32 1)) (isGVariant 1) (isArray "as") (isTuple "(ss)") (isMaybe "ms") (isDictionaryEntry "{sv}") (typeOf [ 1 ]) (typeOf { }) ];
  hm-dagOf-type = let t = hm.types.dagOf types.str; in [ t.name t.description (t.check { }) ];
  hm-dagOf-eval = (lib.evalModules {
    modules = [
      { options.activation = mkOption { type = hm.types.dagOf types.lines; default = { }; }; }
      { activation.writeBoundary = hm.dag.entryAnywhere "echo boundary"; }
      { activation.link = hm.dag.entryAfter [ "writeBoundary" ] "ln -s a b"; }
      { activation.link = hm.dag.entryAfter [ "writeBoundary" ] "echo more"; activation.plain = "echo plain"; }
    ];
  }).config.activation;
  hm-dagOf-submodule = (lib.evalModules {
    modules = [
      {
        options.blocks = mkOption {
          default = { };
          type = hm.types.dagOf (types.submodule ({ dagName, ... }: {
            options.text = mkOption { type = types.str; };
            options.label = mkOption { type = types.str; default = dagName; };
          }));
        };
      }
      { blocks.first = { text = "1"; }; }
      { blocks.second = hm.dag.entryAfter [ "first" ] { text = "2"; }; }
    ];
  }).config.blocks;
}
