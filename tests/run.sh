#!/usr/bin/env bash
# hm's test command: installs what the tests need on a fresh Debian machine, then runs
# formatting, lints and every test. Tests that need Nix or systemd fail under CI=true when
# those are missing; elsewhere they are skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."

install_debian_packages() {
  local missing=("$@")
  [ "${#missing[@]}" -eq 0 ] && return
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "==> installing ${missing[*]} from Debian"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

missing=()
command -v nix >/dev/null 2>&1 || missing+=(nix-bin)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v git >/dev/null 2>&1 || missing+=(git)
# --build-host/--target-host are tested against a real sshd on loopback.
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
# python3's plistlib validates the property lists the darwin stand-in renders.
command -v python3 >/dev/null 2>&1 || missing+=(python3)
install_debian_packages "${missing[@]}"

# nushell, to run hm's completion script for it, from the npm registry when npm is
# there (its test is skipped with a message without it).
if ! command -v nu >/dev/null 2>&1 && [ -z "${HM_TEST_NU:-}" ] && command -v npm >/dev/null 2>&1; then
  if npm install --silent --no-audit --no-fund --prefix target/nushell nushell@0.115.1 >/dev/null 2>&1; then
    export HM_TEST_NU="$PWD/target/nushell/node_modules/.bin/nu"
  else
    echo "==> could not install nushell from npm; its completion test is skipped"
  fi
fi

# Offline Nix: flakes on, no substituters, no sandbox (see nix/offline.conf).
NIX_CONFIG="$(cat nix/offline.conf)"
export NIX_CONFIG
nix --version

echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy"
cargo clippy --workspace --all-targets --locked -q -- -D warnings
echo "==> cargo test"
cargo test --workspace --locked
