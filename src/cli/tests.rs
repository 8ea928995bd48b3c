//! The grammar of the session, security and profile commands: what parses
//! and what is refused before anything runs.

use super::*;
use acctl_api::SecurityEventKind;
use clap::CommandFactory;
use std::path::Path;

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    Cli::try_parse_args(args)
}

#[test]
fn the_grammar_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn global_flags_go_before_or_after_the_subcommand() {
    let cli = parse(&[
        "login",
        "--server",
        "http://x",
        "--email",
        "a@b.c",
        "--password-stdin",
    ])
    .expect("parses");
    assert_eq!(cli.server.as_deref(), Some("http://x"));
    assert!(matches!(
        cli.command,
        Some(Command::Login(LoginArgs {
            password_stdin: true,
            ..
        }))
    ));
    let cli = parse(&["--profile", "work", "status", "--json"]).expect("parses");
    assert_eq!(cli.profile.as_deref(), Some("work"));
    assert_eq!(login_hint_for("work"), "acctl --profile work login");
}

#[test]
fn revoke_takes_an_id_or_others_but_not_both() {
    assert!(parse(&["sessions", "revoke", "s1"]).is_ok());
    assert!(parse(&["sessions", "revoke", "--others"]).is_ok());
    let both = parse(&["sessions", "revoke", "s1", "--others"]).expect_err("both");
    assert_eq!(both.exit_code(), 2);
    assert!(parse(&["sessions", "revoke"]).is_err());
}

#[test]
fn security_commands_parse() {
    let cli = parse(&[
        "password",
        "change",
        "--sign-out-others",
        "--password-stdin",
    ])
    .expect("parses");
    assert!(matches!(
        cli.command,
        Some(Command::Password(PasswordCommand::Change(
            PasswordChangeArgs {
                sign_out_others: true,
                password_stdin: true,
            }
        )))
    ));
    let cli = parse(&["mfa", "enroll", "--invert", "--save-codes", "codes.txt"]).expect("parses");
    assert!(matches!(
        cli.command,
        Some(Command::Mfa(MfaCommand::Enroll(MfaEnrollArgs {
            invert: true,
            save_codes: Some(_),
            ..
        })))
    ));
    assert!(parse(&["mfa", "recovery-codes", "regenerate", "--password-stdin"]).is_ok());
    assert!(parse(&["email", "verify"]).is_err(), "CODE is required");
    let cli = parse(&["security-log", "--kind", "login_failed"]).expect("parses");
    let Some(Command::SecurityLog(args)) = cli.command else {
        panic!("not security-log");
    };
    assert_eq!(args.kind, Some(SecurityEventKind::LoginFailed));
    assert_eq!(args.limit, 20);
    assert_eq!(
        parse(&["security-log", "--limit", "0"])
            .expect_err("0")
            .exit_code(),
        2
    );
}

#[test]
fn an_unknown_event_kind_lists_the_valid_ones() {
    let err = parse(&["security-log", "--kind", "login_fail"]).expect_err("refused");
    assert_eq!(err.exit_code(), 2);
    let text = err.to_string();
    assert!(
        text.contains("login_failed") && text.contains("mfa_enabled"),
        "{text}"
    );
}

#[test]
fn profile_and_preference_commands_parse() {
    let cli = parse(&[
        "profile",
        "set",
        "--display-name",
        "",
        "--phone",
        "+44 1632 960961",
    ])
    .expect("parses");
    let Some(Command::Profile(ProfileCommand::Set(args))) = cli.command else {
        panic!("not profile set");
    };
    assert_eq!(
        args.display_name.as_deref(),
        Some(""),
        "an empty value is kept"
    );
    assert_eq!(args.phone.as_deref(), Some("+44 1632 960961"));
    assert_eq!(args.name, None);
    assert!(parse(&["profile", "show", "--json"]).is_ok());
    assert!(parse(&["profile", "avatar", "remove"]).is_ok());
    let cli = parse(&["profile", "avatar", "set", "me.png"]).expect("parses");
    assert!(matches!(
        cli.command,
        Some(Command::Profile(ProfileCommand::Avatar(AvatarCommand::Set { path })))
            if path == Path::new("me.png")
    ));
    assert!(
        parse(&["profile", "avatar", "set"]).is_err(),
        "PATH is required"
    );
    // `acctl --profile work profile show`: the flag and the command.
    let cli = parse(&["--profile", "work", "profile", "show"]).expect("parses");
    assert_eq!(cli.profile.as_deref(), Some("work"));
    assert!(parse(&["preferences", "show", "--json"]).is_ok());
}

