//! Rules the server enforces on every operation alike, written into the
//! document once here rather than on each handler: the page size range, the
//! `X-Request-Id` on every answer, 405 with `Allow`, and the values a few
//! request fields must take that only the server knows (the plan ids).

use acctl_api::{DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, SecurityEventKind};
use serde_json::json;
use utoipa::Modify;
use utoipa::openapi::path::{Operation, Parameter};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{Header, RefOr, Response};

use crate::billing::plans::PLANS;

pub struct ServerRules;

impl Modify for ServerRules {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.delete,
                &mut item.put,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                for parameter in operation.parameters.iter_mut().flatten() {
                    constrain(parameter);
                }
                add_method_not_allowed(operation);
                for response in operation.responses.responses.values_mut() {
                    if let RefOr::T(response) = response {
                        add_request_id(response);
                    }
                }
            }
        }
        constrain_plans(openapi);
    }
}

/// Query parameters whose values the server checks.
fn constrain(parameter: &mut Parameter) {
    let schema = match parameter.name.as_str() {
        "limit" => ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .maximum(Some(MAX_PAGE_LIMIT))
            .default(Some(json!(DEFAULT_PAGE_LIMIT)))
            .build(),
        "kind" => ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(SecurityEventKind::ALL.map(kind_name)))
            .build(),
        // An ETag; `*` (any version) is refused with 428.
        "If-Match" => ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r#"^"[^"]*"$"#))
            .build(),
        "others" => ObjectBuilder::new()
            .schema_type(Type::Boolean)
            .enum_values(Some([true]))
            .build(),
        _ => return,
    };
    parameter.schema = Some(RefOr::T(Schema::Object(schema)));
}

fn kind_name(kind: SecurityEventKind) -> String {
    match serde_json::to_value(kind) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

fn add_method_not_allowed(operation: &mut Operation) {
    let allow = Header::builder()
        .schema(ObjectBuilder::new().schema_type(Type::String).build())
        .description(Some("The methods this path takes, e.g. `GET, PATCH`"))
        .build();
    let mut response = crate::openapi::problem_response(
        "`method_not_allowed`: this path does not take that method; `Allow` lists those it does",
    );
    response.headers.insert("Allow".to_string(), allow);
    operation
        .responses
        .responses
        .entry("405".to_string())
        .or_insert(RefOr::T(response));
}

fn add_request_id(response: &mut Response) {
    let id = Header::builder()
        .schema(ObjectBuilder::new().schema_type(Type::String).build())
        .description(Some(
            "The request's id, also in problem bodies: quote it when reporting a problem",
        ))
        .build();
    response
        .headers
        .entry("X-Request-Id".to_string())
        .or_insert(id);
}

/// `plan` in a subscription change is one of the plan ids.
fn constrain_plans(openapi: &mut utoipa::openapi::OpenApi) {
    let Some(components) = openapi.components.as_mut() else {
        return;
    };
    let Some(RefOr::T(Schema::Object(change))) = components.schemas.get_mut("SubscriptionChange")
    else {
        return;
    };
    let plan = ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(PLANS.map(|plan| plan.id)))
        .build();
    change
        .properties
        .insert("plan".to_string(), RefOr::T(Schema::Object(plan)));
}
