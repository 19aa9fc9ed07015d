#!/bin/sh
# Activates a Home Manager (stand-in) generation: links home-files/ into $HOME.
#
# Like Home Manager's activation script:
#   - refuses to replace a file it does not manage, unless HOME_MANAGER_BACKUP_EXT is set,
#     in which case the file is moved to FILE.$HOME_MANAGER_BACKUP_EXT first
#     (and it refuses if that backup already exists);
#   - removes links of the previous generation that the new one no longer has;
#   - DRY_RUN=1 prints what it would do and changes nothing; VERBOSE=1 prints each step;
#   - records the generation in $XDG_STATE_HOME/home-manager/gcroots/current-home.
set -eu
# File names may hold spaces: split command output on newlines only, and never glob.
IFS='
'
set -f

newGenPath=$(cd "$(dirname "$0")" && pwd -P)
: "${HOME:?HOME must be set}"
stateDir="${XDG_STATE_HOME:-$HOME/.local/state}/home-manager"
currentLink="$stateDir/gcroots/current-home"
backupExt="${HOME_MANAGER_BACKUP_EXT:-}"
dryRun="${DRY_RUN:-}"
verbose="${VERBOSE:-}"

oldGenPath=""
if [ -L "$currentLink" ]; then
  oldGenPath=$(readlink "$currentLink")
fi

say() { if [ -n "$verbose" ] || [ -n "$dryRun" ]; then echo "$@"; fi; }
# Prints a command's arguments space-separated ("$*" would join them with IFS, a newline).
show() { printf '%s' "$1"; shift; printf ' %s' "$@"; printf '\n'; }
run() {
  if [ -n "$dryRun" ]; then
    show "would run:" "$@"
  else
    if [ -n "$verbose" ]; then show "$@"; fi
    "$@"
  fi
}

# A path in $HOME is ours when it links into a generation's home-files.
managed() {
  [ -L "$1" ] || return 1
  case "$(readlink "$1")" in
    /nix/store/*/home-files/*) return 0 ;;
    *) return 1 ;;
  esac
}

# Relative paths of the files a generation provides, one per line.
generation_files() {
  (cd "$1/home-files" && find . \( -type l -o -type f \) | sed 's|^\./||')
}

echo "Activating home-manager generation $newGenPath"

say "Checking link targets"
collisions=0
for rel in $(generation_files "$newGenPath"); do
  target="$HOME/$rel"
  if { [ -e "$target" ] || [ -L "$target" ]; } && ! managed "$target"; then
    if [ -z "$backupExt" ]; then
      echo "Existing file '$target' is in the way of '$newGenPath/home-files/$rel'" >&2
      collisions=1
    elif [ -e "$target.$backupExt" ] || [ -L "$target.$backupExt" ]; then
      echo "Existing file '$target' would be backed up to '$target.$backupExt', but that file exists too" >&2
      collisions=1
    fi
  fi
done
if [ "$collisions" -ne 0 ]; then
  echo "Please move the above files and try again, or back them up automatically with 'hm switch -b backup'." >&2
  exit 1
fi

if [ -n "$oldGenPath" ] && [ -d "$oldGenPath/home-files" ]; then
  say "Cleaning up links of the previous generation"
  for rel in $(generation_files "$oldGenPath"); do
    if [ ! -e "$newGenPath/home-files/$rel" ] && [ ! -L "$newGenPath/home-files/$rel" ] && managed "$HOME/$rel"; then
      run rm "$HOME/$rel"
      dir=$(dirname "$HOME/$rel")
      while [ "$dir" != "$HOME" ] && [ -z "$dryRun" ] && rmdir "$dir" 2>/dev/null; do
        dir=$(dirname "$dir")
      done
    fi
  done
fi

say "Creating home file links in $HOME"
for rel in $(generation_files "$newGenPath"); do
  target="$HOME/$rel"
  run mkdir -p "$(dirname "$target")"
  if { [ -e "$target" ] || [ -L "$target" ]; } && ! managed "$target"; then
    run mv "$target" "$target.$backupExt"
  fi
  run ln -sfn "$newGenPath/home-files/$rel" "$target"
done

run mkdir -p "$(dirname "$currentLink")"
run ln -sfn "$newGenPath" "$currentLink"

if [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -S "$XDG_RUNTIME_DIR/systemd/private" ]; then
  run systemctl --user daemon-reload
else
  say "No systemd user manager is running; unit files are linked but not reloaded"
fi
