//! The module system on in-memory configurations (`#- /path` fixtures).

use std::path::Path;
use std::rc::Rc;

use nix_eval::{Attrs, Eval, Limits, MemorySources, Sources, Value};
use nix_modules::{EvalModules, ModuleInput, eval_modules};

const LIB: &str = include_str!("../../nix-eval/src/prelude/lib.nix");

/// Special arguments: `inputs`, flake inputs as hm sees them (known only to Nix).
fn inputs_arg() -> Attrs {
    let mut args = Attrs::default();
    args.entries.insert(
        "inputs".into(),
        nix_eval::Attr {
            value: nix_eval::Thunk::ready(Value::external_from("inputs", true, None)),
            key_span: None,
        },
    );
    args
}

/// Evaluates the modules listed in `/modules.nix` and returns `config.<path>` as JSON.
fn config_at(fixture: &str, path: &'static [&'static str]) -> Result<serde_json::Value, String> {
    evaluate(fixture, path, false)
}

/// [`config_at`] in an open configuration: options exist that the modules do not
/// declare, and modules the analyser does not read may add names anywhere.
fn open_config_at(
    fixture: &str,
    path: &'static [&'static str],
) -> Result<serde_json::Value, String> {
    evaluate(fixture, path, true)
}

fn evaluate(
    fixture: &str,
    path: &'static [&'static str],
    open: bool,
) -> Result<serde_json::Value, String> {
    let fixture = fixture.to_string();
    nix_eval::run_with_stack(move || {
        let mut sources = MemorySources::from_fixture(&fixture);
        sources.add_virtual(
            Path::new("/lib.nix"),
            LIB,
            std::sync::Arc::new(nix_syntax::parse(LIB)),
        );
        let mut eval = Eval::new(Box::new(sources), Limits::default());
        let lib = eval.lib();
        let list = eval.import_path(Path::new("/modules.nix"), None);
        let Value::List(list) = list else {
            return Err("modules.nix is not a list".into());
        };
        let modules = list
            .items
            .iter()
            .map(|t| ModuleInput::new(t.clone(), None))
            .collect();
        let ms = eval_modules(
            &mut eval,
            EvalModules {
                modules,
                special_args: Rc::new(inputs_arg()),
                lib,
                open,
                unread_names: nix_modules::UnreadNames::Anywhere,
            },
        );
        let path: Vec<Rc<str>> = path.iter().map(|p| Rc::from(*p)).collect();
        let value = ms.value_at(&mut eval, &path);
        eval.force_deep(&value, 16);
        eval.to_json(&value).map_err(|v| {
            v.as_unknown()
                .map(|u| u.reason.to_string())
                .unwrap_or_else(|| "not JSON".into())
        })
    })
}

#[test]
fn option_default_decides_mkif_in_another_module() {
    let fixture = r#"
#- /modules.nix
[ ./a.nix ./b.nix ./c.nix ]
#- /a.nix
{ lib, ... }: { options.my.enable = lib.mkEnableOption "mine"; }
#- /b.nix
{ config, lib, ... }: { config = lib.mkIf config.my.enable { x = 1; }; }
#- /c.nix
{ config, lib, ... }: { y = lib.mkIf (!config.my.enable) 2; }
"#;
    assert_eq!(config_at(fixture, &["y"]), Ok(serde_json::json!(2)));
    assert!(
        config_at(fixture, &["x"]).is_err(),
        "x is behind a false condition"
    );
}

#[test]
fn option_set_elsewhere_enables() {
    let fixture = r#"
#- /modules.nix
[ ./a.nix ./b.nix { my.enable = true; } ]
#- /a.nix
{ lib, ... }: { options.my.enable = lib.mkOption { type = lib.types.bool; default = false; }; }
#- /b.nix
{ config, lib, ... }: { config = lib.mkIf config.my.enable { services.a.ExecStart = "/bin/a"; }; }
"#;
    assert_eq!(
        config_at(fixture, &["services"]),
        Ok(serde_json::json!({ "a": { "ExecStart": "/bin/a" } }))
    );
}

#[test]
fn priorities_pick_like_nix() {
    let fixture = r#"
#- /modules.nix
[ ({ lib, ... }: { a = lib.mkDefault 1; b = lib.mkForce 3; c = 5; })
  ({ lib, ... }: { a = 2; b = 4; c = lib.mkOverride 200 6; }) ]
"#;
    assert_eq!(config_at(fixture, &["a"]), Ok(serde_json::json!(2)));
    assert_eq!(config_at(fixture, &["b"]), Ok(serde_json::json!(3)));
    assert_eq!(config_at(fixture, &["c"]), Ok(serde_json::json!(5)));
}

