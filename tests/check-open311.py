#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Open311 GeoReport v2 against the real payam-server on 127.0.0.1 (issue #15): every route in
# JSON and XML (the XML read with xml.etree), POST with api keys and its errors in the
# specification's shapes, paging and date filters, a request followed to closed, the
# dashboard client of tests/open311_client.py, and no phone or name filed in any GET.
# TAP output. Usage: check-open311.py PAYAM_SERVER PAYAMCTL
import base64
import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import open311_client  # noqa: E402

SERVER, CTL = sys.argv[1], sys.argv[2]
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "payamctl-requests.jsonl")
TMP = tempfile.mkdtemp(prefix="payam-open311-")
DB = os.path.join(TMP, "office.db")
count = 0
failed = 0
bodies = []   # every GET answer, for the privacy check


def check(ok, what):
    global count, failed
    count += 1
    print(("ok %d - %s" if ok else "not ok %d - %s") % (count, what), flush=True)
    if not ok:
        failed += 1


def ctl(*args):
    return subprocess.run([CTL, "--db", DB] + list(args), check=True, capture_output=True,
                          text=True).stdout


def wait_for(condition, limit):
    end = time.monotonic() + limit
    value = condition()
    while not value and time.monotonic() < end:
        time.sleep(0.05)
        value = condition()
    return value


ctl("init")
ctl("import", DATA)
imported = [json.loads(line) for line in open(DATA, encoding="utf-8") if line.strip()]
KEY = ctl("open311-key", "add", "civic-test").strip()
# One key per refused filing below, so the per-key rate limit is tested on its own.
CASE_KEYS = [ctl("open311-key", "add", "case-%d" % i).strip() for i in range(12)]
LIMITED = ctl("open311-key", "add", "busy-partner").strip()
REVOKED = ctl("open311-key", "add", "old-partner").strip()
ctl("open311-key", "revoke", "old-partner")
log_path = os.path.join(TMP, "log")
log = open(log_path, "w")
JURISDICTION = "tehran.d22"
bad = subprocess.run([SERVER, "--db", DB, "--listen", "127.0.0.1:0", "--open311-jurisdiction",
                      "منطقه ۲۲"], capture_output=True, text=True)
check(bad.returncode != 0 and "jurisdiction_id" in bad.stderr,
      "payam-server refuses a jurisdiction_id that is not Latin letters, digits, . _ -")
# This run reads more than a client would in a minute: its own limit is far away.
proc = subprocess.Popen([SERVER, "--db", DB, "--listen", "127.0.0.1:0",
                         "--state-dir", os.path.join(TMP, "state"),
                         "--open311-jurisdiction", JURISDICTION, "--open311-rate", "6000",
                         "--open311-burst", "6000"],
                        stdout=log, stderr=subprocess.STDOUT)


def port(path=log_path):
    m = re.search(r"^Listening on https://127\.0\.0\.1:(\d+)/$", open(path).read(), re.M)
    return int(m.group(1)) if m else None


PORT = wait_for(port, 30)
if not PORT:
    print("Bail out! the server did not start: " + open(log_path).read())
    sys.exit(1)
CTX = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
CTX.check_hostname = False
CTX.load_verify_locations(os.path.join(TMP, "state", "cert.pem"))
BASE = "https://127.0.0.1:%d/open311/v2" % PORT


def call(method, resource, params=None, form=None, base=None):
    """(status, content type, body text) of one request; GET bodies are kept."""
    url = (base or BASE) + "/" + resource
    if params:
        url += "?" + urllib.parse.urlencode(params)
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, context=CTX, timeout=30) as answer:
            status, ctype, body = answer.status, answer.headers["Content-Type"], answer.read()
    except urllib.error.HTTPError as error:
        status, ctype, body = error.code, error.headers["Content-Type"], error.read()
    text = body.decode("utf-8")
    if method == "GET":
        bodies.append(text)
    return status, ctype, text


def get_json(resource, **params):
    status, ctype, text = call("GET", resource + ".json", params)
    return status, ctype.startswith("application/json"), json.loads(text)


def get_xml(resource, **params):
    status, ctype, text = call("GET", resource + ".xml", params)
    return status, ctype.startswith("text/xml"), ET.fromstring(text.encode("utf-8"))


