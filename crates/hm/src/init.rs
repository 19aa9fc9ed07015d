//! `hm init`: the files Home Manager's own `init` writes, or the snippet for module installs.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use miette::{IntoDiagnostic, Result};

use crate::cli::{InitArgs, Remote, Selection, SwitchArgs};
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
        None => environment::xdg_config_home()
            .unwrap_or_else(|| home.join(".config"))
            .join("home-manager"),
    };
    let home_nix = dir.join("home.nix");
    let mut files = vec![(home_nix.clone(), home_nix_text(&user, &home))];
    if !args.no_flake {
        let urls = Urls {
            nixpkgs: &args.nixpkgs_url,
            home_manager: &args.home_manager_url,
        };
        files.push((dir.join("flake.nix"), flake_nix(&user, &system(), &urls)));
    }
    std::fs::create_dir_all(&dir).into_diagnostic()?;
    // As Home Manager's init: a file already there is left as it is (and used by --switch).
    for (path, text) in &files {
        if path.exists() || path.is_symlink() {
            writeln!(
                out,
                "{} already exists, leaving it unchanged",
                path.display()
            )
            .into_diagnostic()?;
        } else {
            write_new(path, text)?;
            writeln!(out, "created {}", path.display()).into_diagnostic()?;
        }
    }
    let selection = if args.no_flake {
        Selection {
            file: Some(home_nix.clone()),
            ..Selection::default()
        }
    } else {
        Selection {
            flake: Some(dir.display().to_string()),
            user: Some(user),
            ..Selection::default()
        }
    };
    if !args.switch {
        let how = match (&selection.flake, &selection.file) {
            (Some(flake), _) => format!("--flake {flake}"),
            (None, Some(file)) => format!("-f {}", file.display()),
            (None, None) => String::new(),
        };
        writeln!(
            out,
            "next: edit {} and run `hm switch {how}`",
            home_nix.display(),
        )
        .into_diagnostic()?;
        return Ok(ExitCode::SUCCESS);
    }
    let switch_args = SwitchArgs {
        selection,
        activation: args.activation.clone(),
        specialisation: None,
        rollback: false,
        remote: Remote::default(),
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

fn home_nix_text(user: &str, home: &Path) -> String {
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

/// The flakes a new flake.nix takes its inputs from.
struct Urls<'a> {
    nixpkgs: &'a str,
    home_manager: &'a str,
}

fn flake_nix(user: &str, system: &str, urls: &Urls) -> String {
    format!(
        r#"{{
  description = "Home Manager configuration of {user}";

  inputs = {{
    nixpkgs.url = {nixpkgs};
    home-manager = {{
      url = {home_manager};
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
        nixpkgs = nix_string(urls.nixpkgs),
        home_manager = nix_string(urls.home_manager),
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
        let home = home_nix_text("alice", Path::new("/home/alice"));
        assert!(home.contains("home.username = \"alice\";"));
        assert!(nix_syntax_ok(&home));
        let urls = Urls {
            nixpkgs: "github:nixos/nixpkgs/nixos-25.05",
            home_manager: "github:nix-community/home-manager/release-25.05",
        };
        let flake = flake_nix("alice", "x86_64-linux", &urls);
        assert!(flake.contains("url = \"github:nix-community/home-manager/release-25.05\";"));
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
