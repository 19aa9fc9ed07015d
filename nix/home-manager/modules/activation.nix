# `home.activationPackage`: a generation with `home-files/` (what goes into $HOME),
# `home-path/` (the packages) and an executable `activate`.
{ config, lib, pkgs, ... }:
let
  # Store names cannot start with a dot or hold slashes: `.config/a b` -> `hm_.config-a_b`.
  storeName = name: "hm_" + lib.replaceStrings [ "/" " " ] [ "-" "_" ] name;

  source = name: file:
    if file ? source then "${file.source}"
    else pkgs.writeTextFile { name = storeName name; text = file.text; executable = file.executable or false; };

  files =
    lib.mapAttrsToList (name: file: { target = file.target or name; source = source name file; }) config.home.file
    ++ lib.mapAttrsToList (name: file: { target = ".config/${file.target or name}"; source = source name file; }) config.xdg.configFile;

  activate = pkgs.writeTextFile {
    name = "activate";
    executable = true;
    text = builtins.readFile ./activate.sh;
  };
in
{
  config.home.activationPackage = pkgs.runCommand "home-manager-generation" { } ''
    mkdir -p "$out/home-files" "$out/home-path/bin"
    link() {
      mkdir -p "$out/home-files/$(dirname "$1")"
      ln -s "$2" "$out/home-files/$1"
    }
    ${lib.concatMapStrings (f: "link ${lib.escapeShellArg f.target} ${lib.escapeShellArg f.source}\n") files}
    for package in ${lib.concatMapStringsSep " " (p: lib.escapeShellArg "${p}") config.home.packages}; do
      if [ -d "$package/bin" ]; then
        for program in "$package"/bin/*; do ln -sf "$program" "$out/home-path/bin/"; done
      fi
    done
    printf '%s\n' ${lib.escapeShellArg config.home.username} > "$out/username"
    cp ${activate} "$out/activate"
  '';
}
