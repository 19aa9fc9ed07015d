use std::path::{Path, PathBuf};

/// Maps `/nix/store/<hash>-source/<rel>` back to a file of the user's: Nix copies a flake
/// (the whole git work tree, for a flake in one) to the store before evaluating it.
#[derive(Debug, Clone)]
pub struct StoreMapper {
    /// Directories the store copy may stand for, most likely first.
    roots: Vec<PathBuf>,
}

impl StoreMapper {
    pub fn new(roots: Vec<PathBuf>) -> Self {
        Self { roots }
    }

    /// For a flake in `dir`: its git work tree (what Nix copies for a git flake), then `dir`.
    pub fn for_flake(dir: &Path) -> Self {
        Self::new(
            crate::work_tree(dir)
                .into_iter()
                .chain([dir.to_path_buf()])
                .collect(),
        )
    }

    /// The local file `path` is a copy of, if one of the roots has it.
    pub fn local(&self, path: &str) -> Option<PathBuf> {
        let rest = path.strip_prefix("/nix/store/")?;
        let (name, relative) = rest.split_once('/')?;
        if !name.ends_with("-source") {
            return None;
        }
        self.roots
            .iter()
            .map(|root| root.join(relative))
            .find(|candidate| candidate.is_file())
    }

    /// Whether `path` is already a local file (Nix prints those for `path:` flakes at times).
    pub fn existing(path: &str) -> Option<PathBuf> {
        let path = Path::new(path);
        (!path.starts_with("/nix/store") && path.is_file()).then(|| path.to_path_buf())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_store_copies_to_local_files() {
        let repo = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(repo.path().join("examples")).expect("mkdir");
        std::fs::write(repo.path().join("examples/home.nix"), "{ }").expect("write");
        let mapper = StoreMapper::new(vec![repo.path().to_path_buf()]);
        assert_eq!(
            mapper.local("/nix/store/abc-source/examples/home.nix"),
            Some(repo.path().join("examples/home.nix"))
        );
        assert_eq!(mapper.local("/nix/store/abc-source/lib/modules.nix"), None);
        assert_eq!(mapper.local("/nix/store/abc-hello/bin/hello"), None);
    }
}
