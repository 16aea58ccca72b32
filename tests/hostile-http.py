#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The real payam-server on 127.0.0.1 against hostile clients (issue #10, HTTP side): bodies
# over the limit refused before they are read, with memory bounded; lengths that are no
# lengths; slow and silent clients closed while others are served; connection caps with 503;
# the listener recovering under `ulimit -n 64`; TLS 1.0 and 1.1 refused; extreme pull
# cursors; photo uploads owned by their device; 429 on /v1/track and /v1/enrol. TAP output.
# Loopback only; every loop is bounded in count and time.
# Usage: hostile-http.py PAYAM_SERVER PAYAMCTL
import hashlib
import json
import os
import re
import resource
import shutil
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import uuid

SERVER, CTL = sys.argv[1], sys.argv[2]
with open(SERVER, "rb") as binary:
    SANITIZED = b"__asan_init" in binary.read()
# Memory bounds (KiB above the server's RSS before): ASan's shadow and allocator add theirs.
SLACK = 2 if SANITIZED else 1
TMP = tempfile.mkdtemp(prefix="payam-hostile-")
HOST = "127.0.0.1"
count = 0
failed = 0
servers = []


def check(ok, what):
    global count, failed
    count += 1
    print(("ok %d - %s" if ok else "not ok %d - %s") % (count, what), flush=True)
    if not ok:
        failed += 1


def wait_for(condition, limit):
    """Poll @condition until it holds or @limit seconds pass; its last value."""
    end = time.monotonic() + limit
    value = condition()
    while not value and time.monotonic() < end:
        time.sleep(0.05)
        value = condition()
    return value


class Server:
    def __init__(self, name, args=(), nofile=None, asan_options=""):
        self.dir = os.path.join(TMP, name)
        os.mkdir(self.dir)
        self.db = os.path.join(self.dir, "office.db")
        subprocess.run([CTL, "--db", self.db, "init"], check=True, stdout=subprocess.DEVNULL)
        self.log_path = os.path.join(self.dir, "log")
        self.log = open(self.log_path, "w")

        def limit():
            if nofile is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

        env = dict(os.environ)
        if SANITIZED:
            # A small quarantine, so that RSS measures what the server keeps.
            env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=4" +
                                   asan_options)
        self.proc = subprocess.Popen(
            [SERVER, "--db", self.db, "--listen", HOST + ":0",
             "--state-dir", os.path.join(self.dir, "state")] + list(args),
            stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=limit, env=env)
        servers.append(self)
        self.port = wait_for(self._port, 30)
        if not self.port:
            print("Bail out! %s did not start: %s" % (name, open(self.log_path).read()))
            sys.exit(1)
        self.cert = os.path.join(self.dir, "state", "cert.pem")
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.ctx.check_hostname = False
        self.ctx.load_verify_locations(self.cert)

    def _port(self):
        m = re.search(r"^Listening on https://127\.0\.0\.1:(\d+)/$",
                      open(self.log_path).read(), re.M)
        return int(m.group(1)) if m else None

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def fds(self):
        return len(os.listdir("/proc/%d/fd" % self.proc.pid))

    def tls(self, timeout=10):
        raw = socket.create_connection((HOST, self.port), timeout=timeout)
        return self.ctx.wrap_socket(raw, server_hostname="localhost")

    def request(self, method, path, headers=None, body=b"", timeout=10):
        """One request on a new connection: (status, headers, body), or None when the
        connection ended without an answer (or could not be made)."""
        try:
            with self.tls(timeout) as s:
                send_head(s, method, path, headers, len(body) if body else None)
                if body:
                    s.sendall(body)
                return read_answer(s, method)
        except (OSError, ssl.SSLError):
            return None

    def enrol(self, role, extra=()):
        out = subprocess.run([CTL, "--db", self.db, "enrol-code", "--role", role] + list(extra),
                             check=True, capture_output=True, text=True).stdout
        # The secret is the code's first 16 base32 characters; the rest pins the certificate.
        code = out.strip().splitlines()[-1].replace("-", "")[:16]
        body = json.dumps({"version": 2, "code": code,
                           "device_id": str(uuid7())}).encode()
        status, _, reply = self.request("POST", "/v1/enrol",
                                        {"Content-Type": "application/json"}, body)
        assert status == 200, (status, reply)
        return json.loads(reply)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def uuid7():
    ms = int(time.time() * 1000)
    raw = bytearray(ms.to_bytes(6, "big") + os.urandom(10))
    raw[6] = (raw[6] & 0x0F) | 0x70
    raw[8] = (raw[8] & 0x3F) | 0x80
    return uuid.UUID(bytes=bytes(raw))


