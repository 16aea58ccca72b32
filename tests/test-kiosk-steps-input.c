/* SPDX-License-Identifier: GPL-3.0-or-later */
/* UI tests of register steps 1–4 (what, where, describe with the camera, danger) over a
 * :memory: store with the default categories and gazetteer (needs a display: xvfb). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "payam-camera.h"
#include "payam-kiosk-draft.h"
#include "payam-kiosk-register.h"
#include "payam-kiosk-step-danger.h"
#include "payam-kiosk-step-describe.h"
#include "payam-kiosk-step-what.h"
#include "payam-kiosk-step-where.h"
#include "payam-resources.h"
#include "payam-test-asan.h"
#include "payam-store.h"

/* How long the test waits for the main loop to deliver something (a search, a camera
 * picture) before it gives up; never reached when it works, and nothing asserted
 * depends on it. */
#define WAIT_LIMIT_MS 15000

typedef struct {
  PayamStore      *store;
  PayamKioskDraft *draft;
} Fixture;

static char *catalogue_dir;

static int
setup (void **state)
{
  g_autoptr(GError) error = NULL;
  Fixture *f = g_new0 (Fixture, 1);

  f->store = payam_store_open (":memory:", &error);
  assert_non_null (f->store);
  assert_true (payam_store_load_defaults (f->store, &error));
  f->draft = payam_kiosk_draft_new ();
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  g_object_unref (f->draft);
  g_object_unref (f->store);
  g_free (f);
  return 0;
}

/* Every widget of @type under @root (itself included), in tree order. */
static void
collect (GtkWidget *root,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (out, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

static GPtrArray *
find_all (gpointer root,
          GType    type)
{
  GPtrArray *out = g_ptr_array_new ();

  collect (GTK_WIDGET (root), type, out);
  return out;
}

/* The first label under @root whose text is @text, or NULL. */
static GtkLabel *
find_label (gpointer    root,
            const char *text)
{
  g_autoptr(GPtrArray) labels = find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_label (labels->pdata[i]), text) == 0)
      return labels->pdata[i];
  return NULL;
}

/* The visible label under @root whose text starts with @prefix, or NULL. */
static GtkLabel *
find_label_prefix (gpointer    root,
                   const char *prefix)
{
  g_autoptr(GPtrArray) labels = find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_str_has_prefix (gtk_label_get_label (labels->pdata[i]), prefix)
        && gtk_widget_get_visible (labels->pdata[i]))
      return labels->pdata[i];
  return NULL;
}

/* The toggle button holding a label @text. */
static GtkToggleButton *
find_toggle (gpointer    root,
             const char *text)
{
  g_autoptr(GPtrArray) toggles = find_all (root, GTK_TYPE_TOGGLE_BUTTON);

  for (guint i = 0; i < toggles->len; i++)
    if (find_label (toggles->pdata[i], text) != NULL)
      return toggles->pdata[i];
  return NULL;
}

static gboolean
widget_shown (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget))
      return FALSE;
  return TRUE;
}

