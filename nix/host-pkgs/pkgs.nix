# The package set: nixpkgs' trivial builders (written here, with the same interfaces) and
# host tools wrapped as derivations whose bin/ links to the host's /usr/bin and /bin.
{ lib, system, path }:
let
  platform = lib.systems.elaborate { inherit system; };

  # A derivation whose `buildCommand` runs under builder.sh (bash, set -eu, the host's
  # tools, setup.sh's helpers). `meta` and `passthru` stay out of the derivation.
  runCommand = name: env: buildCommand:
    let
      attrs = lib.filterAttrs (_: v: v != null) (removeAttrs env [ "meta" "passthru" "derivationArgs" ]);
      drv = derivation (attrs // {
        inherit name system buildCommand;
        builder = "/bin/bash";
        args = [ ./builder.sh ];
        setupScript = ./setup.sh;
      });
      passthru = env.passthru or { };
    in
    drv // passthru // {
      meta = env.meta or { };
      inherit passthru;
      overrideAttrs = f: runCommand name (env // (if lib.isFunction f then f env else f)) buildCommand;
    };

  writeTextFile =
    { name, text, executable ? false, destination ? "", checkPhase ? "", meta ? { }
    , passthru ? { }, allowSubstitutes ? false, preferLocalBuild ? true, derivationArgs ? { }
    }:
    runCommand name
      ({
        inherit text executable checkPhase allowSubstitutes preferLocalBuild meta passthru;
        passAsFile = [ "text" ];
      } // derivationArgs) ''
      target="$out"${lib.escapeShellArg destination}
      mkdir -p "$(dirname "$target")"
      if [ -e "''${textPath:-}" ]; then
        mv "$textPath" "$target"
      else
        printf '%s' "$text" > "$target"
      fi
      if [ -n "$executable" ]; then
        chmod +x "$target"
      fi
      eval "$checkPhase"
    '';

  writeText = name: text: writeTextFile { inherit name text; };
  writeTextDir = file: text: writeTextFile { name = baseNameOf file; destination = "/${file}"; inherit text; };
  writeScript = name: text: writeTextFile { inherit name text; executable = true; };
  writeScriptBin = name: text: writeTextFile {
    inherit name text;
    executable = true;
    destination = "/bin/${name}";
    meta.mainProgram = name;
  };
  writeShellScript = name: text: writeTextFile {
    inherit name;
    executable = true;
    text = "#!${runtimeShell}\n${text}\n";
  };
  writeShellScriptBin = name: text: writeTextFile {
    inherit name;
    executable = true;
    destination = "/bin/${name}";
    text = "#!${runtimeShell}\n${text}\n";
    meta.mainProgram = name;
  };
  writeShellApplication =
    { name, text, runtimeInputs ? [ ], runtimeEnv ? null, meta ? { }, passthru ? { }
    , checkPhase ? null, excludeShellChecks ? [ ], extraShellCheckFlags ? [ ]
    , bashOptions ? [ "errexit" "nounset" "pipefail" ], inheritPath ? true
    , derivationArgs ? { }
    }:
    writeTextFile {
      inherit name passthru derivationArgs;
      executable = true;
      destination = "/bin/${name}";
      meta = { mainProgram = name; } // meta;
      text = ''
        #!${runtimeShell}
        ${lib.concatMapStringsSep "\n" (o: "set -o ${o}") bashOptions}
      '' + lib.optionalString (runtimeEnv != null) (lib.concatStrings (lib.mapAttrsToList
        (n: v: "export ${n}=${lib.escapeShellArg (toString v)}\n")
        runtimeEnv))
      + lib.optionalString (runtimeInputs != [ ]) ''
        export PATH="${lib.makeBinPath runtimeInputs}${lib.optionalString inheritPath ":$PATH"}"
      '' + text;
    };

  # Merges the trees of `paths` into $out with links (lndir's job).
  symlinkJoin = args@{ name, paths, postBuild ? "", ... }:
    runCommand name
      (removeAttrs args [ "name" "postBuild" ] // {
        paths = map toString paths;
        nativeBuildInputs = [ lndir ] ++ (args.nativeBuildInputs or [ ]);
      }) ''
      mkdir -p "$out"
      for p in $paths; do
        if [ -d "$p" ]; then lndir -silent "$p" "$out"; fi
      done
      ${postBuild}
    '';

  buildEnv = args@{ name, paths, postBuild ? "", ... }:
    symlinkJoin {
      inherit name postBuild;
      paths = lib.filter (p: p != null) paths;
      meta = args.meta or { };
      passthru = args.passthru or { };
    };

  linkFarm = name: entries:
    let
      list = if lib.isList entries then entries else lib.mapAttrsToList (name: path: { inherit name path; }) entries;
    in
    runCommand name { } ''
      mkdir -p "$out"
      cd "$out"
      ${lib.concatMapStrings (e: ''
        mkdir -p "$(dirname ${lib.escapeShellArg e.name})"
        ln -s ${lib.escapeShellArg (toString e.path)} ${lib.escapeShellArg e.name}
      '') list}
    '';

  replaceVars = file: vars:
    runCommand (baseNameOf (toString file)) { } ''
      substitute ${file} "$out" ${lib.concatStringsSep " " (lib.mapAttrsToList
        (n: v: "--subst-var-by ${lib.escapeShellArg n} ${lib.escapeShellArg (toString v)}")
        (lib.filterAttrs (_: v: v != null) vars))}
    '';

  # A package whose bin/ links to the named host programs (the first found of /usr/bin,
  # /bin, /usr/sbin, /sbin).
  host = pname: programs: runCommand pname
    {
      inherit pname;
      version = "host";
      meta.mainProgram = lib.head programs;
    } ''
    mkdir -p "$out/bin"
    for program in ${lib.escapeShellArgs programs}; do
      for dir in /usr/bin /bin /usr/sbin /sbin; do
        if [ -x "$dir/$program" ]; then
          ln -s "$dir/$program" "$out/bin/$program"
          break
        fi
      done
    done
  '';

  bash = host "bash" [ "bash" "sh" ];
  runtimeShell = "${bash}/bin/bash";

  # lndir [-silent] [-ignorelinks] FROM TO: a tree of links in TO to the files of FROM.
  lndir = writeShellScriptBin "lndir" ''
    set -eu
    ignorelinks=""
    while [ $# -gt 2 ]; do
      case "$1" in
        -silent) ;;
        -ignorelinks) ignorelinks=1 ;;
        *) echo "lndir: unknown option $1" >&2; exit 1 ;;
      esac
      shift
    done
    from="$(cd "$1" && pwd)"
    to="$2"
    cd "$from"
    find . -mindepth 1 -print0 | while IFS= read -r -d "" entry; do
      rel="''${entry#./}"
      if [ -d "$rel" ] && { [ ! -L "$rel" ] || [ -z "$ignorelinks" ]; }; then
        mkdir -p "$to/$rel"
      elif [ -e "$to/$rel" ] || [ -L "$to/$rel" ]; then
        :
      elif [ -L "$rel" ] && [ -z "$ignorelinks" ]; then
        ln -s "$(readlink "$rel")" "$to/$rel"
      else
        ln -s "$from/$rel" "$to/$rel"
      fi
    done
  '';

  # pkgs.formats.<format> { }: an option type and `generate name value` (a file); formats
  # without a serializer here fail only when a configuration generates such a file.
  format = serialize: _args: {
    type = lib.types.anything;
    generate = name: value:
      if serialize == null then throw "host-pkgs: pkgs.formats cannot generate ${name} in this format"
      else writeText name (serialize value);
    lib = {
      mkRaw = x: x;
      mkLuaInline = x: x;
      types = lib.genAttrs [ "atom" "value" "section" "sections" ] (_: lib.types.anything);
    };
  };
  formats = {
    json = format builtins.toJSON;
    yaml = format builtins.toJSON;
    yaml_1_1 = format builtins.toJSON;
    yaml_1_2 = format builtins.toJSON;
    ini = format (lib.generators.toINI { });
    iniWithGlobalSection = format (lib.generators.toINIWithGlobalSection { });
    keyValue = format (lib.generators.toKeyValue { });
    gitIni = format lib.generators.toGitINI;
  } // lib.genAttrs [ "toml" "lua" "xml" "pythonVars" "hocon" "php" "javaProperties" "libconfig"
    "nixConf" "cdn" "rasi" "plist" "systemd" "kdl" "elixirConf" "luaModule" "hcl1" ] (_: format null);

  coreutilsPrograms = [
    "[" "b2sum" "base32" "base64" "basename" "basenc" "cat" "chgrp" "chmod" "chown" "chroot"
    "cksum" "comm" "cp" "csplit" "cut" "date" "dd" "df" "dir" "dircolors" "dirname" "du"
    "echo" "env" "expand" "expr" "factor" "false" "fmt" "fold" "groups" "head" "hostid" "id"
    "install" "join" "link" "ln" "logname" "ls" "md5sum" "mkdir" "mkfifo" "mknod" "mktemp" "mv"
    "nice" "nl" "nohup" "nproc" "numfmt" "od" "paste" "pathchk" "pinky" "pr" "printenv"
    "printf" "ptx" "pwd" "readlink" "realpath" "rm" "rmdir" "runcon" "seq" "sha1sum"
    "sha224sum" "sha256sum" "sha384sum" "sha512sum" "shred" "shuf" "sleep" "sort" "split"
    "stat" "stdbuf" "stty" "sum" "sync" "tac" "tail" "tee" "test" "timeout" "touch" "tr"
    "true" "truncate" "tsort" "tty" "uname" "unexpand" "uniq" "unlink" "users" "vdir" "wc"
    "who" "whoami" "yes"
  ];
