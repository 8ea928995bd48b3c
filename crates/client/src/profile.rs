//! `/v1/me` (the profile), `/v1/me/avatar` and `/v1/me/preferences`. The
//! profile and preferences are versioned: a change is sent with the `ETag`
//! of the version it was made to, and a 412 says someone changed it since.

use acctl_api::{Account, ErrorCode, Preferences, PreferencesPatch, ProfilePatch, paths};
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::answer::{decode, decode_bytes, etag};
use super::backend::dispatch;
use super::transport::Payload;
use super::{ApiError, Client, Feature};

/// A resource and the version it is (its `ETag`, sent back as `If-Match`).
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    pub value: T,
    pub etag: String,
}

/// The picture formats the server takes, told by their first bytes.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

impl ApiError {
    /// The change was refused because the resource changed since it was read.
    pub fn is_conflict(&self) -> bool {
        self.code() == Some(ErrorCode::PreconditionFailed)
    }
}

impl Client {
    async fn get_versioned<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<Versioned<T>, ApiError> {
        let response = self
            .send_authed_with(Method::GET, path, Payload::None, None)
            .await?;
        versioned(response).await
    }

    async fn patch_versioned<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        if_match: &str,
    ) -> Result<Versioned<T>, ApiError> {
        let body = serde_json::to_value(body).map_err(|e| ApiError::Unexpected {
            status: 0,
            request_id: None,
            reason: format!("could not encode the request ({e})"),
        })?;
        let response = self
            .send_authed_with(Method::PATCH, path, Payload::Json(&body), Some(if_match))
            .await?;
        versioned(response).await
    }
}

/// Decodes `T` with the version the answer names. A server that sends no
/// `ETag` gets `*` back, which matches any version: nothing better is known.
async fn versioned<T: DeserializeOwned>(
    response: reqwest::Response,
) -> Result<Versioned<T>, ApiError> {
    let etag = etag(&response).unwrap_or_else(|| "*".to_string());
    let value = decode(response).await?;
    Ok(Versioned { value, etag })
}

/// The signed-in account's profile and avatar.
pub struct Profile<'a> {
    client: &'a Client,
}

impl<'a> Profile<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    pub async fn get(&self) -> Result<Versioned<Account>, ApiError> {
        self.client.require(Feature::Profile).await?;
        dispatch!(self.client, profile(), acctd => self.client.get_versioned(paths::ME).await)
    }

    /// Changes the fields present in `patch`, if the profile is still at
    /// version `etag`; [`ApiError::is_conflict`] when it is not.
    pub async fn update(
        &self,
        patch: &ProfilePatch,
        etag: &str,
    ) -> Result<Versioned<Account>, ApiError> {
        self.client.require(Feature::Profile).await?;
        if patch.display_name.is_some() || patch.phone.is_some() || patch.bio.is_some() {
            self.client.require(Feature::ProfileDetails).await?;
        }
        dispatch!(self.client, update_profile(patch, etag), acctd => {
            self.client.patch_versioned(paths::ME, patch, etag).await
        })
    }

    /// The avatar as a PNG, or None when there is none.
    pub async fn avatar(&self) -> Result<Option<Vec<u8>>, ApiError> {
        self.client.require(Feature::Avatar).await?;
        let response = self
            .client
            .send_authed_with(Method::GET, paths::AVATAR, Payload::None, None)
            .await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        decode_bytes(response).await.map(Some)
    }

    /// Uploads a PNG or JPEG picture; the server makes its own square PNG.
    pub async fn set_avatar(&self, bytes: &[u8]) -> Result<Account, ApiError> {
        self.client.require(Feature::Avatar).await?;
        let content_type = image_type(bytes).unwrap_or("application/octet-stream");
        let payload = Payload::Bytes {
            content_type,
            bytes,
        };
        let response = self
            .client
            .send_authed_with(Method::PUT, paths::AVATAR, payload, None)
            .await?;
        decode(response).await
    }

    pub async fn remove_avatar(&self) -> Result<Account, ApiError> {
        self.client.require(Feature::Avatar).await?;
        let response = self
            .client
            .send_authed_with(Method::DELETE, paths::AVATAR, Payload::None, None)
            .await?;
        decode(response).await
    }
}

/// Theme, language and time zone, kept on the server so every terminal
/// signed in to the account follows them.
pub struct PreferencesApi<'a> {
    client: &'a Client,
}

impl<'a> PreferencesApi<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    pub async fn get(&self) -> Result<Versioned<Preferences>, ApiError> {
        self.client.require(Feature::Preferences).await?;
        self.client.get_versioned(paths::PREFERENCES).await
    }

    pub async fn update(
        &self,
        patch: &PreferencesPatch,
        etag: &str,
    ) -> Result<Versioned<Preferences>, ApiError> {
        self.client.require(Feature::Preferences).await?;
        self.client
            .patch_versioned(paths::PREFERENCES, patch, etag)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_told_by_their_first_bytes() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(image_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(image_type(b"GIF89a"), None);
        assert_eq!(image_type(b""), None);
    }
}
