//! One refresh at a time per profile, across acctl processes. Refresh
//! tokens rotate and a reused one ends the session (that is how theft is
//! caught), so two processes refreshing with the same token at the same
//! moment would sign the person out. Whoever holds this lock refreshes;
//! the others, once they get it, find the new tokens in the store.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long to wait for another process's refresh before going ahead
/// without the lock (a refresh takes one round trip; a holder that hangs
/// must not hang everyone).
const WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(25);

/// Held while refreshing; the OS releases it when dropped or when the
/// process dies.
pub(crate) struct RefreshLock {
    _file: File,
}

/// The lock file of `profile` in `dir` (profile names are validated to be
/// safe file names).
fn path(dir: &Path, profile: &str) -> PathBuf {
    dir.join("locks").join(format!("refresh-{profile}.lock"))
}

impl RefreshLock {
    /// Waits up to [`WAIT`] for the lock. None when it cannot be had (no
    /// lock files on this system, or the wait ran out): the caller goes on
    /// unlocked, as it would without other processes.
    pub(crate) async fn acquire(dir: &Path, profile: &str) -> Option<Self> {
        let path = path(dir, profile);
        let file = match open(&path) {
            Ok(file) => file,
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "no refresh lock; refreshing without");
                return None;
            }
        };
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => return Some(Self { _file: file }),
                Err(TryLockError::WouldBlock) if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(POLL).await;
                }
                Err(TryLockError::WouldBlock) => {
                    tracing::warn!(
                        "another acctl held the refresh lock too long; refreshing without"
                    );
                    return None;
                }
                Err(TryLockError::Error(error)) => {
                    tracing::warn!(%error, "refresh lock failed; refreshing without");
                    return None;
                }
            }
        }
    }
}

fn open(path: &Path) -> std::io::Result<File> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_holder_at_a_time_and_released_on_drop() {
        let dir = tempfile::tempdir().expect("dir");
        let first = RefreshLock::acquire(dir.path(), "default")
            .await
            .expect("free");
        let other = open(&path(dir.path(), "default")).expect("opens");
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
        // Another profile has its own lock.
        assert!(RefreshLock::acquire(dir.path(), "work").await.is_some());
        drop(first);
        assert!(other.try_lock().is_ok(), "released on drop");
    }
}
