//! `ACCTL_*` environment variables: one per setting, typed like the setting.

use std::collections::HashMap;

use super::load::ConfigError;

/// Each variable and the setting (`section.key`) it overrides.
pub const ENV_VARS: &[(&str, &str)] = &[
    ("ACCTL_SERVER", "server"),
    ("ACCTL_THEME", "ui.theme"),
    ("ACCTL_KEYMAP", "ui.keymap"),
    ("ACCTL_REDUCE_MOTION", "ui.reduce_motion"),
    ("ACCTL_SCREEN_READER", "ui.screen_reader"),
    ("ACCTL_CONNECT_TIMEOUT_SECS", "network.connect_timeout_secs"),
    ("ACCTL_REQUEST_TIMEOUT_SECS", "network.request_timeout_secs"),
    ("ACCTL_KEYRING_BACKEND", "keyring.backend"),
    ("ACCTL_KEYRING_TIMEOUT_SECS", "keyring.timeout_secs"),
];

/// The settings the environment sets, and which variable set each.
pub(super) struct EnvLayer {
    pub table: toml::Table,
    set: Vec<(&'static str, &'static str)>,
}

impl EnvLayer {
    /// The variable that set `key`, if one did.
    pub fn var_for(&self, key: &str) -> Option<&'static str> {
        self.set
            .iter()
            .find(|(_, k)| *k == key)
            .map(|(var, _)| *var)
    }
}

/// Reads the variables in `env` that are set and not empty. Each value is
/// parsed as the type the setting has in `defaults`.
pub(super) fn layer(
    env: &HashMap<String, String>,
    defaults: &toml::Table,
) -> Result<EnvLayer, ConfigError> {
    let mut layer = EnvLayer {
        table: toml::Table::new(),
        set: Vec::new(),
    };
    for &(var, key) in ENV_VARS {
        let Some(raw) = env.get(var).map(|v| v.trim()).filter(|v| !v.is_empty()) else {
            continue;
        };
        let value = typed_like(lookup(defaults, key), raw).map_err(|e| ConfigError::Env {
            var: var.to_string(),
            message: e.to_string(),
        })?;
        insert(&mut layer.table, key, value);
        layer.set.push((var, key));
    }
    Ok(layer)
}

fn lookup<'a>(table: &'a toml::Table, dotted: &str) -> Option<&'a toml::Value> {
    let (section, name) = match dotted.split_once('.') {
        Some((section, name)) => (Some(section), name),
        None => (None, dotted),
    };
    match section {
        Some(section) => table.get(section)?.as_table()?.get(name),
        None => table.get(name),
    }
}

fn insert(table: &mut toml::Table, dotted: &str, value: toml::Value) {
    match dotted.split_once('.') {
        Some((section, name)) => {
            let entry = table
                .entry(section)
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(inner) = entry {
                inner.insert(name.to_string(), value);
            }
        }
        None => {
            table.insert(dotted.to_string(), value);
        }
    }
}

/// A variable's value that is not of its setting's type.
#[derive(Debug, thiserror::Error)]
pub(super) enum EnvValueError {
    #[error("'{0}' is not a whole number of seconds")]
    NotSeconds(String),
    #[error("'{0}' is not true or false")]
    NotBoolean(String),
}

/// `raw` as a value of the same type as `like` (a string when unknown).
fn typed_like(like: Option<&toml::Value>, raw: &str) -> Result<toml::Value, EnvValueError> {
    match like {
        Some(toml::Value::Integer(_)) => raw
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(toml::Value::Integer)
            .ok_or_else(|| EnvValueError::NotSeconds(raw.to_string())),
        Some(toml::Value::Boolean(_)) => match raw.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(toml::Value::Boolean(true)),
            "0" | "false" | "no" | "off" => Ok(toml::Value::Boolean(false)),
            _ => Err(EnvValueError::NotBoolean(raw.to_string())),
        },
        _ => Ok(toml::Value::String(raw.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> toml::Table {
        toml::Table::try_from(super::super::Config::default()).expect("defaults serialise")
    }

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn values_take_the_type_of_their_setting() {
        let vars = env(&[
            ("ACCTL_REQUEST_TIMEOUT_SECS", "7"),
            ("ACCTL_REDUCE_MOTION", "yes"),
            ("ACCTL_SERVER", "http://x"),
            ("ACCTL_THEME", ""),
        ]);
        let layer = layer(&vars, &defaults()).expect("parses");
        assert_eq!(
            lookup(&layer.table, "network.request_timeout_secs"),
            Some(&toml::Value::Integer(7))
        );
        assert_eq!(
            lookup(&layer.table, "ui.reduce_motion"),
            Some(&toml::Value::Boolean(true))
        );
        assert_eq!(
            lookup(&layer.table, "server").and_then(|v| v.as_str()),
            Some("http://x")
        );
        // Empty means unset.
        assert!(lookup(&layer.table, "ui.theme").is_none());
        assert_eq!(
            layer.var_for("ui.reduce_motion"),
            Some("ACCTL_REDUCE_MOTION")
        );
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        let vars = env(&[("ACCTL_KEYRING_TIMEOUT_SECS", "soon")]);
        let err = layer(&vars, &defaults()).err().expect("refused");
        let message = err.to_string();
        assert!(message.contains("ACCTL_KEYRING_TIMEOUT_SECS"), "{message}");
        assert!(
            message.contains("'soon' is not a whole number"),
            "{message}"
        );
    }
}
