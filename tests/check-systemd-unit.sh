#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs systemd-analyze verify on packaging/payam-server.service with its binaries pointed at
# the build (the installed paths do not exist yet). Usage: check-systemd-unit.sh UNIT SERVER CTL
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
echo "ok"
