//! Every analysis frees what it allocated: live heap bytes, counted by this binary's global
//! allocator, return to where they were (after a first run has filled the per-process
//! caches: the prelude, rayon's pool). The fuzzer's leak checker found reference cycles
//! that outlived the evaluator (a flake's `homeManagerConfiguration` held the list of
//! configurations it adds to; data that contains itself once forced). Its own test binary: other tests would allocate meanwhile.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Live bytes left behind by analysing `entry` (and dropping the analysis).
fn left_behind(entry: &Path) -> isize {
    let before = LIVE.load(Ordering::Relaxed);
    drop(hm_model::analyse(entry));
    LIVE.load(Ordering::Relaxed) - before
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write fixture");
    path
}

#[test]
fn analyses_free_what_they_allocate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    write(
        dir.path(),
        "home.nix",
        "{ lib, ... }: let a = { b = a; }; r = rec { x = y; y = [ x ]; }; in {\n\
         systemd.user.services.s = lib.mkIf true { Service.ExecStart = \"/bin/true\"; };\n}\n",
    );
    let flake_dir = dir.path().join("flake");
    std::fs::create_dir(&flake_dir).expect("mkdir");
    // What the fuzzer found: a flake whose configuration imports a missing file.
    write(
        &flake_dir,
        "flake.nix",
        r#"{
  inputs.home-manager.url = "github:nix-community/home-manager";
  outputs = { nixpkgs, home-manager, ... }: {
    homeConfigurations.alice = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      modules = [ ./home.nix ];
    };
  };
}
"#,
    );
    // What the fuzzer found next (issue 12's 30-minute run): a broken `inherit (lib)`.
    let broken_dir = dir.path().join("broken");
    std::fs::create_dir(&broken_dir).expect("mkdir");
    write(
        &broken_dir,
        "home.nix",
        "# A home.ni o flake).\n{ config, lib, pkgs.. }:\nlet\n  inherit (lib) mkIf mkMerge optionalAttrs;\n  terminal = \"foot\";op = true;\nin\n{\n  imports = [x analysed on its owflake).\n, lib, pkgs\n  inherit (lib) mkIf mkMerge optionalAttrs;\n  termina\0\0\0\0\0\0\0\x08t\";\n  la",
    );
    // And after that (the 30-minute run of issue 12's last session): data that contains
    // itself once forced — nixpkgs' `types.bool.functor.type` is `types.bool` — defined
    // as a submodule's value, so the module walk forces it.
    let cyclic_dir = dir.path().join("cyclic");
    std::fs::create_dir(&cyclic_dir).expect("mkdir");
    write(
        &cyclic_dir,
        "home.nix",
        "{ lib, ... }: {
  home.file.f = lib.types.bool.functor;
  systemd.user.services = lib.types.str;
}
",
    );
    let mut entries = vec![
        dir.path().join("home.nix"),
        flake_dir.join("flake.nix"),
        broken_dir.join("home.nix"),
        cyclic_dir.join("home.nix"),
    ];
    entries.extend(configurations(&repo.join("examples")));
    entries.extend(configurations(&repo.join("tests/fixtures")));
    for entry in &entries {
        left_behind(entry);
    }
    // All of them, so one leak does not hide another.
    let leaking: Vec<String> = entries
        .iter()
        .filter_map(|entry| match left_behind(entry) {
            0 => None,
            bytes => Some(format!("{}: {bytes} bytes", entry.display())),
        })
        .collect();
    assert!(leaking.is_empty(), "{leaking:#?}");
}

/// Every `flake.nix` and `home.nix` below `dir`.
fn configurations(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let Ok(read) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in read.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(configurations(&path));
        } else if path
            .file_name()
            .is_some_and(|n| n == "flake.nix" || n == "home.nix")
        {
            found.push(path);
        }
    }
    found.sort();
    found
}
