//! `acctl logout`: end the session on the server, then forget it here — even
//! when the server cannot be told.

use super::session::ProfileSession;
use super::{CliError, Exit, Invocation};

pub(super) async fn run(inv: Invocation) -> Result<(), CliError> {
    let session = ProfileSession::open(&inv).await?;
    let client = match session.client(&inv).await {
        Ok(client) => client,
        Err(e) if e.exit == Exit::AuthNeeded => {
            println!(
                "Not signed in (profile '{}'); nothing to sign out.",
                inv.profile
            );
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let server = client.base_url().to_string();
    let session_id = client.tokens().await.map(|t| t.session_id);
    // Forgets the local tokens whatever the server says.
    match client.auth().logout().await {
        Ok(()) => {
            println!("Signed out of {server}; the tokens are gone from this device.");
            Ok(())
        }
        Err(error) => {
            let mut failure = CliError::from(error);
            let id = session_id.as_deref().unwrap_or("ID");
            failure.message = format!(
                "{} The tokens are gone from this device, but session {id} may remain on the \
                 server until it expires; to end it, run `acctl sessions revoke {id}` from \
                 another device or profile signed in to this account, or sign it out in the \
                 console's Sessions screen there",
                failure.message
            );
            Err(failure)
        }
    }
}
