#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# One vocabulary (../shared/GLOSSARY.md, "not" column): fails when a msgstr of po/fa.po uses
# a word the district does not use with people, an Arabic yeh or kaf, or «نه» as an answer.
# Usage: check-po-words.py SOURCE_ROOT
import re
import sys

if len(sys.argv) != 2:
    sys.exit("usage: check-po-words.py SOURCE_ROOT")

# (pattern, what to write instead). Patterns start at a word boundary of Persian text.
WORD = r"(?<![\u0600-\u06FF\u200c])"
NOT = [
    ("کد پیگیری", "کد رهگیری"),
    ("گروه", "اکیپ for a crew; پیام‌های تکراری for duplicates"),
    ("برگهٔ کار", "کاربرگ"),
    ("برگه کار", "کاربرگ"),
    ("نشانه", "مکان شناخته‌شده (a landmark)"),
    ("دسته", "موضوع (a category)"),
    ("درخواست", "پیام (a citizen's message)"),
    ("همگام", "ارسال و دریافت (staff); to citizens say what happens"),
    ("کیوسک", "این دستگاه"),
    ("نویسه", "حرف"),
    ("شناخته نیست", "پیدا نشد / معتبر نیست (a calque)"),
    ("مال من", "پیام من (colloquial)"),
    ("از کی", "از چه زمانی (colloquial)"),
    ("ممکن نشد", "انجام نشد / امکان انجام نبود"),
    ("پیوست", "یکی کردن پیام‌های تکراری"),
    ("دنبال کن", "پیگیری کنید"),
    ("به پیام خوش", "به سامانهٔ ۱۳۷ … خوش آمدید"),
]
# Search words a desktop file lists for people who type them (Keywords=): the words they
# use, not the district's.
KEYWORD_LIST = re.compile(r"^[^ ]*(;[^ ;]+)+;$")


def unquote(text):
    return bytes(text[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def entries(path):
    """(msgid, [msgstr…]) of every entry of the PO file at @path."""
    out, current, field = [], None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
            if match:
                key, value = match.group(1), unquote(match.group(2))
                if key in ("msgid", "msgctxt") and (current is None or current[2]):
                    current = ["", [], False]
                    out.append(current)
                if key == "msgid":
                    field = ("id", None)
                    current[0] = value
                elif key.startswith("msgstr"):
                    current[1].append(value)
                    current[2] = True
                    field = ("str", len(current[1]) - 1)
                else:
                    field = (None, None)
            elif line.startswith('"') and current is not None:
                if field[0] == "id":
                    current[0] += unquote(line)
                elif field[0] == "str":
                    current[1][field[1]] += unquote(line)
    return [(msgid, strs) for msgid, strs, _done in out if msgid]


problems = []
for msgid, msgstrs in entries(sys.argv[1] + "/po/fa.po"):
    for msgstr in msgstrs:
        if KEYWORD_LIST.match(msgid):
            continue
        for word, instead in NOT:
            if re.search(WORD + re.escape(word), msgstr):
                problems.append("«%s» in %r (write %s)" % (word, msgstr[:80], instead))
        if re.search("[يك]", msgstr):
            problems.append("Arabic yeh or kaf in %r (write ی and ک)" % msgstr[:80])
        # «نه» as an answer: alone, or after a colon ("Danger to people: no").
        if re.fullmatch(r"\s*نه\s*", msgstr) or re.search(r"[:：]\s*نه\s*$", msgstr):
            problems.append("«نه» as an answer in %r (write خیر)" % msgstr[:80])

checked = len(entries(sys.argv[1] + "/po/fa.po"))
print("1..2")
# The check itself can fail: a catalogue entry with a forbidden word is found.
selftest = [w for w, _ in NOT if re.search(WORD + re.escape(w), "کد پیگیری این دسته")]
print("%s 1 - the check finds «کد پیگیری» and «دسته» in a sample" %
      ("ok" if selftest == ["کد پیگیری", "دسته"] else "not ok"))
for problem in problems[:40]:
    print("# " + problem)
print("%s 2 - the %d entries of po/fa.po use the glossary's words (%d problems)" %
      ("ok" if not problems else "not ok", checked, len(problems)))
sys.exit(0 if not problems and selftest == ["کد پیگیری", "دسته"] else 1)
