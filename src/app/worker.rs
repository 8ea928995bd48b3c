//! The only place that calls the server. Screens send a [`Request`]; the
//! [`Dispatcher`] drops it if an identical one is already running (a refresh
//! pressed ten times costs one request), and the worker runs it on its own
//! task and answers with an [`Action::Response`].

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use acctl_api::{ChangePasswordRequest, LoginMfaRequest};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use super::action::{
    Action, AvatarFailure, AvatarLoadError, LoginDone, PictureFileError, ProfileDone,
    ProfileRequest, Request, RequestKey, Response, SecurityChange, SecurityDone,
};
use crate::context::AppContext;
use crate::widgets::avatar::{Picture, PictureError};
use acctl_client::profiles::{self, Profile};
use acctl_client::tokens::TokenStore;
use acctl_client::{ApiError, Client, LoginOutcome, TokenPersistence, normalize_base_url};

mod billing;
mod notifications_privacy;

/// The app's side: what is in flight, and the way to the worker.
#[derive(Debug)]
pub struct Dispatcher {
    tx: UnboundedSender<Request>,
    in_flight: HashSet<RequestKey>,
}

impl Dispatcher {
    pub fn new(tx: UnboundedSender<Request>) -> Self {
        Self {
            tx,
            in_flight: HashSet::new(),
        }
    }

    /// Sends `request` unless the same one is running. True when sent.
    pub fn submit(&mut self, request: Request) -> bool {
        let key = request.key();
        if !self.in_flight.insert(key.clone()) {
            tracing::debug!(?key, "request already in flight; not sent again");
            return false;
        }
        if self.tx.send(request).is_err() {
            tracing::error!(?key, "the worker has stopped; request dropped");
            self.in_flight.remove(&key);
            return false;
        }
        true
    }

    pub fn finish(&mut self, key: &RequestKey) {
        self.in_flight.remove(key);
    }

    pub fn is_busy(&self) -> bool {
        !self.in_flight.is_empty()
    }

    /// What is on its way now.
    pub fn in_flight(&self) -> impl Iterator<Item = &RequestKey> {
        self.in_flight.iter()
    }

    pub fn is_in_flight(&self, key: &RequestKey) -> bool {
        self.in_flight.contains(key)
    }

    /// Forgets everything in flight (signed out: their answers no longer
    /// matter, and the same requests must be allowed again).
    pub fn clear(&mut self) {
        self.in_flight.clear();
    }
}

/// What the worker needs besides the client, to switch servers and save
/// the profile after a sign-in.
#[derive(Clone)]
struct Env {
    store: Arc<dyn TokenStore>,
    profile: String,
    config_dir: Option<PathBuf>,
    demo: bool,
}

/// Starts the worker on the current tokio runtime; returns where to send it
/// requests. It stops when that sender is dropped.
pub fn spawn(ctx: &AppContext, actions: UnboundedSender<Action>) -> UnboundedSender<Request> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let env = Env {
        store: ctx.store.clone(),
        profile: ctx.profile.clone(),
        config_dir: ctx.config_dir.clone(),
        demo: ctx.demo.is_some(),
    };
    tokio::spawn(run(ctx.client.clone(), env, rx, actions));
    tx
}

async fn run(
    mut client: Client,
    env: Env,
    mut requests: UnboundedReceiver<Request>,
    actions: UnboundedSender<Action>,
) {
    while let Some(request) = requests.recv().await {
        if let Request::Login { server, .. } = &request {
            match switch_server(&client, server, &env) {
                Ok(Some(new)) => client = new,
                Ok(None) => {}
                Err(e) => {
                    let _ = actions.send(Action::Response(Response::Login(Err(e))));
                    continue;
                }
            }
        }
        let (client, env, actions) = (client.clone(), env.clone(), actions.clone());
        tokio::spawn(async move {
            let response = execute(&client, &env, request, &actions).await;
            // The app may be gone (quitting); nothing is waiting then.
            let _ = actions.send(Action::Response(response));
        });
    }
}

/// A client for `server` when it is not the one in use.
fn switch_server(client: &Client, server: &str, env: &Env) -> Result<Option<Client>, ApiError> {
    let base = normalize_base_url(server)?;
    if base == client.base_url() {
        return Ok(None);
    }
    let options = client.options().clone();
    let new = if env.demo {
        Client::new(&base, options)?
    } else {
        let persistence = TokenPersistence::new(env.store.clone(), &env.profile);
        Client::with_persistence(&base, options, persistence)?
    };
    tracing::info!(server = %base, "switched server from the login screen");
    Ok(Some(new))
}

