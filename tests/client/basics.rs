//! The real `Client` against a real acctd on 127.0.0.1: sign-in, sessions,
//! refresh (with the server's manual clock, never sleeps), and errors.

use std::sync::Arc;
use std::time::Duration;

use acctl_api::{ErrorCode, PageQuery, SecretText, SecurityEventKind};
use acctl_client::tokens::{MemoryStore, StoredTokens, TokenStore};
use acctl_client::{ApiError, Client, ClientOptions, LoginOutcome, TokenPersistence};
use chrono::Utc;

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";
const PROFILE: &str = "default";

struct Fixture {
    server: acctd::RunningServer,
    clock: acctd::Clock,
}

impl Fixture {
    async fn start() -> Self {
        let clock = acctd::Clock::manual(Utc::now());
        let config = acctd::Config::for_tests().with_clock(clock.clone());
        let server = acctd::start(config).await.expect("acctd starts");
        server
            .add_user(EMAIL, "Ada Lovelace", PASSWORD)
            .await
            .expect("user added");
        Self { server, clock }
    }

    /// A client with a memory store, signed in as Ada.
    async fn signed_in(&self, device: &str) -> (Client, Arc<MemoryStore>) {
        let store = Arc::new(MemoryStore::default());
        let options = ClientOptions {
            device_name: device.to_string(),
            ..ClientOptions::default()
        };
        let persistence = TokenPersistence {
            store: store.clone(),
            profile: PROFILE.to_string(),
            lock_dir: None,
        };
        let client = Client::with_persistence(&self.server.base_url(), options, persistence)
            .expect("client");
        match client
            .auth()
            .login(EMAIL, SecretText::new(PASSWORD))
            .await
            .expect("login")
        {
            LoginOutcome::SignedIn(_) => {}
            LoginOutcome::MfaRequired(_) => panic!("no MFA on this account"),
        }
        (client, store)
    }

    /// Past the access token's lifetime (15 minutes by default).
    fn expire_access_tokens(&self) {
        self.clock.advance(Duration::from_secs(16 * 60));
    }
}

fn stored(store: &MemoryStore) -> Option<StoredTokens> {
    store.load(PROFILE).expect("memory store loads")
}

#[tokio::test]
async fn login_stores_the_tokens_and_me_answers() {
    let fx = Fixture::start().await;
    let (client, store) = fx.signed_in("laptop").await;
    let account = client.me().get().await.expect("me");
    assert_eq!(account.email, EMAIL);
    assert_eq!(account.name, "Ada Lovelace");
    let tokens = stored(&store).expect("tokens persisted on login");
    assert_eq!(
        Some(tokens.session_id),
        client.tokens().await.map(|t| t.session_id)
    );
    fx.server.shutdown().await;
}

#[tokio::test]
async fn sessions_are_listed_and_revoked() {
    let fx = Fixture::start().await;
    let (laptop, _) = fx.signed_in("laptop").await;
    let (phone, _) = fx.signed_in("phone").await;
    let (tablet, _) = fx.signed_in("tablet").await;

    let sessions = laptop.sessions().list_all().await.expect("list");
    assert_eq!(sessions.len(), 3);
    let current: Vec<_> = sessions.iter().filter(|s| s.current).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].device_name, "laptop");

    let phone_id = phone.tokens().await.expect("phone tokens").session_id;
    laptop
        .sessions()
        .revoke(&phone_id)
        .await
        .expect("revoke phone");
    let err = phone.me().get().await.expect_err("phone signed out");
    assert!(matches!(err, ApiError::SessionEnded { .. }), "{err:?}");

    let revoked = laptop
        .sessions()
        .revoke_others()
        .await
        .expect("revoke others");
    assert_eq!(revoked.revoked, 1, "only the tablet was left");
    assert!(
        tablet
            .me()
            .get()
            .await
            .expect_err("tablet signed out")
            .needs_login()
    );
    let left = laptop.sessions().list_all().await.expect("list");
    assert_eq!(left.len(), 1);
    assert!(left[0].current);
    fx.server.shutdown().await;
}

#[tokio::test]
async fn an_expired_access_token_refreshes_transparently() {
    let fx = Fixture::start().await;
    let (client, store) = fx.signed_in("laptop").await;
    let before = stored(&store).expect("tokens");

    fx.expire_access_tokens();
    let account = client.me().get().await.expect("me after refresh");
    assert_eq!(account.email, EMAIL);

    let after = stored(&store).expect("refreshed tokens persisted");
    assert_ne!(after.access_token.expose(), before.access_token.expose());
    assert_ne!(
        after.refresh_token.expose(),
        before.refresh_token.expose(),
        "rotated"
    );
    assert_eq!(after.session_id, before.session_id, "same session");
    fx.server.shutdown().await;
}

