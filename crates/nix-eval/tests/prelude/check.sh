#!/usr/bin/env bash
# Checks hm's Nix prelude (crates/nix-eval/src/prelude) with real Nix.
#
#   (a) always: cases.nix evaluates against the prelude (nix-instantiate --eval --strict --json);
#   (b) when NIXPKGS_LIB points at a nixpkgs checkout (the directory holding lib/) or at lib/
#       itself: every case is compared with the real lib's result, and prints
#       "N passed, N failed". FLAKE_UTILS and FLAKE_PARTS may point at checkouts of
#       numtide/flake-utils and hercules-ci/flake-parts, HM_SRC at a Home Manager checkout;
#       their cases are skipped otherwise.
#
# Downloads nothing. Needs nix-instantiate on PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prelude="$(cd "$here/../../src/prelude" && pwd)"
cases="$here/cases.nix"

if ! command -v nix-instantiate >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "check.sh: nix-instantiate is missing" >&2
    exit 1
  fi
  echo "check.sh: skipped, nix-instantiate is not installed" >&2
  exit 0
fi

offline_conf="$here/../../../../nix/offline.conf"
if [ -z "${NIX_CONFIG:-}" ] && [ -f "$offline_conf" ]; then
  NIX_CONFIG="$(cat "$offline_conf")"
  export NIX_CONFIG
fi

nix_eval() {
  nix-instantiate --eval --strict --json --show-trace "$@"
}

# Cases the real lib cannot evaluate on this Nix: its pathType and fileset need
# builtins.readFileType (Nix >= 2.14). lib.version and similar are only checked for their
# shape in cases.nix.
excluded='[ "pathType" "fileset" ]'

ours="let lib = import $prelude/lib.nix; in import $cases {
  inherit lib;
  flake-utils = import $prelude/flake-utils.nix lib;
  flake-parts = import $prelude/flake-parts.nix lib;
  hm = import $prelude/hm.nix lib;
}"

# (a) the prelude evaluates every case.
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
if ! nix_eval -E "$ours" >"$out"; then
  echo "check.sh: cases.nix does not evaluate against the prelude" >&2
  exit 1
fi
n_cases="$(nix_eval -E "builtins.length (builtins.attrNames ($ours))")"
echo "prelude: all $n_cases cases evaluate"

# (b) compare with the real libraries.
if [ -z "${NIXPKGS_LIB:-}" ]; then
  echo "check.sh: NIXPKGS_LIB not set, comparison with the real lib skipped"
  exit 0
fi
real_lib="$NIXPKGS_LIB"
[ -f "$real_lib/lib/default.nix" ] && real_lib="$real_lib/lib"

real_fu=null
if [ -n "${FLAKE_UTILS:-}" ]; then
  # flake-utils' flake passes nix-systems/default as defaultSystems.
  real_fu="(import $FLAKE_UTILS/lib.nix { defaultSystems = [ \"aarch64-darwin\" \"aarch64-linux\" \"x86_64-darwin\" \"x86_64-linux\" ]; })"
  real_fu="{ lib = $real_fu; }"
else
  echo "check.sh: FLAKE_UTILS not set, flake-utils cases skipped"
fi
real_fp=null
if [ -n "${FLAKE_PARTS:-}" ]; then
  # flake-parts' flake.nix: every modules/*.nix is a builtin module, extras/*.nix extra ones.
  real_fp="let
      nixFiles = dir: builtins.listToAttrs (map (f: { name = builtins.substring 0 (builtins.stringLength f - 4) f; value = dir + \"/\${f}\"; })
        (builtins.filter (f: builtins.match \".*[.]nix\" f != null) (builtins.attrNames (builtins.readDir dir))));
      builtinModules = nixFiles $FLAKE_PARTS/modules;
      extraModules = nixFiles $FLAKE_PARTS/extras;
    in {
      lib = import $FLAKE_PARTS/lib.nix { lib = import $real_lib; inherit builtinModules extraModules; };
      flakeModules = builtinModules // extraModules;
    }"
else
  echo "check.sh: FLAKE_PARTS not set, flake-parts cases skipped"
fi

real_hm=null
if [ -n "${HM_SRC:-}" ]; then
  real_hm="(import $HM_SRC/modules/lib/stdlib-extended.nix (import $real_lib)).hm"
else
  echo "check.sh: HM_SRC not set, lib.hm cases skipped"
fi

theirs="import $cases { lib = import $real_lib; flake-utils = $real_fu; flake-parts = $real_fp; hm = $real_hm; }"

compare="let
  ours = $ours;
  theirs = $theirs;
  excluded = $excluded;
  run = v: let r = builtins.tryEval (builtins.deepSeq v v); in if r.success then { value = r.value; } else { error = \"evaluation failed\"; };
  names = builtins.filter (n: !builtins.elem n excluded && theirs ? \${n}) (builtins.attrNames ours);
  results = map (n: let a = run ours.\${n}; b = run theirs.\${n}; in { name = n; ok = a == b && a ? value; ours = a; real = b; }) names;
  failed = builtins.filter (r: !r.ok) results;
in {
  passed = builtins.length results - builtins.length failed;
  failed = builtins.length failed;
  skipped = builtins.length (builtins.attrNames ours) - builtins.length names;
  failures = failed;
}"

# The report as plain text (nix eval --raw prints a string without JSON quoting).
nix --extra-experimental-features nix-command eval --impure --raw --expr "let r = $compare; in
  builtins.concatStringsSep \"\" (map (f: \"FAIL \${f.name}\n  prelude: \${builtins.toJSON f.ours}\n  real:    \${builtins.toJSON f.real}\n\") r.failures)
  + \"\${toString r.passed} passed, \${toString r.failed} failed, \${toString r.skipped} skipped\n\"" | tee "$out"
grep -q ' 0 failed,' "$out"
