//! Layering, and errors that point at the mistake. Invalid configs live in
//! `tests/fixtures/config/*.toml`, each starting with `# expect: <text>`.

use std::path::Path;

use super::*;

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn with_file(text: &str) -> (tempfile::TempDir, ConfigSources) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(USER_CONFIG_FILE);
    std::fs::write(&path, text).expect("written");
    let sources = ConfigSources {
        user_file: Some(path),
        ..ConfigSources::default()
    };
    (dir, sources)
}

#[test]
fn the_embedded_defaults_parse_and_equal_the_compiled_ones() {
    let parsed: Config = toml::from_str(DEFAULT_TOML).expect("config/default.toml parses");
    assert_eq!(parsed, Config::default());
    let loaded = Config::load(&ConfigSources::default()).expect("loads");
    assert_eq!(loaded, Config::default());
}

#[test]
fn the_embedded_defaults_mention_every_setting_and_variable() {
    let table = toml::Table::try_from(Config::default()).expect("serialises");
    for (section, value) in &table {
        for key in value
            .as_table()
            .map(|t| t.keys().collect())
            .unwrap_or_else(Vec::new)
        {
            assert!(
                DEFAULT_TOML.contains(&format!("\n{key} = ")),
                "{section}.{key} missing"
            );
        }
    }
    for (var, _) in super::super::ENV_VARS {
        assert!(DEFAULT_TOML.contains(var), "{var} not documented");
    }
}

#[test]
fn layers_apply_in_order_file_then_env_then_flags() {
    let (_dir, mut sources) = with_file(
        "server = \"http://file:1\"\n[ui]\ntheme = \"light\"\nkeymap = \"vim\"\n[network]\nrequest_timeout_secs = 9\n",
    );
    sources.env = env(&[
        ("ACCTL_THEME", "high-contrast"),
        ("ACCTL_REQUEST_TIMEOUT_SECS", "30"),
    ]);
    let config = Config::load(&sources).expect("loads");
    assert_eq!(config.ui.theme, "high-contrast");
    assert_eq!(config.ui.keymap, "vim");
    assert_eq!(config.network.request_timeout_secs, 30);
    assert_eq!(config.network.connect_timeout_secs, 5, "untouched default");
    assert_eq!(config.server.as_deref(), Some("http://file:1"));

    sources.overrides = Overrides {
        server: Some("http://flag:2".into()),
        theme: Some("light".into()),
    };
    let config = Config::load(&sources).expect("loads");
    assert_eq!(config.ui.theme, "light");
    assert_eq!(config.server.as_deref(), Some("http://flag:2"));
}

#[test]
fn no_color_forces_mono_unless_a_theme_flag_is_given() {
    let mut sources = ConfigSources {
        env: env(&[("NO_COLOR", "1"), ("ACCTL_THEME", "light")]),
        ..ConfigSources::default()
    };
    assert_eq!(Config::load(&sources).expect("loads").ui.theme, "mono");
    sources.overrides.theme = Some("high-contrast".into());
    assert_eq!(
        Config::load(&sources).expect("loads").ui.theme,
        "high-contrast"
    );
    sources = ConfigSources {
        env: env(&[("NO_COLOR", "")]),
        ..ConfigSources::default()
    };
    assert_eq!(Config::load(&sources).expect("loads").ui.theme, "default");
}

#[test]
fn a_missing_user_file_is_fine() {
    let sources = ConfigSources {
        user_file: Some(Path::new("/nonexistent/acctl/config.toml").to_path_buf()),
        ..ConfigSources::default()
    };
    assert_eq!(Config::load(&sources).expect("loads"), Config::default());
}

#[test]
fn bad_environment_values_name_the_variable() {
    let sources = ConfigSources {
        env: env(&[("ACCTL_KEYMAP", "emacs")]),
        ..ConfigSources::default()
    };
    let message = Config::load(&sources).expect_err("refused").to_string();
    assert!(message.contains("ACCTL_KEYMAP"), "{message}");
    assert!(message.contains("'emacs' is not a keymap"), "{message}");
}

#[test]
fn a_bad_server_flag_names_the_flag() {
    let sources = ConfigSources {
        overrides: Overrides {
            server: Some("ftp://nope".into()),
            theme: None,
        },
        ..ConfigSources::default()
    };
    let message = Config::load(&sources).expect_err("refused").to_string();
    assert!(message.starts_with("--server"), "{message}");
    assert!(message.contains("only http and https"), "{message}");
}

#[test]
fn the_merged_result_prints_as_toml_that_loads_back() {
    let (_dir, sources) = with_file("[ui]\nkeymap = \"vim\"\n");
    let config = Config::load(&sources).expect("loads");
    let printed = config.to_toml();
    assert!(printed.contains("keymap = \"vim\""), "{printed}");
    let back: Config = toml::from_str(&printed).expect("parses");
    assert_eq!(back, config);
}

#[test]
fn every_invalid_fixture_fails_with_its_expected_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("fixture dir") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let expected: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .collect();
        assert!(
            !expected.is_empty(),
            "{} has no `# expect:` line",
            path.display()
        );
        let sources = ConfigSources {
            user_file: Some(path.clone()),
            ..ConfigSources::default()
        };
        let message = Config::load(&sources)
            .expect_err(&path.display().to_string())
            .to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        for part in expected {
            assert!(message.contains(part), "{}: {message}", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} fixtures");
}

#[test]
fn line_and_key_find_the_section() {
    let text = "server = \"x\"\n\n[ui]\n# note\ntheme = 5\n[network]\n";
    let offset = text.find("5").expect("present");
    assert_eq!(
        line_and_key(text, offset),
        (Some(5), Some("ui.theme".into()))
    );
    assert_eq!(line_and_key(text, 0), (Some(1), Some("server".into())));
    assert_eq!(find_line(text, "ui.theme"), Some(5));
    assert_eq!(find_line(text, "network.x"), None);
}
