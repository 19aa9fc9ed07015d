#!/usr/bin/env bash
# Generates crates/hm-model/data/hm-options-older.tsv: the options of earlier Home Manager
# releases that the current data (hm-options.tsv) lacks or types differently. A
# configuration may lock any of them, so the checks do not report what one of them accepts.
# Run locally (not in CI); downloads nothing: the releases come from a Home Manager git
# directory's branches.
#
#   tools/hm-knowledge/older.sh HM_GIT_DIR NIXPKGS_LIB REAL_HM release-24.11 release-25.05 …
set -euo pipefail

git_dir=$(realpath "$1")
nixpkgs_lib=$(realpath "$2")
real_hm=$(realpath "$3")
shift 3
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../.." && pwd)/crates/hm-model/data

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tables=()
for branch in "$@"; do
  release=${branch#release-}
  mkdir -p "$work/$release/hm" "$work/$release/out"
  git --git-dir="$git_dir" archive "$branch" | tar -x -C "$work/$release/hm"
  echo "Home Manager $release" >&2
  OPTIONS_ONLY=1 OUT="$work/$release/out" "$here/generate.sh" "$work/$release/hm" \
    "$nixpkgs_lib" "$real_hm" "$git_dir" 2>&1 | tail -n 1 >&2
  tables+=("$release=$work/$release/out/hm-options.tsv")
done
python3 "$here/older.py" "$data/hm-options.tsv" "${tables[@]}" > "$work/older.tsv"
mv "$work/older.tsv" "$data/hm-options-older.tsv"
