//! A flake's inputs as the analyser sees them: nixpkgs gives the prelude `lib` with
//! `nixosSystem`, Home Manager gives `homeManagerConfiguration`, nix-darwin
//! `darwinSystem`, flake-utils, flake-parts and import-tree their prelude versions; the flake
//! modules that only extend `perSystem` (treefmt-nix, devshell, git-hooks.nix) add nothing
//! else to a flake; `import` of a nix-systems flake is its list of systems; everything else
//! an input holds is unknown (named after it). Inputs are recognised by URL, then name.

use std::cell::RefCell;
use std::rc::Rc;

use nix_eval::{Attr, Attrs, Eval, Prelude, Reason, Thunk, Unknown, Value};
use nix_modules::ModuleInput;

use crate::configurations::{ConfigKind, Found, configuration};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum InputKind {
    Nixpkgs,
    HomeManager,
    Darwin,
    FlakeUtils,
    FlakeParts,
    ImportTree,
    /// A flake whose `flakeModule` only declares options below flake-parts' `perSystem`.
    PerSystemModule,
    /// A nix-systems flake: its `default.nix` is a list of systems.
    Systems(&'static [&'static str]),
    Other,
}

/// The systems `import` of `github:nix-systems/<repository>` gives (its `default.nix`),
/// when the repository is one of those.
fn nix_systems(url: &str) -> Option<&'static [&'static str]> {
    const ALL: &[&str] = &[
        "aarch64-darwin",
        "aarch64-linux",
        "x86_64-darwin",
        "x86_64-linux",
    ];
    let repository = url
        .split("nix-systems/")
        .nth(1)?
        .split(['/', '?', '#'])
        .next()?;
    Some(match repository {
        "default" => ALL,
        "default-linux" => &["aarch64-linux", "x86_64-linux"],
        "default-darwin" => &["aarch64-darwin", "x86_64-darwin"],
        // One system each: `github:nix-systems/x86_64-linux`.
        one => std::slice::from_ref(ALL.iter().find(|s| **s == one)?),
    })
}

/// Flakes (by repository) whose `flakeModule` declares `perSystem` options and defines
/// nothing else, as their sources read: what it adds to the flake's outputs are
/// per-system outputs (`checks`, `formatter`, `devShells`), which flake-parts' own modules
/// add anyway.
const PER_SYSTEM_MODULES: &[&str] = &[
    "numtide/treefmt-nix",
    "numtide/devshell",
    "cachix/git-hooks.nix",
    "cachix/pre-commit-hooks.nix",
];

/// Where NixOS's channels publish nixpkgs as tarballs
/// (`https://channels.nixos.org/nixos-25.05/nixexprs.tar.xz`).
const NIXPKGS_CHANNELS: &[&str] = &[
    "channels.nixos.org/",
    "nixos.org/channels/",
    "releases.nixos.org/nixos/",
    "releases.nixos.org/nixpkgs/",
];

fn kind(name: &str, url: Option<&str>) -> InputKind {
    let url = url.unwrap_or("").to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    let either = |needle: &str| url.contains(needle) || (url.is_empty() && name.contains(needle));
    if let Some(systems) = nix_systems(&url) {
        InputKind::Systems(systems)
    } else if PER_SYSTEM_MODULES.iter().any(|repo| url.contains(repo)) {
        InputKind::PerSystemModule
    } else if either("home-manager") {
        InputKind::HomeManager
    } else if either("nix-darwin") || url.contains("lnl7/") || (url.is_empty() && name == "darwin")
    {
        InputKind::Darwin
    } else if either("flake-parts") {
        InputKind::FlakeParts
    } else if either("import-tree") {
        InputKind::ImportTree
    } else if either("flake-utils") && !url.contains("plus") {
        InputKind::FlakeUtils
    } else if either("nixpkgs")
        || url.contains("nixos/nixpkgs")
        || NIXPKGS_CHANNELS.iter().any(|host| url.contains(host))
        || (url.is_empty() && name == "nixos")
    {
        InputKind::Nixpkgs
    } else {
        InputKind::Other
    }
}

