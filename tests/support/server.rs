//! A real acctd on 127.0.0.1 (random port, SQLite in a temp dir) for tests
//! that are not async themselves.

use tempfile::TempDir;

pub struct TestServer {
    runtime: tokio::runtime::Runtime,
    server: Option<acctd::RunningServer>,
    pub url: String,
    dir: TempDir,
    config: acctd::Config,
}

impl TestServer {
    pub fn start() -> Self {
        Self::start_with_clock(acctd::Clock::system())
    }

    /// With a clock the test moves (`clock.advance(..)`).
    pub fn start_with_clock(clock: acctd::Clock) -> Self {
        Self::start_with(acctd::Config::for_tests().with_clock(clock))
    }

    /// `base` (its clock, dev mode...) on a SQLite file of its own.
    pub fn start_with(base: acctd::Config) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let config = acctd::Config {
            database_url: format!("sqlite://{}", dir.path().join("acctd.db").display()),
            ..base
        };
        let server = runtime
            .block_on(acctd::start(config.clone()))
            .expect("acctd starts");
        Self {
            url: server.base_url(),
            server: Some(server),
            runtime,
            dir,
            config,
        }
    }

    /// Starts again after [`stop`](Self::stop): same address, same data.
    #[allow(dead_code)] // Not every test binary restarts a server.
    pub fn restart(&mut self) {
        let config = acctd::Config {
            listen: self.server_addr(),
            ..self.config.clone()
        };
        let server = self
            .runtime
            .block_on(acctd::start(config))
            .expect("acctd starts again");
        self.server = Some(server);
    }

    fn server_addr(&self) -> std::net::SocketAddr {
        let url = self.url.trim_start_matches("http://");
        url.parse().expect("the first run's address")
    }

    fn server(&self) -> &acctd::RunningServer {
        self.server.as_ref().expect("server running")
    }

    pub fn add_user(&self, email: &str, name: &str, password: &str) {
        self.runtime
            .block_on(self.server().add_user(email, name, password))
            .expect("user added");
    }

    /// The mail a development server (`with_dev(true)`) holds for `to`.
    #[allow(dead_code)] // Only the admin CLI tests read mail this way.
    pub fn outbox(&self, to: &str) -> Vec<acctl_api::OutboxMessage> {
        let url = format!("{}/v1/dev/outbox?to={to}", self.url);
        self.runtime.block_on(async {
            reqwest::get(&url)
                .await
                .expect("outbox answers")
                .json()
                .await
                .expect("outbox json")
        })
    }

    /// Makes the account of `email` an administrator, as
    /// `acctd users grant-admin` does.
    #[allow(dead_code)] // Only the admin CLI tests make one.
    pub fn grant_admin(&self, email: &str) {
        let granted = self
            .runtime
            .block_on(self.server().set_admin(email, true, "tests"))
            .expect("granted");
        assert!(granted, "{email} was an administrator already");
    }

    /// The demo account (three years of Pro invoices and a card on file):
    /// its email and password.
    #[allow(dead_code)] // Only the billing CLI tests use the demo.
    pub fn seed_demo(&self) -> (String, String) {
        let demo = self
            .runtime
            .block_on(self.server().seed_demo())
            .expect("demo seeded");
        let password = secrecy::ExposeSecret::expose_secret(&demo.password).to_string();
        (demo.email, password)
    }

    /// A directory that lives as long as the server, for a client's files.
    pub fn home(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}
