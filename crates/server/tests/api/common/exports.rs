//! Data exports over HTTP: start one, wait for it, download it.

use std::time::Duration;

use acctl_api::paths;
use acctl_api::privacy::{DataExport, ExportStatus};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Harness, send};

pub async fn start_export(h: &Harness, token: &str) -> DataExport {
    let response = send(h, Method::POST, paths::EXPORTS, token, json!({})).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let export: DataExport = response.json().await.expect("export");
    assert_eq!(export.status, ExportStatus::Running);
    assert_eq!(export.progress_percent, 0);
    export
}

/// Polls the export until it is no longer running (the job runs in the
/// background; it takes milliseconds).
pub async fn finished(h: &Harness, token: &str, id: &str) -> DataExport {
    let mut seen = Vec::new();
    for _ in 0..500 {
        let export: DataExport =
            serde_json::from_value(h.get_json(&paths::export(id), token).await).expect("export");
        seen.push(export.progress_percent);
        if export.status != ExportStatus::Running {
            assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
            return export;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the export did not finish: {seen:?}");
}

/// Starts an export, waits for it and downloads it: the document's text.
pub async fn export_text(h: &Harness, token: &str) -> String {
    let export = start_export(h, token).await;
    let done = finished(h, token, &export.id).await;
    assert_eq!(done.status, ExportStatus::Ready);
    let response = h.get(&paths::export_download(&export.id), token).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.expect("the document")
}
