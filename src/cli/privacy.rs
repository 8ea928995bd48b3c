//! `acctl privacy show|set`: who sees the profile, and which optional uses
//! of your data are on.

use acctl_api::privacy::{PrivacyPatch, PrivacySettings, ProfileVisibility};
use acctl_client::Feature;
use clap::{Args, Subcommand};

use super::choice::NotOneOf;
use super::json::JsonArg;
use super::notifications::{Switch, on_off};
use super::password::field_errors;
use super::profile::changes_text;
use super::session::ProfileSession;
use super::{CliError, Exit, Invocation};

#[derive(Debug, Subcommand)]
pub enum PrivacyCommand {
    /// Profile visibility, data sharing, analytics and personalized ads.
    Show {
        #[command(flatten)]
        json: JsonArg,
    },
    /// Change one or more privacy settings; prints what changed.
    Set(PrivacySetArgs),
}

/// At least one flag.
#[derive(Debug, Args)]
pub struct PrivacySetArgs {
    /// Who sees your profile: private (only you), contacts, or public.
    #[arg(long, value_name = "WHO", value_parser = parse_visibility)]
    pub visibility: Option<ProfileVisibility>,
    /// Share usage data with partners who improve the service: on or off.
    #[arg(long, value_name = "STATE")]
    pub data_sharing: Option<Switch>,
    /// Measure how you use the service, to improve it: on or off.
    #[arg(long, value_name = "STATE")]
    pub analytics: Option<Switch>,
    /// Choose ads from what the service knows about you: on or off.
    #[arg(long, value_name = "STATE")]
    pub personalized_ads: Option<Switch>,
}

/// Wire field → the flag that sets it, for the server's field errors.
const PRIVACY_FLAGS: &[(&str, &str)] = &[
    ("profile_visibility", "--visibility"),
    ("data_sharing", "--data-sharing"),
    ("analytics", "--analytics"),
    ("personalized_ads", "--personalized-ads"),
];

fn parse_visibility(name: &str) -> Result<ProfileVisibility, NotOneOf> {
    ProfileVisibility::parse(&name.trim().to_lowercase())
        .ok_or_else(|| NotOneOf::new("", ProfileVisibility::ALL.map(|v| v.as_str())))
}

pub(super) async fn run(inv: Invocation, command: PrivacyCommand) -> Result<(), CliError> {
    match command {
        PrivacyCommand::Show { json } => show(inv, &json).await,
        PrivacyCommand::Set(args) => set(inv, args).await,
    }
}

async fn show(inv: Invocation, json: &JsonArg) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::PrivacySettings)
        .await?;
    let settings = client.privacy().settings().await?;
    if json.wanted() {
        json.print(&settings)?;
    } else {
        print!("{}", human(&settings));
    }
    Ok(())
}

fn human(settings: &PrivacySettings) -> String {
    let visibility = settings.profile_visibility;
    format!(
        "Profile visibility:  {} ({})\nData sharing:        {}\nAnalytics:           {}\n\
         Personalized ads:    {}\n",
        visibility.as_str(),
        visibility.explain(),
        on_off(settings.data_sharing),
        on_off(settings.analytics),
        on_off(settings.personalized_ads),
    )
}

/// The change the flags ask for; no flag at all is a usage error that
/// names them.
pub(super) fn privacy_patch(args: &PrivacySetArgs) -> Result<PrivacyPatch, CliError> {
    let patch = PrivacyPatch {
        profile_visibility: args.visibility,
        data_sharing: args.data_sharing.map(Switch::is_on),
        analytics: args.analytics.map(Switch::is_on),
        personalized_ads: args.personalized_ads.map(Switch::is_on),
    };
    if patch.is_empty() {
        return Err(CliError::new(
            Exit::Usage,
            "say what to change with --visibility, --data-sharing, --analytics or \
             --personalized-ads",
        ));
    }
    Ok(patch)
}

async fn set(inv: Invocation, args: PrivacySetArgs) -> Result<(), CliError> {
    let patch = privacy_patch(&args)?;
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::PrivacySettings)
        .await?;
    let before = client.privacy().settings().await?;
    let after = client
        .privacy()
        .update(&patch)
        .await
        .map_err(|e| field_errors(e, PRIVACY_FLAGS))?;
    print!("{}", privacy_changes(&before, &after));
    Ok(())
}

/// One line per setting that differs, e.g. `Analytics: off → on`.
fn privacy_changes(before: &PrivacySettings, after: &PrivacySettings) -> String {
    let switches = [
        ("Data sharing", before.data_sharing, after.data_sharing),
        ("Analytics", before.analytics, after.analytics),
        (
            "Personalized ads",
            before.personalized_ads,
            after.personalized_ads,
        ),
    ];
    let mut lines = Vec::new();
    if before.profile_visibility != after.profile_visibility {
        lines.push(format!(
            "Profile visibility: {} → {}",
            before.profile_visibility.as_str(),
            after.profile_visibility.as_str()
        ));
    }
    lines.extend(
        switches
            .into_iter()
            .filter(|(_, old, new)| old != new)
            .map(|(label, old, new)| format!("{label}: {} → {}", on_off(old), on_off(new))),
    );
    changes_text(lines, "privacy settings")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn private() -> PrivacySettings {
        PrivacySettings {
            profile_visibility: ProfileVisibility::Private,
            data_sharing: false,
            analytics: false,
            personalized_ads: false,
        }
    }

    #[test]
    fn flags_become_a_patch_of_only_what_was_given() {
        let args = PrivacySetArgs {
            visibility: Some(ProfileVisibility::Contacts),
            data_sharing: None,
            analytics: Some(Switch::On),
            personalized_ads: Some(Switch::Off),
        };
        let patch = privacy_patch(&args).expect("valid");
        assert_eq!(
            patch,
            PrivacyPatch {
                profile_visibility: Some(ProfileVisibility::Contacts),
                data_sharing: None,
                analytics: Some(true),
                personalized_ads: Some(false),
            }
        );
        let none = PrivacySetArgs {
            visibility: None,
            data_sharing: None,
            analytics: None,
            personalized_ads: None,
        };
        let err = privacy_patch(&none).expect_err("nothing to change");
        assert_eq!(err.exit, Exit::Usage);
        for flag in [
            "--visibility",
            "--data-sharing",
            "--analytics",
            "--personalized-ads",
        ] {
            assert!(err.message.contains(flag), "{}", err.message);
        }
    }

    #[test]
    fn an_unknown_visibility_lists_the_choices() {
        assert_eq!(parse_visibility("Public"), Ok(ProfileVisibility::Public));
        assert_eq!(
            parse_visibility("friends").map_err(|e| e.to_string()),
            Err("use one of: private, contacts, public".to_string())
        );
    }

    #[test]
    fn show_and_changes_read_as_words() {
        let after = PrivacySettings {
            profile_visibility: ProfileVisibility::Public,
            analytics: true,
            ..private()
        };
        assert_eq!(
            privacy_changes(&private(), &after),
            "Profile visibility: private → public\nAnalytics: off → on\n"
        );
        assert!(privacy_changes(&after, &after).starts_with("Nothing changed"));
        let text = human(&after);
        assert!(
            text.starts_with("Profile visibility:  public (Anyone can see"),
            "{text}"
        );
        assert!(text.contains("Analytics:           on\n"), "{text}");
    }
}
