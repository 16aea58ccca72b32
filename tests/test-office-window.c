/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the office window on a real store: the queues' counts, triage by its keys (the
 * row leaves, the next one is chosen at once), a reason dialog refused and answered,
 * search by a code in Persian digits, the password sign-in, and a queue of more than two
 * pages exported whole as CSV. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>

#include "payam-application.h"
#include "payam-format.h"
#include "payam-office-accounts.h"
#include "payam-office-detail.h"
#include "payam-office-review.h"
#include "payam-office-window.h"
#include "payam-dup-index-private.h"
#include "payam-photo.h"
#include "payam-priority.h"
#include "payam-queue-item.h"
#include "payam-row-slots.h"
#include "payam-store-crews.h"
#include "payam-store-groups.h"
#include "payam-store-queues.h"
#include "payam-store-staff.h"
#include "payam-store-triage.h"
#include "payam-store-worksheets.h"
#include "payam-tracking.h"

#define WAIT_LIMIT_MS 60000

static PayamApplication *application;

typedef struct {
  char              *dir;
  char              *path;
  PayamStore        *store;
  char              *ids[3];    /* oldest first */
  char              *codes[3];
  PayamOfficeWindow *window;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

static gboolean
limit_reached (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterate the main loop until @condition holds; FALSE if the limit came first. */
static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gboolean timed_out = FALSE;
  guint limit = g_timeout_add (WAIT_LIMIT_MS, limit_reached, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (limit);
  return !timed_out;
}

static GtkWidget *
find (GtkWidget *widget,
      GType      type,
      const char *name)
{
  if ((type == G_TYPE_NONE || G_TYPE_CHECK_INSTANCE_TYPE (widget, type)) &&
      (name == NULL || g_strcmp0 (gtk_widget_get_name (widget), name) == 0))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, type, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GListModel *
list_model (Fixture *f)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (find (GTK_WIDGET (f->window), GTK_TYPE_COLUMN_VIEW,
                                               NULL));

  return G_LIST_MODEL (gtk_column_view_get_model (view));
}

/* The row in the list's place @i (a new reference), or NULL. */
static PayamQueueItem *
row_at (GListModel *model,
        guint       i)
{
  g_autoptr(PayamRowSlot) slot = g_list_model_get_item (model, i);
  PayamQueueItem *item = slot != NULL ? payam_row_slot_get_item (slot) : NULL;

  return item != NULL ? g_object_ref (item) : NULL;
}

/* The id of the chosen row, or NULL. */
static const char *
selected_id (Fixture *f)
{
  PayamRowSlot *slot = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (list_model (f)));
  PayamQueueItem *item = slot != NULL ? payam_row_slot_get_item (slot) : NULL;

  return item != NULL ? payam_queue_item_get_id (item) : NULL;
}

static const char *
count_text (Fixture    *f,
            const char *queue)
{
  g_autofree char *name = g_strconcat ("count-", queue, NULL);

  return gtk_label_get_label (GTK_LABEL (find (GTK_WIDGET (f->window), GTK_TYPE_LABEL, name)));
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;
  const char *texts[] = { "درب فاضلاب جلوی مدرسه باز مانده است", "لامپ کوچه بهار خاموش است",
                          "زباله‌ها جمع نشده است" };
  const char *categories[] = { "surface-water", "lighting", "waste" };

  f->dir = g_dir_make_tmp ("payam-office-window-XXXXXX", &error);
  f->path = g_build_filename (f->dir, "payam.db", NULL);
  f->store = payam_store_open (f->path, &error);
  assert_non_null (f->store);
  assert_true (payam_store_load_defaults (f->store, &error));
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 11, 20 + i, 8, 0, 0);
      PayamRequestDraft draft = {
        .text = texts[i], .category = categories[i], .neighbourhood = "tohid",
        .channel = PAYAM_CHANNEL_KIOSK, .created_at = created,
      };
      g_autoptr(PayamRequest) r = payam_store_add_request (f->store, &draft, &error);

      assert_non_null (r);
      f->ids[i] = g_strdup (r->id);
      f->codes[i] = g_strdup (r->tracking_code);
    }
  *state = f;
  return 0;
}

static GtkWindow *dialog_of (Fixture *f);

static int
teardown (void **state)
{
  Fixture *f = *state;
  const char *suffixes[] = { "", "-wal", "-shm" };

  /* Dialogs left up by a test go with it. */
  for (GtkWindow *dialog; (dialog = dialog_of (f)) != NULL;)
    gtk_window_destroy (dialog);
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (f->dir);
  for (guint i = 0; i < 3; i++)
    {
      g_free (f->ids[i]);
      g_free (f->codes[i]);
    }
  g_free (f->path);
  g_free (f->dir);
  g_free (f);
  return 0;
}

static void
open_window (Fixture *f)
{
  f->window = payam_office_window_new (GTK_APPLICATION (application), f->store);
  gtk_window_present (GTK_WINDOW (f->window));
}

static gboolean
is_second_selected (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (selected_id (f), f->ids[1]) == 0 &&
         g_list_model_get_n_items (list_model (f)) == 2;
}

static gboolean
new_counts_three (gpointer data)
{
  g_autofree char *three = payam_format_number (3);

  return g_strcmp0 (count_text (data, "new"), three) == 0;
}

static gboolean
counts_moved (gpointer data)
{
  Fixture *f = data;
  g_autofree char *two = payam_format_number (2);
  g_autofree char *one = payam_format_number (1);

  return g_strcmp0 (count_text (f, "new"), two) == 0 &&
         g_strcmp0 (count_text (f, "to-assign"), one) == 0;
}

static GtkWindow *
dialog_of (Fixture *f)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      /* Borrowed: the list of toplevels keeps it. */
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

static gboolean
has_dialog (gpointer data)
{
  return dialog_of (data) != NULL;
}

/* The dialog that was up before a response (set by the test), to wait for its successor. */
static GtkWindow *previous_dialog;

static gboolean
has_new_dialog (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && w != previous_dialog &&
          gtk_widget_get_visible (GTK_WIDGET (w)))
        return TRUE;
    }
  return FALSE;
}

/* The visible dialog that is not previous_dialog. */
static GtkWindow *
new_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      /* Borrowed: the list of toplevels keeps it. */
      if (ADW_IS_MESSAGE_DIALOG (w) && w != previous_dialog &&
          gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

/* New lists oldest first; T confirms the chosen message and the next one is chosen at
 * once; the counts follow; R asks a reason, refuses an empty one (the dialog comes back)
 * and rejects with one. */
static void
test_triage_keys (void **state)
{
  Fixture *f = *state;
  g_autofree char *three = payam_format_number (3);
  g_autoptr(PayamRequest) after = NULL;
  g_autoptr(GError) error = NULL;

  open_window (f);
  assert_int_equal (gtk_widget_get_direction (GTK_WIDGET (f->window)), GTK_TEXT_DIR_RTL);
  assert_int_equal (g_list_model_get_n_items (list_model (f)), 3);
  assert_string_equal (selected_id (f), f->ids[0]);
  /* The sidebar counts once the window has shown. */
  assert_true (wait_for (new_counts_three, f));
  assert_string_equal (count_text (f, "new"), three);

  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.triage-confirm", NULL));
  assert_true (wait_for (is_second_selected, f));
  assert_true (wait_for (counts_moved, f));
  after = payam_store_get_request (f->store, f->ids[0], &error);
  assert_int_equal (after->status, PAYAM_STATUS_TRIAGED);

  /* Reject: an empty reason is refused and the dialog comes back. */
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.triage-reject", NULL));
  assert_true (wait_for (has_dialog, f));
  previous_dialog = dialog_of (f);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (previous_dialog), "apply");
  assert_true (wait_for (has_new_dialog, f));
  g_clear_pointer (&after, payam_request_free);
  after = payam_store_get_request (f->store, f->ids[1], &error);
  assert_int_equal (after->status, PAYAM_STATUS_REGISTERED);
  {
    GtkWindow *dialog = new_dialog ();
    GtkWidget *entry = find (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, NULL);

    gtk_editable_set_text (GTK_EDITABLE (entry), "کار شهرداری نیست");
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  }
  g_clear_pointer (&after, payam_request_free);
  after = payam_store_get_request (f->store, f->ids[1], &error);
  assert_int_equal (after->status, PAYAM_STATUS_REJECTED);
  assert_string_equal (after->status_reason, "کار شهرداری نیست");
}

static gboolean
found_one (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (list_model (f)) == 1 &&
         g_strcmp0 (selected_id (f), f->ids[2]) == 0;
}

static gboolean
back_to_queue (gpointer data)
{
  return g_list_model_get_n_items (list_model (data)) == 3;
}

/* A code typed in Persian digits finds its message; clearing the box shows the queue. */
static void
test_search (void **state)
{
  Fixture *f = *state;
  g_autofree char *persian = payam_tracking_code_format (f->codes[2]);
  GtkWidget *entry;

  open_window (f);
  entry = find (GTK_WIDGET (f->window), GTK_TYPE_SEARCH_ENTRY, NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), persian);
  assert_true (wait_for (found_one, f));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  assert_true (wait_for (back_to_queue, f));
}

static const char *
page (Fixture *f)
{
  GtkStack *stack = GTK_STACK (find (GTK_WIDGET (f->window), GTK_TYPE_STACK, NULL));

  return gtk_stack_get_visible_child_name (stack);
}

static gboolean
found_first (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (list_model (f)) == 1 &&
         g_strcmp0 (selected_id (f), f->ids[0]) == 0;
}

/* Whether a label under @widget shows @text within its words. */
static gboolean
has_label_containing (GtkWidget  *widget,
                      const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_containing (child, text))
      return TRUE;
  return FALSE;
}

