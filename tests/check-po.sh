#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when po/fa.po is invalid (msgfmt --check), has fuzzy or untranslated entries, or
# lacks a translation for any string extracted from the files in po/POTFILES.in.
# Usage: check-po.sh SOURCE_ROOT
set -u

srcdir=${1:-.}
cd "$srcdir" || exit 2
po=po/fa.po
status=0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

count () {
  # $1: msgfmt --statistics line, $2: word ("fuzzy" or "untranslated")
  printf '%s\n' "$1" | sed -n "s/.* \([0-9][0-9]*\) $2 .*/\1/p; s/^\([0-9][0-9]*\) $2 .*/\1/p" | head -n 1
}

check_stats () {
  # $1: file, $2: what it is
  if ! stats=$(msgfmt --check --statistics -o /dev/null "$1" 2>&1); then
    echo "msgfmt --check failed on $2:"
    echo "$stats"
    status=1
    return
  fi
  echo "$2: $stats"
  fuzzy=$(count "$stats" fuzzy)
  untranslated=$(count "$stats" untranslated)
  if [ -n "$fuzzy" ] && [ "$fuzzy" != 0 ]; then
    echo "$2 has $fuzzy fuzzy translation(s):"
    msgattrib --only-fuzzy --no-obsolete "$1" | grep '^msgid' | head -n 20
    status=1
  fi
  if [ -n "$untranslated" ] && [ "$untranslated" != 0 ]; then
    echo "$2 has $untranslated untranslated message(s):"
    msgattrib --untranslated --no-obsolete "$1" | grep '^msgid' | head -n 20
    status=1
  fi
}

check_stats "$po" "$po"

# Every string in the sources must be in fa.po: extract as meson's glib preset does, then
# merge without fuzzy matching, so a missing msgid shows up as untranslated.
if command -v xgettext >/dev/null && command -v msgmerge >/dev/null; then
  if ! xgettext --package-name=payam --from-code=UTF-8 --add-comments \
        --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
        --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
        --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
        --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
        --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
        --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
        --flag=g_markup_printf_escaped:1:c-format --flag=g_printerr:1:c-format \
        --files-from=po/POTFILES.in --directory=. --output="$tmp/payam.pot" 2> "$tmp/xgettext.log"; then
    echo "xgettext failed:"
    cat "$tmp/xgettext.log"
    exit 1
  fi
  if [ -f "$tmp/payam.pot" ]; then
    msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/merged.po" "$po" "$tmp/payam.pot"
    check_stats "$tmp/merged.po" "$po merged with the sources"
  fi
fi

exit "$status"
