{ pkgs, ... }:

{
  system.stateVersion = 5;
  users.users.alice.home = "/Users/alice";
}