/* With staff accounts the window asks for a sign-in; a wrong password keeps it there. */
static void
test_sign_in (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = payam_store_add_staff (f->store, "مریم احمدی", PAYAM_STAFF_ROLE_OFFICE,
                                               "گذرواژهٔ دفتر", &error);
  GtkWidget *name, *password;

  assert_non_null (id);
  open_window (f);
  assert_string_equal (page (f), "sign-in");
  /* Nothing is decided before someone signs in. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.triage-confirm", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.group-confirm", NULL);
  {
    g_autoptr(PayamRequest) before = payam_store_get_request (f->store, f->ids[0], &error);

    assert_int_equal (before->status, PAYAM_STATUS_REGISTERED);
  }
  name = find (GTK_WIDGET (f->window), ADW_TYPE_ENTRY_ROW, NULL);
  password = find (GTK_WIDGET (f->window), ADW_TYPE_PASSWORD_ENTRY_ROW, NULL);
  gtk_editable_set_text (GTK_EDITABLE (name), "مریم احمدی");
  gtk_editable_set_text (GTK_EDITABLE (password), "نادرست-نادرست");
  g_signal_emit_by_name (password, "entry-activated");
  assert_string_equal (page (f), "sign-in");
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (password)), "");
  gtk_editable_set_text (GTK_EDITABLE (password), "گذرواژهٔ دفتر");
  g_signal_emit_by_name (password, "entry-activated");
  assert_string_equal (page (f), "work");

  /* What is decided now is recorded under her. */
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.triage-confirm", NULL));
  {
    g_autoptr(GPtrArray) timeline = payam_store_list_timeline (f->store, f->ids[0], &error);
    gboolean under_her = FALSE;

    assert_non_null (timeline);
    for (guint i = 0; i < timeline->len; i++)
      {
        const PayamTimelineEntry *e = g_ptr_array_index (timeline, i);

        under_her |= e->kind == PAYAM_TIMELINE_STATUS && g_strcmp0 (e->actor, id) == 0;
      }
    assert_true (under_her);
  }

  /* The detail pane names her in the timeline (found again by its code). */
  {
    GtkWidget *entry = find (GTK_WIDGET (f->window), GTK_TYPE_SEARCH_ENTRY, NULL);

    gtk_editable_set_text (GTK_EDITABLE (entry), f->codes[0]);
    assert_true (wait_for (found_first, f));
    assert_true (has_label_containing (GTK_WIDGET (f->window), "مریم احمدی:"));
  }
}

/* A gives the chosen message's work to a crew named in the dialog; an unknown name is
 * refused and the dialog comes back with it. */
static void
test_assign (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *crew = payam_store_add_crew (f->store, "اکیپ توحید", "tohid", &error);
  g_autoptr(PayamRequest) after = NULL;
  GtkWindow *dialog;

  assert_non_null (crew);
  open_window (f);
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.assign", NULL));
  assert_true (wait_for (has_dialog, f));
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog_of (f)), GTK_TYPE_ENTRY,
                                            "assign-crew")), "اکیپ ناشناس");
  previous_dialog = dialog_of (f);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (previous_dialog), "apply");
  assert_true (wait_for (has_new_dialog, f));
  dialog = new_dialog ();
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (find (GTK_WIDGET (dialog),
                                                                  GTK_TYPE_ENTRY,
                                                                  "assign-crew"))),
                       "اکیپ ناشناس");
  after = payam_store_get_request (f->store, f->ids[0], &error);
  assert_int_equal (after->status, PAYAM_STATUS_REGISTERED);
  /* The first assignment needs no reason. */
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, "assign-crew")),
                         "اکیپ توحید");
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (find (GTK_WIDGET (dialog),
                                                                  GTK_TYPE_ENTRY,
                                                                  "assign-why"))), "");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  g_clear_pointer (&after, payam_request_free);
  after = payam_store_get_request (f->store, f->ids[0], &error);
  assert_int_equal (after->status, PAYAM_STATUS_ASSIGNED);
}

static GtkWidget *
find_with_class (GtkWidget  *widget,
                 const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_with_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
conflicts_empty (gpointer data)
{
  return g_list_model_get_n_items (list_model (data)) == 0;
}

/* The Conflicts queue lists a conflict row with both values; K keeps the value held and
 * the row leaves the queue. */
static void
test_conflict_keep (void **state)
{
  Fixture *f = *state;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GtkListBox *queues;

  assert_int_equal (sqlite3_open (f->path, &db), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, "INSERT INTO conflict (id, kind, entity, row_id,"
                                        " field, kept_value, lost_value, created_at) VALUES"
                                        " ('c1', 'concurrent-edit', 'request', ?, 'priority',"
                                        " '1', '3', '2026-11-29T09:00:00.000Z')", -1, &stmt,
                                        NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, f->ids[0], -1, SQLITE_TRANSIENT);
  assert_int_equal (sqlite3_step (stmt), SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  open_window (f);
  /* The queues' list, not the sign-in page's. */
  queues = GTK_LIST_BOX (find_with_class (GTK_WIDGET (f->window), "navigation-sidebar"));
  gtk_list_box_select_row (queues, gtk_list_box_get_row_at_index (queues, 4));
  assert_int_equal (g_list_model_get_n_items (list_model (f)), 1);
  assert_string_equal (selected_id (f), "c1");
  /* Both values as people read them: urgent kept, normal lost; the device, and when the
   * conflict was found. */
  {
    g_autoptr(GDateTime) found = g_date_time_new_from_iso8601 ("2026-11-29T09:00:00.000Z", NULL);
    g_autofree char *when = payam_format_date_time (found);
    g_autofree char *want = g_strdup_printf (_("Field “%s”: kept %s, lost %s (from device %s, "
                                               "%s)"),
                                             _("Priority"),
                                             payam_priority_label (PAYAM_PRIORITY_URGENT),
                                             payam_priority_label (PAYAM_PRIORITY_NORMAL),
                                             "\u2068?\u2069", when);

    assert_true (has_label_containing (find (GTK_WIDGET (f->window), PAYAM_TYPE_OFFICE_DETAIL,
                                             NULL), want));
  }
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.conflict-keep", NULL));
  assert_true (wait_for (conflicts_empty, f));
}

static void shoot_window (GtkWindow  *window,
                          const char *name);

/* O takes the value that lost: the request gets it (as the triage writes it) and the row
 * leaves the queue. The card names the member who made the change that lost (issue #13
 * item 7: PayamOp.member, here a crew member's id) beside the device. */
static void
test_conflict_other (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) after = NULL;
  g_autofree char *crew = payam_store_add_crew (f->store, "اکیپ آسفالت ۱", "tohid", &error);
  g_autofree char *member = payam_store_add_crew_member (f->store, crew, "مریم احمدی", "2468",
                                                         &error);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GtkListBox *queues;

  assert_non_null (member);
  assert_int_equal (sqlite3_open (f->path, &db), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, "INSERT INTO conflict (id, kind, entity, row_id,"
                                        " field, kept_value, lost_value, created_at,"
                                        " lost_device, lost_member) VALUES"
                                        " ('c1', 'concurrent-edit', 'request', ?, 'priority',"
                                        " '3', '2', '2026-11-29T09:00:00.000Z',"
                                        " '018c3f2a-1b2c-7d3e-8f40-bbbbbbbbbbbb', ?)", -1, &stmt,
                                        NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, f->ids[0], -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, member, -1, SQLITE_TRANSIENT);
  assert_int_equal (sqlite3_step (stmt), SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  open_window (f);
  queues = GTK_LIST_BOX (find_with_class (GTK_WIDGET (f->window), "navigation-sidebar"));
  gtk_list_box_select_row (queues, gtk_list_box_get_row_at_index (queues, 4));
  assert_string_equal (selected_id (f), "c1");
  {
    g_autoptr(GDateTime) found = g_date_time_new_from_iso8601 ("2026-11-29T09:00:00.000Z", NULL);
    g_autofree char *when = payam_format_date_time (found);
    g_autofree char *want = g_strdup_printf (_("Field “%s”: kept %s, lost %s (by %s, from "
                                               "device %s, %s)"),
                                             _("Priority"),
                                             payam_priority_label (PAYAM_PRIORITY_NORMAL),
                                             payam_priority_label (PAYAM_PRIORITY_HIGH),
                                             "\u2068مریم احمدی\u2069",
                                             "\u2068018c3f2a-1b2c-7d3e-8f40-bbbbbbbbbbbb\u2069",
                                             when);

    assert_true (has_label_containing (find (GTK_WIDGET (f->window), PAYAM_TYPE_OFFICE_DETAIL,
                                             NULL), want));
  }
  shoot_window (GTK_WINDOW (f->window), "conflict-member");
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.conflict-other", NULL));
  assert_true (wait_for (conflicts_empty, f));
  after = payam_store_get_request (f->store, f->ids[0], &error);
  assert_int_equal (after->priority, PAYAM_PRIORITY_HIGH);
}

/* The assignment board (the sidebar's last row): every piece of work chosen and given to a
 * crew with no members is refused and nothing changes; given to the crew with a member,
 * the request is assigned. */
static void
test_board (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = payam_store_add_crew (f->store, "اکیپ الف", NULL, &error);
  g_autofree char *crew = payam_store_add_crew (f->store, "اکیپ ب", "tohid", &error);
  g_autofree char *member = payam_store_add_crew_member (f->store, crew, "مریم", "2468",
                                                         &error);
  g_autoptr(PayamRequest) before = NULL;
  g_autoptr(PayamRequest) after = NULL;
  GtkListBox *queues;
  GtkWidget *all;
  GtkWidget *assign;
  GtkDropDown *target;

  assert_non_null (empty);
  assert_non_null (member);
  assert_true (payam_store_triage_confirm (f->store, f->ids[0], &error));
  open_window (f);
  queues = GTK_LIST_BOX (find_with_class (GTK_WIDGET (f->window), "navigation-sidebar"));
  gtk_list_box_select_row (queues, gtk_list_box_get_row_at_index (queues, PAYAM_N_QUEUES));
  all = find (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, "board-all");
  assign = find (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, "board-assign");
  target = GTK_DROP_DOWN (find (GTK_WIDGET (f->window), GTK_TYPE_DROP_DOWN, "board-target"));
  assert_non_null (all);
  assert_non_null (assign);
  assert_non_null (target);

  /* The crews by name: the one with no members first. */
  gtk_drop_down_set_selected (target, 0);
  g_signal_emit_by_name (all, "clicked");
  g_signal_emit_by_name (assign, "clicked");
  before = payam_store_get_request (f->store, f->ids[0], &error);
  assert_int_equal (before->status, PAYAM_STATUS_TRIAGED);

  gtk_drop_down_set_selected (target, 1);
  g_signal_emit_by_name (all, "clicked");
  g_signal_emit_by_name (assign, "clicked");
  after = payam_store_get_request (f->store, f->ids[0], &error);
  assert_int_equal (after->status, PAYAM_STATUS_ASSIGNED);
}

/* Answer the group change's reason dialog that is up (not previous_dialog) with @why and
 * close it (a response from the test leaves it up). */
static void
answer_group_dialog (Fixture    *f,
                     const char *why)
{
  GtkWindow *dialog;

  assert_true (wait_for (has_new_dialog, f));
  dialog = new_dialog ();
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, "group-why")),
                         why);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  gtk_window_destroy (dialog);
  previous_dialog = NULL;
}

