//! acctl: parse the command line, load settings, start logging, run the
//! command, and turn the outcome into an exit code (see `acctl::cli::Exit`).

use std::process::ExitCode;

use acctl::cli::{Cli, CliError, Exit};
use acctl::logging::{self, LogMode};
use clap::Parser as _;

#[tokio::main]
async fn main() -> ExitCode {
    // Usage errors exit with 2 and --help with 0, both from clap.
    let cli = Cli::parse();
    let login_hint = cli.login_hint();
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
        LogMode::Cli
    };
    let _logs = logging::init(acctl::config::state_dir().as_deref(), mode);
    match acctl::cli::run(cli, config).await {
        Ok(()) => ExitCode::from(Exit::Ok),
        Err(error) => fail(error),
    }
}
