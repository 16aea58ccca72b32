#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The office dashboard (issue #14) through AT-SPI on an Xvfb screen of its own: a store made
# with payamctl (a street light done, a group of three about one pothole assigned to a crew,
# two open messages) that the real payam-server also serves; the office window opens it on
# the dashboard and shows feedback coverage and the citizens not told yet. Then the crew
# marks the group done (payamctl, another connection to the file) and citizens without a
# phone look their codes up on the server's track page: the dashboard follows by itself
# (nothing pressed) until only the one whose text message is on its way is left. The lists
# go out as CSV through win.export-csv (activated over D-Bus with a path, as the file
# chooser would) and are read back: byte order mark, one row per item, Persian intact. A
# figure opens its queue. PAYAM_UI_SHOTS=DIR keeps screenshots at 1366×768 and 1920×1080
# (tests/screenshots/office-dashboard-* hold them as last looked at).
import csv
import io
import json
import os
import re
import shutil
import ssl
import subprocess
import time
import urllib.request

from payam_ui import *  # noqa: F401,F403 (arguments, skips, tree, server, display)

if shutil.which("gdbus") is None:
    skip("gdbus is not installed")

CREW = "اکیپ توحید ۱"
MESSAGES = [
    {"text": "چراغ‌های کوچهٔ بهار چند شب است خاموش است", "category": "lighting",
     "neighbourhood": "tohid", "channel": "kiosk"},
    {"text": "چالهٔ بزرگ وسط خیابان توحید، جلوی نانوایی", "category": "asphalt",
     "neighbourhood": "tohid", "street": "خیابان توحید", "channel": "kiosk"},
    {"text": "چاله وسط خیابان توحید ماشین‌ها را خراب می‌کند، \"فوری\"", "category": "asphalt",
     "neighbourhood": "tohid", "street": "خیابان توحید", "channel": "kiosk"},
    {"text": "چالهٔ خیابان توحید روبه‌روی نانوایی هنوز پر نشده\nلطفاً زودتر", "category": "asphalt",
     "neighbourhood": "tohid", "street": "خیابان توحید", "phone": "09121234567",
     "channel": "phone"},
    {"text": "دریچهٔ منهول جلوی مدرسه باز مانده", "category": "manhole-sewer",
     "neighbourhood": "daryan-e-no", "hazard": True, "channel": "kiosk"},
    {"text": "زباله‌ها دو روز است جمع نشده", "category": "waste",
     "neighbourhood": "daryan-e-no", "channel": "kiosk"},
]


def role_of(node):
    try:
        return node.getRole()
    except Exception:
        return None


def name_of(node):
    try:
        return node.name or ""
    except Exception:
        return ""


def digits(text):
    """The ASCII digits of @text (Persian ones translated), nothing else."""
    return re.sub(r"\D", "", text.translate(ASCII_DIGITS))


