/* SPDX-License-Identifier: GPL-3.0-or-later */
/* UI tests of the kiosk shell: the on-screen keyboard typing into an entry and a text
 * view, the keyboard following the focus, the idle countdown and wipe, and the contrast of
 * the kiosk's colours (needs a display: run under xvfb). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "payam-application.h"
#include "payam-format.h"
#include "payam-kiosk-idle.h"
#include "payam-kiosk-keyboard.h"
#include "payam-kiosk-step.h"
#include "payam-kiosk-window.h"
#include "payam-store.h"

/* How long a condition may take before the test gives up (never reached when it works;
 * the assertions do not depend on time). */
#define WAIT_LIMIT_MS 10000

#define ZWNJ "\u200c"

typedef struct {
  PayamStore *store;
  PayamKioskWindow *window;
} Fixture;

/* --- helpers ---------------------------------------------------------------------- */

/* The first widget under @widget (itself included) named @name (gtk_widget_set_name). */
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

/* The first widget under @widget whose GtkBuilder id is @id. */
static GtkWidget *
find_by_id (GtkWidget  *widget,
            const char *id)
{
  if (GTK_IS_BUILDABLE (widget)
      && g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), id) == 0)
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

/* Press the key named @name on the visible page of @keyboard (as a touch would). */
static void
press (GtkWidget  *keyboard,
       const char *name)
{
  GtkStack *pages = GTK_STACK (find_by_id (keyboard, "pages"));
  GtkWidget *key = find_by_name (gtk_stack_get_visible_child (pages), name);

  if (key == NULL)
    print_error ("no key %s on the visible page\n", name);
  assert_non_null (key);
  assert_false (gtk_widget_get_focusable (key));
  assert_false (gtk_widget_get_focus_on_click (key));
  g_signal_emit_by_name (key, "clicked");
}

static char *
text_of (GtkWidget *target)
{
  if (GTK_IS_TEXT_VIEW (target))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (target));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (target)));
}

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

static gboolean
is_warning (gpointer data)
{
  return payam_kiosk_idle_get_warning (data);
}

static gboolean
is_home (gpointer data)
{
  return payam_kiosk_window_get_visit (data) == NULL;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* --- fixture ----------------------------------------------------------------------- */

/* One application for the whole run: a second one could not take its D-Bus path. */
static PayamApplication *application;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;

  f->store = payam_store_open (":memory:", &error);
  if (f->store == NULL || !payam_store_load_defaults (f->store, &error))
    {
      print_error ("store: %s\n", error->message);
      return -1;
    }
  f->window = payam_kiosk_window_new (GTK_APPLICATION (application), f->store);
  gtk_window_present (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->store);
  g_free (f);
  return 0;
}

/* --- keyboard ------------------------------------------------------------------------ */

typedef struct {
  const char *keys[10];   /* key names, NULL-terminated */
  const char *expected;
} Typing;

/* Letters, ZWNJ, digits (after the mode key), punctuation and backspace, on an entry and
 * on a text view alike: each starts empty and must read @expected afterwards. */
static const Typing typings[] = {
  { { "key-س", "key-ل", "key-ا", "key-م", NULL }, "سلام" },
  { { "key-م", "key-ی", "key-zwnj", "key-ر", "key-و", "key-د", NULL }, "می" ZWNJ "رود" },
  { { "key-ک", "key-و", "key-space", "key-mode", "key-۱", "key-۲", NULL }, "کو ۱۲" },
  { { "key-آ", "key-ب", "key-backspace", "key-ژ", "key-؟", NULL }, "آژ؟" },
  { { "key-mode", "key-۰", "key-۹", "key-backspace", "key-backspace", "key-backspace", NULL }, "" },
  { { "key-ض", "key-،", "key-.", NULL }, "ض،." },
};

