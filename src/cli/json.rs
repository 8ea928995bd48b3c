//! `--json [FIELDS]`, one shape for every command: a list is a bare JSON
//! array of objects, anything else one object. FIELDS (comma-separated,
//! like gh's `--json`) keeps only those keys of each object. Whatever the
//! server wrote is escaped so no control or bidirectional character reaches
//! the terminal raw.

use acctl_client::text::is_unsafe;
use clap::Args;
use serde::Serialize;
use serde_json::Value;

use super::{CliError, Exit};

/// The `--json` flag of a command that prints JSON.
#[derive(Debug, Clone, Default, Args)]
pub struct JsonArg {
    /// Print JSON instead of text; with FIELDS (comma-separated, e.g.
    /// `--json id,device`) only those keys of each object.
    #[arg(long = "json", value_name = "FIELDS", num_args = 0..=1,
          default_missing_value = "", require_equals = false)]
    pub fields: Option<String>,
}

impl JsonArg {
    /// JSON wanted, with every field.
    #[cfg(test)]
    pub fn all() -> Self {
        Self {
            fields: Some(String::new()),
        }
    }

    pub fn wanted(&self) -> bool {
        self.fields.is_some()
    }

    /// Prints `value` as pretty JSON (its fields chosen by `--json FIELDS`).
    pub fn print<T: Serialize>(&self, value: &T) -> Result<(), CliError> {
        println!("{}", self.render(value)?);
        Ok(())
    }

    /// The text [`JsonArg::print`] prints.
    pub fn render<T: Serialize>(&self, value: &T) -> Result<String, CliError> {
        let value = serde_json::to_value(value)
            .map_err(|e| CliError::new(Exit::Error, format!("could not encode the answer: {e}")))?;
        let value = match self.field_list() {
            Some(fields) => select(value, &fields)?,
            None => value,
        };
        to_text(&value)
    }

    fn field_list(&self) -> Option<Vec<String>> {
        let fields = self.fields.as_deref()?.trim();
        (!fields.is_empty()).then(|| {
            fields
                .split(',')
                .map(|f| f.trim().to_string())
                .filter(|f| !f.is_empty())
                .collect()
        })
    }
}

/// Pretty JSON with C1, DEL and bidirectional controls escaped too (serde
/// escapes only C0). They only occur inside strings, so `\uXXXX` is valid.
/// Answers were already cleaned when decoded; this is for what was not
/// (`acctl api`), and so `--json` never relies on that alone.
pub fn to_text(value: &Value) -> Result<String, CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::new(Exit::Error, format!("could not encode the answer: {e}")))?;
    Ok(escape_controls(&text))
}

/// JSON text with every character [`is_unsafe`] escaped as `\uXXXX`, but
/// the line breaks of its layout (inside strings serde has already escaped
/// C0, line feeds included, so any `\n` left is layout).
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe(c) && c != '\n' {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Keeps `fields` of an object, or of each object in an array. A field no
/// object has is a usage error naming the ones there are.
fn select(value: Value, fields: &[String]) -> Result<Value, CliError> {
    if value.as_array().is_some_and(Vec::is_empty) {
        return Ok(value); // nothing to pick from, nothing to check against
    }
    let known = known_fields(&value);
    if let Some(unknown) = fields.iter().find(|f| !known.contains(f)) {
        return Err(CliError::new(
            Exit::Usage,
            format!(
                "--json: there is no field '{unknown}'; use some of: {}",
                known.join(", ")
            ),
        ));
    }
    let pick = |item: Value| match item {
        Value::Object(map) => Value::Object(
            fields
                .iter()
                .filter_map(|f| map.get(f).map(|v| (f.clone(), v.clone())))
                .collect(),
        ),
        other => other,
    };
    Ok(match value {
        Value::Array(items) => Value::Array(items.into_iter().map(pick).collect()),
        other => pick(other),
    })
}

/// Every key of the object, or of the objects in the array, in order.
fn known_fields(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let objects: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    for object in objects.iter().filter_map(|v| v.as_object()) {
        for key in object.keys() {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn with(fields: &str) -> JsonArg {
        JsonArg {
            fields: Some(fields.into()),
        }
    }

    #[test]
    fn fields_pick_keys_of_each_object_in_their_order() {
        let list =
            json!([{"id": "1", "device": "laptop", "ip": "x"}, {"id": "2", "device": "phone"}]);
        let text = with("device, id").render(&list).expect("renders");
        let back: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(
            back,
            json!([{"device": "laptop", "id": "1"}, {"device": "phone", "id": "2"}])
        );
        let one = with("id")
            .render(&json!({"id": "1", "x": 2}))
            .expect("renders");
        assert_eq!(
            serde_json::from_str::<Value>(&one).expect("json"),
            json!({"id": "1"})
        );
        assert_eq!(
            JsonArg::all().render(&list).expect("all"),
            to_text(&list).expect("text")
        );
    }

    #[test]
    fn an_unknown_field_is_a_usage_error_naming_the_known_ones() {
        let error = with("id,nope")
            .render(&json!([{"id": "1", "device": "d"}]))
            .expect_err("unknown");
        assert_eq!(error.exit, Exit::Usage);
        assert!(error.message.contains("'nope'"), "{}", error.message);
        assert!(error.message.contains("device, id"), "{}", error.message);
    }

    #[test]
    fn controls_and_bidi_marks_are_escaped() {
        let hostile = "a\u{1b}[2Jb\u{9b}c\u{202e}d\u{7f}\u{2066}\u{200f}\u{61c}\u{2028}\r\n\t";
        let text = to_text(&json!({"n": hostile, "k\u{9d}": [hostile]})).expect("text");
        assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{text:?}");
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e"),
            "{text}"
        );
        let back: Value = serde_json::from_str(&text).expect("still json");
        assert_eq!(back["n"], hostile);
        assert_eq!(back["k\u{9d}"][0], hostile);
    }
}
