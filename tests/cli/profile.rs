//! `acctl profile` and `acctl preferences` of the real binary against a
//! real acctd on 127.0.0.1, as a script runs them. Each test person signs
//! in once into a kernel session keyring of their own (`support::cli`);
//! the tests skip only when `keyctl` is missing, and never when `CI` is set.

use crate::support;

use support::cli::{EMAIL, signed_in};

/// A valid 2 x 2 red PNG, made by hand: signature, IHDR, one zlib IDAT, IEND.
const TINY_PNG: [u8; 73] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a,
    0x73, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x38, 0x63, 0x6c, 0x0c,
    0x44, 0x0c, 0x10, 0x0a, 0x00, 0x23, 0xea, 0x04, 0xc9, 0x31, 0x1f, 0xb3, 0xc8, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[test]
fn profile_set_then_show_round_trips() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let before = person.json(&["profile", "show", "--json"]);
    assert_eq!(before["name"], "Ada Lovelace");
    assert_eq!(before["email"], EMAIL);
    assert!(before["phone"].is_null() && before["bio"].is_null());

    let stdout = person.ok(&[
        "profile",
        "set",
        "--name",
        "Ada King",
        "--display-name",
        "Ada",
        "--phone",
        "+44 (1632) 960-961",
        "--bio",
        "Analyst.\nWrites notes.",
    ]);
    assert_eq!(
        stdout,
        "Name: Ada Lovelace → Ada King\nDisplay name: - → Ada\n\
         Phone: - → +441632960961\nBio: set (22 characters)\n"
    );
    let after = person.json(&["profile", "show", "--json"]);
    assert_eq!(after["name"], "Ada King");
    assert_eq!(after["display_name"], "Ada");
    assert_eq!(
        after["phone"], "+441632960961",
        "kept in international form"
    );
    assert_eq!(after["bio"], "Analyst.\nWrites notes.");
    assert_eq!(after["id"], before["id"]);

    // For people: labelled lines, the bio's second line under its first.
    let shown = person.ok(&["profile", "show"]);
    assert!(shown.contains("Display name: Ada\n"), "{shown}");
    assert!(
        shown.contains("Bio:          Analyst.\n              Writes notes.\n"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("Email:        {EMAIL}\n")),
        "{shown}"
    );

    // An empty value clears; the same value again changes nothing.
    let stdout = person.ok(&["profile", "set", "--display-name", "", "--bio", ""]);
    assert_eq!(stdout, "Display name: Ada → -\nBio: cleared\n");
    let cleared = person.json(&["profile", "show", "--json"]);
    assert!(cleared["display_name"].is_null() && cleared["bio"].is_null());
    assert_eq!(cleared["phone"], "+441632960961", "untouched");
    let stdout = person.ok(&["profile", "set", "--name", "Ada King"]);
    assert!(stdout.starts_with("Nothing changed"), "{stdout}");

    // The change is in the security log.
    let log = person.json(&["security-log", "--json", "--kind", "profile_updated"]);
    assert!(
        log.as_array().is_some_and(|events| !events.is_empty()),
        "{log}"
    );
}

