use super::*;
use acctl_api::{ErrorCode, Problem};
use acctl_client::ServiceKind;

fn args(
    name: Option<&str>,
    display_name: Option<&str>,
    phone: Option<&str>,
    bio: Option<&str>,
) -> ProfileSetArgs {
    ProfileSetArgs {
        name: name.map(str::to_string),
        display_name: display_name.map(str::to_string),
        phone: phone.map(str::to_string),
        bio: bio.map(str::to_string),
    }
}

fn account() -> Account {
    serde_json::from_value(serde_json::json!({
        "id": "u1", "email": "ada@example.com", "email_verified": true,
        "name": "Ada Lovelace", "display_name": null,
        "created_at": "2030-01-01T00:00:00Z", "mfa_enabled": false,
        "active_sessions": 1, "last_sign_in": null,
    }))
    .expect("an account")
}

#[test]
fn flags_become_a_patch_with_the_phone_in_international_form() {
    let patch = profile_patch(&args(
        Some(" Ada King "),
        Some(""),
        Some("+44 (1632) 960-961"),
        Some(" Line one\r\nLine two \n"),
    ))
    .expect("valid");
    assert_eq!(patch.name.as_deref(), Some("Ada King"));
    assert_eq!(patch.display_name.as_deref(), Some(""), "clears it");
    assert_eq!(patch.phone.as_deref(), Some("+441632960961"));
    assert_eq!(patch.bio.as_deref(), Some("Line one\nLine two"));

    let patch = profile_patch(&args(None, None, Some(""), Some(""))).expect("valid");
    assert_eq!(patch.phone.as_deref(), Some(""), "an empty phone clears it");
    assert_eq!(patch.bio.as_deref(), Some(""));
    assert_eq!(patch.name, None, "absent flags are not sent");
}

#[test]
fn no_flag_is_a_usage_error_that_lists_the_flags() {
    let err = profile_patch(&args(None, None, None, None)).expect_err("nothing");
    assert_eq!(err.exit, Exit::Usage);
    for flag in ["--name", "--display-name", "--phone", "--bio"] {
        assert!(err.message.contains(flag), "{}", err.message);
    }
}

#[test]
fn bad_values_are_refused_by_flag_with_what_to_do() {
    let err = profile_patch(&args(None, None, Some("01632 960961"), None)).expect_err("phone");
    assert_eq!(err.exit, Exit::Usage);
    // The advice is the shared contract's, as the server gives it.
    let advice = normalize_phone("01632 960961").expect_err("the shared check");
    assert_eq!(err.message, format!("--phone: {advice}."));
    assert!(err.message.contains("+44 1632 960961"), "{}", err.message);

    let long = "é".repeat(BIO_MAX_CHARS + 1);
    let err = profile_patch(&args(Some(" "), None, Some("12"), Some(&long))).expect_err("all");
    assert!(
        err.message.starts_with("--name: the account needs a name"),
        "{}",
        err.message
    );
    assert!(err.message.contains(" --phone: "), "{}", err.message);
    assert!(
        err.message
            .contains("--bio: use at most 500 characters (this has 501)."),
        "{}",
        err.message
    );
    let fits = "é".repeat(BIO_MAX_CHARS);
    assert!(
        profile_patch(&args(None, None, None, Some(&fits))).is_ok(),
        "characters, not bytes"
    );
    let err =
        profile_patch(&args(None, Some(&"x".repeat(101)), None, None)).expect_err("display name");
    assert!(
        err.message.starts_with("--display-name: use at most 100"),
        "{}",
        err.message
    );
}

fn problem(code: ErrorCode, field: Option<(&str, &str)>) -> ApiError {
    let mut problem = Problem::new(code, "refused");
    problem.request_id = Some("req-9".into());
    if let Some((field, message)) = field {
        problem.errors.insert(field.into(), vec![message.into()]);
    }
    ApiError::Problem {
        problem: Box::new(problem),
    }
}

#[test]
fn a_412_says_run_again_and_has_its_own_exit() {
    let err = refused_change(
        problem(ErrorCode::PreconditionFailed, None),
        PROFILE_FLAGS,
        "profile",
    );
    assert_eq!(err.exit, Exit::Conflict);
    assert!(
        err.message.contains("your profile changed"),
        "{}",
        err.message
    );
    assert!(
        err.message.contains("run the command again"),
        "{}",
        err.message
    );
    assert_eq!(err.request_id.as_deref(), Some("req-9"));
}

