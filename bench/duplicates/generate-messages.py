#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate realistic Persian municipal messages with ground-truth duplicate groups.

Every problem (a pothole in front of plate 12, a fallen tree by the park, ...) is reported
by one or more citizens, each in their own words: formal or colloquial register, synonyms,
word order, greetings and politeness formulas, and the spelling variants of real input
(Arabic yeh/kaf, missing ZWNJ, Persian/ASCII/Arabic-Indic digits, diacritics, typos).
Places come from src/core/data/places.json and categories from categories.json. Hard
negatives are made on purpose: another problem on the same street, the same kind of
problem on a nearby street or a few plates away, and the same problem type weeks later.

Output: JSON Lines on standard output (or -o FILE), one message a line with the fields of
`payamctl import` plus `problem_id` (messages with the same one report the same problem)
and `id` (a stable string). The same --seed always gives the same file.

    python3 bench/duplicates/generate-messages.py --seed 137 --count 3000 \
        -o tests/data/messages-labelled.jsonl
"""

import argparse
import datetime
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "src", "core", "data")

ZWNJ = "\u200c"

# First report times fall in this window; duplicates follow within hours or days.
START = datetime.datetime(2026, 10, 1, 5, 0, tzinfo=datetime.timezone.utc)
WINDOW_DAYS = 42

# ---------------------------------------------------------------------------------------
# Words. {slot} in a clause is replaced by one of SYNONYMS[slot], chosen per reporter, so
# two reporters of one problem often name it differently.
SYNONYMS = {
    "pothole": ["چاله", "گودال", "دست‌انداز", "چاله چوله"],
    "asphalt": ["آسفالت", "آسفالت خیابان", "روکش آسفالت"],
    "lamp": ["لامپ", "چراغ", "تیر برق", "چراغ برق", "لامپ تیر برق", "چراغ تیر برق"],
    "trash": ["آشغال", "زباله", "پسماند", "آشغال‌ها", "زباله‌ها"],
    "bin": ["سطل زباله", "مخزن زباله", "سطل آشغال", "مخزن"],
    "tree": ["درخت", "درخت چنار", "درخت بزرگ", "درخت کهنسال"],
    "branch": ["شاخه", "شاخه‌ی درخت", "شاخه‌های درخت"],
    "gutter": ["جوی", "جوی آب", "آبرو", "کانال آب"],
    "flood": ["آب‌گرفتگی", "آب جمع شده", "آب"],
    "manhole": ["دریچه فاضلاب", "درپوش چاه", "دریچه‌ی آبرو", "درب منهول"],
    "tiles": ["موزاییک‌ها", "سنگ‌فرش", "کف پیاده‌رو", "سنگ‌های پیاده‌رو"],
    "sidewalk": ["پیاده‌رو", "پیاده‌روی", "مسیر عابر پیاده"],
    "debris": ["نخاله", "نخاله ساختمانی", "خاک و نخاله", "مصالح ساختمانی"],
    "dogs": ["سگ‌های ولگرد", "سگ‌های بی‌صاحب", "چند تا سگ ولگرد", "سگ‌های بلاتکلیف"],
    "sign": ["تابلو", "تابلوی راهنمایی", "تابلوی ایست", "علامت راهنمایی"],
    "wall": ["دیوار", "دیوار خانه‌ی قدیمی", "دیوار ساختمان کلنگی"],
    "crack": ["ترک", "شکاف", "ترک بزرگ"],
    "dirty": ["کثیف", "پر از خاک و آشغال", "خیلی کثیف"],
}

# Problem templates per category. Each has clauses in a formal (f) and a colloquial (c)
# register, optional details, a hazard probability, and the other categories a citizen
# might choose for the same problem.
TEMPLATES = [
    # asphalt
    dict(key="pothole", category="asphalt", hazard=0.3, alt=["sidewalk", "surface-water"], f=[
        "{pothole} عمیقی در سطح {asphalt} ایجاد شده است",
        "در {asphalt} یک {pothole} بزرگ به وجود آمده است",
        "وجود {pothole} در وسط معبر باعث خسارت به خودروها می‌شود",
    ], c=[
        "یه {pothole} گنده وسط خیابونه",
        "{asphalt} خراب شده و {pothole} درست شده",
        "ماشینا میفتن تو {pothole}",
        "{pothole} وسط کوچه هست هر روز بزرگتر میشه",
    ], details=["از هفته‌ی پیش", "چند روزه", "موتوری‌ها زمین می‌خورند", "لاستیک ماشین‌ها آسیب می‌بیند",
                "شب‌ها دیده نمی‌شود"]),
    dict(key="digging", category="asphalt", hazard=0.2, alt=["debris"], f=[
        "پس از حفاری لوله‌کشی، {asphalt} ترمیم نشده است",
        "محل حفاری شرکت گاز بدون آسفالت رها شده است",
    ], c=[
        "کندن خیابونو واسه لوله کشی، دیگه {asphalt} نکردن",
        "بعد کندن کوچه هنوز خاکیه، {asphalt} نشده",
        "حفاری کردن و همینجوری ول کردن",
    ], details=["یک ماه است", "گرد و خاک زیادی بلند می‌شود", "ماشین‌ها گیر می‌کنند"]),
    dict(key="sunken", category="asphalt", hazard=0.35, alt=["surface-water"], f=[
        "{asphalt} کنار جوی نشست کرده است",
        "نشست {asphalt} در کنار دریچه فاضلاب مشاهده می‌شود",
    ], c=[
        "{asphalt} کنار جوب نشست کرده، گود شده",
        "زمین کنار جدول رفته پایین",
    ], details=["ممکن است بیشتر فرو برود", "از بعد از باران"]),
    # lighting
    dict(key="streetlight", category="lighting", hazard=0.25, alt=["traffic-signs"], f=[
        "{lamp} خاموش است و معبر در شب تاریک است",
        "{lamp} چند شب است روشن نمی‌شود",
        "روشنایی معبر به دلیل خرابی {lamp} قطع شده است",
    ], c=[
        "{lamp} سوخته، شبا کوچه تاریکه",
        "{lamp} چند شبه خاموشه",
        "شبا اینجا خیلی تاریکه، {lamp} کار نمی‌کنه",
    ], details=["از سه شب پیش", "عبور زنان و کودکان در شب سخت است", "یک هفته است", "ترسناک است"]),
    dict(key="flicker", category="lighting", hazard=0.1, alt=[], f=[
        "{lamp} مدام خاموش و روشن می‌شود",
        "{lamp} چشمک می‌زند و نور کافی ندارد",
    ], c=[
        "{lamp} هی خاموش روشن میشه",
        "{lamp} چشمک میزنه اعصاب خورد کنه",
    ], details=["تمام شب", "از دیروز"]),
    dict(key="wire", category="lighting", hazard=0.8, alt=["unsafe-structure", "other"], f=[
        "سیم {lamp} از پایه بیرون زده و خطر برق‌گرفتگی دارد",
        "درپوش پایه‌ی {lamp} کنده شده و سیم‌ها بیرون است",
    ], c=[
        "سیم برق از پای {lamp} زده بیرون",
        "سیمای لخت پای {lamp} ریخته بیرون، بچه‌ها دست میزنن",
    ], details=["بچه‌ها آنجا بازی می‌کنند", "خیلی خطرناک است", "باران بیاید برق می‌گیرد"]),
    # waste
    dict(key="bin-full", category="waste", hazard=0.05, alt=["street-cleaning"], f=[
        "{bin} تخلیه نشده و {trash} در اطراف آن پخش شده است",
        "{trash} از دیروز جمع‌آوری نشده است",
        "{bin} پر شده و سرریز کرده است",
    ], c=[
        "{trash} رو نبردن، همه جا بو گرفته",
        "{bin} پره، دو روزه خالیش نکردن",
        "ماشین {trash} نیومده",
    ], details=["بوی بد می‌دهد", "گربه‌ها کیسه‌ها را پاره کرده‌اند", "از دو روز پیش", "مگس زیاد شده"]),
    dict(key="dumped-bags", category="waste", hazard=0.05, alt=["street-cleaning", "debris"], f=[
        "کیسه‌های {trash} کنار دیوار رها شده است",
        "تعدادی کیسه‌ی {trash} در معبر انباشته شده است",
    ], c=[
        "یکی کیسه {trash} ریخته کنار دیوار",
        "کنار دیوار پر کیسه {trash} شده",
    ], details=["بچه‌های مدرسه از کنارش رد می‌شوند", "بوی بدی دارد"]),
    dict(key="leachate", category="waste", hazard=0.1, alt=["street-cleaning", "surface-water"], f=[
        "شیرابه‌ی {bin} در {sidewalk} جاری شده است",
    ], c=[
        "آب کثیف از {bin} راه افتاده تو {sidewalk}",
        "شیرابه {trash} همه جا رو برداشته",
    ], details=["بوی تعفن می‌دهد", "لیز است"]),
    # green-space
    dict(key="fallen-tree", category="green-space", hazard=0.7, alt=["unsafe-structure", "street-cleaning"], f=[
        "{tree} در اثر باد شکسته و روی {sidewalk} افتاده است",
        "{tree} سقوط کرده و مسیر عبور را مسدود کرده است",
        "{branch} شکسته و روی سیم برق افتاده است",
    ], c=[
        "{tree} افتاده وسط کوچه، نمیشه رد شد",
        "باد دیشب {tree} رو انداخت رو ماشینا",
        "{branch} شکسته افتاده رو سیم برق",
    ], details=["راه بسته شده", "ممکن است روی کسی بیفتد", "از دیشب", "یک ماشین آسیب دیده"]),
    dict(key="dry-trees", category="green-space", hazard=0.0, alt=["other"], f=[
        "درختان باغچه‌ی کنار خیابان مدتی است آبیاری نشده‌اند",
        "فضای سبز رسیدگی نمی‌شود و درختان در حال خشک شدن هستند",
    ], c=[
        "کسی به درختا آب نمیده، دارن خشک میشن",
        "باغچه خشک شده، دو هفته‌ست آب ندادن",
    ], details=["دو هفته است", "حیف است"]),
    dict(key="overgrown", category="green-space", hazard=0.2, alt=["lighting", "traffic-signs"], f=[
        "{branch} جلوی {lamp} را گرفته و نیاز به هرس دارد",
        "{branch} بیش از حد رشد کرده و دید رانندگان را گرفته است",
    ], c=[
        "{branch} اومده جلوی {lamp}، باید هرس بشه",
        "شاخه‌ها اونقدر بلند شدن که تابلو دیده نمیشه",
    ], details=["شب‌ها تاریک است", "رانندگان دید ندارند"]),
    # surface-water
    dict(key="flooding", category="surface-water", hazard=0.4, alt=["asphalt", "street-cleaning"], f=[
        "{gutter} مسدود شده و بعد از بارندگی {flood} ایجاد شده است",
        "به علت گرفتگی {gutter}، معبر دچار {flood} شده است",
        "تقاطع پس از هر بارندگی زیر آب می‌رود",
    ], c=[
        "{gutter} گرفته، بارون که میاد همه جا آب وایمیسه",
        "کوچه رو آب برداشته، {gutter} کیپ شده",
        "با هر بارون اینجا دریاچه میشه",
    ], details=["عابران نمی‌توانند عبور کنند", "آب وارد خانه‌ها شده", "از دیروز", "پر از برگ شده"]),
    dict(key="manhole", category="surface-water", hazard=0.9, alt=["asphalt", "other"], f=[
        "{manhole} باز مانده و خطر سقوط دارد",
        "{manhole} شکسته و دهانه‌ی آن باز است",
    ], c=[
        "{manhole} بازه، یکی میفته توش",
        "درِ {manhole} رو بردن، یه سوراخ گنده مونده",
    ], details=["بچه‌ها از کنارش رد می‌شوند", "شب دیده نمی‌شود", "خیلی خطرناک است"]),
    dict(key="pipe-leak", category="surface-water", hazard=0.2, alt=["other", "asphalt"], f=[
        "لوله‌ی آب شکسته و آب در معبر جاری است",
        "نشت آب از زیر {asphalt} دیده می‌شود",
    ], c=[
        "لوله آب ترکیده، آب داره هدر میره",
        "از زیر {asphalt} آب میزنه بیرون",
    ], details=["از صبح", "آب زیادی هدر می‌رود"]),
    # sidewalk
    dict(key="broken-tiles", category="sidewalk", hazard=0.3, alt=["asphalt"], f=[
        "{tiles} کنده شده و عبور عابران دشوار است",
        "{tiles} شکسته و ناهموار شده است",
    ], c=[
        "{tiles} کنده شده، آدم پاش گیر میکنه میخوره زمین",
        "{sidewalk} داغونه، سنگاش لق شده",
    ], details=["سالمندان زمین می‌خورند", "یک خانم مسن زمین خورد", "کالسکه رد نمی‌شود"]),
    dict(key="blocked-sidewalk", category="sidewalk", hazard=0.1, alt=["other", "debris"], f=[
        "مغازه‌دار اجناس خود را در {sidewalk} چیده و راه را بسته است",
        "{sidewalk} توسط کسبه اشغال شده است",
    ], c=[
        "مغازه‌دار جنساشو چیده تو {sidewalk}، باید از تو خیابون رد شیم",
        "{sidewalk} رو گرفتن، جای رد شدن نیست",
    ], details=["هر روز همین است", "مجبوریم از وسط خیابان برویم"]),
    dict(key="ramp", category="sidewalk", hazard=0.2, alt=["asphalt"], f=[
        "رمپ ویلچر سر تقاطع شکسته است",
        "{sidewalk} رمپ مناسب برای ویلچر ندارد",
    ], c=[
        "رمپ ویلچر شکسته، با ویلچر نمیشه رفت",
    ], details=["برای معلولان مشکل ایجاد کرده", "پدرم با ویلچر نمی‌تواند عبور کند"]),
    # debris
    dict(key="construction-debris", category="debris", hazard=0.2, alt=["waste", "sidewalk"], f=[
        "{debris} در معبر تخلیه شده است",
        "یک کامیون {debris} شب گذشته کنار زمین خالی تخلیه کرده است",
        "{debris} نیمی از کوچه را مسدود کرده است",
    ], c=[
        "یکی شب اومده {debris} خالی کرده",
        "{debris} ریختن وسط کوچه، ماشین رد نمیشه",
        "ساختمون سازی کنار کوچه همه {debris} ها رو ریخته بیرون",
    ], details=["گرد و خاک بلند می‌شود", "راه بسته شده", "از دو روز پیش"]),
    dict(key="sand-pile", category="debris", hazard=0.15, alt=["street-cleaning"], f=[
        "توده‌ی شن و ماسه در سواره‌رو رها شده است",
    ], c=[
        "شن و ماسه ریختن تو خیابون، جمعش نمی‌کنن",
        "یه تل خاک و ماسه وسط راهه",
    ], details=["یک هفته است", "ماشین‌ها سر می‌خورند"]),
    # animals
    dict(key="stray-dogs", category="animals", hazard=0.4, alt=["other"], f=[
        "{dogs} در محل تجمع کرده‌اند و برای عابران خطرناک است",
        "حضور {dogs} باعث ترس کودکان شده است",
    ], c=[
        "{dogs} شبا اینجا جمع میشن، آدم می‌ترسه",
        "{dogs} به بچه‌ها حمله کردن",
        "چند تا سگ اینجا پرسه میزنن پارس میکنن",
    ], details=["شب‌ها", "صبح‌ها که بچه‌ها مدرسه می‌روند", "یک نفر را گاز گرفته‌اند"]),
    dict(key="dead-animal", category="animals", hazard=0.1, alt=["waste", "street-cleaning"], f=[
        "لاشه‌ی یک حیوان در کنار {gutter} افتاده است",
        "لاشه‌ی گربه در معبر رها شده است",
    ], c=[
        "یه گربه مرده افتاده کنار جوب",
        "لاشه حیوون افتاده، بو گرفته",
    ], details=["بوی بد می‌دهد", "از دیروز"]),
    # traffic-signs
    dict(key="fallen-sign", category="traffic-signs", hazard=0.4, alt=["lighting", "unsafe-structure"], f=[
        "{sign} کج شده و افتاده است",
        "{sign} سرنگون شده و روی {sidewalk} افتاده است",
    ], c=[
        "{sign} افتاده زمین",
        "باد {sign} رو خوابونده",
        "{sign} کج شده، الان میفته رو سر مردم",
    ], details=["رانندگان نمی‌بینند", "از بعد از طوفان"]),
    dict(key="faded-crossing", category="traffic-signs", hazard=0.3, alt=["asphalt"], f=[
        "خط‌کشی عابر پیاده پاک شده است",
        "خطوط عابر پیاده دیده نمی‌شود",
    ], c=[
        "خط عابر پیاده پاک شده، ماشینا نگه نمی‌دارن",
    ], details=["بچه‌های مدرسه عبور می‌کنند", "خطرناک است"]),
    # unsafe-structure
    dict(key="cracked-wall", category="unsafe-structure", hazard=0.7, alt=["other", "debris"], f=[
        "{wall} {crack} برداشته و به بیرون خم شده است",
        "در {wall} {crack} عمیقی ایجاد شده و احتمال ریزش دارد",
    ], c=[
        "{wall} {crack} خورده، داره میریزه",
        "{wall} کج شده، هر لحظه ممکنه خراب شه",
    ], details=["کنار آن بچه‌ها بازی می‌کنند", "بعد از باران بدتر شده", "خیلی خطرناک است"]),
    dict(key="facade", category="unsafe-structure", hazard=0.7, alt=["sidewalk"], f=[
        "سنگ‌های نمای ساختمان روی {sidewalk} می‌ریزد",
    ], c=[
        "سنگ نمای ساختمون داره میفته رو سر مردم",
        "از نمای ساختمون سنگ افتاد پایین",
    ], details=["نزدیک بود به کسی بخورد", "دیروز یک تکه افتاد"]),
    dict(key="abandoned-building", category="unsafe-structure", hazard=0.5, alt=["debris", "other"], f=[
        "ساختمان نیمه‌تخریب بدون حصار رها شده است",
    ], c=[
        "خونه کلنگی رو نصفه خراب کردن ول کردن، معتادا میرن توش",
    ], details=["شب‌ها افراد ناشناس رفت و آمد می‌کنند", "خطر ریزش دارد"]),
    # street-cleaning
    dict(key="dirty-street", category="street-cleaning", hazard=0.0, alt=["waste"], f=[
        "معبر مدتی است رفت‌وروب نشده و {dirty} است",
        "نظافت کوچه انجام نمی‌شود",
    ], c=[
        "یه هفته‌ست کسی جارو نکرده، خیلی {dirty}ه",
        "کوچه {dirty} شده، رفتگر نمیاد",
    ], details=["یک هفته است", "بعد از بازار روز", "برگ‌ها جمع نشده"]),
    dict(key="leaves", category="street-cleaning", hazard=0.05, alt=["surface-water", "green-space"], f=[
        "برگ‌های پاییزی {gutter} را پر کرده است",
        "برگ درختان در معبر انباشته شده است",
    ], c=[
        "برگا ریخته تو {gutter}، کسی جمع نمی‌کنه",
        "همه جا پر برگه",
    ], details=["باران بیاید آب جمع می‌شود", "سر می‌خوریم"]),
    dict(key="oil-spill", category="street-cleaning", hazard=0.4, alt=["asphalt", "other"], f=[
        "روغن روی {asphalt} ریخته و معبر لغزنده شده است",
    ], c=[
        "روغن ریختن رو {asphalt}، موتوریا لیز می‌خورن",
        "کنار تعمیرگاه همه جا روغنیه",
    ], details=["یک موتوری زمین خورد", "از دیروز"]),
    # other
    dict(key="bench", category="other", hazard=0.05, alt=["green-space"], f=[
        "نیمکت‌های پارک شکسته است",
        "پیشنهاد می‌شود نیمکت‌های جدید نصب شود",
    ], c=[
        "نیمکتای پارک شکسته، جای نشستن نیست",
        "لطفا چند تا نیمکت بذارید",
    ], details=["سالمندان جای نشستن ندارند", "بچه‌ها زخمی می‌شوند"]),
    dict(key="speed-bump", category="other", hazard=0.3, alt=["traffic-signs", "asphalt"], f=[
        "درخواست نصب سرعت‌گیر به دلیل سرعت زیاد خودروها",
        "پیشنهاد می‌شود برای ایمنی کودکان سرعت‌گیر نصب شود",
    ], c=[
        "ماشینا با سرعت رد میشن، یه سرعت‌گیر بذارید",
        "اینجا سرعت‌گیر لازمه، بچه‌ها رو زیر میگیرن",
    ], details=["نزدیک مدرسه است", "هفته‌ی پیش تصادف شد"]),
    dict(key="noise", category="other", hazard=0.0, alt=[], f=[
        "صدای دستگاه جوش کارگاه تا نیمه‌شب ادامه دارد",
    ], c=[
        "کارگاه تا نصف شب سر و صدا می‌کنه، نمیشه خوابید",
    ], details=["هر شب", "بچه‌ها خواب ندارند"]),
]

# Small rewrites a writer makes without changing the meaning; each applies to half the
# clauses that contain it.
REWRITES = [
    ("شده است", ["شده", "شده‌است", "گردیده است"]),
    ("می‌شود", ["میشود", "میشه"]),
    ("است", ["هست"]),
    ("بزرگ", ["خیلی بزرگ", "بزرگی"]),
    ("وسط", ["میانه‌ی", "درست وسط"]),
    ("خیابون", ["خیابان"]),
    ("کوچه", ["معبر", "کوچه‌مون"]),
    ("افتاده", ["افتاده", "پخش شده"]),
    ("خراب", ["داغون", "خراب"]),
    ("چند", ["چندین", "چند"]),
]

GREETINGS_F = ["با سلام و احترام", "سلام علیکم", "با سلام", "احتراماً به استحضار می‌رساند"]
GREETINGS_C = ["سلام", "سلام خسته نباشید", "سلام وقت بخیر", "سلام ببخشید"]
CLOSINGS_F = ["لطفاً رسیدگی کنید.", "خواهشمند است دستور رسیدگی صادر فرمایید.", "با تشکر",
              "لطفاً هر چه سریع‌تر اقدام شود.", "پیشاپیش از رسیدگی شما سپاسگزارم."]
CLOSINGS_C = ["لطفا رسیدگی کنید", "لطفا یه کاری بکنید", "ممنون میشم رسیدگی کنید", "دستتون درد نکنه",
              "مرسی", "تو رو خدا زودتر درستش کنید", "ممنون"]
HAZARD_F = ["این وضعیت خطرناک است.", "احتمال آسیب به شهروندان وجود دارد."]
HAZARD_C = ["خیلی خطرناکه", "ممکنه یکی آسیب ببینه", "یه اتفاقی میفته"]

# Location phrases: {street}, {landmark}, {plate} and {alley} are filled per reporter.
LOC_STREET_F = ["در {street}", "{street}، جنب پلاک {plate}", "{street}، روبروی پلاک {plate}",
                "{street}، نبش کوچه‌ی {alley}", "در {street} جلوی پلاک {plate}"]
LOC_STREET_C = ["تو {street}", "{street} جلو پلاک {plate}", "{street} سر کوچه {alley}",
                "{street} پلاک {plate}", "{street} کوچه {alley}"]
LOC_LANDMARK_F = ["در نزدیکی {landmark}", "روبروی {landmark}", "جنب {landmark}"]
LOC_LANDMARK_C = ["نزدیک {landmark}", "روبروی {landmark}", "بغل {landmark}", "پشت {landmark}"]

# Shops and buildings that citizens name beside the street; each problem has one, which
# some of its reporters mention.
LOCAL_SPOTS = ["نانوایی", "نانوایی سنگکی", "داروخانه", "سوپرمارکت", "بانک ملی", "بانک صادرات",
               "آرایشگاه", "قصابی", "میوه‌فروشی", "پمپ بنزین", "مهدکودک", "دبیرستان پسرانه",
               "کلانتری", "پارکینگ عمومی", "تعمیرگاه", "لبنیاتی", "ساختمان پزشکان", "کافه",
               "خشکشویی", "پست بانک", "ایستگاه تاکسی", "حسینیه", "گلفروشی", "کتابفروشی"]
SPOT_F = ["جلوی {spot}", "کنار {spot}", "روبروی {spot}", "نزدیک {spot}", "مقابل {spot}"]
SPOT_C = ["جلو {spot}", "بغل {spot}", "دم {spot}", "روبروی {spot}", "کنار {spot}"]

DIGITS = {"persian": "۰۱۲۳۴۵۶۷۸۹", "arabic": "٠١٢٣٤٥٦٧٨٩", "ascii": "0123456789"}
DIACRITICS = ["\u064e", "\u0650", "\u064f"]
CHANNELS = [("kiosk", 0.5), ("phone", 0.3), ("office", 0.15), ("crew", 0.05)]


def weighted(rng, pairs):
    """One item of (item, weight) pairs."""
    x = rng.random() * sum(w for _, w in pairs)
    for item, w in pairs:
        x -= w
        if x < 0:
            return item
    return pairs[-1][0]


def digits(text, form):
    return "".join(DIGITS[form][ord(ch) - 48] if "0" <= ch <= "9" else ch for ch in text)


def offset(lat, lon, metres, bearing):
    """The point @metres from (lat, lon) towards @bearing (radians), flat-earth."""
    dlat = metres * math.cos(bearing) / 111320.0
    dlon = metres * math.sin(bearing) / (111320.0 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def street_variant(rng, name):
    """How a citizen writes a gazetteer street name: with or without its kind, abbreviated."""
    if name.startswith("خیابان "):
        bare = name[len("خیابان "):]
        return weighted(rng, [(name, 0.55), (bare, 0.25), ("خ " + bare, 0.1), ("خ. " + bare, 0.1)])
    if name.startswith("کوچهٔ "):
        bare = name[len("کوچهٔ "):]
        return weighted(rng, [(name, 0.3), ("کوچه " + bare, 0.4), ("کوچه‌ی " + bare, 0.2), (bare, 0.1)])
    return name


def noisy(rng, text, profile):
    """Apply one reporter's spelling habits to @text."""
    if profile["arabic"]:
        text = text.replace("ی", "ي").replace("ک", "ك")
    if profile["zwnj"] == "drop":
        text = text.replace(ZWNJ, "")
    elif profile["zwnj"] == "space":
        text = text.replace(ZWNJ, " ")
    if profile["no_hamza"]:
        text = text.replace("هٔ", "ه").replace("ه‌ی ", "ه ")
    if profile["diacritics"]:
        chars = list(text)
        for i in range(len(chars) - 1):
            if "\u0628" <= chars[i] <= "\u06cc" and chars[i + 1] != " " and rng.random() < 0.06:
                chars[i] += rng.choice(DIACRITICS)
        text = "".join(chars)
    for _ in range(profile["typos"]):
        words = text.split(" ")
        long_ones = [i for i, w in enumerate(words) if len(w) >= 4 and not any(c.isdigit() for c in w)]
        if not long_ones:
            break
        i = rng.choice(long_ones)
        w = words[i]
        j = rng.randrange(1, len(w) - 1)
        kind = rng.random()
        if kind < 0.4:
            w = w[:j] + w[j + 1:]
        elif kind < 0.7:
            w = w[:j] + w[j] + w[j:]
        else:
            w = w[:j - 1] + w[j] + w[j - 1] + w[j + 1:]
        words[i] = w
        text = " ".join(words)
    if profile["no_punct"]:
        text = text.replace("،", "").replace(".", "")
    return text


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        with open(os.path.join(DATA, "places.json"), encoding="utf-8") as f:
            self.places = json.load(f)["neighbourhoods"]
        with open(os.path.join(DATA, "categories.json"), encoding="utf-8") as f:
            self.categories = {c["code"]: c for c in json.load(f)["categories"]}
        for t in TEMPLATES:
            assert t["category"] in self.categories, t["key"]
            for a in t["alt"]:
                assert a in self.categories, a
        self.problems = []

    # -- problems ------------------------------------------------------------------------
    def new_problem(self, template, hood, street, first, near=None, kind="base"):
        """A problem at a point of @street (or @near's point moved a little)."""
        rng = self.rng
        if near is not None:
            lat, lon = offset(near["lat"], near["lon"], rng.uniform(80, 220), rng.uniform(0, 2 * math.pi))
        else:
            # Sample streets are one point each; a problem lies somewhere along the street.
            lat, lon = offset(street["lat"], street["lon"], rng.uniform(0, 180), rng.uniform(0, 2 * math.pi))
        landmarks = hood["landmarks"]
        landmark = min(landmarks, key=lambda m: (m["lat"] - lat) ** 2 + (m["lon"] - lon) ** 2)
        p = dict(id="p%04d" % (len(self.problems) + 1), template=template, hood=hood, street=street,
                 landmark=landmark, lat=lat, lon=lon, first=first, kind=kind,
                 plate=str(rng.randint(1, 140)), alley=str(rng.randint(1, 24)),
                 spot=rng.choice(LOCAL_SPOTS), detail=rng.choice(template["details"]),
                 hazard=rng.random() < template["hazard"])
        # How many citizens report it: most problems once, some many times.
        p["n"] = weighted(rng, [(1, 0.52), (2, 0.2), (3, 0.11), (4, 0.07), (5, 0.04),
                                (6, 0.025), (8, 0.02), (12, 0.015)])
        self.problems.append(p)
        return p

    def random_first(self):
        return START + datetime.timedelta(seconds=self.rng.uniform(0, WINDOW_DAYS * 86400))

    def base_problem(self):
        rng = self.rng
        hood = rng.choice(self.places)
        template = rng.choice(TEMPLATES)
        street = rng.choice(hood["streets"])
        return self.new_problem(template, hood, street, self.random_first())

    def hard_negative(self, p):
        """Another problem that looks like @p: different problem on the same street, the same
        kind nearby or a few plates away, or the same kind on the same spot weeks later."""
        rng = self.rng
        hood = p["hood"]
        kind = weighted(rng, [("same-street", 0.35), ("nearby-street", 0.25), ("same-street-apart", 0.2),
                              ("later", 0.2)])
        near_time = p["first"] + datetime.timedelta(hours=rng.uniform(-72, 72))
        if kind == "same-street":
            others = [t for t in TEMPLATES if t["key"] != p["template"]["key"]]
            # Often the same category: two different asphalt problems on one street.
            same_cat = [t for t in others if t["category"] == p["template"]["category"]]
            template = rng.choice(same_cat) if same_cat and rng.random() < 0.4 else rng.choice(others)
            return self.new_problem(template, hood, p["street"], near_time, near=p, kind=kind)
        if kind == "nearby-street":
            street = rng.choice([s for s in hood["streets"] if s["code"] != p["street"]["code"]])
            return self.new_problem(p["template"], hood, street, near_time, kind=kind)
        if kind == "same-street-apart":
            return self.new_problem(p["template"], hood, p["street"], near_time, near=p, kind=kind)
        later = p["first"] + datetime.timedelta(days=rng.uniform(21, 45))
        q = self.new_problem(p["template"], hood, p["street"], later, kind=kind)
        q["lat"], q["lon"] = offset(p["lat"], p["lon"], rng.uniform(0, 40), rng.uniform(0, 2 * math.pi))
        q["plate"] = p["plate"] if rng.random() < 0.5 else q["plate"]
        return q

    # -- reports -------------------------------------------------------------------------
    def report(self, p, index):
        """One citizen's message about problem @p (@index 0 is the first report)."""
        rng = self.rng
        t = p["template"]
        formal = rng.random() < 0.4
        if index == 0:
            when = p["first"]
        else:
            # Later reports cluster within hours, some within days.
            hours = rng.expovariate(1 / 10.0) if rng.random() < 0.7 else rng.uniform(24, 24 * 9)
            when = p["first"] + datetime.timedelta(hours=hours, minutes=rng.uniform(0, 59))
        digit_form = weighted(rng, [("persian", 0.6), ("ascii", 0.3), ("arabic", 0.1)])
        profile = dict(
            arabic=rng.random() < 0.12,
            zwnj=weighted(rng, [("keep", 0.55), ("drop", 0.25), ("space", 0.2)]),
            no_hamza=rng.random() < 0.5,
            diacritics=rng.random() < 0.05,
            typos=weighted(rng, [(0, 0.8), (1, 0.15), (2, 0.05)]),
            no_punct=rng.random() < 0.2,
        )

        clause = rng.choice(t["f"] if formal or not t["c"] else t["c"])
        # Some formal writers still pick a colloquial phrase and the other way round.
        if rng.random() < 0.15:
            clause = rng.choice(t["f"] + t["c"])
        parts_core = [self.fill(clause, p)]
        # Reporters of one problem tend to mention the same salient detail.
        detail = p["detail"] if rng.random() < 0.6 else rng.choice(t["details"])
        if detail.split(" ")[0] not in parts_core[0] and rng.random() < 0.6:
            parts_core.append(detail)
        if p["hazard"] and rng.random() < 0.5:
            parts_core.append(rng.choice(HAZARD_F if formal else HAZARD_C))

        # What the citizen says about the place, and what the kiosk or operator recorded.
        mode = weighted(rng, [("street", 0.55), ("landmark", 0.2), ("both", 0.15), ("none", 0.1)])
        fields = {}
        loc_text = None
        street_name = street_variant(rng, p["street"]["name"])
        if mode in ("street", "both"):
            choices = LOC_STREET_F if formal else LOC_STREET_C
            if not p["street"]["name"].startswith("خیابان"):
                # A named alley has plates, not numbered side alleys.
                choices = [c for c in choices if "{alley}" not in c]
            loc_text = rng.choice(choices)
        if mode == "landmark" or (mode == "both" and rng.random() < 0.5):
            loc_text = rng.choice(LOC_LANDMARK_F if formal else LOC_LANDMARK_C)
        if loc_text is not None:
            # Neighbours give their own plate or the one across the street.
            plate = p["plate"]
            if rng.random() < 0.3:
                plate = str(max(1, int(plate) + rng.choice([-4, -2, -1, 1, 2, 3])))
            loc_text = loc_text.format(street=street_name, landmark=p["landmark"]["name"],
                                       plate=digits(plate, digit_form),
                                       alley=digits(p["alley"], digit_form))

        if rng.random() < 0.45:
            spot = rng.choice(SPOT_F if formal else SPOT_C).format(spot=p["spot"])
            loc_text = spot if loc_text is None else (loc_text + "، " + spot if rng.random() < 0.5
                                                      else spot + " " + loc_text)

        text_parts = []
        if rng.random() < 0.5:
            text_parts.append(rng.choice(GREETINGS_F if formal else GREETINGS_C) + "،")
        core = "، ".join(parts_core)
        if loc_text is None:
            text_parts.append(core)
        elif rng.random() < 0.6:
            text_parts.append(loc_text + " " + core)
        else:
            text_parts.append(core + " " + loc_text)
        text = " ".join(text_parts)
        if not text.endswith("."):
            text += "."
        if rng.random() < 0.5:
            text += " " + rng.choice(CLOSINGS_F if formal else CLOSINGS_C)
        text = noisy(rng, text, profile)

        # Structured place fields: some messages carry only the neighbourhood.
        structured = weighted(rng, [("full", 0.6), ("street", 0.2), ("landmark", 0.08), ("hood", 0.12)])
        if structured in ("full", "street") and mode != "landmark":
            fields["street"] = p["street"]["name"]
        if structured == "landmark" or (structured == "full" and mode in ("landmark", "both")):
            fields["landmark"] = p["landmark"]["name"]
        if structured == "full" and rng.random() < 0.85:
            lat, lon = offset(p["lat"], p["lon"], abs(rng.gauss(0, 25)), rng.uniform(0, 2 * math.pi))
            fields["lat"] = round(lat, 6)
            fields["lon"] = round(lon, 6)

        category = t["category"]
        if t["alt"] and rng.random() < 0.12:
            category = rng.choice(t["alt"])

        message = dict(text=text, category=category, neighbourhood=p["hood"]["code"])
        message.update(fields)
        message["created_at"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        message["hazard"] = p["hazard"] and rng.random() < 0.8
        message["channel"] = weighted(rng, CHANNELS)
        message["problem_id"] = p["id"]
        return message

    def fill(self, clause, p):
        rng = self.rng
        out = clause
        for slot, words in SYNONYMS.items():
            key = "{" + slot + "}"
            while key in out:
                out = out.replace(key, rng.choice(words), 1)
        for word, others in REWRITES:
            if word in out and rng.random() < 0.5:
                out = out.replace(word, rng.choice(others), 1)
        return out

    def generate(self, count):
        messages = []
        while len(messages) < count:
            p = self.base_problem()
            group = [p]
            if self.rng.random() < 0.35:
                group.append(self.hard_negative(p))
            for q in group:
                for i in range(q["n"]):
                    messages.append(self.report(q, i))
        messages.sort(key=lambda m: (m["created_at"], m["problem_id"]))
        return [dict(id="m%05d" % (i + 1), **m) for i, m in enumerate(messages)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=137, help="random seed (default 137)")
    parser.add_argument("--count", type=int, default=3000,
                        help="at least this many messages; the last problem's reports are all kept")
    parser.add_argument("-o", "--output", help="output file (default: standard output)")
    args = parser.parse_args()

    messages = Generator(args.seed).generate(args.count)
    lines = "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in messages)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(lines)
    else:
        sys.stdout.write(lines)


if __name__ == "__main__":
    main()
