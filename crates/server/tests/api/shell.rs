//! `acctd completion bash` loads in bash, and `acctd man` renders with
//! `man -l -`. Without bash or man the test skips, except in CI.

use std::io::Write as _;
use std::process::{Command, Stdio};

fn present(program: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "CI must have {program}");
        eprintln!("skipped: {program} is not installed");
    }
    found
}

fn acctd(args: &[&str]) -> Vec<u8> {
    let output = Command::new(env!("CARGO_BIN_EXE_acctd"))
        .args(args)
        .output()
        .expect("acctd runs");
    assert!(output.status.success(), "{args:?}");
    output.stdout
}

#[test]
fn the_bash_completion_loads() {
    if !present("bash") {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let script = dir.path().join("acctd.bash");
    std::fs::write(&script, acctd(&["completion", "bash"])).expect("written");
    let check = Command::new("bash")
        .args(["--norc", "--noprofile", "-c"])
        .arg(format!("source {} && complete -p acctd", script.display()))
        .output()
        .expect("bash runs");
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{said}");
    assert!(said.trim_end().ends_with(" acctd"), "{said}");
}

#[test]
fn the_man_page_renders() {
    if !present("man") {
        return;
    }
    let mut man = Command::new("man")
        .args(["-l", "-"])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("man runs");
    man.stdin
        .as_mut()
        .expect("stdin")
        .write_all(&acctd(&["man"]))
        .expect("page written");
    let shown = man.wait_with_output().expect("man ends");
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    assert!(text.contains("NAME") && text.contains("serve"), "{text}");
}