#[test]
fn server_field_errors_are_named_by_flag() {
    let err = refused_change(
        problem(
            ErrorCode::ValidationFailed,
            Some(("display_name", "Leave out control characters")),
        ),
        PROFILE_FLAGS,
        "profile",
    );
    assert_eq!(err.message, "--display-name: Leave out control characters.");
    assert_eq!(err.exit, Exit::Error);
}

#[test]
fn the_profile_reads_as_labelled_lines() {
    let mut account = account();
    account.bio = Some("Line one\nLine two\u{1b}[2J".into());
    account.phone = Some("+441632960961".into());
    let text = human_profile(&account, Capabilities::ALL, "default");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Name:         Ada Lovelace");
    assert_eq!(lines[1], "Display name: -");
    assert_eq!(lines[3], "Phone:        +441632960961");
    assert_eq!(lines[4], "Bio:          Line one");
    assert_eq!(
        lines[5], "              Line two\u{fffd}[2J",
        "no escape reaches the terminal"
    );
    assert!(
        lines[6].starts_with("Avatar:       none (set one with `acctl profile avatar set PATH`)")
    );
    account.has_avatar = true;
    assert!(human_profile(&account, Capabilities::ALL, "default").ends_with("Avatar:       yes\n"));
    // Better Auth: no avatar, and a mailed link confirms a new address.
    account.pending_email = Some("ada@new.example".into());
    let text = human_profile(
        &account,
        ServiceKind::BetterAuth.offers_at_most(),
        "default",
    );
    assert!(!text.contains("Avatar") && !text.contains("Bio"), "{text}");
    assert!(
        text.starts_with("Name:         Ada Lovelace\nEmail:"),
        "{text}"
    );
    assert!(text.contains("waiting for its link"), "{text}");
}

#[test]
fn what_changed_is_printed_field_by_field() {
    let before = account();
    let mut after = before.clone();
    assert_eq!(
        profile_changes(&before, &after),
        "Nothing changed: your profile already had those values.\n"
    );
    after.phone = Some("+441632960961".into());
    after.name = "Ada King".into();
    after.bio = Some("Hi".into());
    assert_eq!(
        profile_changes(&before, &after),
        "Name: Ada Lovelace → Ada King\nPhone: - → +441632960961\nBio: set (2 characters)\n"
    );
    assert_eq!(
        profile_changes(&after, &before).lines().last(),
        Some("Bio: cleared")
    );
}

#[test]
fn an_avatar_file_is_checked_before_it_is_sent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = read_avatar(&dir.path().join("missing.png")).expect_err("missing");
    assert_eq!(err.exit, Exit::Usage);
    assert!(
        err.message.contains("there is no file at"),
        "{}",
        err.message
    );
    let err = read_avatar(dir.path()).expect_err("a folder");
    assert!(err.message.contains("is a folder"), "{}", err.message);

    let gif = dir.path().join("me.gif");
    std::fs::write(&gif, b"GIF89a\x01\x00\x01\x00").expect("written");
    let err = read_avatar(&gif).expect_err("gif");
    assert!(
        err.message
            .ends_with("is not a PNG or JPEG picture; save it as one of those first"),
        "{}",
        err.message
    );

    let empty = dir.path().join("empty.png");
    std::fs::write(&empty, b"").expect("written");
    assert!(
        read_avatar(&empty)
            .expect_err("empty")
            .message
            .contains("is empty")
    );

    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(AVATAR_MAX_BYTES + 1, 0);
    let big_path = dir.path().join("big.png");
    std::fs::write(&big_path, &big).expect("written");
    let err = read_avatar(&big_path).expect_err("too big");
    assert!(
        err.message
            .contains("is 1 MiB (1048577 bytes); an avatar may be at most 1 MiB (1048576 bytes)"),
        "{}",
        err.message
    );

    big.truncate(AVATAR_MAX_BYTES);
    std::fs::write(&big_path, &big).expect("written");
    assert_eq!(
        read_avatar(&big_path).expect("at the limit").len(),
        AVATAR_MAX_BYTES
    );
    let jpeg = dir.path().join("me.jpg");
    std::fs::write(&jpeg, [0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).expect("written");
    assert!(read_avatar(&jpeg).is_ok());
}

#[test]
fn sizes_read_as_people_say_them() {
    assert_eq!(size_text(12), "12 bytes");
    assert_eq!(size_text(340 * 1024 + 5), "340 KiB");
    assert_eq!(size_text(1024 * 1024), "1 MiB");
    assert_eq!(size_text(1024 * 1024 * 3 / 2), "1.5 MiB");
}
