#!/bin/bash
# Runs the home-module oracle on every line of home-modules.txt (offline; nothing is downloaded).
# Env: CORPUS (unpacked repositories, required), ORACLE (default ../shared/oracle beside the repo),
#      ORACLE_NIXPKGS_LIB, ORACLE_HOME_MANAGER (checkouts), OUT (default ./oracle-home).
set -u
here=$(cd "$(dirname "$0")" && pwd)
CORPUS=${CORPUS:?set CORPUS to the directory of unpacked repositories}
ORACLE=${ORACLE:-$here/../../../shared/oracle}
OUT=${OUT:-./oracle-home}
: "${ORACLE_NIXPKGS_LIB:?set ORACLE_NIXPKGS_LIB to a nixpkgs.lib checkout}"
: "${ORACLE_HOME_MANAGER:?set ORACLE_HOME_MANAGER to a Home Manager checkout}"; export ORACLE_NIXPKGS_LIB ORACLE_HOME_MANAGER
export NIX_CONFIG="${NIX_CONFIG:-$(cat "$here/../../nix/offline.conf")}"
mkdir -p "$OUT"
grep -v '^#' "$here/home-modules.txt" | while read -r dir rel; do
  [ -n "$dir" ] || continue
  slug=$(echo "$rel" | sed 's#/#_#g; s#\.nix$##')
  timeout 900 "$ORACLE/oracle.sh" home "$CORPUS/$dir/$rel" --root "$CORPUS/$dir" \
    > "$OUT/$dir.home.$slug.oracle.json" 2> "$OUT/$dir.home.$slug.oracle.err"
  echo "$dir $rel rc=$?"
done
