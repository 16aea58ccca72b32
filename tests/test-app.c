/* SPDX-License-Identifier: GPL-3.0-or-later */
/* UI tests of the payam application: each mode's window over a temporary store, options,
 * settings, the store error dialog and the request row (needs a display: run under xvfb). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "payam-application.h"
#include "payam-crew-window.h"
#include "payam-error-window.h"
#include "payam-format.h"
#include "payam-kiosk-window.h"
#include "payam-office-window.h"
#include "payam-row-slots.h"
#include "payam-queue-item.h"
#include "payam-request-item.h"
#include "payam-request-list.h"
#include "payam-request-row.h"
#include "payam-store.h"
#include "payam-tracking.h"

/* How long a window may take to appear before the test gives up (never reached when it
 * works; the assertions do not depend on time). */
#define WAIT_LIMIT_MS 10000

/* Like assert_true, but shows the GError's message when @ok is FALSE. */
#define assert_ok(ok, error)                                                    \
  G_STMT_START {                                                                \
    gboolean ok_ = (ok);                                                        \
    if (!ok_)                                                                   \
      print_error ("%s: %s\n", #ok, (error) != NULL ? (error)->message : "?"); \
    assert_true (ok_);                                                          \
  } G_STMT_END

typedef struct {
  char *dir;
  char *db_path;
  char *categories[2];  /* codes of the first two categories of the defaults */
  guint n_categories;
  char *codes[3];       /* tracking codes of the open requests, most urgent first */
} Fixture;

/* What a run of the application saw, gathered in the main loop and asserted afterwards
 * (cmocka's longjmp must not leave g_application_run in the middle). */
typedef struct {
  const char *mode;           /* option, NULL for none */
  const char *db_path;
  const Fixture *fixture;
  gboolean seen;
  GType window_type;
  GtkTextDirection direction;
  gboolean decorated;
  gboolean deletable;
  gboolean fullscreen;
  gboolean covers_monitor;
  gboolean inspector_keybinding;
  guint n_rows;
  guint n_rows_after_reload;
  PayamPriority priorities[3];
  char *first_code;
  char *persian_label;        /* some label text with Persian digits */
  char *left_text;            /* a row's "time left" after the list's clock was moved */
  char *left_expected;
  char *total_text;
  char *open_text;
  guint n_cards;
  gboolean register_sensitive;
  gboolean follow_sensitive;
  gboolean rate_sensitive;
  char *dialog_heading;
  char *dialog_body;
  char *crew_page;            /* the crew window's page: enrol, signin or work */
  guint waited;
  guint source_id;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->first_code, g_free);
  g_clear_pointer (&run->persian_label, g_free);
  g_clear_pointer (&run->left_text, g_free);
  g_clear_pointer (&run->left_expected, g_free);
  g_clear_pointer (&run->total_text, g_free);
  g_clear_pointer (&run->open_text, g_free);
  g_clear_pointer (&run->dialog_heading, g_free);
  g_clear_pointer (&run->dialog_body, g_free);
  g_clear_pointer (&run->crew_page, g_free);
}

static gboolean
has_persian_digit (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x06F0 && c <= 0x06F9)
        return TRUE;
    }
  return FALSE;
}