static gboolean
wait_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Run the main loop until @done (@data) holds or WAIT_LIMIT_MS passed; its value then. */
static gboolean
wait_for (gboolean (*done) (gpointer),
          gpointer   data)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (WAIT_LIMIT_MS, wait_timeout, &expired);

  while (!done (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return done (data);
}

static const PayamCategory *
category (GPtrArray  *categories,
          const char *code)
{
  for (guint i = 0; i < categories->len; i++)
    if (g_strcmp0 (((PayamCategory *) categories->pdata[i])->code, code) == 0)
      return categories->pdata[i];
  return NULL;
}

static PayamKioskStep *
make_step (Fixture *f,
           GType    type)
{
  PayamKioskStep *step = g_object_new (type, "store", f->store, "draft", f->draft, NULL);

  g_object_ref_sink (step);
  payam_kiosk_step_enter (step);
  return step;
}

/* --- what --- */

static void
test_what_choose (void **state)
{
  Fixture *f = *state;
  g_autoptr(GPtrArray) categories = payam_store_list_categories (f->store, NULL);
  g_autoptr(PayamKioskStep) step = make_step (f, PAYAM_TYPE_KIOSK_STEP_WHAT);
  g_autoptr(PayamKioskStep) again = NULL;
  g_autoptr(GPtrArray) toggles = find_all (step, GTK_TYPE_TOGGLE_BUTTON);
  GtkToggleButton *lighting = find_toggle (step, category (categories, "lighting")->name);
  GtkToggleButton *waste = find_toggle (step, category (categories, "waste")->name);
  g_autoptr(GPtrArray) checks = NULL;

  /* 12 cards and the "not sure?" toggle; each card shows its first example. */
  assert_int_equal (toggles->len, categories->len + 1);
  assert_non_null (find_label (step, category (categories, "lighting")->examples[0]));
  assert_false (payam_kiosk_step_get_complete (step));
  assert_null (payam_kiosk_draft_get_category (f->draft));

  gtk_toggle_button_set_active (lighting, TRUE);
  assert_true (payam_kiosk_step_get_complete (step));
  assert_string_equal (payam_kiosk_draft_get_category (f->draft), "lighting");
  checks = find_all (lighting, GTK_TYPE_IMAGE);
  assert_true (gtk_widget_get_visible (checks->pdata[checks->len - 1]));

  /* One card at a time. */
  gtk_toggle_button_set_active (waste, TRUE);
  assert_false (gtk_toggle_button_get_active (lighting));
  assert_false (gtk_widget_get_visible (checks->pdata[checks->len - 1]));
  assert_string_equal (payam_kiosk_draft_get_category (f->draft), "waste");
  assert_true (payam_kiosk_step_leave (step, NULL));

  /* Coming back to a new step over the same draft shows the choice. */
  again = make_step (f, PAYAM_TYPE_KIOSK_STEP_WHAT);
  assert_true (gtk_toggle_button_get_active (find_toggle (again, category (categories, "waste")->name)));
  assert_true (payam_kiosk_step_get_complete (again));
}

static void
test_what_suggest (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamKioskStep) step = make_step (f, PAYAM_TYPE_KIOSK_STEP_WHAT);
  g_autoptr(GPtrArray) entries = find_all (step, GTK_TYPE_ENTRY);
  g_autoptr(GPtrArray) buttons = NULL;
  GtkButton *first = NULL;
  const char *typed = "سطل آشغال سر کوچه پر شده و بوی بد میده";

  assert_int_equal (entries->len, 1);
  gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "سلام");
  /* The cards are below the "not sure?" box, and the hint says so. */
  assert_non_null (find_label (step, "هنوز پیشنهادی نیست: چند کلمهٔ دیگر بنویسید، یا یکی از "
                                     "کارت‌های پایین را انتخاب کنید."));

  gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), typed);
  assert_non_null (find_label (step, "شاید یکی از این‌ها باشد؟ برای انتخاب لمسش کنید:"));
  buttons = find_all (step, GTK_TYPE_BUTTON);
  for (guint i = 0; i < buttons->len && first == NULL; i++)
    if (gtk_widget_has_css_class (buttons->pdata[i], "kiosk-suggestion"))
      first = buttons->pdata[i];
  assert_non_null (first);
  assert_non_null (find_label (first, "پسماند و زباله"));

  g_signal_emit_by_name (first, "clicked");
  assert_string_equal (payam_kiosk_draft_get_category (f->draft), "waste");
  assert_true (payam_kiosk_step_get_complete (step));
  /* The words typed become the draft's text, for the describe step. */
  assert_string_equal (payam_kiosk_draft_get_text (f->draft), typed);

  /* Words the citizen wrote themselves are never replaced. */
  payam_kiosk_draft_set_text (f->draft, "متن خود شهروند");
  assert_true (payam_kiosk_step_leave (step, NULL));
  assert_string_equal (payam_kiosk_draft_get_text (f->draft), "متن خود شهروند");
}

/* --- where --- */

typedef struct {
  GListModel *model;
  guint       n;
} CountWait;

static gboolean
count_is (gpointer data)
{
  CountWait *w = data;

  return g_list_model_get_n_items (w->model) == w->n;
}

static GListModel *
list_model (gpointer root,
            guint    index)
{
  g_autoptr(GPtrArray) lists = find_all (root, GTK_TYPE_LIST_VIEW);

  assert_int_equal (lists->len, 2);
  return G_LIST_MODEL (gtk_list_view_get_model (lists->pdata[index]));
}

static void
test_where_kiosk_place (void **state)
{
  Fixture *f = *state;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(PayamKioskStep) step = NULL;
  GtkLabel *here;
  double lat = 0, lon = 0;

  g_settings_set_string (settings, "kiosk-neighbourhood", "tohid");
  g_settings_set_string (settings, "kiosk-landmark", "tohid/landmark/tohid-square");
  g_settings_set_value (settings, "kiosk-location",
                        g_variant_new_maybe (G_VARIANT_TYPE ("(dd)"),
                                             g_variant_new ("(dd)", 35.7013, 51.3705)));
  step = make_step (f, PAYAM_TYPE_KIOSK_STEP_WHERE);

  assert_false (payam_kiosk_step_get_complete (step));
  here = find_label (step, "اینجا، نزدیک همین دستگاه: میدان توحید، توحید");
  assert_non_null (here);
  assert_true (widget_shown (GTK_WIDGET (here)));

  g_signal_emit_by_name (gtk_widget_get_ancestor (GTK_WIDGET (here), GTK_TYPE_BUTTON), "clicked");
  assert_true (payam_kiosk_step_get_complete (step));
  assert_string_equal (payam_kiosk_draft_get_neighbourhood (f->draft), "tohid");
  assert_null (payam_kiosk_draft_get_street (f->draft));
  assert_string_equal (payam_kiosk_draft_get_landmark (f->draft), "میدان توحید");
  assert_true (payam_kiosk_draft_get_location (f->draft, &lat, &lon));
  assert_true (lat == 35.7013 && lon == 51.3705);
  assert_true (gtk_toggle_button_get_active (find_toggle (step, "توحید")));

  g_settings_reset (settings, "kiosk-neighbourhood");
  g_settings_reset (settings, "kiosk-landmark");
  g_settings_reset (settings, "kiosk-location");
}

