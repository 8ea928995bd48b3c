//! The real `acctl` binary in a pseudo-terminal.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long a journey step may take before the test fails and shows the screen.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(20);

/// Keys that are not plain text.
#[derive(Clone, Copy, Debug)]
pub enum Key {
    Enter,
    Tab,
    BackTab,
    Esc,
    Up,
    Down,
    Backspace,
    Delete,
    CtrlC,
}

impl Key {
    fn bytes(self) -> &'static [u8] {
        match self {
            Key::Enter => b"\r",
            Key::Tab => b"\t",
            Key::BackTab => b"\x1b[Z",
            Key::Esc => b"\x1b",
            Key::Up => b"\x1b[A",
            Key::Down => b"\x1b[B",
            Key::Backspace => b"\x7f",
            Key::Delete => b"\x1b[3~",
            Key::CtrlC => b"\x03",
        }
    }
}

/// A program running in a pseudo-terminal of a fixed size.
pub struct Terminal {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, as the terminal received it.
    written: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    reader: Option<thread::JoinHandle<()>>,
}

impl Terminal {
    /// Starts the `acctl` binary with `args`, its config, state and keyring
    /// kept inside `home` so nothing of the user's is read or written.
    pub fn acctl(home: &Path, args: &[&str], cols: u16, rows: u16) -> Self {
        let mut argv = vec![env!("CARGO_BIN_EXE_acctl")];
        argv.extend_from_slice(args);
        Self::spawn(command_in(home, &argv, &[]), cols, rows)
    }

    pub fn spawn(command: CommandBuilder, cols: u16, rows: u16) -> Self {
        let pty = native_pty_system()
            .openpty(size(cols, rows))
            .expect("open a pseudo-terminal");
        let child = pty.slave.spawn_command(command).expect("start the program");
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let mut output = pty.master.try_clone_reader().expect("pty reader");
        let sink = Arc::clone(&parser);
        let written = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&written);
        let reader = thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = output.read(&mut buf) {
                if n == 0 {
                    break;
                }
                log.lock().expect("log lock").extend_from_slice(&buf[..n]);
                sink.lock().expect("parser lock").process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().expect("pty writer");
        Self {
            parser,
            written,
            writer,
            child,
            master: pty.master,
            reader: Some(reader),
        }
    }

    pub fn type_text(&mut self, text: &str) {
        self.write(text.as_bytes());
    }

    pub fn press(&mut self, key: Key) {
        self.write(key.bytes());
    }

    fn write(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
        // Let the program read each key on its own, as a person types.
        thread::sleep(Duration::from_millis(30));
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        // The reader's screen first, as a terminal resizes its own screen
        // before telling the program: output the program draws for the new
        // size must never be read at the old one (it would wrap there, and
        // a program that draws only what changed would not draw it again).
        // vt100 panics when a line wraps on a one-row screen (output drawn
        // for the size before is still being read), so the reader's screen
        // keeps at least 2x2; the program sees the size asked for.
        self.parser
            .lock()
            .expect("parser lock")
            .screen_mut()
            .set_size(rows.max(2), cols.max(2));
        self.master
            .resize(size(cols, rows))
            .expect("resize the pty");
    }

    /// Every byte the program has written so far, escape sequences and all.
    pub fn written(&self) -> Vec<u8> {
        self.written.lock().expect("log lock").clone()
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser lock").screen().contents()
    }

    /// (row, column) of the terminal cursor.
    pub fn cursor(&self) -> (u16, u16) {
        self.parser
            .lock()
            .expect("parser lock")
            .screen()
            .cursor_position()
    }

    /// True while the program holds the alternate screen (a full-screen
    /// program running); false once it gave the terminal back.
    pub fn in_alternate_screen(&self) -> bool {
        self.parser
            .lock()
            .expect("parser lock")
            .screen()
            .alternate_screen()
    }

    /// Waits until `text` is on screen; fails the test with the screen if not.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} on screen"), |screen| {
            screen.contains(text)
        })
    }

    /// Waits until `text` has left the screen.
    pub fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} gone"), |screen| !screen.contains(text))
    }

    pub fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; the screen shows:\n{screen}");
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Closes the terminal under the program, as closing a window or losing
    /// an SSH connection does (SIGHUP).
    pub fn hang_up(&mut self) {
        self.child.kill().expect("send SIGHUP");
    }

    /// Waits for the program to exit and returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                return status.exit_code();
            }
            if Instant::now() > deadline {
                panic!(
                    "the program did not exit; the screen shows:\n{}",
                    self.screen()
                );
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        // The reader ends when the pty closes; don't wait on it if it doesn't.
        drop(self.reader.take());
    }
}

/// `argv` with the environment of an acctl under test: config, state,
/// temporary files and (unless `env` says otherwise) a memory keyring, all
/// inside `home`; `env` is set last.
pub fn command_in(home: &Path, argv: &[&str], env: &[(&str, &str)]) -> CommandBuilder {
    let (program, args) = argv.split_first().expect("a program");
    let mut command = CommandBuilder::new(program);
    command.args(args);
    command.cwd(home);
    command.env("HOME", home);
    command.env("ACCTL_CONFIG_DIR", home.join("config"));
    command.env("ACCTL_STATE_DIR", home.join("state"));
    command.env("ACCTL_KEYRING_BACKEND", "memory");
    // Temporary files (the demo's database) stay inside `home` too, so a
    // test can check they are gone.
    let tmp = home.join("tmp");
    std::fs::create_dir_all(&tmp).expect("temp dir inside home");
    command.env("TMPDIR", tmp);
    command.env("TERM", "xterm-256color");
    command.env_remove("NO_COLOR");
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}
