//! The evaluator against real Nix: each case is evaluated by both (`nix-instantiate
//! --eval --strict --json`) and the JSON compared. The prelude `lib` is available as
//! `import ./lib.nix`. Without Nix the cases still run against their expected values.

use std::path::Path;

use nix_eval::{Eval, Limits, MemorySources, Sources};

const LIB: &str = include_str!("../src/prelude/lib.nix");

fn ours(expr: &str) -> Result<serde_json::Value, String> {
    let expr = expr.to_string();
    nix_eval::run_with_stack(move || ours_here(&expr))
}

/// `/default.nix` of the fixture `expr`, with the prelude `lib` at `/lib.nix`, evaluated.
fn evaluated(expr: &str) -> (Eval, nix_eval::Value) {
    let mut sources = MemorySources::from_fixture(expr);
    sources.add_virtual(
        Path::new("/lib.nix"),
        LIB,
        std::sync::Arc::new(nix_syntax::parse(LIB)),
    );
    let mut eval = Eval::new(Box::new(sources), Limits::default());
    let value = eval.import_path(Path::new("/default.nix"), None);
    (eval, value)
}

fn ours_here(expr: &str) -> Result<serde_json::Value, String> {
    let (mut eval, value) = evaluated(expr);
    eval.force_deep(&value, 64);
    eval.to_json(&value).map_err(|v| match v.as_unknown() {
        Some(u) => u.reason.to_string(),
        None => "not JSON".to_string(),
    })
}

fn nix(expr: &str) -> Option<serde_json::Value> {
    if std::process::Command::new("nix-instantiate")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "nix-instantiate is required under CI"
        );
        return None;
    }
    let dir = tempfile::tempdir().ok()?;
    std::fs::write(dir.path().join("default.nix"), expr).ok()?;
    std::fs::write(dir.path().join("lib.nix"), LIB).ok()?;
    let out = std::process::Command::new("nix-instantiate")
        .args(["--eval", "--strict", "--json"])
        .arg(dir.path().join("default.nix"))
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "nix failed on {expr}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).ok()
}

fn check(expr: &str) {
    let ours = ours(expr).unwrap_or_else(|e| panic!("not known statically: {e}\n{expr}"));
    if let Some(theirs) = nix(expr) {
        assert_eq!(ours, theirs, "differs from Nix on {expr}");
    }
}

