use super::*;

fn mock_store() -> KeyringStore {
    let store = keyring_core::mock::Store::new().expect("mock store");
    KeyringStore::new(
        store,
        StoreKind::SecretService,
        Duration::from_secs(5),
        None,
    )
}

#[test]
fn each_config_dir_has_its_own_entries() {
    let keyring = keyring_core::mock::Store::new().expect("mock store");
    let open = |dir: &str| {
        KeyringStore::new(
            keyring.clone(),
            StoreKind::SecretService,
            Duration::from_secs(5),
            Some(Path::new(dir)),
        )
    };
    let (work, play) = (open("/home/ada/work"), open("/home/ada/play"));
    work.save("default", &tokens()).expect("saved");
    assert!(play.load("default").expect("read").is_none());
    play.clear("default").expect("nothing to clear");
    let kept = work.load("default").expect("read").expect("still there");
    assert_eq!(kept.refresh_token.expose(), "refresh-secret");
    assert!(
        open("/home/ada/work")
            .load("default")
            .expect("read")
            .is_some()
    );
}

fn tokens() -> StoredTokens {
    StoredTokens {
        access_token: SecretText::new("access-secret"),
        refresh_token: SecretText::new("refresh-secret"),
        session_id: "sess-1".into(),
        access_expires_at: "2030-01-02T03:04:05Z".parse().ok(),
    }
}

#[test]
fn tokens_round_trip_through_a_keyring() {
    let store = mock_store();
    store.probe().expect("the mock works");
    assert!(store.load("work").expect("loads").is_none());
    store.save("work", &tokens()).expect("saved");

    let back = store.load("work").expect("loads").expect("present");
    assert_eq!(back.access_token.expose(), "access-secret");
    assert_eq!(back.refresh_token.expose(), "refresh-secret");
    assert_eq!(back.session_id, "sess-1");
    assert_eq!(back.access_expires_at, tokens().access_expires_at);

    store.clear("work").expect("cleared");
    store.clear("work").expect("clearing twice is fine");
    assert!(store.load("work").expect("loads").is_none());
}

/// The secrets the mock keyring holds, by entry user name.
fn held(keyring: &keyring_core::mock::Store) -> Vec<String> {
    let creds = keyring.inner.lock().expect("mock");
    creds
        .borrow()
        .iter()
        .filter(|c| c.inner.lock().expect("cred").borrow().secret.is_some())
        .map(|c| c.specifiers.1.clone())
        .collect()
}

fn probe_entry(keyring: &keyring_core::mock::Store) -> Entry {
    use keyring_core::api::CredentialStoreApi as _;
    let user = format!("probe:{}", std::process::id());
    keyring.build(KEYRING_SERVICE, &user, None).expect("entry")
}

#[test]
fn a_stored_entry_that_reads_back_is_proof_enough_without_a_write() {
    let keyring = keyring_core::mock::Store::new().expect("mock store");
    let store = KeyringStore::new(
        keyring.clone(),
        StoreKind::SecretService,
        Duration::from_secs(5),
        None,
    );
    store.save("work", &tokens()).expect("saved");
    // A write to the probe entry would fail: the probe must not write.
    probe_entry(&keyring)
        .as_any()
        .downcast_ref::<keyring_core::mock::Cred>()
        .expect("mock cred")
        .set_error(keyring_core::Error::NoStorageAccess("locked".into()));
    store.probe_for(Some("work")).expect("the entry proves it");
    assert_eq!(held(&keyring), ["profile:work"]);
}

#[test]
fn a_store_that_cannot_look_up_is_refused_before_anything_is_written() {
    let keyring = keyring_core::mock::Store::new().expect("mock store");
    let store = KeyringStore::new(
        keyring.clone(),
        StoreKind::KernelKeyutils,
        Duration::from_secs(5),
        None,
    );
    let probe = probe_entry(&keyring);
    let cred = probe
        .as_any()
        .downcast_ref::<keyring_core::mock::Cred>()
        .expect("mock cred");
    cred.set_error(keyring_core::Error::NoStorageAccess("denied".into()));
    assert!(store.probe_for(Some("work")).is_err());
    assert!(held(&keyring).is_empty(), "nothing written");
    // Working, the probe leaves nothing behind either.
    store.probe_for(Some("work")).expect("works now");
    assert!(held(&keyring).is_empty(), "{:?}", held(&keyring));
}

#[test]
fn a_damaged_entry_is_reported_without_its_content() {
    let err = decode(r#"{"version":1,"access_token":"leaky-token","refresh_token":5}"#)
        .expect_err("damaged");
    let message = err.to_string();
    assert!(message.contains("acctl login"), "{message}");
    assert!(!message.contains("leaky-token"), "{message}");
}

#[test]
fn an_unknown_entry_format_is_refused() {
    let json = r#"{"version":9,"access_token":"a","refresh_token":"r","session_id":"s","access_expires_at":null}"#;
    assert!(matches!(decode(json), Err(StoreError::Corrupt { .. })));
}

#[test]
fn the_entry_holds_both_tokens_as_plain_strings() {
    let json = encode(&tokens()).expect("encodes");
    let value: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(value["access_token"], "access-secret");
    assert_eq!(value["refresh_token"], "refresh-secret");
    assert_eq!(value["session_id"], "sess-1");
}

/// Like the Secret Service store: closing it blocks on a runtime of its
/// own, which panics on a tokio worker thread.
struct BlocksWhenDropped(std::sync::mpsc::Sender<bool>);

impl keyring_core::api::CredentialStoreApi for BlocksWhenDropped {
    fn vendor(&self) -> String {
        "blocks-when-dropped".into()
    }
    fn id(&self) -> String {
        "blocks-when-dropped".into()
    }
    fn build(
        &self,
        _: &str,
        _: &str,
        _: Option<&std::collections::HashMap<&str, &str>>,
    ) -> keyring_core::Result<Entry> {
        Err(keyring_core::Error::NotSupportedByStore("test".into()))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl Drop for BlocksWhenDropped {
    fn drop(&mut self) {
        let closed = std::panic::catch_unwind(|| {
            let runtime = tokio::runtime::Builder::new_current_thread().build();
            runtime.map(|r| r.block_on(async {})).is_ok()
        });
        let _ = self.0.send(closed.unwrap_or(false));
    }
}

#[tokio::test]
async fn dropping_the_store_on_a_tokio_worker_does_not_panic() {
    let (sender, closed) = std::sync::mpsc::channel();
    let store = Arc::new(BlocksWhenDropped(sender));
    drop(KeyringStore::new(
        store,
        StoreKind::SecretService,
        Duration::from_secs(1),
        None,
    ));
    let closed = closed.recv_timeout(Duration::from_secs(10));
    assert_eq!(closed, Ok(true), "closed off the runtime, without a panic");
}
