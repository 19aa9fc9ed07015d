//! `hm uninstall`: what Home Manager's `uninstall` configuration does, without building
//! one: the current generation's links leave `$HOME`, `home-manager-path` leaves the user's
//! Nix profile, and the generations, Home Manager's data and state directories and the
//! legacy GC root are removed. Configuration files stay.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use miette::{IntoDiagnostic, Result};
use nix_driver::{Nix, activation};

use crate::{confirm, environment, switch};

/// Paths to remove: the profile's generation links and the directories.
fn leftovers(cx: &switch::Context) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let (Some(dir), Some(name)) = (cx.profile.path.parent(), cx.profile.path.file_name()) {
        let name = name.to_string_lossy().into_owned();
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let file = entry.file_name().to_string_lossy().into_owned();
                if file == name
                    || (file.starts_with(&format!("{name}-")) && file.ends_with("-link"))
                {
                    found.push(entry.path());
                }
            }
        }
    }
    found.sort();
    let data = environment::xdg_data_home()
        .unwrap_or_else(|| cx.home.join(".local/share"))
        .join("home-manager");
    let user = environment::user_name().unwrap_or_default();
    let legacy_root = environment::nix_state_dir()
        .join("gcroots/per-user")
        .join(user)
        .join("current-home");
    for path in [data, cx.state.dir().to_path_buf(), legacy_root] {
        if path.symlink_metadata().is_ok() {
            found.push(path);
        }
    }
    found
}

/// `nix profile remove` for profiles made by `nix profile`, else `nix-env -e`.
fn remove_package(nix: &Nix, home: &Path) -> nix_driver::Command {
    let state = environment::xdg_state_home().unwrap_or_else(|| home.join(".local/state"));
    let new_style = home.join(".nix-profile/manifest.json").exists()
        || state.join("nix/profile/manifest.json").exists();
    if new_style {
        nix.profile_remove("home-manager-path")
    } else {
        nix.nix_env().args(["-e", "home-manager-path"])
    }
}

pub fn run(dry_run: bool, yes: bool, out: &mut impl Write) -> Result<ExitCode> {
    let cx = switch::Context::for_user()?;
    let nix = Nix::default();
    let active = cx.active();
    let leftovers = leftovers(&cx);
    writeln!(out, "This removes Home Manager from your user environment:").into_diagnostic()?;
    if let Some(generation) = &active {
        writeln!(
            out,
            "  the links of {} in {}",
            generation.display(),
            cx.home.display()
        )
        .into_diagnostic()?;
    }
    let package = remove_package(&nix, &cx.home);
    writeln!(
        out,
        "  home-manager-path from your profile: {}",
        package.display()
    )
    .into_diagnostic()?;
    for path in &leftovers {
        writeln!(out, "  {}", path.display()).into_diagnostic()?;
    }
    writeln!(out, "Your configuration files stay.").into_diagnostic()?;
    if dry_run {
        writeln!(out, "dry run: nothing was removed").into_diagnostic()?;
        return Ok(ExitCode::SUCCESS);
    }
    out.flush().into_diagnostic()?;
    if !yes && !confirm::confirm("Really uninstall Home Manager?") {
        writeln!(out, "nothing was removed").into_diagnostic()?;
        return Ok(ExitCode::from(crate::exit::FAILED));
    }
    if let Some(generation) = &active {
        let removed = activation::remove_links(generation, &cx.home);
        writeln!(out, "removed {removed} links from {}", cx.home.display()).into_diagnostic()?;
    }
    match package.run_checked() {
        Ok(_) => writeln!(out, "removed home-manager-path from your profile").into_diagnostic()?,
        Err(e) => eprintln!("hm: warning: could not remove home-manager-path: {e}"),
    }
    for path in &leftovers {
        let removed = if path.is_dir() && !path.is_symlink() {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        };
        if let Err(e) = removed {
            eprintln!("hm: warning: could not remove {}: {e}", path.display());
        }
    }
    writeln!(
        out,
        "Home Manager is uninstalled; your configuration files are left untouched."
    )
    .into_diagnostic()?;
    Ok(ExitCode::SUCCESS)
}
