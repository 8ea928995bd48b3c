//! Store choice with fake keyrings: ones that refuse, ones that hang, and
//! keyring-core's mock, which works.

use std::collections::HashMap;

use keyring_core::api::CredentialStoreApi;
use keyring_core::{Entry, Error};

use super::*;

/// A keyring that opens but refuses every entry, like keyutils in a shell
/// without a session keyring.
#[derive(Debug)]
struct Refusing;

impl CredentialStoreApi for Refusing {
    fn vendor(&self) -> String {
        "refusing".into()
    }
    fn id(&self) -> String {
        "refusing".into()
    }
    fn build(
        &self,
        _: &str,
        _: &str,
        _: Option<&HashMap<&str, &str>>,
    ) -> keyring_core::Result<Entry> {
        Err(Error::NoStorageAccess("access denied".into()))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A keyring whose daemon never answers.
#[derive(Debug)]
struct Hanging;

impl CredentialStoreApi for Hanging {
    fn vendor(&self) -> String {
        "hanging".into()
    }
    fn id(&self) -> String {
        "hanging".into()
    }
    fn build(
        &self,
        _: &str,
        _: &str,
        _: Option<&HashMap<&str, &str>>,
    ) -> keyring_core::Result<Entry> {
        loop {
            std::thread::park();
        }
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

const SHORT: Duration = Duration::from_millis(100);

fn refusing() -> Candidate {
    Candidate::new(StoreKind::KernelKeyutils, || {
        Ok(Arc::new(Refusing) as Arc<CredentialStore>)
    })
}

fn hanging_store() -> Candidate {
    Candidate::new(StoreKind::SecretService, || {
        Ok(Arc::new(Hanging) as Arc<CredentialStore>)
    })
}

fn hanging_connect() -> Candidate {
    Candidate::new(StoreKind::SecretService, || {
        loop {
            std::thread::park();
        }
    })
}

fn no_bus() -> Candidate {
    Candidate::new(StoreKind::SecretService, || {
        Err(Error::NoStorageAccess(
            "no session bus (DBUS_SESSION_BUS_ADDRESS is unset)".into(),
        ))
    })
}

fn working() -> Candidate {
    Candidate::new(StoreKind::KernelKeyutils, || {
        keyring_core::mock::Store::new().map(|s| s as Arc<CredentialStore>)
    })
}

#[test]
fn the_first_working_keyring_wins_after_broken_ones() {
    let opened = open_store_with(
        vec![no_bus(), refusing(), working()],
        Backend::Auto,
        SHORT,
        None,
    );
    assert_eq!(opened.store.kind(), StoreKind::KernelKeyutils);
    assert!(opened.notice.is_none());
}

#[test]
fn when_nothing_works_tokens_stay_in_memory_with_a_notice_saying_why() {
    let opened = open_store_with(vec![no_bus(), refusing()], Backend::Auto, SHORT, None);
    assert_eq!(opened.store.kind(), StoreKind::Memory);
    let notice = opened.notice.expect("a notice");
    assert!(notice.contains("no session bus"), "{notice}");
    assert!(notice.contains("access denied"), "{notice}");
    assert!(notice.contains("this run only"), "{notice}");
}

#[test]
fn a_hanging_keyring_is_given_up_on() {
    for candidate in [hanging_store(), hanging_connect()] {
        let opened = open_store_with(vec![candidate], Backend::Auto, SHORT, None);
        assert_eq!(opened.store.kind(), StoreKind::Memory);
        let notice = opened.notice.expect("a notice");
        assert!(notice.contains("did not answer"), "{notice}");
    }
}

#[test]
fn an_explicit_backend_that_fails_names_itself() {
    let opened = open_store_with(vec![refusing()], Backend::Keyutils, SHORT, None);
    assert_eq!(opened.store.kind(), StoreKind::Memory);
    let notice = opened.notice.expect("a notice");
    assert!(notice.contains("'keyutils'"), "{notice}");
}

#[test]
fn memory_by_choice_needs_no_notice() {
    let config = KeyringSettings {
        backend: "memory".into(),
        timeout: Duration::from_secs(1),
    };
    let opened = open_store(&config, None);
    assert_eq!(opened.store.kind(), StoreKind::Memory);
    assert!(opened.notice.is_none());
}

#[test]
fn an_unknown_backend_falls_back_to_memory_and_lists_the_choices() {
    let config = KeyringSettings {
        backend: "plaintext".into(),
        timeout: Duration::from_secs(1),
    };
    let opened = open_store(&config, None);
    assert_eq!(opened.store.kind(), StoreKind::Memory);
    let notice = opened.notice.expect("a notice");
    assert!(notice.contains("secret-service"), "{notice}");
}

#[test]
fn explicit_backends_only_try_their_own_keyring() {
    assert!(candidates(Backend::Memory).is_empty());
    assert!(
        candidates(Backend::Keyutils)
            .iter()
            .all(|c| c.kind == StoreKind::KernelKeyutils)
    );
    assert!(
        candidates(Backend::SecretService)
            .iter()
            .all(|c| c.kind == StoreKind::SecretService)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probing_from_inside_a_tokio_runtime_does_not_panic() {
    // The real platform keyrings, whatever this machine has: the answer may
    // be any store, but asking must neither panic nor hang.
    let config = KeyringSettings {
        backend: "auto".into(),
        timeout: Duration::from_secs(3),
    };
    let opened = open_store(&config, None);
    let kind = opened.store.kind();
    assert_eq!(kind.is_persistent(), opened.notice.is_none(), "{kind}");
}