/* The chosen message's group shows beside it; G confirms the group, S takes the message
 * out of it (asking why, optional: no crew holds it). */
static void
test_group_review (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *group_id = payam_store_merge (f->store, f->ids[2], f->ids[0], TRUE, &error);
  g_autoptr(PayamGroup) group = NULL;
  g_autoptr(PayamRequest) after = NULL;
  GtkWidget *detail;

  assert_non_null (group_id);
  open_window (f);
  assert_string_equal (selected_id (f), f->ids[0]);
  /* The other member's words are in the detail pane. */
  detail = find (GTK_WIDGET (f->window), PAYAM_TYPE_OFFICE_DETAIL, NULL);
  assert_true (has_label_containing (detail, "زباله‌ها جمع نشده است"));

  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.group-confirm", NULL));
  group = payam_store_get_group (f->store, group_id, &error);
  assert_int_equal (group->state, PAYAM_GROUP_CONFIRMED);

  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.group-split", NULL));
  answer_group_dialog (f, "");
  after = payam_store_get_request (f->store, f->ids[0], &error);
  assert_null (after->group_id);
  assert_false (has_label_containing (detail, "زباله‌ها جمع نشده است"));
}

static gboolean
count_tick (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

typedef struct {
  PayamOfficeWindow *window;
  int                width;
} Shot;

static gboolean
shot_ready (gpointer data)
{
  Shot *shot = data;
  PayamOfficeReview *review = PAYAM_OFFICE_REVIEW (find (GTK_WIDGET (shot->window),
                                                         PAYAM_TYPE_OFFICE_REVIEW, NULL));

  /* Less its frame's border, which the window draws itself. */
  return gtk_widget_get_width (GTK_WIDGET (shot->window)) >= shot->width - 20 &&
         payam_office_review_get_index (review) != NULL &&
         find (GTK_WIDGET (review), GTK_TYPE_LABEL, "review-chance") != NULL;
}

static void
painted (GdkFrameClock *clock,
         gpointer       data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* With PAYAM_TEST_SHOTS=DIR, a window of @width × @height on the review of @request_id, as
 * DIR/@name-WxH.png (what the window renders), to be looked at. The display must be at least
 * 1920 × 1080 (xvfb-run -s "-screen 0 1920x1080x24"): a window is never larger than its screen. */
static void
shoot (Fixture    *f,
       const char *request_id,
       const char *name,
       int         width,
       int         height)
{
  const char *dir = g_getenv ("PAYAM_TEST_SHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  Shot shot = { NULL, width };
  GdkFrameClock *clock;
  gboolean frame_done = FALSE;
  gulong handler;

  if (dir == NULL)
    return;
  shot.window = payam_office_window_new (GTK_APPLICATION (application), f->store);
  gtk_window_set_default_size (GTK_WINDOW (shot.window), width, height);
  gtk_window_present (GTK_WINDOW (shot.window));
  gtk_widget_activate_action (GTK_WIDGET (shot.window), "win.group-review", NULL);
  payam_office_review_show (PAYAM_OFFICE_REVIEW (find (GTK_WIDGET (shot.window),
                                                       PAYAM_TYPE_OFFICE_REVIEW, NULL)),
                            request_id);
  assert_true (wait_for (shot_ready, &shot));
  /* Wait for the window to paint what is laid out now. */
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (shot.window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (painted), &frame_done);
  gtk_widget_queue_draw (GTK_WIDGET (shot.window));
  assert_true (wait_for (flag_set, &frame_done));
  g_signal_handler_disconnect (clock, handler);
  width = gtk_widget_get_width (GTK_WIDGET (shot.window));
  height = gtk_widget_get_height (GTK_WIDGET (shot.window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (shot.window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  assert_non_null (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (shot.window)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  file = g_strdup_printf ("%s-%dx%d.png", name, shot.width, height + shot.width - width);
  path = g_build_filename (dir, file, NULL);
  assert_true (gdk_texture_save_to_png (texture, path));
  g_clear_object (&paintable);
  gtk_window_destroy (GTK_WINDOW (shot.window));
}

/* One photo of a grey scene, attached to @request_id. */
static void
attach_scene (Fixture    *f,
              const char *request_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 640, 480);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PayamPhoto) photo = NULL;
  gchar *buffer = NULL;
  gsize size = 0;
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < 480; y++)
    for (int x = 0; x < 640; x++)
      {
        guchar *p = pixels + y * stride + x * 3;

        p[0] = p[1] = p[2] = (guchar) ((x / 80 + y / 60) % 2 ? 200 : 60 + y / 4);
      }
  assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error,
                                          "quality", "85", NULL));
  bytes = g_bytes_new_take (buffer, size);
  photo = payam_photo_import_bytes (bytes, &error);
  assert_non_null (photo);
  assert_true (payam_store_add_photo (f->store, photo, &error));
  assert_true (payam_store_attach_photo (f->store, request_id, photo->sha256, &error));
}

static gboolean
many_ticks (gpointer data)
{
  return *(guint *) data >= 20;
}

static gboolean
window_painted (gpointer data)
{
  Fixture *f = data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  gboolean *flag = g_object_get_data (G_OBJECT (f->window), "painted");

  if (clock == NULL)
    return FALSE;
  if (flag == NULL)
    {
      flag = g_new0 (gboolean, 1);
      g_object_set_data_full (G_OBJECT (f->window), "painted", flag, g_free);
      g_signal_connect (clock, "after-paint", G_CALLBACK (painted), flag);
      gtk_widget_queue_draw (GTK_WIDGET (f->window));
    }
  return *flag;
}

/* The review's button labelled @label for request @request_id, or NULL. */
static GtkWidget *
review_button (GtkWidget  *widget,
               const char *label,
               const char *request_id)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 &&
      g_strcmp0 (g_object_get_data (G_OBJECT (widget), "request-id"), request_id) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = review_button (child, label, request_id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static PayamOfficeReview *
review_of (Fixture *f)
{
  return PAYAM_OFFICE_REVIEW (find (GTK_WIDGET (f->window), PAYAM_TYPE_OFFICE_REVIEW, NULL));
}

static gboolean
index_ready (gpointer data)
{
  return payam_office_review_get_index (review_of (data)) != NULL;
}

static gboolean
shows_distance (gpointer data)
{
  Fixture *f = data;
  GtkWidget *label = find (GTK_WIDGET (review_of (f)), GTK_TYPE_LABEL, "review-distance");
  g_autofree char *fifty = payam_format_number (50);

  return label != NULL && strstr (gtk_label_get_label (GTK_LABEL (label)), fifty) != NULL;
}

static PayamRequest *
add_located (Fixture    *f,
             const char *text,
             double      dlat)
{
  g_autoptr(GError) error = NULL;
  PayamRequestDraft draft = {
    .text = text, .category = "surface-water", .neighbourhood = "tohid",
    .street = "خیابان توحید", .has_location = TRUE, .lat = 35.7040 + dlat, .lon = 51.3735,
    .channel = PAYAM_CHANNEL_KIOSK,
  };
  PayamRequest *r = payam_store_add_request (f->store, &draft, &error);

  if (r == NULL)
    fail_msg ("add: %s", error->message);
  return r;
}

/* The duplicate index builds in a worker thread: the window is up and its loop runs while
 * the review page says it is preparing; then a group made after start-up shows side by
 * side with the distance in metres and the parts of its score, and a message added after
 * start-up is suggested. */
static void
test_review_page (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) a = NULL;
  g_autoptr(PayamRequest) b = NULL;
  g_autoptr(PayamRequest) c = NULL;
  g_autoptr(GPtrArray) band = NULL;
  g_autoptr(GPtrArray) sure = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *c_code = NULL;
  PayamOfficeReview *review;
  GtkWidget *status;
  guint iterations = 0;
  guint ticks = 0;
  guint tick_id;
  gint64 started;
  gboolean found = FALSE;

  /* The worker waits until the test lets it go: meanwhile the window paints and the loop
   * runs a tick every millisecond. */
  _payam_dup_index_hold_builds (TRUE);
  tick_id = g_timeout_add (1, count_tick, &ticks);
  open_window (f);
  review = review_of (f);
  assert_non_null (review);
  assert_null (payam_office_review_get_index (review));
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.group-review", NULL));
  status = find (GTK_WIDGET (review), GTK_TYPE_LABEL, "review-status");
  assert_true (gtk_widget_get_visible (status));
  /* Added while the worker reads. */
  a = add_located (f, "درب فاضلاب جلوی مدرسه باز مانده و خطرناک است", 0.0);
  assert_true (wait_for (many_ticks, &ticks));
  assert_true (wait_for (window_painted, f));
  assert_null (payam_office_review_get_index (review));
  /* Still interactive: the list follows a queue chosen meanwhile. */
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.group-review-close",
                                           NULL));
  assert_true (g_list_model_get_n_items (list_model (f)) > 0);
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.group-review", NULL));
  _payam_dup_index_hold_builds (FALSE);
  started = g_get_monotonic_time ();
  while (!index_ready (f))
    {
      g_main_context_iteration (NULL, TRUE);
      iterations++;
      assert_true (g_get_monotonic_time () - started < 60 * G_USEC_PER_SEC);
    }
  g_source_remove (tick_id);
  g_print ("# %u ticks while held; the index then took %.2f s (%u turns of the loop)\n",
           ticks, (g_get_monotonic_time () - started) / 1e6, iterations);
  assert_false (gtk_widget_get_visible (status));

  /* Added after start-up: a group of two 50 m apart, and a third like them. */
  b = add_located (f, "درب فاضلاب جلوی مدرسه باز مانده است", 0.00045);
  group_id = payam_store_merge (f->store, a->id, b->id, TRUE, &error);
  assert_non_null (group_id);
  attach_scene (f, a->id);
  attach_scene (f, b->id);
  c = add_located (f, "درب فاضلاب کنار مدرسه باز مانده", 0.0002);
  c_code = payam_tracking_code_format_inline (c->tracking_code);
  payam_office_review_show (review, b->id);
  assert_true (wait_for (shows_distance, f));
  assert_non_null (find (GTK_WIDGET (review), GTK_TYPE_LABEL, "review-chance"));
  assert_non_null (find (GTK_WIDGET (review), GTK_TYPE_LABEL, "review-parts"));
  assert_non_null (find (GTK_WIDGET (review), GTK_TYPE_LABEL, "review-spread"));
  /* Both photos, large, and alike (one scene). */
  assert_non_null (find (GTK_WIDGET (review), GTK_TYPE_PICTURE, NULL));
  {
    g_autofree char *zero = payam_format_integer (0);
    g_autofree char *alike = g_strdup_printf (_("Photos: alike (%s bits apart)"), zero);

    assert_true (has_label_containing (GTK_WIDGET (review), alike));
  }
  shoot (f, b->id, "office-review", 1920, 1080);
  shoot (f, b->id, "office-review", 1366, 768);

  band = payam_dup_index_review_for_request (payam_office_review_get_index (review), a->id, 0,
                                             &sure, &error);
  assert_non_null (band);
  for (guint i = 0; i < band->len; i++)
    found |= g_str_equal (((PayamDupCandidate *) band->pdata[i])->id, c->id);
  for (guint i = 0; i < sure->len; i++)
    found |= g_str_equal (((PayamDupCandidate *) sure->pdata[i])->id, c->id);
  assert_true (found);
  assert_true (has_label_containing (GTK_WIDGET (review), c_code));

  /* The page's actions: B leads; the group is confirmed, then merges into the suggested C's (three then);
   * B is taken out again. */
  g_signal_emit_by_name (review_button (GTK_WIDGET (review), _("Make it the lead"), b->id),
                         "clicked");
  answer_group_dialog (f, "نشانی دقیق‌تری دارد");
  {
    g_autoptr(PayamGroup) group = payam_store_get_group (f->store, group_id, &error);

    assert_string_equal (group->lead_request_id, b->id);
  }
  assert_true (gtk_widget_activate_action (GTK_WIDGET (review), "review.confirm", NULL));
  {
    g_autoptr(PayamGroup) group = payam_store_get_group (f->store, group_id, &error);

    assert_int_equal (group->state, PAYAM_GROUP_CONFIRMED);
  }
  g_signal_emit_by_name (review_button (GTK_WIDGET (review), _("Merge with it"), c->id),
                         "clicked");
  answer_group_dialog (f, "همان درب فاضلاب است");
  {
    g_autoptr(PayamRequest) a_now = payam_store_get_request (f->store, a->id, &error);
    g_autoptr(PayamRequest) c_now = payam_store_get_request (f->store, c->id, &error);
    g_autoptr(PayamGroup) group = NULL;

    assert_non_null (c_now->group_id);
    assert_string_equal (a_now->group_id, c_now->group_id);
    group = payam_store_get_group (f->store, c_now->group_id, &error);
    assert_int_equal (group->members->len, 3);
  }
  g_signal_emit_by_name (review_button (GTK_WIDGET (review), _("Take it out"), b->id),
                         "clicked");
  answer_group_dialog (f, "");
  {
    g_autoptr(PayamRequest) b_now = payam_store_get_request (f->store, b->id, &error);

    assert_null (b_now->group_id);
  }
}