def is_json_error(body, code):
    return (isinstance(body, list) and len(body) == 1 and body[0].get("code") == code and
            isinstance(body[0].get("description"), str) and body[0]["description"] != "")


def is_xml_error(root, code):
    errors = root.findall("error")
    return (root.tag == "errors" and len(errors) == 1 and
            errors[0].findtext("code") == str(code) and bool(errors[0].findtext("description")))


REQUEST_MEMBERS = ("service_request_id", "status", "service_code", "requested_datetime",
                   "updated_datetime", "agency_responsible")
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")

# ---- discovery and services
status, is_json, body = get_json("discovery")
check(status == 200 and is_json and body["endpoints"][0]["url"].endswith("/open311/v2") and
      set(body["endpoints"][0]["formats"]) == {"application/json", "text/xml"},
      "discovery.json names the endpoint and both formats")
check(body["jurisdiction_id"] == JURISDICTION,
      "discovery names the jurisdiction_id given with --open311-jurisdiction")
status, is_xml, root = get_xml("discovery")
check(status == 200 and is_xml and root.tag == "discovery" and
      [f.text for f in root.findall("endpoints/endpoint/formats/format")] ==
      ["application/json", "text/xml"], "discovery.xml has endpoints/endpoint/formats/format")

status, is_json, services = get_json("services")
codes = [s["service_code"] for s in services]
check(status == 200 and is_json and "asphalt" in codes and
      all(s["metadata"] is True and s["type"] == "realtime" and s["service_name"]
          for s in services), "services.json: one service per category, with metadata")
status, is_xml, root = get_xml("services")
check(status == 200 and root.tag == "services" and
      [s.findtext("service_code") for s in root.findall("service")] == codes and
      all(s.findtext("metadata") == "true" for s in root.findall("service")),
      "services.xml lists the same services")
check(any(re.search("[\u0600-\u06ff]", s["service_name"]) for s in services) and
      root.find("service").findtext("service_name") == services[0]["service_name"],
      "Persian service names are intact in JSON and XML")

status, is_json, definition = get_json("services/asphalt")
attributes = definition.get("attributes", [])
check(status == 200 and definition["service_code"] == "asphalt" and
      [a["code"] for a in attributes] == ["danger_to_people", "blocks_road", "utilities"] and
      all(a["datatype"] == "singlevaluelist" and
          [v["key"] for v in a["values"]] == ["true", "false"] for a in attributes),
      "services/asphalt.json: the three danger questions as attributes")
status, is_xml, root = get_xml("services/asphalt")
check(status == 200 and root.tag == "service_definition" and
      [a.findtext("code") for a in root.findall("attributes/attribute")] ==
      [a["code"] for a in attributes] and
      len(root.findall("attributes/attribute/values/value/key")) == 6,
      "services/asphalt.xml: service_definition/attributes/attribute/values/value")
status, _, body = get_json("services/no-such")
check(status == 404 and is_json_error(body, 404), "an unknown service code: 404 in JSON")
status, _, root = get_xml("services/no-such")
check(status == 404 and is_xml_error(root, 404), "an unknown service code: 404 in XML")

# ---- POST requests
PEOPLE = [("09121110001", "کاوه", "نیک‌نام"), ("09121110002", "ژاله", "سپهری"),
          ("09121110003", "بهرام", "فرخی")]
TEXTS = ["چالهٔ بزرگ جلوی مدرسهٔ دخترانه", "آسفالت کوچه بعد از حفاری لوله‌کشی ترمیم نشده",
         "ترک و نشست آسفالت کنار ایستگاه اتوبوس"]
filed = []
for i, (phone, first, last) in enumerate(PEOPLE):
    fmt = "json" if i != 1 else "xml"
    status, ctype, text = call("POST", "requests." + fmt, form={
        "api_key": KEY, "service_code": "asphalt", "lat": "35.7031", "long": "51.3712",
        "description": TEXTS[i], "phone": phone,
        "first_name": first, "last_name": last, "email": "x%d@example.org" % i,
        "attribute[blocks_road]": "true" if i == 0 else "false",
        "jurisdiction_id": JURISDICTION})
    if fmt == "json":
        body = json.loads(text)
        code, token = body[0]["service_request_id"], body[0]["token"]
    else:
        node = ET.fromstring(text.encode()).find("request")
        code, token = node.findtext("service_request_id"), node.findtext("token")
    check(status == 201 and code and token, "POST requests.%s files a request (201)" % fmt)
    filed.append((code, token))