in
{
  inherit lib system path runCommand writeTextFile writeText writeTextDir writeScript
    writeScriptBin writeShellScript writeShellScriptBin writeShellApplication symlinkJoin
    buildEnv linkFarm replaceVars runtimeShell lndir bash formats;
  buildPackages = import ./pkgs.nix { inherit lib system path; };
  runCommandLocal = runCommand;
  runCommandNoCC = runCommand;
  runCommandNoCCLocal = runCommand;
  emptyFile = writeText "empty-file" "";
  emptyDirectory = runCommand "empty-directory" { } "mkdir -p $out";

  stdenv = {
    hostPlatform = platform;
    buildPlatform = platform;
    targetPlatform = platform;
    inherit (platform) isLinux isDarwin system;
    shell = runtimeShell;
  };
  stdenvNoCC = { hostPlatform = platform; buildPlatform = platform; };
  hostPlatform = platform;
  buildPlatform = platform;
  config = { };
  overlays = [ ];

  bashInteractive = bash;
  coreutils = host "coreutils" coreutilsPrograms;
  findutils = host "findutils" [ "find" "xargs" ];
  diffutils = host "diffutils" [ "diff" "cmp" "diff3" "sdiff" ];
  gnugrep = host "gnugrep" [ "grep" "egrep" "fgrep" ];
  gnused = host "gnused" [ "sed" ];
  gnutar = host "gnutar" [ "tar" ];
  gzip = host "gzip" [ "gzip" "gunzip" "zcat" ];
  gettext = host "gettext" [ "gettext" "ngettext" "envsubst" "msgfmt" ];
  jq = host "jq" [ "jq" ];
  ncurses = host "ncurses" [ "tput" "tset" "clear" "infocmp" ];
  nix = host "nix" [ "nix" "nix-build" "nix-env" "nix-store" "nix-instantiate" "nix-shell" "nix-collect-garbage" "nix-channel" ];
  which = host "which" [ "which" ];
  git = host "git" [ "git" ];
  man = host "man" [ "man" ];
  systemd = host "systemd" [ "systemctl" "journalctl" "systemd-analyze" ];
  shared-mime-info = host "shared-mime-info" [ "update-mime-database" ];
  # Debian's desktop-file-utils when installed; otherwise a no-op, since the tests'
  # configurations install no .desktop files.
  desktop-file-utils = runCommand "desktop-file-utils" { meta.mainProgram = "update-desktop-database"; } ''
    mkdir -p "$out/bin"
    if [ -x /usr/bin/update-desktop-database ]; then
      ln -s /usr/bin/update-desktop-database "$out/bin/update-desktop-database"
    else
      printf '#!/bin/sh\nexit 0\n' > "$out/bin/update-desktop-database"
      chmod +x "$out/bin/update-desktop-database"
    fi
  '';
  # Home Manager starts units with sd-switch only when a user manager runs (never in the
  # tests); the host's when installed, else a script that says it is missing.
  sd-switch = runCommand "sd-switch" { meta.mainProgram = "sd-switch"; } ''
    mkdir -p "$out/bin"
    if [ -x /usr/bin/sd-switch ]; then
      ln -s /usr/bin/sd-switch "$out/bin/sd-switch"
    else
      printf '#!/bin/sh\necho "sd-switch is not installed on this host" >&2\nexit 1\n' > "$out/bin/sd-switch"
      chmod +x "$out/bin/sd-switch"
    fi
  '';
  glibcLocales = runCommand "glibc-locales" { version = "2.36"; } ''
    mkdir -p "$out/lib/locale"
    if [ -e /usr/lib/locale/locale-archive ]; then
      ln -s /usr/lib/locale/locale-archive "$out/lib/locale/locale-archive"
    fi
  '';
  hello = writeShellScriptBin "hello" "echo 'Hello, world!'";
}
