# What every generated hardware-configuration.nix imports through `modulesPath`.
{ lib, ... }:
{
  hardware.enableRedistributableFirmware = lib.mkDefault true;
}
