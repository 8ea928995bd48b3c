//! Help that teaches: the command tree of [`super::Cli`] with examples under
//! every subcommand, the exit codes under `acctl --help`, and global
//! options hidden where they do nothing. Parsing, completions and the man
//! page all use [`command`], so they never disagree.

use clap::{Arg, Command, CommandFactory as _};

use super::Cli;

/// The heading the options every command takes are listed under.
pub const GLOBAL_HEADING: &str = "Global options";

/// What the exit status means, in `acctl --help` and the README.
pub const EXIT_CODES: &str = "\
Exit codes:
  0    done
  1    anything else went wrong (the message says what)
  2    a bad flag, argument or setting (or no terminal for the console)
  3    the server could not be reached, or did not answer in time
  4    sign in (again) first
  5    changed on the server since it was read; nothing changed: run again
  6    the server refuses this change; running again will not help
  7    the service does not offer this (django-allauth has no security log, say)
  130  stopped with Ctrl-C; nothing half-written was left
  141  the reader of the output went away (`acctl ... | head`)";

/// Examples per subcommand, by its path (`sessions revoke`). A group with
/// no entry shows the first example of each of its subcommands.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "login",
        "acctl login --server https://accounts.example.com --email you@example.com\n\
               acctl login --server https://example.com --service allauth\n\
               printf '%s\\n' \"$PASSWORD\" | acctl login --email you@example.com --password-stdin",
    ),
    (
        "status",
        "acctl status\nacctl status --all\nacctl status --json signed_in,account",
    ),
    ("switch", "acctl switch work\nacctl status --all"),
    (
        "sessions list",
        "acctl sessions list\nacctl sessions list --json id,device --limit 5",
    ),
    (
        "sessions revoke",
        "acctl sessions revoke 01HV3K2M\nacctl sessions revoke --others",
    ),
    ("logout", "acctl logout\nacctl --profile work logout"),
    (
        "password change",
        "acctl password change --sign-out-others\n\
                         printf '%s\\n%s\\n' \"$OLD\" \"$NEW\" | acctl password change --password-stdin",
    ),
    ("email change", "acctl email change new@example.com"),
    ("email verify", "acctl email verify 123456"),
    (
        "mfa status",
        "acctl mfa status\nacctl mfa status --json totp_enabled",
    ),
    (
        "mfa enroll",
        "acctl mfa enroll --save-codes ~/recovery-codes.txt\nacctl mfa enroll --invert",
    ),
    ("mfa disable", "acctl mfa disable"),
    (
        "mfa recovery-codes regenerate",
        "acctl mfa recovery-codes regenerate --save-codes codes.txt",
    ),
    (
        "security-log",
        "acctl security-log --limit 5\nacctl security-log --kind login_failed --json",
    ),
    (
        "profile show",
        "acctl profile show\nacctl profile show --json name,email",
    ),
    (
        "profile set",
        "acctl profile set --display-name Ada --phone \"+44 1632 960961\"\n\
                     acctl profile set --bio \"\"",
    ),
    ("profile avatar set", "acctl profile avatar set ~/me.png"),
    ("profile avatar remove", "acctl profile avatar remove"),
    ("preferences show", "acctl preferences show --json"),
    (
        "preferences set",
        "acctl preferences set --theme light --timezone Europe/London",
    ),
    (
        "notifications settings",
        "acctl notifications settings\nacctl notifications settings --json",
    ),
    (
        "notifications set",
        "acctl notifications set marketing email off",
    ),
    (
        "notifications list",
        "acctl notifications list --unread\nacctl notifications list --json id,title --limit 5",
    ),
    ("notifications read", "acctl notifications read --all"),
    ("privacy show", "acctl privacy show --json"),
    (
        "privacy set",
        "acctl privacy set --visibility contacts --analytics off",
    ),
    ("export", "acctl export --output ~/my-data.json"),
    (
        "account delete",
        "acctl account delete\nacctl account delete --cancel",
    ),
    ("billing show", "acctl billing show --json"),
    ("billing plans", "acctl billing plans"),
    ("billing change", "acctl billing change pro --yearly"),
    ("billing cancel", "acctl billing cancel"),
    ("billing resume", "acctl billing resume"),
    (
        "invoices list",
        "acctl invoices list --limit 5\nacctl invoices list --json id,number,total",
    ),
    (
        "invoices download",
        "acctl invoices download INV-ID --output invoice.pdf",
    ),
    ("demo", "acctl demo\nacctl demo --theme high-contrast"),
    (
        "api",
        "acctl api GET /v1/me\nacctl api GET /v1/me --include    # status and headers (the ETag) first\n\
         echo '{\"bio\": \"hi\"}' | acctl api PATCH /v1/me --input - -H 'If-Match: \"ETAG\"'",
    ),
    (
        "completion",
        "acctl completion bash > ~/.local/share/bash-completion/completions/acctl\n\
                    acctl completion zsh > \"${fpath[1]}/_acctl\"\n\
                    acctl completion fish > ~/.config/fish/completions/acctl.fish",
    ),
    (
        "man",
        "acctl man > ~/.local/share/man/man1/acctl.1 && man acctl\nacctl man | man -l -",
    ),
];

