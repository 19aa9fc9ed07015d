# A few packages and trivial builders. Builders run /bin/sh with the host's coreutils,
# which the stand-in may do because its tests run Nix with `sandbox = false`.
{ lib, system }:
let
  hostPath = "/usr/bin:/bin";

  runCommand = name: env: buildCommand:
    derivation ({
      inherit name system;
      builder = "/bin/sh";
      args = [ "-c" "set -eu\n${buildCommand}" ];
      PATH = hostPath;
    } // env);

  writeTextFile = { name, text, executable ? false, destination ? "" }:
    runCommand name { inherit text; passAsFile = [ "text" ]; } ''
      target="$out${destination}"
      mkdir -p "$(dirname "$target")"
      cp "$textPath" "$target"
      ${lib.optionalString executable ''chmod +x "$target"''}
    '';

  writeShellScriptBin = name: text:
    (writeTextFile {
      inherit name;
      executable = true;
      destination = "/bin/${name}";
      text = "#!/bin/sh\n${text}\n";
    }) // { meta.mainProgram = name; pname = name; };
in
{
  inherit lib system runCommand writeTextFile writeShellScriptBin;
  writeText = name: text: writeTextFile { inherit name text; };
  writeShellScript = name: text: writeTextFile { inherit name; executable = true; text = "#!/bin/sh\n${text}\n"; };
  stdenv = rec {
    hostPlatform = { inherit system; isLinux = lib.hasSuffix "linux" system; isDarwin = lib.hasSuffix "darwin" system; };
    inherit (hostPlatform) isLinux isDarwin;
  };

  hello = writeShellScriptBin "hello" "echo 'Hello, world!'";
  workstyle = writeShellScriptBin "workstyle" "echo 'workstyle (stand-in): naming sway workspaces'; exec sleep infinity";
  ripgrep = writeShellScriptBin "rg" "echo 'rg (stand-in)'";
  git = writeShellScriptBin "git" "exec /usr/bin/git \"$@\"";
}