static void
test_where_search (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamKioskStep) step = make_step (f, PAYAM_TYPE_KIOSK_STEP_WHERE);
  g_autoptr(PayamKioskStep) again = NULL;
  g_autoptr(GPtrArray) searches = find_all (step, GTK_TYPE_SEARCH_ENTRY);
  g_autoptr(GPtrArray) entries = find_all (step, GTK_TYPE_ENTRY);
  GListModel *streets = list_model (step, 0);
  GListModel *landmarks = list_model (step, 1);
  CountWait wait;
  double lat, lon;

  /* No kiosk place set: no "here" choice, and nothing before a neighbourhood. */
  assert_null (find_label_prefix (step, "اینجا، نزدیک همین دستگاه"));
  assert_false (payam_kiosk_step_get_complete (step));
  assert_int_equal (g_list_model_get_n_items (streets), 0);

  gtk_toggle_button_set_active (find_toggle (step, "توحید"), TRUE);
  assert_true (payam_kiosk_step_get_complete (step));
  assert_string_equal (payam_kiosk_draft_get_neighbourhood (f->draft), "tohid");
  assert_false (payam_kiosk_draft_get_location (f->draft, NULL, NULL));
  assert_int_equal (g_list_model_get_n_items (streets), 8);
  assert_int_equal (g_list_model_get_n_items (landmarks), 6);

  /* Arabic kaf and yeh as typed on another keyboard find the Persian names. */
  assert_int_equal (searches->len, 1);
  gtk_editable_set_text (GTK_EDITABLE (searches->pdata[0]), "كوچه");
  wait = (CountWait) { streets, 3 };
  assert_true (wait_for (count_is, &wait));
  assert_int_equal (g_list_model_get_n_items (landmarks), 0);

  gtk_editable_set_text (GTK_EDITABLE (searches->pdata[0]), "یاس");
  wait = (CountWait) { streets, 1 };
  assert_true (wait_for (count_is, &wait));
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (streets), 0, TRUE);
  assert_string_equal (payam_kiosk_draft_get_street (f->draft), "کوچهٔ یاس");
  assert_true (payam_kiosk_draft_get_location (f->draft, &lat, &lon));
  assert_true (lat == 35.7018 && lon == 51.3722);
  assert_non_null (find_label (step, "انتخاب‌شده: کوچهٔ یاس"));

  /* The choice stays while the search hides it. */
  gtk_editable_set_text (GTK_EDITABLE (searches->pdata[0]), "میدان");
  wait = (CountWait) { streets, 0 };
  assert_true (wait_for (count_is, &wait));
  assert_string_equal (payam_kiosk_draft_get_street (f->draft), "کوچهٔ یاس");

  /* The note; then another neighbourhood drops the street of the first. */
  for (guint i = 0; i < entries->len; i++)
    if (!GTK_IS_SEARCH_ENTRY (entries->pdata[i]))
      gtk_editable_set_text (GTK_EDITABLE (entries->pdata[i]), "روبروی پلاک ۱۲");
  assert_string_equal (payam_kiosk_draft_get_place_note (f->draft), "روبروی پلاک ۱۲");
  gtk_toggle_button_set_active (find_toggle (step, "دریان‌نو"), TRUE);
  assert_string_equal (payam_kiosk_draft_get_neighbourhood (f->draft), "daryan-e-no");
  assert_null (payam_kiosk_draft_get_street (f->draft));
  assert_false (payam_kiosk_draft_get_location (f->draft, NULL, NULL));
  assert_string_equal (payam_kiosk_draft_get_place_note (f->draft), "روبروی پلاک ۱۲");

  /* Back: a new step over the draft shows all of it again. */
  payam_kiosk_draft_set_place (f->draft, "tohid", "خیابان پرچم", "مسجد محله", "کنار جوی");
  again = make_step (f, PAYAM_TYPE_KIOSK_STEP_WHERE);
  assert_true (gtk_toggle_button_get_active (find_toggle (again, "توحید")));
  assert_non_null (find_label (again, "انتخاب‌شده: خیابان پرچم، مسجد محله"));
  assert_true (payam_kiosk_step_get_complete (again));
  assert_true (payam_kiosk_step_leave (again, NULL));
  assert_string_equal (payam_kiosk_draft_get_street (f->draft), "خیابان پرچم");
  assert_string_equal (payam_kiosk_draft_get_landmark (f->draft), "مسجد محله");
  assert_string_equal (payam_kiosk_draft_get_place_note (f->draft), "کنار جوی");
}

/* --- describe --- */

static void
set_text (PayamKioskStep *step,
          const char     *text)
{
  g_autoptr(GPtrArray) views = find_all (step, GTK_TYPE_TEXT_VIEW);

  assert_int_equal (views->len, 1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (views->pdata[0]), text, -1);
}

