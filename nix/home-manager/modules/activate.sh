#!/bin/bash
# Activates a Home Manager (stand-in) generation with the real one's layout and protocol:
#
#   - `activate [--driver-version 0|1]`: with 0 (the default, legacy callers) the script
#     records the profile itself (`nix-env --set`) at the write boundary, after the
#     checks and before linking; with 1 the caller manages the profile;
#   - a GC root `new-home` holds the generation while activating (removed on exit), and
#     `current-home` is set once the files are linked, both under
#     $XDG_STATE_HOME/home-manager/gcroots;
#   - links are `~/x -> /nix/store/<hash>-home-manager-files/x`; a link is Home Manager's
#     when its target matches `<store>/*-home-manager-files/*`;
#   - checkLinkTargets: a file in the way with identical content is skipped with a
#     warning; otherwise HOME_MANAGER_BACKUP_COMMAND runs on it, or it is moved to
#     FILE.$HOME_MANAGER_BACKUP_EXT (refused when that exists, unless
#     HOME_MANAGER_BACKUP_OVERWRITE is set); a foreign symlink is always a collision;
#   - cleanOldGen removes the previous generation's links the new one lacks (and empty
#     parent directories), then linkNewGen links the new files;
#   - DRY_RUN prints commands instead of running them; VERBOSE prints more.
set -eu
set -o pipefail

newGenPath="@GENERATION_DIR@"
hmDriverVersion=0
while (( $# > 0 )); do
  opt="$1"
  shift
  case $opt in
    --driver-version)
      if (( $# == 0 )); then
        echo "$0: no driver version specified" >&2
        exit 1
      fi
      case $1 in
        0 | 1) hmDriverVersion=$1 ;;
        *) echo "$0: unexpected driver version $1" >&2; exit 1 ;;
      esac
      shift
      ;;
    *)
      echo "$0: unknown option '$opt'" >&2
      exit 1
      ;;
  esac
done

: "${HOME:?HOME must be set}"
cd "$HOME"

warnEcho() { echo "$@" >&2; }
errorEcho() { echo "$@" >&2; }
verboseEcho() { if [[ -v VERBOSE ]]; then echo "$@"; fi; }
run() {
  if [[ $1 == --silence ]]; then
    local silence=1
    shift
  fi
  if [[ -v DRY_RUN ]]; then
    echo "$@"
  elif [[ -v silence ]]; then
    "$@" > /dev/null 2>&1
  else
    "$@"
  fi
}

echo "Starting Home Manager activation"

stateHome="${XDG_STATE_HOME:-$HOME/.local/state}"
: "${USER:?USER must be set}"
globalProfilesDir="${NIX_STATE_DIR:-/nix/var/nix}/profiles/per-user/$USER"
if [[ -d $stateHome/nix/profiles ]]; then
  profilesDir="$stateHome/nix/profiles"
elif [[ -d $globalProfilesDir ]]; then
  profilesDir="$globalProfilesDir"
else
  errorEcho "Could not find suitable profile directory, tried $stateHome/nix/profiles and $globalProfilesDir"
  exit 1
fi
genProfilePath="$profilesDir/home-manager"
gcrootsDir="$stateHome/home-manager/gcroots"
newGenGcPath="$gcrootsDir/new-home"
currentGenGcPath="$gcrootsDir/current-home"
if [[ -e $currentGenGcPath ]]; then
  oldGenPath="$(readlink -e "$currentGenGcPath")"
fi
if [[ -v DRY_RUN ]]; then
  echo "This is a dry run"
fi

# A temporary GC root, so a garbage collection cannot remove the generation mid-way.
trap 'run rm -f "$newGenGcPath"' EXIT
run mkdir -p "$gcrootsDir"
run --silence nix-store --realise "$newGenPath" --add-root "$newGenGcPath"

homeFilePattern="$(readlink -e /nix/store)/*-home-manager-files/*"
newGenFiles="$(readlink -e "$newGenPath/home-files")"

