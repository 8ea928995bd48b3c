//! `acctl preferences show|set`: theme, language and time zone, kept on the
//! server so every terminal signed in to the account follows them. Checked
//! here before anything is sent; changed with the ETag of the version read.

use acctl_api::profile::{is_timezone, language_problem, timezone_advice, timezones};
use acctl_api::{Preferences, PreferencesPatch, THEMES};
use acctl_client::Feature;

use super::json::JsonArg;
use super::profile::{changes_text, printable, refused_change};
use super::session::ProfileSession;
use super::{CliError, Exit, Invocation, PreferencesSetArgs};

/// Wire field → the flag that sets it, for the server's field errors.
const PREFERENCE_FLAGS: &[(&str, &str)] = &[
    ("theme", "--theme"),
    ("language", "--language"),
    ("timezone", "--timezone"),
];

/// Most time zones suggested for one that is not one.
const SUGGESTIONS: usize = 5;

pub(super) async fn show(inv: Invocation, json: &JsonArg) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Preferences)
        .await?;
    let preferences = client.preferences().get().await?.value;
    if json.wanted() {
        json.print(&preferences)?;
    } else {
        print!("{}", human_preferences(&preferences));
    }
    Ok(())
}

fn human_preferences(preferences: &Preferences) -> String {
    format!(
        "Theme:      {}\nLanguage:   {}\nTime zone:  {}\n",
        printable(&preferences.theme),
        printable(&preferences.language),
        printable(&preferences.timezone)
    )
}

/// The change the flags ask for, checked as the server will check it;
/// every problem is told at once, each named by its flag.
pub(super) fn preferences_patch(args: &PreferencesSetArgs) -> Result<PreferencesPatch, CliError> {
    let patch = PreferencesPatch {
        theme: args.theme.as_deref().map(|t| t.trim().to_lowercase()),
        language: args.language.as_deref().map(|l| l.trim().to_string()),
        timezone: args.timezone.as_deref().map(|z| z.trim().to_string()),
    };
    if patch == PreferencesPatch::default() {
        return Err(CliError::new(
            Exit::Usage,
            "say what to change with --theme, --timezone or --language",
        ));
    }
    let mut problems = Vec::new();
    if let Some(theme) = &patch.theme
        && !THEMES.contains(&theme.as_str())
    {
        problems.push(format!(
            "--theme: there is no theme '{}'; choose one of: {}.",
            printable(theme),
            THEMES.join(", ")
        ));
    }
    if let Some(zone) = &patch.timezone
        && !is_timezone(zone)
    {
        problems.push(timezone_problem(zone));
    }
    if let Some(advice) = patch.language.as_deref().and_then(language_problem) {
        problems.push(format!("--language: {}.", advice.trim_end_matches('.')));
    }
    if !problems.is_empty() {
        return Err(CliError::new(Exit::Usage, problems.join(" ")));
    }
    Ok(patch)
}

/// What to say about `typed`, which is not a time zone: the close names
/// when there are any, else how time zones are named.
fn timezone_problem(typed: &str) -> String {
    let close = close_timezones(typed);
    let mut text = format!("--timezone: there is no time zone '{}'; ", printable(typed));
    match close.as_slice() {
        // "...; choose an IANA time zone such as ..."
        [] => text.push_str(&format!(
            "{}.",
            lower_first(timezone_advice().trim_end_matches('.'))
        )),
        [only] => text.push_str(&format!("did you mean {only}?")),
        several => text.push_str(&format!("did you mean one of {}?", several.join(", "))),
    }
    text
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Up to [`SUGGESTIONS`] time zones whose name holds `typed`, ignoring case
/// (a space stands for the `_` in names like `America/New_York`): exact
/// matches first, then a whole last part (`london` → `Europe/London`), then
/// names that start with it, then the rest, each in alphabetical order.
fn close_timezones(typed: &str) -> Vec<&'static str> {
    let wanted = typed.trim().to_lowercase().replace(' ', "_");
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut close: Vec<(u8, &'static str)> = timezones()
        .filter_map(|zone| {
            let name = zone.to_lowercase();
            let rank = if name == wanted {
                0
            } else if name.rsplit('/').next() == Some(wanted.as_str()) {
                1
            } else if name.starts_with(&wanted) {
                2
            } else if name.contains(&wanted) {
                3
            } else {
                return None;
            };
            Some((rank, zone))
        })
        .collect();
    close.sort();
    close
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, zone)| zone)
        .collect()
}

pub(super) async fn set(inv: Invocation, args: PreferencesSetArgs) -> Result<(), CliError> {
    // Checked before anything is opened or sent.
    let patch = preferences_patch(&args)?;
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Preferences)
        .await?;
    let before = client.preferences().get().await?;
    let after = client
        .preferences()
        .update(&patch, &before.etag)
        .await
        .map_err(|e| refused_change(e, PREFERENCE_FLAGS, "preferences"))?;
    print!("{}", preference_changes(&before.value, &after.value));
    Ok(())
}

