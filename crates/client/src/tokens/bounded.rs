//! Keyring calls with a deadline. A keyring daemon that hangs (a locked
//! collection waiting for a prompt nobody sees, a stuck D-Bus) must never
//! hang acctl, so every call runs on its own thread and is given up on.

use std::sync::mpsc;
use std::time::Duration;

use super::{StoreError, StoreKind};

/// Runs `job` on a plain OS thread and waits at most `timeout` for it.
///
/// A plain thread, not a tokio worker: the Secret Service client blocks on a
/// tokio runtime of its own, which panics when entered from inside another.
/// A job that overruns is left to finish (or not) on its own; its answer is
/// dropped.
pub(crate) fn bounded<T, F>(kind: StoreKind, timeout: Duration, job: F) -> Result<T, StoreError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, StoreError> + Send + 'static,
{
    let (sender, receiver) = mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("acctl-keyring".into())
        .spawn(move || {
            // The receiver may be gone after a timeout; nobody wants the answer then.
            let _ = sender.send(job());
        });
    if let Err(error) = spawned {
        return Err(StoreError::Unavailable {
            kind,
            reason: format!("could not start a thread for it ({error})"),
        });
    }
    match receiver.recv_timeout(timeout) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(StoreError::TimedOut {
            kind,
            seconds: timeout.as_secs_f64().ceil() as u64,
        }),
        // The job panicked: report it as a broken store, never crash acctl.
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(StoreError::Unavailable {
            kind,
            reason: "the keyring call failed unexpectedly".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIND: StoreKind = StoreKind::SecretService;

    #[test]
    fn returns_the_answer_of_a_quick_job() {
        let answer = bounded(KIND, Duration::from_secs(5), || Ok(42));
        assert_eq!(answer.expect("answered"), 42);
    }

    #[test]
    fn gives_up_on_a_job_that_hangs() {
        let answer: Result<(), _> = bounded(KIND, Duration::from_millis(50), || {
            loop {
                std::thread::park();
            }
        });
        assert!(matches!(
            answer,
            Err(StoreError::TimedOut {
                kind: KIND,
                seconds: 1
            })
        ));
    }

    #[test]
    fn a_panicking_job_is_an_unavailable_store() {
        let answer: Result<(), _> = bounded(KIND, Duration::from_secs(5), || panic!("boom"));
        assert!(matches!(answer, Err(StoreError::Unavailable { .. })));
    }

    #[tokio::test]
    async fn can_be_called_from_inside_a_tokio_runtime() {
        // The job itself starts a runtime, as zbus's blocking API does.
        let answer = bounded(KIND, Duration::from_secs(5), || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .map_err(|e| StoreError::Unavailable {
                    kind: KIND,
                    reason: e.to_string(),
                })?;
            Ok(runtime.block_on(async { 7 }))
        });
        assert_eq!(answer.expect("answered"), 7);
    }
}
