# The Home Manager modules every configuration gets.
[
  ./home.nix
  ./files.nix
  ./systemd.nix
  ./launchd.nix
  ./activation.nix
  ./news.nix
]
