//! The analyser never panics: on every Nix file in the repository, analysed as a flake or
//! module, and on every prefix of them (a bounded stand-in for fuzzing, cheap enough for CI).

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn nix_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // The differential suite's many small flakes add time, not variety.
        if path.is_dir()
            && !entry
                .file_name()
                .to_string_lossy()
                .starts_with("differential")
        {
            nix_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "nix") {
            out.push(path);
        }
    }
}

fn all_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["tests/fixtures", "examples", "nix"] {
        nix_files(&repo().join(dir), &mut files);
    }
    assert!(files.len() > 20, "found only {} files", files.len());
    files
}

#[test]
fn every_repository_file_analyses_without_panicking() {
    for file in all_files() {
        // Each file as given (flake.nix as a flake, others as modules), and its directory.
        hm_model::analyse(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let _ = hm_model::analyse(file.parent().expect("parent"));
    }
}

#[test]
fn every_prefix_of_every_fixture_analyses_without_panicking() {
    let scratch = tempfile::tempdir().expect("tempdir");
    for file in all_files() {
        let text = std::fs::read_to_string(&file).expect("read");
        let name = file.file_name().expect("name");
        let target = scratch.path().join(name);
        // Every 7th cut: thousands of broken files, each a different parse error.
        for cut in (0..=text.len())
            .step_by(7)
            .filter(|c| text.is_char_boundary(*c))
        {
            std::fs::write(&target, &text[..cut]).expect("write");
            if let Err(e) = hm_model::analyse(&target) {
                panic!("{} cut at {cut}: {e}", file.display());
            }
        }
    }
}