class Office:
    """`payam --mode office` on @db, driven through AT-SPI."""

    def __init__(self, tmp, db, log="office.log"):
        env = dict(os.environ)
        if CHILD_G_DEBUG is not None:
            env["G_DEBUG"] = CHILD_G_DEBUG
        env["GTK_A11Y"] = "atspi"
        env.pop("NO_AT_BRIDGE", None)
        config = os.path.join(tmp, "config")
        os.makedirs(os.path.join(config, "gtk-4.0"), exist_ok=True)
        with open(os.path.join(config, "gtk-4.0", "settings.ini"), "w") as f:
            f.write("[Settings]\ngtk-cursor-blink = false\n")
        env["XDG_CONFIG_HOME"] = config
        self.log = open(os.path.join(tmp, log), "w")
        self.proc = subprocess.Popen([payam, "--mode", "office", "--db", db], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.app = None
        start = time.monotonic()
        while time.monotonic() - start < WAIT_LIMIT:
            self.app = self.find_app()
            if self.app is not None and self.find(_("Dashboard"), wait=False) is not None:
                return
            time.sleep(0.2)
        self.stop()
        raise Broken("the office window did not appear on the accessibility bus")

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

    def find(self, name, roles=None, wait=True, prefix=False):
        start = time.monotonic()
        while True:
            for node in walk(self.app):
                node_name = name_of(node)
                if (node_name == name or (prefix and node_name.startswith(name))) \
                   and (roles is None or role_of(node) in roles):
                    return node
            if not wait or time.monotonic() - start > WAIT_LIMIT:
                return None
            time.sleep(0.2)

    def press(self, name, prefix=False):
        node = self.find(name, BUTTON_ROLES, prefix=prefix)
        if node is None:
            self.shoot("missing")
            raise Broken("no button named “%s”" % name)
        node.queryAction().doAction(0)

    def open_sidebar(self, name):
        """Choose the sidebar row showing @name (the list box's AT-SPI selection)."""
        label = self.find(name, {pyatspi.ROLE_LABEL})
        if label is None:
            raise Broken("no sidebar row “%s”" % name)
        row = label.parent
        while row is not None and role_of(row.parent) not in (pyatspi.ROLE_LIST_BOX, pyatspi.ROLE_LIST):
            row = row.parent
        if row is None:
            raise Broken("“%s” is not in a list" % name)
        row.parent.querySelection().selectChild(row.getIndexInParent())

    def labels(self):
        return [name_of(n) or text_of(n) for n in walk(self.app)
                if role_of(n) == pyatspi.ROLE_LABEL]

    def wait(self, what, condition):
        """Wait until condition() gives something true; a check named @what."""
        start = time.monotonic()
        while time.monotonic() - start < WAIT_LIMIT:
            try:
                value = condition()
            except Exception:  # the tree changing under a walk
                value = None
            if value:
                check(True, what)
                return value
            time.sleep(0.3)
        self.shoot("wait-" + re.sub(r"\W", "", what)[:24])
        raise Broken(what)

    def coverage(self):
        """The coverage tile's name: "caption: NN% T told of O owed · target 100%"."""
        node = self.find(_("Feedback coverage") + ": ", BUTTON_ROLES, wait=False, prefix=True)
        return name_of(node) if node is not None else ""

    def untold(self):
        """The rows of the not-yet-told list: (code digits, why)."""
        rows = []
        for label in self.labels():
            for why in ("queued", "failed", "no-phone", "no-notice"):
                if " — " + WHY[why] in label:
                    rows.append((digits(label.split(" — ")[0]), why))
        return sorted(rows)

    def export(self, path):
        """win.export-csv with @path, over D-Bus as GtkApplication exports it."""
        if os.path.exists(path):
            os.unlink(path)
        subprocess.run(["gdbus", "call", "--session", "--dest", "ir.payam.Payam",
                        "--object-path", "/ir/payam/Payam/window/1", "--method",
                        "org.gtk.Actions.Activate", "export-csv", "[<'%s'>]" % path, "{}"],
                       check=True, capture_output=True)
        start = time.monotonic()
        while not os.path.exists(path) and time.monotonic() - start < WAIT_LIMIT:
            time.sleep(0.1)
        with open(path, "rb") as f:
            data = f.read()
        check(data.startswith(b"\xef\xbb\xbf"), "the CSV starts with the UTF-8 byte order mark")
        return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))

    def shoot(self, what):
        folder = os.environ.get("PAYAM_UI_SHOTS")
        if folder:
            os.makedirs(folder, exist_ok=True)
            subprocess.run(["import", "-window", "root", os.path.join(folder, what + ".png")])


WHY = {"queued": _("text message on its way"), "failed": _("text message failed"),
       "no-phone": _("no phone, code not looked up yet"), "no-notice": _("no notice made yet")}