/* The first widget under @widget (itself included) whose GtkBuilder id is @id. */
static GtkWidget *
find_by_id (GtkWidget  *widget,
            const char *id)
{
  const char *own = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));

  if (g_strcmp0 (own, id) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_id (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_by_type (GtkWidget *widget,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A mapped request row under @widget that shows an item, or NULL. */
static PayamRequestRow *
find_bound_row (GtkWidget *widget)
{
  if (PAYAM_IS_REQUEST_ROW (widget) && gtk_widget_get_mapped (widget)
      && payam_request_row_get_item (PAYAM_REQUEST_ROW (widget)) != NULL)
    return PAYAM_REQUEST_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PayamRequestRow *found = find_bound_row (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* How many category names the kiosk's home lists (separated by "•"), 0 for none. */
static guint
count_category_names (GtkWidget *widget)
{
  GtkWidget *label = find_by_id (widget, "categories_label");
  const char *text;
  guint n = 1;

  if (label == NULL || !gtk_widget_get_visible (label))
    return 0;
  text = gtk_label_get_label (GTK_LABEL (label));
  if (text[0] == '\0')
    return 0;
  for (const char *p = strstr (text, "•"); p != NULL; p = strstr (p + 1, "•"))
    n++;
  return n;
}

/* A mapped label under @widget showing Persian digits, or NULL. */
static const char *
find_persian_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
      && has_persian_digit (gtk_label_get_label (GTK_LABEL (widget))))
    return gtk_label_get_label (GTK_LABEL (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *found = find_persian_label (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* TRUE also when there is no such widget, so that a missing button fails the test. */
static gboolean
sensitive_by_id (GtkWidget  *widget,
                 const char *id)
{
  GtkWidget *found = find_by_id (widget, id);

  return found == NULL || gtk_widget_is_sensitive (found);
}

static char *
label_by_id (GtkWidget  *widget,
             const char *id)
{
  GtkWidget *found = find_by_id (widget, id);

  return GTK_IS_LABEL (found) ? g_strdup (gtk_label_get_label (GTK_LABEL (found))) : NULL;
}

/* The window is as large as the first monitor (fullscreen, or sized so where no window
 * manager honours fullscreen). */
static gboolean
covers_monitor (GtkWindow *window)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (window)));
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;

  if (monitor == NULL)
    return FALSE;

  gdk_monitor_get_geometry (monitor, &geometry);
  return gtk_widget_get_width (GTK_WIDGET (window)) == geometry.width
         && gtk_widget_get_height (GTK_WIDGET (window)) == geometry.height;
}

static gboolean
inspector_keybinding_enabled (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  schema = g_settings_schema_source_lookup (source, "org.gtk.gtk4.Settings.Debug", TRUE);
  if (schema == NULL)
    return FALSE;  /* no schema: GTK has no inspector key binding either */

  settings = g_settings_new_full (schema, NULL, NULL);
  return g_settings_get_boolean (settings, "enable-inspector-keybinding");
}

/* A request added behind the window's back, to check that win.reload reads the store. */
static void
add_late_request (Run *run)
{
  g_autoptr(PayamStore) store = payam_store_open (run->fixture->db_path, NULL);
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 11, 28, 12, 0, 0);
  PayamRequestDraft draft = {
    .text = "تیر چراغ برق کج شده است",
    .category = run->fixture->categories[0],
    .neighbourhood = "tohid",
    .created_at = created,
    .channel = PAYAM_CHANNEL_OFFICE,
  };
  g_autoptr(PayamRequest) request = NULL;

  if (store != NULL)
    request = payam_store_add_request (store, &draft, NULL);
}

static void
inspect_list (Run       *run,
              GtkWidget *window)
{
  GtkWidget *list = find_by_type (window, PAYAM_TYPE_REQUEST_LIST);
  GListModel *model;

  if (list == NULL)
    return;

  g_clear_pointer (&run->first_code, g_free);

  model = payam_request_list_get_model (PAYAM_REQUEST_LIST (list));
  run->n_rows = g_list_model_get_n_items (model);
  for (guint i = 0; i < MIN (run->n_rows, G_N_ELEMENTS (run->priorities)); i++)
    {
      g_autoptr(PayamRequestItem) item = g_list_model_get_item (model, i);
      const PayamRequest *request = payam_request_item_get_request (item);

      run->priorities[i] = request->priority;
      if (i == 0)
        run->first_code = g_strdup (request->tracking_code);
    }
}

/* The text of the label named @name (gtk_widget_set_name) under @widget, or NULL. */
static GtkWidget *
find_by_name (GtkWidget  *widget,
              const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_name (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The office window's list (the New queue at first, a GtkColumnView over places that
 * hold the paging model's rows) and its sidebar counts; then a request written by another connection shows after
 * win.reload. */
static void
inspect_office_list (Run       *run,
                     GtkWidget *window)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (find_by_type (window, GTK_TYPE_COLUMN_VIEW));
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (view));

  g_clear_pointer (&run->first_code, g_free);
  run->n_rows = g_list_model_get_n_items (model);
  for (guint i = 0; i < MIN (run->n_rows, G_N_ELEMENTS (run->priorities)); i++)
    {
      g_autoptr(PayamRowSlot) slot = g_list_model_get_item (model, i);
      PayamQueueItem *item = payam_row_slot_get_item (slot);

      run->priorities[i] = payam_queue_item_get_priority (item);
      if (i == 0)
        run->first_code = g_strdup (payam_queue_item_get_tracking_code (item));
    }
}

static void
inspect_office (Run       *run,
                GtkWidget *widget)
{
  guint n_rows;

  inspect_office_list (run, widget);
  n_rows = run->n_rows;
  /* The sidebar counts come in an idle after the first frame. */
  for (gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
       *gtk_label_get_label (GTK_LABEL (find_by_name (widget, "count-new"))) == '\0' &&
       g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  run->total_text = g_strdup (gtk_label_get_label (GTK_LABEL (find_by_name (widget, "count-all"))));
  run->open_text = g_strdup (gtk_label_get_label (GTK_LABEL (find_by_name (widget, "count-new"))));
  add_late_request (run);
  gtk_widget_activate_action (widget, "win.reload", NULL);
  inspect_office_list (run, widget);
  run->n_rows_after_reload = run->n_rows;
  run->n_rows = n_rows;
}

static void
inspect_window (Run       *run,
                GtkWindow *window)
{
  GtkWidget *widget = GTK_WIDGET (window);
  const char *persian;

  run->window_type = G_OBJECT_TYPE (window);
  run->direction = gtk_widget_get_direction (widget);
  run->decorated = gtk_window_get_decorated (window);
  run->deletable = gtk_window_get_deletable (window);
  run->fullscreen = gtk_window_is_fullscreen (window);
  run->covers_monitor = covers_monitor (window);
  run->inspector_keybinding = inspector_keybinding_enabled ();

  persian = find_persian_label (widget);
  run->persian_label = g_strdup (persian);

  if (PAYAM_IS_ERROR_WINDOW (window))
    {
      PayamErrorWindow *error_window = PAYAM_ERROR_WINDOW (window);

      run->dialog_heading = g_strdup (payam_error_window_get_reason (error_window));
      run->dialog_body = g_strdup (payam_error_window_get_advice (error_window));
    }
  else if (PAYAM_IS_CREW_WINDOW (window))
    {
      GtkWidget *stack = find_by_id (widget, "stack");

      if (GTK_IS_STACK (stack))
        run->crew_page = g_strdup (gtk_stack_get_visible_child_name (GTK_STACK (stack)));
    }
  else if (PAYAM_IS_KIOSK_WINDOW (window))
    {
      run->n_cards = count_category_names (widget);
      run->register_sensitive = sensitive_by_id (widget, "register_button");
      run->follow_sensitive = sensitive_by_id (widget, "follow_button");
      run->rate_sensitive = sensitive_by_id (widget, "rate_button");
    }
  else if (PAYAM_IS_OFFICE_WINDOW (window))
    inspect_office (run, widget);
  else
    {
      guint n_rows;

      inspect_list (run, widget);
      n_rows = run->n_rows;

      /* Moving the list's clock measures every row's time left again. */
      {
        g_autoptr(GDateTime) moment = g_date_time_new_utc (2026, 11, 28, 9, 0, 0);
        PayamRequestList *list = PAYAM_REQUEST_LIST (find_by_type (widget, PAYAM_TYPE_REQUEST_LIST));
        PayamRequestRow *row = find_bound_row (widget);

        payam_request_list_set_now (list, moment);
        if (row != NULL)
          {
            PayamRequestItem *item = payam_request_row_get_item (row);

            run->left_text = label_by_id (GTK_WIDGET (row), "left_label");
            run->left_expected =
              payam_format_time_left (moment, payam_request_item_get_request (item)->due_at);
          }
      }

      add_late_request (run);
      gtk_widget_activate_action (widget, "win.reload", NULL);
      inspect_list (run, widget);
      run->n_rows_after_reload = run->n_rows;
      run->n_rows = n_rows;
    }
}

/* Polls until the application shows a mapped window with its first frame drawn, inspects
 * it and closes every window, which ends g_application_run. */
static gboolean
poll_window (gpointer user_data)
{
  GApplication *app = user_data;
  Run *run = g_object_get_data (G_OBJECT (app), "test-run");
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));
  GtkWindow *window = windows != NULL ? windows->data : NULL;
  gboolean ready;

  run->waited += 20;
  /* Ready once mapped, laid out and the rows are bound (a label shows Persian digits; the
   * error window has no number to show). */
  ready = window != NULL
          && gtk_widget_get_mapped (GTK_WIDGET (window))
          && gtk_widget_get_width (GTK_WIDGET (window)) > 0
          && (PAYAM_IS_ERROR_WINDOW (window) || find_persian_label (GTK_WIDGET (window)) != NULL);
  if (!ready && run->waited < WAIT_LIMIT_MS)
    return G_SOURCE_CONTINUE;

  if (window != NULL)
    {
      run->seen = TRUE;
      inspect_window (run, window);
    }

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);

  run->source_id = 0;
  return G_SOURCE_REMOVE;
}

static int
run_app (Run *run)
{
  g_autoptr(PayamApplication) app = payam_application_new ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int status;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_ptr_array_add (argv, (char *) "payam");
  if (run->mode != NULL)
    {
      g_ptr_array_add (argv, (char *) "--mode");
      g_ptr_array_add (argv, (char *) run->mode);
    }
  if (run->db_path != NULL)
    {
      g_ptr_array_add (argv, (char *) "--db");
      g_ptr_array_add (argv, (char *) run->db_path);
    }
  g_ptr_array_add (argv, NULL);

  /* LANGUAGE=fa already makes GTK's own catalogue say RTL; start from LTR so that only
   * PayamApplication's startup can make the window RTL. */
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);

  g_object_set_data (G_OBJECT (app), "test-run", run);
  run->source_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 20, poll_window,
                                       g_object_ref (app), g_object_unref);
  status = g_application_run (G_APPLICATION (app), argv->len - 1, (char **) argv->pdata);
  /* When the options stop the program, the main loop never ran the poll. */
  g_clear_handle_id (&run->source_id, g_source_remove);

  /* Let the windows finish disposing before the next run. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return status;
}

static void
set_setting_mode (const char *nick)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_string (settings, "mode", nick);
}

/* A store with the default configuration and four requests: urgent, high and normal open
 * ones, and a rejected one that no list shows. */
