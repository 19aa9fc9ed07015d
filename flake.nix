{
  # hm itself, packaged with Nix. (The Home Manager and nixpkgs stand-ins used by the
  # tests live under nix/; this flake uses the real nixpkgs.)
  description = "hm: a fast front-end for Home Manager";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = forAllSystems (pkgs: {
        default = pkgs.rustPlatform.buildRustPackage {
          pname = "hm";
          version = (builtins.fromTOML (builtins.readFile ./Cargo.toml)).workspace.package.version;
          src = self;
          cargoLock.lockFile = ./Cargo.lock;
          cargoBuildFlags = [ "--package" "hm" ];
          nativeBuildInputs = [ pkgs.installShellFiles ];
          # Completions ask the installed hm for users, hosts, services and generations as
          # you type; every subcommand has its man page (hm.1, hm-switch.1, …).
          postInstall = pkgs.lib.optionalString
            (pkgs.stdenv.buildPlatform.canExecute pkgs.stdenv.hostPlatform) ''
            for shell in bash zsh fish nushell; do
              $out/bin/hm completions $shell > hm.$shell
            done
            installShellCompletion --cmd hm --bash hm.bash --zsh hm.zsh --fish hm.fish
            install -Dm644 hm.nushell $out/share/nushell/vendor/autoload/hm.nu
            $out/bin/hm man --dir man
            installManPage man/*.1
          '';
          # The integration tests need a writable Nix store; run them with tests/run.sh.
          doCheck = false;
          meta = {
            description = "A fast front-end for Home Manager";
            mainProgram = "hm";
            license = pkgs.lib.licenses.mit;
          };
        };
      });

      apps = forAllSystems (pkgs: {
        default = {
          type = "app";
          program = "${self.packages.${pkgs.system}.default}/bin/hm";
        };
      });

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          inputsFrom = [ self.packages.${pkgs.system}.default ];
          packages = [ pkgs.clippy pkgs.rustfmt pkgs.cargo-insta pkgs.nix ];
        };
      });
    };
}
