#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs systemd-analyze verify on packaging/payam-server.service with its binaries pointed at
# the build (the installed paths do not exist yet), checks LimitNOFILE and that the
# sandboxing scores an exposure of "OK" or better in systemd-analyze security. Usage: check-systemd-unit.sh UNIT SERVER CTL
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e "s|/usr/bin/payam-server|$2|g" -e "s|/usr/bin/payamctl|$3|g" "$1" > "$tmp/payam-server.service"
out=$(systemd-analyze verify "$tmp/payam-server.service" 2>&1) || { echo "$out"; exit 1; }
# verify exits 0 on some warnings; any line about our unit is a failure.
if printf '%s\n' "$out" | grep -q 'payam-server.service'; then
  echo "$out"
  exit 1
fi
# The file limit the connection caps are computed from.
grep -q '^LimitNOFILE=[0-9]' "$tmp/payam-server.service" || { echo "no LimitNOFILE"; exit 1; }
# systemd-analyze's exposure score: "OK" or better (below 5.0; 1.2 when written).
if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
  score=$(systemd-analyze security --offline=true "$tmp/payam-server.service" 2>/dev/null |
          sed -n 's/^→ Overall exposure level for payam-server.service: \([0-9.]*\) .*/\1/p')
  echo "exposure: ${score:-none}"
  [ -n "$score" ] || exit 1
  awk -v s="$score" 'BEGIN { exit !(s < 5.0) }' || exit 1
fi
echo "ok"