/// Subcommands where `--theme` means something (the console, and
/// `preferences set`, which has a `--theme` of its own).
const THEMED: &[&str] = &["demo", "preferences set"];

/// Subcommands that use no profile or server at all.
const OFFLINE: &[&str] = &["completion", "man"];

/// The whole command line of acctl, as parsing, help, completions and
/// the man page see it.
pub fn command() -> Command {
    let root = Cli::command().after_help(EXIT_CODES);
    let globals: Vec<Arg> = root
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    decorate(root, "", &globals)
}

/// Adds the examples to every subcommand below `cmd`, and hides the global
/// options it ignores: a subcommand with an argument of the same id gets
/// no copy of the global one, so it gets a hidden copy of its own.
fn decorate(mut cmd: Command, path: &str, globals: &[Arg]) -> Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in &names {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(name, |sub| decorate(sub, &sub_path, globals));
    }
    if path.is_empty() {
        return cmd;
    }
    let mut unused = Vec::new();
    if !THEMED.contains(&path) {
        unused.push("theme");
    }
    if OFFLINE.contains(&path) {
        unused.extend(["profile", "server"]);
    }
    for global in globals
        .iter()
        .filter(|a| unused.contains(&a.get_id().as_str()))
    {
        if cmd.get_arguments().all(|a| a.get_id() != global.get_id()) {
            cmd = cmd.arg(global.clone().hide(true));
        }
    }
    let examples = examples_for(path);
    if examples.is_empty() {
        return cmd;
    }
    let text: Vec<String> = examples.lines().map(|l| format!("  {l}")).collect();
    cmd.after_help(format!("Examples:\n{}", text.join("\n")))
}

/// The examples of `path`, or of its subcommands when it is a group.
fn examples_for(path: &str) -> String {
    if let Some((_, text)) = EXAMPLES.iter().find(|(p, _)| *p == path) {
        return text.to_string();
    }
    let prefix = format!("{path} ");
    EXAMPLES
        .iter()
        .filter(|(p, _)| p.starts_with(&prefix))
        .filter_map(|(_, text)| text.lines().next())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every subcommand, by path.
    fn all(cmd: &Command, path: &str, out: &mut Vec<(String, Command)>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let sub_path = format!("{path} {}", sub.get_name()).trim().to_string();
            out.push((sub_path.clone(), sub.clone()));
            all(sub, &sub_path, out);
        }
    }

    #[test]
    fn every_subcommand_has_examples_that_use_it() {
        let mut subs = Vec::new();
        all(&command(), "", &mut subs);
        assert!(subs.len() > 30, "{}", subs.len());
        for (path, sub) in subs {
            let help = sub
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            assert!(help.starts_with("Examples:\n"), "{path}: {help}");
            assert!(
                help.contains(&format!("acctl {path}")),
                "{path}: its examples use it: {help}"
            );
        }
    }

    #[test]
    fn every_example_names_a_real_subcommand() {
        for (path, _) in EXAMPLES {
            let mut cmd = command();
            for name in path.split(' ') {
                cmd = cmd
                    .find_subcommand(name)
                    .unwrap_or_else(|| panic!("no subcommand {path}"))
                    .clone();
            }
        }
    }

    #[test]
    fn theme_is_hidden_where_it_does_nothing() {
        let mut root = command();
        root.build();
        let status = root.find_subcommand_mut("status").expect("status");
        let help = status.render_help().to_string();
        assert!(!help.contains("--theme"), "{help}");
        assert!(help.contains(GLOBAL_HEADING), "{help}");
        assert!(
            help.contains("--quiet") && help.contains("--verbose"),
            "{help}"
        );
        let demo = root.find_subcommand_mut("demo").expect("demo");
        assert!(demo.render_help().to_string().contains("--theme"));
    }

    #[test]
    fn the_root_help_lists_the_exit_codes_and_global_options() {
        let help = command().render_help().to_string();
        assert!(help.contains("Exit codes:\n  0    done"), "{help}");
        assert!(help.contains("130  stopped with Ctrl-C"), "{help}");
        assert!(help.contains(&format!("{GLOBAL_HEADING}:")), "{help}");
        assert!(
            help.contains("ACCTL_SERVER"),
            "--server names its variable: {help}"
        );
    }
}
