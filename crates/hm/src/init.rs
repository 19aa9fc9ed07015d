//! `hm init`: the files Home Manager's own `init` writes, or the snippet for module installs.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use miette::{IntoDiagnostic, Result, miette};

use crate::cli::{Activation, InitArgs, Selection, SwitchArgs};
use crate::{environment, switch};

/// The Home Manager release new configurations start at.
const STATE_VERSION: &str = "26.05";

pub fn run(args: &InitArgs, out: &mut impl Write) -> Result<ExitCode> {
    let user = environment::user_name()?;
    let home = environment::home()?;
    if args.nixos || args.darwin {
        write!(out, "{}", module_snippet(&user, args.darwin)).into_diagnostic()?;
        return Ok(ExitCode::SUCCESS);
    }
    let dir = match &args.dir {
        Some(dir) => dir.clone(),
        None => home.join(".config/home-manager"),
    };
    let files = [
        (dir.join("home.nix"), home_nix(&user, &home)),
        (dir.join("flake.nix"), flake_nix(&user, &system())),
    ];
    let existing: Vec<String> = files
        .iter()
        .filter(|(path, _)| path.exists() || path.is_symlink())
        .map(|(path, _)| path.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(miette!(
            code = "hm::init-exists",
            help = "hm never overwrites your files: move them away, or pass another directory",
            "already there: {}",
            existing.join(", ")
        ));
    }
    std::fs::create_dir_all(&dir).into_diagnostic()?;
    for (path, text) in &files {
        write_new(path, text)?;
        writeln!(out, "created {}", path.display()).into_diagnostic()?;
    }
    if !args.switch {
        writeln!(
            out,
            "next: edit {} and run `hm switch --flake {}`",
            files[0].0.display(),
            dir.display()
        )
        .into_diagnostic()?;
        return Ok(ExitCode::SUCCESS);
    }
    let switch_args = SwitchArgs {
        selection: Selection {
            flake: Some(dir.display().to_string()),
            user: Some(user),
            ..Selection::default()
        },
        activation: Activation::default(),
        specialisation: None,
    };
    switch::run(&switch_args, out)
}

/// Creates `path`, failing if anything is there (even if it appeared since we looked).
fn write_new(path: &Path, text: &str) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .into_diagnostic()?;
    file.write_all(text.as_bytes()).into_diagnostic()
}

/// `x86_64-linux`, `aarch64-darwin`, … for this machine.
fn system() -> String {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    format!("{}-{os}", std::env::consts::ARCH)
}

fn nix_string(text: &str) -> String {
    format!("{:?}", text).replace("${", "\\${")
}

fn home_nix(user: &str, home: &Path) -> String {
    format!(
        r#"{{ config, pkgs, ... }}:

{{
  # Home Manager needs a bit of information about you and the paths it should manage.
  home.username = {user};
  home.homeDirectory = {home};

  # The Home Manager release this configuration was first written for. It keeps
  # defaults from changing under you: do not change it when you upgrade.
  home.stateVersion = "{STATE_VERSION}";

  # Packages to install in your profile.
  home.packages = [
    # pkgs.hello
  ];

  # Files to link into your home directory.
  home.file = {{
    # ".screenrc".source = ./dotfiles/screenrc;
  }};

  home.sessionVariables = {{
    # EDITOR = "hx";
  }};

  # Let Home Manager install and manage itself.
  programs.home-manager.enable = true;
}}
"#,
        user = nix_string(user),
        home = nix_string(&home.display().to_string()),
    )
}

fn flake_nix(user: &str, system: &str) -> String {
    format!(
        r#"{{
  description = "Home Manager configuration of {user}";

  inputs = {{
    nixpkgs.url = "github:nixos/nixpkgs/nixos-unstable";
    home-manager = {{
      url = "github:nix-community/home-manager";
      inputs.nixpkgs.follows = "nixpkgs";
    }};
  }};

  outputs = {{ nixpkgs, home-manager, ... }}:
    let
      system = "{system}";
      pkgs = nixpkgs.legacyPackages.${{system}};
    in
    {{
      homeConfigurations.{name} = home-manager.lib.homeManagerConfiguration {{
        inherit pkgs;
        modules = [ ./home.nix ];
      }};
    }};
}}
"#,
        name = nix_string(user),
    )
}

fn module_snippet(user: &str, darwin: bool) -> String {
    let (kind, module, system) = if darwin {
        (
            "nix-darwin",
            "darwinModules",
            "darwinConfigurations.<host> = nix-darwin.lib.darwinSystem",
        )
    } else {
        (
            "NixOS",
            "nixosModules",
            "nixosConfigurations.<host> = nixpkgs.lib.nixosSystem",
        )
    };
    format!(
        r#"# Add Home Manager to your {kind} flake:

inputs.home-manager = {{
  url = "github:nix-community/home-manager";
  inputs.nixpkgs.follows = "nixpkgs";
}};

# and in outputs, where {system} {{ … }} lists its modules:

modules = [
  ./configuration.nix
  home-manager.{module}.home-manager
  {{
    home-manager.useGlobalPkgs = true;
    home-manager.useUserPackages = true;
    home-manager.users.{name} = import ./home.nix;
  }}
];

# Then create home.nix next to flake.nix (`hm init DIR` writes one you can start from;
# as a {kind} module, home.username and home.homeDirectory come from the system).
"#,
        name = crate_name(user),
    )
}

/// A user name as a Nix attribute name.
fn crate_name(user: &str) -> String {
    let plain = user
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
    if plain {
        user.to_string()
    } else {
        nix_string(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_files_parse_and_name_the_user() {
        let home = home_nix("alice", Path::new("/home/alice"));
        assert!(home.contains("home.username = \"alice\";"));
        assert!(nix_syntax_ok(&home));
        let flake = flake_nix("alice", "x86_64-linux");
        assert!(flake.contains("homeConfigurations.\"alice\""));
        assert!(nix_syntax_ok(&flake));
        assert!(nix_string("a${b}\"").contains("\\${"));
    }

    fn nix_syntax_ok(text: &str) -> bool {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.nix");
        std::fs::write(&path, text).expect("write");
        hm_model::analyse(&path).is_ok_and(|a| a.inventory.problems.is_empty())
    }
}