static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GDateTime) t1 = g_date_time_new_utc (2026, 11, 28, 6, 0, 0);
  g_autoptr(GDateTime) t2 = g_date_time_new_utc (2026, 11, 28, 7, 0, 0);
  g_autoptr(GDateTime) t3 = g_date_time_new_utc (2026, 11, 28, 8, 0, 0);
  g_autoptr(PayamRequest) normal = NULL;
  g_autoptr(PayamRequest) high = NULL;
  g_autoptr(PayamRequest) urgent = NULL;
  g_autoptr(PayamRequest) rejected = NULL;

  f->dir = g_dir_make_tmp ("payam-test-app-XXXXXX", &error);
  assert_non_null (f->dir);
  f->db_path = g_build_filename (f->dir, "payam.db", NULL);

  store = payam_store_open (f->db_path, &error);
  assert_ok (store != NULL, error);
  assert_ok (payam_store_load_defaults (store, &error), error);
  categories = payam_store_list_categories (store, &error);
  assert_non_null (categories);
  assert_true (categories->len >= 2);
  f->n_categories = categories->len;
  for (guint i = 0; i < 2; i++)
    f->categories[i] = g_strdup (((PayamCategory *) g_ptr_array_index (categories, i))->code);

  {
    PayamRequestDraft d_normal = {
      .text = "چراغ کوچه روشن نمی‌شود",
      .category = f->categories[0], .neighbourhood = "tohid", .created_at = t1,
      .channel = PAYAM_CHANNEL_OFFICE,
    };
    PayamRequestDraft d_high = {
      .text = "چراغ‌های کوچه‌ی بهار سه شب است خاموش است",
      .category = f->categories[1], .neighbourhood = "tohid", .created_at = t2,
      .answers = { .blocks_road = TRUE }, .channel = PAYAM_CHANNEL_KIOSK,
    };
    PayamRequestDraft d_urgent = {
      .text = "دریچه‌ی فاضلاب جلوی مدرسه باز مانده است",
      .category = f->categories[0], .neighbourhood = "tohid", .created_at = t3,
      .hazard = TRUE, .answers = { .danger_to_people = TRUE }, .channel = PAYAM_CHANNEL_KIOSK,
    };
    PayamRequestDraft d_rejected = {
      .text = "پیام آزمایشی",
      .category = f->categories[1], .neighbourhood = "tohid", .created_at = t1,
      .channel = PAYAM_CHANNEL_OFFICE,
    };

    normal = payam_store_add_request (store, &d_normal, &error);
    assert_ok (normal != NULL, error);
    high = payam_store_add_request (store, &d_high, &error);
    assert_ok (high != NULL, error);
    urgent = payam_store_add_request (store, &d_urgent, &error);
    assert_ok (urgent != NULL, error);
    rejected = payam_store_add_request (store, &d_rejected, &error);
    assert_ok (rejected != NULL, error);
    assert_ok (payam_store_set_status (store, rejected->id, PAYAM_STATUS_REJECTED,
                                       PAYAM_ROLE_OFFICE, "آزمایشی بود", &error), error);
  }

  assert_int_equal (urgent->priority, PAYAM_PRIORITY_URGENT);
  assert_int_equal (high->priority, PAYAM_PRIORITY_HIGH);
  f->codes[0] = g_strdup (urgent->tracking_code);
  f->codes[1] = g_strdup (high->tracking_code);
  f->codes[2] = g_strdup (normal->tracking_code);

  *state = f;
  return 0;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
  for (guint i = 0; i < G_N_ELEMENTS (f->categories); i++)
    g_free (f->categories[i]);
  for (guint i = 0; i < G_N_ELEMENTS (f->codes); i++)
    g_free (f->codes[i]);
  g_free (f);
  return 0;
}

