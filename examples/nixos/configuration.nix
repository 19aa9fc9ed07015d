{ config, pkgs, ... }:

let
  username = "bob";
in
{
  networking.hostName = "laptop";
  system.stateVersion = "24.11";

  users.users.alice.isNormalUser = true;
  users.users.${username}.isNormalUser = true;

  # A second user, configured from the system module itself.
  home-manager.users.${username} = { pkgs, ... }: {
    home.stateVersion = "24.11";
    systemd.user.services.backup = {
      Unit.Description = "Nightly backup of ~/Documents";
      Service = {
        Type = "oneshot";
        ExecStart = "${pkgs.hello}/bin/hello";
      };
    };
    systemd.user.timers.backup = {
      Unit.Description = "Run the backup every night";
      Timer.OnCalendar = "daily";
      Install.WantedBy = [ "timers.target" ];
    };
  };
}