# The same problem filed again: the kiosk's duplicate suggestions, and a proposed group
# with the request it repeats for the office's review (never a confirmed one). The index
# is built in a worker thread while the server answers; filings before it is ready go on
# without suggestions.
check(wait_for(lambda: "Duplicate index ready" in open(log_path).read(), 120),
      "the server builds its duplicate index in the background and says when it is ready")
status, _, text = call("POST", "requests.xml", form={
    "api_key": KEY, "service_code": "asphalt", "lat": "35.7031", "long": "51.3712",
    "description": TEXTS[1]})
node = ET.fromstring(text.encode()).find("request")
suggested = [d.text for d in node.findall("extended/duplicates/duplicate")]
again = node.findtext("service_request_id")
check(status == 201 and filed[1][0] in suggested and
      node.findtext("extended/proposed_duplicate_of") == filed[1][0],
      "a repeated filing names the request it repeats (%s) and joins its proposed group" %
      ",".join(suggested))
with sqlite3.connect("file:%s?mode=ro" % DB, uri=True) as db:
    groups = db.execute("SELECT r.tracking_code, r.group_id, g.state FROM request r JOIN "
                        "dup_group g ON g.id = r.group_id WHERE r.tracking_code IN (?, ?)",
                        (filed[1][0], again)).fetchall()
check(len(groups) == 2 and groups[0][1] == groups[1][1] and groups[0][2] == "proposed",
      "the office finds both in one proposed group to confirm or split")
filed.append((again, node.findtext("token")))
status, _, text = call("POST", "requests.json", form={
    "api_key": KEY, "service_code": "asphalt", "lat": "35.7031", "long": "51.3712",
    "description": "درخت خشک شده و شاخه‌هایش روی سیم برق افتاده"})
body = json.loads(text)
check(status == 201 and body[0]["extended"]["proposed_duplicate_of"] is None,
      "an unrelated filing joins no group")
filed.append((body[0]["service_request_id"], body[0]["token"]))

# The emails are kept on the server, sealed to the office key: never in clear.
with sqlite3.connect("file:%s?mode=ro" % DB, uri=True) as db:
    rows = db.execute("SELECT e.sealed FROM request_email e JOIN request r ON r.id = e.request_id"
                      " WHERE r.tracking_code IN (?, ?, ?)", [c for c, _ in filed[:3]]).fetchall()
check(len(rows) == 3 and not any("example.org" in r[0] or "@" in r[0] for r in rows),
      "the three emails are kept sealed on the server (not in clear)")
status, _, text = call("POST", "requests.json", form=dict(
    api_key=KEY, service_code="asphalt", lat="35.7031", long="51.3712", description="چاله",
    email="not an address"))
check(status == 400 and is_json_error(json.loads(text), 400), "a malformed email: 400")

# The office has it, through the kiosk's intake.
shown = ctl("show", filed[0][0])
check(("asphalt" in shown or "آسفالت" in shown) and "Open311" in shown,
      "the office sees the filed request, channel open311 (payamctl show)")

status, is_json, body = get_json("requests/" + filed[0][0])
check(status == 200 and len(body) == 1 and body[0]["service_request_id"] == filed[0][0] and
      body[0]["status"] == "open" and body[0]["extended"]["status"] == "registered" and
      all(m in body[0] for m in REQUEST_MEMBERS) and
      W3C.match(body[0]["requested_datetime"]) and W3C.match(body[0]["expected_datetime"]),
      "requests/{id}.json: open, with W3C dates and the spec's members")
status, is_xml, root = get_xml("requests/" + filed[1][0])
check(status == 200 and root.tag == "service_requests" and
      root.find("request").findtext("service_request_id") == filed[1][0] and
      root.find("request").findtext("status") == "open", "requests/{id}.xml")