#[tokio::test]
async fn ten_concurrent_requests_with_an_expired_token_refresh_once() {
    let fx = Fixture::start().await;
    let (client, store) = fx.signed_in("laptop").await;
    fx.expire_access_tokens();

    let requests = (0..10).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.me().get().await })
    });
    for answer in futures::future::join_all(requests).await {
        answer.expect("task").expect("every request succeeds");
    }
    // A second refresh with the same refresh token would be reuse, and the
    // server would have ended the session: it is alive and clean.
    let events = client
        .security_events()
        .list(&PageQuery::default(), None)
        .await
        .expect("events");
    assert!(
        events
            .items
            .iter()
            .all(|e| e.kind != SecurityEventKind::RefreshTokenReused)
    );
    assert_eq!(
        client.sessions().list_all().await.expect("sessions").len(),
        1
    );
    // And the one refreshed pair is the one kept.
    let kept = stored(&store).expect("tokens");
    assert_eq!(
        Some(kept.access_token.expose().to_string()),
        client
            .tokens()
            .await
            .map(|t| t.access_token.expose().to_string())
    );
    fx.server.shutdown().await;
}

/// Two acctl processes of one profile share the keyring and the state dir;
/// here, two clients share one store and one lock dir.
#[tokio::test]
async fn two_processes_refreshing_at_once_stay_signed_in() {
    let fx = Fixture::start().await;
    let (first, store) = fx.signed_in("laptop").await;
    let locks = tempfile::tempdir().expect("state dir");
    let process = |store: Arc<MemoryStore>| {
        let persistence = TokenPersistence {
            store,
            profile: PROFILE.to_string(),
            lock_dir: Some(locks.path().to_path_buf()),
        };
        Client::with_persistence(&fx.server.base_url(), ClientOptions::default(), persistence)
            .expect("client")
    };
    let (a, b) = (process(store.clone()), process(store.clone()));
    let tokens = stored(&store).expect("signed in");
    a.set_tokens(Some(tokens.clone())).await;
    b.set_tokens(Some(tokens)).await;
    drop(first);

    fx.expire_access_tokens();
    let (me_a, me_b) = (a.me(), b.me());
    let (from_a, from_b) = tokio::join!(me_a.get(), me_b.get());
    from_a.expect("the first process is still signed in");
    from_b.expect("the second process is still signed in");
    // One refresh happened; the rotated token is the one stored, and it works.
    let after = stored(&store).expect("still stored");
    assert_ne!(after.refresh_token.expose(), "");
    fx.expire_access_tokens();
    a.me().get().await.expect("refreshes again later");
    b.sessions()
        .list_all()
        .await
        .expect("and so does the other");
}

/// A keyring that stops answering reads (a daemon timing out), shared with
/// other processes.
struct FlakyStore {
    tokens: MemoryStore,
    reads_fail: std::sync::atomic::AtomicBool,
}

impl TokenStore for FlakyStore {
    fn kind(&self) -> acctl_client::tokens::StoreKind {
        acctl_client::tokens::StoreKind::KernelKeyutils
    }
    fn load(
        &self,
        profile: &str,
    ) -> Result<Option<StoredTokens>, acctl_client::tokens::StoreError> {
        if self.reads_fail.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(acctl_client::tokens::StoreError::TimedOut {
                kind: self.kind(),
                seconds: 3,
            });
        }
        self.tokens.load(profile)
    }
    fn save(
        &self,
        profile: &str,
        tokens: &StoredTokens,
    ) -> Result<(), acctl_client::tokens::StoreError> {
        self.tokens.save(profile, tokens)
    }
    fn clear(&self, profile: &str) -> Result<(), acctl_client::tokens::StoreError> {
        self.tokens.clear(profile)
    }
}

