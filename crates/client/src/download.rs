//! Downloads to a file (an export, an invoice PDF) with progress, written
//! beside the target and renamed into place, so a broken download never
//! leaves a half file under the name asked for.

use std::io::Write;
use std::path::Path;

use reqwest::Method;

use super::answer::error_from;
use super::transport::Payload;
use super::{ApiError, Client};

/// How far a download is: bytes so far, and the total when the server said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub received: u64,
    pub total: Option<u64>,
}

impl Progress {
    /// 0 to 100, when the total is known.
    pub fn percent(&self) -> Option<u8> {
        let total = self.total.filter(|t| *t > 0)?;
        let percent = self.received.saturating_mul(100) / total;
        Some(u8::try_from(percent.min(100)).unwrap_or(100))
    }
}

impl Client {
    /// GETs `path` into the file `dest`, calling `progress` after each
    /// chunk. Answers the bytes written.
    pub async fn download_to(
        &self,
        path: &str,
        dest: &Path,
        mut progress: impl FnMut(Progress) + Send,
    ) -> Result<u64, ApiError> {
        let mut response = self
            .send_authed_with(Method::GET, path, Payload::None, None)
            .await?;
        if !response.status().is_success() {
            return Err(error_from(response).await);
        }
        let file_error = |e: std::io::Error| ApiError::File {
            path: dest.display().to_string(),
            reason: e.to_string(),
        };
        let dir = match dest.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let mut part = tempfile::NamedTempFile::new_in(dir).map_err(file_error)?;
        let total = response.content_length();
        let mut received = 0u64;
        progress(Progress { received, total });
        loop {
            let chunk = response.chunk().await.map_err(|e| ApiError::Unexpected {
                status: 200,
                request_id: None,
                reason: format!("the download broke off ({e})"),
            })?;
            let Some(chunk) = chunk else { break };
            part.write_all(&chunk).map_err(file_error)?;
            received += chunk.len() as u64;
            progress(Progress { received, total });
        }
        part.flush().map_err(file_error)?;
        part.persist(dest).map_err(|e| file_error(e.error))?;
        Ok(received)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_needs_a_total() {
        let p = |received, total| Progress { received, total }.percent();
        assert_eq!(p(50, Some(200)), Some(25));
        assert_eq!(p(300, Some(200)), Some(100));
        assert_eq!(p(5, None), None);
        assert_eq!(p(5, Some(0)), None);
    }
}
