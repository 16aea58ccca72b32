/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Deadlines from per-category rules on the Iranian working week. */
#pragma once

#include <json-glib/json-glib.h>

#include "payam-calendar.h"
#include "payam-types.h"

G_BEGIN_DECLS

#define PAYAM_DEADLINE_ERROR (payam_deadline_error_quark ())

/* Errors of PAYAM_DEADLINE_ERROR. */
typedef enum {
  PAYAM_DEADLINE_ERROR_INVALID, /* a work calendar description is malformed */
} PayamDeadlineError;

GQuark payam_deadline_error_quark (void);

/* When work happens. Weekdays use GDateWeekday numbering (1 Monday … 7 Sunday). */
struct _PayamWorkCalendar {
  guint8           work_days;       /* bit (weekday - 1) set for a working day */
  int              day_start_min;   /* minutes after midnight, Tehran time, e.g. 7:30 = 450 */
  int              day_end_min;     /* e.g. 14:30 = 870 */
  GArray          *holidays;        /* of PayamJalaliDate; year 0 means every year */
};

/* Per-category rule: urgent work counts hours around the clock; other work counts working
 * hours of the calendar. */
typedef struct {
  int urgent_hours;  /* priority 1: hours around the clock, e.g. 4 */
  int high_hours;    /* priority 2: working hours, e.g. 14 (two working days) */
  int normal_hours;  /* priority 3: working hours, e.g. 35 */
} PayamDeadlineRule;

/* Saturday to Thursday, 7:30–14:30, Friday off (the issue: "Friday off"), with the
 * official Jalali holidays that fall on fixed Jalali dates. Free with
 * payam_work_calendar_free(). */
PayamWorkCalendar *payam_work_calendar_new_default (void);
/* A calendar from a JSON object such as src/core/data/calendar.json:
 * {"work_days": ["sat", …], "day_start": "07:30", "day_end": "14:30",
 *  "holidays": [{"month": 1, "day": 1, "name": "…"}, {"year": 1405, "month": 3, …}]}.
 * NULL with PAYAM_DEADLINE_ERROR_INVALID (a translated message naming the member) when
 * it is malformed. */
PayamWorkCalendar *payam_work_calendar_new_from_json (JsonNode  *node,
                                                      GError   **error);
void               payam_work_calendar_free        (PayamWorkCalendar *calendar);
gboolean           payam_work_calendar_is_holiday  (const PayamWorkCalendar *calendar,
                                                    GDateTime               *when);

/* The deadline for work of @priority registered at @from under @rule. Caller owns it. */
GDateTime *payam_deadline_compute (const PayamWorkCalendar *calendar,
                                   const PayamDeadlineRule *rule,
                                   PayamPriority            priority,
                                   GDateTime               *from);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamWorkCalendar, payam_work_calendar_free)

G_END_DECLS
