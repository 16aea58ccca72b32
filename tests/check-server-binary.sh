#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The built payam-server on 127.0.0.1, talked to with curl (trusting only its own certificate)
# and with the built payamctl: enrolment once, whoami, errors as JSON, plain HTTP refused,
# SIGTERM. TAP output. Usage: check-server-binary.sh PAYAM_SERVER PAYAMCTL
set -u
server=$1
ctl=$2
tmp=$(mktemp -d)
pid=
cleanup () {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

n=0
failed=0
check () {
  # $1: description; the rest: a command that must succeed
  n=$((n + 1))
  desc=$1
  shift
  if "$@" >/dev/null 2>&1; then
    echo "ok $n - $desc"
  else
    echo "not ok $n - $desc"
    failed=1
  fi
}

if ! command -v curl >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1; then
  echo "1..0 # SKIP curl or sqlite3 missing"
  exit 0
fi

"$ctl" --db "$tmp/office.db" init >/dev/null || exit 1
"$ctl" --db "$tmp/kiosk.db" init >/dev/null || exit 1

# Without GIO's TLS module the server says so and does not start.
mkdir "$tmp/no-modules"
GIO_MODULE_DIR="$tmp/no-modules" "$server" --db "$tmp/office.db" --listen 127.0.0.1:0 \
  --state-dir "$tmp/state" >"$tmp/no-tls" 2>&1
no_tls=$?
check "without TLS it refuses to start and says why" \
  sh -c "[ $no_tls = 1 ] && grep -q 'TLS is not available' '$tmp/no-tls' && [ ! -e '$tmp/state/cert.pem' ]"
check "a listen address that is a name is refused" \
  sh -c "! '$server' --db '$tmp/office.db' --listen localhost:8443 --state-dir '$tmp/state'"

"$server" --db "$tmp/office.db" --listen 127.0.0.1:0 --state-dir "$tmp/state" \
  >"$tmp/log" 2>&1 &
pid=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's|^Listening on https://127\.0\.0\.1:\([0-9]*\)/$|\1|p' "$tmp/log")
  [ -n "$port" ] && break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "Bail out! the server did not start:"
  sed 's/^/# /' "$tmp/log"
  exit 1
fi

url=https://localhost:$port
# Trust the server's own certificate and nothing else (it names localhost).
c () {
  curl -sS --max-time 10 --cacert "$tmp/state/cert.pem" --resolve "localhost:$port:127.0.0.1" "$@"
}

status_is () {
  # $1: expected status, $2: expected error code in the JSON body, then curl arguments
  want=$1
  code=$2
  shift 2
  out=$(c -o "$tmp/body" -w '%{http_code} %{content_type}' "$@") || return 1
  [ "$out" = "$want application/json" ] && grep -q "\"error\":\"$code\"" "$tmp/body"
}

check "key and office key are private" \
  sh -c "[ \"\$(stat -c %a '$tmp/state/key.pem')\" = 600 ] && [ \"\$(stat -c %a '$tmp/state/office.key')\" = 600 ]"
fingerprint=$(sed -n 's/^Certificate SHA-256: //p' "$tmp/log" | tr -d : | tr 'A-F' 'a-f')
check "printed fingerprint is the certificate's" \
  sh -c "openssl x509 -in '$tmp/state/cert.pem' -outform DER 2>/dev/null | sha256sum | grep -q '^$fingerprint '"
check "whoami without credential: 401 JSON" status_is 401 unauthorized "$url/v1/whoami"
check "unknown tracking code: 404 JSON" status_is 404 not-found "$url/v1/track/123456789012"
check "malformed JSON: 400 JSON" status_is 400 malformed \
  -H 'Content-Type: application/json' --data '{"version":1,' "$url/v1/enrol"
check "unknown member: 400 JSON" status_is 400 malformed -H 'Content-Type: application/json' \
  --data '{"version":1,"code":"AAAAAAAAAAAAAAAA","device_id":"018c3f2a-1b2c-7d3e-8f40-123456789abc","x":1}' \
  "$url/v1/enrol"
# (curl sends one Host header at most: test-sync-server.c sends two over a raw connection.)
check "plain HTTP gets no HTTP answer" \
  sh -c "! curl -s --max-time 5 -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/v1/whoami | grep -q '^[1-5]'"
check "a certificate that is not trusted is refused by curl" \
  sh -c "! curl -s --max-time 5 --resolve localhost:$port:127.0.0.1 $url/v1/whoami"

code=$("$ctl" --db "$tmp/office.db" enrol-code --role kiosk --ttl 1 | tail -n 1)
check "enrol-code prints a code on its last line" \
  sh -c "echo '$code' | grep -Eq '^[A-Z2-7]{6}(-[A-Z2-7]{1,6}){6}$'"
check "payamctl enrol with the code" "$ctl" --db "$tmp/kiosk.db" enrol "https://127.0.0.1:$port" "$code"
check "the same code a second time is refused" \
  sh -c "! '$ctl' --db '$tmp/kiosk.db' enrol 'https://127.0.0.1:$port' '$code'"
credential=$(sqlite3 "$tmp/kiosk.db" "SELECT value FROM meta WHERE key = 'sync_credential'")
device=$(sqlite3 "$tmp/kiosk.db" "SELECT value FROM meta WHERE key = 'device_id'")
check "whoami with the credential" \
  sh -c "curl -sS --max-time 10 --cacert '$tmp/state/cert.pem' --resolve localhost:$port:127.0.0.1 -H 'Authorization: Bearer $credential' $url/v1/whoami | grep -q '\"device_id\":\"$device\",\"role\":\"kiosk\"'"
check "payamctl devices lists it" sh -c "'$ctl' --db '$tmp/office.db' devices | grep -q '^$device .*kiosk.*active'"
check "payamctl revoke" "$ctl" --db "$tmp/office.db" revoke "$device"
check "revoked credential: 403 JSON" status_is 403 revoked \
  -H "Authorization: Bearer $credential" "$url/v1/whoami"

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
check "SIGTERM stops it cleanly" test "$rc" = 0
check "it said so" grep -q '^Stopped\.$' "$tmp/log"
check "one log line per request, with the device" \
  grep -q "^$device GET /v1/whoami 200 [0-9.]*ms$" "$tmp/log"

echo "1..$n"
[ "$failed" = 0 ] || sed 's/^/# /' "$tmp/log"
exit "$failed"