/* Every row of a queue, well past one page of the export's reads (1,000), as CSV: the
 * byte order mark, a header, each request once, the oldest first in New; the same for All
 * (newest first) after choosing it in the sidebar. */
static void
check_export (Fixture    *f,
              const char *name,
              guint       expected,
              const char *first_code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *data = NULL;
  g_autofree char *first = payam_tracking_code_format (first_code);
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = NULL;
  gsize length;
  guint n = 0;

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "export-csv",
                                  g_variant_new_string (path));
  assert_true (g_file_get_contents (path, &data, &length, &error));
  assert_true (g_str_has_prefix (data, "\xef\xbb\xbf"));
  assert_true (g_str_has_suffix (data, "\r\n"));
  lines = g_strsplit (data + 3, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autofree char *code = g_strndup (lines[i], strcspn (lines[i], ","));

      if (i == 1)
        assert_string_equal (code, first);
      assert_true (g_hash_table_add (codes, g_steal_pointer (&code)));
      n++;
    }
  assert_int_equal (n, expected);
  g_unlink (path);
}

static void
test_export_pages (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *newest = NULL;
  GtkListBox *queues;

  assert_true (payam_store_begin (f->store, &error));
  for (guint i = 0; i < 2100; i++)
    {
      g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 12, 1, 8, 0, 0);
      g_autoptr(GDateTime) at = g_date_time_add_seconds (created, i);
      PayamRequestDraft draft = {
        .text = "چالهٔ بزرگ، \"وسط\" خیابان توحید", .category = "asphalt",
        .neighbourhood = "tohid", .channel = PAYAM_CHANNEL_KIOSK, .created_at = at,
      };
      g_autoptr(PayamRequest) r = payam_store_add_request (f->store, &draft, &error);

      assert_non_null (r);
      if (i == 2099)
        newest = g_strdup (r->tracking_code);
    }
  assert_true (payam_store_commit (f->store, &error));
  open_window (f);
  check_export (f, "new.csv", 2103, f->codes[0]);
  queues = GTK_LIST_BOX (find_with_class (GTK_WIDGET (f->window), "navigation-sidebar"));
  gtk_list_box_select_row (queues, gtk_list_box_get_row_at_index (queues, PAYAM_QUEUE_ALL));
  check_export (f, "all.csv", 2103, newest);
}

/* Sign in on the sign-in page as @name with @password. */
static void
sign_in (Fixture    *f,
         const char *name,
         const char *password)
{
  GtkWidget *name_row = find (GTK_WIDGET (f->window), ADW_TYPE_ENTRY_ROW, NULL);
  GtkWidget *password_row = find (GTK_WIDGET (f->window), ADW_TYPE_PASSWORD_ENTRY_ROW, NULL);

  gtk_editable_set_text (GTK_EDITABLE (name_row), name);
  gtk_editable_set_text (GTK_EDITABLE (password_row), password);
  g_signal_emit_by_name (password_row, "entry-activated");
  assert_string_equal (page (f), "work");
}

/* Open All and choose the row of @id. */
static void
choose_in_all (Fixture    *f,
               const char *id)
{
  GtkListBox *queues = GTK_LIST_BOX (find_with_class (GTK_WIDGET (f->window),
                                                      "navigation-sidebar"));
  GListModel *model;

  gtk_list_box_select_row (queues, gtk_list_box_get_row_at_index (queues, PAYAM_QUEUE_ALL));
  model = list_model (f);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PayamQueueItem) item = row_at (model, i);

      if (g_strcmp0 (payam_queue_item_get_id (item), id) == 0)
        gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (model), i);
    }
  assert_string_equal (selected_id (f), id);
}

/* The office-why rows of @path that carry @why. */
static int
count_why (const char *path,
           const char *why)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n;

  assert_int_equal (sqlite3_open (path, &db), SQLITE_OK);
  assert_int_equal (sqlite3_prepare_v2 (db, "SELECT count (*) FROM audit WHERE action = "
                                        "'office-why' AND json_extract (detail, '$.why') = ?1",
                                        -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, why, -1, SQLITE_TRANSIENT);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static gboolean
told_to_write_why (gpointer data)
{
  Fixture *f = data;

  return has_label_containing (GTK_WIDGET (f->window),
                               _("Another crew holds this work: write why it is moved, so "
                                 "that crew is told."));
}

/* Moving work another crew holds needs a reason: without one the dialog comes back with
 * the crew's name and nothing moves; with one the work moves and the reason goes with the
 * change (the crew it is taken from is told why). */
static void
test_assign_why (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = payam_store_add_crew (f->store, "اکیپ توحید", "tohid", &error);
  g_autofree char *second = payam_store_add_crew (f->store, "اکیپ دریان‌نو", NULL, &error);
  g_autofree char *holder = NULL;
  const char *why = "اکیپ توحید امروز به حادثهٔ آب‌گرفتگی رفته است";
  GtkWindow *dialog;

  assert_non_null (first);
  assert_non_null (second);
  assert_true (payam_store_assign_crew (f->store, f->ids[0], first, &error));
  open_window (f);
  choose_in_all (f, f->ids[0]);
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.assign", NULL));
  assert_true (wait_for (has_dialog, f));
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog_of (f)), GTK_TYPE_ENTRY,
                                            "assign-crew")), "اکیپ دریان‌نو");
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog_of (f)), GTK_TYPE_ENTRY,
                                            "assign-why")), "   ");
  previous_dialog = dialog_of (f);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (previous_dialog), "apply");
  assert_true (wait_for (has_new_dialog, f));
  dialog = new_dialog ();
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (find (GTK_WIDGET (dialog),
                                                                  GTK_TYPE_ENTRY,
                                                                  "assign-crew"))),
                       "اکیپ دریان‌نو");
  assert_true (wait_for (told_to_write_why, f));
  assert_true (payam_store_get_worksheet_crew (f->store, f->ids[0], &holder, &error));
  assert_string_equal (holder, first);
  g_clear_pointer (&holder, g_free);

  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, "assign-why")),
                         why);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  assert_true (payam_store_get_worksheet_crew (f->store, f->ids[0], &holder, &error));
  assert_string_equal (holder, second);
  assert_true (count_why (f->path, why) > 0);
}

