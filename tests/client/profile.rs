//! The profile handlers of the real `Client` against a real acctd: two
//! terminals editing one profile, the picture, and the preferences.

use acctl_api::{PreferencesPatch, ProfilePatch, SecretText};
use acctl_client::{Client, ClientOptions, LoginOutcome, image_type};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

/// A server with one account, and `n` clients each signed in to it (as
/// `n` terminals would be).
async fn signed_in(n: usize) -> (acctd::RunningServer, Vec<Client>) {
    let server = acctd::start(acctd::Config::for_tests())
        .await
        .expect("acctd starts");
    server
        .add_user(EMAIL, "Ada Lovelace", PASSWORD)
        .await
        .expect("user added");
    let mut clients = Vec::new();
    for _ in 0..n {
        let client = Client::new(&server.base_url(), ClientOptions::default()).expect("client");
        let outcome = client
            .auth()
            .login(EMAIL, SecretText::new(PASSWORD))
            .await
            .expect("login");
        assert!(matches!(outcome, LoginOutcome::SignedIn(_)));
        clients.push(client);
    }
    (server, clients)
}

#[tokio::test]
async fn of_two_terminals_editing_one_profile_the_second_is_told_not_overwritten() {
    let (_server, clients) = signed_in(2).await;
    let (first, second) = (&clients[0], &clients[1]);
    let seen_by_first = first.profile().get().await.expect("profile");
    let seen_by_second = second.profile().get().await.expect("profile");
    assert_eq!(seen_by_first.etag, seen_by_second.etag);

    let rename = ProfilePatch {
        name: Some("Ada King".into()),
        ..ProfilePatch::default()
    };
    let saved = first
        .profile()
        .update(&rename, &seen_by_first.etag)
        .await
        .expect("first save");
    assert_eq!(saved.value.name, "Ada King");
    assert_ne!(saved.etag, seen_by_first.etag, "a new version");

    let bio = ProfilePatch {
        bio: Some("Poetical scientist".into()),
        ..ProfilePatch::default()
    };
    let refused = second
        .profile()
        .update(&bio, &seen_by_second.etag)
        .await
        .expect_err("made to an old version");
    assert!(refused.is_conflict(), "{refused:?}");
    let now = second.profile().get().await.expect("profile");
    assert_eq!(now.value.name, "Ada King", "the first change stands");
    assert_eq!(now.value.bio, None, "the second was not applied");
    // Made to the current version, it goes through.
    let again = second
        .profile()
        .update(&bio, &now.etag)
        .await
        .expect("second save");
    assert_eq!(again.value.bio.as_deref(), Some("Poetical scientist"));
    assert_eq!(again.value.name, "Ada King");
}

#[tokio::test]
async fn field_errors_name_the_field_and_the_phone_is_kept_in_international_form() {
    let (_server, clients) = signed_in(1).await;
    let profile = clients[0].profile();
    let current = profile.get().await.expect("profile");
    let bad = ProfilePatch {
        phone: Some("call me".into()),
        ..ProfilePatch::default()
    };
    let error = profile
        .update(&bad, &current.etag)
        .await
        .expect_err("refused");
    let problem = error.problem().expect("a problem");
    assert!(problem.errors.contains_key("phone"), "{problem:?}");
    let good = ProfilePatch {
        phone: Some("+44 (1632) 960-961".into()),
        ..ProfilePatch::default()
    };
    let saved = profile.update(&good, &current.etag).await.expect("saved");
    assert_eq!(saved.value.phone.as_deref(), Some("+441632960961"));
}

/// A tiny valid 2x2 RGB PNG.
fn png() -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 2, 2);
    encoder.set_color(png::ColorType::Rgb);
    let mut writer = encoder.write_header().expect("header");
    writer
        .write_image_data(&[255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255])
        .expect("pixels");
    drop(writer);
    out
}

#[tokio::test]
async fn a_picture_is_set_fetched_as_the_servers_own_png_and_removed() {
    let (_server, clients) = signed_in(1).await;
    let profile = clients[0].profile();
    assert_eq!(profile.avatar().await.expect("asked"), None);
    let account = profile.set_avatar(&png()).await.expect("set");
    assert!(account.has_avatar);
    let stored = profile.avatar().await.expect("asked").expect("a picture");
    assert_eq!(image_type(&stored), Some("image/png"));
    let picture = acctl::widgets::avatar::Picture::from_png(&stored).expect("drawable");
    assert_ne!(
        picture,
        acctl::widgets::avatar::Picture::from_png(&png()).expect("ours")
    );
    let junk = profile
        .set_avatar(b"not a picture")
        .await
        .expect_err("refused");
    assert!(junk.problem().is_some(), "{junk:?}");
    assert!(!profile.remove_avatar().await.expect("removed").has_avatar);
    assert_eq!(profile.avatar().await.expect("asked"), None);
}

#[tokio::test]
async fn preferences_change_for_every_terminal_and_stale_changes_are_refused() {
    let (_server, clients) = signed_in(2).await;
    let (first, second) = (&clients[0], &clients[1]);
    let before = second.preferences().get().await.expect("preferences");
    let zone = PreferencesPatch {
        timezone: Some("Asia/Tokyo".into()),
        theme: Some("light".into()),
        ..PreferencesPatch::default()
    };
    let current = first.preferences().get().await.expect("preferences");
    first
        .preferences()
        .update(&zone, &current.etag)
        .await
        .expect("saved");
    let seen = second.preferences().get().await.expect("preferences");
    assert_eq!(
        seen.value.timezone, "Asia/Tokyo",
        "the other terminal follows"
    );
    assert_eq!(seen.value.theme, "light");
    let stale = second
        .preferences()
        .update(&PreferencesPatch::default(), &before.etag)
        .await
        .expect_err("stale");
    assert!(stale.is_conflict());
    let unknown = PreferencesPatch {
        timezone: Some("Mars/Olympus".into()),
        ..PreferencesPatch::default()
    };
    let error = second
        .preferences()
        .update(&unknown, &seen.etag)
        .await
        .expect_err("refused");
    let problem = error.problem().expect("a problem");
    assert!(problem.errors.contains_key("timezone"), "{problem:?}");
}
