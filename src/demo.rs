//! `acctl demo`: an embedded acctd on 127.0.0.1 (random port, temporary
//! SQLite, a seeded account), and the console already signed in to it.
//! Demo tokens live in memory only: the user's real keyring is never touched.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use acctl_api::SecretText;
use anyhow::Context as _;
use secrecy::ExposeSecret;

use crate::config::Config;
use crate::context::{AppContext, DemoLogin};
use acctl_client::tokens::MemoryStore;
use acctl_client::{Client, LoginOutcome};

/// The profile name shown in the header while the demo runs.
pub const DEMO_PROFILE: &str = "demo";

/// A running demo server and a client signed in to it.
pub struct Demo {
    pub server: acctd::RunningServer,
    pub context: AppContext,
    /// Holds the SQLite file; removed when the demo ends.
    _dir: tempfile::TempDir,
}

impl Demo {
    /// Starts the server, seeds the demo account and signs in.
    pub async fn start(config: Config) -> anyhow::Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("acctl-demo-")
            .tempdir()
            .context("could not create a temporary directory for the demo database")?;
        let server_config = acctd::Config {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            database_url: format!("sqlite://{}", dir.path().join("demo.db").display()),
            server_name: "acctd demo".to_string(),
            dev: true,
            ..acctd::Config::for_tests()
        };
        let server = acctd::start(server_config)
            .await
            .context("could not start the embedded demo server")?;
        let account = server
            .seed_demo()
            .await
            .context("could not create the demo account")?;
        let client = Client::new(&server.base_url(), config.client_options())?;
        let password = SecretText::new(account.password.expose_secret());
        match client
            .auth()
            .login(&account.email, password.clone())
            .await?
        {
            LoginOutcome::SignedIn(_) => {}
            LoginOutcome::MfaRequired(_) => {
                anyhow::bail!("the demo account unexpectedly asks for MFA")
            }
        }
        let context = AppContext {
            client,
            store: Arc::new(MemoryStore::default()),
            profile: DEMO_PROFILE.to_string(),
            email: Some(account.email.clone()),
            config,
            config_dir: None,
            demo: Some(DemoLogin {
                email: account.email,
                password,
            }),
            offers: acctl_client::Capabilities::ALL,
        };
        Ok(Self {
            server,
            context,
            _dir: dir,
        })
    }

    pub async fn stop(self) {
        self.server.shutdown().await;
    }
}

/// Runs the demo until the console quits, then cleans up.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let demo = Demo::start(config).await?;
    let result = crate::app::run(demo.context.clone()).await;
    demo.stop().await;
    result
}
