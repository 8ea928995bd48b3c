//! OpenAPI `links`: how one operation's answer feeds the next, so stateful
//! testing (schemathesis) can chain them: a sign-in into its second step
//! and refreshes, an enrolment into its confirmation, a list or a new job
//! into the item it names, a read into the edit that needs its `ETag`.

use serde_json::{Value, json};

/// One link: from an answer of `from` (with `status`) to `to`, filling
/// `parameters` (name, runtime expression) and the request body.
struct Chain {
    from: &'static str,
    status: &'static str,
    to: &'static str,
    parameters: &'static [(&'static str, &'static str)],
    body: Option<fn() -> Value>,
}

const fn chain(from: &'static str, status: &'static str, to: &'static str) -> Chain {
    Chain {
        from,
        status,
        to,
        parameters: &[],
        body: None,
    }
}

impl Chain {
    const fn parameters(mut self, parameters: &'static [(&'static str, &'static str)]) -> Self {
        self.parameters = parameters;
        self
    }

    const fn body(mut self, body: fn() -> Value) -> Self {
        self.body = Some(body);
        self
    }
}

const ITEM_ID: &[(&str, &str)] = &[("id", "$response.body#/items/0/id")];
const OWN_ID: &[(&str, &str)] = &[("id", "$response.body#/id")];
const ETAG: &[(&str, &str)] = &[("If-Match", "$response.header.ETag")];

fn refresh_body() -> Value {
    json!({"refresh_token": "$response.body#/refresh_token"})
}

fn mfa_body() -> Value {
    json!({"mfa_token": "$response.body#/mfa_token"})
}

/// Every link of the document. Revoking a session from the list is left
/// out on purpose: the first one is the tester's own, and ending it would
/// spoil every call after.
fn chains() -> Vec<Chain> {
    vec![
        // Signing in.
        chain("signup", "201", "refresh").body(refresh_body),
        chain("login", "200", "login_mfa").body(mfa_body),
        chain("login", "200", "refresh").body(refresh_body),
        chain("login_mfa", "200", "refresh").body(refresh_body),
        chain("refresh", "200", "refresh").body(refresh_body),
        // Enrolment and other confirmed changes.
        chain("enroll_totp", "200", "confirm_totp"),
        chain("enroll_totp", "200", "get_mfa"),
        chain("confirm_totp", "200", "get_mfa"),
        chain("confirm_totp", "200", "regenerate_recovery_codes"),
        chain("request_email_change", "202", "verify_email_change"),
        chain("schedule_deletion", "202", "get_deletion"),
        chain("schedule_deletion", "202", "cancel_deletion"),
        // Reads that give the ETag an edit needs.
        chain("get_me", "200", "update_me").parameters(ETAG),
        chain("update_me", "200", "update_me").parameters(ETAG),
        chain("get_preferences", "200", "update_preferences").parameters(ETAG),
        chain("update_preferences", "200", "update_preferences").parameters(ETAG),
        // Lists and jobs into their items.
        chain("list_exports", "200", "get_export").parameters(ITEM_ID),
        chain("list_exports", "200", "download_export").parameters(ITEM_ID),
        chain("start_export", "202", "get_export").parameters(OWN_ID),
        chain("start_export", "202", "download_export").parameters(OWN_ID),
        chain("get_export", "200", "download_export").parameters(OWN_ID),
        chain("list_invoices", "200", "get_invoice").parameters(ITEM_ID),
        chain("list_invoices", "200", "get_invoice_document").parameters(ITEM_ID),
        chain("get_invoice", "200", "get_invoice_document").parameters(OWN_ID),
        chain("list_notifications", "200", "mark_notification_read").parameters(ITEM_ID),
        chain("change_subscription", "200", "list_invoices"),
    ]
}

/// Adds every link to the document, as JSON: utoipa 5 writes a `Link`'s
/// fields in snake case (`operation_id`), which no tool reads.
pub fn add(document: &mut Value) {
    for chain in chains() {
        let Some(response) = operation_mut(document, chain.from)
            .and_then(|operation| operation.pointer_mut(&format!("/responses/{}", chain.status)))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let mut link = json!({"operationId": chain.to});
        if !chain.parameters.is_empty() {
            let parameters: serde_json::Map<String, Value> = chain
                .parameters
                .iter()
                .map(|(name, expression)| ((*name).to_string(), json!(expression)))
                .collect();
            link["parameters"] = Value::Object(parameters);
        }
        if let Some(body) = chain.body {
            link["requestBody"] = body();
        }
        let links = response.entry("links").or_insert_with(|| json!({}));
        links[chain.to] = link;
    }
}

/// The operation with `id`, in a document as JSON.
fn operation_mut<'a>(document: &'a mut Value, id: &str) -> Option<&'a mut Value> {
    document
        .get_mut("paths")?
        .as_object_mut()?
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .find(|operation| operation.get("operationId").and_then(Value::as_str) == Some(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every link names operations, statuses and parameters the document has.
    #[test]
    fn links_join_operations_that_exist() {
        let mut document = crate::openapi::document();
        for chain in chains() {
            let pointer = format!("/responses/{}/links/{}", chain.status, chain.to);
            let from = operation_mut(&mut document, chain.from).expect(chain.from);
            let link = from.pointer(&pointer).cloned();
            let link = link.unwrap_or_else(|| panic!("{} has no link {pointer}", chain.from));
            assert_eq!(link["operationId"], chain.to);
            let to = operation_mut(&mut document, chain.to).expect(chain.to);
            let names: Vec<&str> = to["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|parameter| parameter["name"].as_str())
                .collect();
            for (name, _) in chain.parameters {
                assert!(names.contains(name), "{} takes no {name}", chain.to);
            }
        }
    }
}