static void
test_keyboard_types (void **state)
{
  GtkWidget *keyboard = g_object_ref_sink (payam_kiosk_keyboard_new ());
  GtkWidget *targets[2];

  targets[0] = g_object_ref_sink (gtk_entry_new ());
  targets[1] = g_object_ref_sink (gtk_text_view_new ());

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    for (guint i = 0; i < G_N_ELEMENTS (typings); i++)
      {
        g_autofree char *text = NULL;

        if (GTK_IS_TEXT_VIEW (targets[t]))
          gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (targets[t])), "", -1);
        else
          gtk_editable_set_text (GTK_EDITABLE (targets[t]), "");
        payam_kiosk_keyboard_set_target (PAYAM_KIOSK_KEYBOARD (keyboard), NULL);
        payam_kiosk_keyboard_set_target (PAYAM_KIOSK_KEYBOARD (keyboard), targets[t]);
        assert_false (payam_kiosk_keyboard_get_digits (PAYAM_KIOSK_KEYBOARD (keyboard)));

        for (guint k = 0; typings[i].keys[k] != NULL; k++)
          press (keyboard, typings[i].keys[k]);

        text = text_of (targets[t]);
        assert_string_equal (text, typings[i].expected);
      }

  g_object_unref (targets[0]);
  g_object_unref (targets[1]);
  g_object_unref (keyboard);
}

/* A key goes in at the cursor and replaces a selection; backspace deletes the selection. */
static void
test_keyboard_cursor (void **state)
{
  GtkWidget *keyboard = g_object_ref_sink (payam_kiosk_keyboard_new ());
  GtkWidget *entry = g_object_ref_sink (gtk_entry_new ());
  GtkWidget *view = g_object_ref_sink (gtk_text_view_new ());
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_editable_set_text (GTK_EDITABLE (entry), "باغ");
  gtk_editable_set_position (GTK_EDITABLE (entry), 1);
  payam_kiosk_keyboard_set_target (PAYAM_KIOSK_KEYBOARD (keyboard), entry);
  press (keyboard, "key-ا");
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (entry)), "بااغ");
  assert_int_equal (gtk_editable_get_position (GTK_EDITABLE (entry)), 2);
  gtk_editable_select_region (GTK_EDITABLE (entry), 0, 2);
  press (keyboard, "key-backspace");
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (entry)), "اغ");
  gtk_editable_select_region (GTK_EDITABLE (entry), 0, 1);
  press (keyboard, "key-ت");
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (entry)), "تغ");

  gtk_text_buffer_set_text (buffer, "کوچه", -1);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, 0);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, 2);
  gtk_text_buffer_select_range (buffer, &start, &end);
  payam_kiosk_keyboard_set_target (PAYAM_KIOSK_KEYBOARD (keyboard), view);
  press (keyboard, "key-پ");
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  assert_string_equal (text, "پچه");

  g_object_unref (view);
  g_object_unref (entry);
  g_object_unref (keyboard);
}

static void
count_call (guint *count)
{
  (*count)++;
}

/* A phone field shows the digits first; a name field the letters; close asks to hide. */
static void
test_keyboard_purpose (void **state)
{
  GtkWidget *keyboard = g_object_ref_sink (payam_kiosk_keyboard_new ());
  GtkWidget *phone = g_object_ref_sink (gtk_entry_new ());
  GtkWidget *name = g_object_ref_sink (gtk_entry_new ());
  guint closed = 0;

  gtk_entry_set_input_purpose (GTK_ENTRY (phone), GTK_INPUT_PURPOSE_PHONE);
  payam_kiosk_keyboard_set_target (PAYAM_KIOSK_KEYBOARD (keyboard), phone);
  assert_true (payam_kiosk_keyboard_get_digits (PAYAM_KIOSK_KEYBOARD (keyboard)));
  press (keyboard, "key-۰");
  press (keyboard, "key-۹");
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (phone)), "۰۹");

  payam_kiosk_keyboard_set_target (PAYAM_KIOSK_KEYBOARD (keyboard), name);
  assert_false (payam_kiosk_keyboard_get_digits (PAYAM_KIOSK_KEYBOARD (keyboard)));

  g_signal_connect_swapped (keyboard, "close-requested", G_CALLBACK (count_call), &closed);
  press (keyboard, "key-close");
  assert_int_equal (closed, 1);

  g_object_unref (name);
  g_object_unref (phone);
  g_object_unref (keyboard);
}