status, _, text = call("GET", "requests/%s.json" % filed[0][0])
check('"lat":35.703100,' in text and '"long":51.371200,' in text and
      json.loads(text)[0]["lat"] == 35.7031,
      "lat and long are JSON numbers with 6 decimals")
status, _, text = call("GET", "requests/%s.xml" % filed[0][0])
node = ET.fromstring(text.encode()).find("request")
check(node.findtext("lat") == "35.703100" and node.findtext("long") == "51.371200",
      "lat and long have 6 decimals in XML")
ROUTES = ["discovery", "services", "services/asphalt", "requests", "requests/" + filed[0][0],
          "tokens/" + filed[0][1], "servicerequestupdates"]
wrong, right = [], []
for resource in ROUTES:
    for fmt in ("json", "xml"):
        status, _, text = call("GET", "%s.%s" % (resource, fmt),
                               {"jurisdiction_id": "elsewhere"})
        shape = (is_json_error(json.loads(text), 404) if fmt == "json"
                 else is_xml_error(ET.fromstring(text.encode()), 404))
        if status != 404 or not shape:
            wrong.append("%s.%s" % (resource, fmt))
        status, _, text = call("GET", "%s.%s" % (resource, fmt),
                               {"jurisdiction_id": JURISDICTION})
        if status != 200:
            right.append("%s.%s" % (resource, fmt))
check(not wrong, "another jurisdiction_id on every GET route: 404 in the spec's shape%s" %
      ((": " + ", ".join(wrong)) if wrong else ""))
check(not right, "the district's own jurisdiction_id on every GET route: 200%s" %
      ((": " + ", ".join(right)) if right else ""))
status, _, text = call("POST", "requests.json", form={
    "api_key": KEY, "service_code": "asphalt", "lat": "35.7031", "long": "51.3712",
    "description": "چاله", "jurisdiction_id": "payam"})
check(status == 404 and is_json_error(json.loads(text), 404),
      "POST with the default jurisdiction_id of another server: 404")
status, _, body = get_json("requests/000000000000")
check(status == 404 and is_json_error(body, 404), "an unknown request: 404")
status, _, body = get_json("tokens/" + filed[0][1])
check(status == 200 and body[0]["service_request_id"] == filed[0][0], "tokens/{token}.json")
status, _, root = get_xml("tokens/" + filed[2][1])
check(status == 200 and root.find("request").findtext("service_request_id") == filed[2][0],
      "tokens/{token}.xml")

# An office desk enrolled with the server receives it in its next sync, as it would a kiosk's.
DESK = os.path.join(TMP, "desk.db")
subprocess.run([CTL, "--db", DESK, "init"], check=True, capture_output=True)
enrol_code = ctl("enrol-code", "--role", "office", "--ttl", "1").strip().splitlines()[-1]
subprocess.run([CTL, "--db", DESK, "enrol", "https://127.0.0.1:%d" % PORT, enrol_code],
               check=True, capture_output=True)
synced = subprocess.run([CTL, "--db", DESK, "sync"], capture_output=True, text=True)
desk = subprocess.run([CTL, "--db", DESK, "show", filed[1][0]], capture_output=True, text=True)
check(synced.returncode == 0 and desk.returncode == 0 and PEOPLE[1][1] in desk.stdout and
      "Open311" in desk.stdout,
      "an office desk's sync receives the filed request with its contact")

# ---- POST errors, in both formats
GOOD = {"api_key": KEY, "service_code": "asphalt", "lat": "35.7031", "long": "51.3712",
        "description": "چاله"}
