//! The Billing screen's invoices, downloads and card hand-off, driven
//! through the whole app.

use crate::screens::Screen as _;
use crossterm::event::KeyCode;

use super::Phase;
use super::Section;
use super::tests::billing_sent;
use crate::action::{Action, BillingDone, BillingKey, BillingRequest, RequestKey};
use crate::app::testing::billing::{self as fixtures, loaded, respond};
use crate::app::testing::fixed_now;
use acctl_client::{ApiError, Progress};

#[test]
fn invoices_page_in_as_the_selection_nears_the_end() {
    let mut h = loaded(50, true);
    h.press(KeyCode::Tab);
    assert_eq!(h.app.screens().billing().section, Section::Invoices);
    h.render(80, 24);
    for _ in 0..30 {
        h.press(KeyCode::Down);
    }
    assert!(billing_sent(&mut h).is_empty(), "far from the end yet");
    for _ in 0..15 {
        h.press(KeyCode::Down);
    }
    let sent = billing_sent(&mut h);
    assert!(
        matches!(sent.as_slice(), [BillingRequest::LoadInvoices { cursor: Some(c) }] if c == "cur_50"),
        "{sent:?}"
    );
    h.press(KeyCode::Down);
    assert!(billing_sent(&mut h).is_empty(), "one page at a time");
    respond(
        &mut h,
        BillingDone::Invoices {
            cursor: Some("cur_50".into()),
            result: Ok(fixtures::page(50, 50, false, fixed_now())),
        },
    );
    let list = &h.app.screens().billing().invoices;
    assert_eq!(list.pages.items.value().map(Vec::len), Some(100));
    assert!(!list.pages.has_more());
    assert_eq!(list.selected().map(|i| i.id.as_str()), Some("inv_46"));
}

#[test]
fn enter_opens_an_invoice_and_esc_goes_back_to_the_list() {
    let mut h = loaded(3, false);
    h.press(KeyCode::Tab);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    let sent = billing_sent(&mut h);
    assert!(
        matches!(sent.as_slice(), [BillingRequest::LoadInvoice { id }] if id == "inv_1"),
        "{sent:?}"
    );
    let summary = fixtures::invoices(1, 1, fixed_now()).remove(0);
    respond(
        &mut h,
        BillingDone::Invoice(Ok(fixtures::invoice(&summary))),
    );
    let screen = h.render(80, 24);
    assert!(
        screen.contains("Tax (20.00 %)") && screen.contains("€12.00"),
        "{screen}"
    );
    h.press(KeyCode::Esc);
    assert!(h.app.screens().billing().invoices.open.is_none());
}

#[test]
fn a_download_asks_where_shows_progress_and_keeps_the_path_on_failure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = loaded(3, false);
    h.app.screens_mut().billing_mut().desktop.download_dir = dir.path().display().to_string();
    h.press(KeyCode::Tab);
    h.press(KeyCode::Char('s'));
    let expected = dir.path().join("INV-2025-000900.pdf");
    let download = h
        .app
        .screens()
        .billing()
        .download()
        .expect("asking")
        .clone();
    assert_eq!(download.form.value("path"), expected.display().to_string());
    assert!(h.app.screens().billing().takes_typing());
    h.press(KeyCode::Enter);
    let sent = billing_sent(&mut h);
    assert!(
        matches!(sent.as_slice(), [BillingRequest::Download { id, path }] if id == "inv_0" && *path == expected),
        "{sent:?}"
    );
    let key = RequestKey::Billing(BillingKey::Download);
    h.app.update(Action::Progress {
        key,
        progress: Progress {
            received: 512,
            total: Some(1024),
        },
    });
    assert!(h.render(80, 24).contains(" 50 %"));
    let failure = ApiError::File {
        path: expected.display().to_string(),
        reason: "disk full".into(),
    };
    respond(
        &mut h,
        BillingDone::Downloaded {
            path: expected.clone(),
            result: Err(failure),
        },
    );
    let download = h.app.screens().billing().download().expect("still open");
    assert!(matches!(download.phase, Phase::Asking { .. }));
    assert_eq!(download.form.value("path"), expected.display().to_string());
    assert!(
        download
            .form
            .error("path")
            .is_some_and(|e| e.contains("disk full"))
    );
    h.press(KeyCode::Enter);
    billing_sent(&mut h);
    respond(
        &mut h,
        BillingDone::Downloaded {
            path: expected.clone(),
            result: Ok(2048),
        },
    );
    assert!(matches!(
        &h.app.screens().billing().download().expect("done").phase,
        Phase::Done { bytes: 2048, .. }
    ));
}

