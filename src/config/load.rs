//! Merging the layers of settings, and errors that say where a bad value is.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Config;
use super::env::{self, EnvLayer};

/// Every option with its default, commented; embedded in the binary.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");
/// The user's settings file, inside the config dir.
pub const USER_CONFIG_FILE: &str = "config.toml";

/// Command-line flags that override settings.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub server: Option<String>,
    pub theme: Option<String>,
}

/// Where settings come from. Tests build one by hand; `from_process` reads
/// the real environment.
#[derive(Debug, Clone, Default)]
pub struct ConfigSources {
    /// The user's `config.toml`; a missing file is fine.
    pub user_file: Option<PathBuf>,
    /// Environment variables (only `ACCTL_*` and `NO_COLOR` are read).
    pub env: HashMap<String, String>,
    pub overrides: Overrides,
}

impl ConfigSources {
    /// The user's file in [`super::config_dir`] and this process's environment.
    pub fn from_process(overrides: Overrides) -> Self {
        Self {
            user_file: super::config_dir().map(|dir| dir.join(USER_CONFIG_FILE)),
            env: std::env::vars().collect(),
            overrides,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not read the config file {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}{}: {message}. Fix or remove it; `acctl --print-default-config` shows every option",
        .path.display(), location(*.line, .key.as_deref())
    )]
    File {
        path: PathBuf,
        line: Option<usize>,
        key: Option<String>,
        message: String,
    },
    #[error("environment variable {var}: {message}. Fix or unset it")]
    Env { var: String, message: String },
    #[error("{flag}: {message}")]
    Flag { flag: &'static str, message: String },
    #[error("the built-in defaults are broken ({0}); please report this bug")]
    Defaults(String),
}

fn location(line: Option<usize>, key: Option<&str>) -> String {
    match (line, key) {
        (Some(line), Some(key)) => format!(", line {line}, key '{key}'"),
        (Some(line), None) => format!(", line {line}"),
        (None, Some(key)) => format!(", key '{key}'"),
        (None, None) => String::new(),
    }
}

impl Config {
    /// Merges every layer in `sources`, lowest first, and checks the result.
    pub fn load(sources: &ConfigSources) -> Result<Config, ConfigError> {
        let mut table = defaults_table()?;
        let user = match &sources.user_file {
            Some(path) => read_user_file(path)?,
            None => None,
        };
        if let Some((_, user_table)) = &user {
            merge(&mut table, user_table.clone());
        }
        let env_layer = env::layer(&sources.env, &table)?;
        merge(&mut table, env_layer.table.clone());
        let mut config: Config = table
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Defaults(e.message().to_string()))?;
        apply_overrides(&mut config, &sources.overrides, &sources.env);
        config
            .check()
            .map_err(|(key, message)| blame(key, message, sources, user.as_ref(), &env_layer))?;
        Ok(config)
    }
}

/// Compiled defaults with the embedded `default.toml` on top.
fn defaults_table() -> Result<toml::Table, ConfigError> {
    let mut table = toml::Table::try_from(Config::default())
        .map_err(|e| ConfigError::Defaults(e.to_string()))?;
    let embedded: toml::Table =
        toml::from_str(DEFAULT_TOML).map_err(|e| ConfigError::Defaults(e.message().to_string()))?;
    merge(&mut table, embedded);
    Ok(table)
}

/// Reads and checks the user's file on its own, so a mistake is reported
/// with its line. `None` when there is no file.
fn read_user_file(path: &Path) -> Result<Option<(String, toml::Table)>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let file_error = |e: toml::de::Error| {
        let (line, key) = e
            .span()
            .map(|span| line_and_key(&text, span.start))
            .unwrap_or((None, None));
        ConfigError::File {
            path: path.to_path_buf(),
            line,
            key,
            message: e.message().trim().to_string(),
        }
    };
    // Typed first: unknown keys and wrong types come back with a position.
    toml::from_str::<Config>(&text).map_err(file_error)?;
    let table = toml::from_str::<toml::Table>(&text).map_err(file_error)?;
    Ok(Some((text, table)))
}

/// Deep merge: tables merge key by key; anything else in `top` wins.
fn merge(base: &mut toml::Table, top: toml::Table) {
    for (key, value) in top {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(below)), toml::Value::Table(above)) => merge(below, above),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

fn apply_overrides(config: &mut Config, flags: &Overrides, env: &HashMap<String, String>) {
    if let Some(server) = &flags.server {
        config.server = Some(server.clone());
    }
    // NO_COLOR (https://no-color.org) beats every theme setting but the flag.
    let no_color = env.get("NO_COLOR").is_some_and(|v| !v.is_empty());
    match &flags.theme {
        Some(theme) => config.ui.theme = theme.clone(),
        None if no_color => config.ui.theme = "mono".into(),
        None => {}
    }
    config.ui.theme_forced = flags.theme.is_some() || no_color;
}

/// Says which layer set the bad value `key` (`section.name`).
fn blame(
    key: &str,
    message: String,
    sources: &ConfigSources,
    user: Option<&(String, toml::Table)>,
    env_layer: &EnvLayer,
) -> ConfigError {
    if key == "server" && sources.overrides.server.is_some() {
        return ConfigError::Flag {
            flag: "--server",
            message,
        };
    }
    if let Some(var) = env_layer.var_for(key) {
        return ConfigError::Env {
            var: var.to_string(),
            message,
        };
    }
    match (user, &sources.user_file) {
        (Some((text, table)), Some(path)) if has_key(table, key) => ConfigError::File {
            path: path.clone(),
            line: find_line(text, key),
            key: Some(key.to_string()),
            message,
        },
        _ => ConfigError::Defaults(format!("{key}: {message}")),
    }
}

fn has_key(table: &toml::Table, dotted: &str) -> bool {
    let mut current = table;
    let mut parts = dotted.split('.').peekable();
    while let Some(part) = parts.next() {
        match (current.get(part), parts.peek()) {
            (Some(_), None) => return true,
            (Some(toml::Value::Table(inner)), Some(_)) => current = inner,
            _ => return false,
        }
    }
    false
}

/// The 1-based line of `offset` and the dotted key written on it.
fn line_and_key(text: &str, offset: usize) -> (Option<usize>, Option<String>) {
    let Some(before) = text.get(..offset.min(text.len())) else {
        return (None, None);
    };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let number = before[..line_start].matches('\n').count() + 1;
    let line = text[line_start..].lines().next().unwrap_or("").trim();
    if let Some(header) = table_header(line) {
        return (Some(number), Some(header));
    }
    let section = before[..line_start]
        .lines()
        .rev()
        .find_map(|l| table_header(l.trim()));
    let name = line
        .split('=')
        .next()
        .map(|k| k.trim().trim_matches('"'))
        .filter(|k| !k.is_empty() && !k.starts_with('#'));
    let key = match (section, name) {
        (Some(section), Some(name)) => Some(format!("{section}.{name}")),
        (None, Some(name)) => Some(name.to_string()),
        (section, None) => section,
    };
    (Some(number), key)
}

/// `[ui]` → `ui`.
fn table_header(line: &str) -> Option<String> {
    let inner = line.strip_prefix('[')?.split(']').next()?;
    Some(inner.trim().to_string())
}

/// The 1-based line where dotted `key` is set, for a value that parsed but
/// cannot work.
fn find_line(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let (Some(number), Some(found)) = line_and_key(text, offset)
            && found == key
        {
            return Some(number);
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
