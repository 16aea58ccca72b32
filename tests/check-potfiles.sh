#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when po/POTFILES.in is stale: a file under src/, sync/, ui/ or packaging/ with
# translatable strings (_(, N_(, C_(, NC_(, g_dngettext, translatable="yes", or a desktop,
# metainfo or schema file) is missing, a listed file does not exist, or the list is unsorted.
# Usage: check-potfiles.sh SOURCE_ROOT
set -u

srcdir=${1:-.}
cd "$srcdir" || exit 2
potfiles=po/POTFILES.in
status=0

if [ ! -f "$potfiles" ]; then
  echo "missing $potfiles"
  exit 1
fi

listed=$(mktemp)
trap 'rm -f "$listed"' EXIT
grep -v -e '^#' -e '^[[:space:]]*$' "$potfiles" > "$listed"

# Sorted, so that merges of parallel work stay conflict-free.
if ! LC_ALL=C sort -c "$listed" 2>/dev/null; then
  echo "$potfiles is not sorted (LC_ALL=C sort)"
  status=1
fi

if [ -n "$(LC_ALL=C sort "$listed" | uniq -d)" ]; then
  echo "$potfiles lists a file twice:"
  LC_ALL=C sort "$listed" | uniq -d
  status=1
fi

while read -r f; do
  if [ ! -f "$f" ]; then
    echo "listed in $potfiles but missing: $f"
    status=1
  fi
done < "$listed"

check_file () {
  if ! grep -qxF "$1" "$listed"; then
    echo "has translatable strings but is not in $potfiles: $1"
    status=1
  fi
}

for f in $(find src sync ui -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null | LC_ALL=C sort); do
  if grep -qE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|Q_|g_dngettext|g_dpgettext2|ngettext)[[:space:]]*\(' "$f"; then
    check_file "$f"
  fi
done

for f in $(find src sync ui -type f -name '*.ui' 2>/dev/null | LC_ALL=C sort); do
  if grep -q 'translatable="yes"' "$f"; then
    check_file "$f"
  fi
done

for f in $(find packaging -type f \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' \
                                   -o -name '*.gschema.xml' \) 2>/dev/null | LC_ALL=C sort); do
  check_file "$f"
done

if [ "$status" -eq 0 ]; then
  echo "$potfiles: $(wc -l < "$listed") files, complete and sorted"
fi
exit "$status"