pub(crate) fn ready(value: Value) -> Attr {
    Attr {
        value: Thunk::ready(value),
        key_span: None,
    }
}

/// `lib.mkDefault content`: a definition any other one wins over.
pub(crate) fn mk_default(content: Thunk) -> Value {
    mk_override(1000, content)
}

/// `lib.mkOverride priority content`.
fn mk_override(priority: i64, content: Thunk) -> Value {
    let mut attrs = Attrs::default();
    attrs
        .entries
        .insert("_type".into(), ready(Value::string("override", None)));
    attrs
        .entries
        .insert("priority".into(), ready(Value::Int(priority)));
    attrs.entries.insert(
        "content".into(),
        Attr {
            value: content,
            key_span: None,
        },
    );
    Value::attrs(attrs)
}

/// A set whose other names are unknown values called `name.<attr>`.
pub(crate) fn open(name: &str, attrs: Attrs) -> Value {
    open_from(name, false, attrs)
}

/// [`open`], for a flake input's outputs when `from_input`.
fn open_from(name: &str, from_input: bool, mut attrs: Attrs) -> Value {
    attrs.unknown_names.push(Rc::new(Unknown::new(
        Reason::External {
            name: name.into(),
            from_input,
        },
        None,
    )));
    Value::attrs(attrs)
}

/// `lib` with Home Manager's `lib.hm`.
pub(crate) fn hm_lib(eval: &mut Eval) -> Value {
    let hm = eval.prelude_file(Prelude::Hm);
    with_lib(eval, vec![("hm", hm)])
}

/// The `lib` Home Manager's NixOS and nix-darwin modules give their users: the host's own
/// `lib` with `lib.hm` (`stdlib-extended.nix` of the host's `lib`), so what a host adds to
/// its `lib` (`specialArgs.lib = lib.extend …`) its users' modules see too. The prelude's
/// when the host's is not known to be nixpkgs' `lib` (its `mkIf` is not a known function).
pub(crate) fn host_hm_lib(eval: &mut Eval, host_lib: Option<Thunk>) -> Value {
    let base = host_lib.map(|t| eval.force(&t));
    match base {
        Some(Value::Attrs(a))
            if matches!(
                eval.select(&Value::Attrs(a.clone()), "mkIf", None),
                Some(Value::Lambda(_) | Value::PrimOp(..))
            ) =>
        {
            let hm = eval.prelude_file(Prelude::Hm);
            Value::attrs(with_names(&a, vec![("hm", hm)]))
        }
        _ => hm_lib(eval),
    }
}

/// The function that evaluates a configuration and adds it to `found`. It holds `found`
/// weakly: the configurations in `found` hold the function (through their `lib`), and a
/// strong reference would make a cycle no teardown breaks.
fn native(found: &Rc<RefCell<Found>>, kind: ConfigKind) -> Value {
    let found = Rc::downgrade(found);
    Value::native(
        kind.function(),
        1,
        Box::new(move |eval, args, span| match found.upgrade() {
            Some(found) => configuration(eval, &found, kind, args[0].clone(), span),
            // Only after the analysis, which owns `found`, is over: as if unmodelled.
            None => Value::unknown(
                Reason::External {
                    name: kind.function().into(),
                    from_input: false,
                },
                span,
            ),
        }),
    )
}

/// The prelude `lib` with `extra` names added, extensible as nixpkgs' is: its `extend`
/// extends this `lib` (`nixpkgs.lib.extend f` keeps `nixosSystem`), not the prelude's.
fn with_lib(eval: &mut Eval, extra: Vec<(&str, Value)>) -> Value {
    let lib = eval.lib();
    let attrs = match &lib {
        Value::Attrs(a) => with_names(a, extra),
        _ => with_names(&Attrs::default(), extra),
    };
    extensible(eval, &lib, attrs)
}

/// `base` with `extra` names added.
fn with_names(base: &Attrs, extra: Vec<(&str, Value)>) -> Attrs {
    let mut attrs = base.clone();
    for (k, v) in extra {
        attrs.entries.insert(k.into(), ready(v));
    }
    attrs
}

