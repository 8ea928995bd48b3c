//! Privacy settings and data exports, over HTTP against a real acctd.

mod common;

use acctl_api::paths;
use acctl_api::privacy::{PrivacySettings, ProfileVisibility};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

const EMAIL: &str = "pia@example.com";

async fn privacy(h: &Harness, token: &str) -> PrivacySettings {
    serde_json::from_value(h.get_json(paths::PRIVACY, token).await).expect("privacy")
}

#[tokio::test]
async fn privacy_starts_private_and_a_patch_changes_only_what_it_names() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Pia").await.access_token;
    let token = token.expose();
    let start = privacy(&h, token).await;
    assert_eq!(
        start,
        PrivacySettings {
            profile_visibility: ProfileVisibility::Private,
            data_sharing: false,
            analytics: false,
            personalized_ads: false,
        }
    );
    let response = send(
        &h,
        Method::PATCH,
        paths::PRIVACY,
        token,
        json!({"analytics": true}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let after: PrivacySettings = response.json().await.expect("privacy");
    assert_eq!(
        after,
        PrivacySettings {
            analytics: true,
            ..start.clone()
        }
    );
    let body =
        json!({"profile_visibility": "contacts", "analytics": true, "personalized_ads": true});
    let response = send(&h, Method::PATCH, paths::PRIVACY, token, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let now = privacy(&h, token).await;
    assert_eq!(
        now,
        PrivacySettings {
            profile_visibility: ProfileVisibility::Contacts,
            data_sharing: false,
            analytics: true,
            personalized_ads: true,
        }
    );
    let logged = events(&h, token, Some("privacy_settings_changed")).await;
    let details: Vec<_> = logged.iter().filter_map(|e| e.detail.as_deref()).collect();
    assert_eq!(
        details,
        [
            "Changed: profile_visibility, personalized_ads",
            "Changed: analytics"
        ]
    );
}

#[tokio::test]
async fn bad_privacy_values_are_refused_and_change_nothing() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Pia").await.access_token;
    let token = token.expose();
    let before = privacy(&h, token).await;
    let body = json!({"profile_visibility": "everyone", "analytics": true});
    let response = send(&h, Method::PATCH, paths::PRIVACY, token, body).await;
    let errors = expect_field_error(response, "profile_visibility").await;
    assert!(errors["profile_visibility"][0].contains("private, contacts or public"));
    for body in [json!({"tracking": true}), json!({"analytics": "yes"})] {
        let response = send(&h, Method::PATCH, paths::PRIVACY, token, body).await;
        expect_problem(response, "malformed_request").await;
    }
    assert_eq!(privacy(&h, token).await, before);
    assert_eq!(event_count(&h, token, "privacy_settings_changed").await, 0);
}