# checkLinkTargets
collisionErrors=()
checkCollision() {
  local sourcePath="$1" targetPath="$2"
  if cmp -s "$sourcePath" "$targetPath"; then
    warnEcho "Existing file '$targetPath' is in the way of '$sourcePath', will be skipped since they are the same"
  elif [[ ! -L $targetPath && -n ${HOME_MANAGER_BACKUP_COMMAND:-} ]]; then
    verboseEcho "Existing file '$targetPath' exists and differs from '$sourcePath'. '$HOME_MANAGER_BACKUP_COMMAND' will be used to backup the file."
  elif [[ ! -L $targetPath && -n ${HOME_MANAGER_BACKUP_EXT:-} ]]; then
    local backup="$targetPath.$HOME_MANAGER_BACKUP_EXT"
    if [[ -e $backup && -z ${HOME_MANAGER_BACKUP_OVERWRITE:-} ]]; then
      collisionErrors+=("Existing file '$backup' would be clobbered by backing up '$targetPath'")
    elif [[ -e $backup ]]; then
      warnEcho "Existing file '$targetPath' is in the way of '$sourcePath' and '$backup' exists. Backup will be clobbered due to HOME_MANAGER_BACKUP_OVERWRITE=1"
    else
      warnEcho "Existing file '$targetPath' is in the way of '$sourcePath', will be moved to '$backup'"
    fi
  else
    collisionErrors+=("Existing file '$targetPath' would be clobbered")
  fi
}
while IFS= read -r -d '' sourcePath; do
  targetPath="$HOME/${sourcePath#"$newGenFiles"/}"
  if [[ -L $targetPath && -e $targetPath ]]; then
    if [[ ! "$(readlink "$targetPath")" == $homeFilePattern ]]; then
      checkCollision "$sourcePath" "$targetPath"
    fi
  elif [[ -e $targetPath ]]; then
    checkCollision "$sourcePath" "$targetPath"
  fi
