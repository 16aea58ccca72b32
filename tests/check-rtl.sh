#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# STYLE §25: no left/right in UI code or markup. Fails on GTK_JUSTIFY_LEFT, PANGO_ALIGN_LEFT,
# margin-left, padding-right, text-align: left … under src/, sync/ and ui/ unless the match
# is listed in tests/rtl-allowlist.txt ("path:text on the line", one a line, # comments).
# Usage: check-rtl.sh SOURCE_ROOT
set -u

srcdir=${1:-.}
cd "$srcdir" || exit 2
allow=tests/rtl-allowlist.txt
status=0
report=$(mktemp)
trap 'rm -f "$report"' EXIT

pattern='GTK_JUSTIFY_(LEFT|RIGHT)|PANGO_ALIGN_(LEFT|RIGHT)|GTK_ALIGN_(LEFT|RIGHT)|GTK_POS_(LEFT|RIGHT)'
pattern="$pattern"'|PANGO_DIRECTION_LTR|margin[-_](left|right)|padding[-_](left|right)'
pattern="$pattern"'|border[-_](left|right)|text-align:[[:space:]]*(left|right)'
pattern="$pattern"'|>(left|right)</property>|set_margin_(left|right)|GTK_TEXT_DIR_LTR'

matches=$(grep -rnE "$pattern" src sync ui \
            --include='*.c' --include='*.h' --include='*.ui' --include='*.css' 2>/dev/null)

[ -z "$matches" ] && { echo "no left/right found"; exit 0; }

printf '%s\n' "$matches" | while IFS= read -r match; do
  file=${match%%:*}
  rest=${match#*:}
  line=${rest#*:}
  allowed=0
  if [ -f "$allow" ]; then
    while IFS= read -r entry; do
      case "$entry" in ''|'#'*) continue ;; esac
      afile=${entry%%:*}
      atext=${entry#*:}
      if [ "$afile" = "$file" ]; then
        case "$line" in *"$atext"*) allowed=1; break ;; esac
      fi
    done < "$allow"
  fi
  if [ "$allowed" -eq 0 ]; then
    echo "left/right in $match"
    echo fail
  fi
done > "$report" 2>&1
if grep -q '^fail$' "$report"; then
  grep -v '^fail$' "$report"
  echo "Use start/end (GTK_ALIGN_START, margin-start, xalign) or :dir() CSS pairs; see STYLE §25."
  echo "A widget that must stay LTR is listed in $allow with the reason in a comment."
  status=1
else
  echo "only allow-listed left/right found"
fi
exit "$status"