static void
test_crew (void **state)
{
  Fixture *f = *state;
  Run run = { .mode = "crew", .db_path = f->db_path, .fixture = f };

  assert_int_equal (run_app (&run), 0);
  assert_true (run.seen);
  assert_true (run.window_type == PAYAM_TYPE_CREW_WINDOW);
  assert_int_equal (run.direction, GTK_TEXT_DIR_RTL);
  /* This store is no crew's laptop: the window says how to enrol it (the sign-in, the list
   * and the work are tested by tests/ui-crew.py on an enrolled one). */
  assert_non_null (run.crew_page);
  assert_string_equal (run.crew_page, "enrol");
  assert_true (has_persian_digit (run.persian_label));
  run_clear (&run);
}

static void
test_office (void **state)
{
  Fixture *f = *state;
  Run run = { .mode = "office", .db_path = f->db_path, .fixture = f };
  g_autofree char *four = payam_format_number (4);
  g_autofree char *three = payam_format_number (3);

  assert_int_equal (run_app (&run), 0);
  assert_true (run.seen);
  assert_true (run.window_type == PAYAM_TYPE_OFFICE_WINDOW);
  assert_int_equal (run.direction, GTK_TEXT_DIR_RTL);
  /* New, oldest first: the rejected request is not in it. */
  assert_int_equal (run.n_rows, 3);
  assert_int_equal (run.priorities[0], PAYAM_PRIORITY_NORMAL);
  assert_int_equal (run.priorities[1], PAYAM_PRIORITY_HIGH);
  assert_int_equal (run.priorities[2], PAYAM_PRIORITY_URGENT);
  assert_string_equal (run.first_code, f->codes[2]);
  assert_int_equal (run.n_rows_after_reload, 4);
  assert_non_null (run.persian_label);
  assert_true (has_persian_digit (run.persian_label));
  /* Counts are read before the late request: four requests, three of them new. */
  assert_string_equal (run.total_text, four);
  assert_string_equal (run.open_text, three);
  assert_string_equal (run.open_text, "۳");
  run_clear (&run);
}

