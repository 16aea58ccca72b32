#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The kiosk seen through AT-SPI, as assistive technology sees it: the three choices are
# there with their translated names but disabled, and every default category is listed.
# Usage: ui-kiosk.py PAYAM_BINARY SOURCE_ROOT (TAP output; skips without a display or bus).
import gettext
import json
import os
import subprocess
import sys
import tempfile
import time


def skip(reason):
    print("1..0 # SKIP " + reason)
    sys.exit(0)


if len(sys.argv) != 3:
    sys.exit("usage: ui-kiosk.py PAYAM_BINARY SOURCE_ROOT")
payam, source_root = sys.argv[1], sys.argv[2]

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    skip("no display: run the ui suite under xvfb-run")
if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
    skip("no D-Bus session: run the ui suite under dbus-run-session")
try:
    import pyatspi
except ImportError:
    skip("python3-pyatspi is not installed")

WAIT_LIMIT = 20.0  # seconds; only reached when something is broken

catalogue = gettext.translation("payam", os.environ.get("PAYAM_LOCALEDIR"),
                                languages=["fa"], fallback=True)
_ = catalogue.gettext

with open(os.path.join(source_root, "src", "core", "data", "categories.json"),
          encoding="utf-8") as f:
    categories = [c["name"] for c in json.load(f)["categories"]]

results = []


def check(ok, what):
    results.append((bool(ok), what))


def walk(node):
    yield node
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            yield from walk(child)


def find_app(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def text_of(node):
    """A label's text: getText(0, -1) returns '' on GTK 4.8, so ask for the count."""
    try:
        text = node.queryText()
        return text.getText(0, text.characterCount)
    except NotImplementedError:
        return node.name


with tempfile.TemporaryDirectory(prefix="payam-ui-kiosk-") as tmp:
    env = dict(os.environ)
    env["GTK_A11Y"] = "atspi"
    env.pop("NO_AT_BRIDGE", None)
    proc = subprocess.Popen([payam, "--mode", "kiosk", "--db", os.path.join(tmp, "payam.db")],
                            env=env)
    try:
        app = None
        nodes = []
        start = time.monotonic()
        while time.monotonic() - start < WAIT_LIMIT:
            app = find_app(proc.pid)
            if app is not None:
                nodes = list(walk(app))
                labels = [text_of(n) for n in nodes if n.getRole() == pyatspi.ROLE_LABEL]
                if all(name in labels for name in categories):
                    break
            time.sleep(0.2)

        check(app is not None, "the kiosk is on the accessibility bus")
        frames = [n for n in nodes if n.getRole() == pyatspi.ROLE_FRAME]
        check(len(frames) == 1 and frames[0].name == _("Payam"),
              "one window named " + _("Payam"))

        buttons = {n.name: n for n in nodes if n.getRole() == pyatspi.ROLE_PUSH_BUTTON}
        for msgid in ("Register a message", "Follow my message", "Rate the result"):
            name = _(msgid)
            button = buttons.get(name)
            check(button is not None, "a button named " + name)
            check(button is not None
                  and button.getState().contains(pyatspi.STATE_SENSITIVE),
                  name + " is enabled")

        labels = [text_of(n) for n in nodes if n.getRole() == pyatspi.ROLE_LABEL]
        missing = [name for name in categories if name not in labels]
        check(len(categories) > 0 and not missing,
              "every default category is listed (missing: %s)" % ", ".join(missing))
    finally:
        proc.terminate()
        proc.wait(timeout=10)

print("1..%d" % len(results))
for i, (ok, what) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
sys.exit(0 if all(ok for ok, _what in results) else 1)