static void
test_describe_hints (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamCategory) asphalt = payam_store_get_category (f->store, "asphalt", NULL);
  g_autoptr(PayamKioskStep) step = NULL;

  payam_kiosk_draft_set_category (f->draft, "asphalt");
  payam_kiosk_draft_set_text (f->draft, "چاله");  /* seeded by "not sure?" */
  step = make_step (f, PAYAM_TYPE_KIOSK_STEP_DESCRIBE);

  assert_non_null (find_label (step, asphalt->guidance));
  assert_false (payam_kiosk_step_get_complete (step));
  assert_non_null (find_label_prefix (step, "کوتاه است: لطفاً ۳ کلمهٔ دیگر بنویسید."));
  assert_non_null (find_label_prefix (step, "دقیقاً بگویید کجاست"));
  assert_non_null (find_label (step, "○ چه شده"));

  set_text (step, "چاله بزرگ");
  assert_string_equal (payam_kiosk_draft_get_text (f->draft), "چاله بزرگ");
  assert_non_null (find_label_prefix (step, "کوتاه است: لطفاً ۲ کلمهٔ دیگر بنویسید."));
  assert_false (payam_kiosk_step_get_complete (step));

  set_text (step, "یک دو سه چهار");  /* four words, 10 letters of 15 */
  assert_non_null (find_label_prefix (step, "کوتاه است: لطفاً ۵ حرف دیگر بنویسید."));
  assert_false (payam_kiosk_step_get_complete (step));

  set_text (step, "چاله بزرگ و عمیق وسط راه");
  assert_true (payam_kiosk_step_get_complete (step));
  assert_null (find_label_prefix (step, "کوتاه است"));
  assert_non_null (find_label_prefix (step, "دقیقاً بگویید کجاست"));
  assert_non_null (find_label (step, "✓ چه شده"));
  assert_non_null (find_label (step, "○ دقیقاً کجا"));
  assert_non_null (find_label (step, "○ از چه زمانی"));

  set_text (step, "چاله بزرگ و عمیق جلوی نانوایی از دیروز");
  assert_true (payam_kiosk_step_get_complete (step));
  assert_null (find_label_prefix (step, "دقیقاً بگویید کجاست"));
  assert_non_null (find_label (step, "✓ دقیقاً کجا"));
  assert_non_null (find_label (step, "✓ از چه زمانی"));
  assert_true (payam_kiosk_step_leave (step, NULL));
  assert_string_equal (payam_kiosk_draft_get_text (f->draft), "چاله بزرگ و عمیق جلوی نانوایی از دیروز");

  /* A chosen street is a place: no place warning even if the text names none. */
  payam_kiosk_draft_set_place (f->draft, "tohid", "کوچهٔ یاس", NULL, NULL);
  payam_kiosk_step_enter (step);
  set_text (step, "چاله بزرگ و عمیق");
  assert_null (find_label_prefix (step, "دقیقاً بگویید کجاست"));
  assert_non_null (find_label (step, "✓ دقیقاً کجا"));

  /* Back to the step: the draft's text (changed elsewhere) is shown again. */
  payam_kiosk_draft_set_text (f->draft, "متن دیگری برای آزمون بازگشت");
  payam_kiosk_step_enter (step);
  assert_true (payam_kiosk_step_get_complete (step));

  /* One touch writes a sentence of the category's examples, one more says since when:
   * two touches make a complete description. */
  set_text (step, "");
  {
    GtkLabel *example = find_label (step, asphalt->examples[0]);
    GtkLabel *today = find_label (step, "از امروز");
    GtkWidget *button;

    assert_non_null (example);
    assert_non_null (today);
    button = gtk_widget_get_ancestor (GTK_WIDGET (example), GTK_TYPE_BUTTON);
    assert_non_null (button);
    g_signal_emit_by_name (button, "clicked");
    assert_string_equal (payam_kiosk_draft_get_text (f->draft), asphalt->examples[0]);
    g_signal_emit_by_name (gtk_widget_get_ancestor (GTK_WIDGET (today), GTK_TYPE_BUTTON),
                           "clicked");
    assert_true (g_str_has_suffix (payam_kiosk_draft_get_text (f->draft), " از امروز"));
    assert_true (payam_kiosk_step_get_complete (step));
    assert_non_null (find_label (step, "✓ از چه زمانی"));
  }
}

/* --- camera --- */

static gboolean
camera_has_frame (gpointer data)
{
  return payam_camera_has_frame (data);
}

typedef struct {
  GtkPicture   *live;
  GdkPaintable *old;
} FrameWait;

static gboolean
new_frame (gpointer data)
{
  FrameWait *w = data;

  return gtk_picture_get_paintable (w->live) != NULL && gtk_picture_get_paintable (w->live) != w->old;
}

/* Run the main loop until the camera shows a picture other than the one it shows now. */
static gboolean
wait_new_frame (PayamCamera *camera)
{
  g_autoptr(GPtrArray) pictures = find_all (camera, GTK_TYPE_PICTURE);
  FrameWait w = { pictures->pdata[0], NULL };
  gboolean ok;

  /* Held, so that a new picture cannot reuse the old one's address. */
  w.old = gtk_picture_get_paintable (w.live);
  if (w.old != NULL)
    g_object_ref (w.old);
  ok = wait_for (new_frame, &w);
  g_clear_object (&w.old);
  return ok;
}