static void
test_kiosk (void **state)
{
  Fixture *f = *state;
  Run run = { .mode = "kiosk", .db_path = f->db_path, .fixture = f };

  assert_int_equal (run_app (&run), 0);
  assert_true (run.seen);
  assert_true (run.window_type == PAYAM_TYPE_KIOSK_WINDOW);
  assert_int_equal (run.direction, GTK_TEXT_DIR_RTL);
  assert_false (run.decorated);
  assert_false (run.deletable);
  assert_true (run.covers_monitor);
  assert_false (run.inspector_keybinding);
  /* Home lists every category of the store by name. */
  assert_int_equal (run.n_cards, f->n_categories);
  /* The three choices lead to their flows. */
  assert_true (run.register_sensitive);
  assert_true (run.follow_sensitive);
  assert_true (run.rate_sensitive);
  /* The hotline number in the subtitle. */
  assert_non_null (run.persian_label);
  assert_true (has_persian_digit (run.persian_label));
  run_clear (&run);

  /* The store knows it is a kiosk's: not enrolled, it refuses a contact it cannot seal. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PayamStore) store = payam_store_open (f->db_path, &error);
    g_autoptr(PayamRequest) with_phone = NULL;
    g_autoptr(PayamRequest) without = NULL;
    PayamRequestDraft draft = {
      .text = "چاله در پیاده‌رو", .category = f->categories[0], .neighbourhood = "tohid",
      .phone = "09121234567", .channel = PAYAM_CHANNEL_KIOSK,
    };

    assert_non_null (store);
    with_phone = payam_store_add_request (store, &draft, &error);
    assert_null (with_phone);
    assert_non_null (error);
    g_clear_error (&error);
    draft.phone = NULL;
    without = payam_store_add_request (store, &draft, &error);
    assert_non_null (without);
  }
}

/* Without --mode the GSettings key decides; an option overrides it. */
static void
test_mode_from_settings (void **state)
{
  Fixture *f = *state;
  Run from_settings = { .db_path = f->db_path, .fixture = f };
  Run from_option = { .mode = "office", .db_path = f->db_path, .fixture = f };

  set_setting_mode ("crew");
  assert_int_equal (run_app (&from_settings), 0);
  assert_true (from_settings.window_type == PAYAM_TYPE_CREW_WINDOW);
  run_clear (&from_settings);

  assert_int_equal (run_app (&from_option), 0);
  assert_true (from_option.window_type == PAYAM_TYPE_OFFICE_WINDOW);
  run_clear (&from_option);

  set_setting_mode ("office");
}

/* Without --db the GSettings key "db-path" names the database. */
static void
test_db_from_settings (void **state)
{
  Fixture *f = *state;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  Run run = { .mode = "office", .fixture = f };

  g_settings_set_string (settings, "db-path", f->db_path);
  assert_int_equal (run_app (&run), 0);
  g_settings_reset (settings, "db-path");

  /* The office window opened the database the setting names: its New queue shows that
   * store's three new requests, oldest first. */
  assert_true (run.window_type == PAYAM_TYPE_OFFICE_WINDOW);
  assert_int_equal (run.n_rows, 3);
  assert_string_equal (run.first_code, f->codes[2]);
  run_clear (&run);
}

/* Neither --db nor the setting: the database goes to payam/payam.db in the user's data
 * folder (XDG_DATA_HOME, set by tests/meson.build to a folder of the build). */
static void
test_default_db (void **state)
{
  Fixture *f = *state;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "payam", NULL);
  g_autofree char *path = g_build_filename (dir, "payam.db", NULL);
  Run run = { .mode = "crew", .fixture = f };

  remove_tree (dir);
  assert_int_equal (run_app (&run), 0);
  assert_true (run.window_type == PAYAM_TYPE_CREW_WINDOW);
  assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  /* A new store has no requests: the list shows its empty state. */
  assert_int_equal (run.n_rows, 0);
  remove_tree (dir);
  run_clear (&run);
}

