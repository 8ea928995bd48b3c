//! acctl-client against a real Better Auth service (tests/services/better-auth)
//! on 127.0.0.1.

use crate::support::better_auth::BetterAuth;

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

#[test]
fn the_service_signs_people_up_and_mails_links() {
    let Some(service) = BetterAuth::start() else {
        return;
    };
    service.sign_up(EMAIL, "Ada Lovelace", PASSWORD);
    let body = serde_json::json!({"email": EMAIL, "password": PASSWORD});
    let (status, answer) = service.post("/api/auth/sign-in/email", &body);
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("set-auth-token: "),
        "{answer}"
    );
    let again = serde_json::json!({"email": EMAIL, "name": "Ada", "password": PASSWORD});
    let (status, answer) = service.post("/api/auth/sign-up/email", &again);
    assert_eq!(status, 422, "{answer}");
    assert!(
        service.links_to(EMAIL).is_empty(),
        "nothing asked for mail yet"
    );
}