/// `lib.makeExtensible (_: attrs)`.
fn extensible(eval: &mut Eval, lib: &Value, attrs: Attrs) -> Value {
    let (Some(make), Some(constant)) = (
        eval.select(lib, "makeExtensible", None),
        eval.select(lib, "const", None),
    ) else {
        return Value::attrs(attrs);
    };
    let rattrs = eval.apply(constant, Thunk::ready(Value::attrs(attrs)), None);
    eval.apply(make, Thunk::ready(rattrs), None)
}

/// The value of input `name` (declared with `url`, if known).
pub(crate) fn input(
    eval: &mut Eval,
    found: &Rc<RefCell<Found>>,
    name: &str,
    url: Option<&str>,
) -> Value {
    let mut attrs = Attrs::default();
    let input_kind = kind(name, url);
    match input_kind {
        InputKind::Nixpkgs => {
            let lib = with_lib(
                eval,
                vec![("nixosSystem", native(found, ConfigKind::Nixos))],
            );
            attrs.entries.insert("lib".into(), ready(lib));
            attrs.entries.insert(
                "legacyPackages".into(),
                ready(crate::packages::legacy_packages(name)),
            );
        }
        InputKind::HomeManager => {
            let mut lib = Attrs::default();
            lib.entries.insert(
                "homeManagerConfiguration".into(),
                ready(native(found, ConfigKind::Home)),
            );
            let hm = hm_lib(eval);
            if let Some(h) = hm.as_attrs().and_then(|a| a.get("hm")) {
                lib.entries.insert("hm".into(), h.clone());
            }
            attrs.entries.insert("lib".into(), ready(Value::attrs(lib)));
            let mut modules = Attrs::default();
            for m in ["home-manager", "default"] {
                modules
                    .entries
                    .insert(m.into(), ready(Value::attrs(Attrs::default())));
            }
            let modules = Value::attrs(modules);
            for set in ["nixosModules", "darwinModules"] {
                attrs.entries.insert(set.into(), ready(modules.clone()));
            }
        }
        InputKind::Darwin => {
            let mut lib = Attrs::default();
            lib.entries.insert(
                "darwinSystem".into(),
                ready(native(found, ConfigKind::Darwin)),
            );
            attrs
                .entries
                .insert("lib".into(), ready(open(&format!("{name}.lib"), lib)));
        }
        InputKind::FlakeUtils => {
            if let Value::Attrs(a) = eval.prelude_file(Prelude::FlakeUtils) {
                attrs = (*a).clone();
            }
        }
        InputKind::FlakeParts => {
            // The flake modules users import (`flakeModules.modules`, `easyOverlay`, …)
            // from the prelude; `mkFlake` runs on the module layer.
            if let Value::Attrs(prelude) = eval.prelude_file(Prelude::FlakeParts)
                && let Some(modules) = prelude.get("flakeModules")
            {
                attrs.entries.insert("flakeModules".into(), modules.clone());
            }
            let mut lib = Attrs::default();
            lib.entries.insert("mkFlake".into(), ready(mk_flake()));
            attrs
                .entries
                .insert("lib".into(), ready(open(&format!("{name}.lib"), lib)));
        }
        InputKind::ImportTree => {
            if let Value::Attrs(a) = eval.prelude_file(Prelude::ImportTree) {
                attrs = (*a).clone();
            }
        }
        InputKind::PerSystemModule => {
            // Below flake-parts' `perSystem` only: as a module, it adds no name that
            // flake-parts' own per-system outputs do not already leave open.
            attrs
                .entries
                .insert("flakeModule".into(), ready(Value::attrs(Attrs::default())));
        }
        InputKind::Systems(_) | InputKind::Other => {}
    }
    let value = open_from(name, true, attrs);
    match input_kind {
        InputKind::Nixpkgs => {
            let imported = Thunk::ready(import_nixpkgs(name));
            eval.define_import(&value, imported);
        }
        InputKind::Systems(systems) => {
            let list = systems
                .iter()
                .map(|s| Thunk::ready(Value::string(*s, None)))
                .collect();
            eval.define_import(&value, Thunk::ready(Value::list(list, None)));
        }
        _ => {}
    }
    value
}