done < <(find "$newGenFiles" \( -type f -o -type l \) -print0)
if (( ${#collisionErrors[@]} > 0 )); then
  errorEcho "Please move the files below, or back them up automatically with 'hm switch -b backup':"
  for error in "${collisionErrors[@]}"; do
    errorEcho "$error"
  done
  exit 1
fi

# writeBoundary: a legacy (version 0) caller expects the script to record the profile.
if (( hmDriverVersion < 1 )); then
  if [[ ! -v oldGenPath || $oldGenPath != "$newGenPath" ]]; then
    echo "Creating new profile generation"
    run nix-env --profile "$genProfilePath" --set "$newGenPath"
  else
    echo "No change so reusing latest profile generation"
  fi
fi

# cleanOldGen
if [[ -v oldGenPath && -e $oldGenPath/home-files ]]; then
  echo "Cleaning up orphan links from $HOME"
  oldGenFiles="$(readlink -e "$oldGenPath/home-files")"
  while IFS= read -r -d '' relativePath; do
    targetPath="$HOME/$relativePath"
    if [[ -e $newGenFiles/$relativePath || -L $newGenFiles/$relativePath ]]; then
      verboseEcho "Checking $targetPath: exists"
    elif [[ ! "$(readlink "$targetPath")" == $homeFilePattern ]]; then
      warnEcho "Path '$targetPath' does not link into a Home Manager generation. Skipping delete."
    else
      verboseEcho "Checking $targetPath: gone (deleting)"
      run rm "$targetPath"
      targetDir="$(dirname "$relativePath")"
      if [[ $targetDir != . ]]; then
        (cd "$HOME" && run rmdir -p --ignore-fail-on-non-empty "$targetDir")
      fi
    fi
  done < <(find "$oldGenFiles" \( -type f -o -type l \) -printf '%P\0')
fi

# linkNewGen
echo "Creating home file links in $HOME"
while IFS= read -r -d '' sourcePath; do
  targetPath="$HOME/${sourcePath#"$newGenFiles"/}"
  if [[ -e $targetPath && ! -L $targetPath ]]; then
    if [[ -n ${HOME_MANAGER_BACKUP_COMMAND:-} ]]; then
      verboseEcho "Running '$HOME_MANAGER_BACKUP_COMMAND' on '$targetPath'."
      # Word-split on purpose, as Home Manager does: the command may carry arguments.
      # shellcheck disable=SC2086
      run $HOME_MANAGER_BACKUP_COMMAND "$targetPath" || errorEcho "Running '$HOME_MANAGER_BACKUP_COMMAND' on '$targetPath' failed."
    elif [[ -n ${HOME_MANAGER_BACKUP_EXT:-} ]]; then
      backup="$targetPath.$HOME_MANAGER_BACKUP_EXT"
      if [[ -e $backup && -n ${HOME_MANAGER_BACKUP_OVERWRITE:-} ]]; then
        run rm "$backup"
      fi
      run mv "$targetPath" "$backup" || errorEcho "Moving '$targetPath' failed!"
    fi
  fi
  if [[ -e $targetPath && ! -L $targetPath ]] && cmp -s "$sourcePath" "$targetPath"; then
    verboseEcho "Skipping '$targetPath' as it is identical to '$sourcePath'"
  else
    run mkdir -p "$(dirname "$targetPath")"
    run ln -Tsf "$sourcePath" "$targetPath" || exit 1
  fi
done < <(find "$newGenFiles" \( -type f -o -type l \) -print0)

# setupLaunchAgents (darwin generations only): each agent's property list is installed
# into ~/Library/LaunchAgents as a file the user owns (launchd refuses links into the
# store), the running job booted out first when its file changed, then bootstrapped into
# its domain (gui or user, from LaunchAgentDomains/); agents the new generation lacks are
# booted out and removed while their file is still the one installed.
launchctl=/bin/launchctl
agentDomain() {
  local file="$1/$2.domain" domain=gui
  if [[ -n $1 && -f $file ]]; then domain="$(<"$file")"; fi
  case $domain in
    user) echo "user/$UID" ;;
    *) echo "gui/$UID" ;;
  esac
}
loadAgents() {
  [[ -x $launchctl ]] || { verboseEcho "No launchctl here: agents are installed, not loaded"; return 1; }
}
if [[ -d $newGenPath/LaunchAgents ]]; then
  agentsDir="$HOME/Library/LaunchAgents"
  newAgents="$(readlink -m "$newGenPath/LaunchAgents")"
  newDomains="$(readlink -m "$newGenPath/LaunchAgentDomains")"
  oldAgents="" oldDomains=""
  if [[ -v oldGenPath && -d $oldGenPath/LaunchAgents ]]; then
    oldAgents="$(readlink -m "$oldGenPath/LaunchAgents")"
    oldDomains="$(readlink -m "$oldGenPath/LaunchAgentDomains")"
  fi
  run mkdir -p "$agentsDir"
  while IFS= read -r -d '' source; do
    file="${source##*/}" label="${file%.plist}"
    target="$agentsDir/$file"
    cmp -s "$source" "$target" && continue
    if [[ -f $target ]] && loadAgents; then
      run "$launchctl" bootout "$(agentDomain "$oldDomains" "$label")/$label" || true
    fi
    run install -Dm444 -T "$source" "$target"
    if loadAgents; then
      run "$launchctl" bootstrap "$(agentDomain "$newDomains" "$label")" "$target" \
        || errorEcho "Failed to start agent '$label'"
    fi
  done < <(find -L "$newAgents" -maxdepth 1 -name '*.plist' -type f -print0)
  if [[ -n $oldAgents ]]; then
    while IFS= read -r -d '' source; do
      file="${source##*/}" label="${file%.plist}"
      target="$agentsDir/$file"
      [[ -e $newAgents/$file || ! -e $target ]] && continue
      if ! cmp -s "$source" "$target"; then
        warnEcho "Skipping deletion of '$target', since its contents have diverged"
        continue
      fi
      if loadAgents; then
        run "$launchctl" bootout "$(agentDomain "$oldDomains" "$label")/$label" || true
      fi
      run rm -f "$target"
    done < <(find -L "$oldAgents" -maxdepth 1 -name '*.plist' -type f -print0)
  fi
fi

# The "current generation" GC root.
run --silence nix-store --realise "$newGenPath" --add-root "$currentGenGcPath"

if [[ -n ${XDG_RUNTIME_DIR:-} && -S $XDG_RUNTIME_DIR/systemd/private ]]; then
  run systemctl --user daemon-reload
else
  verboseEcho "No systemd user manager is running; unit files are linked but not reloaded"
fi