#[test]
fn an_existing_file_is_replaced_only_after_a_second_enter() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("INV-2025-000900.pdf"), b"old").expect("write");
    let mut h = loaded(1, false);
    h.app.screens_mut().billing_mut().desktop.download_dir = dir.path().display().to_string();
    h.press(KeyCode::Tab);
    h.press(KeyCode::Char('s'));
    h.press(KeyCode::Enter);
    assert!(
        billing_sent(&mut h).is_empty(),
        "not replaced without asking"
    );
    let error = h
        .app
        .screens()
        .billing()
        .download()
        .and_then(|d| d.form.error("path").map(str::to_string));
    assert!(error.is_some_and(|e| e.contains("exists")));
    h.press(KeyCode::Enter);
    assert!(matches!(
        billing_sent(&mut h).as_slice(),
        [BillingRequest::Download { .. }]
    ));
}

#[test]
fn a_saved_file_opens_only_where_there_is_a_desktop() {
    for can_open in [false, true] {
        let mut h = loaded(1, false);
        h.app.screens_mut().billing_mut().desktop.can_open = can_open;
        h.press(KeyCode::Tab);
        h.press(KeyCode::Char('s'));
        h.press(KeyCode::Enter);
        let path = match billing_sent(&mut h).pop() {
            Some(BillingRequest::Download { path, .. }) => path,
            other => panic!("{other:?}"),
        };
        respond(
            &mut h,
            BillingDone::Downloaded {
                path: path.clone(),
                result: Ok(10),
            },
        );
        h.press(KeyCode::Char('o'));
        let sent = billing_sent(&mut h);
        assert_eq!(
            matches!(sent.as_slice(), [BillingRequest::OpenFile { path: p }] if *p == path),
            can_open,
            "{sent:?}"
        );
    }
    assert!(super::has_desktop(Some(":0"), None, false));
    assert!(super::has_desktop(None, Some("wayland-0"), false));
    assert!(super::has_desktop(None, None, true));
    assert!(!super::has_desktop(Some(""), None, false));
}

#[test]
fn updating_the_card_shows_and_copies_a_link_and_r_reloads() {
    let mut h = loaded(1, false);
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    assert!(
        h.render(80, 24)
            .contains("Visa ending 4242, expires 04/2027")
    );
    h.press(KeyCode::Enter);
    assert!(matches!(
        billing_sent(&mut h).as_slice(),
        [BillingRequest::PaymentHandoff]
    ));
    let link = fixtures::handoff(fixed_now());
    respond(&mut h, BillingDone::Handoff(Ok(link.clone())));
    assert!(
        h.app.take_copy().is_none(),
        "the clipboard is not taken unasked"
    );
    h.press(KeyCode::Char('y'));
    assert_eq!(
        h.app.take_copy().map(|t| t.expose().to_string()),
        Some(link.url.clone())
    );
    assert!(
        h.app.screens().billing().wants_full_body(),
        "room for the QR code"
    );
    h.press(KeyCode::Char('r'));
    assert!(matches!(
        billing_sent(&mut h).as_slice(),
        [BillingRequest::LoadPaymentMethod]
    ));
    assert!(h.app.screens().billing().payment.handoff.is_none());
}