def send_head(s, method, path, headers=None, length=None):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: localhost"]
    for name, value in (headers or {}).items():
        lines.append("%s: %s" % (name, value))
    if length is not None and not any(n.lower() in ("content-length", "transfer-encoding")
                                      for n in (headers or {})):
        lines.append("Content-Length: %d" % length)
    s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())


def read_answer(s, method="GET"):
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                return None
            data += chunk
            if len(data) > 1 << 20:
                return None
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = 0 if method == "HEAD" else int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
        return status, headers, rest[:length]
    except (OSError, ssl.SSLError, ValueError, IndexError):
        return None


def is_json_error(answer, status, code=None):
    if answer is None or answer[0] != status:
        return False
    if not answer[1].get("content-type", "").startswith("application/json"):
        return False
    try:
        body = json.loads(answer[2])
    except ValueError:
        return False
    return "error" in body and (code is None or body["error"] == code)


def served(srv):
    """Whether a new client gets its answer (404 for an unknown tracking code)."""
    answer = srv.request("GET", "/v1/track/000000000000", timeout=5)
    return answer is not None and answer[0] == 404


def closed_by_server(s, limit):
    """Whether the server closes @s within @limit seconds (reading what it sends)."""
    s.settimeout(0.5)
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            if not s.recv(4096):
                return True
        except socket.timeout:
            continue
        except (OSError, ssl.SSLError):
            return True
    return False


# ------------------------------------------------------------------ case 1: body limits

def oversized_body(srv, path, headers, total, chunked=False):
    """Send up to @total body bytes while watching for an answer; (answer, bytes sent,
    peak RSS in KiB)."""
    s = srv.tls(30)
    send_head(s, "POST", path, headers, None if chunked else total)
    s.setblocking(False)
    block = b"x" * 65536
    piece = (b"10000\r\n" + block + b"\r\n") if chunked else block
    sent = 0
    peak = srv.rss_kib()
    answer_bytes = b""
    end = time.monotonic() + 60
    import select
    while sent < total and time.monotonic() < end:
        readable, writable, _ = select.select([s], [s], [], 1)
        if readable:
            try:
                data = s.recv(65536)
            except ssl.SSLWantReadError:
                data = b"?"
            except (OSError, ssl.SSLError):
                break
            if not data:
                break
            if data != b"?":
                answer_bytes += data
                if b"\r\n\r\n" in answer_bytes:
                    break
        if writable:
            try:
                sent += s.send(piece)
            except (ssl.SSLWantWriteError, ssl.SSLWantReadError, BlockingIOError):
                pass
            except (OSError, ssl.SSLError):
                break
        peak = max(peak, srv.rss_kib())
    s.setblocking(True)
    s.settimeout(5)
    answer = None
    try:
        while b"\r\n\r\n" not in answer_bytes:
            data = s.recv(65536)
            if not data:
                break
            answer_bytes += data
    except (OSError, ssl.SSLError):
        pass
    if b"\r\n\r\n" in answer_bytes:
        class Buffer:
            def __init__(self, data):
                self.data = data

            def recv(self, n):
                out, self.data = self.data[:n], self.data[n:]
                return out
        answer = read_answer(Buffer(answer_bytes))
    s.close()
    return answer, sent, max(peak, srv.rss_kib())


