{
  # Stand-in for github:nix-systems/default: `import` of it is the list of systems a
  # flake builds for (default.nix); it has no outputs.
  description = "The default systems";
  outputs = _: { };
}
