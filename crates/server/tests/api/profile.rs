//! The profile, the avatar and the preferences (issue 4) against a real
//! server: every check on its own field, versions by ETag and If-Match so
//! no edit silently undoes another, pictures stored as the server's own
//! square PNG, and one account never reaching another's.

use crate::common;

use std::io::Cursor;
use std::sync::Arc;
use std::time::Duration;

use acctl_api::profile::{DEFAULT_LANGUAGE, DEFAULT_THEME, DEFAULT_TIMEZONE, timezone_advice};
use acctl_api::{
    AVATAR_MAX_BYTES, AVATAR_SIDE, Account, BIO_MAX_CHARS, NAME_MAX_CHARS, Preferences, THEMES,
    paths,
};
use common::{
    Harness, etag, event_count, events, expect_field_error, expect_problem, get_tagged, patch_ok,
    put_avatar, send_if_match, tokens,
};
use image::{DynamicImage, GenericImageView as _, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

const EMAIL: &str = "ann@example.com";
const UNREADABLE: &str = "Send a PNG or JPEG picture; this file could not be read as one.";

/// Signs Ann up; her access token.
async fn ann(h: &Harness) -> String {
    h.signup(EMAIL, "Ann")
        .await
        .access_token
        .expose()
        .to_string()
}

/// The same account signed in on another device: its access token.
async fn signed_in_on(h: &Harness, device: &str) -> String {
    h.login(EMAIL, device)
        .await
        .access_token
        .expose()
        .to_string()
}

/// `{field: value}`.
fn one(field: &str, value: Value) -> Value {
    let mut body = serde_json::Map::new();
    body.insert(field.to_string(), value);
    Value::Object(body)
}

fn encoded(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .expect("encodes");
    bytes
}

/// A PNG with a gradient and some transparency.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = RgbaImage::from_fn(width, height, |x, y| {
        Rgba([(x % 256) as u8, (y % 256) as u8, 128, 200])
    });
    encoded(image.into(), ImageFormat::Png)
}

/// A JPEG photo-like gradient (JPEG has no alpha).
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, 90, (y % 256) as u8])
    });
    encoded(image.into(), ImageFormat::Jpeg)
}

/// The CRC of PNG chunks (IEEE 802.3), bit by bit: a test needs no speed.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFF_u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let length = u32::try_from(data.len()).expect("small chunk");
    let mut typed = kind.to_vec();
    typed.extend_from_slice(data);
    let mut out = length.to_be_bytes().to_vec();
    out.extend_from_slice(&typed);
    out.extend_from_slice(&crc32(&typed).to_be_bytes());
    out
}

/// `png` with a `tEXt` chunk right after its header.
fn with_text(png: &[u8], keyword: &str, text: &[u8]) -> Vec<u8> {
    // 8 bytes of signature, then IHDR: length, type, 13 bytes, CRC.
    let after_header = 8 + 4 + 4 + 13 + 4;
    let mut data = keyword.as_bytes().to_vec();
    data.push(0);
    data.extend_from_slice(text);
    let mut out = png[..after_header].to_vec();
    out.extend(chunk(b"tEXt", &data));
    out.extend_from_slice(&png[after_header..]);
    out
}

/// A valid PNG header claiming `width` x `height` at `bit_depth` and
/// `color_type`, followed by almost no pixel data: a few bytes that would
/// ask a careless decoder for an enormous buffer.
fn claimed_png(width: u32, height: u32, bit_depth: u8, color_type: u8) -> Vec<u8> {
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[bit_depth, color_type, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &header));
    // A zlib stream of nothing.
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