static gboolean
camera_failed (gpointer data)
{
  return payam_camera_get_error (data) != NULL;
}

static void
test_camera_photos (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamKioskStep) step = NULL;
  g_autoptr(GError) error = NULL;
  PayamCamera *camera;
  g_autoptr(GPtrArray) pictures = NULL;
  char first_sha[65];

  g_setenv ("PAYAM_KIOSK_CAMERA", "videotestsrc is-live=true pattern=ball", TRUE);
  step = make_step (f, PAYAM_TYPE_KIOSK_STEP_DESCRIBE);
  camera = payam_kiosk_step_describe_get_camera (PAYAM_KIOSK_STEP_DESCRIBE (step));

  /* No picture yet: a Persian error, nothing added. */
  assert_false (payam_camera_take_photo (camera, &error));
  assert_string_equal (error->message, "هنوز تصویری از دوربین نرسیده است. کمی صبر کنید و "
                                       "دوباره امتحان کنید.");
  g_clear_error (&error);

  assert_true (payam_camera_start (camera));
  assert_true (payam_camera_is_running (camera));
  assert_true (wait_for (camera_has_frame, camera));
  assert_null (payam_camera_get_error (camera));

  for (guint i = 0; i < PAYAM_KIOSK_MAX_PHOTOS; i++)
    {
      assert_true (wait_new_frame (camera));
      assert_true (payam_camera_take_photo (camera, &error));
      assert_int_equal (payam_kiosk_draft_get_n_photos (f->draft), i + 1);
    }
  assert_string_equal (payam_kiosk_draft_get_photo (f->draft, 0)->mime, "image/jpeg");
  assert_int_equal (payam_kiosk_draft_get_photo (f->draft, 0)->width, 320);
  assert_non_null (find_label (step, "۳ عکس گرفته‌اید؛ بیشتر از این نمی‌شود."));
  pictures = find_all (step, GTK_TYPE_PICTURE);
  assert_int_equal (pictures->len, 1 + PAYAM_KIOSK_MAX_PHOTOS);  /* live + thumbnails */

  assert_false (payam_camera_take_photo (camera, &error));
  assert_string_equal (error->message, "هر پیام حداکثر ۳ عکس می‌تواند داشته باشد. برای گرفتن "
                                       "عکس دیگر، یکی را حذف کنید.");
  g_clear_error (&error);
  assert_int_equal (payam_kiosk_draft_get_n_photos (f->draft), PAYAM_KIOSK_MAX_PHOTOS);

  /* Remove, then retake: the photo taken again goes last. */
  g_strlcpy (first_sha, payam_kiosk_draft_get_photo (f->draft, 1)->sha256, sizeof first_sha);
  gtk_widget_activate_action (GTK_WIDGET (camera), "camera.remove", "u", 0);
  assert_int_equal (payam_kiosk_draft_get_n_photos (f->draft), 2);
  assert_string_equal (payam_kiosk_draft_get_photo (f->draft, 0)->sha256, first_sha);
  assert_non_null (find_label (step, "عکس‌ها: ۲ از ۳ (اختیاری)"));
  assert_true (wait_new_frame (camera));
  assert_true (payam_camera_retake (camera, 0, &error));
  assert_int_equal (payam_kiosk_draft_get_n_photos (f->draft), 2);
  assert_string_not_equal (payam_kiosk_draft_get_photo (f->draft, 0)->sha256, first_sha);

  /* Leaving the step stops the camera; the photos stay in the draft. */
  set_text (step, "چاله بزرگ و عمیق جلوی نانوایی");
  assert_true (payam_kiosk_step_leave (step, NULL));
  assert_false (payam_camera_is_running (camera));
  assert_int_equal (payam_kiosk_draft_get_n_photos (f->draft), 2);
  g_unsetenv ("PAYAM_KIOSK_CAMERA");
}

static void
test_camera_broken (void **state)
{
  Fixture *f = *state;
  const char *sources[] = {
    "payamnosuchcamerasrc",                            /* no such element */
    "videotestsrc num-buffers=0",                      /* ends before the first picture */
    "v4l2src device=/dev/payam-no-such-camera",        /* no device */
  };
  const char *message = "دوربین این دستگاه الان کار نمی‌کند. می‌توانید پیامتان را بدون عکس "
                        "بفرستید.";

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autoptr(PayamKioskStep) step = NULL;
      PayamCamera *camera;

      g_setenv ("PAYAM_KIOSK_CAMERA", sources[i], TRUE);
      step = make_step (f, PAYAM_TYPE_KIOSK_STEP_DESCRIBE);
      camera = payam_kiosk_step_describe_get_camera (PAYAM_KIOSK_STEP_DESCRIBE (step));
      payam_camera_start (camera);
      assert_true (wait_for (camera_failed, camera));
      assert_string_equal (payam_camera_get_error (camera), message);
      assert_false (payam_camera_is_running (camera));
      assert_non_null (find_label (step, message));
      assert_non_null (find_label (step, "عکس اختیاری است؛ بدون عکس هم می‌توانید ادامه دهید."));
      /* The citizen goes on without photos. */
      set_text (step, "چاله بزرگ و عمیق جلوی نانوایی");
      assert_true (payam_kiosk_step_get_complete (step));
    }
  g_unsetenv ("PAYAM_KIOSK_CAMERA");
}

