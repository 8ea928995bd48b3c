//! What the Admin screen looks like in each of its states, at 80x24 and
//! 120x40, with a fixed clock and the mono theme (no colour, as NO_COLOR).

use crossterm::event::KeyCode;

use super::testing::Harness;
use super::testing::admin::{listed, opened, signed_in};
use crate::action::{AdminDone, AdminRequest, Request, ScreenId};
use acctl_api::Page;
use acctl_client::ApiError;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(name: &str, h: &Harness) {
    for (w, ht) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{ht}"), h.render(w, ht));
    }
}

fn search(query: &str) -> AdminRequest {
    AdminRequest::Users {
        query: query.into(),
        cursor: None,
    }
}

#[test]
fn admin_is_not_there_for_an_account_that_is_not_an_administrator() {
    let mut h = signed_in(false);
    let screen = h.render(80, 24);
    assert!(!screen.contains("Admin"), "{screen}");
    h.press(KeyCode::Char('?'));
    let help = h.render(80, 60);
    assert!(!help.contains("Admin"), "{help}");
    assert!(!help.contains("Disable the account"), "{help}");
    h.press(KeyCode::Esc);
    h.press(KeyCode::Char('8'));
    assert_eq!(h.app.screen(), ScreenId::Overview);
    let text = h.render(80, 24);
    assert!(text.contains("this account is not one"), "{text}");
    // An administrator sees it in the sidebar, the help and on its key.
    let mut h = signed_in(true);
    assert!(h.render(80, 24).contains(" 8 Admin"));
    h.press(KeyCode::Char('?'));
    assert!(h.render(80, 60).contains("Admin"));
    h.press(KeyCode::Esc);
    h.press(KeyCode::Char('8'));
    assert_eq!(h.app.screen(), ScreenId::Admin);
}

#[test]
fn admin_loading_results_and_more() {
    let mut h = signed_in(true);
    h.press(KeyCode::Char('8'));
    let sent = h.sent();
    assert!(
        sent.iter().any(
            |r| matches!(r, Request::Admin(AdminRequest::Users { query, .. }) if query.is_empty())
        ),
        "{sent:?}"
    );
    snap("admin_loading", &h);
    snap("admin_results", &listed(4));
    snap("admin_results_more", &listed(60));
}