#[test]
fn lists_concatenate_in_order_and_merge_is_lazy() {
    let fixture = r#"
#- /modules.nix
[ ({ lib, ... }: { l = lib.mkAfter [ 3 ]; }) ({ lib, ... }: { l = [ 1 ]; }) ({ lib, ... }: { l = lib.mkBefore [ 0 ]; })
  ({ lib, ... }: { imports = [ ./m.nix ]; }) ]
#- /m.nix
{ lib, ... }: { l = lib.mkMerge [ [ 2 ] (lib.mkIf false [ 99 ]) ]; }
"#;
    assert_eq!(
        config_at(fixture, &["l"]),
        Ok(serde_json::json!([0, 1, 2, 3]))
    );
}

#[test]
fn unknown_condition_stays_unknown() {
    let fixture = r#"
#- /modules.nix
[ ({ lib, osConfig, ... }: { x = lib.mkIf osConfig.services.foo.enable 1; }) ]
"#;
    let result = config_at(fixture, &["x"]);
    assert!(result.is_err(), "{result:?}");
}

#[test]
fn module_args_come_from_module_args_option() {
    let fixture = r#"
#- /modules.nix
[ { _module.args.username = "alice"; } ({ username, ... }: { home.username = username; }) ]
"#;
    assert_eq!(
        config_at(fixture, &["home", "username"]),
        Ok(serde_json::json!("alice"))
    );
}

#[test]
fn user_names_from_option_values_resolve_through_the_fixpoint() {
    let fixture = r#"
#- /modules.nix
[ ./opts.nix { my.username = "bob"; } ({ config, ... }: { users.${config.my.username}.home = "/home/${config.my.username}"; }) ]
#- /opts.nix
{ lib, ... }: { options.my.username = lib.mkOption { type = lib.types.str; }; }
"#;
    assert_eq!(
        config_at(fixture, &["users"]),
        Ok(serde_json::json!({ "bob": { "home": "/home/bob" } }))
    );
}

#[test]
fn disabled_modules_are_removed() {
    let fixture = r#"
#- /modules.nix
[ ./a.nix { disabledModules = [ ./a.nix ]; b = 1; } ]
#- /a.nix
{ a = 1; }
"#;
    assert!(config_at(fixture, &["a"]).is_err());
}

#[test]
fn a_string_naming_an_absolute_path_is_a_module_path() {
    let fixture = r#"
#- /modules.nix
[ { imports = [ "/${"m"}.nix" ]; } ]
#- /m.nix
{ a = 1; }
"#;
    assert_eq!(config_at(fixture, &["a"]), Ok(serde_json::json!(1)));
}

#[test]
fn module_args_used_in_a_condition_of_another_module() {
    // `helpers` comes from `_module.args` and reads `config`; a module whose whole `config`
    // is behind a condition on it is pushed down, not decided while `config` is built
    // (which made every condition on `helpers` an infinite recursion, hence unknown).
    let fixture = r#"
#- /modules.nix
[ ./args.nix ./gated.nix ./user.nix ]
#- /args.nix
{ config, lib, ... }: {
  options.host = lib.mkOption { type = lib.types.str; };
  config._module.args.helpers = { isHost = hosts: lib.elem config.host hosts; };
}
#- /gated.nix
{ lib, helpers, ... }: {
  config = lib.mkIf (helpers.isHost [ "other" ]) { x = 1; };
}
#- /user.nix
{ config, lib, helpers, ... }: {
  s.other = lib.mkIf (config.host == "atrius") { a = 2; };
  host = "atrius";
  y = lib.mkIf (helpers.isHost [ "skrye" ]) 1;
  z = if helpers.isHost [ "atrius" ] then 2 else 3;
  s.sync = lib.mkIf (helpers.isHost [ "skrye" ]) { a = 1; };

}
"#;
    assert_eq!(
        config_at(fixture, &["s", "other"]),
        Ok(serde_json::json!({ "a": 2 }))
    );
    // Defined only under a false condition: nothing there (an error when read).
    let sync = config_at(fixture, &["s", "sync"]);
    assert!(
        sync.as_ref()
            .is_err_and(|e| e.contains("is used but not defined")),
        "{sync:?}"
    );
    assert_eq!(config_at(fixture, &["z"]), Ok(serde_json::json!(2)));
}

#[test]
fn flattened_imports_keep_modules_of_flake_inputs() {
    // `lib.flatten` asks `isList` of each item: a flake's `nixosModules.<name>` is a
    // module by the flake output schema, never a list, so the rest of the list is known.
    let fixture = r#"
#- /modules.nix
[ ./host.nix ]
#- /host.nix
{ lib, inputs, ... }: {
  imports = lib.flatten [
    inputs.hardware.nixosModules.common-cpu-amd
    [ ./a.nix [ ./b.nix ] ]
  ];
}
#- /a.nix
{ x = 1; }
#- /b.nix
{ y = 2; }
"#;
    assert_eq!(config_at(fixture, &["x"]), Ok(serde_json::json!(1)));
    assert_eq!(config_at(fixture, &["y"]), Ok(serde_json::json!(2)));
}

