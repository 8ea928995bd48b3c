//! `acctl export [--output PATH] [--force]`: asks the server for a copy of
//! everything it holds about you, waits for it, and saves it as one JSON
//! file.

use acctl_client::Feature;
use std::path::{Path, PathBuf};
use std::time::Duration;

use acctl_api::privacy::{DataExport, ExportStatus};
use chrono::Local;
use clap::Args;

use super::download::{ProgressLine, check_target, until_interrupted};
use super::session::ProfileSession;
use super::{CliError, Exit, Invocation};
use acctl_client::{Client, Progress};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where to save the export (default: ./acctl-export-<date>.json).
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Replace the file at the path if there is one.
    #[arg(long)]
    pub force: bool,
}

/// How often the export's progress is asked for while it is built.
const POLL: Duration = Duration::from_millis(250);
/// How long to wait for the server to build an export before giving up.
const MOST_WAIT: Duration = Duration::from_secs(15 * 60);

pub(super) fn default_path() -> PathBuf {
    PathBuf::from(format!(
        "acctl-export-{}.json",
        Local::now().format("%Y-%m-%d")
    ))
}

pub(super) async fn run(inv: Invocation, args: ExportArgs) -> Result<(), CliError> {
    let dest = args.output.clone().unwrap_or_else(default_path);
    // Before anything is asked of the server.
    check_target(&dest, args.force)?;
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::DataExport)
        .await?;
    let bytes = until_interrupted(export_to(&client, &dest, inv.quiet)).await?;
    println!("{}", dest.display());
    if !inv.quiet {
        eprintln!("Saved your data export ({bytes} bytes).");
    }
    Ok(())
}

async fn export_to(client: &Client, dest: &Path, quiet: bool) -> Result<u64, CliError> {
    let started = client.privacy().start_export().await?;
    let ready = wait_until_ready(client, started, quiet).await?;
    let mut line = ProgressLine::new("Downloading", quiet);
    let bytes = client
        .privacy()
        .download_export(&ready.id, dest, |progress: Progress| {
            line.download(progress)
        })
        .await?;
    line.finish();
    Ok(bytes)
}

/// Polls the job until it is ready, showing its percent as it moves.
async fn wait_until_ready(
    client: &Client,
    mut export: DataExport,
    quiet: bool,
) -> Result<DataExport, CliError> {
    let mut line = ProgressLine::new("Preparing your export", quiet);
    let deadline = tokio::time::Instant::now() + MOST_WAIT;
    loop {
        match export.status {
            ExportStatus::Ready => {
                line.show("100%".into());
                line.finish();
                return Ok(export);
            }
            ExportStatus::Failed => {
                return Err(CliError::new(
                    Exit::Error,
                    "the server could not build the export; run `acctl export` again later",
                ));
            }
            ExportStatus::Expired => {
                return Err(CliError::new(
                    Exit::Error,
                    "the export expired before it was downloaded; run `acctl export` again",
                ));
            }
            ExportStatus::Running => line.show(format!("{}%", export.progress_percent.min(100))),
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(CliError::new(
                Exit::Error,
                format!(
                    "the export is still being built after {} minutes; run `acctl export` \
                     again later",
                    MOST_WAIT.as_secs() / 60
                ),
            ));
        }
        tokio::time::sleep(POLL).await;
        export = client.privacy().export(&export.id).await?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_name_carries_the_date() {
        let name = default_path().display().to_string();
        assert!(
            name.starts_with("acctl-export-") && name.ends_with(".json"),
            "{name}"
        );
        let date = &name["acctl-export-".len()..name.len() - ".json".len()];
        assert!(
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
            "{date}"
        );
    }
}