/* With PAYAM_TEST_SHOTS=DIR, @window as it paints now, as DIR/@name.png, to be looked at. */
static void
shoot_window (GtkWindow  *window,
              const char *name)
{
  const char *dir = g_getenv ("PAYAM_TEST_SHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GdkFrameClock *clock;
  gboolean frame_done = FALSE;
  gulong handler;
  gint64 started;
  int width = 0, height = 0;

  if (dir == NULL)
    return;
  /* A dialog fades in: paint until there is something to see. */
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  started = g_get_monotonic_time ();
  while (node == NULL)
    {
      assert_true (g_get_monotonic_time () - started < 30 * G_USEC_PER_SEC);
      frame_done = FALSE;
      handler = g_signal_connect (clock, "after-paint", G_CALLBACK (painted), &frame_done);
      gtk_widget_queue_draw (GTK_WIDGET (window));
      assert_true (wait_for (flag_set, &frame_done));
      g_signal_handler_disconnect (clock, handler);
      width = gtk_widget_get_width (GTK_WIDGET (window));
      height = gtk_widget_get_height (GTK_WIDGET (window));
      g_clear_object (&paintable);
      paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  file = g_strdup_printf ("%s.png", name);
  path = g_build_filename (dir, file, NULL);
  assert_true (gdk_texture_save_to_png (texture, path));
}

static gboolean
told_a_crew_holds_it (gpointer data)
{
  Fixture *f = data;

  return has_label_containing (GTK_WIDGET (f->window),
                               _("A crew holds this group's worksheet: write why you are "
                                 "changing it, the crew will see it."));
}

/* Taking a message out of a group a crew holds needs a reason: the dialog asks; a blank
 * one is refused in Persian, the dialog comes back and nothing changes; with a reason the
 * message leaves the group, the reason rides on the change, and the detail pane's
 * timeline shows it. */
static void
test_group_why (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *crew = payam_store_add_crew (f->store, "اکیپ توحید", "tohid", &error);
  g_autofree char *group_id = payam_store_merge (f->store, f->ids[2], f->ids[0], FALSE, &error);
  g_autoptr(PayamRequest) after = NULL;
  const char *why = "این پیام دربارهٔ کوچهٔ دیگری است";
  GtkWidget *detail;
  GtkWindow *dialog;

  assert_non_null (crew);
  assert_non_null (group_id);
  assert_true (payam_store_assign_crew (f->store, f->ids[0], crew, &error));
  open_window (f);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1366, 768);
  choose_in_all (f, f->ids[0]);
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.group-split", NULL));
  assert_true (wait_for (has_dialog, f));
  previous_dialog = dialog_of (f);
  assert_string_equal (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (previous_dialog)),
                       _("Take the message out of its group"));
  shoot_window (previous_dialog, "office-group-why-dialog");
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (previous_dialog), GTK_TYPE_ENTRY,
                                             "group-why")), " ");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (previous_dialog), "apply");
  assert_true (wait_for (has_new_dialog, f));
  assert_true (wait_for (told_a_crew_holds_it, f));
  /* In Persian, with the glossary's word for crew. */
  assert_non_null (strstr (_("A crew holds this group's worksheet: write why you are "
                             "changing it, the crew will see it."), "اکیپ"));
  after = payam_store_get_request (f->store, f->ids[0], &error);
  assert_string_equal (after->group_id, group_id);
  assert_int_equal (count_why (f->path, why), 0);
  gtk_window_destroy (previous_dialog);
  previous_dialog = NULL;

  dialog = dialog_of (f);
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, "group-why")),
                         why);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  gtk_window_destroy (dialog);
  g_clear_pointer (&after, payam_request_free);
  after = payam_store_get_request (f->store, f->ids[0], &error);
  assert_null (after->group_id);
  assert_true (count_why (f->path, why) > 0);
  /* The detail pane's timeline: the office's change, what and why. */
  choose_in_all (f, f->ids[0]);
  detail = find (GTK_WIDGET (f->window), PAYAM_TYPE_OFFICE_DETAIL, NULL);
  assert_true (has_label_containing (detail, why));
  {
    g_autofree char *what = g_strdup_printf (_("Changed by the office: %s — %s"),
                                             _("a message taken out of its group"), why);

    assert_true (has_label_containing (detail, what));
  }
  if (g_getenv ("PAYAM_TEST_SHOTS") != NULL)
    {
      /* Tall enough for the whole timeline, the change at its end. */
      gtk_widget_set_size_request (GTK_WIDGET (f->window), 1366, 1040);
      shoot_window (GTK_WINDOW (f->window), "office-group-why-timeline");
    }
}

/* Shift+R and Shift+D are a supervisor's: office staff get no dialog and nothing
 * changes; a supervisor reopens a rejected message (a reason required: the dialog comes
 * back without one) and moves a deadline a day later, each recorded under her. */
static void
test_supervisor_actions (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *clerk = payam_store_add_staff (f->store, "علی رضایی", PAYAM_STAFF_ROLE_OFFICE,
                                                  "گذرواژهٔ دفتر", &error);
  g_autofree char *boss = payam_store_add_staff (f->store, "زهرا کریمی",
                                                 PAYAM_STAFF_ROLE_SUPERVISOR, "سرپرست-۱۴۰۵",
                                                 &error);
  g_autoptr(PayamRequest) before = NULL;
  g_autoptr(PayamRequest) after = NULL;
  GtkWindow *dialog;

  assert_non_null (clerk);
  assert_non_null (boss);
  assert_true (payam_store_triage_reject (f->store, f->ids[0], "کار شهرداری نیست", &error));

  /* Office staff. */
  open_window (f);
  sign_in (f, "علی رضایی", "گذرواژهٔ دفتر");
  choose_in_all (f, f->ids[0]);
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.supervisor-reopen",
                                           NULL));
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.supervisor-deadline",
                                           NULL));
  assert_null (dialog_of (f));
  after = payam_store_get_request (f->store, f->ids[0], &error);
  assert_int_equal (after->status, PAYAM_STATUS_REJECTED);
  gtk_window_destroy (GTK_WINDOW (f->window));

  /* The supervisor. */
  open_window (f);
  sign_in (f, "زهرا کریمی", "سرپرست-۱۴۰۵");
  choose_in_all (f, f->ids[0]);
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.supervisor-reopen",
                                           NULL));
  assert_true (wait_for (has_dialog, f));
  previous_dialog = dialog_of (f);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (previous_dialog), "apply");
  assert_true (wait_for (has_new_dialog, f));
  dialog = new_dialog ();
  g_clear_pointer (&after, payam_request_free);
  after = payam_store_get_request (f->store, f->ids[0], &error);
  assert_int_equal (after->status, PAYAM_STATUS_REJECTED);
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, NULL)),
                         "اشتباه رد شد");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  g_clear_pointer (&after, payam_request_free);
  after = payam_store_get_request (f->store, f->ids[0], &error);
  assert_int_equal (after->status, PAYAM_STATUS_TRIAGED);

  choose_in_all (f, f->ids[1]);
  before = payam_store_get_request (f->store, f->ids[1], &error);
  /* A response from the test leaves its dialog up (a click would close it). */
  for (GtkWindow *up; (up = dialog_of (f)) != NULL;)
    gtk_window_destroy (up);
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.supervisor-deadline",
                                           NULL));
  assert_true (wait_for (has_dialog, f));
  dialog = dialog_of (f);
  assert_string_equal (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                       _("Change the deadline"));
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, NULL)),
                         "منتظر قطعه");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  g_clear_pointer (&after, payam_request_free);
  after = payam_store_get_request (f->store, f->ids[1], &error);
  {
    g_autoptr(GDateTime) want = g_date_time_add_days (before->due_at, 1);
    g_autofree char *got_text = g_date_time_format_iso8601 (after->due_at);
    g_autofree char *want_text = g_date_time_format_iso8601 (want);

    assert_string_equal (got_text, want_text);
  }
}

/* The accounts page (the sidebar's row after the dashboard) of the window of @f. */
static GtkWidget *
open_accounts (Fixture *f)
{
  GtkListBox *queues = GTK_LIST_BOX (find_with_class (GTK_WIDGET (f->window),
                                                      "navigation-sidebar"));
  GtkWidget *accounts;

  gtk_list_box_select_row (queues, gtk_list_box_get_row_at_index (queues, PAYAM_N_QUEUES + 2));
  accounts = find (GTK_WIDGET (f->window), PAYAM_TYPE_OFFICE_ACCOUNTS, NULL);
  assert_non_null (accounts);
  assert_true (gtk_widget_is_visible (accounts));
  return accounts;
}

/* Click the button @name of @accounts and answer the dialog it opens: @name_text in the
 * name box, @secret and @again in the PIN or password boxes (NULL: none), @choice in the
 * drop-down (-1: none); returns the dialog answered, left up. */