/* Every key has a Persian accessible name and none of them takes the focus. */
static void
test_keyboard_keys_named (void **state)
{
  GtkWidget *keyboard = g_object_ref_sink (payam_kiosk_keyboard_new ());
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  guint n_keys = 0;

  g_ptr_array_add (stack, keyboard);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_BUTTON (widget))
        {
          n_keys++;
          if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                 GTK_ACCESSIBLE_PROPERTY_LABEL))
            print_error ("key %s has no accessible name\n", gtk_widget_get_name (widget));
          assert_false (gtk_widget_get_focusable (widget));
          assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                         GTK_ACCESSIBLE_PROPERTY_LABEL));
          assert_true (g_str_has_prefix (gtk_widget_get_name (widget), "key-"));
        }
      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  /* 32 letters + آ, backspace ×2, mode ×2, space ×2, close ×2, ZWNJ, ، . ؟, 10 digits, - / */
  assert_int_equal (n_keys, 33 + 2 + 2 + 2 + 2 + 1 + 3 + 10 + 2);

  g_object_unref (keyboard);
}

/* --- the window ------------------------------------------------------------------------ */

/* Replace the spaces a label keeps names together with (U+00A0) by plain ones. */
static char *
plain_spaces (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_utf8_get_char (p) == 0x00A0)
        g_string_append_c (out, ' ');
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Home without a sync service says offline and never synced, shows every hotline number of
 * the settings in Persian digits and names every category; nothing of a citizen. */
static void
test_home (void **state)
{
  Fixture *f = *state;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *hotlines[] = { "137", "021-5555", NULL };
  g_autoptr(GPtrArray) categories = payam_store_list_categories (f->store, NULL);
  g_autofree char *names = NULL;
  PayamKioskWindow *window;
  GtkWidget *root;

  assert_true (g_settings_set_strv (settings, "kiosk-hotlines", hotlines));
  window = payam_kiosk_window_new (GTK_APPLICATION (application), f->store);
  root = GTK_WIDGET (window);

  assert_string_equal (gtk_label_get_label (GTK_LABEL (find_by_id (root, "status_label"))),
                       _("Offline"));
  assert_string_equal (gtk_label_get_label (GTK_LABEL (find_by_id (root, "last_sync_label"))),
                       _("not synced yet; messages wait safely on the kiosk"));
  assert_string_equal (gtk_label_get_label (GTK_LABEL (find_by_id (root, "hotline_label"))),
                       "\u2066۱۳۷\u2069  \u2066۰۲۱-۵۵۵۵\u2069");

  names = plain_spaces (gtk_label_get_label (GTK_LABEL (find_by_id (root, "categories_label"))));
  assert_non_null (categories);
  assert_true (categories->len > 0);
  for (guint i = 0; i < categories->len; i++)
    assert_non_null (strstr (names, ((PayamCategory *) g_ptr_array_index (categories, i))->name));

  assert_null (payam_kiosk_window_get_visit (window));
  assert_false (payam_kiosk_idle_get_running (payam_kiosk_window_get_idle (window)));
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "kiosk-hotlines");
}

/* The keyboard shows when a text widget in the window takes the focus, types into it, and
 * hides when the focus goes elsewhere; its own keys never take the focus. */
static void
test_keyboard_follows_focus (void **state)
{
  Fixture *f = *state;
  GtkStack *pages = GTK_STACK (find_by_id (GTK_WIDGET (f->window), "pages"));
  GtkRevealer *revealer = GTK_REVEALER (find_by_id (GTK_WIDGET (f->window), "keyboard_revealer"));
  GtkWidget *keyboard = GTK_WIDGET (payam_kiosk_window_get_keyboard (f->window));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *button = gtk_button_new_with_label ("x");

  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), button);
  gtk_stack_add_named (pages, box, "test");
  gtk_stack_set_visible_child (pages, box);
  assert_true (gtk_widget_grab_focus (button));
  assert_false (gtk_revealer_get_reveal_child (revealer));

  assert_true (gtk_widget_grab_focus (entry));
  assert_true (gtk_revealer_get_reveal_child (revealer));
  assert_true (payam_kiosk_keyboard_get_target (PAYAM_KIOSK_KEYBOARD (keyboard))
               == gtk_window_get_focus (GTK_WINDOW (f->window)));
  press (keyboard, "key-ب");
  press (keyboard, "key-ا");
  press (keyboard, "key-غ");
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (entry)), "باغ");
  assert_true (gtk_widget_has_focus (gtk_window_get_focus (GTK_WINDOW (f->window))));
  assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (f->window)), entry));

  press (keyboard, "key-close");
  assert_false (gtk_revealer_get_reveal_child (revealer));

  assert_true (gtk_widget_grab_focus (entry) || gtk_widget_has_focus (entry)
               || gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (f->window)), entry));
  assert_true (gtk_widget_grab_focus (button));
  assert_false (gtk_revealer_get_reveal_child (revealer));
  assert_null (payam_kiosk_keyboard_get_target (PAYAM_KIOSK_KEYBOARD (keyboard)));

  gtk_stack_remove (pages, box);
}

