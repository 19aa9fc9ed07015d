# hm's prelude for numtide/flake-utils: our own code with the behaviour of its
# `lib` (see README.md). `lib` is hm's nixpkgs lib prelude.
lib:
let
  # nix-systems/default, which flake-utils' flake passes as `defaultSystems`.
  defaultSystems = [ "aarch64-darwin" "aarch64-linux" "x86_64-darwin" "x86_64-linux" ];

  # The systems nixpkgs knows (flake-utils' allSystems.nix).
  allSystems = [
    "aarch64-darwin" "aarch64-genode" "aarch64-linux" "aarch64-netbsd" "aarch64-none"
    "aarch64_be-none" "arm-none" "armv5tel-linux" "armv6l-linux" "armv6l-netbsd" "armv6l-none"
    "armv7a-darwin" "armv7a-linux" "armv7a-netbsd" "armv7l-linux" "armv7l-netbsd" "avr-none"
    "i686-cygwin" "i686-darwin" "i686-freebsd13" "i686-genode" "i686-linux" "i686-netbsd"
    "i686-none" "i686-openbsd" "i686-windows" "javascript-ghcjs" "m68k-linux" "m68k-netbsd"
    "m68k-none" "microblaze-linux" "microblaze-none" "microblazeel-linux" "microblazeel-none"
    "mips64el-linux" "mipsel-linux" "mipsel-netbsd" "mmix-mmixware" "msp430-none" "or1k-none"
    "powerpc-netbsd" "powerpc-none" "powerpc64-linux" "powerpc64le-linux" "powerpcle-none"
    "riscv32-linux" "riscv32-netbsd" "riscv32-none" "riscv64-linux" "riscv64-netbsd"
    "riscv64-none" "rx-none" "s390-linux" "s390-none" "s390x-linux" "s390x-none" "vc4-none"
    "wasm32-wasi" "wasm64-wasi" "x86_64-cygwin" "x86_64-darwin" "x86_64-freebsd13"
    "x86_64-genode" "x86_64-linux" "x86_64-netbsd" "x86_64-none" "x86_64-openbsd" "x86_64-redox"
    "x86_64-solaris" "x86_64-windows"
  ];

  system = builtins.listToAttrs (map (s: { name = s; value = s; }) allSystems);

  # { <attr> = value; } per system  ->  { <attr>.<system> = value; }
  # flake-utils also adds builtins.currentSystem under `--impure`; flakes evaluate purely,
  # where it does not exist, so the prelude never adds it.
  eachSystem =
    systems: f:
    builtins.foldl' (
      acc: sys:
      let
        ret = f sys;
      in
      builtins.foldl' (a: key: a // { ${key} = (a.${key} or { }) // { ${sys} = ret.${key}; }; }) acc (
        builtins.attrNames ret
      )
    ) { } systems;

  eachSystemMap = systems: f: lib.genAttrs systems f;

  isDrv = v: builtins.isAttrs v && v.type or null == "derivation";

  flattenTree =
    tree:
    let
      go =
        acc: path: val:
        if !builtins.isAttrs val then
          acc
        else if isDrv val then
          acc // { ${builtins.concatStringsSep "/" path} = val; }
        else if val.recurseForDerivations or false == true then
          walk acc path val
        else
          acc;
      walk = acc: path: set: builtins.foldl' (a: k: go a (path ++ [ k ]) set.${k}) acc (builtins.attrNames set);
    in
    walk { } [ ] tree;

  filterPackages =
    sys: packages:
    lib.filterAttrs (
      _: v:
      isDrv v
      && !(v.meta.broken or false)
      && builtins.elem sys (v.meta.platforms or allSystems)
      && !builtins.elem sys (v.meta.badPlatforms or [ ])
    ) packages;

  meld = inputs: builtins.foldl' (out: sub: lib.recursiveUpdate out (import sub inputs)) { };

  mkApp =
    {
      drv,
      name ? drv.pname or drv.name,
      exePath ? drv.passthru.exePath or "/bin/${name}",
    }:
    {
      type = "app";
      program = "${drv}${exePath}";
    };

  eachDefaultSystem = eachSystem defaultSystems;
  eachDefaultSystemMap = eachSystemMap defaultSystems;
in
{
  lib = {
    inherit
      allSystems defaultSystems eachDefaultSystem eachSystem eachDefaultSystemMap eachSystemMap
      filterPackages flattenTree meld mkApp system
      ;
  };
}
