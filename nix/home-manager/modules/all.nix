# The Home Manager modules every configuration gets.
[
  ./home.nix
  ./files.nix
  ./systemd.nix
  ./activation.nix
  ./news.nix
]