#[test]
fn submodule_values_are_their_own_module_evaluation() {
    // Options and defaults of the submodule, its `name` argument, its own `config`,
    // a `coercedTo` definition converted first, and a definition behind `mkIf`.
    let fixture = r#"
#- /modules.nix
[ ./people.nix
  ({ lib, ... }: { people.alice.editor = "hx"; people.bob = ./bob; people.carol = lib.mkIf false { editor = "x"; }; }) ]
#- /people.nix
{ lib, ... }:
let
  person = { name, config, ... }: {
    options.editor = lib.mkOption { type = lib.types.str; default = "vi"; };
    options.source = lib.mkOption { type = lib.types.nullOr lib.types.path; default = null; };
    options.greeting = lib.mkOption { type = lib.types.str; readOnly = true; };
    config.greeting = "${name} uses ${config.editor}";
  };
in
{
  options.people = lib.mkOption {
    type = lib.types.attrsOf (lib.types.coercedTo lib.types.path (p: { source = p; editor = "ed"; }) (lib.types.submodule person));
    default = { };
  };
}
"#;
    assert_eq!(
        config_at(fixture, &["people", "alice", "greeting"]),
        Ok(serde_json::json!("alice uses hx"))
    );
    assert_eq!(
        config_at(fixture, &["people", "bob", "greeting"]),
        Ok(serde_json::json!("bob uses ed"))
    );
    assert!(
        config_at(fixture, &["people", "carol", "greeting"]).is_err(),
        "carol is behind a false condition"
    );
}

#[test]
fn deferred_module_definitions_are_imported_together() {
    let fixture = r#"
#- /modules.nix
[ ({ lib, ... }: { options.profile = lib.mkOption { type = lib.types.deferredModule; }; })
  { profile.a = 1; }
  { profile.b = 2; } ]
"#;
    assert_eq!(
        config_at(fixture, &["profile"]),
        Ok(serde_json::json!({ "imports": [ { "a": 1 }, { "b": 2 } ] }))
    );
}

#[test]
fn options_argument_gives_definitions_for_aliases() {
    // `mkAliasDefinitions options.hm` copies the definitions of `hm` (from every module).
    let fixture = r#"
#- /modules.nix
[ ./alias.nix
  { imports = [ ./extra.nix ]; }
  { hm.a = 1; } ]
#- /alias.nix
{ lib, options, ... }: {
  options.hm = lib.mkOption { type = lib.types.attrs; default = { }; };
  config.target = lib.mkAliasDefinitions options.hm;
}
#- /extra.nix
{ hm.c = 3; }
"#;
    assert_eq!(
        config_at(fixture, &["target"]),
        Ok(serde_json::json!({ "a": 1, "c": 3 }))
    );
}

/// An option the files declare, set only in the files: another flake's module (which hm
/// cannot read) does not know it, so its names are all there; one of the files' own
/// modules that cannot be read might set it.
#[test]
fn another_flakes_module_adds_no_names_to_options_the_files_declare() {
    let users = r#"
#- /users.nix
{ lib, ... }: {
  options.my.users = lib.mkOption { type = lib.types.attrsOf lib.types.attrs; default = { }; };
}
#- /names.nix
{ config, ... }: { names = builtins.attrNames config.my.users; }
"#;
    let from_input = format!(
        "#- /modules.nix\n[ ./users.nix ./names.nix {{ my.users.alice = {{ }}; }} \
         ({{ inputs, ... }}: {{ imports = [ inputs.hardware.nixosModules.laptop ]; }}) ]\n{users}"
    );
    assert_eq!(
        open_config_at(&from_input, &["names"]),
        Ok(serde_json::json!(["alice"]))
    );
    // Options the files do not declare stay open to it.
    let undeclared = from_input.replace(
        "./names.nix",
        "{ config, ... }: { names = builtins.attrNames config.other; }",
    );
    assert!(open_config_at(&undeclared, &["names"]).is_err());
    let own_unread = format!(
        "#- /modules.nix\n[ ./users.nix ./names.nix {{ my.users.alice = {{ }}; }} \
         ({{ config, ... }}: {{ imports = [ config.my.extra ]; }}) ]\n{users}"
    );
    assert!(open_config_at(&own_unread, &["names"]).is_err());
}

/// An attribute of `lazyAttrsOf (lazyAttrsOf deferredModule)` (flake-parts'
/// `flake.modules`) defined by a set and by a function merges as a deferred module: one
/// module importing both, not the last definition.
#[test]
fn attributes_merge_as_the_element_type_says() {
    let fixture = r#"
#- /modules.nix
[ ./decl.nix ./a.nix ./b.nix ./count.nix ]
#- /decl.nix
{ lib, ... }: {
  options.m = lib.mkOption {
    type = lib.types.lazyAttrsOf (lib.types.lazyAttrsOf lib.types.deferredModule);
    default = { };
  };
}
#- /a.nix
{ m.nixos.desk = { x = 1; }; }
#- /b.nix
{ m.nixos.desk = { config, ... }: { y = 2; }; }
#- /count.nix
{ config, ... }: { n = builtins.length config.m.nixos.desk.imports; }
"#;
    assert_eq!(config_at(fixture, &["n"]), Ok(serde_json::json!(2)));
}
