#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The crew's day end to end (issue #12), through AT-SPI and xdotool on an Xvfb screen of
# 1366×768, with the real payam-server on 127.0.0.1 (TLS) and payamctl as the office:
#   the office sets up a crew with two members and gives it a hazard group of three
#   messages, a lamp and a pothole; the crew laptop enrols and syncs; the server stops;
#   a member signs in (a wrong PIN first), starts the most urgent worksheet, adds a before
#   photo (videotestsrc), a note, an after photo and marks it done with an outcome phrase
#   (done without a phrase is refused first); prints it (PDF: pdftotext, QR by zbarimg);
#   marks the lamp not possible with a reason (refused without one first); the server
#   starts again; after the laptop's sync the office's store holds both outcomes, the
#   photos' bytes, the member's name on the actions and a notice for each of the three
#   citizens, and nothing was refused; the office gives the pothole to another crew and
#   the laptop shows it taken back. Then, on a laptop without a camera and with the keyboard
#   alone (xdotool keys, no pointer): sign-in (name by the arrows, PIN typed), the worksheets
#   by the arrows, start, a note, Tab to every action (each named in Persian); the camera
#   window says there is none and offers a folder; a file that is not a photo and one over
#   the size limit are refused in Persian with nothing lost; the same and a working camera in
#   the daylight style. PAYAM_UI_SHOTS=DIR keeps a screenshot of each screen
#   (tests/screenshots/ holds them as last looked at).
import json
import os
import re
import shutil
import subprocess
import time

from payam_ui import *  # noqa: F401,F403 (arguments, skips, tree, server, display)

# How long one key press may take to move the focus or fill a field, and a file chooser to
# take its path, before the step is tried again (generous: the suite runs beside stress-ng).
FOCUS_LIMIT = 15.0

for tool in ("pdftoppm", "pdftotext", "zbarimg"):
    if shutil.which(tool) is None:
        skip(tool + " is not installed (scripts/install-deps)")

with open(os.path.join(source_root, "src", "core", "data", "outcomes.json"),
          encoding="utf-8") as f:
    OUTCOMES = json.load(f)["outcomes"]

