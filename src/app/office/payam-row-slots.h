/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* PayamRowSlot: one place in a PayamRowSlots list; "item" is what its source holds there
 * now and changes (with a notify) when that changes. */
#define PAYAM_TYPE_ROW_SLOT (payam_row_slot_get_type ())
G_DECLARE_FINAL_TYPE (PayamRowSlot, payam_row_slot, PAYAM, ROW_SLOT, GObject)

gpointer          payam_row_slot_get_item  (PayamRowSlot *self);

/* PayamRowSlots: a list model over another (the source) whose items are places rather than
 * the source's items. When the source changes, or another source is set, the places a view
 * holds keep their objects and only their "item" changes; the list itself tells only that it
 * grew or shrank at its end. GTK 4.8's list views make and measure a widget per cell of up
 * to 200 rows for every row an items-changed names: through places, opening another queue or
 * sorting one rebinds the cells instead. */
#define PAYAM_TYPE_ROW_SLOTS (payam_row_slots_get_type ())
G_DECLARE_FINAL_TYPE (PayamRowSlots, payam_row_slots, PAYAM, ROW_SLOTS, GObject)

PayamRowSlots    *payam_row_slots_new        (void);
void              payam_row_slots_set_source (PayamRowSlots *self,
                                              GListModel    *source);
GListModel       *payam_row_slots_get_source (PayamRowSlots *self);
/* The source's item at @position (a new reference), NULL past its end. */
gpointer          payam_row_slots_dup_item   (PayamRowSlots *self,
                                              guint          position);

G_END_DECLS
