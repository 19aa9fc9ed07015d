{ config, pkgs, ... }:

{
  home.stateVersion = "24.11";

  home.packages = [ pkgs.ripgrep ];

  # User services on macOS are launchd agents, written to
  # ~/Library/LaunchAgents/org.nix-community.home.<name>.plist.
  launchd.agents.workstyle = {
    enable = true;
    config = {
      Program = "${pkgs.workstyle}/bin/workstyle";
      RunAtLoad = true;
      KeepAlive = true;
    };
  };

  launchd.agents.backup = {
    enable = true;
    config = {
      ProgramArguments = [ "${pkgs.hello}/bin/hello" "--greeting" "backing up ~/Documents" ];
      StartCalendarInterval = [ { Hour = 3; Minute = 0; } ];
      StandardOutPath = "/Users/alice/Library/Logs/backup.log";
      StandardErrorPath = "/Users/alice/Library/Logs/backup.log";
    };
  };

  launchd.agents.notes-sync = {
    enable = false;
    config = {
      ProgramArguments = [ "/usr/bin/rsync" "-a" "/Users/alice/Notes/" "/Volumes/USB/Notes/" ];
      WatchPaths = [ "/Users/alice/Notes" ];
    };
  };
}
