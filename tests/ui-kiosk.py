#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The kiosk end to end, driven as assistive technology and a person at the screen would:
# controls are pressed through AT-SPI, text is typed on the kiosk's own on-screen keyboard
# (each key pressed, each control pressed and each scroll counts as a touch). Checks:
#   (a) at 1024×600, 1280×800 and 1080×1920 (an Xvfb screen of that size per run), an
#       elderly first-time citizen reports an open manhole from home to the receipt in at
#       most 7 screens and 30 touches (40 with a phone number); every step opens at its top
#       with its question and required choices seen (inside the window, inside every pane
#       above them and above the keyboard, by AT-SPI extents) even after the step before
#       was scrolled; a step that opens with Next disabled says why beside it (seen) and
#       in Next's accessible description, and the reason goes once the choice is made;
#       the field typed into keeps room above the keyboard; Cancel asks
#       first; the receipt prints by itself (a PDF here), its QR code decodes to the code,
#       and the code stays seen and uncovered through the countdown; every text's contrast
#       on screen is at least 4.5:1 (measured on the screenshot inside its extents);
#   (b) following and rating a finished message (prepared with payamctl);
#   (c) the idle wipe: after the countdown, no word or number the citizen typed is left
#       anywhere in the accessible tree;
#   (d) every control has a name, and there are no links to other programs.
# Usage: ui-kiosk.py PAYAM_BINARY PAYAMCTL_BINARY SOURCE_ROOT [--manhole-only] [WxH…]
# (TAP output; skips without a display, a D-Bus session, pyatspi or the tools): (a) at each
# size given (all three by default), then, unless --manhole-only, (b) to (d). Prints the
# touches and screens per size. PAYAM_UI_SHOTS=DIR keeps a screenshot of every step at
# every size there (tests/screenshots/ holds them as last looked at). Each run of the kiosk
# has animations off (its own GTK settings), so extents and screenshots are of the settled
# screen; every wait is for a condition, with a limit reached only when something is broken.
import collections
import gettext
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time


def skip(reason):
    print("1..0 # SKIP " + reason)
    sys.exit(0)


args = sys.argv[1:]
MANHOLE_ONLY = "--manhole-only" in args
args = [a for a in args if a != "--manhole-only"]
if len(args) < 3 or not all(re.fullmatch(r"[0-9]+x[0-9]+", a) for a in args[3:]):
    sys.exit("usage: ui-kiosk.py PAYAM_BINARY PAYAMCTL_BINARY SOURCE_ROOT [--manhole-only] "
             "[WIDTHxHEIGHT…]")
payam, payamctl, source_root = args[0], args[1], args[2]

if not os.environ.get("DISPLAY"):
    skip("no X display: run the ui suite under xvfb-run")
if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
    skip("no D-Bus session: run the ui suite under dbus-run-session")
# The kiosk runs with the suite's G_DEBUG (fatal warnings); this process does not: a
# kiosk starting up answers AT-SPI's first cache query with a warning in pyatspi.
CHILD_G_DEBUG = os.environ.pop("G_DEBUG", None)
try:
    import pyatspi
    from gi.repository import GLib
except ImportError:
    skip("python3-pyatspi is not installed")
for tool in ("xdotool", "pdftoppm", "pdftotext", "zbarimg", "Xvfb", "import", "convert"):
    if shutil.which(tool) is None:
        skip(tool + " is not installed (scripts/install-deps)")

WAIT_LIMIT = 30.0       # seconds; only reached when something is broken
MAX_SCREENS = 7
MAX_TOUCHES = 30
MAX_TOUCHES_WITH_PHONE = 40
SIZES = [tuple(int(n) for n in a.split("x")) for a in args[3:]] \
    or [(1024, 600), (1280, 800), (1080, 1920)]
SHOTS = os.environ.get("PAYAM_UI_SHOTS")
WALKS = [0]
MIN_CONTRAST = 4.5

catalogue = gettext.translation("payam", os.environ.get("PAYAM_LOCALEDIR"),
                                languages=["fa"], fallback=True)
_ = catalogue.gettext
ngettext = catalogue.ngettext

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")

with open(os.path.join(source_root, "src", "core", "data", "categories.json"),
          encoding="utf-8") as f:
    categories = {c["code"]: c["name"] for c in json.load(f)["categories"]}
with open(os.path.join(source_root, "src", "core", "data", "places.json"),
          encoding="utf-8") as f:
    neighbourhoods = {n["code"]: n["name"] for n in json.load(f)["neighbourhoods"]}

STEP_TYPES = ["PayamKioskStepWhat", "PayamKioskStepWhere", "PayamKioskStepDescribe",
              "PayamKioskStepDanger", "PayamKioskStepSimilar", "PayamKioskStepContact",
              "PayamKioskStepReview"]
CONTROL_ROLES = {pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
                 pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY,
                 pyatspi.ROLE_PASSWORD_TEXT, pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_SLIDER,
                 pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_LINK, pyatspi.ROLE_MENU_ITEM,
                 pyatspi.ROLE_SWITCH if hasattr(pyatspi, "ROLE_SWITCH") else pyatspi.ROLE_CHECK_BOX}
BUTTON_ROLES = {pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
                pyatspi.ROLE_RADIO_BUTTON}
TEXT_ROLES = {pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY}

results = []


def check(ok, what):
    results.append((bool(ok), what))
    return bool(ok)


def note(text):
    results.append((None, text))


class Broken(Exception):
    """Something the flow needs is missing: the rest of that flow cannot run."""


def text_of(node):
    """A node's text, asked now: getText(0, -1) returns '' on GTK 4.8, so ask for the count."""
    try:
        text = node.queryText()
        return text.getText(0, text.characterCount)
    except Exception:
        return ""


class Node:
    """An accessible as one walk of the tree found it. Its place in the tree is read in the
    walk, its name and role when first asked, and both are then kept (GTK 4.8 answers each
    with a D-Bus round trip, and walking the tree for every look-up took most of the
    test's time); its extents are kept until the next touch (Kiosk.epoch); its text,
    states and actions are asked each time."""

    __slots__ = ("acc", "_name", "_role", "parent", "children", "path", "kiosk", "_rect")

    def __init__(self, acc, parent, kiosk):
        self.acc = acc
        self.parent = parent
        self.kiosk = kiosk
        self.children = []
        self._rect = None
        self._name = None
        self._role = None
        self.path = acc.path

    @property
    def name(self):
        if self._name is None:
            try:
                self._name = self.acc.name or ""
            except Exception:  # it went away meanwhile
                self._name = ""
        return self._name

    @property
    def role(self):
        if self._role is None:
            try:
                self._role = self.acc.getRole()
            except Exception:
                self._role = -1
        return self._role

    def getRole(self):
        return self.role

    def getRoleName(self):
        return self.acc.getRoleName()

    @property
    def description(self):
        return self.acc.description

    def getState(self):
        return self.acc.getState()

    def queryAction(self):
        return self.acc.queryAction()

    def queryText(self):
        return self.acc.queryText()

    def queryComponent(self):
        return self.acc.queryComponent()

    def rect(self):
        """The extents in the window, read once between two touches; (0, 0, 0, 0) if none."""
        if self._rect is None or self._rect[0] != self.kiosk.epoch:
            try:
                value = tuple(self.acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS))
            except Exception:
                value = (0, 0, 0, 0)
            self._rect = (self.kiosk.epoch, value)
        return self._rect[1]


