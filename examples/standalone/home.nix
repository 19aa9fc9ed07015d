{ config, pkgs, ... }:

{
  home.username = "alice";
  home.homeDirectory = "/home/alice";

  # The Home Manager release this configuration was written for.
  home.stateVersion = "24.11";

  home.packages = [ pkgs.hello ];

  xdg.configFile."workstyle/config.toml".text = ''
    [matching]
    "firefox" = ""
    "alacritty" = ""
  '';

  # Names sway workspaces after the programs on them.
  systemd.user.services.workstyle = {
    Unit = {
      Description = "Workstyle: sway workspaces named after their windows";
      After = [ "graphical-session.target" ];
      PartOf = [ "graphical-session.target" ];
    };
    Service = {
      ExecStart = "${pkgs.workstyle}/bin/workstyle";
      Restart = "on-failure";
    };
    Install.WantedBy = [ "default.target" ];
  };

  programs.home-manager.enable = true;
}