/// `import <nixpkgs input>`: nixpkgs' function from `{ system, config, overlays, … }` to
/// the package set, whose `lib` is nixpkgs' own. Overlays may replace anything, `lib`
/// included: with any, the set is only Nix's to know.
fn import_nixpkgs(input: &str) -> Value {
    let name = format!("import {input}");
    Value::native(
        &name.clone(),
        1,
        Box::new(move |eval, args, span| {
            let given = eval.force(&args[0]);
            let without_overlays = match &given {
                Value::Attrs(a) => match a.get("overlays").map(|o| eval.force(&o.value)) {
                    None => true,
                    Some(Value::List(l)) => l.items.is_empty(),
                    Some(_) => false,
                },
                _ => false,
            };
            match without_overlays
                .then(|| crate::packages::system_of(eval, &given))
                .flatten()
            {
                Some(system) => crate::packages::package_set(eval, &system),
                // Only Nix knows: `import nixpkgs` unknown, applied, as for any input.
                None => eval.apply(Value::external(name.as_str(), span), args[0].clone(), span),
            }
        }),
    )
}

/// The outputs flake-parts' core modules transpose from `perSystem` into `flake`.
const PER_SYSTEM_OUTPUTS: &[&str] = &[
    "packages",
    "apps",
    "checks",
    "devShells",
    "formatter",
    "legacyPackages",
];

/// flake-parts' `mkFlake { inputs, … } module`: the module system over the flake modules
/// (flake modules from other flakes are unknown and skipped, as for any module), whose
/// `flake` option is the flake's outputs.
fn mk_flake() -> Value {
    Value::native(
        "mkFlake",
        2,
        Box::new(|eval, args, span| {
            let mut special = Attrs::default();
            if let Value::Attrs(a) = eval.force(&args[0]) {
                for name in ["inputs", "self", "specialArgs"] {
                    if let Some(v) = a.get(name) {
                        special.entries.insert(name.into(), v.clone());
                    }
                }
                if let (None, Some(inputs)) = (a.get("self"), a.get("inputs")) {
                    let inputs = inputs.value.clone();
                    let self_ = Thunk::native(move |eval| {
                        let inputs = eval.force(&inputs);
                        eval.select(&inputs, "self", None).unwrap_or(Value::Null)
                    });
                    special.entries.insert(
                        "self".into(),
                        Attr {
                            value: self_,
                            key_span: None,
                        },
                    );
                }
            }
            // `withSystem` reads the `perSystem` modules: set once they are collected.
            let flake: Rc<RefCell<Option<nix_modules::WeakModules>>> = Rc::default();
            special
                .entries
                .insert("withSystem".into(), ready(with_system(flake.clone())));
            if let Some(extra) = special.entries.remove("specialArgs")
                && let Value::Attrs(a) = eval.force(&extra.value)
            {
                for (k, v) in &a.entries {
                    special.entries.insert(k.clone(), v.clone());
                }
            }
            let lib = eval.lib();
            let module = nix_modules::ModuleInput::new(args[1].clone(), span);
            let modules = nix_modules::eval_modules(
                eval,
                nix_modules::EvalModules {
                    modules: vec![module],
                    special_args: Rc::new(special),
                    lib,
                    open: true,
                    // flake-parts' own modules add only the per-system outputs.
                    unread_names: nix_modules::UnreadNames::Below(
                        PER_SYSTEM_OUTPUTS
                            .iter()
                            .map(|o| vec![Rc::from("flake"), Rc::from(*o)])
                            .collect(),
                    ),
                },
            );
            *flake.borrow_mut() = Some(modules.downgrade());
            modules.value_at(eval, &[Rc::from("flake")])
        }),
    )
}

/// flake-parts' `withSystem system f`: `f` gets the module arguments of the flake's
/// `perSystem` modules for `system` (`system`, `pkgs`, what `_module.args` adds); `config`,
/// `self'`, `inputs'` and the rest stay unknown.
fn with_system(flake: Rc<RefCell<Option<nix_modules::WeakModules>>>) -> Value {
    Value::native(
        "withSystem",
        2,
        Box::new(move |eval, args, span| {
            let per_system = flake.borrow().as_ref().and_then(|m| m.upgrade());
            let module_args = match per_system {
                Some(flake) => per_system_args(eval, &flake, &args[0]),
                None => system_arg(&args[0]),
            };
            let f = eval.force(&args[1]);
            eval.apply(f, Thunk::ready(open("perSystem", module_args)), span)
        }),
    )
}