/* A path where no database exists yet: created and filled with the default categories,
 * which the kiosk then shows. */
static void
test_fresh_store (void **state)
{
  Fixture *f = *state;
  g_autofree char *fresh = g_build_filename (f->dir, "fresh.db", NULL);
  Run run = { .mode = "kiosk", .db_path = fresh, .fixture = f };

  assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
  assert_int_equal (run_app (&run), 0);
  assert_true (run.window_type == PAYAM_TYPE_KIOSK_WINDOW);
  assert_int_equal (run.n_cards, f->n_categories);
  assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
  run_clear (&run);
}

/* A mode that does not exist ends the program with status 2 before any window. */
static void
test_bad_mode (void **state)
{
  Fixture *f = *state;
  Run run = { .mode = "garden", .db_path = f->db_path, .fixture = f };

  assert_int_equal (run_app (&run), 2);
  assert_false (run.seen);
}

/* The enum of the GSettings key and PayamAppMode agree value by value. */
static void
test_settings_enum (void **state)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GEnumClass *enum_class = g_type_class_ref (PAYAM_TYPE_APP_MODE);

  assert_int_equal (enum_class->n_values, 3);
  for (guint i = 0; i < enum_class->n_values; i++)
    {
      g_autofree char *nick = NULL;

      assert_true (g_settings_set_enum (settings, "mode", enum_class->values[i].value));
      nick = g_settings_get_string (settings, "mode");
      assert_string_equal (nick, enum_class->values[i].value_nick);
    }
  g_settings_reset (settings, "mode");
  assert_int_equal (g_settings_get_enum (settings, "mode"), PAYAM_APP_MODE_OFFICE);
  g_type_class_unref (enum_class);
}