#[test]
fn preferences_set_takes_the_theme_flag_for_itself() {
    let cli = parse(&[
        "preferences",
        "set",
        "--theme",
        "light",
        "--timezone",
        "UTC",
    ])
    .expect("parses");
    let Some(Command::Preferences(PreferencesCommand::Set(args))) = &cli.command else {
        panic!("not preferences set");
    };
    assert_eq!(args.theme.as_deref(), Some("light"));
    assert_eq!(args.timezone.as_deref(), Some("UTC"));
    assert_eq!(args.language, None);
    // Everywhere else --theme is still the console's colour theme.
    let cli = parse(&["profile", "show", "--theme", "mono"]).expect("parses");
    assert_eq!(cli.theme.as_deref(), Some("mono"));
    let cli = parse(&["--theme", "mono", "preferences", "set"]).expect("parses");
    let Some(Command::Preferences(PreferencesCommand::Set(args))) = &cli.command else {
        panic!("not preferences set");
    };
    assert_eq!(args.theme.as_deref(), Some("mono"), "one flag, one meaning");
}

#[test]
fn a_bad_profile_name_is_a_usage_error_that_says_why() {
    let err = parse(&["--profile", "my profile", "status"]).expect_err("refused");
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("1 to 32 letters"), "{err}");
}

#[test]
fn the_shell_commands_parse() {
    let cli = parse(&["status", "--all", "--json", "profile,default"]).expect("parses");
    let Some(Command::Status { all: true, json }) = cli.command else {
        panic!("not status --all");
    };
    assert_eq!(json.fields.as_deref(), Some("profile,default"));
    let cli = parse(&["sessions", "list", "--json", "--limit", "2"]).expect("parses");
    let Some(Command::Sessions(SessionsCommand::List { json, limit })) = cli.command else {
        panic!("not sessions list");
    };
    assert!(
        json.wanted() && json.fields.as_deref() == Some(""),
        "--json alone"
    );
    assert_eq!(limit, Some(2));
    let cli = parse(&["api", "post", "/v1/x", "--input", "-", "-H", "A: b", "-i"]).expect("parses");
    let Some(Command::Api(args)) = cli.command else {
        panic!("not api");
    };
    assert_eq!(args.method, reqwest::Method::POST);
    assert_eq!(args.headers, ["A: b"]);
    assert!(args.include);
    assert!(parse(&["switch", "work"]).is_ok());
    assert_eq!(
        parse(&["switch", "no way"]).expect_err("bad").exit_code(),
        2
    );
    assert!(parse(&["completion", "zsh"]).is_ok());
    assert!(parse(&["completion", "tcsh"]).is_err());
    let cli = parse(&["-vv", "status"]).expect("parses");
    assert_eq!(cli.verbose, 2);
    assert!(
        parse(&["-q", "-v", "status"]).is_err(),
        "quiet and verbose conflict"
    );
    assert!(parse(&["status", "--quiet"]).expect("global").quiet);
}

#[test]
fn the_profile_is_the_flag_else_the_switched_default_else_default() {
    let dir = tempfile::tempdir().expect("dir");
    let cli = parse(&["status"]).expect("parses");
    // ACCTL_PROFILE may be set where tests run: only judge the file here.
    if cli.profile.is_none() {
        assert_eq!(cli.resolve_profile(Some(dir.path())), DEFAULT_PROFILE);
        let work = profiles::Profile {
            server: "http://x".into(),
            email: None,
            service: Default::default(),
        };
        profiles::save(dir.path(), "work", &work).expect("saved");
        profiles::set_default(dir.path(), "work").expect("switched");
        assert_eq!(cli.resolve_profile(Some(dir.path())), "work");
    }
    let cli = parse(&["--profile", "home", "status"]).expect("parses");
    assert_eq!(cli.resolve_profile(Some(dir.path())), "home");
}
