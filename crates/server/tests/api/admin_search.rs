//! Finding accounts: email or name prefix in any case, email matches
//! first, filters, and cursor pages that neither skip nor repeat.

use acctl_api::paths;
use serde_json::{Value, json};

use crate::common::admin::{AdminWorld, PERSON};
use crate::common::enrolled;

fn emails(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|user| user["email"].as_str().expect("email").to_string())
        .collect()
}

async fn search(world: &AdminWorld, query: &str) -> Value {
    world.get(&format!("{}?{query}", paths::ADMIN_USERS)).await
}

#[tokio::test]
async fn prefixes_of_emails_then_names_in_any_case() {
    let world = AdminWorld::start().await;
    world.h.signup("anabel@example.com", "Zed Ana").await;
    world.h.signup("bob@example.com", "Anatole Brun").await;
    world.h.signup("carla@example.com", "Carla").await;
    let found = search(&world, "query=ANA").await;
    assert_eq!(
        emails(&found),
        [PERSON, "anabel@example.com", "bob@example.com"],
        "emails first, then names"
    );
    assert_eq!(
        emails(&search(&world, "query=%20carla%20").await),
        ["carla@example.com"]
    );
    assert_eq!(
        emails(&search(&world, "query=anat").await),
        ["bob@example.com"]
    );
    assert!(emails(&search(&world, "query=zzz").await).is_empty());
    let row = &found["items"][0];
    assert_eq!(row["name"], json!("Ana Lima"));
    assert_eq!(row["status"], json!("active"));
    assert_eq!(row["mfa_enabled"], json!(false));
    assert!(row["last_sign_in_at"].is_string());
    let all = search(&world, "").await;
    assert_eq!(emails(&all).len(), 5);
    let bad = world
        .h
        .get(
            &format!("{}?query=%01", paths::ADMIN_USERS),
            world.admin_token(),
        )
        .await;
    assert_eq!(bad.status(), reqwest::StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn pages_follow_the_cursor_across_email_and_name_matches() {
    let world = AdminWorld::start().await;
    for i in 0..4 {
        world
            .h
            .signup(&format!("ana{i}@example.com"), "Someone")
            .await;
        world
            .h
            .signup(&format!("x{i}@example.com"), &format!("Ana {i}"))
            .await;
    }
    let everything = emails(&search(&world, "query=ana&limit=200").await);
    assert_eq!(everything.len(), 9);
    for limit in [1, 2, 4, 5, 9] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let after = cursor.map(|c| format!("&cursor={c}")).unwrap_or_default();
            let page = search(&world, &format!("query=ana&limit={limit}{after}")).await;
            let got = emails(&page);
            assert!(got.len() <= limit);
            seen.extend(got);
            cursor = page["next_cursor"].as_str().map(str::to_string);
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(seen, everything, "limit {limit}");
    }
    let bad = world
        .h
        .get(
            &format!("{}?cursor=bm9wZQ", paths::ADMIN_USERS),
            world.admin_token(),
        )
        .await;
    assert_eq!(bad.status(), reqwest::StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn filters_by_two_factor_and_status() {
    let world = AdminWorld::start().await;
    enrolled(&world.h, world.person.access_token.expose()).await;
    assert_eq!(emails(&search(&world, "mfa=true").await), [PERSON]);
    assert!(!emails(&search(&world, "mfa=false").await).contains(&PERSON.to_string()));
    assert_eq!(
        emails(&search(&world, "status=active&query=ana").await),
        [PERSON]
    );
    assert!(emails(&search(&world, "status=deletion_scheduled").await).is_empty());
    let detail = world.get(&paths::admin_user(&world.person_id)).await;
    assert_eq!(detail["plan"], json!("free"));
    assert_eq!(detail["status"], json!("active"));
    assert_eq!(detail["active_sessions"], json!(1));
    assert!(detail.get("password_hash").is_none());
    let unknown = world
        .h
        .get(&paths::admin_user("nobody"), world.admin_token())
        .await;
    assert_eq!(unknown.status(), reqwest::StatusCode::NOT_FOUND);
}
