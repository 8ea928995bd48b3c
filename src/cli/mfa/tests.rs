use super::*;

fn status(enabled: bool, pending: bool, left: u32) -> MfaStatus {
    MfaStatus {
        totp_enabled: enabled,
        totp_pending: pending,
        recovery_codes_remaining: left,
    }
}

#[test]
fn the_key_is_shown_in_groups_of_four() {
    assert_eq!(key_groups("JBSWY3DPEHPK3PXPJB"), "JBSW Y3DP EHPK 3PXP JB");
    assert_eq!(key_groups(""), "");
}

#[test]
fn status_says_on_off_or_pending_and_warns_of_few_codes() {
    let text = human_status(&status(true, false, 2), Some(2), "default");
    assert!(text.contains("on (authenticator app)"), "{text}");
    assert!(text.contains("2 left"), "{text}");
    assert!(
        text.contains("acctl mfa recovery-codes regenerate"),
        "{text}"
    );
    let text = human_status(&status(true, false, 9), Some(9), "work");
    assert!(!text.contains("regenerate"), "{text}");
    let text = human_status(&status(true, false, 0), None, "work");
    assert!(text.contains("does not say how many"), "{text}");
    assert!(
        !text.contains("0 left") && !text.contains("regenerate"),
        "{text}"
    );
    let text = human_status(&status(false, true, 0), Some(0), "work");
    assert!(text.contains("pending"), "{text}");
    assert!(text.contains("acctl --profile work mfa enroll"), "{text}");
    assert!(human_status(&status(false, false, 0), Some(0), "default").contains("off"));
}

#[test]
fn json_status_keys_are_stable() {
    let report = StatusReport::new(&status(false, true, 0), Some(0));
    let value = serde_json::to_value(&report).expect("serialises");
    assert_eq!(value["two_factor"], "pending");
    assert_eq!(value["totp_pending"], true);
    assert_eq!(value["recovery_codes_remaining"], 0);
    assert_eq!(value.as_object().map(|o| o.len()), Some(4));
    let untold = StatusReport::new(&status(true, false, 0), None);
    let value = serde_json::to_value(&untold).expect("serialises");
    assert!(value["recovery_codes_remaining"].is_null(), "{value}");
}

#[test]
fn the_enrolment_shows_qr_key_and_uri() {
    let enrolment = TotpEnrollment {
        secret_base32: SecretText::new("JBSWY3DPEHPK3PXP"),
        otpauth_uri: SecretText::new(
            "otpauth://totp/acctd:a%40b.co?secret=JBSWY3DPEHPK3PXP&issuer=acctd",
        ),
    };
    let text = enrolment_text(&enrolment, false);
    assert!(text.contains('█') || text.contains('▀'), "{text}");
    assert!(
        text.contains("key into the app: JBSW Y3DP EHPK 3PXP\n"),
        "{text}"
    );
    assert!(text.contains("otpauth://totp/acctd:a%40b.co"), "{text}");
    assert_ne!(text, enrolment_text(&enrolment, true));
}

#[test]
fn save_codes_refuses_existing_files_and_missing_folders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let taken = dir.path().join("taken");
    std::fs::write(&taken, "x").expect("written");
    let err = check_new_file(&taken).expect_err("exists");
    assert!(err.message.contains("already exists"), "{}", err.message);
    let err = check_new_file(&dir.path().join("no/codes.txt")).expect_err("no folder");
    assert!(err.message.contains("does not exist"), "{}", err.message);
    assert!(check_new_file(&dir.path().join("codes.txt")).is_ok());
    assert!(check_new_file(Path::new("fresh-codes-file.txt")).is_ok());
}