def case_limits(srv):
    before = srv.rss_kib()
    big = 256 << 20
    answer, sent, peak = oversized_body(srv, "/v1/enrol", {"Content-Type": "application/json"},
                                        big)
    check(is_json_error(answer, 413, "too-large"), "256 MiB enrolment body: 413 JSON")
    check(sent < big // 4, "... answered before the body was read (sent %d MiB)" % (sent >> 20))
    check(peak - before < SLACK * (32 << 10),
          "... memory stays bounded (RSS %d → peak %d KiB)" % (before, peak))

    answer, sent, peak = oversized_body(srv, "/v1/push", {"Content-Type": "application/json",
                                                          "Transfer-Encoding": "chunked"},
                                        big, chunked=True)
    check(is_json_error(answer, 413, "too-large"), "endless chunked push: 413 JSON")
    check(sent < 64 << 20, "... cut off near the limit (sent %d MiB)" % (sent >> 20))
    check(peak - before < SLACK * (48 << 10),
          "... memory stays bounded (RSS %d → peak %d KiB)" % (before, peak))

    blob = "/v1/blobs/" + "a" * 64
    for name, length, status, code in (
            ("9 MB declared, none sent", "9000000", 413, "too-large"),
            ("100 GB declared, none sent", "100000000000", 413, "too-large"),
            ("2^64+1 declared", "18446744073709551617", 400, "malformed"),
            ("-1 declared", "-1", 400, "malformed")):
        for path in ("/v1/enrol", blob):
            start = time.monotonic()
            answer = srv.request("POST" if path == "/v1/enrol" else "PATCH", path,
                                 {"Content-Type": "application/json",
                                  "Content-Length": length}, timeout=10)
            took = time.monotonic() - start
            check(is_json_error(answer, status, code) and took < 5,
                  "%s on %s: %d JSON in %.2f s" % (name, path.split("/")[2], status, took))
    answer = srv.request("GET", "/v1/whoami", {"Content-Length": "10"}, timeout=10)
    check(is_json_error(answer, 413, "too-large"), "a body where none belongs: 413 JSON")


# ------------------------------------------------------------------ case 6: slots, time-outs

def case_slow(srv):
    """--header-timeout 3 --body-timeout 3 --handshake-timeout 3 --max-per-address 16."""
    slow = []
    for _ in range(6):
        s = srv.tls(10)
        s.sendall(b"GET /v1/who")
        slow.append(s)
    silent = [socket.create_connection((HOST, srv.port), timeout=10) for _ in range(4)]
    endless = srv.tls(10)
    send_head(endless, "POST", "/v1/push", {"Content-Type": "application/json",
                                             "Transfer-Encoding": "chunked"})
    endless.sendall(b"5\r\n{\"a\":\r\n")
    start = time.monotonic()
    # A normal client is served meanwhile.
    answer = srv.request("GET", "/v1/track/000000000000")
    check(answer is not None and answer[0] == 404, "a normal client is served beside slow ones")
    # The slow header senders keep trickling; the server closes them all the same.
    closed = 0
    end = time.monotonic() + 20
    pending = list(slow)
    while pending and time.monotonic() < end:
        for s in list(pending):
            try:
                s.sendall(b"a")
            except (OSError, ssl.SSLError):
                pending.remove(s)
                closed += 1
        if pending:
            time.sleep(0.5)
    check(closed == len(slow), "headers trickled byte by byte: closed (%d of %d, %.1f s)"
          % (closed, len(slow), time.monotonic() - start))
    check(all(closed_by_server(s, 15) for s in silent), "silent TCP connections (no TLS): closed")
    check(closed_by_server(endless, 15), "a chunked body with no end: closed")
    for s in slow + silent + [endless]:
        s.close()

    # Per-address cap: 16 connections waiting (each may for 3 s), the next gets 503 with
    # Retry-After.
    wait_for(lambda: srv.fds() < 20, 20)
    kept = [srv.tls(10) for _ in range(16)]
    extra = srv.tls(10)
    send_head(extra, "GET", "/v1/track/000000000000")
    answer = read_answer(extra)
    extra.close()
    check(is_json_error(answer, 503, "busy") and int(answer[1].get("retry-after", "0")) > 0,
          "over the per-address cap: 503 JSON with Retry-After")
    for s in kept:
        s.close()
    check(wait_for(lambda: served(srv), 20), "slots free again once they close")


def case_two_lengths():
    """libsoup refuses a Content-Length of two values itself, before the server sees it
    (400, not JSON), and keeps the request's path (tests/lsan.supp): on a server of its own,
    with whole stacks under ASan so that the suppression matches."""
    srv = Server("lengths", asan_options=":fast_unwind_on_malloc=0")
    for path in ("/v1/enrol", "/v1/blobs/" + "a" * 64):
        start = time.monotonic()
        answer = srv.request("POST" if path == "/v1/enrol" else "PATCH", path,
                             {"Content-Type": "application/json", "Content-Length": "5, 6"})
        took = time.monotonic() - start
        # (Whole stacks make a sanitized server slow: no time bound here.)
        check(answer is not None and answer[0] == 400,
              "two lengths on %s: 400 in %.2f s" % (path.split("/")[2], took))
    srv.stop()
    check(srv.proc.returncode == 0, "... and that server stops cleanly")


def case_fd_limit():
    srv = Server("nofile", ["--handshake-timeout", "30", "--header-timeout", "30"], nofile=64)
    idle = []
    for _ in range(60):
        try:
            idle.append(socket.create_connection((HOST, srv.port), timeout=5))
        except OSError:
            break
    check(len(idle) == 60, "ulimit -n 64: 60 idle connections opened")
    # Let the server take what it can, then let them go.
    wait_for(lambda: srv.fds() >= 40, 10)
    for s in idle:
        s.close()
    start = time.monotonic()
    check(wait_for(lambda: served(srv), 30),
          "... after they close, a new client is served (%.1f s)" % (time.monotonic() - start))
    check(srv.proc.poll() is None, "... and the server still runs")
    srv.stop()


# ------------------------------------------------------------------ case 7: TLS versions

def case_tls(srv):
    if shutil.which("openssl") is None:
        check(False, "openssl is installed (scripts/install-deps)")
        return
    for flag, ok in (("-tls1", False), ("-tls1_1", False), ("-tls1_2", True), ("-tls1_3", True)):
        args = ["openssl", "s_client", "-connect", "%s:%d" % (HOST, srv.port), flag, "-brief"]
        if not ok:
            # OpenSSL 3 refuses old versions itself at security level 1: allow them here,
            # so that only the server can say no.
            args += ["-cipher", "DEFAULT:@SECLEVEL=0"]
        try:
            run = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                 timeout=20)
            connected = run.returncode == 0 and "CONNECTION ESTABLISHED" in run.stderr
            said = run.stderr
        except subprocess.TimeoutExpired:
            connected, said = False, "timeout"
        if ok:
            check(connected, "TLS %s handshake succeeds" % flag)
        else:
            check(not connected and "no protocols available" not in said,
                  "TLS %s handshake is refused by the server" % flag)


