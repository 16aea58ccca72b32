#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A fake Kavenegar SMS gateway for tests (issue #14): HTTPS on 127.0.0.1, the shape of
POST /v1/{key}/sms/send.json (receptor, sender, message, localid) and
/v1/{key}/sms/statuslocalmessageid.json?localid=a,b. It records every message it really
sends, one JSON line each, and never sends a localid twice (it answers with the first
message, as Kavenegar does). It can answer busy (409), no credit (418), a bad receptor
(411), drop the connection, slow every send down, and hold delivery reports (status 4,
sent) while a file exists; otherwise a report says 10, delivered, or 14 for a blocked
receptor.

Usage: fake-kavenegar.py --cert C --key K --key-value API_KEY --port-file F --record F
       [--busy N] [--no-credit N] [--drop N] [--bad RECEPTOR]... [--blocked RECEPTOR]...
       [--hold-reports FILE] [--send-delay SECONDS]
"""
import argparse
import json
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
state = {"by_localid": {}, "next_id": 1000, "busy": 0, "no_credit": 0, "drop": 0, "sends": 0}


def reply(handler, http_status, body):
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    handler.send_response(http_status)
    handler.send_header("Content-Type", "application/json; charset=utf-8")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def error(handler, code, message):
    reply(handler, code, {"return": {"status": code, "message": message}, "entries": None})


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def route(self):
        parts = urllib.parse.urlsplit(self.path)
        segments = parts.path.split("/")
        # ['', 'v1', KEY, 'sms', NAME]
        if len(segments) != 5 or segments[1] != "v1" or segments[3] != "sms":
            return None, None, parts
        if segments[2] != self.server.api_key:
            return "bad-key", segments[4], parts
        return "ok", segments[4], parts

    def do_GET(self):
        self.handle_any({})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        self.handle_any(dict(urllib.parse.parse_qsl(body, keep_blank_values=True)))

    def handle_any(self, form):
        ok, name, parts = self.route()
        if ok is None:
            return error(self, 404, "method not found")
        if ok == "bad-key":
            return error(self, 403, "invalid API key")
        query = dict(urllib.parse.parse_qsl(parts.query))
        if name == "send.json":
            return self.send_sms(form)
        if name == "statuslocalmessageid.json":
            return self.report(query.get("localid", "") or form.get("localid", ""))
        return error(self, 404, "method not found")

    def send_sms(self, form):
        args = self.server.args
        receptor, sender = form.get("receptor", ""), form.get("sender", "")
        message, localid = form.get("message", ""), form.get("localid", "")
        if not receptor or not sender or not message or not localid:
            return error(self, 400, "parameters are incomplete")
        if args.send_delay:
            time.sleep(args.send_delay)
        with lock:
            state["sends"] += 1
            if localid in state["by_localid"]:
                entry = state["by_localid"][localid]
                return reply(self, 200, {"return": {"status": 200, "message": "تایید شد"},
                                         "entries": [entry]})
            if state["busy"] < args.busy:
                state["busy"] += 1
                return error(self, 409, "server is busy")
            if state["drop"] < args.drop:
                state["drop"] += 1
                drop = True
            else:
                drop = False
            if not drop and state["no_credit"] < args.no_credit:
                state["no_credit"] += 1
                return error(self, 418, "not enough credit")
            if not drop and receptor in args.bad:
                return error(self, 411, "receptor is invalid")
            # A dropped connection loses the answer, not the message: it is sent.
            state["next_id"] += 1
            entry = {"messageid": state["next_id"], "message": message, "status": 1,
                     "statustext": "در صف ارسال", "sender": sender, "receptor": receptor,
                     "date": int(time.time()), "cost": 120, "localid": localid}
            state["by_localid"][localid] = entry
            with open(args.record, "a", encoding="utf-8") as record:
                record.write(json.dumps({"localid": localid, "receptor": receptor,
                                         "message": message,
                                         "messageid": entry["messageid"],
                                     "t": time.monotonic()},
                                        ensure_ascii=False) + "\n")
        if drop:
            # The message went out; the connection goes away without an answer.
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return None
        return reply(self, 200, {"return": {"status": 200, "message": "تایید شد"},
                                 "entries": [entry]})

    def report(self, localids):
        args = self.server.args
        held = args.hold_reports and os.path.exists(args.hold_reports)
        entries = []
        with lock:
            for localid in [x for x in localids.split(",") if x]:
                entry = state["by_localid"].get(localid)
                if entry is None:
                    entries.append({"localid": localid, "messageid": 0, "status": 100,
                                    "statustext": "unknown"})
                    continue
                if held:
                    status, text = 4, "ارسال به مخابرات"
                elif entry["receptor"] in args.blocked:
                    status, text = 14, "blocked"
                else:
                    status, text = 10, "رسیده به گیرنده"
                entries.append({"localid": localid, "messageid": entry["messageid"],
                                "status": status, "statustext": text})
        reply(self, 200, {"return": {"status": 200, "message": "تایید شد"},
                          "entries": entries})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--key-value", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--record", required=True)
    p.add_argument("--busy", type=int, default=0)
    p.add_argument("--no-credit", type=int, default=0)
    p.add_argument("--drop", type=int, default=0)
    p.add_argument("--bad", action="append", default=[])
    p.add_argument("--blocked", action="append", default=[])
    p.add_argument("--hold-reports")
    p.add_argument("--send-delay", type=float, default=0.0)
    args = p.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    # A client that goes away mid-answer (a killed server) is no error of the gateway.
    server.handle_error = lambda request, address: None
    server.args = args
    server.api_key = args.key_value
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    open(args.record, "a").close()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
