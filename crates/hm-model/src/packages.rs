//! nixpkgs' package sets as the analyser models them: the platform is known from the
//! `system` a configuration names (`nixpkgs.legacyPackages.x86_64-linux`,
//! `import nixpkgs { system = …; }`, `nixosSystem { system = …; }`), so
//! `lib.mkIf pkgs.stdenv.isLinux` is decided; every package is a name from outside.

use nix_eval::{Attr, Attrs, Eval, Thunk, Value};

use crate::inputs::{mk_default, open, ready};

/// The systems nixpkgs' flake lists packages for (`legacyPackages.<system>`).
const SYSTEMS: &[&str] = &[
    "x86_64-linux",
    "aarch64-linux",
    "x86_64-darwin",
    "aarch64-darwin",
    "i686-linux",
    "armv6l-linux",
    "armv7l-linux",
    "riscv64-linux",
    "powerpc64le-linux",
];

/// What nixpkgs' `lib.systems` says of a platform, for the predicates configurations
/// test (`isLinux`, `isDarwin`, `isx86_64`, `isAarch64`, …); others stay unknown.
fn platform(base: &str, system: &str) -> Value {
    let (arch, kernel) = system.split_once('-').unwrap_or((system, ""));
    let x86_64 = arch == "x86_64";
    let i686 = arch == "i686";
    let aarch64 = arch == "aarch64";
    let linux = kernel == "linux";
    let darwin = kernel == "darwin";
    let is64bit = matches!(arch, "x86_64" | "aarch64" | "riscv64" | "powerpc64le");
    let mut attrs = Attrs::default();
    attrs
        .entries
        .insert("system".into(), ready(Value::string(system, None)));
    for (name, value) in [
        ("isLinux", linux),
        ("isDarwin", darwin),
        ("isMacOS", darwin),
        ("isUnix", linux || darwin),
        ("isx86_64", x86_64),
        ("isi686", i686),
        ("isx86", x86_64 || i686),
        ("isAarch64", aarch64),
        ("is64bit", is64bit),
        ("is32bit", !is64bit),
    ] {
        attrs.entries.insert(name.into(), ready(Value::Bool(value)));
    }
    open(base, attrs)
}

/// The package set for `system`: `system`, `lib`, `stdenv` and the platforms known,
/// every other name (a package, a builder) from outside, called `pkgs.<name>`.
pub(crate) fn package_set(eval: &mut Eval, system: &str) -> Value {
    let host = platform("pkgs.stdenv.hostPlatform", system);
    let mut stdenv = Attrs::default();
    if let Value::Attrs(p) = &host {
        for name in [
            "isLinux",
            "isDarwin",
            "isx86_64",
            "isi686",
            "isAarch64",
            "is64bit",
        ] {
            if let Some(attr) = p.get(name) {
                stdenv.entries.insert(name.into(), attr.clone());
            }
        }
    }
    stdenv
        .entries
        .insert("system".into(), ready(Value::string(system, None)));
    for name in ["hostPlatform", "buildPlatform", "targetPlatform"] {
        stdenv.entries.insert(name.into(), ready(host.clone()));
    }
    let mut pkgs = Attrs::default();
    pkgs.entries
        .insert("system".into(), ready(Value::string(system, None)));
    pkgs.entries.insert("lib".into(), ready(eval.lib()));
    pkgs.entries
        .insert("stdenv".into(), ready(open("pkgs.stdenv", stdenv)));
    for name in ["hostPlatform", "buildPlatform", "targetPlatform"] {
        pkgs.entries.insert(name.into(), ready(host.clone()));
    }
    open("pkgs", pkgs)
}

/// `<nixpkgs input>.legacyPackages`: a package set for each system nixpkgs lists.
pub(crate) fn legacy_packages(input: &str) -> Value {
    let mut attrs = Attrs::default();
    for system in SYSTEMS {
        attrs.entries.insert(
            (*system).into(),
            Attr {
                value: Thunk::native(move |eval| package_set(eval, system)),
                key_span: None,
            },
        );
    }
    open(&format!("{input}.legacyPackages"), attrs)
}

/// The system a package set is for, when known: a modelled set's `system`, or
/// `import nixpkgs { system = …; }` (or `localSystem`) of an input hm does not read.
pub(crate) fn system_of(eval: &mut Eval, pkgs: &Value) -> Option<String> {
    let system_in = |eval: &mut Eval, value: &Value| -> Option<String> {
        let attrs = value.as_attrs()?;
        let system = match attrs.get("system") {
            Some(s) => s.value.clone(),
            None => {
                let local = attrs.get("localSystem")?.value.clone();
                match eval.force(&local) {
                    Value::Attrs(l) => l.get("system")?.value.clone(),
                    other => Thunk::ready(other),
                }
            }
        };
        eval.force(&system).as_str().map(|s| s.to_string())
    };
    match pkgs {
        Value::Unknown(u) => {
            let named = u.external_name().and_then(|n| {
                n.split('.')
                    .find(|part| SYSTEMS.contains(part) || part.ends_with("-darwin"))
                    .map(str::to_string)
            });
            named.or_else(|| {
                let arg = u.args.first()?.clone();
                let arg = eval.force(&arg);
                system_in(eval, &arg)
            })
        }
        known => system_in(eval, known),
    }
}

/// The system a NixOS or nix-darwin host names in its own modules when its call names
/// none: `nixpkgs.hostPlatform` (a system string, as `nixos-generate-config` writes it,
/// or a platform set with `system`), else `nixpkgs.system`. `config` is the host's.
pub(crate) fn host_system(eval: &mut Eval, config: &Value) -> Option<String> {
    let nixpkgs = eval.select(config, "nixpkgs", None)?;
    let defined = nixpkgs.as_attrs()?.clone();
    // The first the files define decides, even when only Nix knows its value.
    let name = ["hostPlatform", "system"]
        .into_iter()
        .find(|name| defined.get(name).is_some())?;
    let value = eval.select(&nixpkgs, name, None)?;
    let system = match value {
        Value::Attrs(platform) => {
            let system = platform.get("system")?.value.clone();
            eval.force(&system)
        }
        other => other,
    };
    system.as_str().map(|s| s.to_string())
}

/// `{ _module.args.pkgs = pkgs; }`: the module giving modules their `pkgs` argument.
pub(crate) fn packages_module(pkgs: Value) -> Value {
    let mut module_args = Attrs::default();
    module_args.entries.insert("pkgs".into(), ready(pkgs));
    let mut module = Attrs::default();
    module
        .entries
        .insert("args".into(), ready(Value::attrs(module_args)));
    let mut top = Attrs::default();
    top.entries
        .insert("_module".into(), ready(Value::attrs(module)));
    Value::attrs(top)
}

/// A module giving a host's modules `pkgs` for the system its configuration names (see
/// [`host_system`]), as nixpkgs' own `nixpkgs` module does when the call names neither
/// `system` nor `pkgs`; at `mkDefault` priority, under a definition of the user's.
pub(crate) fn host_packages_module() -> Value {
    Value::native(
        "nixpkgs.hostPlatform",
        1,
        Box::new(|eval, args, _| {
            let args = args[0].clone();
            let pkgs = eval.lazy(move |eval| {
                let args = eval.force(&args);
                let system = eval
                    .select(&args, "config", None)
                    .and_then(|config| host_system(eval, &config));
                match system {
                    Some(system) => package_set(eval, &system),
                    None => Value::external("pkgs", None),
                }
            });
            packages_module(mk_default(pkgs))
        }),
    )
}
