#!/usr/bin/env python3
"""Records `acctl demo` for the README: the real binary in a pseudo-terminal,
a scripted walk through the screens, saved as an asciinema v2 recording
(assets/demo.cast), then rendered with the npm package svg-term-cli to an
animated SVG (assets/demo.svg) and stills of the main screens
(assets/screen-*.svg).

    cargo build --release
    python3 assets/record_demo.py [--acctl target/release/acctl] [--no-render]

Needs Python 3 (standard library only) and, to render, npx (Node.js);
svg-term-cli is fetched by npx on first use. Not part of CI.
"""

import argparse
import fcntl
import json
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import time

COLS, ROWS = 100, 30
ASSETS = os.path.dirname(os.path.abspath(__file__))

# The walk: (pause before, keys, still to take after it or None). Each
# pause lets the screen settle, so the recording shows what a person sees.
WALK = [
    (2.5, "", "overview"),
    (1.5, "2", "sessions"),
    (1.2, "j", None),
    (1.2, "j", None),
    (1.5, "3", "profile"),
    (1.5, "4", "security"),
    (1.5, "5", "notifications"),
    (1.5, "6", None),
    (1.5, "7", "billing"),
    (1.5, "?", "help"),
    (2.0, "\x1b", None),
    (1.2, "1", None),
    (1.5, "q", None),
]


def set_size(fd):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))


def record(acctl):
    """Runs the walk; returns the events and the time of each still."""
    home = tempfile.mkdtemp(prefix="acctl-demo-rec-")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "ACCTL_CONFIG_DIR": os.path.join(home, "config"),
        "ACCTL_STATE_DIR": os.path.join(home, "state"),
    }
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(acctl, [acctl, "demo"], env)
    set_size(fd)
    start = time.monotonic()
    events, stills = [], {}

    def pump(seconds):
        until = time.monotonic() + seconds
        while (left := until - time.monotonic()) > 0:
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            try:
                data = os.read(fd, 65536)
            except OSError:
                return False
            if not data:
                return False
            now = round(time.monotonic() - start, 3)
            events.append([now, "o", data.decode("utf-8", "replace")])
        return True

    pending = None
    for pause, keys, still in WALK:
        if not pump(pause):
            break
        # A still shows the screen as it settled: svg-term draws the first
        # frame at or after --at, so the time of the last output before
        # the next key.
        if pending and events:
            stills[pending] = events[-1][0]
        if keys:
            os.write(fd, keys.encode())
        pending = still
    pump(1.0)
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    shutil.rmtree(home, ignore_errors=True)
    return events, stills


def write_cast(path, events):
    header = {
        "version": 2,
        "width": COLS,
        "height": ROWS,
        "title": "acctl demo",
        "env": {"TERM": "xterm-256color", "SHELL": "/bin/sh"},
    }
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(header) + "\n")
        for event in events:
            out.write(json.dumps(event) + "\n")


def render(cast, stills):
    npx = shutil.which("npx")
    if not npx:
        sys.exit("npx not found: install Node.js to render, or pass --no-render")
    base = [npx, "--yes", "svg-term-cli@2", "--in", cast, "--width", str(COLS),
            "--height", str(ROWS), "--window", "--no-cursor"]
    subprocess.run(base + ["--out", os.path.join(ASSETS, "demo.svg")], check=True)
    for name, at in stills.items():
        out = os.path.join(ASSETS, f"screen-{name}.svg")
        subprocess.run(base + ["--at", str(int(at * 1000)), "--out", out], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = os.path.dirname(ASSETS)
    parser.add_argument("--acctl", default=os.path.join(root, "target/release/acctl"))
    parser.add_argument("--no-render", action="store_true")
    args = parser.parse_args()
    if not os.access(args.acctl, os.X_OK):
        sys.exit(f"{args.acctl} is not there: run `cargo build --release` first")
    events, stills = record(args.acctl)
    cast = os.path.join(ASSETS, "demo.cast")
    write_cast(cast, events)
    print(f"recorded {len(events)} events to {cast}; stills at {stills}")
    if not args.no_render:
        render(cast, stills)


if __name__ == "__main__":
    main()