def read_tree(acc, parent, kiosk, out):
    """Walk the accessibles under @acc once into Nodes (appended to @out in document
    order); a node that went away meanwhile ends its branch."""
    node = Node(acc, parent, kiosk)
    out.append(node)
    try:
        children = [acc.getChildAtIndex(i) for i in range(acc.childCount)]
    except Exception:
        return node
    for child in children:
        if child is not None:
            node.children.append(read_tree(child, node, kiosk, out))
    return node


def walk(node):
    """@node and every Node under it, from the walk that read them (no D-Bus)."""
    yield node
    for child in node.children:
        yield from walk(child)


class Display:
    """An Xvfb screen of @width×@height of its own (a kiosk fills its screen), kept from
    resetting (-noreset) while kiosks come and go."""

    def __init__(self, width, height):
        self.size = (width, height)
        read, write = os.pipe()
        self.proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-noreset", "-nolisten",
                                      "tcp", "-screen", "0", "%dx%dx24" % (width, height)],
                                     pass_fds=[write], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        os.close(write)
        number = b""
        with os.fdopen(read, "rb") as f:
            while not number.endswith(b"\n"):
                chunk = f.read(1)
                if not chunk:
                    break
                number += chunk
        if not number.strip():
            self.proc.kill()
            raise Broken("Xvfb did not start at %dx%d" % self.size)
        self.name = ":" + number.decode().strip()
        self.env = dict(os.environ, DISPLAY=self.name)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