/// GETs the avatar, expects a PNG no cache keeps; its bytes.
async fn served_avatar(h: &Harness, token: &str) -> Vec<u8> {
    let response = h.get(paths::AVATAR, token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| common::header(&response, name).expect(name);
    assert_eq!(header("content-type"), "image/png");
    assert_eq!(header("cache-control"), "no-store");
    response.bytes().await.expect("bytes").to_vec()
}

fn decoded_png(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory_with_format(bytes, ImageFormat::Png).expect("a PNG")
}

#[tokio::test]
async fn an_account_comes_with_its_profile_fields_and_an_etag() {
    let h = Harness::start().await;
    let token = ann(&h).await;
    let (me, tag) = get_tagged::<Account>(&h, paths::ME, &token).await;
    assert_eq!(tag, "\"1\"", "a new profile is version 1, as a strong tag");
    assert_eq!((me.phone, me.bio, me.has_avatar), (None, None, false));
    let (_, again) = get_tagged::<Account>(&h, paths::ME, &token).await;
    assert_eq!(again, tag, "reading does not change the version");
}

#[tokio::test]
async fn a_patch_changes_only_the_fields_sent_and_logs_their_names() {
    let h = Harness::start().await;
    let token = ann(&h).await;
    let (_, v1) = get_tagged::<Account>(&h, paths::ME, &token).await;
    let body = json!({"name": " Ann Example ", "phone": "+44 (1632) 960-961", "bio": "Line one\r\nLine two"});
    let (me, v2) = patch_ok::<Account>(&h, paths::ME, &token, &v1, body).await;
    assert_eq!(v2, "\"2\"");
    assert_eq!(me.name, "Ann Example");
    assert_eq!(me.phone.as_deref(), Some("+441632960961"), "stored E.164");
    assert_eq!(me.bio.as_deref(), Some("Line one\nLine two"));
    assert_eq!(me.display_name, None, "not sent, not changed");
    assert_eq!(me.email, EMAIL);
    assert_eq!(
        get_tagged::<Account>(&h, paths::ME, &token).await,
        (me.clone(), v2.clone()),
        "the answer is what is stored"
    );
    let logged = events(&h, &token, Some("profile_updated")).await;
    assert_eq!(logged.len(), 1);
    let detail = logged[0].detail.as_deref().expect("a detail");
    assert_eq!(detail, "Changed: name, phone, bio");
    assert_eq!(logged[0].device_name.as_deref(), Some("acctd-tests"));

    // "" clears an optional field; the others stay as they are.
    // A second later, so the log's order is the order of the changes.
    h.advance(Duration::from_secs(1));
    let body = json!({"phone": "", "display_name": "Annie"});
    let (me, v3) = patch_ok::<Account>(&h, paths::ME, &token, &v2, body).await;
    assert_eq!(v3, "\"3\"");
    assert_eq!(me.phone, None);
    assert_eq!(me.display_name.as_deref(), Some("Annie"));
    assert_eq!(me.name, "Ann Example");
    assert_eq!(me.bio.as_deref(), Some("Line one\nLine two"));
    h.advance(Duration::from_secs(1));
    let body = json!({"display_name": "", "bio": "  "});
    let (cleared, v4) = patch_ok::<Account>(&h, paths::ME, &token, &v3, body).await;
    assert_eq!((cleared.display_name, cleared.bio), (None, None));
    let details: Vec<_> = events(&h, &token, Some("profile_updated"))
        .await
        .into_iter()
        .filter_map(|e| e.detail)
        .collect();
    assert_eq!(
        details,
        [
            "Changed: display_name, bio",
            "Changed: display_name, phone",
            "Changed: name, phone, bio"
        ]
    );

    // Sending what is stored already is no change: no new version, no event.
    let (same, v5) = patch_ok::<Account>(
        &h,
        paths::ME,
        &token,
        &v4,
        json!({"name": "Ann Example", "phone": ""}),
    )
    .await;
    assert_eq!(v5, v4);
    assert_eq!(same.name, "Ann Example");
    assert_eq!(event_count(&h, &token, "profile_updated").await, 3);
}

#[tokio::test]
async fn an_empty_patch_answers_the_account_unchanged_and_logs_nothing() {
    let h = Harness::start().await;
    let token = ann(&h).await;
    let (before, tag) = get_tagged::<Account>(&h, paths::ME, &token).await;
    let (after, same) = patch_ok::<Account>(&h, paths::ME, &token, &tag, json!({})).await;
    assert_eq!((after, same), (before, tag));
    assert_eq!(event_count(&h, &token, "profile_updated").await, 0);
}

#[tokio::test]
async fn every_profile_field_is_checked_on_its_own_key() {
    let h = Harness::start().await;
    let token = ann(&h).await;
    let (before, tag) = get_tagged::<Account>(&h, paths::ME, &token).await;
    let cases = [
        ("name", json!("")),
        ("name", json!("   ")),
        ("name", json!("n".repeat(NAME_MAX_CHARS + 1))),
        ("name", json!("Ann\u{7}")),
        ("name", json!("Ann\nExample")),
        ("name", json!("Ann\u{202e}gpj.exe")),
        ("display_name", json!("d".repeat(NAME_MAX_CHARS + 1))),
        ("display_name", json!("Tab\there")),
        ("display_name", json!("Ann\u{2066}")),
        ("phone", json!("01632 960961")),
        ("phone", json!("+44 1632 ext 9")),
        ("phone", json!("+1234")),
        ("phone", json!("+0441632960961")),
        ("bio", json!("b".repeat(BIO_MAX_CHARS + 1))),
        ("bio", json!("Tab\there")),
        ("bio", json!("Bell\u{7}")),
        ("bio", json!("Ann\u{202e}x")),
        ("bio", json!("Line\u{2028}separator")),
    ];
    for (field, value) in cases {
        let body = one(field, value.clone());
        let response = send_if_match(&h, Method::PATCH, paths::ME, &token, Some(&tag), body).await;
        let errors = expect_field_error(response, field).await;
        assert_eq!(errors.len(), 1, "{field} = {value}: {errors:?}");
    }
    // Several bad fields at once: each is named.
    let body = json!({"name": "", "display_name": "\u{7}", "phone": "12", "bio": "\u{7}"});
    let response = send_if_match(&h, Method::PATCH, paths::ME, &token, Some(&tag), body).await;
    let errors = expect_field_error(response, "name").await;
    let fields: Vec<_> = errors.keys().map(String::as_str).collect();
    assert_eq!(fields, ["bio", "display_name", "name", "phone"]);
    // One bad field spoils the patch: the good one is not applied either.
    let body = json!({"display_name": "Fine", "phone": "nope"});
    let response = send_if_match(&h, Method::PATCH, paths::ME, &token, Some(&tag), body).await;
    expect_field_error(response, "phone").await;
    assert_eq!(
        get_tagged::<Account>(&h, paths::ME, &token).await,
        (before, tag.clone())
    );
    assert_eq!(event_count(&h, &token, "profile_updated").await, 0);

    // The limits themselves are allowed, counted in characters.
    let half = BIO_MAX_CHARS / 2;
    let bio = format!(
        "{}\n{}",
        "é".repeat(half),
        "é".repeat(BIO_MAX_CHARS - half - 1)
    );
    let body = json!({"name": "é".repeat(NAME_MAX_CHARS), "display_name": "ü".repeat(NAME_MAX_CHARS), "bio": bio});
    let (me, _) = patch_ok::<Account>(&h, paths::ME, &token, &tag, body).await;
    assert_eq!(
        me.bio.as_deref().map(|b| b.chars().count()),
        Some(BIO_MAX_CHARS)
    );
    assert_eq!(me.name.chars().count(), NAME_MAX_CHARS);
}

#[tokio::test]
async fn profile_patches_of_the_wrong_shape_are_malformed() {
    let h = Harness::start().await;
    let token = ann(&h).await;
    let (_, tag) = get_tagged::<Account>(&h, paths::ME, &token).await;
    for body in [
        json!({"email": "mallory@example.com"}),
        json!({"name": 42}),
        json!({"bio": ["a"]}),
        json!("just text"),
    ] {
        let response = send_if_match(&h, Method::PATCH, paths::ME, &token, Some(&tag), body).await;
        expect_problem(response, "malformed_request").await;
    }
    let (me, same) = get_tagged::<Account>(&h, paths::ME, &token).await;
    assert_eq!((me.email.as_str(), same), (EMAIL, tag));
}

#[tokio::test]
async fn profile_edits_must_name_the_current_version() {
    let h = Harness::start().await;
    let token = ann(&h).await;
    let change = json!({"bio": "Hello"});
    let missing = send_if_match(&h, Method::PATCH, paths::ME, &token, None, change.clone()).await;
    let answer = expect_problem(missing, "precondition_required").await;
    assert_eq!(answer.status, StatusCode::PRECONDITION_REQUIRED);
    for nothing in ["*", " ", ","] {
        let response = send_if_match(
            &h,
            Method::PATCH,
            paths::ME,
            &token,
            Some(nothing),
            change.clone(),
        )
        .await;
        expect_problem(response, "precondition_required").await;
    }
    // Another version, a weak tag, an unquoted one: 412 with the current ETag.
    for stale in ["\"0\"", "\"2\"", "W/\"1\"", "1"] {
        let response = send_if_match(
            &h,
            Method::PATCH,
            paths::ME,
            &token,
            Some(stale),
            change.clone(),
        )
        .await;
        assert_eq!(etag(&response).as_deref(), Some("\"1\""), "{stale}");
        let answer = expect_problem(response, "precondition_failed").await;
        assert_eq!(answer.status, StatusCode::PRECONDITION_FAILED);
    }
    let (me, _) = get_tagged::<Account>(&h, paths::ME, &token).await;
    assert_eq!(me.bio, None, "no refused edit was applied");
    // A list that names the current version matches.
    let (me, tag) =
        patch_ok::<Account>(&h, paths::ME, &token, "\"7\", \"1\"", change.clone()).await;
    assert_eq!((me.bio.as_deref(), tag.as_str()), (Some("Hello"), "\"2\""));
    // Without a token the answer is 401, whatever If-Match says.
    let anonymous = h
        .request(Method::PATCH, paths::ME, None)
        .header("if-match", "\"2\"")
        .json(&change)
        .send()
        .await
        .expect("sent");
    expect_problem(anonymous, "unauthenticated").await;
}

#[tokio::test]
async fn of_two_clients_editing_one_version_the_second_is_told_and_the_first_kept() {
    let h = Harness::start().await;
    let laptop = ann(&h).await;
    let phone = signed_in_on(&h, "phone").await;
    let (_, seen_on_laptop) = get_tagged::<Account>(&h, paths::ME, &laptop).await;
    let (_, seen_on_phone) = get_tagged::<Account>(&h, paths::ME, &phone).await;
    assert_eq!(seen_on_laptop, seen_on_phone);

    let body = json!({"bio": "Written on the laptop"});
    let (_, after_laptop) =
        patch_ok::<Account>(&h, paths::ME, &laptop, &seen_on_laptop, body).await;
    let body = json!({"bio": "Written on the phone", "name": "Phone Ann"});
    let late = send_if_match(
        &h,
        Method::PATCH,
        paths::ME,
        &phone,
        Some(&seen_on_phone),
        body,
    )
    .await;
    assert_eq!(etag(&late), Some(after_laptop.clone()), "told what to load");
    expect_problem(late, "precondition_failed").await;
    let (me, _) = get_tagged::<Account>(&h, paths::ME, &phone).await;
    assert_eq!(me.bio.as_deref(), Some("Written on the laptop"));
    assert_eq!(me.name, "Ann");

    // Reloaded, the phone's edit lands on top of the laptop's.
    let body = json!({"name": "Phone Ann"});
    let (me, _) = patch_ok::<Account>(&h, paths::ME, &phone, &after_laptop, body).await;
    assert_eq!(
        (me.name.as_str(), me.bio.as_deref()),
        ("Phone Ann", Some("Written on the laptop"))
    );
    assert_eq!(event_count(&h, &laptop, "profile_updated").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_simultaneous_edits_of_one_version_exactly_one_lands() {
    let h = Arc::new(Harness::start().await);
    let token = ann(&h).await;
    let mut edits = tokio::task::JoinSet::new();
    for i in 0..8 {
        let (h, token) = (Arc::clone(&h), token.clone());
        edits.spawn(async move {
            let body = json!({"bio": format!("Edit {i}")});
            let response =
                send_if_match(&h, Method::PATCH, paths::ME, &token, Some("\"1\""), body).await;
            (i, response.status())
        });
    }
    let mut landed = Vec::new();
    while let Some(result) = edits.join_next().await {
        let (i, status) = result.expect("the edit ran");
        match status {
            StatusCode::OK => landed.push(i),
            StatusCode::PRECONDITION_FAILED => {}
            other => panic!("edit {i}: {other}"),
        }
    }
    assert_eq!(landed.len(), 1, "{landed:?}");
    let (me, tag) = get_tagged::<Account>(&h, paths::ME, &token).await;
    assert_eq!(tag, "\"2\"");
    assert_eq!(me.bio, Some(format!("Edit {}", landed[0])));
    assert_eq!(event_count(&h, &token, "profile_updated").await, 1);
}

#[tokio::test]
async fn png_and_jpeg_uploads_come_back_as_a_square_png_of_avatar_side() {
    let h = Harness::start().await;
    let token = ann(&h).await;
    let (_, tag) = get_tagged::<Account>(&h, paths::ME, &token).await;
    let uploads = [
        ("image/png", png(300, 200)),
        ("image/jpeg", jpeg(480, 640)),
        ("image/png; charset=binary", png(40, 40)),
        ("Image/JPEG", jpeg(AVATAR_SIDE, AVATAR_SIDE)),
    ];
    for (label, bytes) in &uploads {
        let response = put_avatar(&h, &token, Some(label), bytes.clone()).await;
        assert_eq!(response.status(), StatusCode::OK, "{label}");
        assert_eq!(
            etag(&response),
            Some(tag.clone()),
            "a picture is no profile edit"
        );
        let account: Account = response.json().await.expect("account");
        assert!(account.has_avatar);
        let served = served_avatar(&h, &token).await;
        assert_ne!(&served, bytes, "re-encoded, not stored as sent");
        let picture = decoded_png(&served);
        assert_eq!(picture.dimensions(), (AVATAR_SIDE, AVATAR_SIDE), "{label}");
    }
    let (me, same) = get_tagged::<Account>(&h, paths::ME, &token).await;
    assert!(me.has_avatar);
    assert_eq!(same, tag);
    let logged = events(&h, &token, Some("avatar_changed")).await;
    assert_eq!(logged.len(), uploads.len());
    assert!(logged.iter().all(|e| e.detail.as_deref() == Some("Set")));
}

#[tokio::test]
async fn the_centre_of_a_picture_is_kept_and_nothing_else_of_the_upload() {
    let h = Harness::start().await;
    let token = ann(&h).await;
    // Red, green and blue thirds, side by side: the centred square is green.
    let thirds = RgbImage::from_fn(600, 200, |x, _| match x {
        0..200 => Rgb([255, 0, 0]),
        200..400 => Rgb([0, 255, 0]),
        _ => Rgb([0, 0, 255]),
    });
    const MARKER: &[u8] = b"gps=51.5007,-0.1246;owner=ann";
    let mut upload = with_text(&encoded(thirds.into(), ImageFormat::Png), "Comment", MARKER);
    upload.extend_from_slice(MARKER);
    let response = put_avatar(&h, &token, Some("image/png"), upload).await;
    assert_eq!(response.status(), StatusCode::OK);
    let served = served_avatar(&h, &token).await;
    assert!(
        !served.windows(MARKER.len()).any(|w| w == MARKER),
        "metadata and trailing bytes are dropped"
    );
    let picture = decoded_png(&served).to_rgb8();
    for (x, y) in [
        (0, 0),
        (AVATAR_SIDE - 1, AVATAR_SIDE / 2),
        (AVATAR_SIDE / 2, AVATAR_SIDE - 1),
    ] {
        let Rgb([r, g, b]) = *picture.get_pixel(x, y);
        assert!(g > 200 && r < 40 && b < 40, "({x}, {y}) is {r},{g},{b}");
    }
}

#[tokio::test]
async fn uploads_that_are_not_png_or_jpeg_pictures_of_a_sane_size_are_refused() {
    let h = Harness::start().await;
    let token = ann(&h).await;
    for label in [
        Some("text/plain"),
        Some("image/gif"),
        Some("application/json"),
        None,
    ] {
        let response = put_avatar(&h, &token, label, png(10, 10)).await;
        let answer = expect_problem(response, "unsupported_media_type").await;
        assert_eq!(
            answer.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{label:?}"
        );
    }
    let mut big = png(10, 10);
    big.resize(AVATAR_MAX_BYTES + 1, 0);
    let answer = expect_problem(
        put_avatar(&h, &token, Some("image/png"), big).await,
        "payload_too_large",
    )
    .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);

    let small = png(64, 64);
    let junk: [Vec<u8>; 5] = [
        b"not a picture at all".to_vec(),
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
        small[..small.len() / 2].to_vec(),
        Vec::new(),
        jpeg(64, 64)[..200].to_vec(),
    ];
    for bytes in junk {
        let response = put_avatar(&h, &token, Some("image/jpeg"), bytes).await;
        let errors = expect_field_error(response, "avatar").await;
        assert_eq!(errors["avatar"], [UNREADABLE]);
    }
    // Decompression bombs: a few bytes that claim 512 MiB of 16-bit RGBA, or
    // a side past 8192. Refused from the header, before unpacking.
    for (width, height, depth, color) in [(8192, 8192, 16, 6), (9000, 1, 8, 0), (1, 100_000, 8, 0)]
    {
        let bomb = claimed_png(width, height, depth, color);
        assert!(bomb.len() < 100);
        let response = put_avatar(&h, &token, Some("image/png"), bomb).await;
        let errors = expect_field_error(response, "avatar").await;
        assert!(
            errors["avatar"][0].contains("too many pixels"),
            "{width}x{height}: {errors:?}"
        );
    }
    let none = h.get(paths::AVATAR, &token).await;
    expect_problem(none, "not_found").await;
    assert_eq!(event_count(&h, &token, "avatar_changed").await, 0);
}

#[tokio::test]
async fn the_larger_body_limit_is_for_pictures_only() {
    let h = Harness::start().await;
    let token = ann(&h).await;
    // Exactly the limit, padded in a text chunk: accepted (JSON stops at 64 KiB).
    let base = png(32, 32);
    let overhead = 12 + "Comment".len() + 1;
    let padding = vec![b'x'; AVATAR_MAX_BYTES - base.len() - overhead];
    let upload = with_text(&base, "Comment", &padding);
    assert_eq!(upload.len(), AVATAR_MAX_BYTES);
    let response = put_avatar(&h, &token, Some("image/png"), upload).await;
    assert_eq!(response.status(), StatusCode::OK);
    // The profile's JSON keeps the ordinary limit.
    let (_, tag) = get_tagged::<Account>(&h, paths::ME, &token).await;
    let body = json!({"bio": "b".repeat(100 * 1024)});
    let response = send_if_match(&h, Method::PATCH, paths::ME, &token, Some(&tag), body).await;
    expect_problem(response, "payload_too_large").await;
}

#[tokio::test]
async fn an_avatar_can_be_removed_and_is_not_found_when_there_is_none() {
    let h = Harness::start().await;
    let token = ann(&h).await;
    let none = expect_problem(h.get(paths::AVATAR, &token).await, "not_found").await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    // Removing nothing answers the account and logs nothing.
    let response = h.delete(paths::AVATAR, &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        !response
            .json::<Account>()
            .await
            .expect("account")
            .has_avatar
    );
    assert_eq!(event_count(&h, &token, "avatar_changed").await, 0);

    assert_eq!(
        put_avatar(&h, &token, Some("image/png"), png(50, 80))
            .await
            .status(),
        StatusCode::OK
    );
    h.advance(Duration::from_secs(1));
    let response = h.delete(paths::AVATAR, &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(etag(&response).as_deref(), Some("\"1\""));
    assert!(
        !response
            .json::<Account>()
            .await
            .expect("account")
            .has_avatar
    );
    expect_problem(h.get(paths::AVATAR, &token).await, "not_found").await;
    let (me, _) = get_tagged::<Account>(&h, paths::ME, &token).await;
    assert!(!me.has_avatar);
    let _ = h.delete(paths::AVATAR, &token).await;
    let details: Vec<_> = events(&h, &token, Some("avatar_changed"))
        .await
        .into_iter()
        .filter_map(|e| e.detail)
        .collect();
    assert_eq!(details, ["Removed", "Set"], "a second removal logs nothing");
}

#[tokio::test]
async fn preferences_start_as_the_defaults_and_change_field_by_field() {
    let h = Harness::start().await;
    let token = ann(&h).await;
    let logged_before = events(&h, &token, None).await.len();
    let (prefs, v0) = get_tagged::<Preferences>(&h, paths::PREFERENCES, &token).await;
    let defaults = Preferences {
        theme: DEFAULT_THEME.to_string(),
        language: DEFAULT_LANGUAGE.to_string(),
        timezone: DEFAULT_TIMEZONE.to_string(),
    };
    assert_eq!((prefs, v0.as_str()), (defaults.clone(), "\"0\""));
    let (prefs, v1) = patch_ok::<Preferences>(
        &h,
        paths::PREFERENCES,
        &token,
        &v0,
        json!({"theme": "light"}),
    )
    .await;
    assert_eq!(v1, "\"1\"");
    assert_eq!(
        prefs,
        Preferences {
            theme: "light".into(),
            ..defaults.clone()
        }
    );
    let body = json!({"language": "pt-BR", "timezone": "America/Sao_Paulo"});
    let (prefs, v2) = patch_ok::<Preferences>(&h, paths::PREFERENCES, &token, &v1, body).await;
    assert_eq!(v2, "\"2\"");
    let expected = Preferences {
        theme: "light".into(),
        language: "pt-BR".into(),
        timezone: "America/Sao_Paulo".into(),
    };
    assert_eq!(prefs, expected);
    assert_eq!(
        get_tagged::<Preferences>(&h, paths::PREFERENCES, &token).await,
        (expected.clone(), v2.clone())
    );
    let (same, v2_again) =
        patch_ok::<Preferences>(&h, paths::PREFERENCES, &token, &v2, json!({})).await;
    assert_eq!((same, v2_again), (expected, v2.clone()));
    let mut tag = v2;
    for theme in THEMES {
        let (prefs, next) = patch_ok::<Preferences>(
            &h,
            paths::PREFERENCES,
            &token,
            &tag,
            json!({"theme": theme}),
        )
        .await;
        assert_eq!(prefs.theme, *theme);
        tag = next;
    }
    // Preferences are neither security events nor the profile.
    assert_eq!(events(&h, &token, None).await.len(), logged_before);
    let (_, profile) = get_tagged::<Account>(&h, paths::ME, &token).await;
    assert_eq!(profile, "\"1\"");
}

#[tokio::test]
async fn every_preference_is_checked_on_its_own_key() {
    let h = Harness::start().await;
    let token = ann(&h).await;
    let cases = [
        ("theme", "neon"),
        ("theme", "Light"),
        ("theme", ""),
        ("language", "english"),
        ("language", "en_GB"),
        ("language", "e"),
        ("language", ""),
        ("timezone", "Mars/Olympus"),
        ("timezone", "europe/london"),
        ("timezone", "UTC "),
        ("timezone", ""),
    ];
    for (field, value) in cases {
        let body = one(field, json!(value));
        let response = send_if_match(
            &h,
            Method::PATCH,
            paths::PREFERENCES,
            &token,
            Some("\"0\""),
            body,
        )
        .await;
        let errors = expect_field_error(response, field).await;
        assert_eq!(errors.len(), 1, "{field} = {value:?}: {errors:?}");
        if field == "timezone" {
            assert_eq!(errors["timezone"], [timezone_advice()]);
        }
        if field == "theme" {
            assert!(errors["theme"][0].contains("high-contrast"), "{errors:?}");
        }
    }
    let body = json!({"theme": "neon", "language": "x", "timezone": "Nowhere"});
    let response = send_if_match(
        &h,
        Method::PATCH,
        paths::PREFERENCES,
        &token,
        Some("\"0\""),
        body,
    )
    .await;
    let errors = expect_field_error(response, "theme").await;
    assert_eq!(
        errors.keys().collect::<Vec<_>>(),
        ["language", "theme", "timezone"]
    );
    let body = json!({"font": "serif"});
    let response = send_if_match(
        &h,
        Method::PATCH,
        paths::PREFERENCES,
        &token,
        Some("\"0\""),
        body,
    )
    .await;
    expect_problem(response, "malformed_request").await;
    let (prefs, tag) = get_tagged::<Preferences>(&h, paths::PREFERENCES, &token).await;
    assert_eq!(
        (prefs.theme.as_str(), tag.as_str()),
        (DEFAULT_THEME, "\"0\"")
    );
}

#[tokio::test]
async fn preference_edits_must_name_the_current_version() {
    let h = Harness::start().await;
    let laptop = ann(&h).await;
    let phone = signed_in_on(&h, "phone").await;
    let dark = json!({"theme": "high-contrast"});
    let missing = send_if_match(
        &h,
        Method::PATCH,
        paths::PREFERENCES,
        &laptop,
        None,
        dark.clone(),
    )
    .await;
    expect_problem(missing, "precondition_required").await;
    let any = send_if_match(
        &h,
        Method::PATCH,
        paths::PREFERENCES,
        &laptop,
        Some("*"),
        dark.clone(),
    )
    .await;
    expect_problem(any, "precondition_required").await;
    // Never set: version 0, so "1" is stale.
    let ahead = send_if_match(
        &h,
        Method::PATCH,
        paths::PREFERENCES,
        &laptop,
        Some("\"1\""),
        dark.clone(),
    )
    .await;
    assert_eq!(etag(&ahead).as_deref(), Some("\"0\""));
    expect_problem(ahead, "precondition_failed").await;

    // Both devices loaded version 0; the laptop writes first.
    let (_, v1) = patch_ok::<Preferences>(&h, paths::PREFERENCES, &laptop, "\"0\"", dark).await;
    let mono = json!({"theme": "mono", "timezone": "Europe/Berlin"});
    let late = send_if_match(
        &h,
        Method::PATCH,
        paths::PREFERENCES,
        &phone,
        Some("\"0\""),
        mono,
    )
    .await;
    assert_eq!(etag(&late), Some(v1.clone()));
    expect_problem(late, "precondition_failed").await;
    let (prefs, tag) = get_tagged::<Preferences>(&h, paths::PREFERENCES, &phone).await;
    assert_eq!(
        (prefs.theme.as_str(), prefs.timezone.as_str()),
        ("high-contrast", DEFAULT_TIMEZONE)
    );
    assert_eq!(tag, v1);
}

#[tokio::test]
async fn another_account_never_sees_or_changes_this_ones_profile() {
    let h = Harness::start().await;
    let ann = ann(&h).await;
    let bob = h
        .signup("bob@example.com", "Bob")
        .await
        .access_token
        .expose()
        .to_string();
    let body = json!({"bio": "Ann's own words", "phone": "+441632960961"});
    let (_, ann_tag) = patch_ok::<Account>(&h, paths::ME, &ann, "\"1\"", body).await;
    assert_eq!(
        put_avatar(&h, &ann, Some("image/png"), png(90, 90))
            .await
            .status(),
        StatusCode::OK
    );
    let anns_picture = served_avatar(&h, &ann).await;
    patch_ok::<Preferences>(
        &h,
        paths::PREFERENCES,
        &ann,
        "\"0\"",
        json!({"theme": "mono"}),
    )
    .await;

    let (me, bob_tag) = get_tagged::<Account>(&h, paths::ME, &bob).await;
    assert_eq!(
        (me.name.as_str(), me.bio, me.phone, me.has_avatar),
        ("Bob", None, None, false)
    );
    assert_eq!(bob_tag, "\"1\"", "versions are per account");
    expect_problem(h.get(paths::AVATAR, &bob).await, "not_found").await;
    assert_eq!(h.delete(paths::AVATAR, &bob).await.status(), StatusCode::OK);
    assert_eq!(
        put_avatar(&h, &bob, Some("image/jpeg"), jpeg(30, 60))
            .await
            .status(),
        StatusCode::OK
    );
    // Ann's ETag means nothing for Bob's profile.
    let response = send_if_match(
        &h,
        Method::PATCH,
        paths::ME,
        &bob,
        Some(&ann_tag),
        json!({"bio": "Bob's"}),
    )
    .await;
    assert_eq!(etag(&response).as_deref(), Some("\"1\""));
    expect_problem(response, "precondition_failed").await;
    patch_ok::<Account>(
        &h,
        paths::ME,
        &bob,
        "\"1\"",
        json!({"name": "Robert", "bio": ""}),
    )
    .await;
    let (prefs, _) = get_tagged::<Preferences>(&h, paths::PREFERENCES, &bob).await;
    assert_eq!(prefs.theme, DEFAULT_THEME);
    patch_ok::<Preferences>(
        &h,
        paths::PREFERENCES,
        &bob,
        "\"0\"",
        json!({"theme": "light"}),
    )
    .await;

    let (me, tag) = get_tagged::<Account>(&h, paths::ME, &ann).await;
    assert_eq!(
        (me.name.as_str(), me.bio.as_deref()),
        ("Ann", Some("Ann's own words"))
    );
    assert_eq!(tag, ann_tag);
    assert_eq!(served_avatar(&h, &ann).await, anns_picture);
    let (prefs, _) = get_tagged::<Preferences>(&h, paths::PREFERENCES, &ann).await;
    assert_eq!(prefs.theme, "mono");
    assert_eq!(event_count(&h, &ann, "avatar_changed").await, 1);
    assert_eq!(event_count(&h, &ann, "profile_updated").await, 1);
    assert_eq!(
        event_count(&h, &bob, "avatar_changed").await,
        1,
        "his upload only"
    );
    assert_eq!(event_count(&h, &bob, "profile_updated").await, 1);
}

#[tokio::test]
async fn the_new_routes_are_documented() {
    let h = Harness::start().await;
    let doc: Value = h.public_json(paths::OPENAPI).await;
    let me = &doc["paths"][paths::ME];
    assert!(me["get"]["responses"]["200"]["headers"]["ETag"].is_object());
    let patch = &me["patch"];
    for status in ["200", "401", "412", "422", "428"] {
        assert!(
            patch["responses"][status].is_object(),
            "PATCH /v1/me {status}"
        );
    }
    assert!(patch["responses"]["412"]["headers"]["ETag"].is_object());
    let params = patch["parameters"].as_array().expect("parameters");
    assert!(
        params
            .iter()
            .any(|p| p["name"] == "If-Match" && p["in"] == "header")
    );
    let avatar = &doc["paths"][paths::AVATAR];
    let upload = &avatar["put"];
    for media_type in ["image/png", "image/jpeg"] {
        assert!(
            upload["requestBody"]["content"][media_type].is_object(),
            "{media_type}"
        );
    }
    for status in ["200", "413", "415", "422"] {
        assert!(
            upload["responses"][status].is_object(),
            "PUT avatar {status}"
        );
    }
    assert!(
        !upload["responses"]["415"]["description"]
            .as_str()
            .expect("described")
            .contains("application/json"),
        "the picture's own 415, not the JSON one"
    );
    assert!(avatar["get"]["responses"]["200"]["content"]["image/png"].is_object());
    assert!(avatar["get"]["responses"]["404"].is_object());
    assert!(avatar["delete"]["responses"]["200"].is_object());
    let preferences = &doc["paths"][paths::PREFERENCES];
    assert!(preferences["get"]["responses"]["200"]["headers"]["ETag"].is_object());
    for status in ["200", "412", "422", "428"] {
        assert!(
            preferences["patch"]["responses"][status].is_object(),
            "PATCH preferences {status}"
        );
    }
    for schema in ["ProfilePatch", "PreferencesPatch", "Preferences"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

#[tokio::test]
async fn the_demo_account_has_a_phone_a_bio_and_their_change_in_its_log() {
    let h = Harness::start().await;
    let demo = h.server.seed_demo().await.expect("seeded");
    let response = h
        .login_as(&demo.email, demo.password.expose_secret(), "laptop")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let token = tokens(response).await.access_token.expose().to_string();
    let (me, tag) = get_tagged::<Account>(&h, paths::ME, &token).await;
    let phone = me.phone.expect("a phone");
    assert_eq!(
        acctl_api::profile::normalize_phone(&phone),
        Ok(Some(phone.clone()))
    );
    let bio = me.bio.expect("a bio");
    assert!(!bio.is_empty() && bio.chars().count() <= BIO_MAX_CHARS);
    assert_eq!(tag, "\"2\"");
    let logged = events(&h, &token, Some("profile_updated")).await;
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].detail.as_deref(), Some("Changed: phone, bio"));
    // Seeding again (a new password) leaves the profile alone.
    h.server.seed_demo().await.expect("seeded again");
    assert_eq!(get_tagged::<Account>(&h, paths::ME, &token).await.1, tag);
}