/* A file that is not a database: a dialog says so and what to do, no window of the mode,
 * and the file is left as it was. */
static void
test_store_error (void **state)
{
  Fixture *f = *state;
  g_autofree char *bad = g_build_filename (f->dir, "not-a-database.db", NULL);
  static const char garbage[] = "this is not an SQLite database, just text that is long enough "
                                "to fill the header of one and more";
  Run run = { .mode = "office", .db_path = bad, .fixture = f };
  g_autofree char *contents = NULL;
  gsize length = 0;

  assert_true (g_file_set_contents (bad, garbage, -1, NULL));

  assert_int_equal (run_app (&run), 0);
  assert_true (run.seen);
  assert_true (run.window_type == PAYAM_TYPE_ERROR_WINDOW);
  assert_int_equal (run.direction, GTK_TEXT_DIR_RTL);
  /* The reason names the file (isolated for bidi) and the advice the option to use. */
  assert_non_null (run.dialog_heading);
  assert_non_null (strstr (run.dialog_heading, bad));
  assert_non_null (run.dialog_body);
  assert_non_null (strstr (run.dialog_body, "--db"));

  assert_true (g_file_get_contents (bad, &contents, &length, NULL));
  assert_int_equal (length, strlen (garbage));
  run_clear (&run);
}

/* The kiosk image's dconf defaults (packaging/dconf/payam-kiosk, a keyfile in dconf's
 * format) turn the inspector key binding off and choose kiosk mode, read through the real
 * schemas; the locks file names both keys. */
