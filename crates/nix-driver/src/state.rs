//! Home Manager's state directory, `$XDG_STATE_HOME/home-manager`: the GC roots
//! `gcroots/new-home` (the generation being activated) and `gcroots/current-home` (the
//! generation whose links are in `$HOME`), as the activation script keeps them, and hm's
//! switch lock.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct HmState {
    dir: PathBuf,
}

/// Held while a switch runs; released when hm and every process it started (which inherit
/// it) have ended.
#[derive(Debug)]
pub struct SwitchLock {
    _file: File,
}

impl HmState {
    pub fn for_user(home: &Path, xdg_state_home: Option<&Path>) -> Self {
        let state = xdg_state_home.map_or_else(|| home.join(".local/state"), Path::to_path_buf);
        Self {
            dir: state.join("home-manager"),
        }
    }

    /// The GC root the activation script holds while it runs (and leaves behind when it is
    /// killed).
    pub fn new_home(&self) -> PathBuf {
        self.dir.join("gcroots/new-home")
    }

    /// hm's GC root of the generation it switches to: hm builds to it, so the generation is
    /// a GC root from the build until the profile records it, and a killed hm leaves one
    /// link (replaced by the next switch, and telling it to repair `$HOME`), never a pile
    /// of scratch links.
    pub fn switching(&self) -> PathBuf {
        self.dir.join("gcroots/hm-switching")
    }

    /// The GC root of the generation whose links are in `$HOME`.
    pub fn current_home(&self) -> PathBuf {
        self.dir.join("gcroots/current-home")
    }

    /// The directory itself (`~/.local/state/home-manager`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn lock_path(&self) -> PathBuf {
        self.dir.join("lock")
    }

    /// The generation `$HOME` is linked to, as the last activation recorded it.
    pub fn active_generation(&self) -> Option<PathBuf> {
        self.current_home().canonicalize().ok()
    }

    /// Generations a switch was activating when it was killed: the GC roots it left.
    pub fn unfinished(&self) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = [self.switching(), self.new_home()]
            .iter()
            .filter_map(|root| root.canonicalize().ok())
            .collect();
        found.dedup();
        found
    }

    /// Removes hm's and the activation's temporary GC roots.
    pub fn remove_temporary_roots(&self) {
        for root in [self.switching(), self.new_home()] {
            if std::fs::symlink_metadata(&root).is_ok_and(|m| m.is_symlink()) {
                let _ = std::fs::remove_file(&root);
            }
        }
    }

    /// Takes the switch lock, calling `on_wait` first when another process holds it.
    pub fn lock(&self, on_wait: impl FnOnce(&Path)) -> std::io::Result<SwitchLock> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.lock_path();
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                on_wait(&path);
                file.lock()?;
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        // Every process hm starts inherits the lock: an activation that outlives a killed
        // hm keeps it until it ends, so the next switch waits for it.
        rustix::io::fcntl_setfd(&file, rustix::io::FdFlags::empty())?;
        Ok(SwitchLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let home = tempfile::tempdir().expect("tempdir");
        let state = HmState::for_user(home.path(), None);
        let first = state.lock(|_| panic!("free")).expect("lock");
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = {
            let state = state.clone();
            std::thread::spawn(move || {
                let _second = state
                    .lock(|path| tx.send(path.to_path_buf()).expect("send"))
                    .expect("lock");
            })
        };
        let waited_on = rx.recv().expect("the second lock waits");
        assert_eq!(waited_on, state.lock_path());
        drop(first);
        waiter
            .join()
            .expect("the second lock is taken once the first is released");
    }

    #[test]
    fn children_hold_the_lock_after_hm_is_gone() {
        let home = tempfile::tempdir().expect("tempdir");
        let state = HmState::for_user(home.path(), None);
        let lock = state.lock(|_| panic!("free")).expect("lock");
        // A child that outlives the lock's owner (as an activation outlives a killed hm).
        let mut child = std::process::Command::new("sleep")
            .arg("60")
            .spawn()
            .expect("spawn");
        drop(lock);
        let probe = File::options()
            .write(true)
            .open(state.lock_path())
            .expect("open");
        assert!(
            matches!(probe.try_lock(), Err(TryLockError::WouldBlock)),
            "the child holds the lock"
        );
        child.kill().expect("kill");
        child.wait().expect("wait");
        probe.try_lock().expect("free once the child ended");
    }
}
