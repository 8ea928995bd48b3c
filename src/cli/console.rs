//! `acctl` with no subcommand: the full-screen console, handed an
//! [`AppContext`] signed in with the profile's stored tokens when there are
//! some, at the login screen otherwise.

use crate::context::AppContext;
use acctl_client::{Client, TokenPersistence};

use super::session::{is_profiles_server, load_profile, load_tokens, open_store};
use super::{CliError, Exit, Invocation};

/// Prefilled on the login screen when no server is known at all.
pub const FALLBACK_SERVER: &str = "http://127.0.0.1:8080";

pub(super) async fn run(inv: Invocation) -> Result<(), CliError> {
    need_terminal("acctl")?;
    let context = build_context(&inv).await?;
    Ok(crate::app::run(context).await?)
}

/// The console reads keys from standard input and draws on standard
/// output: with either one a pipe or a file it would write escape codes
/// into it and wait for keys that never come, so it says so instead.
pub(super) fn need_terminal(what: &str) -> Result<(), CliError> {
    use std::io::IsTerminal as _;
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return Ok(());
    }
    Err(CliError::new(
        Exit::Usage,
        format!(
            "`{what}` opens the full-screen console, which needs a terminal on standard \
             input and output; from a script, use a subcommand (see `acctl --help`)"
        ),
    ))
}

/// `acctl demo`: the console against a demo server built into this binary.
#[cfg(feature = "demo")]
pub(super) async fn demo(inv: Invocation) -> Result<(), CliError> {
    need_terminal("acctl demo")?;
    Ok(crate::demo::run(inv.config).await?)
}

/// `acctl demo` in a build without the demo server: say so and how to get it.
#[cfg(not(feature = "demo"))]
pub(super) async fn demo(_inv: Invocation) -> Result<(), CliError> {
    Err(CliError::new(
        super::Exit::Usage,
        "this acctl was built without the demo (cargo feature `demo`); \
         build it with the default features to get `acctl demo`, \
         e.g. `cargo run --release -- demo`",
    ))
}

/// Everything the console needs: store, profile, and a client for the
/// server (`--server`, else the profile's, else the settings', else
/// [`FALLBACK_SERVER`]; the login screen may change it).
pub async fn build_context(inv: &Invocation) -> Result<AppContext, CliError> {
    let profile = load_profile(inv)?;
    let server = inv
        .server_flag
        .clone()
        .or_else(|| profile.as_ref().map(|p| p.server.clone()))
        .or_else(|| inv.config.server.clone())
        .unwrap_or_else(|| FALLBACK_SERVER.to_string());
    let opened = open_store(inv).await;
    if let Some(notice) = &opened.notice {
        // The status bar shows the store kind; the reason goes to the log.
        tracing::warn!(%notice, "tokens are kept in memory for this run only");
    }
    let persistence = TokenPersistence::new(opened.store.clone(), &inv.profile);
    let mut options = inv.config.client_options();
    // Only tokens the profile got from this very server are used here.
    let known = profile.as_ref().filter(|p| is_profiles_server(p, &server));
    let mut base = known.map_or_else(|| server.clone(), |p| p.server.clone());
    match known {
        Some(known) => options.service = known.service,
        // Another address: ask what answers there (acctd if nothing does,
        // and the login screen says what went wrong).
        None => {
            if let Ok(found) = acctl_client::detect(&server, None, &options).await {
                options.service = found.kind;
                base = found.base_url;
            }
        }
    }
    let same_server = known.is_some();
    let client = Client::with_persistence(&base, options, persistence)?;
    if same_server {
        match load_tokens(&opened.store, &inv.profile).await {
            Ok(tokens) => client.set_tokens(tokens).await,
            Err(error) => tracing::warn!(%error, "stored tokens not usable; starting signed out"),
        }
    }
    // What the kind of service can offer, known without asking it (the
    // console starts at once, even with the server away); a sign-in asks.
    let offers = client.service().offers_at_most();
    Ok(AppContext {
        client,
        offers,
        store: opened.store,
        profile: inv.profile.clone(),
        email: profile.and_then(|p| p.email),
        config: inv.config.clone(),
        config_dir: inv.config_dir.clone(),
        demo: None,
    })
}
