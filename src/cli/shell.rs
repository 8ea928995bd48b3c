//! `acctl completion SHELL` and `acctl man`: generated from the same
//! command tree that parses the command line ([`super::help::command`]).

use std::io::Write as _;

pub use clap_complete::Shell;

use super::{CliError, Exit};

/// The completion script for `shell`.
pub fn completion(mut cmd: clap::Command, shell: Shell) -> Vec<u8> {
    let name = cmd.get_name().to_string();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut out);
    out
}

/// The man page (roff) of `cmd`, with a section for every subcommand.
pub fn man_page(mut cmd: clap::Command) -> Result<Vec<u8>, std::io::Error> {
    // Built, each subcommand knows its full name for its usage line.
    cmd.build();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut out)?;
    sections(&cmd, cmd.get_name(), &mut out);
    Ok(out)
}

fn sections(cmd: &clap::Command, path: &str, out: &mut Vec<u8>) {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let sub_path = format!("{path} {}", sub.get_name());
        out.extend(section(sub, &sub_path));
        sections(sub, &sub_path, out);
    }
}

/// One subcommand as a `.SH` section: its synopsis, help, options and
/// examples.
fn section(sub: &clap::Command, path: &str) -> Vec<u8> {
    let mut sub = sub
        .clone()
        .help_template("{usage}\n\n{about-with-newline}{all-args}{after-help}");
    let help = sub.render_long_help().to_string();
    let mut out = format!(".SH \"{}\"\n.nf\n", path.to_uppercase());
    for line in help.lines() {
        // A line that starts with a dot or quote would be a roff request.
        let line = line.replace('\\', "\\e");
        if line.starts_with('.') || line.starts_with('\'') {
            out.push_str("\\&");
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(".fi\n");
    out.into_bytes()
}

/// Writes generated text to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::new(Exit::Error, format!("could not write: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_shell_gets_a_script_that_names_the_subcommands() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let script =
                String::from_utf8(completion(super::super::help::command(), shell)).expect("utf-8");
            assert!(script.contains("acctl"), "{shell:?}");
            assert!(script.contains("security-log"), "{shell:?}: {script}");
        }
    }

    #[test]
    fn the_man_page_has_a_section_per_subcommand_with_examples() {
        let page = String::from_utf8(man_page(super::super::help::command()).expect("renders"))
            .expect("utf-8");
        assert!(
            page.starts_with(".ie") || page.contains(".TH acctl"),
            "{page}"
        );
        assert!(page.contains(".SH \"ACCTL STATUS\""), "{page}");
        assert!(page.contains("acctl status \\-\\-all") || page.contains("acctl status --all"));
        assert!(page.contains("Exit codes"), "{page}");
    }
}
