# The part of nixpkgs' stdenv setup the trivial builders rely on, for builds whose
# `buildCommand` is run by builder.sh: substitute, substituteInPlace, runHook.

# substitute IN OUT [--subst-var-by NAME VALUE | --subst-var NAME | --replace* OLD NEW]...
substitute() {
  local input="$1" output="$2" content
  shift 2
  content="$(cat "$input"; printf x)"
  content="${content%x}"
  while (( $# > 0 )); do
    case "$1" in
      --subst-var-by)
        content="${content//"@$2@"/"$3"}"
        shift 3
        ;;
      --subst-var)
        content="${content//"@$2@"/"${!2}"}"
        shift 2
        ;;
      --replace | --replace-fail | --replace-warn | --replace-quiet)
        if [[ $1 == --replace-fail && $content != *"$2"* ]]; then
          echo "substitute: '$2' not found in $input" >&2
          return 1
        fi
        content="${content//"$2"/"$3"}"
        shift 3
        ;;
      *)
        echo "substitute: unknown argument '$1'" >&2
        return 1
        ;;
    esac
  done
  # The file may be a read-only copy of a store path (`cp $script $out/x`).
  if [[ -e $output && ! -w $output ]]; then
    chmod u+w "$output"
  fi
  printf '%s' "$content" > "$output"
}

substituteInPlace() {
  local file="$1"
  shift
  substitute "$file" "$file" "$@"
}

substituteAll() {
  local input="$1" output="$2" name args=()
  for name in $(env | sed -n 's/^\([a-zA-Z_][a-zA-Z0-9_]*\)=.*/\1/p'); do
    args+=(--subst-var "$name")
  done
  substitute "$input" "$output" "${args[@]}"
}

runHook() { :; }
