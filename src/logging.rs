//! Logs go to a daily file `acctl.log.<date>` in `<state dir>/logs`, never to
//! the terminal: the TUI owns the screen, and CLI output stays clean for
//! scripts. `ACCTL_LOG` sets the filter (default `info`).

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;

/// The variable that holds the log filter, e.g. `debug` or `acctl=trace`.
pub const LOG_ENV: &str = "ACCTL_LOG";
const DEFAULT_FILTER: &str = "info";
/// Old files beyond this many days are deleted.
const KEEP_FILES: usize = 14;

/// Who is running: decides whether a logging problem may be printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogMode {
    /// The full-screen console: nothing may be printed.
    Tui,
    /// A subcommand: problems are worth a warning on stderr.
    Cli,
}

/// Keep this alive until the program ends: dropping it flushes the file.
#[must_use = "logs are lost when the guard is dropped early"]
pub struct LogGuard {
    _worker: Option<WorkerGuard>,
    /// The log directory, when file logging works.
    pub dir: Option<PathBuf>,
}

/// Logs to `<state_dir>/logs` with the filter in `ACCTL_LOG`, else the
/// level `verbosity` asks for (-1 `--quiet`: warn; 0: info; 1 `-v`: debug;
/// 2 `-vv`: trace). A verbose subcommand also copies the log to stderr. If
/// the directory cannot be made, acctl carries on without logs.
pub fn init(state_dir: Option<&Path>, mode: LogMode, verbosity: i8) -> LogGuard {
    let filter = std::env::var(LOG_ENV)
        .ok()
        .filter(|f| !f.trim().is_empty())
        .unwrap_or_else(|| level_for(verbosity).to_string());
    let echo = mode == LogMode::Cli && verbosity > 0;
    init_inner(state_dir.map(|d| d.join("logs")), Some(&filter), mode, echo)
}

/// The filter for a verbosity.
fn level_for(verbosity: i8) -> &'static str {
    match verbosity {
        i8::MIN..=-1 => "warn",
        0 => DEFAULT_FILTER,
        1 => "debug",
        _ => "trace",
    }
}

/// [`init`] with the directory and filter given, for tests.
pub fn init_with(dir: Option<PathBuf>, filter: Option<&str>, mode: LogMode) -> LogGuard {
    init_inner(dir, filter, mode, false)
}

fn init_inner(dir: Option<PathBuf>, filter: Option<&str>, mode: LogMode, echo: bool) -> LogGuard {
    let warn = |message: String| {
        if mode == LogMode::Cli {
            eprintln!("warning: {message}");
        }
    };
    let filter = parse_filter(filter).unwrap_or_else(|problem| {
        warn(problem.to_string());
        EnvFilter::new(DEFAULT_FILTER)
    });
    let Some(dir) = dir else {
        warn("no state directory is known (set ACCTL_STATE_DIR); logging is off".into());
        return LogGuard::off();
    };
    match daily_file(&dir) {
        Ok(appender) => install(appender, filter, dir, echo),
        Err(reason) => {
            let shown = dir.display();
            warn(format!(
                "logging is off: cannot write logs to {shown}: {reason}"
            ));
            LogGuard::off()
        }
    }
}

impl LogGuard {
    fn off() -> Self {
        Self {
            _worker: None,
            dir: None,
        }
    }
}

fn install(appender: RollingFileAppender, filter: EnvFilter, dir: PathBuf, echo: bool) -> LogGuard {
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let (writer, worker) = tracing_appender::non_blocking(appender);
    let file = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(false);
    // Plain text on stderr too: no colour codes, whatever stderr is.
    let stderr = echo.then(|| {
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(false)
    });
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(file)
        .with(stderr)
        .try_init();
    // Already installed (a test that set up logging before): keep that one.
    if installed.is_err() {
        return LogGuard::off();
    }
    LogGuard {
        _worker: Some(worker),
        dir: Some(dir),
    }
}

/// Why logging is not set up as asked; each is a warning, never fatal.
#[derive(Debug, thiserror::Error)]
enum LogProblem {
    #[error("{LOG_ENV}='{text}' is not a log filter ({source}); logging at {DEFAULT_FILTER}")]
    Filter {
        text: String,
        source: tracing_subscriber::filter::ParseError,
    },
    #[error(transparent)]
    Dir(#[from] std::io::Error),
    #[error(transparent)]
    File(#[from] tracing_appender::rolling::InitError),
}

fn parse_filter(filter: Option<&str>) -> Result<EnvFilter, LogProblem> {
    let text = filter
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .unwrap_or(DEFAULT_FILTER);
    EnvFilter::try_new(text).map_err(|source| LogProblem::Filter {
        text: text.to_string(),
        source,
    })
}

fn daily_file(dir: &Path) -> Result<RollingFileAppender, LogProblem> {
    std::fs::create_dir_all(dir)?;
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix("acctl.log")
        .max_log_files(KEEP_FILES)
        .build(dir)?;
    Ok(appender)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbosity_picks_the_level() {
        assert_eq!(level_for(-1), "warn");
        assert_eq!(level_for(0), "info");
        assert_eq!(level_for(1), "debug");
        assert_eq!(level_for(5), "trace");
    }

    #[test]
    fn filters_parse_and_bad_ones_say_so() {
        assert!(parse_filter(None).is_ok());
        assert!(parse_filter(Some("acctl=debug,reqwest=warn")).is_ok());
        let err = parse_filter(Some("acctl=loud"))
            .expect_err("invalid")
            .to_string();
        assert!(err.contains("ACCTL_LOG"), "{err}");
    }

    #[test]
    fn an_unwritable_directory_turns_logging_off_without_failing() {
        let file = tempfile::NamedTempFile::new().expect("temp file");
        // A directory cannot be created inside a regular file.
        let guard = init_with(Some(file.path().join("logs")), None, LogMode::Tui);
        assert!(guard.dir.is_none());
    }

    #[test]
    fn the_log_directory_is_created() {
        let dir = tempfile::tempdir().expect("temp dir");
        let logs = dir.path().join("state/logs");
        let appender = daily_file(&logs);
        assert!(appender.is_ok());
        assert!(logs.is_dir());
    }
}