/// `{ system = system; }`: what `perSystem` modules are given beside their `_module.args`.
fn system_arg(system: &Thunk) -> Attrs {
    let mut attrs = Attrs::default();
    attrs.entries.insert(
        "system".into(),
        Attr {
            value: system.clone(),
            key_span: None,
        },
    );
    attrs
}

/// The module arguments `perSystem` modules have for `system`: `_module.args` as they set
/// it, over flake-parts' default `pkgs` (the `nixpkgs` input's `legacyPackages.${system}`,
/// at `mkOptionDefault` priority), and `system`.
fn per_system_args(eval: &mut Eval, flake: &nix_modules::Modules, system: &Thunk) -> Attrs {
    let mut modules: Vec<ModuleInput> = flake
        .defs_at(eval, &[Rc::from("perSystem")])
        .into_iter()
        .map(|def| ModuleInput {
            span: def.span,
            value: Thunk::ready(def.value),
            conditions: def.conditions,
        })
        .collect();
    let (system_value, inputs) = (system.clone(), flake.special_arg("inputs"));
    let default_pkgs = eval.lazy(move |eval| {
        let system = eval.force(&system_value);
        let inputs = inputs.map(|i| eval.force(&i));
        let select = |eval: &mut Eval, value: Option<Value>, name: &str| {
            value.and_then(|v| eval.select(&v, name, None))
        };
        let nixpkgs = select(eval, inputs, "nixpkgs");
        let legacy = select(eval, nixpkgs, "legacyPackages");
        match system.as_str() {
            Some(s) => select(eval, legacy, &s).unwrap_or_else(|| Value::external("pkgs", None)),
            None => Value::external("pkgs", None),
        }
    });
    let default = crate::packages::packages_module(mk_override(1500, default_pkgs));
    modules.push(ModuleInput::new(Thunk::ready(default), None));
    let special = system_arg(system);
    let lib = eval.lib();
    let per_system = nix_modules::eval_modules(
        eval,
        nix_modules::EvalModules {
            modules,
            special_args: Rc::new(special.clone()),
            lib,
            open: true,
            unread_names: nix_modules::UnreadNames::Anywhere,
        },
    );
    let module_args = per_system.value_at(eval, &[Rc::from("_module"), Rc::from("args")]);
    let mut out = match module_args {
        Value::Attrs(a) => (*a).clone(),
        _ => Attrs::default(),
    };
    out.unknown_names.clear();
    for (name, value) in special.entries.iter() {
        out.entries.insert(name.clone(), value.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nix_systems_flakes_are_their_lists() {
        assert_eq!(
            nix_systems("github:nix-systems/default").map(<[_]>::len),
            Some(4)
        );
        assert_eq!(
            nix_systems("github:nix-systems/default-linux"),
            Some(&["aarch64-linux", "x86_64-linux"][..])
        );
        assert_eq!(
            nix_systems("github:nix-systems/x86_64-linux?ref=main"),
            Some(&["x86_64-linux"][..])
        );
        assert_eq!(nix_systems("github:nix-systems/triplet"), None);
        assert_eq!(nix_systems("github:numtide/flake-utils"), None);
    }

    #[test]
    fn channel_tarballs_are_nixpkgs() {
        for url in [
            "https://channels.nixos.org/nixos-25.05/nixexprs.tar.xz",
            "https://nixos.org/channels/nixos-unstable/nixexprs.tar.xz",
            "github:NixOS/nixpkgs/nixos-unstable",
        ] {
            assert!(
                matches!(kind("pkgs", Some(url)), InputKind::Nixpkgs),
                "{url}"
            );
        }
        assert!(matches!(
            kind("stable", Some("https://example.org/stable.tar.gz")),
            InputKind::Other
        ));
    }
}