async fn execute(
    client: &Client,
    env: &Env,
    request: Request,
    actions: &UnboundedSender<Action>,
) -> Response {
    match request {
        Request::Login {
            email, password, ..
        } => {
            let outcome = client.auth().login(&email, password).await;
            Response::Login(signed_in(client, env, &email, outcome).await)
        }
        Request::LoginMfa {
            email,
            mfa_token,
            code,
            recovery,
        } => {
            let body = LoginMfaRequest {
                mfa_token,
                code: (!recovery).then(|| code.clone()),
                recovery_code: recovery.then_some(code),
            };
            let outcome = client.auth().login_mfa(body).await;
            Response::Login(signed_in(client, env, &email, outcome).await)
        }
        Request::Logout => Response::LoggedOut(client.auth().logout().await),
        Request::LoadAccount => Response::Account(client.me().get().await),
        Request::LoadSessions => Response::Sessions(client.sessions().list_all().await),
        Request::Revoke { id } => {
            let result = client.sessions().revoke(&id).await;
            Response::Revoked { id, result }
        }
        Request::RevokeOthers => Response::RevokedOthers(client.sessions().revoke_others().await),
        Request::LoadMfaStatus => Response::MfaStatus(client.security().mfa_status().await),
        Request::LoadSecurityEvents { cursor, kind } => {
            let query = acctl_api::PageQuery {
                limit: Some(SECURITY_LOG_PAGE),
                cursor: cursor.clone(),
            };
            let result = client.security_events().list(&query, kind).await;
            Response::SecurityEvents {
                cursor,
                kind,
                result,
            }
        }
        Request::SaveFile { path, contents } => {
            let target = path.clone();
            let result = tokio::task::spawn_blocking(move || {
                crate::files::create_private(&target, &contents)
            })
            .await
            .unwrap_or_else(|e| Err(crate::files::SaveError::Stopped(e.to_string())));
            Response::FileSaved { path, result }
        }
        Request::Security(change) => Response::Security(security(client, env, change).await),
        Request::Profile(request) => Response::Profile(profile(client, request).await),
        Request::Notifications(request) => {
            Response::Notifications(notifications_privacy::notifications(client, request).await)
        }
        Request::Privacy(request) => {
            Response::Privacy(notifications_privacy::privacy(client, request, actions).await)
        }
        Request::Billing(request) => {
            Response::Billing(billing::billing(client, request, actions).await)
        }
    }
}

async fn profile(client: &Client, request: ProfileRequest) -> ProfileDone {
    let profile = client.profile();
    match request {
        ProfileRequest::Load => ProfileDone::Loaded(profile.get().await),
        ProfileRequest::Save { patch, etag } => {
            ProfileDone::Saved(profile.update(&patch, &etag).await)
        }
        ProfileRequest::LoadAvatar => ProfileDone::Avatar(load_avatar(client).await),
        ProfileRequest::SetAvatar { path } => {
            let bytes = match read_picture(path).await {
                Ok(bytes) => bytes,
                Err(why) => return ProfileDone::AvatarChanged(Err(AvatarFailure::File(why))),
            };
            let result = profile.set_avatar(&bytes).await;
            ProfileDone::AvatarChanged(result.map_err(AvatarFailure::Api))
        }
        ProfileRequest::RemoveAvatar => {
            ProfileDone::AvatarChanged(profile.remove_avatar().await.map_err(AvatarFailure::Api))
        }
        ProfileRequest::LoadPreferences => {
            ProfileDone::Preferences(client.preferences().get().await)
        }
        ProfileRequest::SavePreferences { patch, etag } => {
            ProfileDone::PreferencesSaved(client.preferences().update(&patch, &etag).await)
        }
    }
}

/// The avatar, decoded off the UI thread into the pixels the console draws.
async fn load_avatar(client: &Client) -> Result<Option<Picture>, AvatarLoadError> {
    let Some(png) = client.profile().avatar().await? else {
        return Ok(None);
    };
    match tokio::task::spawn_blocking(move || Picture::from_png(&png)).await {
        Ok(decoded) => Ok(Some(decoded?)),
        // The decoding panicked: the picture is as unreadable as a bad one.
        Err(e) => Err(AvatarLoadError::Unreadable(PictureError::Decode(
            e.to_string(),
        ))),
    }
}

/// A picture file to upload: read whole, checked for size and kind first so
/// a wrong file is explained before anything is sent.
async fn read_picture(path: PathBuf) -> Result<Vec<u8>, PictureFileError> {
    let shown = path.clone();
    let bytes = tokio::task::spawn_blocking(move || read_small_file(&path))
        .await
        .unwrap_or_else(|e| {
            Err(PictureFileError::Unreadable {
                path: shown.clone(),
                reason: e.to_string(),
            })
        })?;
    if acctl_client::image_type(&bytes).is_none() {
        return Err(PictureFileError::NotAPicture(shown));
    }
    Ok(bytes)
}

