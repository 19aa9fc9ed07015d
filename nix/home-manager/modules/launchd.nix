# `launchd.agents.<name>` as in Home Manager: `enable` (off by default), `domain`
# (`gui` or `user`), `waitForNixStore`, and `config`, the job's property list
# (launchd.plist(5)) with `Label` defaulting to `org.nix-community.home.<name>`. On
# darwin each enabled agent becomes `<label>.plist` (XML) under the generation's
# `LaunchAgents/`, its domain under `LaunchAgentDomains/`; activate.sh installs them into
# ~/Library/LaunchAgents and (re)loads them with launchctl.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  inherit (builtins) isBool isFloat isInt isList isAttrs;
  cfg = config.launchd;
  isDarwin = pkgs.stdenv.hostPlatform.isDarwin;

  agentModule = { name, config, ... }: {
    options = {
      enable = lib.mkEnableOption name;
      domain = mkOption { type = types.enum [ "gui" "user" ]; default = "gui"; };
      waitForNixStore = mkOption { type = types.bool; default = true; };
      config = mkOption { type = types.attrsOf types.anything; default = { }; };
    };
    config.config = {
      Label = lib.mkDefault "org.nix-community.home.${name}";
    } // lib.optionalAttrs (config.domain == "user") {
      LimitLoadToSessionType = lib.mkDefault "Background";
    };
  };

  # XML property lists: dictionaries in key order, null values left out.
  escapeXml = lib.replaceStrings [ "&" "<" ">" ] [ "&amp;" "&lt;" "&gt;" ];
  plistValue = indent: value:
    let inner = indent + "\t"; in
    if isBool value then "${indent}<${if value then "true" else "false"}/>"
    else if isInt value then "${indent}<integer>${toString value}</integer>"
    else if isFloat value then "${indent}<real>${toString value}</real>"
    else if isList value then
      "${indent}<array>\n" + lib.concatMapStrings (v: plistValue inner v + "\n") value + "${indent}</array>"
    else if isAttrs value && !(value ? outPath) then
      "${indent}<dict>\n"
      + lib.concatStrings (lib.mapAttrsToList
        (k: v: "${inner}<key>${escapeXml k}</key>\n${plistValue inner v}\n")
        (lib.filterAttrs (_: v: v != null) value))
      + "${indent}</dict>"
    else "${indent}<string>${escapeXml (toString value)}</string>";
  toPlist = value: ''
    <?xml version="1.0" encoding="UTF-8"?>
    <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
    <plist version="1.0">
    ${plistValue "" value}
    </plist>
  '';

  # As Home Manager: the command runs through /bin/sh, after waiting for the Nix store
  # (or through a launcher script named after the agent).
  jobOf = name: agent:
    let
      job = agent.config;
      command = lib.optional ((job.Program or null) != null) job.Program ++ (job.ProgramArguments or [ ]);
      escaped = lib.concatMapStringsSep " " lib.escapeShellArg command;
      launcher = pkgs.writeShellScriptBin name "exec ${escaped}";
    in
    removeAttrs job [ "Program" "ProgramArguments" ] // {
      ProgramArguments =
        if agent.waitForNixStore then [ "/bin/sh" "-c" "/bin/wait4path /nix/store && exec ${escaped}" ]
        else [ "${launcher}/bin/${name}" ];
    };

  enabled = lib.filterAttrs (_: agent: agent.enable) cfg.agents;
  linkFarm = name: entries: pkgs.runCommand name { } ''
    mkdir -p "$out"
    ${lib.concatStrings (lib.mapAttrsToList (file: source: "ln -s ${source} \"$out\"/${lib.escapeShellArg file}\n") entries)}
  '';
  plists = linkFarm "home-manager-agents" (lib.mapAttrs'
    (name: agent: lib.nameValuePair "${agent.config.Label}.plist"
      (pkgs.writeText "${agent.config.Label}.plist" (toPlist (jobOf name agent))))
    enabled);
  domains = linkFarm "home-manager-agent-domains" (lib.mapAttrs'
    (_: agent: lib.nameValuePair "${agent.config.Label}.domain"
      (pkgs.writeText "${agent.config.Label}.domain" "${agent.domain}\n"))
    enabled);
in
{
  options.launchd = {
    enable = mkOption { type = types.bool; default = isDarwin; };
    agents = mkOption { type = types.attrsOf (types.submodule agentModule); default = { }; };
  };

  config.home.extraBuilderCommands = lib.optionalString isDarwin ''
    ln -s ${plists} "$out/LaunchAgents"
    ln -s ${domains} "$out/LaunchAgentDomains"
  '';
}