/// One line per preference that differs, e.g. `Theme: system → light`.
fn preference_changes(before: &Preferences, after: &Preferences) -> String {
    let lines = [
        ("Theme", &before.theme, &after.theme),
        ("Language", &before.language, &after.language),
        ("Time zone", &before.timezone, &after.timezone),
    ]
    .into_iter()
    .filter(|(_, old, new)| old != new)
    .map(|(label, old, new)| format!("{label}: {} → {}", printable(old), printable(new)))
    .collect();
    changes_text(lines, "preferences")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(
        theme: Option<&str>,
        timezone: Option<&str>,
        language: Option<&str>,
    ) -> PreferencesSetArgs {
        PreferencesSetArgs {
            theme: theme.map(str::to_string),
            timezone: timezone.map(str::to_string),
            language: language.map(str::to_string),
        }
    }

    #[test]
    fn good_values_become_a_patch() {
        let patch = preferences_patch(&args(Some(" Light "), Some("Europe/London"), Some("en-GB")))
            .expect("valid");
        assert_eq!(
            patch,
            PreferencesPatch {
                theme: Some("light".into()),
                language: Some("en-GB".into()),
                timezone: Some("Europe/London".into()),
            }
        );
        let patch = preferences_patch(&args(None, Some("UTC"), None)).expect("valid");
        assert_eq!(patch.theme, None, "absent flags are not sent");
        for theme in THEMES {
            assert!(
                preferences_patch(&args(Some(theme), None, None)).is_ok(),
                "{theme}"
            );
        }
    }

    #[test]
    fn no_flag_is_a_usage_error_that_lists_the_flags() {
        let err = preferences_patch(&args(None, None, None)).expect_err("nothing");
        assert_eq!(err.exit, Exit::Usage);
        for flag in ["--theme", "--timezone", "--language"] {
            assert!(err.message.contains(flag), "{}", err.message);
        }
    }

    #[test]
    fn bad_values_are_refused_by_flag_with_what_to_do() {
        let err = preferences_patch(&args(Some("dark"), Some("Mars/Olympus"), Some("english")))
            .expect_err("all bad");
        assert_eq!(err.exit, Exit::Usage);
        let language = language_problem("english").expect("the shared check refuses it");
        let parts: Vec<&str> = err.message.split(" --").collect();
        assert_eq!(
            parts,
            [
                "--theme: there is no theme 'dark'; choose one of: system, default, light, \
                 high-contrast, mono.",
                &format!(
                    "timezone: there is no time zone 'Mars/Olympus'; {}.",
                    lower_first(timezone_advice().trim_end_matches('.'))
                ),
                &format!("language: {}.", language.trim_end_matches('.')),
            ]
        );
        let err = preferences_patch(&args(Some(""), None, None)).expect_err("empty theme");
        assert!(
            err.message.starts_with("--theme: there is no theme ''"),
            "{}",
            err.message
        );
    }

    #[test]
    fn an_unknown_time_zone_suggests_close_names() {
        assert_eq!(close_timezones("london"), ["Europe/London"]);
        assert_eq!(close_timezones("new york"), ["America/New_York"]);
        assert_eq!(
            close_timezones("europe/london"),
            ["Europe/London"],
            "case is all that is wrong"
        );
        let many = close_timezones("america");
        assert_eq!(many.len(), SUGGESTIONS);
        assert!(
            many.iter().all(|z| z.to_lowercase().contains("america")),
            "{many:?}"
        );
        assert!(close_timezones("Mars").is_empty());
        assert!(close_timezones(" ").is_empty());

        assert_eq!(
            timezone_problem("london"),
            "--timezone: there is no time zone 'london'; did you mean Europe/London?"
        );
        let text = timezone_problem("paris");
        assert!(text.contains("Europe/Paris"), "{text}");
        let text = timezone_problem("kol");
        assert!(text.contains("did you mean one of "), "{text}");
        assert!(text.contains("Asia/Kolkata"), "{text}");
    }

    #[test]
    fn what_changed_is_printed_preference_by_preference() {
        let before = Preferences {
            theme: "system".into(),
            language: "en".into(),
            timezone: "UTC".into(),
        };
        let after = Preferences {
            theme: "light".into(),
            timezone: "Europe/London".into(),
            ..before.clone()
        };
        assert_eq!(
            preference_changes(&before, &after),
            "Theme: system → light\nTime zone: UTC → Europe/London\n"
        );
        assert_eq!(
            preference_changes(&before, &before),
            "Nothing changed: your preferences already had those values.\n"
        );
        assert_eq!(
            human_preferences(&after),
            "Theme:      light\nLanguage:   en\nTime zone:  Europe/London\n"
        );
    }
}
