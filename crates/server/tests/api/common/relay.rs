//! A real SMTP relay on loopback: aiosmtpd (PyPI) writing each message it
//! takes into a Maildir. The Python with aiosmtpd is named by
//! `ACCTD_TEST_PYTHON` (.ci/run sets it to its virtualenv's); outside CI a
//! test skips with a message when it is not there, in CI it fails.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const PYTHON_VAR: &str = "ACCTD_TEST_PYTHON";

/// The Python that has aiosmtpd; `None` (after saying so) outside CI.
pub fn python(test: &str) -> Option<String> {
    let found = std::env::var(PYTHON_VAR).ok().filter(|python| {
        Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    });
    match found {
        Some(python) => Some(python),
        None if std::env::var_os("CI").is_some() => {
            panic!("{test}: {PYTHON_VAR} names no Python with aiosmtpd; .ci/run must provide it")
        }
        None => {
            eprintln!(
                "skipped {test}: no SMTP relay ({PYTHON_VAR} unset or without aiosmtpd; \
                 e.g. python3 -m venv v && v/bin/pip install aiosmtpd && {PYTHON_VAR}=v/bin/python)"
            );
            None
        }
    }
}

/// A free port on 127.0.0.1 (free when asked; the relay binds it later).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    listener.local_addr().expect("an address").port()
}

/// aiosmtpd listening on a port; stopped when dropped.
pub struct Relay {
    child: Child,
    maildir: PathBuf,
}

/// A relay that takes its time over each message: it touches
/// `<maildir>.busy` when a message starts arriving, then answers 2 s later.
const SLOW_HANDLER: &str = r#"
import asyncio, pathlib
from aiosmtpd.handlers import Mailbox

class Slow(Mailbox):
    def __init__(self, mail_dir):
        super().__init__(mail_dir)
        self.busy = pathlib.Path(str(mail_dir) + ".busy")

    async def handle_DATA(self, server, session, envelope):
        self.busy.touch()
        await asyncio.sleep(2)
        return await super().handle_DATA(server, session, envelope)
"#;

impl Relay {
    /// Starts on `port`, keeping mail in `maildir`, and waits until it answers.
    pub fn start(python: &str, port: u16, maildir: PathBuf) -> Self {
        Self::start_with(python, port, maildir, "aiosmtpd.handlers.Mailbox", None)
    }

    /// Like [`start`](Self::start), with a relay that answers each message
    /// 2 s after it starts arriving (and says so: [`busy`](Self::busy)).
    pub fn start_slow(python: &str, port: u16, maildir: PathBuf) -> Self {
        let module_dir = maildir.with_extension("handler");
        std::fs::create_dir_all(&module_dir).expect("a module dir");
        std::fs::write(module_dir.join("slow_relay.py"), SLOW_HANDLER).expect("the handler");
        Self::start_with(python, port, maildir, "slow_relay.Slow", Some(module_dir))
    }

    fn start_with(
        python: &str,
        port: u16,
        maildir: PathBuf,
        handler: &str,
        module_dir: Option<PathBuf>,
    ) -> Self {
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", handler])
            .arg(&maildir)
            .envs(module_dir.map(|dir| ("PYTHONPATH", dir)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .expect("aiosmtpd runs");
        let relay = Self { child, maildir };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return relay;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("aiosmtpd did not listen on {port}");
    }

    /// Whether a message has started arriving (slow relays only).
    pub fn busy(&self) -> bool {
        let mut busy = self.maildir.clone().into_os_string();
        busy.push(".busy");
        PathBuf::from(busy).exists()
    }

    /// Every message taken so far, as received (headers and MIME body).
    pub fn messages(&self) -> Vec<Message> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
            .map(|raw| Message { raw })
            .collect()
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One message as the relay wrote it.
pub struct Message {
    pub raw: String,
}

impl Message {
    /// The value of the first header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.raw
            .lines()
            .take_while(|line| !line.is_empty())
            .find(|line| line.to_ascii_lowercase().starts_with(&prefix))
            .map(|line| line[prefix.len()..].trim().to_string())
    }

    /// The text with quoted-printable line breaks joined, to search in.
    pub fn text(&self) -> String {
        self.raw.replace("=\r\n", "").replace("=\n", "")
    }

    /// The first run of six digits after `after`.
    pub fn code_after(&self, after: &str) -> Option<String> {
        let text = self.text();
        let rest = &text[text.find(after)? + after.len()..];
        let start = rest.find(|c: char| c.is_ascii_digit())?;
        let code: String = rest[start..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        (code.len() == 6).then_some(code)
    }
}
