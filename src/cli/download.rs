//! What `acctl export` and `acctl invoices download` share: the file they
//! may write, progress on stderr, and Ctrl-C that leaves no half file.

use std::io::IsTerminal as _;
use std::path::Path;

use acctl_client::Progress;

use super::{CliError, Exit};

/// Refuses a target that exists (unless `force`) or is a directory, before
/// anything is asked of the server.
pub(super) fn check_target(path: &Path, force: bool) -> Result<(), CliError> {
    let shown = path.display();
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Err(CliError::new(
            Exit::Usage,
            format!("--output: {shown} is a directory; name a file in it instead"),
        )),
        Ok(_) if !force => Err(CliError::new(
            Exit::Usage,
            format!(
                "--output: {shown} already exists; pass --force to replace it, or \
                 --output another path"
            ),
        )),
        _ => Ok(()),
    }
}

/// Runs `work` until it ends or Ctrl-C. On Ctrl-C `work` is dropped, and
/// with it the download's temporary file beside the target (it is only
/// renamed into place once complete), so nothing half-written stays.
pub(super) async fn until_interrupted<T>(
    work: impl Future<Output = Result<T, CliError>>,
) -> Result<T, CliError> {
    let interrupt = async {
        // No handler (not expected): then Ctrl-C simply ends the process,
        // which also leaves only the temporary file's name unused.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    race(work, interrupt).await
}

async fn race<T>(
    work: impl Future<Output = Result<T, CliError>>,
    interrupt: impl Future<Output = ()>,
) -> Result<T, CliError> {
    tokio::select! {
        biased;
        result = work => result,
        () = interrupt => Err(CliError::new(
            Exit::Interrupted,
            "interrupted; nothing was saved",
        )),
    }
}

/// One line of progress on stderr: rewritten in place on a terminal, else
/// a plain line each time it changes (for logs and CI).
pub(super) struct ProgressLine {
    label: &'static str,
    terminal: bool,
    /// `--quiet`: nothing is shown.
    quiet: bool,
    last: Option<String>,
    width: usize,
}

impl ProgressLine {
    pub fn new(label: &'static str, quiet: bool) -> Self {
        Self {
            label,
            terminal: std::io::stderr().is_terminal(),
            quiet,
            last: None,
            width: 0,
        }
    }

    /// Shows `state` (e.g. "40%") unless it is what is shown already.
    pub fn show(&mut self, state: String) {
        if self.quiet || self.last.as_deref() == Some(state.as_str()) {
            return;
        }
        let line = format!("{}: {state}", self.label);
        if self.terminal {
            // Spaces over the rest of a longer line before: no escape codes.
            let width = self.width.max(line.chars().count());
            eprint!("\r{line:<width$}");
            self.width = width;
        } else {
            eprintln!("{line}");
        }
        self.last = Some(state);
    }

    /// How far a download is, as precise as the output allows.
    pub fn download(&mut self, progress: Progress) {
        self.show(download_state(progress, self.terminal));
    }

    /// Ends the rewritten line so what follows starts on its own.
    pub fn finish(&mut self) {
        if self.terminal && self.last.is_some() {
            eprintln!();
        }
        self.last = None;
        self.width = 0;
    }
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        self.finish();
    }
}

/// "52%" when the size is known; else the bytes so far, in KiB on a
/// terminal and whole MiB in a log (a line per chunk would flood it).
fn download_state(progress: Progress, fine: bool) -> String {
    if let Some(percent) = progress.percent() {
        return format!("{percent}%");
    }
    if fine {
        format!("{} KiB", progress.received / 1024)
    } else {
        format!("{} MiB", progress.received / (1024 * 1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_is_kept_unless_forced() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("a.json");
        assert!(check_target(&file, false).is_ok(), "free name");
        std::fs::write(&file, "kept").expect("written");
        let err = check_target(&file, false).expect_err("exists");
        assert_eq!(err.exit, Exit::Usage);
        assert!(
            err.message.starts_with("--output: ") && err.message.contains("--force"),
            "{}",
            err.message
        );
        assert!(check_target(&file, true).is_ok());
        let err = check_target(dir.path(), true).expect_err("a directory");
        assert!(err.message.contains("is a directory"), "{}", err.message);
    }

    #[tokio::test]
    async fn an_interrupted_download_leaves_no_file() {
        let dir = tempfile::tempdir().expect("dir");
        let (started, interrupt) = tokio::sync::oneshot::channel::<()>();
        let work = async {
            // As download_to does: the part file lives across the awaits.
            let part = tempfile::NamedTempFile::new_in(dir.path()).expect("part");
            let _ = started.send(());
            std::future::pending::<()>().await;
            drop(part);
            Ok(())
        };
        let outcome = race(work, async {
            let _ = interrupt.await;
        })
        .await;
        let err = outcome.expect_err("interrupted");
        assert_eq!(err.exit, Exit::Interrupted);
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }

    #[test]
    fn download_progress_is_a_percent_when_the_size_is_known() {
        let p = |received, total| Progress { received, total };
        assert_eq!(download_state(p(512, Some(1024)), false), "50%");
        assert_eq!(download_state(p(3 * 1024 * 1024, None), false), "3 MiB");
        assert_eq!(download_state(p(3 * 1024 * 1024, None), true), "3072 KiB");
    }
}