cases = [
    ("no api_key", {k: v for k, v in GOOD.items() if k != "api_key"}, 403),
    ("a wrong api_key", dict(GOOD, api_key="x" + KEY), 403),
    ("a revoked api_key", dict(GOOD, api_key=REVOKED), 403),
    ("no service_code", {k: v for k, v in GOOD.items() if k != "service_code"}, 400),
    ("an unknown service_code", dict(GOOD, service_code="no-such"), 404),
    ("a place outside the district", dict(GOOD, lat="48.85", long="2.35"), 400),
    ("no place", {k: v for k, v in GOOD.items() if k not in ("lat", "long")}, 400),
    ("no description", {k: v for k, v in GOOD.items() if k != "description"}, 400),
    ("an unknown attribute", dict(GOOD, **{"attribute[colour]": "true"}), 400),
    ("a bad attribute value", dict(GOOD, **{"attribute[utilities]": "maybe"}), 400),
    ("another jurisdiction", dict(GOOD, jurisdiction_id="elsewhere"), 404),
]
for (what, form, code), key in zip(cases, CASE_KEYS):
    if form.get("api_key") == KEY:
        form = dict(form, api_key=key)
    status, _, text = call("POST", "requests.json", form=form)
    json_ok = status == code and is_json_error(json.loads(text), code)
    status, _, text = call("POST", "requests.xml", form=form)
    xml_ok = status == code and is_xml_error(ET.fromstring(text.encode()), code)
    check(json_ok and xml_ok, "POST with %s: %d in the spec's JSON and XML shapes" % (what, code))

# The per-key limit: a first burst of 10, then 429 with Retry-After, other keys unaffected.
answers = [call("POST", "requests.json", form=dict(GOOD, api_key=LIMITED, description=""))
           for _ in range(11)]
check([a[0] for a in answers] == [400] * 10 + [429] and
      is_json_error(json.loads(answers[-1][2]), 429),
      "the 11th filing within a minute with one key: 429 in the spec's shape")
status, _, text = call("POST", "requests.json", form=dict(GOOD, api_key=CASE_KEYS[-1],
                                                          description=""))
check(status == 400, "another key is not limited by it")

# ---- GET requests: filters and paging over the imported requests and the filed ones
ALL = {"start_date": "2026-01-01T00:00:00Z"}
status, _, everything = get_json("requests", page_size=1000, **ALL)
check(status == 200 and len(everything) == len(imported) + len(filed),
      "requests.json from 2026-01-01: every request (%d)" % len(everything))
times = [datetime.datetime.fromisoformat(r["requested_datetime"]) for r in everything]
check(times == sorted(times, reverse=True), "requests come most recent first")
pages, page = [], 1
while True:
    status, _, batch = get_json("requests", page=page, page_size=7, **ALL)
    pages.extend(r["service_request_id"] for r in batch)
    if len(batch) < 7 or page > 20:
        break
    page += 1
check(pages == [r["service_request_id"] for r in everything],
      "pages of 7 give every request once, in the same order")
status, _, root = get_xml("requests", page=2, page_size=7, **ALL)
check([r.findtext("service_request_id") for r in root.findall("request")] == pages[7:14],
      "requests.xml page 2 is the same page")
window = [r for r in imported if "2026-11-21" <= r["created_at"][:10] <= "2026-11-24"]
status, _, body = get_json("requests", start_date="2026-11-21T00:00:00Z",
                           end_date="2026-11-24T23:59:59Z", page_size=1000)
check(len(body) == len(window) and len(window) > 0,
      "start_date and end_date select the %d requests in the window" % len(window))
status, _, body = get_json("requests", service_code="asphalt", page_size=1000, **ALL)
check(len(body) == len([r for r in imported if r["category"] == "asphalt"]) + len(filed) and
      all(r["service_code"] == "asphalt" for r in body), "service_code filters")
status, _, body = get_json("requests", service_request_id=",".join(c for c, _ in filed))
check(sorted(r["service_request_id"] for r in body) == sorted(c for c, _ in filed),
      "service_request_id takes a comma list")
for params, what in (({"page_size": 1001}, "page_size over 1,000"),
                     ({"status": "done"}, "a status that is not open or closed"),
                     ({"start_date": "yesterday"}, "a date that is not W3C"),
                     ({"jurisdiction_id": "elsewhere"}, "another jurisdiction")):
    status, _, body = get_json("requests", **params)
    code = 404 if "jurisdiction_id" in params else 400
    status_x, _, root = get_xml("requests", **params)
    check(status == code and is_json_error(body, code) and status_x == code and
          is_xml_error(root, code), "%s: %d in JSON and XML" % (what, code))
status, _, body = get_json("nothing-here")
check(status == 404 and is_json_error(body, 404), "an unknown resource: 404")