/* The camera runs while the step is on screen and stops when another page is shown or
 * the window (the idle wipe) destroys it. */
static void
test_camera_follows_screen (void **state)
{
  Fixture *f = *state;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *other = gtk_label_new ("");
  PayamKioskStep *step;
  PayamCamera *camera;

  g_setenv ("PAYAM_KIOSK_CAMERA", "videotestsrc is-live=true", TRUE);
  step = g_object_new (PAYAM_TYPE_KIOSK_STEP_DESCRIBE, "store", f->store, "draft", f->draft, NULL);
  camera = payam_kiosk_step_describe_get_camera (PAYAM_KIOSK_STEP_DESCRIBE (step));
  gtk_stack_add_named (GTK_STACK (stack), GTK_WIDGET (step), "describe");
  gtk_stack_add_named (GTK_STACK (stack), other, "other");
  gtk_window_set_child (GTK_WINDOW (window), stack);
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "describe");
  gtk_window_present (GTK_WINDOW (window));
  assert_true (wait_for (camera_has_frame, camera));
  assert_true (payam_camera_is_running (camera));

  gtk_stack_set_visible_child_name (GTK_STACK (stack), "other");
  assert_false (payam_camera_is_running (camera));
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "describe");
  assert_true (payam_camera_is_running (camera));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_unsetenv ("PAYAM_KIOSK_CAMERA");
}

/* --- danger --- */

static void
test_danger (void **state)
{
  Fixture *f = *state;
  g_autoptr(PayamKioskStep) step = NULL;
  g_autoptr(PayamKioskStep) again = NULL;
  g_autoptr(GPtrArray) toggles = NULL;
  g_autofree char *expected = NULL;
  PayamPriority raised;
  GtkLabel *emergency;

  payam_kiosk_draft_set_category (f->draft, "asphalt");
  step = make_step (f, PAYAM_TYPE_KIOSK_STEP_DANGER);
  toggles = find_all (step, GTK_TYPE_TOGGLE_BUTTON);
  assert_int_equal (toggles->len, 6);  /* yes and no of each question, in order */
  emergency = find_label (step, "اگر همین حالا کسی در خطر است، اول با یکی از شماره‌های اضطراری "
                                "تماس بگیرید:");
  assert_non_null (emergency);

  assert_false (payam_kiosk_step_get_complete (step));
  gtk_toggle_button_set_active (toggles->pdata[1], TRUE);  /* people: no */
  gtk_toggle_button_set_active (toggles->pdata[3], TRUE);  /* road: no */
  assert_false (payam_kiosk_step_get_complete (step));
  gtk_toggle_button_set_active (toggles->pdata[5], TRUE);  /* utilities: no */
  assert_true (payam_kiosk_step_get_complete (step));
  assert_non_null (find_label (step, "اولویت پیام شما: عادی"));
  assert_false (widget_shown (GTK_WIDGET (emergency)));

  /* A blocked road raises it (the draft counts any yes as a hazard flag). */
  gtk_toggle_button_set_active (toggles->pdata[2], TRUE);  /* road: yes */
  assert_true (payam_kiosk_draft_get_answers (f->draft)->blocks_road);
  raised = payam_kiosk_draft_compute_priority (f->draft, f->store);
  assert_true (raised < PAYAM_PRIORITY_NORMAL);
  expected = g_strconcat ("اولویت پیام شما: ", payam_priority_label (raised), NULL);
  assert_non_null (find_label (step, expected));
  assert_null (find_label (step, "اولویت پیام شما: عادی"));
  assert_false (widget_shown (GTK_WIDGET (emergency)));

  gtk_toggle_button_set_active (toggles->pdata[0], TRUE);  /* people: yes */
  assert_false (gtk_toggle_button_get_active (toggles->pdata[1]));
  assert_true (payam_kiosk_draft_get_answers (f->draft)->danger_to_people);
  assert_int_equal (payam_kiosk_draft_compute_priority (f->draft, f->store), PAYAM_PRIORITY_URGENT);
  assert_non_null (find_label (step, "اولویت پیام شما: فوری"));
  assert_true (widget_shown (GTK_WIDGET (emergency)));
  assert_non_null (find_label (step, "۱۲۵"));
  assert_non_null (find_label (step, "آتش‌نشانی"));
  assert_non_null (find_label (step, "۱۱۵"));
  assert_non_null (find_label (step, "۱۹۴"));
  assert_true (payam_kiosk_step_leave (step, NULL));
  assert_false (payam_kiosk_draft_get_answers (f->draft)->utilities);

  /* Back: the yes answers come back from the draft. */
  again = make_step (f, PAYAM_TYPE_KIOSK_STEP_DANGER);
  g_clear_pointer (&toggles, g_ptr_array_unref);
  toggles = find_all (again, GTK_TYPE_TOGGLE_BUTTON);
  assert_true (gtk_toggle_button_get_active (toggles->pdata[0]));
  assert_true (gtk_toggle_button_get_active (toggles->pdata[2]));
  assert_false (gtk_toggle_button_get_active (toggles->pdata[4]));
}

