# `home.activationPackage`, laid out as Home Manager's: `home-files` links to the files
# package `home-manager-files` (what goes into $HOME), `home-path/` holds the packages,
# `gen-version` says the generation speaks driver version 1, `activate` is the script
# with its own store path substituted for @GENERATION_DIR@, and `specialisation/<name>`
# links to the generation of each specialisation.
{ config, lib, pkgs, hmExtend ? null, ... }:
let
  # Store names cannot start with a dot or hold slashes: `.config/a b` -> `hm_.config-a_b`.
  storeName = name: "hm_" + lib.replaceStrings [ "/" " " ] [ "-" "_" ] name;

  source = name: file:
    if file ? source then "${file.source}"
    else pkgs.writeTextFile { name = storeName name; text = file.text; executable = file.executable or false; };

  files =
    lib.mapAttrsToList (name: file: { target = file.target or name; source = source name file; }) config.home.file
    ++ lib.mapAttrsToList (name: file: { target = ".config/${file.target or name}"; source = source name file; }) config.xdg.configFile;

  homeFiles = pkgs.runCommand "home-manager-files" { } ''
    mkdir -p "$out"
    link() {
      mkdir -p "$out/$(dirname "$1")"
      ln -s "$2" "$out/$1"
    }
    ${lib.concatMapStrings (f: "link ${lib.escapeShellArg f.target} ${lib.escapeShellArg f.source}\n") files}
  '';

  activate = pkgs.writeTextFile {
    name = "activate";
    executable = true;
    text = builtins.readFile ./activate.sh;
  };

  # Each specialisation is this configuration extended with its module (and no
  # specialisations of its own), as Home Manager's `extendModules` does.
  specialisations = lib.mapAttrs
    (name: spec:
      if hmExtend == null then throw "specialisation.${name}: not supported in this stand-in's NixOS module"
      else (hmExtend [ spec.configuration or { } { specialisation = lib.mkForce { }; } ]).config.home.activationPackage)
    config.specialisation;
in
{
  options.specialisation = lib.mkOption { type = lib.types.attrsOf lib.types.anything; default = { }; };

  config.home.activationPackage = pkgs.runCommand "home-manager-generation" { } ''
    mkdir -p "$out/home-path/bin"
    echo 1 > "$out/gen-version"
    ln -s ${homeFiles} "$out/home-files"
    for package in ${lib.concatMapStringsSep " " (p: lib.escapeShellArg "${p}") config.home.packages}; do
      if [ -d "$package/bin" ]; then
        for program in "$package"/bin/*; do ln -sf "$program" "$out/home-path/bin/"; done
      fi
    done
    printf '%s\n' ${lib.escapeShellArg config.home.username} > "$out/username"
    ${config.home.extraBuilderCommands}
    sed "s|@GENERATION_DIR@|$out|g" ${activate} > "$out/activate"
    chmod +x "$out/activate"
    ${lib.optionalString (specialisations != { }) ''
      mkdir "$out/specialisation"
      ${lib.concatStrings (lib.mapAttrsToList (name: pkg: "ln -s ${pkg} \"$out/specialisation/\"${lib.escapeShellArg name}\n") specialisations)}
    ''}
  '';
}
