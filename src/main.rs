//! acctl: parse the command line, load settings, start logging, run the
//! command, and turn the outcome into an exit code (see `acctl::cli::Exit`).

use std::process::ExitCode;

use acctl::cli::{Cli, CliError, Exit};
use acctl::logging::{self, LogMode};

#[tokio::main]
async fn main() -> ExitCode {
    // Usage errors exit with 2 and --help with 0, both from clap.
    let cli = Cli::parse_args();
    let profile = cli.resolve_profile(acctl::config::config_dir().as_deref());
    let login_hint = acctl::cli::login_hint_for(&profile);
    let fail = |error: CliError| {
        eprintln!("{}", error.line(&login_hint));
        ExitCode::from(error.exit)
    };
    let config = match cli.load_config() {
        Ok(config) => config,
        Err(error) => return fail(error),
    };
    if cli.print_default_config {
        print!("{}", config.to_toml());
        return ExitCode::from(Exit::Ok);
    }
    let mode = if cli.opens_console() {
        LogMode::Tui
    } else {
        quiet_when_the_reader_goes_away();
        LogMode::Cli
    };
    let verbosity = if cli.quiet {
        -1
    } else {
        i8::try_from(cli.verbose).unwrap_or(i8::MAX)
    };
    let _logs = logging::init(acctl::config::state_dir().as_deref(), mode, verbosity);
    match acctl::cli::run(cli, config, profile).await {
        Ok(()) => ExitCode::from(Exit::Ok),
        Err(error) => fail(error),
    }
}

/// `acctl ... | head`: once the reader has gone, printing fails; end
/// quietly with 141 (128 + SIGPIPE, as other Unix tools do) instead of a
/// panic message.
fn quiet_when_the_reader_goes_away() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .unwrap_or_default();
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}
