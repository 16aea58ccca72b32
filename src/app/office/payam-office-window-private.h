/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the office window's files share: its struct and the helpers of each file. */
#pragma once

#include "payam-office-accounts.h"
#include "payam-office-board.h"
#include "payam-office-dashboard.h"
#include "payam-office-detail.h"
#include "payam-office-review.h"
#include "payam-office-window.h"
#include "payam-queue-model.h"
#include "payam-row-slots.h"
#include "payam-store-queues.h"
#include "payam-store-staff.h"
#include "payam-sync-status.h"

G_BEGIN_DECLS

struct _PayamOfficeWindow
{
  AdwApplicationWindow parent_instance;

  /* owned */
  PayamStore        *store;
  PayamQueueModel   *queue_model;     /* of the chosen queue */
  GListStore        *search_results;  /* of PayamQueueItem, while a search is typed */
  PayamRowSlots     *rows;            /* the list's places over the queue or search */
  GtkSingleSelection *selection;
  PayamRowSlot      *chosen_slot;     /* the place chosen, watched for another row in it */
  GHashTable        *category_names;  /* code → name */
  PayamStaff        *staff;           /* who signed in; NULL before (or with no accounts) */
  GtkLabel          *count_labels[PAYAM_N_QUEUES];
  guint              recount_id;
  guint              poll_id;
  GCancellable      *cancellable;     /* of the counts being read in a worker */
  gboolean           recounting;      /* a worker reads the counts now */
  gboolean           recount_again;   /* and they are to be read again after it */
  gboolean           counts_known;
  guint              counts[PAYAM_N_QUEUES]; /* the sidebar's, as last read */
  gint64             data_version;    /* of the store's connection when last looked at */
  char              *chosen_id;       /* the row chosen, kept through the list's changes */

  /* template children (borrowed) */
  AdwToastOverlay   *toast_overlay;
  GtkStack          *main_stack;
  AdwEntryRow       *name_row;
  AdwPasswordEntryRow *password_row;
  AdwLeaflet        *leaflet;
  AdwWindowTitle    *sidebar_title;
  GtkListBox        *queue_list;
  GtkSearchEntry    *search_entry;
  GtkLabel          *list_title;
  GtkColumnView     *column_view;
  GtkStack          *content_stack;
  PayamOfficeBoard  *board;
  PayamOfficeAccounts *accounts;
  PayamOfficeDashboard *dashboard;
  PayamOfficeDetail *detail;
  PayamSyncStatus   *sync_status;
  PayamOfficeReview *review;          /* a page of content_stack, made by groups */

  PayamQueue         queue;
};

/* payam-office-columns.c: the list's columns (code, category, words, place, priority,
 * status, registered, deadline), each a label bound to a PayamQueueItem. */
void             _payam_office_columns_add         (PayamOfficeWindow *self);
/* A queue was opened: its list shows in the queue's own order, and only the columns the
 * queue can be sorted by take a click. */
void             _payam_office_columns_queue_opened (PayamOfficeWindow *self);
/* A request field's name and a conflict value (JSON text) as people read them. */
const char      *_payam_office_field_label         (const char        *field);
char            *_payam_office_value_text          (const char        *field,
                                                    const char        *value);

/* payam-office-triage.c: the triage actions (win.triage-confirm, -category, -priority,
 * -reject, win.next) with their keys, and their dialogs. */
void             _payam_office_triage_class_init   (GtkWidgetClass    *widget_class);
void             _payam_office_triage_update       (PayamOfficeWindow *self);
/* A change of a duplicate group, for _payam_office_ask_group_change(). */
typedef enum {
  PAYAM_OFFICE_GROUP_SPLIT,  /* take the message out of its group */
  PAYAM_OFFICE_GROUP_LEAD,   /* make it the group's lead */
  PAYAM_OFFICE_GROUP_MERGE,  /* its group into the group of another message */
} PayamOfficeGroupChange;
/* Ask why in the triage's reason dialog (entry "group-why"), then make @change on
 * @request_id (merged into the group of @into_id for MERGE): a reason is required when a
 * crew holds the work (the store says so in Persian and the dialog comes back with what
 * was typed), optional otherwise; it goes with the change to the crew. */
void             _payam_office_ask_group_change    (PayamOfficeWindow      *self,
                                                    PayamOfficeGroupChange  change,
                                                    const char             *request_id,
                                                    const char             *into_id);

/* payam-office-groups.c: duplicate review (win.group-confirm, -split, -lead) with keys,
 * and the side by side review page (win.group-review, V; win.group-review-close), whose
 * duplicate index starts building in the background in _payam_office_groups_setup(). */
void             _payam_office_groups_class_init   (GtkWidgetClass    *widget_class);
void             _payam_office_groups_setup        (PayamOfficeWindow *self);

/* payam-office-conflicts.c: the chosen conflict row decided: win.conflict-keep (K),
 * -other (O), -write (W, a dialog of the field's values), -dismiss (D). */
void             _payam_office_conflicts_class_init (GtkWidgetClass   *widget_class);

/* payam-office-export.c: win.export-csv(s), the list on screen as CSV to the path given,
 * or to a file chosen when it is "". */
void             _payam_office_export_init         (PayamOfficeWindow *self);

/* payam-office-window.c. The chosen row; NULL while nothing is chosen or the sign-in page
 * is up (nothing is decided before someone signs in). */
PayamQueueItem  *_payam_office_window_get_selected (PayamOfficeWindow *self);
/* Choose the list's first row and scroll to it (another queue, search or order). */
void             _payam_office_window_show_top     (PayamOfficeWindow *self);
void             _payam_office_window_toast        (PayamOfficeWindow *self,
                                                    const char        *message);

G_END_DECLS