/* --- screenshots (not a test: run with PAYAM_SCREENSHOT_DIR set) --- */

/* Let the main loop draw for about @ms (layout, the camera's pictures). */
static void
settle (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, wait_timeout, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

static void
save_png (GtkWidget  *window,
          const char *dir,
          const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_save_to_png (texture, path);
  g_print ("%s (%d×%d)\n", path, width, height);
}

static GtkWidget *
first_of (gpointer    root,
          GType       type,
          const char *css_class)
{
  g_autoptr(GPtrArray) all = find_all (root, type);

  for (guint i = 0; i < all->len; i++)
    if (css_class == NULL || gtk_widget_has_css_class (all->pdata[i], css_class))
      return all->pdata[i];
  return NULL;
}

/* The register flow at 1280×800 in a window styled as the kiosk's, driven through steps
 * 1–4 as a citizen would, each screen saved as a PNG into @dir. */
static void
take_screenshots (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = payam_store_open (":memory:", &error);
  g_autoptr(PayamKioskDraft) draft = payam_kiosk_draft_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *window = gtk_window_new ();
  PayamKioskRegister *flow;
  PayamKioskStep *step;
  GtkWidget *entry;
  PayamCamera *camera;

  g_assert (store != NULL && payam_store_load_defaults (store, &error));
  g_settings_set_string (settings, "kiosk-neighbourhood", "tohid");
  g_settings_set_string (settings, "kiosk-landmark", "tohid/landmark/tohid-square");
  g_setenv ("PAYAM_KIOSK_CAMERA", "videotestsrc is-live=true pattern=smpte", TRUE);

  flow = payam_kiosk_register_new (store, draft);
  gtk_widget_add_css_class (window, "kiosk");
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (flow));
  gtk_window_present (GTK_WINDOW (window));
  settle (800);

  /* 1: a card chosen, and "not sure?" with its suggestions. */
  step = PAYAM_KIOSK_STEP (first_of (flow, PAYAM_TYPE_KIOSK_STEP_WHAT, NULL));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (first_of (step, GTK_TYPE_TOGGLE_BUTTON, "kiosk-touch")), TRUE);
  entry = first_of (step, GTK_TYPE_ENTRY, NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), "چراغ برق کوچه سه شبه خاموشه");
  settle (400);
  g_signal_emit_by_name (first_of (step, GTK_TYPE_BUTTON, "kiosk-suggestion"), "clicked");
  settle (600);
  save_png (window, dir, "kiosk-step-what.png");

  /* 2: here, near this kiosk, and a street from the search. */
  gtk_widget_activate_action (GTK_WIDGET (flow), "register.next", NULL);
  step = PAYAM_KIOSK_STEP (first_of (flow, PAYAM_TYPE_KIOSK_STEP_WHERE, NULL));
  g_signal_emit_by_name (first_of (step, GTK_TYPE_BUTTON, "kiosk-here"), "clicked");
  gtk_editable_set_text (GTK_EDITABLE (first_of (step, GTK_TYPE_SEARCH_ENTRY, NULL)), "کوچه");
  settle (600);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (list_model (step, 0)), 1, TRUE);
  settle (400);
  save_png (window, dir, "kiosk-step-where.png");

  /* 3: the words from "not sure?", more typed, a photo from the camera. */
  gtk_widget_activate_action (GTK_WIDGET (flow), "register.next", NULL);
  step = PAYAM_KIOSK_STEP (first_of (flow, PAYAM_TYPE_KIOSK_STEP_DESCRIBE, NULL));
  camera = payam_kiosk_step_describe_get_camera (PAYAM_KIOSK_STEP_DESCRIBE (step));
  settle (1500);
  for (guint i = 0; i < PAYAM_KIOSK_MAX_PHOTOS; i++)
    {
      if (!payam_camera_take_photo (camera, &error))
        g_printerr ("photo: %s\n", error->message);
      g_clear_error (&error);
      settle (300);
    }
  save_png (window, dir, "kiosk-step-describe.png");
  set_text (step, "چراغ خاموش");
  settle (600);
  save_png (window, dir, "kiosk-step-describe-hints.png");
  set_text (step, "چراغ برق کوچه سه شب است خاموش است و شب‌ها خیلی تاریک است");

  /* 4: people in danger: the priority and the emergency numbers. */
  gtk_widget_activate_action (GTK_WIDGET (flow), "register.next", NULL);
  step = PAYAM_KIOSK_STEP (first_of (flow, PAYAM_TYPE_KIOSK_STEP_DANGER, NULL));
  {
    g_autoptr(GPtrArray) toggles = find_all (step, GTK_TYPE_TOGGLE_BUTTON);

    gtk_toggle_button_set_active (toggles->pdata[0], TRUE);
    gtk_toggle_button_set_active (toggles->pdata[3], TRUE);
    gtk_toggle_button_set_active (toggles->pdata[4], TRUE);
  }
  settle (600);
  save_png (window, dir, "kiosk-step-danger.png");

  /* The camera that fails: back to step 3 with a source that does not exist. */
  g_setenv ("PAYAM_KIOSK_CAMERA", "payamnosuchcamerasrc", TRUE);
  gtk_widget_activate_action (GTK_WIDGET (flow), "register.back", NULL);
  settle (800);
  save_png (window, dir, "kiosk-step-describe-no-camera.png");

  gtk_window_destroy (GTK_WINDOW (window));
  settle (200);
  g_unsetenv ("PAYAM_KIOSK_CAMERA");
}