static GtkWindow *
answer_account_dialog (Fixture    *f,
                       GtkWidget  *accounts,
                       const char *button,
                       const char *name_text,
                       const char *secret,
                       const char *again,
                       int         choice)
{
  GtkWindow *dialog;

  for (GtkWindow *up; (up = dialog_of (f)) != NULL;)
    gtk_window_destroy (up);
  previous_dialog = NULL;
  g_signal_emit_by_name (find (accounts, GTK_TYPE_BUTTON, button), "clicked");
  assert_true (wait_for (has_dialog, f));
  dialog = dialog_of (f);
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_ENTRY,
                                             "account-name")), name_text);
  if (secret != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_PASSWORD_ENTRY,
                                                 "account-secret")), secret);
      gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_PASSWORD_ENTRY,
                                                 "account-again")), again);
    }
  if (choice >= 0)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (find (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN,
                                                     "account-choice")), (guint) choice);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  return dialog;
}

/* Click the button @button of @accounts and fill the dialog it opens: @old, @secret and
 * @again in the boxes of those names (NULL: leave it), @choice in the drop-down (-1: none);
 * then answer @response. Returns the dialog answered, left up. */
/* Close every dialog up. A dialog that comes back has the focus in a password box, which
 * GTK must not see go with its window (the app clears it on a response; the test answers
 * without closing). */
static void
close_dialogs (Fixture *f)
{
  for (GtkWindow *up; (up = dialog_of (f)) != NULL;)
    {
      gtk_window_set_focus (up, NULL);
      gtk_window_destroy (up);
    }
}

static GtkWindow *
answer_change_dialog (Fixture    *f,
                      GtkWidget  *accounts,
                      const char *button,
                      const char *old,
                      const char *secret,
                      const char *again,
                      int         choice,
                      const char *response)
{
  GtkWindow *dialog;

  close_dialogs (f);
  previous_dialog = NULL;
  g_signal_emit_by_name (find (accounts, GTK_TYPE_BUTTON, button), "clicked");
  assert_true (wait_for (has_dialog, f));
  dialog = dialog_of (f);
  if (old != NULL)
    gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_PASSWORD_ENTRY,
                                               "account-old")), old);
  if (secret != NULL)
    gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_PASSWORD_ENTRY,
                                               "account-secret")), secret);
  if (again != NULL)
    gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_PASSWORD_ENTRY,
                                               "account-again")), again);
  if (choice >= 0)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (find (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN,
                                                     "account-choice")), (guint) choice);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  return dialog;
}

/* The text in the box @name of @dialog. */
static const char *
box_text (GtkWindow  *dialog,
          const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_PASSWORD_ENTRY,
                                                    name)));
}

/* Whether @password signs @name in, on a store of its own over @f's database. */
static gboolean
signs_in (Fixture    *f,
          const char *name,
          const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) other = payam_store_open (f->path, &error);
  g_autoptr(PayamStaff) in = NULL;

  assert_non_null (other);
  in = payam_store_sign_in (other, name, password, NULL);
  return in != NULL;
}

static PayamStaff *
staff_named (PayamStore *store,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) staff = payam_store_list_staff (store, &error);

  assert_non_null (staff);
  for (guint i = 0; i < staff->len; i++)
    {
      PayamStaff *s = g_ptr_array_index (staff, i);

      if (g_strcmp0 (s->name, name) == 0)
        return g_ptr_array_steal_index (staff, i);
    }
  return NULL;
}

/* The toast that says a supervisor cannot disable herself is up (after those before it). */
static gboolean
told_not_oneself (gpointer data)
{
  Fixture *f = data;

  return has_label_containing (GTK_WIDGET (f->window),
                               _("You cannot disable your own account while signed in with "
                                 "it."));
}

/* Crews and staff from the office window: office staff see the buttons unclickable and a
 * line saying only a supervisor may; a supervisor adds a crew in a neighbourhood, a member
 * (PINs that differ are refused in Persian, the dialog back with what was typed, nothing
 * saved; then the PIN typed in two digit forms is kept and signs the member in), an
 * account, and disables it after a confirmation; each change goes to the outbox. */