macro_rules! cases {
    ($($name:ident: $expr:expr,)*) => { $( #[test] fn $name() { check($expr); } )* };
}

cases! {
    arithmetic: "{ a = 1 + 2 * 3; b = 7 / 2; c = 1.5 + 1; d = -3; e = 10 - 4; f = builtins.div 9 2; }",
    comparison: "[ (1 < 2) (\"a\" < \"b\") ([1 2] < [1 3]) (2 >= 2) (1 == 1.0) ({a=1;} == {a=1;}) ([1] != [2]) ]",
    strings: "let x = \"world\"; in { a = \"hello ${x}\"; b = ''\n  indented\n    more\n''; c = \"a\" + \"b\"; d = toString 42; e = toString [1 \"a\" null true]; }",
    let_rec: "let a = b + 1; b = 2; s = rec { x = y; y = 3; }; in [ a s.x ]",
    inherit_from: "let s = { a = 1; b = 2; }; in { inherit (s) a b; c = s.a or 5; d = s.z or 6; e = s ? a; f = s ? z; }",
    nested_paths: "{ a.b.c = 1; a.b.d = 2; a.e = 3; x = { y = 1; }; x.z = 2; }",
    dynamic_keys: "let n = \"k\"; in { ${n} = 1; \"${n}2\" = 2; ${null} = 3; }",
    functions: "let f = { a, b ? a + 1, ... }@args: a + b + (args.c or 0); in [ (f { a = 1; }) (f { a = 1; b = 5; c = 10; }) ]",
    with_scope: "let s = { x = 1; map = 5; }; in with s; [ x (map (v: v + 1) [ 1 ]) ]",
    builtins_lists: "with builtins; { a = map (x: x * 2) [1 2 3]; b = filter (x: x > 1) [1 2 3]; c = foldl' (a: b: a + b) 0 [1 2 3]; d = genList (i: i * i) 4; e = concatLists [[1] [2 3]]; f = concatMap (x: [x x]) [1 2]; g = elem 2 [1 2]; h = elemAt [5 6] 1; i = head [7]; j = tail [1 2]; k = length [1 2 3]; l = sort (a: b: a < b) [3 1 2]; m = partition (x: x > 1) [1 2 3]; n = groupBy (x: if x > 1 then \"big\" else \"small\") [1 2 3]; o = any (x: x > 2) [1 3]; p = all (x: x > 0) [1 2]; }",
    builtins_attrs: "with builtins; { a = attrNames { b = 1; a = 2; }; b = attrValues { b = 1; a = 2; }; c = mapAttrs (n: v: n + toString v) { x = 1; }; d = listToAttrs [ { name = \"p\"; value = 1; } { name = \"p\"; value = 2; } ]; e = removeAttrs { a = 1; b = 2; } [ \"a\" ]; f = intersectAttrs { a = 0; } { a = 1; b = 2; }; g = catAttrs \"a\" [ { a = 1; } { b = 2; } ]; h = hasAttr \"a\" { a = 1; }; i = getAttr \"a\" { a = 1; }; j = zipAttrsWith (n: vs: vs) [ { a = 1; } { a = 2; b = 3; } ]; k = functionArgs ({ a, b ? 1 }: a); }",
    builtins_strings: "with builtins; { a = replaceStrings [\"a\" \"b\"] [\"x\" \"yy\"] \"abc\"; b = substring 1 3 \"hello\"; c = stringLength \"héllo\"; d = split \"(,)\" \"a,b,c\"; e = match \"([a-z]+)-([0-9]+)\" \"abc-123\"; f = match \"x\" \"y\"; g = concatStringsSep \", \" [\"a\" \"b\"]; h = baseNameOf \"/a/b.nix\"; i = dirOf \"/a/b.nix\"; j = toJSON { a = [1 \"x\" null]; }; k = fromJSON \"{\\\"a\\\": [1, 2.5, true]}\"; l = compareVersions \"1.2.3\" \"1.10\"; m = splitVersion \"1.2pre3\"; n = parseDrvName \"hello-2.10\"; o = typeOf 1.5; }",
    toml: "builtins.fromTOML \"a = 1\\n[b]\\nc = \\\"x\\\"\\nd = [true, false]\"",
    try_eval: "with builtins; [ (tryEval (throw \"x\")) (tryEval 1) (tryEval (assert false; 1)) (seq 1 2) (deepSeq [1] 3) ]",
    generic_closure: "builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: if x.key < 5 then [ { key = x.key + 1; } { key = x.key; } ] else []; }",
    set_plus_string: "let src = { outPath = \"/src\"; x = 1; }; s = { __toString = self: \"S\"; }; in [ (src + \"/hosts/a.nix\") (s + \"!\") \"${src}/b\" ]",
    functor: "let f = { __functor = self: x: x + self.n; n = 10; }; in f 5",
    pipes_and_logic: "[ (true && false) (true || false) (false -> true) (!true) (if 1 > 2 then \"a\" else \"b\") ]",
    lib_genattrs: "let lib = import ./lib.nix; in lib.genAttrs [ \"alice\" \"bob\" ] (u: { home = \"/home/${u}\"; })",
    lib_mapattrs_prime: "let lib = import ./lib.nix; in lib.mapAttrs' (n: v: lib.nameValuePair \"${n}-svc\" { Service.ExecStart = v; }) { a = \"/bin/a\"; b = \"/bin/b\"; }",
    lib_recursive_update: "let lib = import ./lib.nix; in lib.foldl' lib.recursiveUpdate {} [ { a.b = 1; } { a.c = 2; } { a.b = 3; d = 4; } ]",
    lib_strings: "let lib = import ./lib.nix; in { a = lib.concatMapStringsSep \" \" lib.escapeShellArg [ \"a b\" \"c\" ]; b = lib.splitString \",\" \"x,y\"; c = lib.hasPrefix \"ab\" \"abc\"; d = lib.removeSuffix \".nix\" \"a.nix\"; e = lib.optionalString true \"yes\"; f = lib.makeBinPath [ \"/nix/store/x\" ]; g = lib.toUpper \"abc\"; h = lib.concatLines [ \"a\" \"b\" ]; }",
    lib_lists: "let lib = import ./lib.nix; in { a = lib.optionals true [ 1 ]; b = lib.optional false 1; c = lib.flatten [ 1 [ 2 [ 3 ] ] ]; d = lib.unique [ 1 2 1 ]; e = lib.range 1 4; f = lib.imap1 (i: x: i * x) [ 5 5 ]; g = lib.last [ 1 2 ]; h = lib.filterAttrs (n: v: v > 1) { a = 1; b = 2; }; i = lib.concatMapAttrs (n: v: { ${n + \"x\"} = v; }) { a = 1; }; j = lib.mapAttrsToList (n: v: n) { b = 1; a = 2; }; k = lib.attrByPath [ \"a\" \"b\" ] 0 { a.b = 9; }; l = lib.setAttrByPath [ \"x\" \"y\" ] 1; }",
    lib_mkif_shapes: "let lib = import ./lib.nix; in [ (lib.mkIf true 1) (lib.mkMerge [ 1 ]) (lib.mkDefault 1) (lib.mkForce 2) (lib.mkBefore [ 1 ]) (lib.mkOrder 10 1) ]",
    lib_getexe: "let lib = import ./lib.nix; in lib.getExe { name = \"jq-1.7\"; pname = \"jq\"; meta.mainProgram = \"jq\"; outPath = \"/nix/store/x-jq\"; type = \"derivation\"; }",
    store_path_text: "let lib = import ./lib.nix; in { a = lib.hasSuffix \".nix\" ./lib.nix; b = builtins.stringLength \"${./lib.nix}\"; c = builtins.substring 0 11 \"${./lib.nix}\"; d = lib.hasSuffix \"-lib.nix\" \"x${./lib.nix}\"; e = builtins.substring 43 100 \"${./lib.nix}\"; g = lib.removeSuffix \".nix\" (baseNameOf ./lib.nix); h = lib.hasSuffix \"default.nix\" ./lib.nix; i = \"${./lib.nix}\" == \"/nix/store/x\"; j = builtins.filter (lib.hasSuffix \"default.nix\") [ ./lib.nix ./default.nix ] == [ ./default.nix ]; }",
    lib_path: "let lib = import ./lib.nix; in { a = toString (lib.path.append /a/b \"c/d\"); b = lib.path.hasPrefix /a /a/b; c = lib.path.removePrefix /a /a/b/c; d = lib.path.subpath.join [ \"a\" \"./b/\" ]; e = lib.path.subpath.normalise \"./a//b/.\"; f = lib.path.subpath.components \"a/b\"; g = (lib.path.splitRoot /a/b).subpath; h = lib.path.hasPrefix /a/b /a; i = lib.path.subpath.isValid \"../x\"; }",
    curpos_free_import: "let f = import ./lib.nix; in builtins.isAttrs f",
}

#[test]
fn unknowns_keep_known_parts_of_strings() {
    let fixture =
        "let pkgs = builtins.getEnv \"X\"; home = \"/home/alice\"; in \"${home}/bin/x ${pkgs}\"";
    let mut eval = Eval::new(
        Box::new(MemorySources::from_fixture(fixture)),
        Limits::default(),
    );
    let value = eval.import_path(Path::new("/default.nix"), None);
    let nix_eval::Value::Str(s) = value else {
        panic!("not a string")
    };
    assert!(s.as_known().is_none());
    let nix_eval::Part::Text(first) = &s.parts[0] else {
        panic!("first part unknown")
    };
    assert_eq!(first.as_ref(), "/home/alice/bin/x ");
    assert!(matches!(s.parts[1], nix_eval::Part::Unknown(_)));
}

/// `lib.getExe pkgs.hello` is computed inside the library from what only Nix knows: one
/// unknown named by the call; `lib.getExe'`'s known `/bin/rg` is kept.
#[test]
fn library_results_only_nix_knows_are_named_by_the_call() {
    let fixture =
        "{ lib, pkgs }: [ (lib.getExe pkgs.hello) \"${lib.getExe' pkgs.ripgrep \"rg\"} --files\" ]";
    let mut eval = Eval::new(
        Box::new(MemorySources::from_fixture(fixture)),
        Limits::default(),
    );
    let function = eval.import_path(Path::new("/default.nix"), None);
    let mut args = nix_eval::Attrs::default();
    let lib = eval.lib();
    for (name, value) in [
        ("lib", lib),
        ("pkgs", nix_eval::Value::external("pkgs", None)),
    ] {
        args.entries.insert(
            name.into(),
            nix_eval::Attr {
                value: nix_eval::Thunk::ready(value),
                key_span: None,
            },
        );
    }
    let list = eval.apply(
        function,
        nix_eval::Thunk::ready(nix_eval::Value::attrs(args)),
        None,
    );
    let nix_eval::Value::List(list) = list else {
        panic!("not a list")
    };
    let mut strings = Vec::new();
    for item in &list.items {
        let nix_eval::Value::Str(s) = eval.force(item) else {
            panic!("not a string")
        };
        let parts: Vec<String> = s
            .parts
            .iter()
            .map(|p| match p {
                nix_eval::Part::Text(t) => t.to_string(),
                nix_eval::Part::Unknown(u) => {
                    let text = u
                        .span
                        .map(|at| eval.sources().text(at.file)[at.range.as_usize()].to_string());
                    match (&u.reason, text) {
                        (nix_eval::Reason::LibraryCall, Some(text)) => format!("<{text}>"),
                        _ => "<?>".to_string(),
                    }
                }
            })
            .collect();
        strings.push(parts);
    }
    assert_eq!(
        strings,
        [
            vec!["<lib.getExe pkgs.hello>"],
            vec!["<?>", "/bin/rg --files"]
        ]
    );
}

#[test]
fn multi_file_imports_and_read_dir() {
    let fixture = "#- /flake.nix\nlet hosts = builtins.attrNames (builtins.readDir ./hosts); in map (h: (import (./hosts + \"/${h}\")).name) hosts\n#- /hosts/a.nix\n{ name = \"A\"; }\n#- /hosts/b.nix\n{ name = \"B\"; }\n";
    let mut eval = Eval::new(
        Box::new(MemorySources::from_fixture(fixture)),
        Limits::default(),
    );
    let value = eval.import_path(Path::new("/flake.nix"), None);
    eval.force_deep(&value, 8);
    assert_eq!(
        eval.to_json(&value).ok(),
        Some(serde_json::json!(["A", "B"]))
    );
}

#[test]
fn infinite_recursion_is_an_unknown_not_a_hang() {
    let mut eval = Eval::new(
        Box::new(MemorySources::from_fixture("let x = x + 1; in x")),
        Limits::default(),
    );
    let value = eval.import_path(Path::new("/default.nix"), None);
    assert_eq!(
        value.as_unknown().map(|u| u.reason.clone()),
        Some(nix_eval::Reason::InfiniteRecursion)
    );
}

#[test]
fn deep_recursion_hits_the_limit() {
    let limited = nix_eval::run_with_stack(|| {
        let fixture = "let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 100000";
        let mut eval = Eval::new(
            Box::new(MemorySources::from_fixture(fixture)),
            Limits::default(),
        );
        let value = eval.import_path(Path::new("/default.nix"), None);
        value.as_unknown().map(|u| u.reason.is_error())
    });
    assert_eq!(
        limited,
        Some(false),
        "ends as an unknown, not an error, a hang or a crash"
    );
}

/// `x && false` is false whatever Boolean `x` is (Nix fails on anything else), so an
/// unknown `x` does not leave it undecided; `x && true` stays as unknown as `x`.
#[test]
fn unknown_booleans_beside_a_decisive_side() {
    let x = "let x = builtins.getEnv \"X\" == \"\"; in";
    assert_eq!(
        ours(&format!("{x} [ (x && false) (x || true) (x -> true) ]")),
        Ok(serde_json::json!([false, true, true]))
    );
    for undecided in ["x && true", "x || false", "x -> false", "x && throw \"no\""] {
        assert!(
            ours(&format!("{x} {undecided}")).is_err(),
            "{undecided} is not known"
        );
    }
}

/// `[ a ] ++ x ++ [ b ]` with `x` only Nix knows is unknown, but keeps the items known to
/// be in it (`imports`, `modules` read them); `length` of it stays unknown.
#[test]
fn a_list_joined_with_an_unknown_keeps_its_known_items() {
    let fixture = "let x = builtins.fromJSON (builtins.getEnv \"X\"); in [ 1 ] ++ x ++ [ 2 ]";
    let mut eval = Eval::new(
        Box::new(MemorySources::from_fixture(fixture)),
        Limits::default(),
    );
    let value = eval.import_path(Path::new("/default.nix"), None);
    let (items, rest) = value.list_items();
    let known: Vec<_> = items.iter().map(|t| eval.force(t)).collect();
    assert!(matches!(
        known[..],
        [nix_eval::Value::Int(1), nix_eval::Value::Int(2)]
    ));
    assert!(rest.is_some_and(|r| r.as_unknown().is_some()));
    assert!(ours("let x = builtins.getEnv \"X\"; in builtins.length ([ 1 ] ++ x)").is_err());
}

/// A path interpolated into a string is its store copy: `import "${./hm}/a.nix"` reads
/// `./hm/a.nix`, and `baseNameOf` of such a string is known; `"${./hm}a.nix"` and
/// `"${./hm}/../x"` are other store paths.
#[test]
fn store_copies_of_paths_name_their_files() {
    let fixture = "#- /default.nix\n[ (import \"${./hm}/a.nix\") (baseNameOf \"${./hm}/a.nix\") ]\n#- /hm/a.nix\n1\n";
    assert_eq!(ours(fixture), Ok(serde_json::json!([1, "a.nix"])));
    for other in [
        "import \"${./hm}a.nix\"",
        "import \"${./hm}/../default.nix\"",
    ] {
        let fixture = format!("#- /default.nix\n{other}\n#- /hm/a.nix\n1\n#- /hma.nix\n2\n");
        assert!(
            ours(&fixture).is_err(),
            "{other} is not a file of the repository"
        );
    }
}

/// `x // optionalAttrs c { … }` with `c` only Nix knows: the names of `x` the part does not
/// hold keep their values, a name neither holds is missing (Nix's error, `or`'s default,
/// `?` false), and what the part may hold is undecided. Builtins that make a new set
/// (`mapAttrs`, `removeAttrs`) do to the part what they do to the rest; a function's
/// parameter the part may hold is undecided, not its default.
#[test]
fn a_set_joined_with_an_undecided_part_keeps_what_it_knows() {
    let c = "let c = builtins.getEnv \"C\" == \"1\"; lib = import ./lib.nix; x = { a = 1; b = 2; } // lib.optionalAttrs c { b = 3; d = 4; } // (if c then { } else if c then { e = 5; } else { f = 6; }); in";
    for (expr, expected) in [
        ("x.a", serde_json::json!(1)),
        ("x.z or 0", serde_json::json!(0)),
        ("x ? z", serde_json::json!(false)),
        ("builtins.hasAttr \"z\" x", serde_json::json!(false)),
        (
            "(builtins.mapAttrs (n: v: v * 10) x).a",
            serde_json::json!(10),
        ),
        (
            "builtins.removeAttrs x [ \"a\" ] ? a",
            serde_json::json!(false),
        ),
        ("({ z ? 0, ... }: z) x", serde_json::json!(0)),
    ] {
        assert_eq!(ours(&format!("{c} {expr}")), Ok(expected), "{expr}");
    }
    for undecided in [
        "x.b",
        "x.d",
        "x ? d",
        "x.f or 0",
        "builtins.attrNames x",
        "(builtins.mapAttrs (n: v: v * 10) x).d",
        "(builtins.removeAttrs x [ \"a\" ]).d",
        "({ d ? 0, ... }: d) x",
    ] {
        assert!(
            ours(&format!("{c} {undecided}")).is_err(),
            "{undecided} is not known"
        );
    }
    assert!(
        ours(&format!("{c} x.z")).is_err_and(|e| e.contains("attribute 'z' missing")),
        "a name no part holds is missing, as in Nix"
    );
    // Many parts: each name is decided by the parts that may hold it, not by every
    // combination of them (2^40 here).
    let chain: String = (0..40)
        .map(|i| format!(" // lib.optionalAttrs (c && {i} > 0) {{ b{i} = {i}; }}"))
        .collect();
    assert_eq!(
        ours(&format!("{c} ({{ a = 1; }}{chain}).a")),
        Ok(serde_json::json!(1))
    );
    assert!(ours(&format!("{c} ({{ a = 1; }}{chain}).b39")).is_err());
    // What the part holds under each outcome.
    let fixture = format!("{c} ({{ a = 1; }} // lib.optionalAttrs c {{ d = 4; }}).d");
    let (then, otherwise) = alternatives(fixture, |v| {
        (matches!(v, nix_eval::Value::Int(4)), missing(v))
    });
    assert_eq!(
        (then.0, otherwise.1),
        (true, true),
        "4 where `c` holds, missing where not"
    );
}

/// The two alternatives of the undecided value `fixture` evaluates to, as `judge` sees
/// each.
fn alternatives<T: Send + 'static>(fixture: String, judge: fn(&nix_eval::Value) -> T) -> (T, T) {
    nix_eval::run_with_stack(move || {
        let (mut eval, value) = evaluated(&fixture);
        let (then, otherwise) = value
            .as_unknown()
            .and_then(|u| u.alternatives.clone())
            .expect("an undecided value");
        (judge(&eval.force(&then)), judge(&eval.force(&otherwise)))
    })
}

/// Whether `v` is Nix's error (a missing attribute).
fn missing(v: &nix_eval::Value) -> bool {
    v.as_unknown().is_some_and(|u| u.reason.is_error())
}

/// `filterAttrs` on a predicate only Nix decides for some names: those names are there
/// under that condition (which way `!` points kept), the others are decided; sets zipped
/// from such sets hold no other name.
#[test]
fn a_set_filtered_on_an_undecided_predicate_keeps_what_it_knows() {
    let c = "let c = builtins.getEnv \"C\" == \"1\"; lib = import ./lib.nix; \
             x = lib.filterAttrs (n: v: v || c) { a = true; b = false; }; \
             y = lib.filterAttrs (n: v: !(v || c)) { a = true; b = false; }; \
             z = builtins.zipAttrsWith (n: vs: vs) [ x { d = 1; } ]; in";
    for (expr, expected) in [
        ("x.a", serde_json::json!(true)),
        ("x ? z", serde_json::json!(false)),
        ("y ? a", serde_json::json!(false)),
        ("z ? a && z ? d && !(z ? y)", serde_json::json!(true)),
        ("({ out = 1; } // z).out", serde_json::json!(1)),
        ("z.a", serde_json::json!([true])),
        (
            "builtins.length (builtins.filter (v: v || c) [ true false ] ++ [ 1 ])",
            serde_json::json!(null),
        ),
    ] {
        let got = ours(&format!("{c} {expr}"));
        if expected.is_null() {
            assert!(got.is_err(), "{expr} is not known");
        } else {
            assert_eq!(got, Ok(expected), "{expr}");
        }
    }
    for undecided in [
        "x ? b",
        "x.b",
        "y ? b",
        "z ? b",
        "z.b",
        "builtins.attrNames x",
    ] {
        assert!(
            ours(&format!("{c} {undecided}")).is_err(),
            "{undecided} is not known"
        );
    }
    // `x.b` is `b`'s value where `c` holds, missing where it does not; `y.b` the reverse.
    for (name, then_holds) in [("x", true), ("y", false)] {
        let held = alternatives(format!("{c} {name}.b"), |v| !missing(v));
        assert_eq!(held, (then_holds, !then_holds), "{name}.b");
    }
}

/// `intersectAttrs a b` where `b` has a part only Nix knows (`callPackageWith (pkgs // {
/// … })`): a name of `a` that part may hold may be in the result too.
#[test]
fn intersecting_with_a_partly_known_set_keeps_what_it_may_hold() {
    let c = "let p = builtins.fromJSON (builtins.getEnv \"P\"); \
             x = builtins.intersectAttrs { a = 1; b = 2; } (p // { a = 3; }); in";
    assert_eq!(ours(&format!("{c} x.a")), Ok(serde_json::json!(3)));
    assert!(
        ours(&format!("{c} x ? b")).is_err(),
        "`b` may come from `p`"
    );
}

/// `lib.hasInfix` of a path matches `.*text.*` against its store copy,
/// `/nix/store/<hash>-<name>`: decided where the hash (Nix's base 32, no `_`, `o`, `.`)
/// cannot hold the text, unknown where it may.
#[test]
fn infixes_of_store_copies_are_decided_where_the_hash_cannot_matter() {
    let files = "#- /mods/_draft.nix\n1\n#- /mods/foo.nix\n2\n";
    for (expr, expected) in [
        ("lib.hasInfix \"_\" ./mods/_draft.nix", true),
        ("lib.hasInfix \"_\" ./mods/foo.nix", false),
        ("lib.hasInfix \"mods\" ./mods/foo.nix", false),
        ("lib.hasInfix \"-foo\" ./mods/foo.nix", true),
        ("lib.hasInfix \"/nix/store/\" \"${./mods/foo.nix}\"", true),
        // A path's store copy depends only on the path.
        ("\"${./mods}/foo\" == \"${./mods}/foo\"", true),
        ("\"${./mods}/foo\" == \"${./mods}/bar\"", false),
    ] {
        let fixture = format!("#- /default.nix\nlet lib = import ./lib.nix; in {expr}\n{files}");
        assert_eq!(ours(&fixture), Ok(serde_json::json!(expected)), "{expr}");
    }
    let fixture = format!(
        "#- /default.nix\nlet lib = import ./lib.nix; in lib.hasInfix \"a\" ./mods/foo.nix\n{files}"
    );
    assert!(ours(&fixture).is_err(), "a hash may hold `a`");
}
