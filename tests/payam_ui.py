# SPDX-License-Identifier: GPL-3.0-or-later
# What the AT-SPI tests of a whole working day share (ui-crew.py, ui-office.py): their
# arguments (PAYAM PAYAMCTL PAYAM_SERVER SOURCE_ROOT), the skips when a display, a D-Bus
# session, pyatspi or a tool is missing, the Persian catalogue, the TAP results, walking the
# accessible tree, payamctl and sqlite3 on a store, payam-server on 127.0.0.1 and an Xvfb
# screen of a fixed size. A test does `from payam_ui import *` first, then skips for the
# tools it needs beyond xdotool, Xvfb and import.
import gettext
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

__all__ = ["skip", "payam", "payamctl", "payam_server", "source_root", "CHILD_G_DEBUG",
           "pyatspi", "WAIT_LIMIT", "SIZE", "_", "PERSIAN_DIGITS", "ASCII_DIGITS",
           "BUTTON_ROLES", "CONTROL_ROLES", "CATEGORIES", "results", "check", "Broken",
           "text_of", "walk", "ctl", "query", "free_port", "Server", "own_display", "fmt",
           "run_on_own_display"]


def skip(reason):
    print("1..0 # SKIP " + reason)
    sys.exit(0)


if len(sys.argv) != 5:
    sys.exit("usage: %s PAYAM PAYAMCTL PAYAM_SERVER SOURCE_ROOT" % os.path.basename(sys.argv[0]))
payam, payamctl, payam_server, source_root = sys.argv[1:5]

if not os.environ.get("DISPLAY"):
    skip("no X display: run the ui suite under xvfb-run")
if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
    skip("no D-Bus session: run the ui suite under dbus-run-session")
CHILD_G_DEBUG = os.environ.pop("G_DEBUG", None)
try:
    import pyatspi
except ImportError:
    skip("python3-pyatspi is not installed")
for tool in ("xdotool", "Xvfb", "import"):
    if shutil.which(tool) is None:
        skip(tool + " is not installed (scripts/install-deps)")

WAIT_LIMIT = 30.0       # seconds; only reached when something is broken
SIZE = (1366, 768)

catalogue = gettext.translation("payam", os.environ.get("PAYAM_LOCALEDIR"),
                                languages=["fa"], fallback=True)
_ = catalogue.gettext

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
BUTTON_ROLES = {pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON}
CONTROL_ROLES = BUTTON_ROLES | {pyatspi.ROLE_CHECK_BOX, pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY,
                                pyatspi.ROLE_PASSWORD_TEXT, pyatspi.ROLE_COMBO_BOX,
                                pyatspi.ROLE_SPIN_BUTTON}

with open(os.path.join(source_root, "src", "core", "data", "categories.json"),
          encoding="utf-8") as f:
    CATEGORIES = {c["code"]: c["name"] for c in json.load(f)["categories"]}

results = []


def check(ok, what):
    results.append((bool(ok), what))
    return bool(ok)


class Broken(Exception):
    """Something the flow needs is missing: the rest of it cannot run."""


def text_of(node):
    try:
        text = node.queryText()
        return text.getText(0, text.characterCount)
    except Exception:
        return ""


def walk(node):
    yield node
    try:
        children = [node.getChildAtIndex(i) for i in range(node.childCount)]
    except Exception:
        return
    for child in children:
        if child is not None:
            yield from walk(child)


def ctl(db, *args):
    run = subprocess.run([payamctl, "--db", db] + list(args), text=True, capture_output=True)
    if run.returncode != 0:
        raise Broken("payamctl %s: %s" % (" ".join(args), run.stderr.strip()))
    return run.stdout


def query(db, sql, *params):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """payam-server on 127.0.0.1:@port (always the same port: the laptop's enrolment
    holds its address)."""

    def __init__(self, tmp, port):
        self.tmp, self.port, self.proc = tmp, port, None

    def start(self):
        log_path = os.path.join(self.tmp, "server.log")
        self.log = open(log_path, "a")
        # Started again: only what this run writes says it listens.
        offset = self.log.tell()
        self.proc = subprocess.Popen([payam_server, "--db", os.path.join(self.tmp, "server.db"),
                                      "--listen", "127.0.0.1:%d" % self.port, "--state-dir",
                                      os.path.join(self.tmp, "state")],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        start = time.monotonic()
        while time.monotonic() - start < WAIT_LIMIT:
            with open(log_path) as f:
                f.seek(offset)
                if "https://127.0.0.1:%d/" % self.port in f.read():
                    return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise Broken("payam-server did not start")

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None
            self.log.close()


def own_display(width, height):
    """An Xvfb screen of @width×@height of its own (a laptop's or a desk's), whatever screen
    the suite runs under; DISPLAY then names it for every child. Returns its process."""
    read, write = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-noreset", "-nolisten", "tcp",
                             "-screen", "0", "%dx%dx24" % (width, height)], pass_fds=[write],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    number = b""
    with os.fdopen(read, "rb") as f:
        while not number.endswith(b"\n"):
            chunk = f.read(1)
            if not chunk:
                break
            number += chunk
    if not number.strip():
        proc.kill()
        skip("Xvfb did not start at %dx%d" % (width, height))
    os.environ["DISPLAY"] = ":" + number.decode().strip()
    return proc


def fmt(msgid):
    """A translated message with placeholders as a regular expression."""
    return re.escape(_(msgid)).replace("%s", ".*")


def run_on_own_display(run, prefix, logs):
    """Call run(tmp) on an Xvfb screen of SIZE with a fresh folder named after @prefix, then
    print the TAP results and exit. On a failure the last lines of each of @logs (file names
    in that folder) are printed, and PAYAM_UI_KEEP=DIR keeps a copy of the folder."""
    xvfb = own_display(*SIZE)
    # A client that stays connected for the whole run (Xvfb also runs with -noreset).
    display_holder = subprocess.Popen(["xdotool", "sleep", "3600"])
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        try:
            run(tmp)
        except Broken as error:
            check(False, str(error))
        if any(ok is False for ok, _what in results):
            if os.environ.get("PAYAM_UI_KEEP"):
                shutil.copytree(tmp, os.environ["PAYAM_UI_KEEP"], dirs_exist_ok=True)
            for name in logs:
                path = os.path.join(tmp, name)
                if os.path.exists(path):
                    with open(path, errors="replace") as f:
                        for line in f.read().splitlines()[-30:]:
                            print("# %s: %s" % (name, line))
    display_holder.terminate()
    xvfb.terminate()
    xvfb.wait()

    print("1..%d" % len(results))
    for i, (ok, what) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
    sys.exit(0 if all(ok for ok, _w in results) else 1)