class Kiosk:
    """One run of `payam --mode kiosk` and what was done to it. Look-ups read the tree the
    last walk read (Kiosk.tree); a walk happens when the screen is expected to change
    (waiting for a step, for a condition) or when a look-up finds nothing yet."""

    def __init__(self, tmp, db, name, extra_env=None, display=None):
        self.touches = 0
        self.kinds = collections.Counter()
        self.typed = 0
        self.screens = []
        self.tmp = tmp
        self.name = name
        self.walks = 0
        self.started = time.monotonic()
        self.epoch = 0
        self.tree = None
        self.step_label = None
        self.keyboard_page = "letters"
        self.xenv = display.env if display is not None else dict(os.environ)
        self.size = display.size if display is not None else None
        env = dict(self.xenv)
        if CHILD_G_DEBUG is not None:
            env["G_DEBUG"] = CHILD_G_DEBUG
        env["GTK_A11Y"] = "atspi"
        env.pop("NO_AT_BRIDGE", None)
        env["PAYAM_KIOSK_CAMERA"] = "videotestsrc is-live=true"
        env["PAYAM_RECEIPT_PDF"] = os.path.join(tmp, name + "-receipt.pdf")
        env["XDG_CONFIG_HOME"] = os.path.join(tmp, "config-" + name)
        env.update(extra_env or {})
        # No animations and no blinking caret: what is measured (extents, screenshots) is
        # the settled screen, not a frame of a cross-fade.
        gtk_config = os.path.join(env["XDG_CONFIG_HOME"], "gtk-4.0")
        os.makedirs(gtk_config, exist_ok=True)
        with open(os.path.join(gtk_config, "settings.ini"), "w") as f:
            f.write("[Settings]\ngtk-enable-animations=false\ngtk-cursor-blink=false\n")
        self.pdf = env["PAYAM_RECEIPT_PDF"]
        self.log = open(os.path.join(tmp, name + ".log"), "w")
        self.proc = subprocess.Popen([payam, "--mode", "kiosk", "--db", db], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.app = None
        start = time.monotonic()
        while time.monotonic() - start < WAIT_LIMIT:
            self.app = self.find_app()
            if self.app is not None and self.snap().find(_("Register a message"), wait=False):
                break
            time.sleep(0.2)
        if self.app is None or self.find(_("Register a message"), wait=False) is None:
            self.stop()
            with open(os.path.join(tmp, name + ".log"), errors="replace") as f:
                for line in f.read().splitlines()[-20:]:
                    print("# %s.log: %s" % (name, line))
            raise Broken("the kiosk did not appear on the accessibility bus (%s)"
                         % ("running" if self.proc.returncode is None else
                            "exit status %s" % self.proc.returncode))

    def find_app(self):
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            try:
                if app is not None and app.get_process_id() == self.proc.pid:
                    return app
            except Exception:
                continue
        return None

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def touch(self, kind):
        """One touch of the citizen's, of @kind (press, tap, key, drag…)."""
        self.touches += 1
        self.kinds[kind] += 1

    def touched(self):
        """Something was done to the kiosk: extents read before are out of date."""
        self.epoch += 1

    def snap(self):
        """Walk the whole tree once (see Node); returns self for chaining."""
        nodes = []
        self.tree = read_tree(self.app, None, self, nodes)
        self.walks += 1
        WALKS[0] += 1
        self.touched()
        return self

    def nodes(self, within=None):
        if self.tree is None:
            self.snap()
        return walk(within if within is not None else self.tree)

    def lookup(self, name, roles=None, within=None, contains=False):
        """The first node of the last walk named @name (or whose name contains it), of
        one of @roles. GTK 4.8 names a widget with both a label and a labelled-by relation
        "label label"."""
        for node in self.nodes(within):
            if (roles is None or node.role in roles) \
               and (node.name in (name, name + " " + name) or (contains and name in node.name)):
                return node
        return None

    def find(self, name, roles=None, within=None, wait=True, contains=False):
        """lookup(); with @wait, when it is not there yet, walk again until it shows up.
        @within, from an earlier walk, is looked up again by its path."""
        start = time.monotonic()
        while True:
            node = self.lookup(name, roles, self.current(within), contains)
            if node is not None or not wait or time.monotonic() - start > WAIT_LIMIT:
                return node
            time.sleep(0.1)
            self.snap()

    def current(self, node):
        """@node as the last walk read it (the same accessible), or @node itself."""
        if node is None or self.tree is None:
            return node
        for candidate in walk(self.tree):
            if candidate.path == node.path:
                return candidate
        return node

    def need(self, name, roles=None, within=None, contains=False):
        node = self.find(name, roles, within, contains=contains)
        if node is None:
            raise Broken("no control named “%s”" % name)
        return node

    def click(self, name, within=None, roles=BUTTON_ROLES, contains=False):
        """Press the control named @name as a touch would (one touch). The pointer moves
        a little, as a hand at the screen does, which the idle watch sees."""
        node = self.need(name, roles, within, contains)
        self.press(node, name)

    def press(self, node, name=None):
        self.wait_sensitive(node, name or node.name)
        action = node.queryAction()
        for i in range(action.nActions):
            if action.getName(i) == "click":
                action.doAction(i)
                break
        else:
            raise Broken("“%s” cannot be pressed" % (name or node.name))
        self.touch("press")
        self.touched()
        self.xdo("mousemove_relative", "--", "1", "0")

    def wait_sensitive(self, node, name):
        start = time.monotonic()
        while not node.getState().contains(pyatspi.STATE_SENSITIVE):
            if time.monotonic() - start > WAIT_LIMIT:
                raise Broken("“%s” stays disabled" % name)
            time.sleep(0.1)

    def keyboard_top(self):
        """The y where the on-screen keyboard starts, or None while it is hidden."""
        keyboard = self.lookup(_("On-screen keyboard"))
        frame = self.lookup(_("Payam"), {pyatspi.ROLE_FRAME})
        if keyboard is None or frame is None:
            return None
        _x, y, _w, h = keyboard.rect()
        _fx, _fy, _fw, frame_h = frame.rect()
        return y if h > 0 and y < frame_h and y + h <= frame_h + 1 else None

    def wait_keyboard(self, shown, limit=WAIT_LIMIT):
        """Wait until the keyboard shows (@shown) or is hidden; whether it came to that."""
        start = time.monotonic()
        while (self.keyboard_top() is not None) != shown:
            if time.monotonic() - start > limit:
                return False
            time.sleep(0.05)
            self.touched()
        return True

    def hide_keyboard(self):
        """Touch the close key of the keyboard's page that shows (one touch). Each page
        (letters, digits) has one; only the shown one can be pressed, and AT-SPI does not
        tell which shows: the page last typed on is tried first."""
        keys = [n for n in self.nodes() if n.name == _("Hide the keyboard")]
        if self.keyboard_page == "digits":
            keys.reverse()
        for i, key in enumerate(keys):
            key.queryAction().doAction(0)
            self.touched()
            if self.wait_keyboard(False, WAIT_LIMIT if i == len(keys) - 1 else 2.0):
                self.touch("close the keyboard")
                return
        raise Broken("the keyboard's close key did not close it")

    def tap(self, node, focus=True, at_end=False):
        """Touch @node on the screen (the window fills the screen from 0,0; one touch),
        in its middle, or with @at_end after its text (the end of a right-to-left line is
        its left). When the on-screen keyboard covers it, the keyboard's close key is
        touched first, as a person would."""
        x, y, w, h = node.rect()
        top = self.keyboard_top()
        if top is not None and y + min(h // 2, 30) >= top:
            self.hide_keyboard()
            x, y, w, h = node.rect()
        px = x + 12 if at_end else x + w // 2
        py = y + h - 12 if at_end else y + min(h // 2, 30)
        self.xdo("mousemove", str(px), str(py), "click", "1")
        self.touch("tap")
        self.touched()
        start = time.monotonic()
        while focus and not node.getState().contains(pyatspi.STATE_FOCUSED):
            if time.monotonic() - start > WAIT_LIMIT:
                self.shoot("no-focus")
                raise Broken("“%s” did not take the focus" % node.name)
            time.sleep(0.05)

    def xdo(self, *args):
        subprocess.run(["xdotool"] + list(args), check=True, env=self.xenv)

    def shoot(self, what, path=None):
        """A screenshot into $PAYAM_UI_SHOTS (or @path), when set; returns its path."""
        folder = os.environ.get("PAYAM_UI_SHOTS")
        if path is None and folder:
            path = os.path.join(folder, "%s-%s.png" % (self.name, what))
        if path:
            subprocess.run(["import", "-window", "root", path], env=self.xenv)
        return path

    def type(self, text, node):
        """Type @text on the physical keyboard into the focused @node (not touches) and
        wait until it holds @text: xdotool types a character missing from the keymap by
        remapping a spare key for a moment, and under load a key is now and then read after
        the remapping ended; then the field is emptied (Ctrl+A, Delete) and typed again,
        more slowly each time (a busy machine loses keys at a fast pace), at most five
        times; a field still wrong after that is an error, never a field left empty."""
        def same(value):
            return value.translate(ASCII_DIGITS).replace(" ", "")

        attempts = 5
        for attempt in range(attempts):
            self.xdo("type", "--delay", str(40 + 60 * attempt), text)
            start = time.monotonic()
            while same(text_of(node)) != same(text) and time.monotonic() - start < 5:
                time.sleep(0.05)
            if same(text_of(node)) == same(text):
                break
            if attempt == attempts - 1:
                raise Broken("xdotool lost keys %d times in a row (the field holds %r)"
                             % (attempts, text_of(node)))
            print("# xdotool lost a key (%r); typing again" % text_of(node))
            self.xdo("key", "ctrl+a", "Delete")
            self.wait_for(lambda: text_of(node) == "", "the field did not empty", walk=False)
        self.touched()
        self.typed += len(text)

    STEP_PATTERN = None

    def step(self):
        """The 1-based number of the register step shown, from "Step n of 7", or 0. The
        label found is kept: while it says "Step n of 7" no walk looks for it again."""
        if Kiosk.STEP_PATTERN is None:
            Kiosk.STEP_PATTERN = re.compile(
                re.escape(_("Step %s of %s")).replace("%s", "([۰-۹0-9]+)", 2))
        pattern = Kiosk.STEP_PATTERN
        if self.step_label is not None:
            match = pattern.fullmatch(text_of(self.step_label))
            if match and self.current(self.step_label) is not self.step_label:
                self.step_label = self.current(self.step_label)
            if match:
                return int(match.group(1).translate(ASCII_DIGITS))
            self.step_label = None
        for node in self.nodes():
            if node.role != pyatspi.ROLE_LABEL:
                continue
            match = pattern.fullmatch(text_of(node))
            if match:
                self.step_label = node
                return int(match.group(1).translate(ASCII_DIGITS))
        return 0

    def wait_step(self, number):
        """Wait for step @number (1-based) and return its widget; counts a screen. The
        tree is walked again: a new step has new nodes."""
        start = time.monotonic()
        while self.step() != number:
            if time.monotonic() - start > WAIT_LIMIT:
                raise Broken("step %d (%s) did not show" % (number, STEP_TYPES[number - 1]))
            time.sleep(0.05)
            # The label of "Step n of 7" is read again as it is; only while there is none
            # (the register page is being built) is the tree walked again.
            if self.step_label is None:
                self.snap()
            else:
                self.touched()
        self.snap()
        node = self.need(STEP_TYPES[number - 1], {pyatspi.ROLE_FILLER, pyatspi.ROLE_PANEL})
        self.screens.append(STEP_TYPES[number - 1])
        return node

    def wait_for(self, predicate, what, walk=True):
        """Wait until @predicate() holds, walking the tree again before each try (unless
        @walk is False: the predicate asks the accessibles it holds)."""
        start = time.monotonic()
        while True:
            if walk:
                self.snap()
            else:
                self.touched()
            if predicate():
                return
            if time.monotonic() - start > WAIT_LIMIT:
                raise Broken(what)
            time.sleep(0.1)

    def unnamed_controls(self):
        """Controls without a name, and link nodes (there must be none)."""
        unnamed, links = [], []
        for node in self.nodes():
            if node.role == pyatspi.ROLE_LINK:
                links.append(node)
            if node.role in CONTROL_ROLES and not node.name.strip():
                parent = node.parent
                unnamed.append("%s in %s" % (node.getRoleName(),
                                             parent.name if parent else "?"))
        return unnamed, links

    def all_text(self, within=None):
        """Every name, text and description in the tree (walked now), for the privacy
        check."""
        self.snap()
        out = []
        for node in self.nodes(self.current(within)):
            try:
                out.append(node.name)
                out.append(text_of(node))
                out.append(node.description or "")
            except Exception:
                continue
        return "\n".join(out)


def audit_names(kiosk, where, seen):
    unnamed, links = kiosk.unnamed_controls()
    seen.setdefault("unnamed", set()).update("%s: %s" % (where, u) for u in unnamed)
    seen.setdefault("links", 0)
    seen["links"] += len(links)


def payamctl_run(db, *args, stdin=None):
    return subprocess.run([payamctl, "--db", db] + list(args), input=stdin, text=True,
                          capture_output=True, check=True).stdout


# --- (a) an open manhole, reported at every screen size ---------------------------------

# The on-screen keyboard's keys by the character they type, read from its source: a key's
# accessible name is "Letter <its Persian name>", "Digit <digit>" or "Space".
with open(os.path.join(source_root, "src", "app", "kiosk", "payam-kiosk-keyboard.c"),
          encoding="utf-8") as f:
    KEY_NAMES = {char: _("Letter %s") % name
                 for char, name in re.findall(r'\{ "(.)", "([^"]+)" \}', f.read())}
for digit in "0123456789":
    KEY_NAMES[digit.translate(PERSIAN_DIGITS)] = _("Digit %s") % digit.translate(PERSIAN_DIGITS)
KEY_NAMES[" "] = _("Space")

STREET = "kiosk-street"
# Why Next is disabled, as each step says it (untranslated; check_next_reason translates).
REASON_WHAT = "To go on to the next step, touch the card of your problem."
REASON_WHERE = "To go on to the next step, choose the neighbourhood."
REASON_DESCRIBE = "To go on to the next step, describe the problem in a few words."
REASON_DANGER = "To go on to the next step, answer all three questions."
PHONE = "09121234567"
# Typed on the on-screen keyboard after the sentence chosen with one touch: where exactly.
TYPED_PLACE = "کوچه یاس"
OFFICE_KEY = "TSn/rs5d4lSJLQLxJd+so8+9ceVf6TZswitkWOKxgww="


def extents(node):
    """@node's rectangle in the window, or (0, 0, 0, 0) for a node with none."""
    return node.rect()


def node_id(node):
    return node.path


def shown_pages(kiosk):
    """The stack pages that show now (GTK 4.8 tells nothing about the others: their nodes
    keep their last extents): the pages above the step, the receipt or home's choices."""
    anchor = None
    number = kiosk.step()
    if number:
        anchor = kiosk.lookup(STEP_TYPES[number - 1], {pyatspi.ROLE_FILLER, pyatspi.ROLE_PANEL})
    if anchor is None:
        anchor = kiosk.lookup("PayamKioskReceipt")
    if anchor is None:
        anchor = kiosk.lookup(_("Register a message"), BUTTON_ROLES)
    pages = set()
    while anchor is not None:
        if anchor.name == "GtkStackPage":
            pages.add(node_id(anchor))
        anchor = anchor.parent
    return pages


def clip(kiosk, node, pages=None):
    """The rectangle @node can show in (left, top, right, bottom): the window, every node
    above it and the top of the on-screen keyboard; None when it is on a stack page that
    does not show."""
    if pages is None:
        pages = shown_pages(kiosk)
    left, top, right, bottom = 0, 0, kiosk.size[0], kiosk.size[1]
    keyboard = kiosk.keyboard_top()
    if keyboard is not None and not is_within(node, kiosk.lookup(_("On-screen keyboard"))):
        bottom = min(bottom, keyboard)
    parent = node.parent
    while parent is not None:
        if parent.role in (pyatspi.ROLE_FRAME, pyatspi.ROLE_APPLICATION):
            break
        if parent.name == "GtkStackPage" and node_id(parent) not in pages:
            return None
        px, py, pw, ph = extents(parent)
        if pw > 0 and ph > 0:
            left, top = max(left, px), max(top, py)
            right, bottom = min(right, px + pw), min(bottom, py + ph)
        parent = parent.parent
    return left, top, right, bottom


def visible_rect(kiosk, node, pages=None):
    """The part of @node a person can see (its extents inside clip()); None when nothing
    shows."""
    x, y, w, h = extents(node)
    if w <= 0 or h <= 0:
        return None
    area = clip(kiosk, node, pages)
    if area is None:
        return None
    left, top, right, bottom = area
    left, top = max(left, x), max(top, y)
    right, bottom = min(right, x + w), min(bottom, y + h)
    if right <= left or bottom <= top:
        return None
    return left, top, right - left, bottom - top


def is_within(node, ancestor):
    if ancestor is None:
        return False
    while node is not None:
        if node.path == ancestor.path:
            return True
        node = node.parent
    return False


def seen(kiosk, node):
    """Whether all of @node shows (1 px of rounding allowed)."""
    shown = visible_rect(kiosk, node)
    if shown is None:
        return False
    _x, _y, w, h = extents(node)
    return shown[2] >= w - 1 and shown[3] >= h - 1


def check_seen(kiosk, where, names, within=None, contains=False):
    """Check that each control or text named in @names shows on the step just opened."""
    missing = []
    for name in names:
        node = kiosk.find(name, within=within, contains=contains)
        if node is None or not seen(kiosk, node):
            missing.append(name if node is None else "%s at %s" % (name, extents(node)))
    check(not missing, "%s: %s seen when the step opens%s"
          % (kiosk.label, where, "" if not missing else " (not seen: %s)" % "; ".join(missing)))


def check_next_reason(kiosk, where, reason):
    """On a step just opened with Next disabled: @reason (untranslated) shows beside it and
    is Next's accessible description."""
    reason = _(reason)
    next_button = kiosk.need(_("Next"), BUTTON_ROLES)
    disabled = not next_button.getState().contains(pyatspi.STATE_SENSITIVE)
    label = kiosk.lookup(reason, {pyatspi.ROLE_LABEL})
    described = next_button.description
    check(disabled and label is not None and seen(kiosk, label) and described == reason,
          "%s: %s: Next is disabled with its reason beside it and in its description "
          "(disabled: %s, reason seen: %s, description: “%s”)"
          % (kiosk.label, where, disabled, label is not None and seen(kiosk, label), described))


def check_no_reason(kiosk, where, reason):
    """Once the step's choice is made, Next works and its reason is gone, from the screen
    and from its description."""
    kiosk.snap()
    next_button = kiosk.need(_("Next"), BUTTON_ROLES)
    kiosk.wait_sensitive(next_button, _("Next"))
    label = kiosk.lookup(_(reason), {pyatspi.ROLE_LABEL})
    check((label is None or not seen(kiosk, label)) and not next_button.description,
          "%s: %s: with the choice made, Next's reason is gone" % (kiosk.label, where))


def luminance(rgb):
    out = []
    for c in rgb:
        c = c / 255.0
        out.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * out[0] + 0.7152 * out[1] + 0.0722 * out[2]


def contrast(a, b):
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def text_contrast(pixels, width, rect):
    """The contrast of the text inside @rect of a screenshot: the background is the most
    common colour there, the text the colour farthest from it that covers at least a few
    pixels (anti-aliased edges are lighter; a glyph's stem has the text's own colour)."""
    x, y, w, h = rect
    counts = collections.Counter()
    for row in range(y, y + h):
        base = (row * width + x) * 3
        line = pixels[base:base + w * 3]
        counts.update(zip(line[0::3], line[1::3], line[2::3]))
    if not counts:
        return None
    background = max(counts, key=counts.get)
    candidates = [px for px, n in counts.items() if n >= 3 and px != background]
    if not candidates:
        return None
    return max(contrast(px, background) for px in candidates)


TEXT_ROLES_FOR_CONTRAST = {pyatspi.ROLE_LABEL, pyatspi.ROLE_PUSH_BUTTON,
                           pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_HEADING}


def check_contrast(kiosk, where, shot):
    """Every label and button shown (disabled ones and placeholders included, as painted)
    has text at 4.5:1 or more against its own background, measured on @shot."""
    raw = subprocess.run(["convert", shot, "-depth", "8", "rgb:-"], capture_output=True,
                         check=True).stdout
    width = kiosk.size[0]
    low = []
    pages = shown_pages(kiosk)
    scrim = kiosk.find(_("Stop and erase what you have entered?"), wait=False)
    within = scrim.parent if scrim is not None and seen(kiosk, scrim) else None
    for node in kiosk.nodes(within):
        try:
            if node.getRole() not in TEXT_ROLES_FOR_CONTRAST or not (node.name or text_of(node)):
                continue
            rect = visible_rect(kiosk, node, pages)
            # Inside the border and rounded corners of a button.
            inset = 4 if node.getRole() != pyatspi.ROLE_LABEL else 0
            name = node.name or text_of(node)
        except Exception:  # a node that went away meanwhile
            continue
        if rect is None or rect[2] < 6 or rect[3] < 6:
            continue
        x, y, w, h = rect
        rect = (x + inset, y + inset, max(1, w - 2 * inset), max(1, h - 2 * inset))
        ratio = text_contrast(raw, width, rect)
        if ratio is not None and ratio < MIN_CONTRAST:
            low.append("%s %.1f:1" % (name[:30], ratio))
    check(not low, "%s: %s: every text has contrast ≥ 4.5:1%s"
          % (kiosk.label, where, "" if not low else " (low: %s)" % "; ".join(low[:6])))


def press_keys(kiosk, text, field):
    """Type @text on the on-screen keyboard, one touch per key, into @field; the field's
    caret must stay above the keyboard all along (given a moment to scroll into view
    after each key); returns how many keys left it out of sight."""
    keyboard = kiosk.need(_("On-screen keyboard"))
    kiosk.keyboard_page = "digits" if text.translate(ASCII_DIGITS).isdigit() else "letters"
    hidden = 0
    for char in text:
        key = kiosk.lookup(KEY_NAMES[char], BUTTON_ROLES, within=keyboard)
        if key is None:
            raise Broken("no key for “%s” on the on-screen keyboard" % char)
        before = text_of(field)
        key.queryAction().doAction(0)
        kiosk.touch("key")
        kiosk.typed += 1
        start = time.monotonic()
        while text_of(field) == before:
            if time.monotonic() - start > WAIT_LIMIT:
                raise Broken("the key for “%s” typed nothing" % char)
            time.sleep(0.02)
        start = time.monotonic()
        while not caret_in_sight(kiosk, field):
            if time.monotonic() - start > 2.0:
                hidden += 1
                break
            time.sleep(0.05)
    kiosk.touched()
    return hidden


def caret_in_sight(kiosk, field):
    """Whether the character before @field's caret shows above the keyboard."""
    kiosk.touched()
    try:
        text = field.queryText()
        _cx, cy, _cw, ch = text.getCharacterExtents(max(0, text.caretOffset - 1),
                                                    pyatspi.WINDOW_COORDS)
    except Exception:
        return True
    top = kiosk.keyboard_top()
    return top is None or (cy + ch <= top and cy >= 0)


def drag_towards(kiosk, pane, target):
    """One touch drag on @pane towards @target (the wheel stands for it on Xvfb: a click
    at a time, up or down to where @target is, stopping once it shows, as a hand stops when
    it sees what it looks for); one touch. Whether @target moved at all."""
    x, y, w, h = extents(pane)
    kiosk.xdo("mousemove", str(x + w // 2), str(max(1, y + min(h // 2, 40))))
    kiosk.touch("drag")
    moved = False
    for _click in range(8):
        before = extents(target)
        area = clip(kiosk, target)
        above = area is not None and before[1] < area[1]
        kiosk.xdo("click", "4" if above else "5")
        start = time.monotonic()
        while extents(target) == before and time.monotonic() - start < 2.0:
            time.sleep(0.02)
            kiosk.touched()
        if extents(target) == before:
            break  # the pane is at its end
        moved = True
        if seen(kiosk, target):
            break
    return moved


def bring_into_view(kiosk, name, roles=BUTTON_ROLES, pane=None):
    """Drag (as a person would, each drag a touch) until @name shows; the node."""
    node = kiosk.need(name, roles)
    for _attempt in range(6):
        if seen(kiosk, node):
            return node
        if not drag_towards(kiosk, pane if pane is not None else node.parent, node):
            break
    if seen(kiosk, node):
        return node
    raise Broken("“%s” never came into view" % name)


def enrol(db):
    """Make @db an enrolled kiosk's store (with the office key its contacts are sealed
    to), as payamctl enrol would; the server address leads nowhere."""
    payamctl_run(db, "init")
    con = sqlite3.connect(db)
    for key, value in (("sync_server_url", "https://127.0.0.1:9"), ("sync_fingerprint", "00"),
                       ("sync_credential", "test"), ("sync_role", "kiosk"),
                       ("sync_crew_id", ""), ("office_public_key", OFFICE_KEY)):
        con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))
    con.commit()
    con.close()


def settings_env(tmp):
    """A settings file that places this kiosk in Tohid, in front of the Tohid metro."""
    config = os.path.join(tmp, "config")
    os.makedirs(os.path.join(config, "glib-2.0", "settings"), exist_ok=True)
    with open(os.path.join(config, "glib-2.0", "settings", "keyfile"), "w") as f:
        f.write("[ir/payam/Payam]\nkiosk-neighbourhood='tohid'\n"
                "kiosk-landmark='tohid/landmark/tohid-metro'\n")
    return {"GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": config}


def shot(kiosk, step):
    """Screenshot of @step at this size, checked for contrast."""
    folder = os.environ.get("PAYAM_UI_SHOTS") or kiosk.tmp
    path = os.path.join(folder, "kiosk-%s-%dx%d.png" % (step, kiosk.size[0], kiosk.size[1]))
    kiosk.shoot(step, path)
    check_contrast(kiosk, step, path)


def report_manhole(tmp, display, audit, with_phone, full):
    """From home to the receipt at @display's size. @full: also Cancel, the receipt's
    countdown and the contrast of every screen."""
    label = "%dx%d%s" % (display.size[0], display.size[1], " with a phone" if with_phone else "")
    db = os.path.join(tmp, "manhole-%s.db" % label.replace(" ", "-"))
    enrol(db)
    env = settings_env(tmp)
    env["PAYAM_KIOSK_RECEIPT_TIMEOUT"] = "14" if full else "180"
    # The checks take their time between touches; the idle wipe has its own run below.
    env["PAYAM_KIOSK_IDLE_TIMEOUT"] = "900"
    env["PAYAM_KIOSK_IDLE_WARNING"] = "890"
    try:
        kiosk = Kiosk(tmp, db, "manhole-" + label.replace(" ", "-"), env, display)
    except Broken as error:
        check(False, "%s: reporting an open manhole: %s" % (label, error))
        return
    kiosk.label = label
    try:
        check_seen(kiosk, "home", [_("Register a message"), _("Follow my message"),
                                   _("Rate the result")])
        district = _("The %s system of the municipality of district 6, region 2") % "۱۳۷"
        if full:
            shot(kiosk, "home")
            check(kiosk.find(_("Welcome to Payam"), wait=False) is not None
                  and "ناحیهٔ ۶ منطقهٔ ۲" in _("Welcome to Payam"),
                  "%s: home names the district" % label)
        kiosk.click(_("Register a message"))

        # 1. What: the manhole card, possibly below the fold.
        step = kiosk.wait_step(1)
        check_seen(kiosk, "step 1 (what)", [_("What is the problem?"),
                                            _("Touch the card closest to your problem."),
                                            _("Not sure? Describe it in a few words"),
                                            categories["asphalt"], _("Next"), _("Back"),
                                            _("Cancel")])
        check_next_reason(kiosk, "step 1 (what)", REASON_WHAT)
        if full:
            shot(kiosk, "step-what")
            # Cancel asks first, in large buttons; "No" keeps everything. (Not part of the
            # report: its two touches are not counted.)
            counted = (kiosk.touches, collections.Counter(kiosk.kinds))
            kiosk.click(_("Cancel"))
            ask = kiosk.find(_("Stop and erase what you have entered?"))
            check(ask is not None and seen(kiosk, ask)
                  and kiosk.find(_("Yes, erase it"), BUTTON_ROLES, wait=False) is not None,
                  "%s: Cancel asks first" % label)
            no = kiosk.need(_("No, continue"), BUTTON_ROLES)
            _x, _y, w, h = extents(no)
            check(h >= 56 and w >= 200, "%s: the confirmation's buttons are large (%dx%d)"
                  % (label, w, h))
            shot(kiosk, "cancel-confirm")
            kiosk.click(_("No, continue"))
            kiosk.touches, kiosk.kinds = counted
            check(kiosk.step() == 1, "%s: “No, continue” keeps the visit" % label)
        bring_into_view(kiosk, categories["manhole-sewer"], pane=step)
        kiosk.click(categories["manhole-sewer"])
        check_no_reason(kiosk, "step 1 (what)", REASON_WHAT)
        kiosk.click(_("Next"))

        # 2. Where: here, near this kiosk, in one touch.
        step = kiosk.wait_step(2)
        here = _("Here, near this kiosk: %s").split("%s")[0]
        check_seen(kiosk, "step 2 (where), after step 1 was scrolled",
                   [here, _("Next"), _("Back")], contains=True)
        check_next_reason(kiosk, "step 2 (where)", REASON_WHERE)
        if full:
            shot(kiosk, "step-where")
        kiosk.click(here, contains=True)
        kiosk.click(_("Next"))

        # 3. Describe: a sentence in one touch, the place typed on the on-screen keyboard.
        step = kiosk.wait_step(3)
        example = kiosk.find(_("Touch a sentence to write it, then change it if you like:"))
        chips = [c for c in kiosk.nodes(step) if c.getRole() == pyatspi.ROLE_PUSH_BUTTON
                 and c.name.startswith("در چاه")]
        check_seen(kiosk, "step 3 (describe)",
                   [_("Touch a sentence to write it, then change it if you like:"),
                    _("Next")])
        check_next_reason(kiosk, "step 3 (describe)", REASON_DESCRIBE)
        check(chips and seen(kiosk, chips[0]), "%s: the manhole's own sentence is one touch "
              "away when the step opens" % label)
        if full:
            shot(kiosk, "step-describe")
        kiosk.click(chips[0].name)
        text_view = kiosk.need(_("Describe the problem"), TEXT_ROLES, within=step)
        kiosk.tap(bring_into_view(kiosk, _("Describe the problem"), TEXT_ROLES, pane=step),
                  at_end=True)
        kiosk.wait_for(lambda: kiosk.keyboard_top() is not None, "the keyboard did not show")
        room = visible_rect(kiosk, text_view)
        check(room is not None and room[3] >= 60,
              "%s: the description keeps room above the keyboard (%s px)"
              % (label, room[3] if room else 0))
        hidden = press_keys(kiosk, " " + TYPED_PLACE, text_view)
        check(hidden == 0, "%s: what is typed stays above the keyboard (%d keys typed out "
              "of sight)" % (label, hidden))
        check(text_of(text_view).endswith(TYPED_PLACE),
              "%s: the keys typed on the on-screen keyboard are in the description" % label)
        if full:
            shot(kiosk, "step-describe-keyboard")
        kiosk.click(_("since today"))
        kiosk.click(_("Next"))

        # 4. Danger: each question with its answers beside it; yes shows emergency numbers.
        step = kiosk.wait_step(4)
        check_seen(kiosk, "step 4 (danger)",
                   [_("Danger to people: yes"), _("Danger to people: no"),
                    _("Blocks a road: yes"), _("Blocks a road: no"),
                    _("Water, gas or electricity: yes"), _("Water, gas or electricity: no")],
                   within=step)
        check_seen(kiosk, "step 4 (danger), its navigation", [_("Next"), _("Back")])
        check_next_reason(kiosk, "step 4 (danger)", REASON_DANGER)
        # The answers sit beside their question, not across the screen.
        far = []
        for question, yes in ((_("Is anyone in danger because of it right now?"),
                               _("Danger to people: yes")),
                              (_("Is it blocking a road or a passage?"), _("Blocks a road: yes")),
                              (_("Is water, gas or electricity involved?"),
                               _("Water, gas or electricity: yes"))):
            qx, _qy, qw, _qh = extents(kiosk.need(question, {pyatspi.ROLE_LABEL}, within=step))
            bx, _by, bw, _bh = extents(kiosk.need(yes, BUTTON_ROLES, within=step))
            gap = max(bx - (qx + qw), qx - (bx + bw))
            if gap > 120:
                far.append("%s: %d px" % (yes, gap))
        check(not far, "%s: yes/no beside their questions%s"
              % (label, "" if not far else " (%s)" % "; ".join(far)))
        kiosk.click(_("Danger to people: yes"), within=step)
        kiosk.click(_("Blocks a road: no"), within=step)
        kiosk.click(_("Water, gas or electricity: no"), within=step)
        kiosk.wait_for(lambda: kiosk.lookup(_("Fire brigade"), contains=True) is not None
                       and seen(kiosk, kiosk.lookup(_("Fire brigade"), contains=True)),
                       "the emergency numbers did not come into view")
        check(True, "%s: “yes” to danger brings the emergency numbers into view" % label)
        if full:
            shot(kiosk, "step-danger")
        kiosk.click(_("Next"))

        # 5. Similar messages: none in a fresh store, so the step is skipped.
        step = kiosk.wait_step(6)
        check(kiosk.screens[-2] == "PayamKioskStepDanger",
              "%s: with no similar message the similar step is skipped" % label)
        note = _("You may leave the number empty. Then you can follow your message only "
                 "with the tracking code on your receipt.")
        check_seen(kiosk, "step 6 (contact)",
                   [_("Mobile number (optional)"), note, _("Next")])
        check(kiosk.keyboard_top() is None,
              "%s: the contact step does not open the number pad by itself" % label)
        if full:
            shot(kiosk, "step-contact")
        if with_phone:
            phone = kiosk.need(_("Mobile number (optional)"), TEXT_ROLES, within=step)
            kiosk.tap(phone)
            kiosk.wait_for(lambda: kiosk.keyboard_top() is not None, "the number pad did not show")
            hidden = press_keys(kiosk, PHONE.translate(PERSIAN_DIGITS), phone)
            check(seen(kiosk, phone) and hidden == 0,
                  "%s: the phone field stays above the number pad" % label)
            check(seen(kiosk, kiosk.need(note)),
                  "%s: the “optional” note stays in sight with the number pad open" % label)
            shot(kiosk, "step-contact-keyboard")
        kiosk.click(_("Next"))

        step = kiosk.wait_step(7)
        check_seen(kiosk, "step 7 (review)", [_("Send the message"), _("Back")])
        check(kiosk.find(_("Similar message"), within=step, wait=False) is None,
              "%s: the review does not mention the similar step it skipped" % label)
        if full:
            shot(kiosk, "step-review")
        kiosk.click(_("Send the message"))

        # The receipt: code grouped, in Latin digits beside it, printed by itself.
        kiosk.wait_for(lambda: kiosk.find(_("Your tracking code"), wait=False) is not None,
                       "the receipt did not show")
        code_node = None
        for node in kiosk.nodes():
            if node.role != pyatspi.ROLE_LABEL:
                continue
            text = text_of(node).translate(ASCII_DIGITS)
            if re.fullmatch(r"[0-9]{4} [0-9]{7} [0-9]",
                                                                      text) \
               and re.search("[۰-۹]", text_of(node)):
                code_node = node
                break
        code = re.sub(r"[^0-9]", "", text_of(code_node).translate(ASCII_DIGITS)) if code_node \
            else None
        latin = kiosk.find("%s %s %s" % (code[:4], code[4:11], code[11:]), wait=False) \
            if code else None
        check(code_node is not None and latin is not None,
              "%s: the code is shown grouped, in Persian and in Latin digits" % label)
        check(code_node is not None and seen(kiosk, code_node) and seen(kiosk, latin)
              and seen(kiosk, kiosk.need(_("I have my code: finish"), BUTTON_ROLES)),
              "%s: the code and “finish” are seen on the receipt" % label)
        kiosk.wait_for(lambda: os.path.exists(kiosk.pdf) and os.path.getsize(kiosk.pdf) > 0,
                       "the receipt did not print by itself")
        kiosk.wait_for(lambda: kiosk.find(_("The receipt has been printed. Take it from the "
                                            "printer."), wait=False) is not None,
                       "the receipt did not say it printed")
        check(True, "%s: the receipt prints by itself and says so" % label)
        stored = sqlite3.connect(db).execute(
            "SELECT tracking_code, priority, category_id FROM request").fetchall()
        check(len(stored) == 1 and stored[0][0] == code and stored[0][2] == "manhole-sewer",
              "%s: the message is stored under the manhole category with the receipt's code"
              % label)
        print("# %s: screens: %d (%s), touches: %d (%s), %.0f s"
              % (label, len(kiosk.screens), " → ".join(kiosk.screens), kiosk.touches,
                 ", ".join("%s: %d" % item for item in sorted(kiosk.kinds.items())),
                 time.monotonic() - kiosk.started))
        limit = MAX_TOUCHES_WITH_PHONE if with_phone else MAX_TOUCHES
        check(len(kiosk.screens) <= MAX_SCREENS,
              "%s: at most %d screens from home to the receipt (%d)"
              % (label, MAX_SCREENS, len(kiosk.screens)))
        check(kiosk.touches <= limit, "%s: at most %d touches, keys included (%d)"
              % (label, limit, kiosk.touches))
        audit_names(kiosk, "receipt", audit)
        # A citizen who gave a phone is told the code also comes by text message (the
        # server's "registered" notice); without a phone nothing is promised.
        texted = [kiosk.find(text, wait=False) for text in (
            _("The tracking code will also be sent to your mobile number by text message."),
            _("Saved here; once this device is connected it is sent to the municipality, and "
              "the tracking code also comes to your mobile number by text message."))]
        texted = [node for node in texted if node is not None]
        if with_phone:
            check(len(texted) == 1 and seen(kiosk, texted[0]) and seen(kiosk, code_node),
                  "%s: the receipt says the code also comes by text message" % label)
            shot(kiosk, "receipt-phone")
        else:
            check(not texted, "%s: without a phone no text message is promised" % label)
        if full:
            shot(kiosk, "receipt")
            pdf_and_qr(kiosk, code, label)
            # Hands off: the countdown shows under the code, never over it.
            closes = _("This page closes in %s seconds. Touch the screen to keep it "
                       "longer.").split("%s")[0]
            kiosk.wait_for(lambda: kiosk.find(closes, contains=True, wait=False) is not None,
                           "the receipt's countdown did not show")
            overlay = kiosk.find(_("Are you still there?"), wait=False)
            check(seen(kiosk, code_node) and (overlay is None or not seen(kiosk, overlay)),
                  "%s: the code stays seen and uncovered through the countdown" % label)
            shot(kiosk, "receipt-countdown")
            kiosk.wait_for(lambda: kiosk.step() == 0 and kiosk.find(
                _("Your tracking code"), wait=False) is None, "the receipt did not close")
            check(True, "%s: after its quiet spell the receipt goes home" % label)
        else:
            kiosk.click(_("I have my code: finish"))
            kiosk.wait_for(lambda: kiosk.find(_("Your tracking code"), wait=False) is None,
                           "“finish” did not go home")
    except (Broken, GLib.GError) as error:
        # GLib.GError: the kiosk went away under AT-SPI (it crashed: its log is printed).
        kiosk.shoot("broken-" + label.replace(" ", "-"))
        if isinstance(error, GLib.GError):
            import traceback
            print("# " + traceback.format_exc().replace("\n", "\n# "))
        status = kiosk.proc.poll()
        check(False, "%s: reporting an open manhole: %s%s" % (
            label, error, "" if status is None else " (the kiosk exited: %s)" % status))
    finally:
        kiosk.stop()


def pdf_and_qr(kiosk, code, label):
    """The receipt printed by itself holds the code, and its QR code decodes to it."""
    def pdf_text():
        return subprocess.run(["pdftotext", kiosk.pdf, "-"], capture_output=True,
                              text=True).stdout

    # The PDF is complete once its text holds the code (or the wait gives up).
    try:
        kiosk.wait_for(lambda: code is not None and code in re.sub(
            r"[^0-9]", "", pdf_text().translate(ASCII_DIGITS)), "", walk=False)
    except Broken:
        pass
    pdf_text = pdf_text()
    check(code is not None and code in re.sub(r"[^0-9]", "", pdf_text.translate(ASCII_DIGITS)),
          "%s: the receipt PDF contains the tracking code" % label)
    png = os.path.join(kiosk.tmp, "receipt")
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", kiosk.pdf, png], check=True)
    qr = subprocess.run(["zbarimg", "--quiet", "--raw", png + ".png"], capture_output=True,
                        text=True).stdout.strip()
    check(code is not None and re.sub(r"[^0-9]", "", qr.translate(ASCII_DIGITS)) == code,
          "%s: the receipt's QR code decodes to the tracking code (%s)" % (label, qr))


# --- (b) follow and rate a finished message ------------------------------------------

def prepare_done_request(db):
    payamctl_run(db, "init")
    payamctl_run(db, "import", "-", stdin=json.dumps(
        {"text": "چراغ کوچه بهار سه شب است خاموش است", "category": "lighting",
         "neighbourhood": "tohid"}, ensure_ascii=False) + "\n")
    code = json.loads(payamctl_run(db, "export").splitlines()[0])["tracking_code"]
    payamctl_run(db, "worksheet", "--kind", "assign", "--crew", "روشنایی ۱", code)
    payamctl_run(db, "worksheet", "--kind", "start", code)
    payamctl_run(db, "worksheet", "--kind", "done", "--note", "لامپ عوض شد", code)
    return code


def enter_code(kiosk, code):
    entry = kiosk.need(_("Tracking code"), TEXT_ROLES)
    kiosk.tap(entry)
    kiosk.type(code, entry)
    kiosk.click(_("Look up"))


def follow_and_rate(tmp, db, code, audit, display):
    try:
        kiosk = Kiosk(tmp, db, "follow", display=display)
    except Broken as error:
        check(False, "follow and rate: " + str(error))
        return
    try:
        kiosk.click(_("Follow my message"))
        enter_code(kiosk, code)
        kiosk.wait_for(lambda: kiosk.find(_("What has happened"), wait=False) is not None,
                       "the message was not found")
        page = kiosk.need("PayamKioskFollow", {pyatspi.ROLE_FILLER, pyatspi.ROLE_PANEL})
        tree = kiosk.all_text(page)
        check(_("The work was done.") in tree, "following shows the work done on the message")
        if not results[-1][0]:
            print("# follow page: " + " | ".join(t for t in tree.splitlines() if t.strip()))
        audit_names(kiosk, "follow", audit)
        kiosk.click(_("Back to the start"))
        kiosk.wait_for(lambda: kiosk.find(_("What has happened"), wait=False) is None,
                       "back to the start did not go home")
        check(True, "a message was followed by its code")

        kiosk.click(_("Rate the result"))
        enter_code(kiosk, code)
        five = ngettext("%s star", "%s stars", 5) % "۵"
        kiosk.click(five)
        comment = kiosk.need(_("A comment or suggestion for the municipality (optional)"),
                             TEXT_ROLES)
        kiosk.tap(comment)
        kiosk.type("ممنون از رسیدگی سریع", comment)
        kiosk.shoot("rate-comment")
        audit_names(kiosk, "rate", audit)
        kiosk.click(_("Save my rating"))
        kiosk.wait_for(lambda: sqlite3.connect(db).execute(
            "SELECT count(*) FROM rating").fetchone()[0] == 1, "the rating was not saved")
        score, text = sqlite3.connect(db).execute(
            "SELECT score, comment FROM rating").fetchone()
        check(score == 5 and text == "ممنون از رسیدگی سریع",
              "the rating (5 stars and the comment) is saved")
        kiosk.click(_("Back to the start"))
    except Broken as error:
        check(False, "follow and rate: " + str(error))
    finally:
        kiosk.stop()


# --- (c) the idle wipe ------------------------------------------------------------------

SECRET_TEXT = "لوله آب شکسته جلوی خانه شماره هفده کوچه نرگس از امروز صبح"
SECRET_PHONE = "09351112233"


def idle_wipe(tmp, db, display):
    enrol(db)
    try:
        # Short, to keep the test short: 12 s of quiet wipe the visit, the countdown shows
        # after 8 (each step below is touched well within that).
        kiosk = Kiosk(tmp, db, "idle", {"PAYAM_KIOSK_IDLE_TIMEOUT": "12",
                                        "PAYAM_KIOSK_IDLE_WARNING": "8"}, display)
    except Broken as error:
        check(False, "idle wipe: " + str(error))
        return
    try:
        kiosk.click(_("Register a message"))
        kiosk.wait_step(1)
        kiosk.click(categories["asphalt"])
        kiosk.click(_("Next"))
        kiosk.wait_step(2)
        kiosk.click(neighbourhoods["tohid"])
        kiosk.click(_("Next"))
        step = kiosk.wait_step(3)
        text_view = kiosk.need(_("Describe the problem"), TEXT_ROLES, within=step)
        kiosk.tap(text_view)
        kiosk.type(SECRET_TEXT, text_view)
        kiosk.click(_("Next"))
        step = kiosk.wait_step(4)
        for answer in (_("Danger to people: no"), _("Blocks a road: no"),
                       _("Water, gas or electricity: no")):
            kiosk.click(answer, within=step)
        kiosk.click(_("Next"))
        # No similar message in this store: step 5 is skipped.
        step = kiosk.wait_step(6)
        phone = kiosk.need(_("Mobile number (optional)"), TEXT_ROLES, within=step)
        kiosk.tap(phone)
        kiosk.type(SECRET_PHONE, phone)
        before = kiosk.all_text()
        check(SECRET_TEXT in before or SECRET_TEXT in before.replace("\n", " ")
              or SECRET_PHONE in before.translate(ASCII_DIGITS),
              "before the wipe the citizen's words are on screen (the check can fail)")

        # Hands off: the countdown shows, then the visit is wiped.
        countdown = _("%s more seconds…").split("%s")[-1]
        kiosk.wait_for(lambda: kiosk.find(countdown, {pyatspi.ROLE_LABEL}, contains=True,
                                          wait=False) is not None
                       and re.search("[۱-۹]", kiosk.find(countdown, {pyatspi.ROLE_LABEL},
                                                         contains=True, wait=False).name),
                       "no countdown in Persian digits appeared")
        check(True, "the idle countdown shows, in Persian digits")
        # A touch (here a pointer move) cancels it; left alone again, it comes back.
        kiosk.xdo("mousemove_relative", "--", "5", "5")
        kiosk.wait_for(lambda: kiosk.find(countdown, {pyatspi.ROLE_LABEL}, contains=True,
                                          wait=False) is None
                       or not kiosk.find(countdown, {pyatspi.ROLE_LABEL}, contains=True,
                                         wait=False).name,
                       "a touch did not cancel the countdown")
        check(kiosk.step() == 6, "a touch cancels the countdown and the visit goes on")
        kiosk.wait_for(lambda: kiosk.step() == 0
                       and kiosk.lookup(_("Register a message")) is not None
                       and kiosk.lookup("PayamKioskRegister") is None,
                       "the visit was not wiped after the timeout")
        after = kiosk.all_text()
        words = [w for w in SECRET_TEXT.split() if len(w) > 3]
        left = [w for w in words if w in after]
        digits = after.translate(ASCII_DIGITS)
        check(not left, "after the wipe none of the typed words is in the tree (left: %s)"
              % ", ".join(left))
        check(SECRET_PHONE not in digits and SECRET_PHONE[1:] not in digits.replace(" ", ""),
              "after the wipe the phone number is nowhere in the tree")
        check(kiosk.lookup(_("Register a message")) is not None,
              "after the wipe the kiosk is back home")
        check(kiosk.lookup("PayamKioskRegister") is None,
              "after the wipe the register page is gone from the tree")
    except Broken as error:
        check(False, "idle wipe: " + str(error))
    finally:
        kiosk.stop()


with tempfile.TemporaryDirectory(prefix="payam-ui-kiosk-") as tmp:
    audit = {}
    started = time.monotonic()
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
    for width, height in SIZES:
        try:
            display = Display(width, height)
        except Broken as error:
            check(False, str(error))
            continue
        try:
            report_manhole(tmp, display, audit, with_phone=False, full=True)
            if (width, height) == SIZES[0]:
                report_manhole(tmp, display, audit, with_phone=True, full=False)
        finally:
            display.stop()
    if not MANHOLE_ONLY:
        try:
            display = Display(1280, 800)
        except Broken as error:
            check(False, str(error))
        else:
            try:
                db = os.path.join(tmp, "kiosk.db")
                begun = time.monotonic()
                follow_and_rate(tmp, db, prepare_done_request(db), audit, display)
                print("# follow and rate: %.0f s" % (time.monotonic() - begun))
                begun = time.monotonic()
                idle_wipe(tmp, os.path.join(tmp, "idle.db"), display)
                print("# idle wipe: %.0f s" % (time.monotonic() - begun))
            finally:
                display.stop()

    unnamed = sorted(audit.get("unnamed", ()))
    check(not unnamed, "every control has a name (without: %s)" % "; ".join(unnamed[:10]))
    check(audit.get("links", 0) == 0, "no links to other programs anywhere")
    print("# %.0f s in all, %d walks of the accessible tree" % (time.monotonic() - started,
                                                                 WALKS[0]))

    if any(ok is False for ok, _what in results):
        for name in ["follow", "idle"] + [f[:-4] for f in os.listdir(tmp)
                                            if f.startswith("manhole") and f.endswith(".log")]:
            path = os.path.join(tmp, name + ".log")
            if os.path.exists(path):
                with open(path, encoding="utf-8", errors="replace") as f:
                    for line in f.read().splitlines()[-15:]:
                        print("# %s: %s" % (name, line))

checks = [(ok, what) for ok, what in results if ok is not None]
print("1..%d" % len(checks))
for i, (ok, what) in enumerate(checks, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
sys.exit(0 if all(ok for ok, _what in checks) else 1)