static void
test_kiosk_lockdown (void **state)
{
  g_autofree char *defaults = g_build_filename (PAYAM_SOURCE_ROOT, "packaging", "dconf",
                                                "payam-kiosk", NULL);
  g_autofree char *locks_path = g_build_filename (PAYAM_SOURCE_ROOT, "packaging", "dconf",
                                                  "locks", "payam-kiosk", NULL);
  g_autoptr(GSettingsBackend) backend = g_keyfile_settings_backend_new (defaults, "/", NULL);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) debug_schema = NULL;
  g_autoptr(GSettingsSchema) app_schema = NULL;
  g_autoptr(GSettings) debug = NULL;
  g_autoptr(GSettings) app = NULL;
  g_autofree char *locks = NULL;

  debug_schema = g_settings_schema_source_lookup (source, "org.gtk.gtk4.Settings.Debug", TRUE);
  app_schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  assert_non_null (debug_schema);
  assert_non_null (app_schema);

  debug = g_settings_new_full (debug_schema, backend, NULL);
  app = g_settings_new_full (app_schema, backend, NULL);
  assert_false (g_settings_get_boolean (debug, "enable-inspector-keybinding"));
  assert_int_equal (g_settings_get_enum (app, "mode"), PAYAM_APP_MODE_KIOSK);

  assert_true (g_file_get_contents (locks_path, &locks, NULL, NULL));
  assert_non_null (strstr (locks, "\n/org/gtk/gtk4/settings/debug/enable-inspector-keybinding\n"));
  assert_non_null (strstr (locks, "\n/ir/payam/Payam/mode\n"));
}

/* A row shows every value through the core formatters. */
static void
test_request_row (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamStore) store = payam_store_open (f->db_path, NULL);
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(PayamRequestItem) item = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 28, 9, 0, 0);
  GtkWidget *row;
  g_autofree char *code = NULL;
  g_autofree char *left = NULL;
  g_autofree char *created = NULL;
  GtkWidget *label;

  assert_non_null (store);
  request = payam_store_find_by_tracking_code (store, f->codes[0], NULL);
  assert_non_null (request);
  assert_non_null (request->due_at);

  code = payam_tracking_code_format (request->tracking_code);
  left = payam_format_time_left (now, request->due_at);
  created = payam_format_date_time (request->created_at);

  item = payam_request_item_new (payam_request_copy (request), "نام دسته");
  row = g_object_ref_sink (payam_request_row_new ());
  payam_request_row_set_item (PAYAM_REQUEST_ROW (row), item, now);

  label = find_by_id (row, "code_label");
  assert_string_equal (gtk_label_get_label (GTK_LABEL (label)), code);
  assert_true (has_persian_digit (gtk_label_get_label (GTK_LABEL (label))));
  label = find_by_id (row, "left_label");
  assert_string_equal (gtk_label_get_label (GTK_LABEL (label)), left);
  label = find_by_id (row, "created_label");
  assert_non_null (strstr (gtk_label_get_label (GTK_LABEL (label)), created));
  label = find_by_id (row, "category_label");
  assert_string_equal (gtk_label_get_label (GTK_LABEL (label)), "نام دسته");
  label = find_by_id (row, "priority_label");
  assert_string_equal (gtk_label_get_label (GTK_LABEL (label)),
                       payam_priority_label (PAYAM_PRIORITY_URGENT));
  assert_true (gtk_widget_has_css_class (label, "urgent"));

  g_object_unref (row);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_settings_enum),
    cmocka_unit_test (test_kiosk_lockdown),
    cmocka_unit_test_setup_teardown (test_crew, setup, teardown),
    cmocka_unit_test_setup_teardown (test_office, setup, teardown),
    cmocka_unit_test_setup_teardown (test_kiosk, setup, teardown),
    cmocka_unit_test_setup_teardown (test_mode_from_settings, setup, teardown),
    cmocka_unit_test_setup_teardown (test_db_from_settings, setup, teardown),
    cmocka_unit_test_setup_teardown (test_fresh_store, setup, teardown),
    cmocka_unit_test_setup_teardown (test_default_db, setup, teardown),
    cmocka_unit_test_setup_teardown (test_bad_mode, setup, teardown),
    cmocka_unit_test_setup_teardown (test_store_error, setup, teardown),
    cmocka_unit_test_setup_teardown (test_request_row, setup, teardown),
  };

  setlocale (LC_ALL, "");

  /* Without a display the whole file is skipped. cmocka 1.1.5 reports skip() as
   * "not ok # SKIP", which meson counts as a failure, so the plan says it instead. */
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

  return cmocka_run_group_tests (tests, NULL, NULL);
}