/* Run @argv (NULL-terminated); FALSE with a message on failure. */
static gboolean
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("# %s: %s\n", argv[0], error->message);
      return FALSE;
    }
  return TRUE;
}

/* The catalogue the test reads: po/fa.po with the helpers' parts not yet merged into it
 * (the .po files under po/parts, which have no header of their own: appended to fa.po, duplicates
 * dropped by msguniq), compiled into a temporary directory, so that the Persian asserted
 * here is the Persian a kiosk shows. FALSE when gettext's tools are missing. */
static gboolean
compile_catalogue (void)
{
  g_autofree char *parts_dir = g_build_filename (PAYAM_SOURCE_ROOT, "po", "parts", NULL);
  g_autofree char *fa_po = g_build_filename (PAYAM_SOURCE_ROOT, "po", "fa.po", NULL);
  g_autoptr(GDir) dir = g_dir_open (parts_dir, 0, NULL);
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *merged = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *mo = NULL;
  g_autofree char *contents = NULL;
  const char *name;

  catalogue_dir = g_dir_make_tmp ("payam-steps-XXXXXX", &error);
  if (catalogue_dir == NULL || !g_file_get_contents (fa_po, &contents, NULL, &error))
    return FALSE;
  g_string_append (all, contents);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (parts_dir, name, NULL);
      g_autofree char *part = NULL;

      if (g_str_has_suffix (name, ".po") && g_file_get_contents (path, &part, NULL, NULL))
        g_string_append_printf (all, "\n%s\n", part);
    }

  joined = g_build_filename (catalogue_dir, "joined.po", NULL);
  merged = g_build_filename (catalogue_dir, "all.po", NULL);
  messages = g_build_filename (catalogue_dir, "fa", "LC_MESSAGES", NULL);
  mo = g_build_filename (messages, GETTEXT_PACKAGE ".mo", NULL);
  g_mkdir_with_parents (messages, 0700);
  if (!g_file_set_contents (joined, all->str, all->len, &error))
    return FALSE;

  {
    const char *uniq[] = { "msguniq", "--use-first", "-o", merged, joined, NULL };
    const char *msgfmt[] = { "msgfmt", "-o", mo, merged, NULL };

    if (!run (uniq) || !run (msgfmt))
      return FALSE;
  }
  bindtextdomain (GETTEXT_PACKAGE, catalogue_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return TRUE;
}

static void
remove_catalogue (void)
{
  const char *files[] = { "fa/LC_MESSAGES/" GETTEXT_PACKAGE ".mo", "fa/LC_MESSAGES", "fa",
                          "all.po", "joined.po" };

  for (guint i = 0; catalogue_dir != NULL && i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (catalogue_dir, files[i], NULL);

      g_remove (path);
    }
  if (catalogue_dir != NULL)
    g_rmdir (catalogue_dir);
  g_clear_pointer (&catalogue_dir, g_free);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_what_choose, setup, teardown),
    cmocka_unit_test_setup_teardown (test_what_suggest, setup, teardown),
    cmocka_unit_test_setup_teardown (test_where_kiosk_place, setup, teardown),
    cmocka_unit_test_setup_teardown (test_where_search, setup, teardown),
    cmocka_unit_test_setup_teardown (test_describe_hints, setup, teardown),
    cmocka_unit_test_setup_teardown (test_camera_photos, setup, teardown),
    cmocka_unit_test_setup_teardown (test_camera_broken, setup, teardown),
    cmocka_unit_test_setup_teardown (test_camera_follows_screen, setup, teardown),
    cmocka_unit_test_setup_teardown (test_danger, setup, teardown),
  };
  int failed;

  setlocale (LC_ALL, "");

  /* Without a display the whole file is skipped (see tests/test-app.c). */
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      printf ("1..0 # SKIP no display: run the ui suite under xvfb-run\n");
      return 0;
    }
  if (!compile_catalogue ())
    {
      remove_catalogue ();
      printf ("1..0 # SKIP gettext's msguniq and msgfmt are needed for the Persian catalogue\n");
      return 0;
    }

  gtk_init ();
  adw_init ();
  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  /* What PayamApplication does at start-up: the templates and the kiosk's style. */
  payam_register_resource ();
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  if (g_getenv ("PAYAM_SCREENSHOT_DIR") != NULL)
    {
      take_screenshots (g_getenv ("PAYAM_SCREENSHOT_DIR"));
      remove_catalogue ();
      return 0;
    }

  failed = cmocka_run_group_tests (tests, NULL, NULL);
  remove_catalogue ();
  return failed;
}