/// Before refreshing, a process re-reads the shared store: another may have
/// rotated the refresh token already. A read that fails must not be taken
/// for "nothing newer": refreshing blind with a spent token would end the
/// session. The request fails instead, and works once the store answers.
#[tokio::test]
async fn an_unreadable_shared_store_fails_the_request_and_keeps_the_session() {
    let fx = Fixture::start().await;
    let (first, memory) = fx.signed_in("laptop").await;
    let tokens = stored(&memory).expect("signed in");
    let store = Arc::new(FlakyStore {
        tokens: MemoryStore::default(),
        reads_fail: std::sync::atomic::AtomicBool::new(false),
    });
    store.save(PROFILE, &tokens).expect("saved");
    let locks = tempfile::tempdir().expect("state dir");
    let persistence = TokenPersistence {
        store: store.clone(),
        profile: PROFILE.to_string(),
        lock_dir: Some(locks.path().to_path_buf()),
    };
    let client =
        Client::with_persistence(&fx.server.base_url(), ClientOptions::default(), persistence)
            .expect("client");
    client.set_tokens(Some(tokens)).await;
    drop(first);

    fx.expire_access_tokens();
    store
        .reads_fail
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let err = client
        .me()
        .get()
        .await
        .expect_err("the store cannot be read");
    assert!(matches!(err, ApiError::TokenStore(_)), "{err:?}");
    assert!(
        store.tokens.load(PROFILE).expect("memory").is_some(),
        "tokens kept"
    );

    store
        .reads_fail
        .store(false, std::sync::atomic::Ordering::SeqCst);
    let account = client.me().get().await.expect("the session lives on");
    assert_eq!(account.email, EMAIL);
    fx.server.shutdown().await;
}

#[tokio::test]
async fn a_session_ended_elsewhere_clears_the_stored_tokens() {
    let fx = Fixture::start().await;
    let (laptop, laptop_store) = fx.signed_in("laptop").await;
    let (phone, _) = fx.signed_in("phone").await;
    let laptop_id = laptop.tokens().await.expect("tokens").session_id;
    phone
        .sessions()
        .revoke(&laptop_id)
        .await
        .expect("revoked from the phone");

    // The laptop believes its access token expired, so it goes straight to
    // its refresh token, which the server no longer honours.
    let mut tokens = laptop.tokens().await.expect("tokens");
    tokens.access_expires_at = Some(Utc::now() - chrono::Duration::hours(1));
    laptop.set_tokens(Some(tokens.clone())).await;
    laptop_store.save(PROFILE, &tokens).expect("saved");
    let err = laptop.me().get().await.expect_err("session over");
    assert!(matches!(err, ApiError::SessionEnded { .. }), "{err:?}");
    assert!(stored(&laptop_store).is_none(), "stored tokens cleared");
    assert!(laptop.tokens().await.is_none(), "in-memory tokens cleared");
    assert!(matches!(
        laptop.me().get().await,
        Err(ApiError::NotSignedIn)
    ));
    fx.server.shutdown().await;
}

#[tokio::test]
async fn a_reused_refresh_token_ends_the_session() {
    let fx = Fixture::start().await;
    let (client, store) = fx.signed_in("laptop").await;
    let old = client.tokens().await.expect("tokens");
    client.auth().refresh().await.expect("first refresh");

    // Someone replays the old refresh token: the server ends the session.
    let thief = Client::new(&fx.server.base_url(), ClientOptions::default()).expect("client");
    thief.set_tokens(Some(old)).await;
    assert!(thief.auth().refresh().await.is_err());

    let err = client
        .auth()
        .refresh()
        .await
        .expect_err("session ended by reuse");
    assert!(matches!(err, ApiError::SessionEnded { .. }), "{err:?}");
    assert!(stored(&store).is_none());
    fx.server.shutdown().await;
}

#[tokio::test]
async fn problem_documents_keep_their_code_and_request_id() {
    let fx = Fixture::start().await;
    let client = Client::new(&fx.server.base_url(), ClientOptions::default()).expect("client");
    let err = client
        .auth()
        .login(EMAIL, SecretText::new("wrong password"))
        .await
        .expect_err("wrong password");
    assert!(matches!(err, ApiError::Problem { .. }), "{err:?}");
    assert_eq!(err.code(), Some(ErrorCode::InvalidCredentials));
    assert!(err.request_id().is_some_and(|id| !id.is_empty()), "{err:?}");
    assert!(!err.to_string().contains("wrong password"));

    let (signed_in, _) = fx.signed_in("laptop").await;
    let err = signed_in
        .sessions()
        .revoke("no-such-session")
        .await
        .expect_err("unknown id");
    assert_eq!(err.code(), Some(ErrorCode::NotFound));
    assert!(err.request_id().is_some());
    fx.server.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_server_says_what_to_do() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let client =
        Client::new(&format!("127.0.0.1:{port}"), ClientOptions::default()).expect("client");
    let err = client.meta().await.expect_err("nothing listens");
    assert!(matches!(err, ApiError::Unreachable { .. }), "{err:?}");
    assert!(err.is_transient());
    let message = err.to_string();
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
    assert!(message.contains("Is the server running"), "{message}");
}
