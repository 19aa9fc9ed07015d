//! Facts about the user running hm: name, host, home.

use std::path::PathBuf;

use miette::{Result, miette};

pub fn user_name() -> Result<String> {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .map_err(|_| {
            miette!(
                help = "pass --user NAME",
                "cannot tell who you are: USER is not set"
            )
        })
}

/// The host name, as `uname -n` prints it.
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| {
            nix_driver::Command::new("uname")
                .arg("-n")
                .run()
                .ok()
                .map(|f| String::from_utf8_lossy(&f.stdout).into_owned())
        })
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

pub fn home() -> Result<PathBuf> {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .filter(|h| h.is_absolute())
        .ok_or_else(|| miette!("HOME is not set to an absolute path"))
}

pub fn xdg_config_home() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
}

pub fn xdg_data_home() -> Option<PathBuf> {
    std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
}

pub fn xdg_state_home() -> Option<PathBuf> {
    std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
}

/// Nix's state directory (`NIX_STATE_DIR`, else `/nix/var/nix`), where the legacy
/// per-user profiles live.
pub fn nix_state_dir() -> PathBuf {
    std::env::var_os("NIX_STATE_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| PathBuf::from("/nix/var/nix"))
}