# ------------------------------------------------------------------ case 8: pull cursors

def case_pull(srv, credential):
    auth = {"Authorization": "Bearer " + credential}
    for query in ("after=9223372036854775807", "after=-1", "after=18446744073709551616",
                  "after=abc", "after=", "limit=0", "limit=-5", "limit=99999999999999999999",
                  "after=1e3", "after=0x10", "after=%2B5"):
        answer = srv.request("GET", "/v1/pull?version=2&" + query, auth)
        check(is_json_error(answer, 400), "pull ?%s: 400 JSON" % query)
    answer = srv.request("GET", "/v1/pull?version=2&after=9223372036854775806", auth)
    page = json.loads(answer[2]) if answer is not None and answer[0] == 200 else {}
    check(page.get("changes") == [], "pull after 2^63-2: an empty page")


# ------------------------------------------------------------------ case 9: blobs

def case_blobs(srv, devices):
    photo = os.urandom(3000)
    sha = hashlib.sha256(photo).hexdigest()
    db = sqlite3.connect(srv.db, timeout=30)
    with db:
        db.execute("INSERT INTO photo (sha256, mime, width, height, created_at) "
                   "VALUES (?, 'image/jpeg', 10, 10, '2026-01-01T00:00:00Z')", (sha,))
    db.close()
    path = "/v1/blobs/" + sha
    a, b, office = ({"Authorization": "Bearer " + d["credential"]} for d in devices)

    def patch(who, offset, data, length=None):
        headers = dict(who)
        headers["Content-Type"] = "application/offset+octet-stream"
        headers["Upload-Offset"] = str(offset)
        if length is not None:
            headers["Upload-Length"] = str(length)
        return srv.request("PATCH", path, headers, data)

    answer = patch(a, 0, photo[:1000], len(photo))
    check(answer is not None and answer[0] == 204, "kiosk A starts an upload")
    answer = srv.request("HEAD", path, b)
    check(answer is not None and answer[0] == 403, "kiosk B: HEAD on A's partial upload 403")
    answer = patch(b, 1000, os.urandom(2000))
    check(is_json_error(answer, 403), "kiosk B: garbage last chunk on A's upload 403 JSON")
    answer = patch(b, 0, os.urandom(1000), len(photo))
    check(is_json_error(answer, 403), "kiosk B: a chunk at offset 0 403 JSON")
    answer = srv.request("HEAD", path, a)
    check(answer is not None and answer[0] == 204 and
          answer[1].get("upload-offset") == "1000", "A's upload is untouched (offset 1000)")
    answer = patch(a, 1000, photo[1000:])
    check(answer is not None and answer[0] == 204, "A finishes it")
    answer = srv.request("HEAD", path, b)
    check(answer is not None and answer[0] == 403, "kiosk B: HEAD on the photo 403, as GET")
    answer = srv.request("GET", path, b)
    check(answer is not None and answer[0] == 403, "kiosk B: GET on the photo 403")
    answer = srv.request("HEAD", path, office)
    check(answer is not None and answer[0] == 200 and
          answer[1].get("upload-length") == str(len(photo)), "office: HEAD 200 with the size")
    answer = srv.request("HEAD", path, a)
    check(answer is not None and answer[0] == 200, "its uploader: HEAD 200")


# ------------------------------------------------------------------ rate limits