#[test]
fn bad_values_are_refused_before_anything_is_sent() {
    let Some((mut server, person)) = signed_in() else {
        return;
    };
    let (code, stdout, stderr) = person.run(&["profile", "set"], "");
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("--name, --display-name, --phone or --bio"),
        "{stderr}"
    );

    let (code, stdout, stderr) = person.run(&["profile", "set", "--phone", "01632 960961"], "");
    assert_eq!(code, 2, "{stdout}{stderr}");
    // The advice is the shared contract's, as the server gives it.
    let advice = acctl_api::profile::normalize_phone("01632 960961").expect_err("refused");
    assert_eq!(stderr, format!("error: --phone: {advice}.\n"));
    assert!(stderr.contains("+44 1632 960961"), "{stderr}");
    let bio = "x".repeat(acctl_api::BIO_MAX_CHARS + 1);
    let (code, _, stderr) = person.run(&["profile", "set", "--bio", &bio], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--bio: use at most 500 characters (this has 501)"),
        "{stderr}"
    );
    let profile = person.json(&["profile", "show", "--json"]);
    assert!(profile["phone"].is_null() && profile["bio"].is_null());

    // With the server gone the same answers come back, not "cannot reach":
    // the checks happen before anything is sent.
    server.stop();
    let (code, _, stderr) = person.run(&["profile", "set", "--phone", "12"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.starts_with("error: --phone: "), "{stderr}");
    let (code, _, stderr) = person.run(&["preferences", "set", "--theme", "dark"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--theme: there is no theme 'dark'"),
        "{stderr}"
    );
    let (code, _, stderr) = person.run(&["profile", "set", "--phone", "+441632960961"], "");
    assert_eq!(code, 3, "a good value is sent: {stderr}");
}

#[test]
fn a_server_field_error_is_named_by_its_flag() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    // Direction overrides are the server's to refuse: acctl does not check them.
    let (code, stdout, stderr) =
        person.run(&["profile", "set", "--display-name", "Ada\u{202e}gnik"], "");
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.starts_with("error: --display-name: Leave out invisible text-direction characters"),
        "{stderr}"
    );
    assert!(stderr.contains("request id"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let profile = person.json(&["profile", "show", "--json"]);
    assert!(profile["display_name"].is_null(), "nothing changed");
}

#[test]
fn an_avatar_is_set_from_a_png_then_removed() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let shown = person.ok(&["profile", "show"]);
    assert!(shown.contains("Avatar:       none"), "{shown}");

    let picture = person.path("me.png");
    std::fs::write(&picture, TINY_PNG).expect("written");
    let path = picture.to_str().expect("a UTF-8 path");
    let stdout = person.ok(&["profile", "avatar", "set", path]);
    assert!(
        stdout.starts_with(&format!("Avatar set from {path}.")),
        "{stdout}"
    );
    let shown = person.ok(&["profile", "show"]);
    assert!(shown.contains("Avatar:       yes\n"), "{shown}");
    assert_eq!(
        person.json(&["profile", "show", "--json"])["has_avatar"],
        true
    );

    // Files that cannot be an avatar are refused here, each saying why.
    let gif = person.path("me.gif");
    std::fs::write(&gif, b"GIF89a\x02\x00\x02\x00").expect("written");
    let missing = person.path("nowhere.png");
    let big = person.path("big.png");
    let mut bytes = TINY_PNG.to_vec();
    bytes.resize(acctl_api::AVATAR_MAX_BYTES + 1, 0);
    std::fs::write(&big, bytes).expect("written");
    for (file, says) in [
        (&gif, "is not a PNG or JPEG picture"),
        (&missing, "there is no file at"),
        (&big, "an avatar may be at most 1 MiB"),
    ] {
        let file = file.to_str().expect("a UTF-8 path");
        let (code, stdout, stderr) = person.run(&["profile", "avatar", "set", file], "");
        assert_eq!(code, 2, "{file}: {stdout}{stderr}");
        assert!(stderr.contains(says), "{file}: {stderr}");
    }
    // A PNG's first bytes on something else: the server says, naming the file.
    let fake = person.path("fake.png");
    std::fs::write(&fake, &TINY_PNG[..20]).expect("written");
    let fake = fake.to_str().expect("a UTF-8 path");
    let (code, _, stderr) = person.run(&["profile", "avatar", "set", fake], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.starts_with(&format!("error: {fake}: ")), "{stderr}");

    assert_eq!(
        person.ok(&["profile", "avatar", "remove"]),
        "Avatar removed.\n"
    );
    let shown = person.ok(&["profile", "show"]);
    assert!(shown.contains("Avatar:       none"), "{shown}");
    assert_eq!(
        person.ok(&["profile", "avatar", "remove"]),
        "There is no avatar to remove.\n"
    );
}

#[test]
fn preferences_set_then_show_round_trips() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let defaults = person.json(&["preferences", "show", "--json"]);
    assert_eq!(
        defaults,
        serde_json::json!({"theme": "system", "language": "en", "timezone": "UTC"})
    );
    let stdout = person.ok(&[
        "preferences",
        "set",
        "--theme",
        "high-contrast",
        "--timezone",
        "Europe/London",
        "--language",
        "en-GB",
    ]);
    assert_eq!(
        stdout,
        "Theme: system → high-contrast\nLanguage: en → en-GB\nTime zone: UTC → Europe/London\n"
    );
    assert_eq!(
        person.json(&["preferences", "show", "--json"]),
        serde_json::json!({"theme": "high-contrast", "language": "en-GB", "timezone": "Europe/London"})
    );
    let stdout = person.ok(&["preferences", "set", "--timezone", "Asia/Tokyo"]);
    assert_eq!(stdout, "Time zone: Europe/London → Asia/Tokyo\n");
    assert_eq!(
        person.ok(&["preferences", "show"]),
        "Theme:      high-contrast\nLanguage:   en-GB\nTime zone:  Asia/Tokyo\n"
    );
}

#[test]
fn an_unknown_time_zone_suggests_close_names() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let (code, stdout, stderr) = person.run(&["preferences", "set", "--timezone", "london"], "");
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert_eq!(
        stderr,
        "error: --timezone: there is no time zone 'london'; did you mean Europe/London?\n"
    );
    let (code, _, stderr) = person.run(&["preferences", "set", "--timezone", "new york"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("did you mean America/New_York?"),
        "{stderr}"
    );
    let (code, _, stderr) = person.run(&["preferences", "set", "--timezone", "Mars/Olympus"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("choose an IANA time zone such as"),
        "{stderr}"
    );
    assert_eq!(
        person.json(&["preferences", "show", "--json"])["timezone"],
        "UTC",
        "nothing changed"
    );
}

/// Every command here that reaches the server, as a script would run it.
const COMMANDS: &[&[&str]] = &[
    &["profile", "show"],
    &["profile", "show", "--json"],
    &["profile", "set", "--name", "Ada King"],
    &["profile", "avatar", "remove"],
    &["preferences", "show", "--json"],
    &["preferences", "set", "--timezone", "UTC"],
];

#[test]
fn signed_out_they_answer_as_sessions_list_does() {
    support::cli::assert_signed_out_like_sessions_list(COMMANDS);
}

#[test]
fn an_unreachable_server_exits_3() {
    let Some((mut server, person)) = signed_in() else {
        return;
    };
    let picture = person.path("me.png");
    std::fs::write(&picture, TINY_PNG).expect("written");
    let avatar_set = ["profile", "avatar", "set", picture.to_str().expect("UTF-8")];
    server.stop();
    person.assert_each_unreachable(COMMANDS.iter().copied().chain([&avatar_set[..]]), "");
}
