/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCrewDetail: one worksheet in full (place, every member's words, timeline) and the
 * crew's work on it: start, notes, before and after photos, done, not possible. */
#pragma once

#include <gtk/gtk.h>

#include "payam-crew-sheets.h"
#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_CREW_DETAIL (payam_crew_detail_get_type ())

G_DECLARE_FINAL_TYPE (PayamCrewDetail, payam_crew_detail, PAYAM, CREW_DETAIL, GtkBox)

/* The store the work is read from and recorded in (a reference is kept). */
void            payam_crew_detail_set_store (PayamCrewDetail *self,
                                             PayamStore      *store);
/* Show @sheet (NULL: the "choose a worksheet" page), read again from the store. Each
 * recorded step is saved at once and emits "recorded" (no arguments); a refusal shows
 * its Persian message in the detail and records nothing. */
void            payam_crew_detail_show      (PayamCrewDetail *self,
                                             PayamCrewSheet  *sheet);
PayamCrewSheet *payam_crew_detail_get_sheet (PayamCrewDetail *self);

/* What the office changed (PayamOfficeChanged flags), for people: "its priority، its
 * deadline" in the crew's words. Caller owns it. */
char           *payam_crew_office_changes_text (guint changed);
/* "Changed by the office (WHEN): WHAT — WHY" for @info's latest change (from the office's
 * first explained change on), with the time in the Jalali calendar, and "— WHY" only when
 * that change carried a reason; NULL when the office gave none so far. Caller owns it. */
char           *payam_crew_office_change_line  (const PayamCrewSheetInfo *info);

/* Give @drop_down's button (where the keyboard's focus lands) the drop-down's @name. */
void            payam_crew_name_drop_down      (GtkDropDown     *drop_down,
                                                const char      *name);

G_END_DECLS
