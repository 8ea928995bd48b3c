//! The export and purge hooks, called directly on an in-memory store.

use acctl_api::billing::{BillingInterval, InvoiceStatus, SubscriptionStatus};

use super::*;
use crate::billing::LocalProvider;
use crate::billing::periods::DAY_MS;
use crate::config::MEMORY_DATABASE;
use crate::store::NewUser;

const NOW: i64 = 1_893_456_000_000; // 2030-01-01T00:00:00Z

async fn store_with_customer() -> (Store, String) {
    let store = Store::connect(MEMORY_DATABASE, &crate::config::PoolSettings::default())
        .await
        .expect("store");
    let user = NewUser {
        id: uuid::Uuid::new_v4().to_string(),
        email: "ada@example.com".to_string(),
        email_norm: "ada@example.com".to_string(),
        email_verified: true,
        name: "Ada Lovelace".to_string(),
        password_hash: "not a real hash".to_string(),
        created_at: NOW - 400 * DAY_MS,
    };
    store.create_user(&user, None).await.expect("user");
    (store, user.id)
}

fn visa() -> PaymentMethod {
    PaymentMethod {
        brand: "visa".to_string(),
        last4: "4242".to_string(),
        exp_month: 12,
        exp_year: 2040,
    }
}

/// Three paid months of Pro and a card on file.
async fn customer_with_history() -> (Store, String) {
    let (store, user_id) = store_with_customer().await;
    let actor = BillingActor::default();
    store
        .set_payment_method(&user_id, &visa(), NOW - 100 * DAY_MS, &actor)
        .await
        .expect("card");
    let pro = plan("pro").expect("pro");
    let provider = LocalProvider { dev: false };
    let started = NOW - 91 * DAY_MS;
    let issued = store
        .start_paid_subscription(
            &user_id,
            pro,
            BillingInterval::Month,
            started,
            NOW,
            &provider,
        )
        .await
        .expect("subscription");
    assert_eq!(issued, 3);
    (store, user_id)
}

#[tokio::test]
async fn the_export_holds_the_subscription_card_and_every_invoice() {
    let (store, user_id) = customer_with_history().await;
    let mut conn = store.pool.acquire().await.expect("conn");
    let export = export_for(&mut conn, &user_id).await.expect("export");
    let subscription = export.subscription.expect("a subscription");
    assert_eq!(subscription.plan, "pro");
    assert_eq!(subscription.status, SubscriptionStatus::Active);
    assert_eq!(export.payment_method, Some(visa()));
    assert_eq!(export.invoices.len(), 3);
    assert!(
        export
            .invoices
            .windows(2)
            .all(|w| w[0].issued_at > w[1].issued_at)
    );
    for invoice in &export.invoices {
        assert_eq!(invoice.status, InvoiceStatus::Paid);
        assert_eq!(invoice.lines.len(), 1);
        assert_eq!(invoice.total.amount_minor, 1_080);
    }
}

#[tokio::test]
async fn an_account_that_never_billed_exports_nothing_but_is_not_changed() {
    let (store, user_id) = store_with_customer().await;
    let mut conn = store.pool.acquire().await.expect("conn");
    let export = export_for(&mut conn, &user_id).await.expect("export");
    assert_eq!(export.subscription, None);
    assert_eq!(export.payment_method, None);
    assert!(export.invoices.is_empty());
    assert_eq!(
        load_subscription(&mut conn, &user_id).await.expect("read"),
        None
    );
}

/// Owner, customer name, customer email, total.
type KeptInvoice = (Option<String>, Option<String>, Option<String>, i64);

#[tokio::test]
async fn the_purge_keeps_invoices_without_the_person() {
    let (store, user_id) = customer_with_history().await;
    let mut tx = store.write().await.expect("tx");
    let anonymised = anonymise_billing(&mut tx, &user_id).await.expect("purge");
    tx.commit().await.expect("commit");
    assert_eq!(anonymised, 3);
    let kept: Vec<KeptInvoice> =
        sqlx::query_as("SELECT user_id, customer_name, customer_email, total_minor FROM invoices")
            .fetch_all(&store.pool)
            .await
            .expect("invoices");
    assert_eq!(kept.len(), 3, "the books keep every invoice");
    assert!(kept.iter().all(|row| *row == (None, None, None, 1_080)));
    let mut conn = store.pool.acquire().await.expect("conn");
    let export = export_for(&mut conn, &user_id).await.expect("export");
    assert_eq!(export.subscription, None);
    assert_eq!(export.payment_method, None);
    assert!(export.invoices.is_empty());
}

#[tokio::test]
async fn a_purge_rolled_back_changes_nothing() {
    let (store, user_id) = customer_with_history().await;
    let mut tx = store.write().await.expect("tx");
    anonymise_billing(&mut tx, &user_id).await.expect("purge");
    tx.rollback().await.expect("rollback");
    let mut conn = store.pool.acquire().await.expect("conn");
    let export = export_for(&mut conn, &user_id).await.expect("export");
    assert_eq!(export.invoices.len(), 3);
    assert!(export.payment_method.is_some());
}