static gboolean
is_revealed (gpointer data)
{
  return gtk_revealer_get_child_revealed (data);
}

typedef struct {
  GtkWidget *entry;
  GtkWidget *scrolled;
} View;

static gboolean
entry_in_view (gpointer data)
{
  View *view = data;
  graphene_rect_t bounds;
  int height = gtk_widget_get_height (view->scrolled);

  return gtk_widget_compute_bounds (view->entry, view->scrolled, &bounds) && height > 0
         && bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= height;
}

/* A text field low on a scrolled page is scrolled above the keyboard once it shows. */
static void
test_keyboard_scrolls_into_view (void **state)
{
  Fixture *f = *state;
  GtkStack *pages = GTK_STACK (find_by_id (GTK_WIDGET (f->window), "pages"));
  GtkRevealer *revealer = GTK_REVEALER (find_by_id (GTK_WIDGET (f->window), "keyboard_revealer"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *spacer = gtk_label_new ("");
  GtkWidget *entry = gtk_entry_new ();
  graphene_rect_t bounds;
  View view;
  int height;

  gtk_widget_set_size_request (spacer, -1, 3000);
  gtk_box_append (GTK_BOX (box), spacer);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  gtk_stack_add_named (pages, scrolled, "test");
  gtk_stack_set_visible_child (pages, scrolled);
  gtk_window_set_focus (GTK_WINDOW (f->window), NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  assert_true (gtk_widget_grab_focus (entry));
  assert_true (wait_for (is_revealed, revealer));
  /* The page shrinks and scrolls in the frames after the keyboard is in place: wait for
   * the outcome (under load those frames come late), not for a number of iterations. */
  view.entry = entry;
  view.scrolled = scrolled;
  wait_for (entry_in_view, &view);

  height = gtk_widget_get_height (scrolled);
  assert_true (height > 0);
  assert_true (gtk_widget_compute_bounds (entry, scrolled, &bounds));
  if (bounds.origin.y < 0 || bounds.origin.y + bounds.size.height > height)
    print_error ("entry at %.0f+%.0f in a view of %d\n", bounds.origin.y, bounds.size.height,
                 height);
  assert_true (bounds.origin.y >= 0);
  assert_true (bounds.origin.y + bounds.size.height <= height);

  gtk_stack_remove (pages, scrolled);
}

/* Idle at home: nothing to count down. A visit starts the watch; at the warning time the
 * countdown shows "n seconds more" in Persian digits; "I'm still here" cancels it and the
 * visit stays. */
static void
test_countdown (void **state)
{
  Fixture *f = *state;
  PayamKioskIdle *idle = payam_kiosk_window_get_idle (f->window);
  GtkWidget *countdown = find_by_id (GTK_WIDGET (f->window), "countdown_box");
  GtkLabel *label = GTK_LABEL (find_by_id (GTK_WIDGET (f->window), "countdown_label"));
  g_autofree char *two = payam_format_integer (2);
  g_autofree char *expected = NULL;

  /* Translators: the same string as the window's countdown. */
  expected = g_strdup_printf (_("%s more seconds…"), two);

  /* The defaults: 60 s to the wipe, the countdown from 45 s. */
  assert_int_equal (payam_kiosk_idle_get_timeout (idle), 60000);
  assert_int_equal (payam_kiosk_idle_get_warning_ms (idle), 45000);

  payam_kiosk_idle_set_timing (idle, 2300, 300);
  assert_false (payam_kiosk_idle_get_running (idle));
  assert_false (gtk_widget_get_visible (countdown));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.register", NULL);
  assert_non_null (payam_kiosk_window_get_visit (f->window));
  assert_true (payam_kiosk_idle_get_running (idle));

  assert_true (wait_for (is_warning, idle));
  assert_true (gtk_widget_get_visible (countdown));
  /* 2.3 s − 0.3 s = 2 s left, shown as "۲". */
  assert_int_equal (payam_kiosk_idle_get_seconds_left (idle), 2);
  assert_string_equal (gtk_label_get_label (label), expected);
  assert_non_null (strstr (gtk_label_get_label (label), "۲"));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.still-here", NULL);
  assert_false (payam_kiosk_idle_get_warning (idle));
  assert_false (gtk_widget_get_visible (countdown));
  assert_non_null (payam_kiosk_window_get_visit (f->window));
  assert_true (payam_kiosk_idle_get_running (idle));

  payam_kiosk_window_wipe (f->window);
  assert_false (payam_kiosk_idle_get_running (idle));
}

/* After the (short) timeout the visit's page and its draft are destroyed, the keyboard
 * lets go of its target, the clipboards are empty, home shows and the watch stops. */
static void
test_wipe (void **state)
{
  Fixture *f = *state;
  PayamKioskIdle *idle = payam_kiosk_window_get_idle (f->window);
  GtkStack *pages = GTK_STACK (find_by_id (GTK_WIDGET (f->window), "pages"));
  GtkWidget *keyboard = GTK_WIDGET (payam_kiosk_window_get_keyboard (f->window));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  GdkClipboard *primary = gtk_widget_get_primary_clipboard (GTK_WIDGET (f->window));
  GtkWidget *visit;
  GtkWidget *step;
  PayamKioskDraft *draft = NULL;
  GtkWidget *text;

  payam_kiosk_idle_set_timing (idle, 400, 200);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.register", NULL);
  visit = payam_kiosk_window_get_visit (f->window);
  assert_non_null (visit);
  assert_string_equal (gtk_stack_get_visible_child_name (pages), "visit");
  step = find_by_type (visit, PAYAM_TYPE_KIOSK_STEP);
  assert_non_null (step);
  g_object_get (step, "draft", &draft, NULL);
  assert_non_null (draft);
  payam_kiosk_draft_set_text (draft, "چاله بزرگ");
  g_object_add_weak_pointer (G_OBJECT (draft), (gpointer *) &draft);
  g_object_unref (draft);
  g_object_add_weak_pointer (G_OBJECT (visit), (gpointer *) &visit);

  /* A text widget of the visit (when its first step has one) with the keyboard on it,
   * and words on the clipboards. */
  text = find_by_type (visit, GTK_TYPE_EDITABLE);
  if (text == NULL)
    text = find_by_type (visit, GTK_TYPE_TEXT_VIEW);
  if (text != NULL && gtk_widget_grab_focus (text))
    assert_non_null (payam_kiosk_keyboard_get_target (PAYAM_KIOSK_KEYBOARD (keyboard)));
  gdk_clipboard_set_text (clipboard, "۰۹۱۲۳۴۵۶۷۸۹");
  gdk_clipboard_set_text (primary, "چاله بزرگ");
  assert_non_null (gdk_clipboard_get_content (clipboard));

  assert_true (wait_for (is_home, f->window));
  assert_true (wait_for (is_null, &visit));
  assert_true (wait_for (is_null, &draft));
  assert_null (gtk_stack_get_child_by_name (pages, "visit"));
  assert_string_equal (gtk_stack_get_visible_child_name (pages), "home");
  assert_null (payam_kiosk_keyboard_get_target (PAYAM_KIOSK_KEYBOARD (keyboard)));
  assert_null (gdk_clipboard_get_content (clipboard));
  assert_null (gdk_clipboard_get_content (primary));
  assert_false (payam_kiosk_idle_get_running (idle));
  assert_false (gtk_widget_get_visible (find_by_id (GTK_WIDGET (f->window), "countdown_box")));
}

/* --- contrast ------------------------------------------------------------------------- */

/* WCAG 2 relative luminance of an sRGB colour 0xRRGGBB. */
static double
luminance (guint32 rgb)
{
  double channels[3] = { (rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff };

  for (guint i = 0; i < 3; i++)
    {
      double c = channels[i] / 255.0;

      channels[i] = c <= 0.03928 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
    }
  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}

static double
contrast (guint32 a,
          guint32 b)
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* Text colour @alpha-blended over @background, as libadwaita's rgba(0,0,0,0.8) is. */
static guint32
blend (guint32 text,
       double  alpha,
       guint32 background)
{
  guint32 out = 0;

  for (int shift = 16; shift >= 0; shift -= 8)
    {
      double t = (text >> shift) & 0xff, bg = (background >> shift) & 0xff;

      out |= (guint32) lround (alpha * t + (1 - alpha) * bg) << shift;
    }
  return out;
}

typedef struct {
  const char *what;
  guint32 text;
  double alpha;
  guint32 background;
  double at_least;
} Pair;

/* The kiosk's text and background colours (ui/style.css, kiosk shell block, and
 * libadwaita's light window colours), each at least WCAG AA for normal text. */
static const Pair pairs[] = {
  { "body text on the window",         0x000000, 0.8, 0xfafafa, 4.5 },
  { "key text on a key",               0x000000, 0.8, 0xffffff, 4.5 },
  { "key text on an action key",       0x000000, 0.8, 0xf6f5f4, 4.5 },
  { "white on the kiosk's accent",     0xffffff, 1.0, 0x1c71d8, 4.5 },
  { "countdown button text",           0x1a5fb4, 1.0, 0xffffff, 4.5 },
  { "online",                          0x1b7a4d, 1.0, 0xfafafa, 4.5 },
  { "offline",                         0xc01c28, 1.0, 0xfafafa, 4.5 },
  { "choice text on a flat button",    0x000000, 0.8, 0xe6e6e6, 4.5 },
};

static void
test_contrast (void **state)
{
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      guint32 text = blend (pairs[i].text, pairs[i].alpha, pairs[i].background);
      double ratio = contrast (text, pairs[i].background);

      print_message ("# contrast %-32s %5.2f:1\n", pairs[i].what, ratio);
      if (ratio < pairs[i].at_least)
        print_error ("%s: %.2f < %.1f\n", pairs[i].what, ratio, pairs[i].at_least);
      assert_true (ratio >= pairs[i].at_least);
    }
  /* The formula itself: black on white is 21:1, libadwaita's own accent only 3.8:1
   * (why the kiosk uses the darker blue). */
  assert_true (fabs (contrast (0x000000, 0xffffff) - 21.0) < 0.01);
  assert_true (contrast (0xffffff, 0x3584e4) < 4.5);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_contrast),
    cmocka_unit_test (test_keyboard_types),
    cmocka_unit_test (test_keyboard_cursor),
    cmocka_unit_test (test_keyboard_purpose),
    cmocka_unit_test (test_keyboard_keys_named),
    cmocka_unit_test_setup_teardown (test_home, setup, teardown),
    cmocka_unit_test_setup_teardown (test_keyboard_follows_focus, setup, teardown),
    cmocka_unit_test_setup_teardown (test_keyboard_scrolls_into_view, setup, teardown),
    cmocka_unit_test_setup_teardown (test_countdown, setup, teardown),
    cmocka_unit_test_setup_teardown (test_wipe, setup, teardown),
  };
  int status;

  setlocale (LC_ALL, "");

  /* Without a display the whole file is skipped (see tests/test-app.c). */
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
  /* The test backend keeps accessible properties where GTK_A11Y=none would drop them. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_init ();
  adw_init ();
  /* The application registers the resources the templates come from; registering it
   * runs its startup (right to left, the style sheet). */
  application = payam_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  payam_application_set_mode (application, PAYAM_APP_MODE_KIOSK);
  if (!g_application_register (G_APPLICATION (application), NULL, NULL))
    {
      printf ("Bail out! the application could not be registered\n");
      return 1;
    }

  status = cmocka_run_group_tests (tests, NULL, NULL);
  g_clear_object (&application);
  return status;
}
