/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCrewSheetRow: one worksheet in the crew's list (what, where, time left, status). */
#pragma once

#include <gtk/gtk.h>

#include "payam-crew-sheets.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_CREW_SHEET_ROW (payam_crew_sheet_row_get_type ())

G_DECLARE_FINAL_TYPE (PayamCrewSheetRow, payam_crew_sheet_row, PAYAM, CREW_SHEET_ROW, GtkBox)

GtkWidget *payam_crew_sheet_row_new  (void);
/* Show @sheet (NULL: nothing), its time left measured from @now. */
void       payam_crew_sheet_row_bind (PayamCrewSheetRow *self,
                                      PayamCrewSheet    *sheet,
                                      GDateTime         *now);

/* The words shown for a worksheet status ("in_progress" …); static, translated. */
const char *payam_crew_sheet_status_label (const char *status);

G_END_DECLS