/// The file's bytes, unless it is larger than an avatar may be.
fn read_small_file(path: &std::path::Path) -> Result<Vec<u8>, PictureFileError> {
    let unreadable = |e: std::io::Error| PictureFileError::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.len() > acctl_api::AVATAR_MAX_BYTES as u64 {
        return Err(PictureFileError::TooLarge {
            path: path.to_path_buf(),
            kib: meta.len() / 1024,
            max_kib: acctl_api::AVATAR_MAX_BYTES / 1024,
        });
    }
    std::fs::read(path).map_err(unreadable)
}

/// Rows asked for per page of the security log.
const SECURITY_LOG_PAGE: u32 = 50;

async fn security(client: &Client, env: &Env, change: SecurityChange) -> SecurityDone {
    let security = client.security();
    match change {
        SecurityChange::ChangePassword {
            current,
            new,
            sign_out_others,
        } => {
            let body = ChangePasswordRequest {
                current_password: current,
                new_password: new,
                sign_out_other_sessions: sign_out_others,
            };
            SecurityDone::PasswordChanged(security.change_password(&body).await)
        }
        SecurityChange::RequestEmailChange {
            new_email,
            password,
        } => {
            let result = security.request_email_change(&new_email, password).await;
            let demo_mail = match (&result, env.demo) {
                (Ok(()), true) => security
                    .dev_outbox(&new_email)
                    .await
                    .ok()
                    .and_then(|mail| mail.into_iter().last())
                    .map(|m| format!("{}\n\n{}", m.subject, m.body)),
                _ => None,
            };
            SecurityDone::EmailChangeRequested {
                new_email,
                result,
                demo_mail,
            }
        }
        SecurityChange::VerifyEmail { code } => {
            SecurityDone::EmailVerified(security.verify_email(code).await)
        }
        SecurityChange::EnrollTotp { password } => {
            SecurityDone::TotpEnrolled(security.enroll_totp(password).await)
        }
        SecurityChange::ConfirmTotp { code } => {
            SecurityDone::TotpConfirmed(security.confirm_totp(code).await)
        }
        SecurityChange::DisableTotp { password, code } => {
            SecurityDone::TotpDisabled(security.disable_totp(password, code).await)
        }
        SecurityChange::RegenerateRecoveryCodes { password } => {
            SecurityDone::RecoveryCodesRegenerated(
                security.regenerate_recovery_codes(password).await,
            )
        }
    }
}

async fn signed_in(
    client: &Client,
    env: &Env,
    email: &str,
    outcome: Result<LoginOutcome, ApiError>,
) -> Result<LoginDone, ApiError> {
    match outcome? {
        LoginOutcome::MfaRequired(challenge) => Ok(LoginDone::MfaRequired(challenge)),
        LoginOutcome::SignedIn(_) => {
            let server = client.base_url().to_string();
            let profile_warning = save_profile(env, &server, email).await;
            Ok(LoginDone::SignedIn {
                server,
                email: email.to_string(),
                profile_warning,
            })
        }
    }
}

/// Remembers server and email for next time; a failure is only a warning.
async fn save_profile(env: &Env, server: &str, email: &str) -> Option<String> {
    let dir = env.config_dir.clone()?;
    let name = env.profile.clone();
    let profile = Profile {
        server: server.to_string(),
        email: Some(email.to_string()),
    };
    let saved = tokio::task::spawn_blocking(move || profiles::save(&dir, &name, &profile)).await;
    match saved {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(format!("signed in, but the profile was not saved: {e}")),
        Err(e) => Some(format!("signed in, but the profile was not saved: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        Env {
            store: Arc::new(acctl_client::tokens::MemoryStore::default()),
            profile: "default".into(),
            config_dir: None,
            demo: false,
        }
    }

    #[test]
    fn the_login_form_switches_servers_only_when_the_address_changes() {
        let client = Client::new("http://127.0.0.1:9", Default::default()).expect("client");
        let same = switch_server(&client, "127.0.0.1:9/", &env()).expect("valid");
        assert!(same.is_none(), "the same server, spelled differently");
        let other = switch_server(&client, "https://acct.example.com", &env())
            .expect("valid")
            .expect("a new client");
        assert_eq!(other.base_url(), "https://acct.example.com");
        let bad = switch_server(&client, "ftp://x", &env());
        assert!(matches!(bad, Err(ApiError::InvalidServerUrl { .. })));
    }

    #[test]
    fn identical_requests_in_flight_are_sent_once() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut d = Dispatcher::new(tx);
        for _ in 0..10 {
            d.submit(Request::LoadSessions);
        }
        assert!(d.submit(Request::LoadAccount));
        assert_eq!(std::iter::from_fn(|| rx.try_recv().ok()).count(), 2);
        d.finish(&RequestKey::LoadSessions);
        assert!(
            d.submit(Request::LoadSessions),
            "allowed again once answered"
        );
        assert!(d.submit(Request::Revoke { id: "a".into() }));
        assert!(
            d.submit(Request::Revoke { id: "b".into() }),
            "different ids differ"
        );
    }
}