# ---- followed to closed, and the updates feed
# A 32×24 JPEG (ImageMagick), the crew's evidence of the work.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsL"
    "EBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU"
    "FBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAYACADAREAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAUEAEA"
    "AAAAAAAAAAAAAAAAAAAA/8QAFgEBAQEAAAAAAAAAAAAAAAAAAAcI/8QAFBEBAAAAAAAAAAAAAAAAAAAAAP/aAAwDAQAC"
    "EQMRAD8AmSNNZgAAAAAAAAAAP//Z")
photo_path = os.path.join(TMP, "after.jpg")
with open(photo_path, "wb") as f:
    f.write(JPEG)
ctl("worksheet", filed[0][0], "--kind", "done", "--note", "یادداشت درونی اکیپ ۴۲",
    "--photo", photo_path)
status, _, body = get_json("requests/" + filed[0][0])
check(body[0]["status"] == "closed" and body[0]["extended"]["status"] == "done",
      "after the office marks it done the request reads closed")
# ---- media_url: the photo of the work, encoded again, cacheable; never the citizen's
media = body[0]["media_url"]
check(bool(media) and re.match(r"^https://127\.0\.0\.1:%d/open311/v2/media/%s/[0-9a-f]{64}\.jpg$"
                                % (PORT, filed[0][0]), media) is not None,
      "requests/{id}.json: media_url points to the public photo route (%s)" % media)
work_sha = media.rsplit("/", 1)[1][:-4]
# As a device could have sent it: the stored bytes carry EXIF with a place in them.
EXIF = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00PAYAM-SECRET-GPS 35.70310 51.37120"
tagged = JPEG[:2] + b"\xff\xe1" + (len(EXIF) + 2).to_bytes(2, "big") + EXIF + JPEG[2:]
with sqlite3.connect(DB) as db:
    db.execute("UPDATE photo SET bytes = ? WHERE sha256 = ?", (tagged, work_sha))
    # And a photo the citizen attached to another request: never public.
    citizen_sha = hashlib.sha256(tagged + b"citizen").hexdigest()
    db.execute("INSERT INTO photo (sha256, mime, width, height, bytes, created_at) VALUES "
               "(?, 'image/jpeg', 32, 24, ?, '2026-12-01T00:00:00.000Z')", (citizen_sha, tagged))
    rid = db.execute("SELECT id FROM request WHERE tracking_code = ?", (filed[1][0],)).fetchone()[0]
    db.execute("INSERT INTO request_photo (request_id, sha256, attached_at) VALUES "
               "(?, ?, '2026-12-01T00:00:00.000Z')", (rid, citizen_sha))


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, context=CTX, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


status, headers, data = fetch(media)
check(status == 200 and headers["Content-Type"] == "image/jpeg" and data[:2] == b"\xff\xd8" and
      b"PAYAM-SECRET-GPS" not in data and b"Exif" not in data,
      "the photo is a JPEG encoded again: no EXIF, no place (%d bytes)" % len(data))
check("max-age" in (headers["Cache-Control"] or "") and "public" in headers["Cache-Control"] and
      headers["ETag"] == '"%s"' % work_sha and headers["X-Content-Type-Options"] == "nosniff",
      "it is cacheable: Cache-Control public max-age and its ETag")
status, _, data = fetch(media, {"If-None-Match": headers["ETag"]})
check(status == 304 and data == b"", "If-None-Match with its ETag: 304")
for url, what in ((BASE + "/media/%s/%s.jpg" % (filed[1][0], citizen_sha), "the citizen's photo"),
                  (BASE + "/media/%s/%s.jpg" % (filed[1][0], work_sha),
                   "a photo of another request's work"),
                  (BASE + "/media/%s/%s.png" % (filed[0][0], work_sha), "another extension"),
                  (BASE + "/media/%s/../%s.jpg" % (filed[0][0], work_sha), "a path that climbs")):
    status, headers, data = fetch(url)
    check(status == 404 and is_json_error(json.loads(data), 404),
          "%s: 404 in the spec's shape" % what)
status, _, _ = fetch(media + "?jurisdiction_id=elsewhere")
check(status == 404, "media with another jurisdiction_id: 404")
status, _, updates = get_json("servicerequestupdates", start_date="2026-01-01T00:00:00Z")
closing = [u for u in updates if u["service_request_id"] == filed[0][0] and u["status"] == "closed"]
check(len(closing) == 1 and closing[0]["media_url"] == media,
      "servicerequestupdates: the move to closed carries the work's media_url")