#[test]
fn admin_typing_filters_after_a_pause() {
    let mut h = listed(4);
    h.press(KeyCode::Char('f'));
    h.type_text("ana");
    let pauses: Vec<AdminRequest> = h
        .sent()
        .into_iter()
        .filter_map(|r| match r {
            Request::Admin(p @ AdminRequest::Pause { .. }) => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(pauses.len(), 3, "one pause a key, no search yet");
    snap("admin_typing", &h);
    for p in pauses {
        h.respond(p.answered(AdminDone::Paused));
    }
    let searches: Vec<Request> = h.sent();
    assert!(
        matches!(searches.as_slice(), [Request::Admin(AdminRequest::Users { query, .. })] if query == "ana"),
        "one search, for the last text: {searches:?}"
    );
    snap("admin_searching", &h);
    let items = super::testing::admin::users(1);
    h.respond(search("ana").answered(AdminDone::Users(Ok(Page {
        items,
        next_cursor: None,
    }))));
    snap("admin_typing_results", &h);
    h.press(KeyCode::Enter);
    assert!(!h.app.screens().admin().is_typing());
    snap("admin_filtered", &h);
}

#[test]
fn a_paste_into_the_search_box_searches_after_a_pause() {
    let mut h = listed(4);
    h.press(KeyCode::Char('f'));
    h.app.update(crate::action::Action::Paste("bob".into()));
    let sent = admin_sent(&mut h);
    let [pause @ AdminRequest::Pause { .. }] = sent.as_slice() else {
        panic!("a pause: {sent:?}");
    };
    h.respond(pause.clone().answered(AdminDone::Paused));
    let sent = admin_sent(&mut h);
    assert!(
        matches!(sent.as_slice(), [AdminRequest::Users { query, .. }] if query == "bob"),
        "{sent:?}"
    );
}

#[test]
fn admin_empty_and_failed() {
    let mut h = listed(4);
    h.press(KeyCode::Char('f'));
    h.type_text("zz");
    h.press(KeyCode::Enter);
    h.respond(search("zz").answered(AdminDone::Users(Ok(Page {
        items: Vec::new(),
        next_cursor: None,
    }))));
    snap("admin_empty", &h);

    let mut h = signed_in(true);
    h.press(KeyCode::Char('8'));
    let problem =
        acctl_api::Problem::new(acctl_api::ErrorCode::AdminRequired, "Administrators only");
    let forbidden = ApiError::Problem {
        problem: Box::new(problem),
    };
    h.respond(search("").answered(AdminDone::Users(Err(forbidden))));
    snap("admin_failed", &h);
}

#[test]
fn admin_opened_account() {
    let mut h = listed(4);
    h.press(KeyCode::Enter);
    snap("admin_detail_loading", &h);
    let mut h = opened();
    snap("admin_detail", &h);
    h.render(80, 24);
    for _ in 0..30 {
        h.press(KeyCode::Down);
    }
    snap("admin_detail_scrolled", &h);
    // Past the end, Up moves at once.
    let bottom = h.render(80, 24);
    h.press(KeyCode::Up);
    assert_ne!(h.render(80, 24), bottom);
    h.press(KeyCode::Esc);
    assert!(h.app.screens().admin().opened.is_none());
}

fn problem(code: acctl_api::ErrorCode, text: &str) -> ApiError {
    ApiError::Problem {
        problem: Box::new(acctl_api::Problem::new(code, text)),
    }
}

/// The admin requests sent since the last look.
fn admin_sent(h: &mut Harness) -> Vec<AdminRequest> {
    h.sent()
        .into_iter()
        .filter_map(|r| match r {
            Request::Admin(r) => Some(r),
            _ => None,
        })
        .collect()
}

#[test]
fn admin_disable_asks_the_reason_then_the_password_and_sends_it_again() {
    use acctl_api::ErrorCode;
    let mut h = opened();
    h.sent();
    h.press(KeyCode::Char('D'));
    snap("admin_act_reason", &h);
    h.press(KeyCode::Enter);
    assert!(admin_sent(&mut h).is_empty(), "no reason, nothing sent");
    snap("admin_act_reason_empty", &h);
    h.type_text("asked by phone, ID checked");
    h.press(KeyCode::Enter);
    let sent = admin_sent(&mut h);
    let [write @ AdminRequest::Write { reason, .. }] = sent.as_slice() else {
        panic!("the change is sent: {sent:?}");
    };
    assert_eq!(reason, "asked by phone, ID checked");
    snap("admin_act_sending", &h);
    let step_up = problem(ErrorCode::StepUpRequired, "Confirm it is you first");
    h.respond(write.clone().answered(AdminDone::Written(Err(step_up))));
    snap("admin_act_step_up", &h);

    h.type_text("wrong");
    h.press(KeyCode::Enter);
    let sent = admin_sent(&mut h);
    let [proof @ AdminRequest::StepUp { proof: password }] = sent.as_slice() else {
        panic!("the password is sent: {sent:?}");
    };
    assert_eq!(password.expose(), "wrong");
    let wrong = problem(ErrorCode::ValidationFailed, "Wrong password");
    h.respond(proof.clone().answered(AdminDone::SteppedUp(Err(wrong))));
    let act = h
        .app
        .screens()
        .admin()
        .act
        .as_ref()
        .expect("the dialog stays");
    let field = act.password.as_ref().expect("the password is still asked");
    assert!(
        field
            .error
            .as_deref()
            .is_some_and(|e| e.contains("not your password")),
        "{field:?}"
    );
    assert_eq!(field.value(), "wrong", "what was typed stays");
    snap("admin_act_step_up_wrong", &h);

    for _ in 0.."wrong".len() {
        h.press(KeyCode::Backspace);
    }
    h.type_text("correct-horse-battery-9");
    h.press(KeyCode::Enter);
    let proof = admin_sent(&mut h).pop().expect("the proof");
    let valid_until = super::testing::fixed_now();
    h.respond(
        proof.answered(AdminDone::SteppedUp(Ok(acctl_api::admin::StepUp {
            valid_until,
        }))),
    );
    // Proven: the same change goes out again by itself.
    let again = admin_sent(&mut h);
    assert!(
        matches!(again.as_slice(), [AdminRequest::Write { reason, .. }] if reason == "asked by phone, ID checked"),
        "{again:?}"
    );
    let done = acctl_api::admin::AdminActionDone {
        audit_id: "aud_1".into(),
        sessions_revoked: 3,
    };
    h.respond(write.clone().answered(AdminDone::Written(Ok(done))));
    assert!(h.app.screens().admin().act.is_none(), "closed");
    let reloads = admin_sent(&mut h);
    assert!(
        reloads
            .iter()
            .any(|r| matches!(r, AdminRequest::User { .. })),
        "the account is loaded again: {reloads:?}"
    );
    snap("admin_act_done", &h);
}

#[test]
fn admin_other_changes_and_their_refusals() {
    use acctl_api::ErrorCode;
    let mut h = opened();
    h.press(KeyCode::Char('T'));
    snap("admin_act_mfa_reset", &h);
    h.press(KeyCode::Esc);
    assert!(h.app.screens().admin().act.is_none(), "Esc cancels");
    assert!(admin_sent(&mut h).is_empty(), "nothing sent");
    h.press(KeyCode::Char('P'));
    snap("admin_act_password_reset", &h);
    h.press(KeyCode::Esc);
    h.press(KeyCode::Char('d'));
    h.type_text("x".repeat(501).as_str());
    h.press(KeyCode::Enter);
    assert!(admin_sent(&mut h).is_empty(), "too long, nothing sent");
    snap("admin_act_reason_too_long", &h);
    for _ in 0..500 {
        h.press(KeyCode::Backspace);
    }
    h.press(KeyCode::Enter);
    let write = admin_sent(&mut h).pop().expect("sent");
    let own = problem(ErrorCode::OwnAccount, "Not on your own account");
    h.respond(write.answered(AdminDone::Written(Err(own))));
    snap("admin_act_refused", &h);
}

#[test]
fn admin_audit_log_with_filters() {
    use crate::action::AuditFilter;
    use acctl_api::admin::AuditAction;
    let mut h = listed(4);
    h.press(KeyCode::Tab);
    let sent = admin_sent(&mut h);
    let [
        first @ AdminRequest::Audit {
            filter,
            cursor: None,
        },
    ] = sent.as_slice()
    else {
        panic!("Tab shows the audit log: {sent:?}");
    };
    assert_eq!(*filter, AuditFilter::default());
    snap("admin_audit_loading", &h);
    let entries = super::testing::admin::audit_entries(6);
    h.respond(first.clone().answered(AdminDone::Audit(Ok(Page {
        items: entries,
        next_cursor: None,
    }))));
    snap("admin_audit", &h);

    h.press(KeyCode::Char('f'));
    h.type_text("root@example.com");
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    h.type_text("bogus");
    h.press(KeyCode::Enter);
    assert!(
        admin_sent(&mut h).is_empty(),
        "an unknown action is not sent"
    );
    snap("admin_audit_filter_error", &h);
    for _ in 0.."bogus".len() {
        h.press(KeyCode::Backspace);
    }
    h.type_text("mfa-reset");
    h.press(KeyCode::Enter);
    let sent = admin_sent(&mut h);
    let [filtered @ AdminRequest::Audit { filter, .. }] = sent.as_slice() else {
        panic!("the filters are applied: {sent:?}");
    };
    let wanted = AuditFilter {
        actor: "root@example.com".into(),
        target: String::new(),
        action: Some(AuditAction::MfaReset),
    };
    assert_eq!(*filter, wanted);
    let unknown = ApiError::Problem {
        problem: Box::new(
            acctl_api::Problem::new(acctl_api::ErrorCode::ValidationFailed, "No such account")
                .with_field(
                    "actor",
                    "No account is root@example.com; type an email or an id.",
                ),
        ),
    };
    h.respond(filtered.clone().answered(AdminDone::Audit(Err(unknown))));
    let audit = &h.app.screens().admin().audit;
    assert!(audit.editing, "back in the filters");
    assert!(audit.form.error("actor").is_some());
    assert_eq!(audit.form.value("actor"), "root@example.com", "kept");
    snap("admin_audit_unknown_actor", &h);

    h.press(KeyCode::Enter);
    let again = admin_sent(&mut h).pop().expect("sent again");
    h.respond(again.answered(AdminDone::Audit(Ok(Page {
        items: Vec::new(),
        next_cursor: None,
    }))));
    snap("admin_audit_empty", &h);
    h.press(KeyCode::Tab);
    assert!(
        !h.app.screens().admin().in_audit,
        "Tab goes back to the accounts"
    );
}