def case_rates():
    srv = Server("rates", ["--track-rate", "6", "--track-burst", "5",
                           "--enrol-rate", "6", "--enrol-burst", "3"])
    answers = []
    for i in range(8):
        # A wrong check digit and an unknown code take the same token and answer alike.
        code = "0001000000%02d" % i
        answers.append(srv.request("GET", "/v1/track/" + code))
    allowed = [a for a in answers if a is not None and a[0] == 404]
    limited = [a for a in answers if is_json_error(a, 429, "rate-limited")]
    check(len(allowed) == 5 and len(limited) == 3,
          "track: the burst of 5 answered, then 429 JSON (%d, %d)" % (len(allowed), len(limited)))
    bodies = {a[2] for a in allowed}
    check(len(bodies) == 1, "wrong check digits and unknown codes answer alike")
    retry = int(limited[0][1].get("retry-after", "0")) if limited else 0
    check(retry >= 1, "429 says Retry-After (%d s)" % retry)
    # Once the burst is spent each code waits what Retry-After says: 1,000 codes take
    # minutes, not seconds.
    minutes = (1000 - len(allowed)) * retry / 60
    check(minutes > 10, "enumerating 1,000 codes takes %.0f minutes at that pace" % minutes)
    enrol = []
    for _ in range(5):
        enrol.append(srv.request("POST", "/v1/enrol", {"Content-Type": "application/json"},
                                 b'{"version":2,"code":"AAAAAA","device_id":"x"}'))
    check(sum(1 for a in enrol if is_json_error(a, 429, "rate-limited")) == 2,
          "enrol: 429 JSON after the burst of 3")
    srv.stop()
    defaults = Server("rates-default")
    codes = 0
    for i in range(40):
        answer = defaults.request("GET", "/v1/track/00020000000%02d" % i)
        if is_json_error(answer, 429):
            break
        codes += 1
    check(codes < 40, "by default /v1/track is limited too (after %d)" % codes)
    defaults.stop()


# ------------------------------------------------------------------ keep-alive (issue #9)

def case_keepalive():
    """Connections stay for the next request, and ones whose client leaves or falls silent
    between two requests are closed: no descriptor and no per-address slot (32) left."""
    srv = Server("keepalive", ["--header-timeout", "2", "--track-rate", "0"])
    wait_for(lambda: served(srv), 10)
    before = wait_for(lambda: srv.fds() if srv.fds() <= 16 else 0, 10) or srv.fds()

    with srv.tls() as s:
        answers = []
        for _ in range(3):
            send_head(s, "GET", "/v1/track/000000000000")
            answers.append(read_answer(s))
        check(all(a is not None and a[0] == 404 and "close" not in a[1].get("connection", "")
                  for a in answers), "three requests on one connection, all answered")

    def one_request_each(n):
        socks = []
        for _ in range(n):
            s = srv.tls()
            send_head(s, "GET", "/v1/track/000000000000")
            answer = read_answer(s)
            socks.append(s)
            if answer is None or answer[0] != 404:
                return socks, False
        return socks, True

    for rounds in range(3):
        socks, ok = one_request_each(32)
        check(ok, "round %d: 32 clients (the per-address cap) each answered" % (rounds + 1))
        if rounds == 0:
            start = time.monotonic()
            check(all(closed_by_server(s, 10) for s in socks),
                  "... silent after their answer: closed by the server (%.1f s)"
                  % (time.monotonic() - start))
        for s in socks:
            s.close()
        back = wait_for(lambda: srv.fds() <= before, 10)
        check(back, "... once they leave, the server holds no descriptor more (%d, was %d)"
              % (srv.fds(), before))
    srv.stop()
    check(srv.proc.returncode == 0, "... and that server stops cleanly")


def main():
    try:
        main_srv = Server("main", ["--header-timeout", "3", "--body-timeout", "3",
                                   "--handshake-timeout", "3", "--max-per-address", "16",
                                   "--track-rate", "0", "--enrol-rate", "0"])
        devices = [main_srv.enrol("kiosk"), main_srv.enrol("kiosk"), main_srv.enrol("office")]
        case_limits(main_srv)
        case_tls(main_srv)
        case_pull(main_srv, devices[2]["credential"])
        case_blobs(main_srv, devices)
        case_slow(main_srv)
        main_srv.stop()
        check(main_srv.proc.returncode == 0, "the server stops cleanly after all that")
        case_two_lengths()
        case_keepalive()
        case_fd_limit()
        case_rates()
    finally:
        for srv in servers:
            srv.stop()
    print("1..%d" % count)
    if failed:
        for srv in servers:
            print("# --- %s" % srv.log_path)
            for line in open(srv.log_path).read().splitlines()[-40:]:
                print("# " + line)
    shutil.rmtree(TMP, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