def setup(db):
    """The store: the light done by the crew (its citizen has no phone), the pothole's three
    messages in one group assigned to the crew (one citizen with a phone), two open."""
    ctl(db, "init")
    jsonl = db + ".jsonl"
    with open(jsonl, "w", encoding="utf-8") as f:
        for line in MESSAGES:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    ctl(db, "import", jsonl)
    codes = [r[0] for r in query(db, "SELECT tracking_code FROM request ORDER BY rowid")]
    ctl(db, "crew", "add", "--name", CREW)
    ctl(db, "merge", codes[1], codes[2])
    ctl(db, "merge", codes[1], codes[3])
    for code in (codes[0], codes[1]):
        ctl(db, "assign", code, "--crew", CREW)
    ctl(db, "worksheet", codes[0], "--kind", "start", "--role", "crew")
    ctl(db, "worksheet", codes[0], "--kind", "done", "--role", "crew", "--note", "لامپ عوض شد")
    return codes


def look_up(port, code):
    """The citizen's track page on the server (as the public page or the kiosk asks it)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen("https://127.0.0.1:%d/v1/track/%s" % (port, code),
                                context=context, timeout=10) as reply:
        return json.load(reply)


def coverage_is(office, percent, told, owed):
    name = office.coverage()
    want = [_("%s%%") % percent.translate(PERSIAN_DIGITS),
            _("%s told of %s owed · target 100%%") % (told.translate(PERSIAN_DIGITS),
                                                     owed.translate(PERSIAN_DIGITS))]
    return name if all(w in name for w in want) else None


def run(tmp):
    db = os.path.join(tmp, "server.db")
    codes = setup(db)
    check(len(codes) == 6 and query(db, "SELECT count (DISTINCT group_id) FROM request WHERE "
                                    "tracking_code IN (?, ?, ?)", *codes[1:4])[0][0] == 1,
          "the store holds six messages, the pothole's three in one group")
    port = free_port()
    server = Server(tmp, port)
    server.start()
    try:
        office = Office(tmp, db)
        try:
            flow(office, tmp, port, codes)
        finally:
            office.stop()
    finally:
        server.stop()
    # The same dashboard on a screen of 1920×1080.
    folder = os.environ.get("PAYAM_UI_SHOTS")
    if folder:
        xvfb = own_display(1920, 1080)
        holder = subprocess.Popen(["xdotool", "sleep", "3600"])
        try:
            big = Office(tmp, db, "office-1920.log")
            try:
                big.open_sidebar(_("Dashboard"))
                big.wait("the dashboard shows at 1920×1080",
                         lambda: coverage_is(big, "75", "3", "4"))
                wid = subprocess.run(["xdotool", "search", "--pid", str(big.proc.pid)],
                                     capture_output=True, text=True).stdout.split()
                for w in wid:
                    subprocess.run(["xdotool", "windowsize", w, "1920", "1080"])

                def size():
                    for w in wid:
                        out = subprocess.run(["xdotool", "getwindowgeometry", w],
                                             capture_output=True, text=True).stdout
                        if "Geometry: 1920x1080" in out:
                            return True
                    return False
                big.wait("the window fills the 1920×1080 screen", size)
                big.wait("the dashboard is drawn again at that size",
                         lambda: coverage_is(big, "75", "3", "4"))
                big.shoot("dashboard-1920x1080")
            finally:
                big.stop()
        finally:
            holder.terminate()
            xvfb.terminate()
            xvfb.wait()


def flow(office, tmp, port, codes):
    light, pothole, phone = codes[0], codes[1:3], codes[3]
    office.open_sidebar(_("Dashboard"))
    office.wait("the dashboard shows coverage 0% of one citizen owed an answer",
                lambda: coverage_is(office, "0", "0", "1"))
    office.shoot("dashboard-1366x768-before")
    office.press(_("Feedback coverage") + ": ", prefix=True)
    office.wait("the coverage figure opens the not-yet-told list: the light's citizen, no phone",
                lambda: office.untold() == [(light, "no-phone")])
    rows = office.export(os.path.join(tmp, "not-told-1.csv"))
    check(len(rows) == 2 and digits(rows[1][0]) == light and rows[1][1] == WHY["no-phone"],
          "the not-yet-told list as CSV: a header and its one row")

    # The crew marks the pothole's group done (another connection to the file).
    ctl(office_db(tmp), "worksheet", pothole[0], "--kind", "start", "--role", "crew")
    ctl(office_db(tmp), "worksheet", pothole[0], "--kind", "done", "--role", "crew", "--note",
        "چاله با آسفالت گرم پر شد")
    office.wait("the list follows by itself: the group's three without a phone, and the one "
                "with a phone whose text message is on its way",
                lambda: office.untold() == sorted([(light, "no-phone"), (pothole[0], "no-phone"),
                                                   (pothole[1], "no-phone"), (phone, "queued")]))
    office.wait("its title counts four",
                lambda: any(re.match(untold_title(4), label) for label in office.labels()))
    office.shoot("dashboard-1366x768-untold")
    back(office)
    office.wait("after the group is done, four citizens are owed an answer, none told",
                lambda: coverage_is(office, "0", "0", "4"))

    # Citizens without a phone look their codes up on the server's track page, while the
    # figures are shown: they follow by themselves.
    for code in (light,) + tuple(pothole):
        look_up(port, code)
    office.wait("after three look-ups coverage is 75% (3 of 4)",
                lambda: coverage_is(office, "75", "3", "4"))
    office.shoot("dashboard-1366x768")
    office.press(_("Feedback coverage") + ": ", prefix=True)
    office.wait("only the citizen whose text message is on its way is left",
                lambda: office.untold() == [(phone, "queued")])
    rows = office.export(os.path.join(tmp, "not-told-2.csv"))
    check([(digits(r[0]), r[1]) for r in rows[1:]] == [(phone, WHY["queued"])],
          "the CSV follows the list: one row, on its way")
    back(office)

    # A figure opens its list: open messages → the All queue, exported whole.
    office.press(_("Open messages") + ": ", prefix=True)
    # The sidebar's row is named so too: the list's title makes a second one. (GTK clicks
    # 250 ms after the press answers, and the export travels on another bus: it waits.)
    office.wait("the open-messages figure opens the All queue",
                lambda: office.labels().count(_("All messages")) >= 2)
    rows = office.export(os.path.join(tmp, "all.csv"))
    texts = sorted(r[2] for r in rows[1:])
    check(len(rows) == 1 + len(MESSAGES) and texts == sorted(m["text"] for m in MESSAGES),
          "the All queue as CSV: one row per message, Persian, commas, quotes and newlines intact")
    check(sorted(digits(r[0]) for r in rows[1:]) == sorted(codes),
          "the CSV's codes are the store's")


def untold_title(n):
    return re.escape(_("Not told yet: %s") % str(n).translate(PERSIAN_DIGITS)) + "$"


def back(office):
    """Back to the figures, waiting until they are read anew. An AT-SPI press is only the start
    of a click: GTK clicks a button 250 ms after DoAction answers, and the figures' previous
    tiles stay in the tree (on the stack's hidden page) until then, under the same names. A
    press before the back click lands would hit a tile that the back click then removes, and
    nothing opens; so wait for the tiles of the figures read after the back click."""
    before = tile_path(office)
    office.press(_("Back to the dashboard"))
    office.wait("back on the dashboard's figures, read anew",
                lambda: tile_path(office) not in (None, before))


def tile_path(office):
    """The D-Bus path of the open-messages tile (a new one each time the figures are read)."""
    node = office.find(_("Open messages") + ": ", BUTTON_ROLES, wait=False, prefix=True)
    return node.path if node is not None else None


def office_db(tmp):
    return os.path.join(tmp, "server.db")


run_on_own_display(run, "payam-ui-dashboard-", ("office.log", "server.log"))