status, _, closed = get_json("requests", status="closed", page_size=1000, **ALL)
check(filed[0][0] in [r["service_request_id"] for r in closed] and
      all(r["status"] == "closed" for r in closed), "status=closed lists it")
status, _, updates = get_json("servicerequestupdates", start_date="2026-01-01T00:00:00Z")
mine = [u for u in updates if u["service_request_id"] == filed[0][0]]
check(status == 200 and len(mine) == 1 and mine[0]["status"] == "closed" and
      W3C.match(mine[0]["updated_datetime"]) and mine[0]["update_id"],
      "servicerequestupdates.json has the move to closed")
status, _, root = get_xml("servicerequestupdates", start_date="2026-01-01T00:00:00Z")
check(root.tag == "service_request_updates" and
      filed[0][0] in [u.findtext("service_request_id") for u in root.findall("request_update")],
      "servicerequestupdates.xml has it too")

# ---- the dashboard client
board = open311_client.dashboard(BASE, CTX, page_size=2)
open_codes = [r["service_request_id"] for r in board["open"]]
check(board["specification"].endswith("GeoReport_v2") and "asphalt" in board["services"] and
      filed[1][0] in open_codes and filed[2][0] in open_codes and filed[0][0] not in open_codes
      and len(open_codes) == len(set(open_codes)),
      "the urllib client reads discovery, services and the open requests of 30 days, "
      "2 a page (%d)" % len(open_codes))

# ---- the per-address limit on readings: a second server on the same store, 5 then 1 a minute
log2_path = os.path.join(TMP, "log2")
log2 = open(log2_path, "w")
proc2 = subprocess.Popen([SERVER, "--db", DB, "--listen", "127.0.0.1:0",
                          "--state-dir", os.path.join(TMP, "state"), "--open311-rate", "1",
                          "--open311-burst", "5", "--trust-forwarded"],
                         stdout=log2, stderr=subprocess.STDOUT)
PORT2 = wait_for(lambda: port(log2_path), 30)
BASE2 = "https://127.0.0.1:%d/open311/v2" % PORT2
limited = []
for i in range(6):
    limited.append(call("GET", ("services.json", "requests.xml")[i % 2], base=BASE2))
check([a[0] for a in limited] == [200] * 5 + [429] and
      is_json_error(json.loads(call("GET", "discovery.json", base=BASE2)[2]), 429) and
      is_xml_error(ET.fromstring(call("GET", "services.xml", base=BASE2)[2].encode()), 429),
      "the 6th reading from one address: 429 in the spec's JSON and XML shapes")
try:
    urllib.request.urlopen(BASE2 + "/services.json", context=CTX, timeout=30)
    retry = None
except urllib.error.HTTPError as error:
    retry = error.headers.get("Retry-After")
check(retry is not None and int(retry) >= 1, "429 says when to retry (Retry-After %s)" % retry)
status, _, _ = call("POST", "requests.json", form=dict(GOOD, api_key=KEY, description=""),
                    base=BASE2)
check(status == 400, "filing is limited by its key, not by the readings' limit")
forwarded = urllib.request.Request(BASE2 + "/services.json",
                                   headers={"X-Forwarded-For": "203.0.113.9"})
with urllib.request.urlopen(forwarded, context=CTX, timeout=30) as answer:
    check(answer.status == 200, "another address (behind the trusted proxy) is not limited")
proc2.terminate()
proc2.wait(30)

# ---- nothing personal in any GET
secrets = [p for person in PEOPLE for p in person] + ["یادداشت درونی اکیپ", "example.org"]
secrets += [r[k] for r in imported for k in ("phone", "name") if r.get(k)]
secrets += TEXTS   # the citizen's own words stay inside too
leaks = sorted({s for s in secrets for b in bodies if s in b})
check(not leaks, "no phone, name, crew note or citizen's text in %d GET answers%s" %
      (len(bodies), (": " + ", ".join(leaks)) if leaks else ""))

proc.terminate()
proc.wait(30)
shutil.rmtree(TMP, ignore_errors=True)
print("1..%d" % count)
sys.exit(1 if failed else 0)