static void
test_accounts (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *clerk = payam_store_add_staff (f->store, "علی رضایی", PAYAM_STAFF_ROLE_OFFICE,
                                                  "گذرواژهٔ دفتر", &error);
  g_autofree char *boss = payam_store_add_staff (f->store, "زهرا کریمی",
                                                 PAYAM_STAFF_ROLE_SUPERVISOR, "سرپرست-۱۴۰۵",
                                                 &error);
  const char *buttons[] = { "accounts-add-crew", "accounts-add-member", "accounts-member-pin",
                            "accounts-member-state", "accounts-add-staff", "accounts-disable",
                            "accounts-enable", "accounts-password" };
  const char *wrong_old = _("The current password is wrong; type it again.");
  const char *mismatch = _("The two PINs are not the same; type the PIN again in both boxes.");
  g_autofree char *crew = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(PayamStaff) added = NULL;
  g_autoptr(PayamStaff) disabled = NULL;
  g_autofree char *signed_in = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  GtkWidget *accounts;
  GtkListBox *list;
  GtkWindow *dialog;
  gint64 outbox;
  int row = -1;

  assert_non_null (clerk);
  assert_non_null (boss);
  /* In Persian, with the glossary's words. */
  assert_non_null (strstr (_("Crews and staff"), "اکیپ"));
  assert_non_null (strstr (mismatch, "رمز"));

  /* Office staff: nothing takes a click, and the page says who may. */
  open_window (f);
  sign_in (f, "علی رضایی", "گذرواژهٔ دفتر");
  accounts = open_accounts (f);
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    assert_false (gtk_widget_get_sensitive (find (accounts, GTK_TYPE_BUTTON, buttons[i])));
  assert_true (gtk_widget_is_visible (find (accounts, GTK_TYPE_LABEL, "accounts-note")));
  assert_non_null (strstr (gtk_label_get_label (GTK_LABEL (find (accounts, GTK_TYPE_LABEL,
                                                                 "accounts-note"))),
                           "سرپرست"));
  /* The store refuses office staff too. */
  assert_null (payam_store_add_crew (f->store, "اکیپ دیگر", NULL, &error));
  assert_non_null (error);
  assert_string_equal (error->message, _("Only a supervisor may manage crews."));
  g_clear_error (&error);
  assert_null (payam_store_add_staff (f->store, "کسی دیگر", PAYAM_STAFF_ROLE_OFFICE,
                                      "گذرواژهٔ دیگر", &error));
  assert_non_null (error);
  g_clear_error (&error);
  assert_false (payam_store_enable_staff (f->store, "زهرا کریمی", &error));
  g_clear_error (&error);
  /* Their own password, yes: a wrong current one, a short or mistyped new one are refused
   * in Persian, the dialog back with what was typed, nothing saved. */
  assert_non_null (strstr (wrong_old, "گذرواژه"));
  assert_true (gtk_widget_get_sensitive (find (accounts, GTK_TYPE_BUTTON,
                                               "accounts-my-password")));
  outbox = payam_store_count_outbox (f->store, &error);
  previous_dialog = answer_change_dialog (f, accounts, "accounts-my-password", "گذرواژهٔ غلط",
                                          "گذرواژهٔ نو ۱۴۰۵", "گذرواژهٔ نو ۱۴۰۵", -1, "apply");
  assert_true (wait_for (has_new_dialog, f));
  dialog = new_dialog ();
  assert_true (has_label_containing (GTK_WIDGET (dialog), wrong_old));
  assert_string_equal (box_text (dialog, "account-old"), "گذرواژهٔ غلط");
  assert_string_equal (box_text (dialog, "account-secret"), "گذرواژهٔ نو ۱۴۰۵");
  shoot_window (dialog, "office-accounts-wrong-password");
  previous_dialog = answer_change_dialog (f, accounts, "accounts-my-password", "گذرواژهٔ دفتر",
                                          "گذرواژهٔ نو ۱۴۰۵", "گذرواژهٔ نو ۱۴۰۶", -1, "apply");
  assert_true (wait_for (has_new_dialog, f));
  assert_true (has_label_containing (GTK_WIDGET (new_dialog ()),
                                     _("The two passwords are not the same; type the "
                                       "password again in both boxes.")));
  previous_dialog = answer_change_dialog (f, accounts, "accounts-my-password", "گذرواژهٔ دفتر",
                                          "کوتاه", "کوتاه", -1, "apply");
  assert_true (wait_for (has_new_dialog, f));
  assert_int_equal (payam_store_count_outbox (f->store, &error), outbox);
  assert_true (signs_in (f, "علی رضایی", "گذرواژهٔ دفتر"));
  answer_change_dialog (f, accounts, "accounts-my-password", "گذرواژهٔ دفتر",
                        "گذرواژهٔ نو ۱۴۰۵", "گذرواژهٔ نو ۱۴۰۵", -1, "apply");
  assert_true (signs_in (f, "علی رضایی", "گذرواژهٔ نو ۱۴۰۵"));
  assert_false (signs_in (f, "علی رضایی", "گذرواژهٔ دفتر"));
  assert_true (payam_store_count_outbox (f->store, &error) > outbox);
  close_dialogs (f);
  gtk_window_destroy (GTK_WINDOW (f->window));

  /* The supervisor. */
  open_window (f);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1366, 768);
  sign_in (f, "زهرا کریمی", "سرپرست-۱۴۰۵");
  accounts = open_accounts (f);
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    assert_true (gtk_widget_get_sensitive (find (accounts, GTK_TYPE_BUTTON, buttons[i])));
  assert_false (gtk_widget_is_visible (find (accounts, GTK_TYPE_LABEL, "accounts-note")));

  /* A crew in the first neighbourhood of the list. */
  outbox = payam_store_count_outbox (f->store, &error);
  answer_account_dialog (f, accounts, "accounts-add-crew", "اکیپ توحید ۲", NULL, NULL, 1);
  crew = payam_store_find_crew (f->store, "اکیپ توحید ۲", &error);
  assert_non_null (crew);
  assert_true (payam_store_count_outbox (f->store, &error) > outbox);
  /* The same name again is refused; the dialog comes back with it. */
  previous_dialog = answer_account_dialog (f, accounts, "accounts-add-crew", "اکیپ توحید ۲",
                                           NULL, NULL, 0);
  assert_true (wait_for (has_new_dialog, f));

  /* A member: PINs that differ are refused, nothing saved, what was typed kept. */
  list = GTK_LIST_BOX (find (accounts, GTK_TYPE_LIST_BOX, "accounts-crews"));
  gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, 0));
  outbox = payam_store_count_outbox (f->store, &error);
  previous_dialog = answer_account_dialog (f, accounts, "accounts-add-member", "مریم احمدی",
                                           "۲۴۶۸", "2469", -1);
  assert_true (wait_for (has_new_dialog, f));
  dialog = new_dialog ();
  assert_true (has_label_containing (GTK_WIDGET (dialog), mismatch));
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (find (GTK_WIDGET (dialog),
                                                                  GTK_TYPE_ENTRY,
                                                                  "account-name"))),
                       "مریم احمدی");
  members = payam_store_list_crew_members (f->store, crew, &error);
  assert_int_equal (members->len, 0);
  assert_int_equal (payam_store_count_outbox (f->store, &error), outbox);
  shoot_window (dialog, "office-accounts-pin-mismatch");
  /* The same PIN in Persian and Arabic-Indic digits. */
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_PASSWORD_ENTRY,
                                             "account-again")), "٢٤٦٨");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  g_clear_pointer (&members, g_ptr_array_unref);
  members = payam_store_list_crew_members (f->store, crew, &error);
  assert_int_equal (members->len, 1);
  assert_true (payam_store_count_outbox (f->store, &error) > outbox);
  assert_true (has_label_containing (accounts, "مریم احمدی"));

  /* An account: passwords that differ, or too short, are refused and nothing is saved. */
  outbox = payam_store_count_outbox (f->store, &error);
  previous_dialog = answer_account_dialog (f, accounts, "accounts-add-staff", "سارا نوری",
                                           "گذرواژهٔ تازه", "گذرواژهٔ دیگر", 1);
  assert_true (wait_for (has_new_dialog, f));
  assert_true (has_label_containing (GTK_WIDGET (new_dialog ()),
                                     _("The two passwords are not the same; type the "
                                       "password again in both boxes.")));
  previous_dialog = answer_account_dialog (f, accounts, "accounts-add-staff", "سارا نوری",
                                           "کوتاه", "کوتاه", 0);
  assert_true (wait_for (has_new_dialog, f));
  assert_null (staff_named (f->store, "سارا نوری"));
  assert_int_equal (payam_store_count_outbox (f->store, &error), outbox);
  /* Then added, and disabled after the confirmation. */
  answer_account_dialog (f, accounts, "accounts-add-staff", "سارا نوری", "گذرواژهٔ تازه",
                         "گذرواژهٔ تازه", 0);
  added = staff_named (f->store, "سارا نوری");
  assert_non_null (added);
  assert_int_equal (added->role, PAYAM_STAFF_ROLE_OFFICE);
  assert_true (added->active);
  assert_true (payam_store_count_outbox (f->store, &error) > outbox);
  staff = payam_store_list_staff (f->store, &error);
  close_dialogs (f);
  list = GTK_LIST_BOX (find (accounts, GTK_TYPE_LIST_BOX, "accounts-staff"));
  /* Her own account, while she is signed in with it: not even asked. */
  for (guint i = 0; i < staff->len; i++)
    if (g_strcmp0 (((PayamStaff *) g_ptr_array_index (staff, i))->name, "زهرا کریمی") == 0)
      row = (int) i;
  assert_true (row >= 0);
  gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, row));
  g_signal_emit_by_name (find (accounts, GTK_TYPE_BUTTON, "accounts-disable"), "clicked");
  assert_null (dialog_of (f));
  assert_true (wait_for (told_not_oneself, f));
  {
    g_autoptr(PayamStaff) me = staff_named (f->store, "زهرا کریمی");

    assert_true (me->active);
  }
  row = -1;
  for (guint i = 0; i < staff->len; i++)
    if (g_strcmp0 (((PayamStaff *) g_ptr_array_index (staff, i))->name, "سارا نوری") == 0)
      row = (int) i;
  assert_true (row >= 0);
  gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, row));
  outbox = payam_store_count_outbox (f->store, &error);
  g_signal_emit_by_name (find (accounts, GTK_TYPE_BUTTON, "accounts-disable"), "clicked");
  assert_true (wait_for (has_dialog, f));
  dialog = dialog_of (f);
  shoot_window (GTK_WINDOW (f->window), "office-accounts");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "disable");
  gtk_window_destroy (dialog);
  disabled = staff_named (f->store, "سارا نوری");
  assert_false (disabled->active);
  assert_true (payam_store_count_outbox (f->store, &error) > outbox);
  assert_true (has_label_containing (accounts, _("Disabled")));

  /* Enabled again; then a new password she does not need the old one for (two typings
   * that differ first: refused, nothing saved). */
  gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, row));
  outbox = payam_store_count_outbox (f->store, &error);
  g_signal_emit_by_name (find (accounts, GTK_TYPE_BUTTON, "accounts-enable"), "clicked");
  g_clear_pointer (&disabled, payam_staff_free);
  disabled = staff_named (f->store, "سارا نوری");
  assert_true (disabled->active);
  assert_true (payam_store_count_outbox (f->store, &error) > outbox);
  gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, row));
  outbox = payam_store_count_outbox (f->store, &error);
  previous_dialog = answer_change_dialog (f, accounts, "accounts-password", NULL,
                                          "گذرواژهٔ سارا", "گذرواژهٔ ساره", -1, "apply");
  assert_true (wait_for (has_new_dialog, f));
  dialog = new_dialog ();
  assert_null (find (GTK_WIDGET (dialog), GTK_TYPE_PASSWORD_ENTRY, "account-old"));
  assert_string_equal (box_text (dialog, "account-again"), "گذرواژهٔ ساره");
  assert_int_equal (payam_store_count_outbox (f->store, &error), outbox);
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_PASSWORD_ENTRY,
                                             "account-again")), "گذرواژهٔ سارا");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  assert_true (signs_in (f, "سارا نوری", "گذرواژهٔ سارا"));
  assert_true (payam_store_count_outbox (f->store, &error) > outbox);
  close_dialogs (f);

  /* The member's PIN signs in, in Latin digits. */
  {
    g_autoptr(PayamStore) laptop = payam_store_open (f->path, &error);

    signed_in = payam_store_crew_sign_in (laptop, ((PayamCrewPerson *)
                                                   g_ptr_array_index (members, 0))->id,
                                          "2468", &error);
    assert_string_equal (signed_in, "مریم احمدی");
  }

  /* The member forgot it: a new PIN (two that differ first: refused, back, nothing saved). */
  list = GTK_LIST_BOX (find (accounts, GTK_TYPE_LIST_BOX, "accounts-crews"));
  gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, 0));
  outbox = payam_store_count_outbox (f->store, &error);
  previous_dialog = answer_change_dialog (f, accounts, "accounts-member-pin", NULL, "۱۳۵۷",
                                          "1358", 0, "apply");
  assert_true (wait_for (has_new_dialog, f));
  dialog = new_dialog ();
  assert_true (has_label_containing (GTK_WIDGET (dialog), mismatch));
  assert_string_equal (box_text (dialog, "account-secret"), "۱۳۵۷");
  assert_int_equal (payam_store_count_outbox (f->store, &error), outbox);
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_WIDGET (dialog), GTK_TYPE_PASSWORD_ENTRY,
                                             "account-again")), "1357");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  assert_true (payam_store_count_outbox (f->store, &error) > outbox);
  {
    g_autoptr(PayamStore) laptop = payam_store_open (f->path, &error);
    const char *id = ((PayamCrewPerson *) g_ptr_array_index (members, 0))->id;
    g_autofree char *in = NULL;

    assert_null (payam_store_crew_sign_in (laptop, id, "2468", NULL));
    in = payam_store_crew_sign_in (laptop, id, "1357", &error);
    assert_string_equal (in, "مریم احمدی");
  }

  /* Disabled: marked so in the crew's row, and the right PIN no longer signs in. */
  gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, 0));
  answer_change_dialog (f, accounts, "accounts-member-state", NULL, NULL, NULL, 0, "disable");
  {
    g_autofree char *marked = g_strdup_printf (_("%s (disabled)"), "مریم احمدی");
    g_autoptr(PayamStore) laptop = payam_store_open (f->path, &error);
    const char *id = ((PayamCrewPerson *) g_ptr_array_index (members, 0))->id;

    assert_non_null (strstr (marked, "غیرفعال"));
    assert_true (has_label_containing (accounts, marked));
    assert_null (payam_store_crew_sign_in (laptop, id, "1357", &error));
    assert_true (g_error_matches (error, PAYAM_CREW_ERROR, PAYAM_CREW_ERROR_DISABLED));
    g_clear_error (&error);
  }
  close_dialogs (f);
  /* The page as the supervisor opens it again (no toast over it), at 1366 × 768. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  open_window (f);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1366, 768);
  sign_in (f, "زهرا کریمی", "سرپرست-۱۴۰۵");
  accounts = open_accounts (f);
  list = GTK_LIST_BOX (find (accounts, GTK_TYPE_LIST_BOX, "accounts-crews"));
  gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, 0));
  shoot_window (GTK_WINDOW (f->window), "office-accounts-changes");
  answer_change_dialog (f, accounts, "accounts-member-state", NULL, NULL, NULL, 0, "enable");
  {
    g_autoptr(PayamStore) laptop = payam_store_open (f->path, &error);
    const char *id = ((PayamCrewPerson *) g_ptr_array_index (members, 0))->id;
    g_autofree char *in = payam_store_crew_sign_in (laptop, id, "1357", &error);

    assert_string_equal (in, "مریم احمدی");
  }
  /* The supervisor cannot disable herself through the store either. */
  assert_false (payam_store_disable_staff (f->store, "زهرا کریمی", &error));
  g_clear_error (&error);
}