class Crew:
    """One run of `payam --mode crew` on the laptop's store."""

    def __init__(self, tmp, db, extra_env=None):
        self.tmp = tmp
        env = dict(os.environ)
        if CHILD_G_DEBUG is not None:
            env["G_DEBUG"] = CHILD_G_DEBUG
        env["GTK_A11Y"] = "atspi"
        env.pop("NO_AT_BRIDGE", None)
        env["PAYAM_KIOSK_CAMERA"] = "videotestsrc is-live=true"
        env["PAYAM_PRINT_PDF"] = os.path.join(tmp, "worksheet.pdf")
        env.update(extra_env or {})
        # GTK 4.8 warns (fatal here) when a text field's cursor blinks while another window
        # (the camera's) holds the X focus; a blinking cursor is nothing this test checks.
        config = os.path.join(tmp, "config")
        os.makedirs(os.path.join(config, "gtk-4.0"), exist_ok=True)
        with open(os.path.join(config, "gtk-4.0", "settings.ini"), "w") as f:
            f.write("[Settings]\ngtk-cursor-blink = false\n")
        env["XDG_CONFIG_HOME"] = config
        self.pdf = env["PAYAM_PRINT_PDF"]
        self.log = open(os.path.join(tmp, "crew.log"), "w")
        self.proc = subprocess.Popen([payam, "--mode", "crew", "--db", db], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.app = None
        start = time.monotonic()
        while time.monotonic() - start < WAIT_LIMIT:
            self.app = self.find_app()
            if self.app is not None and self.find(_("Who is signing in?"), wait=False):
                break
            time.sleep(0.2)
        if self.app is None or self.find(_("Who is signing in?"), wait=False) is None:
            self.stop()
            raise Broken("the crew window did not appear on the accessibility bus")

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

    def find(self, name, roles=None, wait=True, contains=False):
        start = time.monotonic()
        while True:
            for node in walk(self.app):
                try:
                    node_name = node.name
                    if (node_name in (name, name + " " + name)
                        or (contains and name in node_name)) \
                       and (roles is None or node.getRole() in roles):
                        return node
                except Exception:
                    continue
            if not wait or time.monotonic() - start > WAIT_LIMIT:
                return None
            time.sleep(0.2)

    def need(self, name, roles=None, contains=False):
        node = self.find(name, roles, contains=contains)
        if node is None:
            self.shoot("missing")
            raise Broken("no control named “%s”" % name)
        return node

    def click(self, name, roles=BUTTON_ROLES, contains=False):
        node = self.need(name, roles, contains)
        start = time.monotonic()
        while not node.getState().contains(pyatspi.STATE_SENSITIVE):
            if time.monotonic() - start > WAIT_LIMIT:
                raise Broken("“%s” stays disabled" % name)
            time.sleep(0.2)
        action = node.queryAction()
        for i in range(action.nActions):
            if action.getName(i) == "click":
                action.doAction(i)
                break
        else:
            raise Broken("“%s” cannot be pressed" % name)
        time.sleep(0.3)

    def tap(self, node):
        """Click @node in its middle with the pointer (lists, drop-downs, entries); one out
        of view is focused first, which scrolls it into view."""
        x, y, w, h = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        if y < 0 or y + h > SIZE[1] - 80:
            node.queryComponent().grabFocus()
            time.sleep(0.3)
            x, y, w, h = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        self.xdo("mousemove", str(x + w // 2), str(y + h // 2), "click", "1")
        time.sleep(0.4)

    def xdo(self, *args):
        subprocess.run(["xdotool"] + list(args), check=True)

    def type_into(self, name, text):
        node = self.need(name, {pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY})
        self.tap(node)
        for _attempt in range(3):
            self.xdo("type", "--delay", "60", text)
            start = time.monotonic()
            while text_of(node) != text and time.monotonic() - start < FOCUS_LIMIT:
                time.sleep(0.1)
            if text_of(node) == text:
                return
            self.xdo("key", "ctrl+a", "Delete")
        raise Broken("“%s” did not take the text" % name)

    def choose(self, dropdown, index, item):
        """Open the drop-down named @dropdown and pick its @index-th entry (@item) with the
        keys, as a crew member with a keyboard would (its list is a popover of its own)."""
        node = self.need(dropdown, contains=True)
        self.tap(node)
        time.sleep(0.5)
        for _i in range(index):
            self.xdo("key", "Down")
            time.sleep(0.15)
        self.xdo("key", "Return")
        time.sleep(0.5)
        if self.find(item, {pyatspi.ROLE_LABEL}, wait=False) is None:
            self.shoot("dropdown")
            raise Broken("“%s” was not chosen in “%s”" % (item, dropdown))

    def labels(self):
        out = []
        for node in walk(self.app):
            try:
                # GTK 4.8 does not tell which labels show: hidden ones are emptied.
                if node.getRole() == pyatspi.ROLE_LABEL:
                    out.append(node.name or text_of(node))
            except Exception:
                continue
        return out

    def wait_label(self, pattern, what):
        start = time.monotonic()
        while time.monotonic() - start < WAIT_LIMIT:
            for label in self.labels():
                if re.search(pattern, label):
                    return label
            time.sleep(0.3)
        self.shoot("wait-" + re.sub(r"\W", "", what)[:20])
        raise Broken(what)

    def unnamed_controls(self):
        """Controls without a name (each must be named for AT-SPI, in Persian)."""
        unnamed = []
        for node in walk(self.app):
            try:
                if node.getRole() in CONTROL_ROLES and not node.name.strip():
                    parent = node.parent
                    unnamed.append("%s in %s" % (node.getRoleName(),
                                                 parent.name if parent else "?"))
            except Exception:
                continue
        return unnamed

    def shoot(self, what):
        folder = os.environ.get("PAYAM_UI_SHOTS")
        if folder:
            subprocess.run(["import", "-window", "root", os.path.join(folder, what + ".png")])

    # ---- the keyboard alone (no pointer) -------------------------------------------------

    def focus_window(self, newest=False):
        """Give the crew's main window (@newest: the window opened last, a camera or a file
        chooser) the X keyboard focus, as a window manager would when it opens (Xvfb runs
        none); no pointer click."""
        start = time.monotonic()
        while time.monotonic() - start < WAIT_LIMIT:
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid",
                                    str(self.proc.pid)], capture_output=True, text=True)
            windows = found.stdout.split()
            if windows:
                # The largest is the main window (a camera window is smaller).
                def area(w):
                    geo = subprocess.run(["xdotool", "getwindowgeometry", "--shell", w],
                                         capture_output=True, text=True).stdout
                    values = dict(l.split("=", 1) for l in geo.split() if "=" in l)
                    return int(values.get("WIDTH", 0)) * int(values.get("HEIGHT", 0))
                self.xdo("windowfocus", "--sync",
                         max(windows, key=int) if newest else max(windows, key=area))
                return
            time.sleep(0.2)
        raise Broken("no window of the crew to give the keyboard to")

    def key(self, *keys):
        self.xdo("key", "--delay", "80", *keys)

    def focused(self):
        """The node that holds the keyboard focus, or None."""
        for node in walk(self.app):
            try:
                if node.getState().contains(pyatspi.STATE_FOCUSED):
                    return node
            except Exception:
                continue
        return None

    def wait_focus(self, previous):
        """The focused node once the focus left @previous (None: any)."""
        start = time.monotonic()
        while time.monotonic() - start < FOCUS_LIMIT:
            node = self.focused()
            if node is not None and (previous is None or node != previous):
                return node
            time.sleep(0.1)
        return self.focused()

    def tab_to(self, name, seen, limit=60, contains=True, role=None):
        """Press Tab until the control named @name (or, with @role, any node of that role)
        holds the focus; every control met on the way goes into @seen (name → role).
        Returns the focused node."""
        node = self.focused()
        met = []
        for _i in range(limit):
            if node is not None:
                try:
                    node_role, node_name = node.getRole(), node.name
                    # A drop-down's button takes the focus; the drop-down holds the name.
                    names = [node_name, node.parent.name if node.parent else ""]
                except Exception:
                    node_role, node_name, names = None, "", []
                if node_role in CONTROL_ROLES:
                    seen[node_name or "(%s without a name in %s)"
                         % (node.getRoleName(), names[1])] = node_role
                met.append(node_name)
                if (role is not None and node_role == role) or \
                   (role is None and any(n == name or (contains and name in n) for n in names)):
                    return node
            self.key("Tab")
            node = self.wait_focus(node)
        self.shoot("tab-" + re.sub(r"\W", "", name or "")[:20])
        raise Broken("Tab never reached “%s” (met: %s)" % (name, " | ".join(met[:40])))

    def type_keys(self, node, text):
        """Type @text into the focused field @node with the keyboard."""
        for _attempt in range(3):
            self.xdo("type", "--delay", "60", text)
            start = time.monotonic()
            while text_of(node) != text and time.monotonic() - start < FOCUS_LIMIT:
                time.sleep(0.1)
            if text_of(node) == text:
                return
            self.key("ctrl+a", "Delete")
        raise Broken("the field did not take “%s” from the keyboard" % text)

    def title(self):
        for label in self.labels():
            if " — " in label and any(label.startswith(c + " — ") for c in CATEGORIES.values()):
                return label
        return ""

    def import_file(self, path):
        """In the file chooser that just opened: type @path (Ctrl+L) and press Enter."""
        entry = None
        start = time.monotonic()
        # The chooser may map a moment after it is asked for: focus the newest window and
        # ask for the location field until it shows.
        while entry is None and time.monotonic() - start < WAIT_LIMIT:
            self.focus_window(newest=True)
            self.key("ctrl+l")
            wait = time.monotonic()
            while entry is None and time.monotonic() - wait < FOCUS_LIMIT:
                node = self.focused()
                if node is not None and \
                   node.getRole() in {pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY}:
                    entry = node
                else:
                    time.sleep(0.2)
        if entry is None:
            self.shoot("chooser")
            raise Broken("the file chooser's location field did not take the focus")
        self.type_keys(entry, path)
        # The location field may first take Return for its completion: press it until the
        # chooser goes.
        for _attempt in range(4):
            self.key("Return")
            start = time.monotonic()
            while time.monotonic() - start < FOCUS_LIMIT:
                # A field of a window that went away reads as empty.
                if text_of(entry) != path:
                    return
                time.sleep(0.2)
        self.shoot("chooser-stays")
        raise Broken("the file chooser did not take “%s”" % path)

    def take_photos(self, button):
        """Press @button, take one photo in the camera window and save it."""
        self.click(button)
        self.click(_("Take a photo"))
        self.shoot("crew-camera")
        self.click(_("Save photos"))
        self.wait_label(re.escape(_("The photos are saved on this laptop.")),
                        "the photo was not saved")


def office_setup(tmp, port):
    """The office (an enrolled desk) sets up the crew and its work; the laptop enrols."""
    server_db, office_db, laptop_db = (os.path.join(tmp, n + ".db")
                                       for n in ("server", "office", "laptop"))
    url = "https://127.0.0.1:%d" % port
    code = ctl(server_db, "enrol-code", "--role", "office", "--ttl", "1").splitlines()[-1]
    ctl(office_db, "enrol", url, code)
    lines = [
        {"text": "دریچهٔ منهول جلوی مدرسه باز مانده و برای بچه‌ها خطرناک است",
         "category": "manhole-sewer", "neighbourhood": "tohid", "street": "خیابان توحید",
         "landmark": "مدرسه", "lat": 35.7042, "lon": 51.3695, "phone": "09351234567",
         "hazard": True, "channel": "kiosk"},
        {"text": "درِ منهول کنار مدرسهٔ توحید نیست، یک نفر نزدیک بود بیفتد",
         "category": "manhole-sewer", "neighbourhood": "tohid", "street": "خیابان توحید",
         "phone": "09121234567", "hazard": True, "channel": "kiosk"},
        {"text": "منهول بی‌درپوش روبه‌روی مدرسه", "category": "manhole-sewer",
         "neighbourhood": "tohid", "street": "خیابان توحید", "hazard": True,
         "channel": "phone"},
        {"text": "لامپ‌های تیر برق کوچه چند شب است خاموش است", "category": "lighting",
         "neighbourhood": "daryan-e-no", "phone": "09361234500", "channel": "kiosk"},
        {"text": "چاله بزرگ وسط خیابان، ماشین‌ها آسیب می‌بینند", "category": "asphalt",
         "neighbourhood": "tohid", "street": "خیابان توحید", "channel": "office"},
    ]
    jsonl = os.path.join(tmp, "requests.jsonl")
    with open(jsonl, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    ctl(office_db, "import", jsonl)
    codes = {}
    for cat in ("manhole-sewer", "lighting", "asphalt"):
        codes[cat] = [r[0] for r in query(office_db, "SELECT tracking_code FROM request WHERE "
                                          "category_id = ? ORDER BY created_at, tracking_code",
                                          cat)]
    manhole = codes["manhole-sewer"]
    ctl(office_db, "merge", manhole[0], manhole[1])
    ctl(office_db, "merge", manhole[0], manhole[2])
    ctl(office_db, "crew", "add", "--name", "اکیپ توحید ۱")
    ctl(office_db, "crew", "member", "add", "اکیپ توحید ۱", "--name", "مریم احمدی",
        "--pin", "۲۴۶۸")
    ctl(office_db, "crew", "member", "add", "اکیپ توحید ۱", "--name", "علی رضایی",
        "--pin", "1357")
    # A third member the office disabled: not offered on the laptop's sign-in.
    ctl(office_db, "crew", "member", "add", "اکیپ توحید ۱", "--name", "حسن صادقی",
        "--pin", "8642")
    ctl(office_db, "crew", "member", "disable", "اکیپ توحید ۱", "--name", "حسن صادقی")
    ctl(office_db, "crew", "add", "--name", "اکیپ دریان‌نو")
    ctl(office_db, "crew", "member", "add", "اکیپ دریان‌نو", "--name", "رضا کریمی",
        "--pin", "9999")
    for code in (manhole[0], codes["lighting"][0], codes["asphalt"][0]):
        ctl(office_db, "assign", code, "--crew", "اکیپ توحید ۱")
    ctl(office_db, "sync")
    code = ctl(server_db, "enrol-code", "--role", "crew", "--crew", "اکیپ توحید ۱",
               "--ttl", "1").splitlines()[-1]
    ctl(laptop_db, "enrol", url, code)
    ctl(laptop_db, "sync")
    return server_db, office_db, laptop_db, codes


def grouped(code):
    """A code as the printed worksheet shows it in Latin digits: 4-7-1 groups."""
    return "%s %s %s" % (code[:4], code[4:11], code[11:])


def run(tmp):
    port = free_port()
    server = Server(tmp, port)
    for name in ("server", "office", "laptop"):
        ctl(os.path.join(tmp, name + ".db"), "init")
    server.start()
    server_db, office_db, laptop_db, codes = office_setup(tmp, port)
    manhole = codes["manhole-sewer"]
    check(query(laptop_db, "SELECT count (*) FROM crew_member")[0][0] == 3,
          "the laptop holds its own crew's three members, not the other crew's")
    check(query(laptop_db, "SELECT count (*) FROM crew_member WHERE pin_hash LIKE "
                "'$argon2id$%'")[0][0] == 3, "the laptop holds PIN hashes only")
    check(query(laptop_db, "SELECT active FROM crew_member WHERE name = 'حسن صادقی'")
          == [(0,)], "the laptop knows the disabled member is disabled")
    server.stop()

    crew = Crew(tmp, laptop_db)
    try:
        crew.shoot("crew-signin")
        crew.need("مریم احمدی")
        check(crew.find("حسن صادقی", wait=False) is None,
              "a member the office disabled is not offered for sign-in")
        # A wrong PIN is refused in Persian, counting the tries left.
        crew.tap(crew.need("مریم احمدی"))
        for digit in "1111":
            crew.click(digit.translate(PERSIAN_DIGITS))
        crew.click(_("Sign in"))
        crew.wait_label(fmt("The PIN is not right. Enter it again (%s tries left)."),
                        "a wrong PIN was not refused with a message")
        check(True, "a wrong PIN is refused with a Persian message")
        crew.shoot("crew-signin-wrong-pin")
        for digit in "2468":
            crew.click(digit.translate(PERSIAN_DIGITS))
        crew.click(_("Sign in"))
        crew.wait_label(fmt("Signed in: %s"), "the member was not signed in")
        check(True, "the member signs in with the PIN typed on the screen's pad")
        crew.wait_label(fmt("To do: %s · overdue: %s · finished today: %s"), "no counts")
        counts = crew.wait_label(fmt("To do: %s · overdue: %s · finished today: %s"), "")
        check("۳" in counts, "the counts say three worksheets to do in Persian digits (%s)"
              % counts)
        crew.shoot("crew-list")
        unnamed = crew.unnamed_controls()
        check(not unnamed, "every control of the sign-in, the list and the detail has a name "
              "(without: %s)" % "; ".join(unnamed[:8]))

        # The most urgent (the hazard group) is first and open.
        title = crew.wait_label(re.escape(CATEGORIES["manhole-sewer"]) + " — ",
                                "the most urgent worksheet is not shown first")
        check(manhole[0][:4].translate(PERSIAN_DIGITS) in title,
              "the most urgent worksheet (the hazard group of three) opens first")
        check(crew.find(_("%s message").replace("%s", "۳"), contains=True, wait=False)
              is not None or any("۳" in l and "پیام" in l for l in crew.labels()),
              "its row says it serves three messages")

        crew.click(_("Start the work"))
        crew.wait_label(re.escape(_("The work has started. It is saved on this laptop.")),
                        "start was not saved")
        crew.take_photos(_("Photo before (camera)"))
        crew.type_into(_("Note"), "دریچه با نوار ایمنی بسته شد")
        crew.click(_("Save the note"))
        crew.wait_label(re.escape(_("The note is saved. Citizens never see it.")),
                        "the note was not saved")
        crew.click(_("Done"))
        crew.wait_label(fmt("Take or add at least one photo of the finished work (after "
                            "photo) before marking it done."),
                        "done without an after photo was not refused")
        check(True, "done without an after photo is refused with what to do")
        crew.take_photos(_("Photo after (camera)"))
        crew.click(_("Done"))
        crew.wait_label(fmt("Choose what was done from the list of outcomes; you may add a "
                            "few words after it."), "done without a phrase was not refused")
        check(True, "done without an outcome phrase is refused with what to do")
        phrase = OUTCOMES["manhole-sewer"][0]
        crew.choose(_("What was done"), 1, phrase)
        crew.type_into(_("More words for the citizens"), "با درپوش چدنی")
        crew.click(_("Done"))
        crew.wait_label(re.escape(_("Marked done. Every citizen of this worksheet will be "
                                    "told.")), "done was not saved")
        check(True, "done is recorded with an outcome phrase and words")
        crew.shoot("crew-detail-done")

        crew.click(_("Print the worksheet"))
        crew.wait_label(re.escape(_("The worksheet was sent to the printer.")),
                        "the worksheet was not printed")
        text = subprocess.run(["pdftotext", crew.pdf, "-"], capture_output=True,
                              text=True).stdout
        check(grouped(manhole[0]) in text,
              "the printed worksheet has the code in Latin digits (%s)" % grouped(manhole[0]))
        png = os.path.join(tmp, "worksheet")
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", crew.pdf, png],
                       check=True)
        qr = subprocess.run(["zbarimg", "--quiet", "--raw", png + ".png"],
                            capture_output=True, text=True).stdout.strip()
        check(qr == manhole[0], "the worksheet's QR code reads its tracking code (%r)" % qr)

        # The lamp: not possible, with a reason.
        crew.tap(crew.need(CATEGORIES["lighting"], contains=True))
        crew.wait_label(re.escape(CATEGORIES["lighting"]) + " — ", "the lamp did not open")
        crew.click(_("Not possible"))
        crew.wait_label(fmt("Choose why the work is not possible."),
                        "not possible without a reason was not refused")
        check(True, "not possible without a reason is refused with what to do")
        crew.choose(_("Why it is not possible"), 2, _("Needs another agency"))
        crew.type_into(_("What you saw"), "تیر برق مال شرکت برق است")
        crew.click(_("Not possible"))
        crew.wait_label(re.escape(_("Marked not possible. The worksheet goes back to the "
                                    "office to decide.")), "not possible was not saved")
        check(True, "not possible is recorded with a reason from the list and words")
        crew.shoot("crew-not-possible")

        # The crew puts the lamp before the manhole in its route: kept on the laptop only.
        crew.click(_("Earlier in the route"))
        route = [r[0] for r in query(laptop_db, "SELECT w.id FROM route_order o JOIN worksheet w "
                                     "ON w.id = o.worksheet_id ORDER BY o.position")]
        lamp_sheet = query(laptop_db, "SELECT w.id FROM worksheet w JOIN request r ON "
                           "r.group_id = w.group_id WHERE r.tracking_code = ?",
                           codes["lighting"][0])[0][0]
        check(route[:1] == [lamp_sheet] and len(route) == 3,
              "“earlier in the route” puts the lamp first in the route kept on the laptop")
        check(query(laptop_db, "SELECT count (*) FROM outbox WHERE entity LIKE 'route%'")[0][0]
              == 0, "the route is not sent to the office")

        # Back in reach of the office: the laptop sends everything.
        server.start()
        crew.click(_("Sync now"))
        start = time.monotonic()
        while time.monotonic() - start < WAIT_LIMIT * 2:
            if query(laptop_db, "SELECT count (*) FROM outbox")[0][0] == 0 and \
               query(server_db, "SELECT count (*) FROM photo WHERE bytes IS NULL")[0][0] == 0 \
               and query(server_db, "SELECT count (*) FROM photo")[0][0] >= 2:
                break
            time.sleep(0.5)
        check(query(laptop_db, "SELECT count (*) FROM outbox")[0][0] == 0,
              "after the sync nothing waits on the laptop")
        check(query(laptop_db, "SELECT count (*) FROM sync_refused")[0][0] == 0,
              "the server refused nothing the crew recorded")
        ctl(office_db, "sync")
        statuses = dict(query(office_db, "SELECT r.tracking_code, r.status FROM request r"))
        check(all(statuses[c] == "done" for c in manhole),
              "the office sees all three messages of the group done")
        check(statuses[codes["lighting"][0]] == "not_possible",
              "the office sees the lamp not possible")
        check(query(office_db, "SELECT count (*) FROM worksheet_action_photo ap JOIN photo p "
                    "ON p.sha256 = ap.sha256 WHERE p.bytes IS NOT NULL")[0][0] >= 2,
              "the office holds the before and after photos' bytes")
        actors = {r[0] for r in query(office_db, "SELECT actor FROM worksheet_action WHERE "
                                      "kind IN ('start', 'before', 'after', 'note', 'done', "
                                      "'not_possible')")}
        check(actors == {"مریم احمدی"}, "every action is under the member's name (%s)"
              % ", ".join(sorted(actors)))
        timeline = json.loads(ctl(office_db, "timeline", manhole[1], "--json"))
        done_by = [e.get("actor") for e in timeline["entries"]
                   if e["kind"] == "action" and e.get("action") == "done"]
        check(done_by == ["مریم احمدی"], "another member's timeline shows the done under the "
              "member's name (%s)" % done_by)
        check("مریم احمدی" in ctl(office_db, "timeline", manhole[2]),
              "the timeline for people names the member too")
        notices = query(office_db, "SELECT r.tracking_code, n.text FROM notice n JOIN request r "
                        "ON r.id = n.request_id WHERE n.kind = 'outcome' AND n.state = 'pending'")
        told = {c for c, t in notices if phrase in t}
        check(told == set(manhole), "a notice with the outcome waits for each of the three "
              "citizens (%d)" % len(told))
        check(query(server_db, "SELECT count (*) FROM conflict WHERE kind = 'rejected'")[0][0]
              == 0, "no op was refused on the server")

        # The office joins a new message to the pothole's worksheet: the crew is told.
        extra = os.path.join(tmp, "extra.jsonl")
        with open(extra, "w", encoding="utf-8") as f:
            f.write(json.dumps({"text": "چاله‌ای بزرگ در خیابان توحید که ماشین‌ها در آن "
                                "می‌افتند", "category": "asphalt", "neighbourhood": "tohid",
                                "street": "خیابان توحید", "channel": "phone"},
                               ensure_ascii=False) + "\n")
        ctl(office_db, "import", extra)
        newest = query(office_db, "SELECT tracking_code FROM request WHERE category_id = "
                       "'asphalt' AND tracking_code != ?", codes["asphalt"][0])[0][0]
        # The crew holds the pothole: a merge needs the office's reason (refused without).
        refused = subprocess.run([payamctl, "--db", office_db, "merge", codes["asphalt"][0],
                                  newest], capture_output=True, text=True)
        check(refused.returncode == 1, "a merge into a worksheet a crew holds is refused "
              "without a reason (%s)" % refused.stderr.strip())
        join_why = "همان چاله است؛ شهروند دیگری از خیابان توحید خبر داد"
        ctl(office_db, "merge", codes["asphalt"][0], newest, "--reason", join_why)
        ctl(office_db, "sync")
        crew.click(_("Sync now"))
        toast = crew.wait_label(fmt("The office changed worksheet %s %s: %s — %s. Look at it "
                                    "again before you go on."),
                                "a worksheet the office changed was not told")
        check(join_why in toast and _("the messages it serves") in toast,
              "a worksheet the office changed (a message joined it) is told with what and why, "
              "not overwritten in silence (%s)" % toast)
        crew.shoot("crew-changed")

        # The office makes the pothole urgent, with its reason: the crew is told what and why.
        why = "کارشناس بازدید کرد؛ چاله عمیق‌تر از گزارش است"
        ctl(office_db, "triage", codes["asphalt"][0], "--priority", "urgent", "--reason", why)
        ctl(office_db, "sync")
        crew.click(_("Sync now"))
        toast = crew.wait_label("(?s)^(?=.*%s).*" % re.escape(why) +
                                fmt("The office changed worksheet %s %s: %s — %s. Look at it "
                                    "again before you go on."),
                                "the office's change was not told with its reason")
        check(why in toast and _("its priority") in toast,
              "the crew is told what the office changed and why (%s)" % toast)
        crew.tap(crew.need(CATEGORIES["asphalt"], contains=True))
        line = crew.wait_label(fmt("Changed by the office (%s): %s — %s"),
                               "the detail does not say what the office changed and why")
        check(why in line and _("its priority") in line and
              not re.search("[0-9]", line.replace(why, "")),
              "the detail says «changed by the office (Jalali time): what — why» in Persian "
              "digits (%s)" % line)
        check(query(laptop_db, "SELECT count (*) FROM audit WHERE action = 'office-why' AND "
                    "json_extract (detail, '$.why') = ?", why)[0][0] >= 1,
              "the laptop keeps the office's reason in its audit")
        crew.shoot("crew-changed-why")

        # The office takes the joined message out again, with its reason: the crew is told
        # a message was taken out of its group, and why; its timeline says so too.
        split_why = "بازرس دید که این گزارش دربارهٔ کوچهٔ پشتی است"
        ctl(office_db, "split", newest, "--reason", split_why)
        ctl(office_db, "sync")
        crew.click(_("Sync now"))
        toast = crew.wait_label("(?s)^(?=.*%s).*" % re.escape(split_why) +
                                fmt("The office changed worksheet %s %s: %s — %s. Look at it "
                                    "again before you go on."),
                                "the split was not told with its reason")
        check(split_why in toast and _("a message taken out of its group") in toast,
              "the crew is told a message was taken out of the group, and why (%s)" % toast)
        crew.tap(crew.need(CATEGORIES["asphalt"], contains=True))
        line = crew.wait_label(fmt("Changed by the office: %s") + ".*" + re.escape(split_why),
                               "the timeline does not show the office's split and its reason")
        check(_("a message taken out of its group") in line,
              "the worksheet's timeline shows the office's change, what and why (%s)" % line)
        crew.shoot("crew-split-why")

        # The office gives the pothole to the other crew: the laptop shows it taken back.
        moved_why = "اکیپ دریان‌نو ابزار آسفالت گرم دارد"
        ctl(office_db, "assign", codes["asphalt"][0], "--crew", "اکیپ دریان‌نو", "--reason",
            moved_why)
        ctl(office_db, "sync")
        crew.click(_("Sync now"))
        toast = crew.wait_label(fmt("%s The office's reason: %s"),
                                "the worksheet taken back was not told with the reason")
        check(moved_why in toast and _("The office has given this work to another crew. It can "
                                       "no longer be changed here; what was recorded before "
                                       "goes to the office to decide.") in toast,
              "the crew is told the work was taken back, and why (%s)" % toast)
        crew.wait_label(re.escape(_("Taken back by the office")),
                        "the reassigned worksheet was not shown taken back")
        check(True, "a worksheet the office gave to another crew shows taken back")
        crew.tap(crew.need(CATEGORIES["asphalt"], contains=True))
        crew.wait_label(re.escape(_("The office has given this work to another crew. It can "
                                    "no longer be changed here; what was recorded before goes "
                                    "to the office to decide.")),
                        "the detail does not say why")
        check(True, "its detail says why, and it can no longer be changed")
        line = crew.wait_label(fmt("Changed by the office (%s): %s — %s"), "no office line")
        check(moved_why in line and _("the crew it is given to") in line,
              "the detail gives the office's reason for taking it back (%s)" % line)
        crew.shoot("crew-withdrawn")

        # The day's list on one sheet, in the list's order (route, else most urgent first).
        crew.click(_("Print the day's list"))
        start = time.monotonic()
        text = ""
        while time.monotonic() - start < WAIT_LIMIT:
            text = subprocess.run(["pdftotext", crew.pdf, "-"], capture_output=True,
                                  text=True).stdout
            if grouped(codes["asphalt"][0]) in text:
                break
            time.sleep(0.3)
        order = [text.find(grouped(c)) for c in (codes["lighting"][0], manhole[0],
                                                 codes["asphalt"][0])]
        check(all(p >= 0 for p in order) and order == sorted(order),
              "the printed day's list has the three worksheets in route order")

        crew.click(_("Large text for daylight"))
        toggle = crew.need(_("Large text for daylight"))

        def pressed():
            state = toggle.getState()
            return state.contains(pyatspi.STATE_PRESSED) or state.contains(pyatspi.STATE_CHECKED)
        start = time.monotonic()
        while not pressed() and time.monotonic() - start < WAIT_LIMIT:
            time.sleep(0.2)
        check(pressed(), "the large-text style is on (its toggle is pressed)")
        crew.shoot("crew-large-text")
        # Every worksheet screen in the large-text style too: done, not possible, changed.
        for cat, shot in (("manhole-sewer", "crew-large-text-done"),
                          ("lighting", "crew-large-text-not-possible"),
                          ("asphalt", "crew-large-text-changed-withdrawn")):
            crew.tap(crew.need(CATEGORIES[cat], contains=True))
            crew.wait_label(re.escape(CATEGORIES[cat]) + " — ", "%s did not open" % cat)
            crew.shoot(shot)
        crew.click(_("Lock (sign out)"))
        start = time.monotonic()
        while any(re.search(fmt("Signed in: %s"), l) for l in crew.labels()) and \
                time.monotonic() - start < WAIT_LIMIT:
            time.sleep(0.3)
        check(not any(re.search(fmt("Signed in: %s"), l) for l in crew.labels()),
              "lock signs the member out")
        crew.shoot("crew-signin-large-text")
    finally:
        crew.stop()
        server.stop()

    # Left alone, the session locks itself (the limit is 10 minutes; here 3 seconds).
    idle = Crew(tmp, laptop_db, {"PAYAM_CREW_IDLE_SECONDS": "3"})
    try:
        idle.tap(idle.need("علی رضایی"))
        for digit in "1357":
            idle.click(digit.translate(PERSIAN_DIGITS))
        idle.click(_("Sign in"))
        idle.wait_label(fmt("Signed in: %s"), "the second member was not signed in")
        start = time.monotonic()
        while any(re.search(fmt("Signed in: %s"), l) for l in idle.labels()) and \
                time.monotonic() - start < WAIT_LIMIT:
            time.sleep(0.5)
        check(not any(re.search(fmt("Signed in: %s"), l) for l in idle.labels()),
              "an idle session locks itself (after %.0f s with a 3 s limit)"
              % (time.monotonic() - start))
    finally:
        idle.stop()

    # The keyboard alone, and a laptop without a camera: a new worksheet for the crew.
    server.start()
    try:
        extra = os.path.join(tmp, "keys.jsonl")
        with open(extra, "w", encoding="utf-8") as f:
            f.write(json.dumps({"text": "کیسه‌های زباله کنار پارک مانده و بو می‌دهد",
                                "category": "waste", "neighbourhood": "tohid",
                                "street": "خیابان توحید", "channel": "phone"},
                               ensure_ascii=False) + "\n")
        ctl(office_db, "import", extra)
        waste = query(office_db, "SELECT tracking_code FROM request WHERE category_id = "
                      "'waste'")[0][0]
        ctl(office_db, "assign", waste, "--crew", "اکیپ توحید ۱")
        ctl(office_db, "sync")
        ctl(laptop_db, "sync")
    finally:
        server.stop()
    not_image = os.path.join(tmp, "list-of-the-day.jpg")
    with open(not_image, "w", encoding="utf-8") as f:
        f.write("فهرست کارهای امروز\n")
    too_large = os.path.join(tmp, "card-dump.jpg")
    with open(too_large, "wb") as f:
        # A JPEG's first bytes, then nothing written up to 30 MB (a sparse file).
        f.write(b"\xff\xd8\xff\xe0")
        f.truncate(30 * 1024 * 1024)
    keys = Crew(tmp, laptop_db, {"PAYAM_KIOSK_CAMERA": "payamnosuchcamerasrc"})
    seen = {}
    try:
        keys.focus_window()
        # Sign in: the second name of the list with the arrow keys, the PIN typed.
        keys.tab_to(None, seen, role=pyatspi.ROLE_LIST_ITEM)
        keys.key("Down")
        pin = keys.tab_to(_("PIN"), seen, contains=False)
        keys.type_keys(pin, "2468")
        keys.key("Return")
        signed = keys.wait_label(fmt("Signed in: %s"), "the keyboard did not sign in")
        check("مریم احمدی" in signed, "the keyboard alone signs in: the name chosen with the "
              "arrow keys, the PIN typed (%s)" % signed)

        # The worksheets with the arrow keys, up to the new one.
        keys.tab_to(None, seen, role=pyatspi.ROLE_LIST_ITEM)
        titles = [keys.title()]
        for key in ["Down"] * 5 + ["Up"] * 5:
            if CATEGORIES["waste"] in titles[-1]:
                break
            keys.key(key)
            start = time.monotonic()
            while keys.title() == titles[-1] and time.monotonic() - start < 5:
                time.sleep(0.2)
            titles.append(keys.title())
        check(CATEGORIES["waste"] in titles[-1] and len(set(titles)) >= 2,
              "the arrow keys move through the worksheets and open each (%s)"
              % " | ".join(t.split(" — ")[0] for t in titles))

        keys.tab_to(_("Start the work"), seen)
        keys.key("Return")
        keys.wait_label(re.escape(_("The work has started. It is saved on this laptop.")),
                        "start from the keyboard was not saved")
        note = keys.tab_to(_("Note"), seen, contains=False)
        keys.type_keys(note, "کیسه‌ها جمع شد")
        keys.tab_to(_("Save the note"), seen)
        keys.key("Return")
        keys.wait_label(re.escape(_("The note is saved. Citizens never see it.")),
                        "the note from the keyboard was not saved")
        check(True, "start and a note are recorded from the keyboard")
        for name in (_("Photo before (camera)"), _("Photo before (from a folder)"),
                     _("Photo after (camera)"), _("Photo after (from a folder)"),
                     _("What was done"), _("More words for the citizens"), _("Done"),
                     _("Why it is not possible"), _("What you saw"), _("Not possible"),
                     _("Print the worksheet"), _("Sync now"), _("Lock (sign out)"),
                     _("Large text for daylight"), _("Print the day's list"),
                     _("Earlier in the route"), _("Later in the route"), _("Show")):
            keys.tab_to(name, seen)
        check(True, "Tab reaches every action of the worksheet and the window")
        unnamed = [n for n in seen if n.startswith("(")]
        latin = [n for n in seen if not n.startswith("(") and re.search("[A-Za-z]", n)]
        check(not unnamed and not latin, "every control the keyboard met has a Persian name "
              "(%d met; without: %s; not Persian: %s)"
              % (len(seen), "; ".join(unnamed), "; ".join(latin)))

        # No camera: the camera window says so and offers the folder; a file that is not
        # a photo and one too large are refused in Persian, and nothing is lost.
        before = query(laptop_db, "SELECT kind, note FROM worksheet_action ORDER BY at, id")
        keys.tab_to(_("Photo before (camera)"), seen)
        keys.key("Return")
        keys.wait_label(re.escape(_("There is no working camera on this laptop. Import the "
                                    "photos from a folder instead (a phone's memory card, "
                                    "for example).")),
                        "a missing camera was not told in Persian")
        check(True, "a missing camera is told in Persian, with what to do instead")
        keys.shoot("crew-camera-missing")
        keys.focus_window(newest=True)
        keys.tab_to(_("Import from a folder instead"), seen)
        keys.key("Return")
        keys.import_file(not_image)
        keys.focus_window()
        keys.wait_label(re.escape(_("Only JPEG or PNG photos can be added. Choose a photo in "
                                    "one of these formats.")),
                        "a file that is not a photo was not refused in Persian")
        check(True, "a file that is not a photo is refused in Persian (camera → folder)")
        keys.shoot("crew-import-not-image")
        keys.tab_to(_("Photo before (from a folder)"), seen)
        keys.key("Return")
        keys.import_file(too_large)
        keys.focus_window()
        limit = keys.wait_label(fmt("The photo is larger than %s MB. Take it again at a lower "
                                    "resolution or choose a smaller photo."),
                                "a photo too large was not refused in Persian")
        check("۲۰" in limit, "a photo too large is refused in Persian, naming the limit "
              "(%s)" % limit)
        keys.shoot("crew-import-too-large")
        after = query(laptop_db, "SELECT kind, note FROM worksheet_action ORDER BY at, id")
        check(after == before and ("note", "کیسه‌ها جمع شد") in after,
              "the refused files left the worksheet as it was (the start and note kept)")

        # The same in the daylight style.
        keys.tab_to(_("Large text for daylight"), seen)
        keys.key("space")
        keys.tab_to(_("Photo before (camera)"), seen)
        keys.key("Return")
        keys.need(_("Import from a folder instead"), BUTTON_ROLES)
        keys.shoot("crew-large-text-camera-missing")
        keys.focus_window(newest=True)
        keys.tab_to(_("Cancel"), seen, contains=False)
        keys.key("Return")
        start = time.monotonic()
        while keys.find(_("Import from a folder instead"), BUTTON_ROLES, wait=False) and \
                time.monotonic() - start < WAIT_LIMIT:
            time.sleep(0.2)
        keys.focus_window()
        keys.tab_to(_("Photo after (from a folder)"), seen)
        keys.key("Return")
        keys.import_file(not_image)
        keys.focus_window()
        keys.wait_label(re.escape(_("Only JPEG or PNG photos can be added. Choose a photo in "
                                    "one of these formats.")), "no message in large text")
        keys.shoot("crew-large-text-import-not-image")
    finally:
        keys.stop()

    # A working camera in the daylight style.
    n_after = query(laptop_db, "SELECT count (*) FROM worksheet_action WHERE kind = 'after'")[0][0]
    day = Crew(tmp, laptop_db)
    try:
        day.tap(day.need("مریم احمدی"))
        for digit in "2468":
            day.click(digit.translate(PERSIAN_DIGITS))
        day.click(_("Sign in"))
        day.wait_label(fmt("Signed in: %s"), "the member was not signed in again")
        day.click(_("Large text for daylight"))
        day.tap(day.need(CATEGORIES["waste"], contains=True))
        day.wait_label(re.escape(CATEGORIES["waste"]) + " — ", "the new worksheet did not open")
        day.click(_("Photo after (camera)"))
        day.click(_("Take a photo"))
        day.shoot("crew-large-text-camera")
        day.click(_("Save photos"))
        day.wait_label(re.escape(_("The photos are saved on this laptop.")),
                       "the photo was not saved in the daylight style")
        check(query(laptop_db, "SELECT count (*) FROM worksheet_action WHERE kind = 'after'")
              [0][0] == n_after + 1,
              "the camera works in the daylight style (a photo saved)")
    finally:
        day.stop()


run_on_own_display(run, "payam-ui-crew-", ("crew.log", "server.log"))
