{ config, pkgs, ... }:

{
  home.stateVersion = "24.11";

  home.packages = [ pkgs.ripgrep ];

  systemd.user.services.workstyle = {
    Unit = {
      Description = "Workstyle: sway workspaces named after their windows";
      PartOf = [ "graphical-session.target" ];
    };
    Service.ExecStart = "${pkgs.workstyle}/bin/workstyle";
    Install.WantedBy = [ "default.target" ];
  };
}