/* The ids of the list's rows, joined by spaces. */
static char *
row_ids (Fixture *f)
{
  GListModel *model = list_model (f);
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PayamQueueItem) item = row_at (model, i);

      g_string_append_printf (ids, "%s%s", i > 0 ? " " : "", payam_queue_item_get_id (item));
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static char *
ids_in (Fixture *f,
        guint    a,
        guint    b,
        guint    c)
{
  return g_strjoin (" ", f->ids[a], f->ids[b], f->ids[c], NULL);
}

/* A click on a column's title sorts the queue by it (here through the view's own sorting
 * call, as the click makes it), again the other way; the words' column takes no sort;
 * opening a queue shows it in its own order again. */
static void
test_sort_columns (void **state)
{
  Fixture *f = *state;
  GtkColumnView *view;
  GListModel *columns;
  GtkListBox *queues;
  g_autofree char *oldest_first = ids_in (f, 0, 1, 2);
  g_autofree char *by_category = ids_in (f, 1, 0, 2);     /* lighting, surface-water, waste */
  g_autofree char *by_category_down = ids_in (f, 2, 0, 1);
  g_autofree char *newest_first = ids_in (f, 2, 1, 0);
  g_autofree char *now = NULL;

  open_window (f);
  view = GTK_COLUMN_VIEW (find (GTK_WIDGET (f->window), GTK_TYPE_COLUMN_VIEW, NULL));
  columns = gtk_column_view_get_columns (view);
  now = row_ids (f);
  assert_string_equal (now, oldest_first);

  for (guint c = 0; c < g_list_model_get_n_items (columns); c++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, c);
      const char *title = gtk_column_view_column_get_title (column);

      if (g_strcmp0 (title, _("Words")) == 0 || g_strcmp0 (title, _("Code")) == 0)
        assert_null (gtk_column_view_column_get_sorter (column));
      else
        assert_non_null (gtk_column_view_column_get_sorter (column));
      if (g_strcmp0 (title, _("Category")) == 0)
        {
          gtk_column_view_sort_by_column (view, column, GTK_SORT_ASCENDING);
          g_free (now);
          now = row_ids (f);
          assert_string_equal (now, by_category);
          gtk_column_view_sort_by_column (view, column, GTK_SORT_DESCENDING);
          g_free (now);
          now = row_ids (f);
          assert_string_equal (now, by_category_down);
        }
      if (g_strcmp0 (title, _("Registered on")) == 0)
        {
          gtk_column_view_sort_by_column (view, column, GTK_SORT_DESCENDING);
          g_free (now);
          now = row_ids (f);
          assert_string_equal (now, newest_first);
        }
    }

  /* Opening a queue again: its own order, oldest first. */
  queues = GTK_LIST_BOX (find_with_class (GTK_WIDGET (f->window), "navigation-sidebar"));
  gtk_list_box_select_row (queues, gtk_list_box_get_row_at_index (queues, PAYAM_QUEUE_ALL));
  gtk_list_box_select_row (queues, gtk_list_box_get_row_at_index (queues, PAYAM_QUEUE_NEW));
  g_free (now);
  now = row_ids (f);
  assert_string_equal (now, oldest_first);
}

/* What the other connection of test_other_connection is waiting for. */
typedef struct {
  Fixture    *f;
  guint       n_rows;
  const char *row_id;     /* at row_at */
  guint       row_at;
  const char *category;   /* of that row */
  const char *chosen;     /* the chosen row's id */
} ListState;

static gboolean
list_is (gpointer data)
{
  ListState *s = data;
  GListModel *model = list_model (s->f);
  g_autoptr(PayamQueueItem) row = NULL;

  if (g_list_model_get_n_items (model) != s->n_rows)
    return FALSE;
  row = row_at (model, s->row_at);
  return row != NULL && g_strcmp0 (payam_queue_item_get_id (row), s->row_id) == 0 &&
         g_strcmp0 (payam_queue_item_get_category (row), s->category) == 0 &&
         g_strcmp0 (selected_id (s->f), s->chosen) == 0;
}

/* Changes made by another connection to the store's file (a sync thread, payamctl, the
 * server) reach the open queue without F5: a row's new category shows, a row that left
 * goes, a new one comes; the chosen row stays chosen throughout, and the counts follow. */
static void
test_other_connection (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) other = NULL;
  g_autoptr(PayamRequest) added = NULL;
  g_autofree char *three = payam_format_number (3);
  GtkSingleSelection *selection;
  ListState s = { f, 3, NULL, 1, "lighting", NULL };

  open_window (f);
  assert_true (wait_for (new_counts_three, f));
  selection = GTK_SINGLE_SELECTION (list_model (f));
  gtk_single_selection_set_selected (selection, 1);
  s.row_id = s.chosen = f->ids[1];
  assert_true (list_is (&s));

  other = payam_store_open (f->path, &error);
  if (other == NULL)
    fail_msg ("a second connection: %s", error->message);
  payam_store_set_actor (other, "payamctl");

  /* Its category changed there: the row shows it in place, still chosen. */
  assert_true (payam_store_triage_set_category (other, f->ids[1], "waste",
                                                "پیام دربارهٔ زباله است", &error));
  s.category = "waste";
  assert_true (wait_for (list_is, &s));

  /* The oldest confirmed there leaves New; the chosen row moves up and stays chosen. */
  assert_true (payam_store_triage_confirm (other, f->ids[0], &error));
  s.n_rows = 2;
  s.row_at = 0;
  assert_true (wait_for (list_is, &s));
  {
    g_autofree char *two = payam_format_number (2);

    assert_true (wait_for (counts_moved, f));
    assert_string_equal (count_text (f, "new"), two);
  }

  /* A message registered there comes in at the end (New is oldest first). */
  {
    g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 11, 25, 9, 0, 0);
    PayamRequestDraft draft = {
      .text = "آب از لوله بیرون می‌زند", .category = "surface-water",
      .neighbourhood = "tohid", .channel = PAYAM_CHANNEL_KIOSK, .created_at = created,
    };

    added = payam_store_add_request (other, &draft, &error);
    assert_non_null (added);
  }
  s.n_rows = 3;
  s.row_at = 2;
  s.row_id = added->id;
  s.category = "surface-water";
  assert_true (wait_for (list_is, &s));
  assert_true (wait_for (new_counts_three, f));
  assert_string_equal (selected_id (f), f->ids[1]);

  /* To assign is ordered by priority: the chosen row made urgent there moves to the top,
   * and is still the one chosen. */
  for (guint i = 0; i < 3; i++)
    assert_true (payam_store_triage_set_priority (f->store, f->ids[i], PAYAM_PRIORITY_NORMAL,
                                                  "عادی است", &error) &&
                 (i == 0 || payam_store_triage_confirm (f->store, f->ids[i], &error)));
  {
    GtkListBox *queues = GTK_LIST_BOX (find_with_class (GTK_WIDGET (f->window),
                                                        "navigation-sidebar"));
    g_autoptr(PayamQueueItem) last = NULL;

    gtk_list_box_select_row (queues, gtk_list_box_get_row_at_index (queues,
                                                                    PAYAM_QUEUE_TO_ASSIGN));
    assert_int_equal (g_list_model_get_n_items (list_model (f)), 3);
    selection = GTK_SINGLE_SELECTION (list_model (f));
    gtk_single_selection_set_selected (selection, 2);
    last = row_at (list_model (f), 2);
    s.n_rows = 3;
    s.row_at = 0;
    s.row_id = s.chosen = g_strdup (payam_queue_item_get_id (last));
    s.category = payam_queue_item_get_category (last);
    assert_true (payam_store_triage_set_priority (other, s.row_id, PAYAM_PRIORITY_URGENT,
                                                  "خطر جانی دارد", &error));
    assert_true (wait_for (list_is, &s));
    g_free ((char *) s.row_id);
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_triage_keys, setup, teardown),
    cmocka_unit_test_setup_teardown (test_search, setup, teardown),
    cmocka_unit_test_setup_teardown (test_sign_in, setup, teardown),
    cmocka_unit_test_setup_teardown (test_group_review, setup, teardown),
    cmocka_unit_test_setup_teardown (test_assign, setup, teardown),
    cmocka_unit_test_setup_teardown (test_conflict_keep, setup, teardown),
    cmocka_unit_test_setup_teardown (test_conflict_other, setup, teardown),
    cmocka_unit_test_setup_teardown (test_board, setup, teardown),
    cmocka_unit_test_setup_teardown (test_review_page, setup, teardown),
    cmocka_unit_test_setup_teardown (test_export_pages, setup, teardown),
    cmocka_unit_test_setup_teardown (test_sort_columns, setup, teardown),
    cmocka_unit_test_setup_teardown (test_supervisor_actions, setup, teardown),
    cmocka_unit_test_setup_teardown (test_assign_why, setup, teardown),
    cmocka_unit_test_setup_teardown (test_accounts, setup, teardown),
    cmocka_unit_test_setup_teardown (test_group_why, setup, teardown),
    cmocka_unit_test_setup_teardown (test_other_connection, setup, teardown),
  };
  int status;

  setlocale (LC_ALL, "");
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      printf ("1..0 # SKIP no display: run the ui suite under xvfb-run\n");
      return 0;
    }
  if (g_getenv ("PAYAM_LOCALEDIR") != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PAYAM_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  gtk_init ();
  adw_init ();
  application = payam_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (application), NULL, NULL))
    {
      printf ("Bail out! the application could not be registered\n");
      return 1;
    }
  status = cmocka_run_group_tests_name ("office-window", tests, NULL, NULL);
  g_clear_object (&application);
  return status;
}
