# The smallest configuration Home Manager accepts: what every evaluation starts from.
{
  home.username = "alice";
  home.homeDirectory = "/home/alice";
  home.stateVersion = "25.05";
}
