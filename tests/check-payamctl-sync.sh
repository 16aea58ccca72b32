#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# payamctl sync end to end: the built payam-server on 127.0.0.1, a kiosk and an office desk
# enrolled with one-time codes; the kiosk's offline requests reach the office, a second
# sync moves nothing, and an unreachable server, a revoked device and a wrong certificate
# each fail with a reason. TAP output.
# Usage: check-payamctl-sync.sh PAYAM_SERVER PAYAMCTL REQUESTS.jsonl
set -u
server=$1
ctl=$2
requests=$3
tmp=$(mktemp -d)
pid=
other=
cleanup () {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  [ -n "$other" ] && kill "$other" 2>/dev/null
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

if ! command -v sqlite3 >/dev/null 2>&1; then
  echo "1..0 # SKIP sqlite3 missing"
  exit 0
fi

# Start payam-server on a free port with state dir $1; sets $started_pid and $port.
start_server () {
  "$server" --db "$tmp/$1.db" --listen 127.0.0.1:0 --state-dir "$tmp/$1" >"$tmp/$1.log" 2>&1 &
  started_pid=$!
  port=
  for _ in $(seq 1 100); do
    port=$(sed -n 's|^Listening on https://127\.0\.0\.1:\([0-9]*\)/$|\1|p' "$tmp/$1.log")
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  echo "Bail out! the server did not start:"
  sed 's/^/# /' "$tmp/$1.log"
  exit 1
}

for db in server other kiosk office; do
  "$ctl" --db "$tmp/$db.db" init >/dev/null || exit 1
done
start_server server
pid=$started_pid
url=https://127.0.0.1:$port

for role in kiosk office; do
  code=$("$ctl" --db "$tmp/server.db" enrol-code --role $role --ttl 1 | tail -n 1)
  "$ctl" --db "$tmp/$role.db" enrol "$url" "$code" >/dev/null || exit 1
done

count=$(grep -c . "$requests")
check "the kiosk registers $count requests offline" "$ctl" --db "$tmp/kiosk.db" import "$requests"

# The value of line "$2" in the output file $1 ("Changes sent: 12" → 12).
moved () {
  sed -n "s/^$2: \([0-9]*\)$/\1/p" "$1"
}

"$ctl" --db "$tmp/kiosk.db" sync >"$tmp/kiosk-1" 2>&1
check "kiosk sync succeeds" test $? = 0
check "the kiosk sent its changes" test "$(moved "$tmp/kiosk-1" 'Changes sent')" -ge "$count"
check "its outbox is empty" \
  test "$(sqlite3 "$tmp/kiosk.db" 'SELECT count(*) FROM outbox')" = 0

"$ctl" --db "$tmp/office.db" sync >"$tmp/office-1" 2>&1
check "office sync succeeds" test $? = 0
check "the office received changes" test "$(moved "$tmp/office-1" 'Changes received')" -ge "$count"
check "the office exports every request" \
  test "$("$ctl" --db "$tmp/office.db" export | grep -c .)" = "$count"
check "the office sees the kiosk's texts" \
  sh -c "'$ctl' --db '$tmp/office.db' export | grep -q 'بوی گاز شدید'"

for role in kiosk office; do
  "$ctl" --db "$tmp/$role.db" sync >"$tmp/$role-2" 2>&1
  check "a second $role sync moves nothing" \
    sh -c "[ \$? = 0 ] && grep -q '^Changes sent: 0$' '$tmp/$role-2' &&
           grep -q '^Photos sent: 0$' '$tmp/$role-2' &&
           grep -q '^Changes received: 0$' '$tmp/$role-2' &&
           grep -q '^Photos received: 0$' '$tmp/$role-2'"
done

# A server with another certificate at the kiosk's address: refused, with the reason.
start_server other
other=$started_pid
sqlite3 "$tmp/kiosk.db" \
  "UPDATE meta SET value = 'https://127.0.0.1:$port' WHERE key = 'sync_server_url'"
"$ctl" --db "$tmp/kiosk.db" sync >"$tmp/kiosk-cert" 2>&1
check "another certificate: exit 1" test $? = 1
check "… saying the certificate is not the trusted one" grep -q 'certificate' "$tmp/kiosk-cert"
kill "$other"
wait "$other" 2>/dev/null
other=

"$ctl" --db "$tmp/kiosk.db" sync >"$tmp/kiosk-down" 2>&1
check "no server: exit 1" test $? = 1
check "… saying it could not reach the server" \
  grep -q 'Could not reach the server' "$tmp/kiosk-down"

device=$(sqlite3 "$tmp/office.db" "SELECT value FROM meta WHERE key = 'device_id'")
"$ctl" --db "$tmp/server.db" revoke "$device" >/dev/null
"$ctl" --db "$tmp/office.db" sync >"$tmp/office-revoked" 2>&1
check "a revoked device: exit 1" test $? = 1
check "… with the server's reason" grep -q 'Sync did not finish: ..*' "$tmp/office-revoked"

echo "1..$n"
[ "$failed" = 0 ] ||
  for f in "$tmp"/kiosk-* "$tmp"/office-*; do sed "s|^|# $(basename "$f"): |" "$f"; done
exit "$failed"
