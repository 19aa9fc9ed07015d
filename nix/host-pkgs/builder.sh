# Runs a derivation's `buildCommand` with bash (errexit and pipefail, not nounset, as stdenv), the host's tools and the bin/ directories
# of its nativeBuildInputs and buildInputs on PATH.
set -e
set -o pipefail
PATH=/usr/bin:/bin
for input in ${nativeBuildInputs:-} ${buildInputs:-}; do
  if [[ -d $input/bin ]]; then
    PATH="$input/bin:$PATH"
  fi
done
export PATH
# shellcheck source=/dev/null
source "$setupScript"
eval "$buildCommand"
