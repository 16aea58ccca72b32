/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the duplicate pair model: features, photo hashes, loading, calibration, thresholds, grouping without chains. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "payam-core-resources.h"
#include "payam-dup-grouping.h"
#include "payam-pair-model.h"
#include "payam-pair-parts.h"
#include "payam-photo.h"
#include "payam-store-blobs.h"
#include "payam-store-private.h"
#include "payam-store-sync.h"

#define T0 1793000000 /* 2026-10-26 */

/* Features of two messages on the same street, same category, an hour apart. */
static void
features_of (const char *text_a,
             const char *text_b,
             double     *out)
{
  g_autoptr(PayamPairText) a = payam_pair_text_new (NULL, text_a);
  g_autoptr(PayamPairText) b = payam_pair_text_new (NULL, text_b);
  PayamPairSide sa = { .text = a, .category = "lighting", .street = "کوچه یاس",
                       .created = T0 };
  PayamPairSide sb = { .text = b, .category = "lighting", .street = "کوچه یاس",
                       .created = T0 + 3600 };

  payam_pair_features (&sa, &sb, out);
}

static void
test_numbers (void **state)
{
  g_autoptr(PayamPairText) t = payam_pair_text_new (NULL, "جلوی پلاک ۰۱۲ و کوچه‌ی 7، تلفن 09121234567");
  const char * const *numbers = payam_pair_text_get_numbers (t);
  double f[PAYAM_PAIR_N_FEATURES];

  /* Persian and ASCII digits alike, leading zeros dropped, kinds from the word before;
   * a phone number is no plate. */
  assert_string_equal (numbers[0], "a:7");
  assert_string_equal (numbers[1], "p:12");
  assert_null (numbers[2]);

  features_of ("لامپ جلوی پلاک ۱۲ سوخته", "چراغ روبروی پلاک 12 خاموش است", f);
  assert_true (f[PAYAM_PAIR_F_NUMBERS_SHARED] == 1.0);
  assert_true (f[PAYAM_PAIR_F_NUMBERS_CONFLICT] == 0.0);
  features_of ("لامپ جلوی پلاک ۱۲ سوخته", "لامپ جلوی پلاک ۱۵ سوخته", f);
  assert_true (f[PAYAM_PAIR_F_NUMBERS_CLOSE] == 1.0);
  assert_true (f[PAYAM_PAIR_F_NUMBERS_SHARED] == 0.0);
  features_of ("لامپ جلوی پلاک ۱۲ سوخته", "لامپ جلوی پلاک ۸۴ سوخته", f);
  assert_true (f[PAYAM_PAIR_F_NUMBERS_CONFLICT] == 1.0);
  /* A plate and an alley number say nothing about each other. */
  features_of ("لامپ جلوی پلاک ۱۲ سوخته", "لامپ نبش کوچه ۸۴ سوخته", f);
  assert_true (f[PAYAM_PAIR_F_NUMBERS_CONFLICT] == 0.0);
  assert_true (f[PAYAM_PAIR_F_NUMBERS_SHARED] == 0.0);
}

static void
test_negation_and_polarity (void **state)
{
  double f[PAYAM_PAIR_N_FEATURES];
  g_autoptr(PayamPairText) spaced = payam_pair_text_new (NULL, "آب قطع نمی شود");
  g_autoptr(PayamPairText) plain = payam_pair_text_new (NULL, "آب قطع می‌شود");

  assert_true (payam_pair_text_negates (spaced));
  assert_false (payam_pair_text_negates (plain));

  features_of ("لامپ تیر برق روشن است", "لامپ تیر برق روشن نیست", f);
  assert_true (f[PAYAM_PAIR_F_NEGATION_DIFFERS] == 1.0);
  features_of ("لامپ تیر برق نمی‌سوزد", "لامپ تیر برق هیچ وقت نمی‌سوزد", f);
  assert_true (f[PAYAM_PAIR_F_NEGATION_DIFFERS] == 0.0);
  features_of ("لامپ تیر برق روز خاموش است", "لامپ تیر برق روز روشن است", f);
  assert_true (f[PAYAM_PAIR_F_POLARITY_CONFLICT] == 1.0);
  features_of ("در پارک باز است", "در پارک باز و بسته می‌شود", f);
  assert_true (f[PAYAM_PAIR_F_POLARITY_CONFLICT] == 0.0);
  features_of ("قیمت بلیت افزایش یافت", "قیمت بلیت کاهش یافت", f);
  assert_true (f[PAYAM_PAIR_F_POLARITY_CONFLICT] == 1.0);

  /* A verb one text states and the other negates, however the negation is spaced. */
  {
    g_autoptr(PayamPairText) t = payam_pair_text_new (NULL, "آب قطع نمی شود و لوله نشت ندارد، شیر خراب نیست");
    const char * const *negated = payam_pair_text_get_negated (t);

    assert_string_equal (negated[0], "خراب است");
    assert_string_equal (negated[1], "قطع میشود");
    assert_string_equal (negated[2], "نشت دارد");
    assert_null (negated[3]);
  }
  features_of ("آب این کوچه قطع می‌شود", "آب این کوچه قطع نمی شود", f);
  assert_true (f[PAYAM_PAIR_F_NEGATION_CONFLICT] == 1.0);
  features_of ("تیر برق کج است", "تیر برق کج نیست", f);
  assert_true (f[PAYAM_PAIR_F_NEGATION_CONFLICT] == 1.0);
  features_of ("کارگر زباله را برده است", "کارگر زباله را نبرده است", f);
  assert_true (f[PAYAM_PAIR_F_NEGATION_CONFLICT] == 1.0);
  /* Negation on one side only, about another verb: no conflict (the generator's reporters
   * of one problem say "نمیشه رد شد" beside "چاله بزرگی است"). */
  features_of ("چاله بزرگی جلوی مدرسه است", "از جلوی مدرسه نمی‌شه رد شد", f);
  assert_true (f[PAYAM_PAIR_F_NEGATION_DIFFERS] == 1.0);
  assert_true (f[PAYAM_PAIR_F_NEGATION_CONFLICT] == 0.0);
  /* Both negate the verb, or a word of its own that starts with ن (نشان / شان): none. */
  features_of ("آب قطع نمی‌شود", "آب هنوز قطع نمی شود", f);
  assert_true (f[PAYAM_PAIR_F_NEGATION_CONFLICT] == 0.0);
  features_of ("تابلو نشان می‌دهد که کوچه بن‌بست است", "تابلو شان افتاده است", f);
  assert_true (f[PAYAM_PAIR_F_NEGATION_CONFLICT] == 0.0);
  /* Another statement negated, the copula elsewhere: none. */
  features_of ("درخت افتاده و راه بسته است", "درخت افتاده، عبور ممکن نیست", f);
  assert_true (f[PAYAM_PAIR_F_NEGATION_CONFLICT] == 0.0);
}

/* The length ratio of two texts, symmetric, 0 with an empty side. */
static void
test_length_ratio (void **state)
{
  double f[PAYAM_PAIR_N_FEATURES];

  /* Words of the shorter over words of the longer, whatever the order or the spacing. */
  features_of ("چاله بزرگ", "یک چاله بزرگ جلوی مدرسه", f);
  assert_true (fabs (f[PAYAM_PAIR_F_LENGTH_RATIO] - 0.4) < 1e-12);
  features_of ("یک  چاله بزرگ جلوی مدرسه", "چاله بزرگ", f);
  assert_true (fabs (f[PAYAM_PAIR_F_LENGTH_RATIO] - 0.4) < 1e-12);
  features_of ("چاله", "چاله", f);
  assert_true (f[PAYAM_PAIR_F_LENGTH_RATIO] == 1.0);
  features_of ("", "چاله", f);
  assert_true (f[PAYAM_PAIR_F_LENGTH_RATIO] == 0.0);
}

static void
test_place_category_time (void **state)
{
  g_autoptr(PayamPairText) t = payam_pair_text_new (NULL, "درخت افتاده روی پیاده‌رو");
  PayamPairSide a = { .text = t, .category = "green-space", .street = "خیابان توحید",
                      .has_location = TRUE, .lat = 35.7, .lon = 51.4, .created = T0 };
  PayamPairSide b = a;
  double f[PAYAM_PAIR_N_FEATURES];

  b.lat = 35.7 + 150.0 / 111195.0;  /* 150 m north */
  b.created = T0 + 20 * 86400;
  b.category = "unsafe-structure";
  b.categories_related = TRUE;
  payam_pair_features (&a, &b, f);
  assert_true (fabs (f[PAYAM_PAIR_F_TEXT] - 1.0) < 1e-9);
  assert_true (f[PAYAM_PAIR_F_BOTH_LOCATED] == 1.0);
  assert_true (fabs (f[PAYAM_PAIR_F_NEAR] - exp (-1.0)) < 0.01);
  assert_true (f[PAYAM_PAIR_F_SAME_STREET] == 1.0 && f[PAYAM_PAIR_F_OTHER_STREET] == 0.0);
  assert_true (f[PAYAM_PAIR_F_RELATED_CATEGORY] == 1.0 && f[PAYAM_PAIR_F_SAME_CATEGORY] == 0.0);
  assert_true (fabs (f[PAYAM_PAIR_F_LOG_DAYS] - log1p (20.0)) < 1e-9);
  assert_true (f[PAYAM_PAIR_F_OVER_14_DAYS] == 1.0);
  assert_true (f[PAYAM_PAIR_F_PLACE_UNKNOWN] == 0.0);

  /* Symmetric. */
  {
    double g[PAYAM_PAIR_N_FEATURES];

    payam_pair_features (&b, &a, g);
    for (guint i = 0; i < PAYAM_PAIR_N_FEATURES; i++)
      assert_true (fabs (f[i] - g[i]) < 1e-12);
  }

  b.street = "کوچه بهار";
  b.has_location = FALSE;
  payam_pair_features (&a, &b, f);
  assert_true (f[PAYAM_PAIR_F_OTHER_STREET] == 1.0);
  assert_true (f[PAYAM_PAIR_F_NEAR] == 0.0);
}

/* A side's street (without its kind word) or landmark named in the other's text, every
 * word of it, in any spelling the normaliser folds (ي/ی، ك/ک). */
static void
test_place_in_text (void **state)
{
  g_autoptr(PayamPairText) named = payam_pair_text_new (NULL, "خيابان دريان‌نو روبروي پلاك ۳۱ شن ريخته");
  g_autoptr(PayamPairText) street_only = payam_pair_text_new (NULL, "سر خیابان شن ریخته‌اند");
  g_autoptr(PayamPairText) landmark = payam_pair_text_new (NULL, "نزدیک بانک ملی آب جمع شده");
  g_autoptr(PayamPairText) half = payam_pair_text_new (NULL, "نزدیک بانک آب جمع شده");
  PayamPairSide a = { .text = named, .category = "debris", .street = "خیابان دریان‌نو",
                      .created = T0 };
  PayamPairSide b = { .text = named, .category = "debris", .created = T0 + 3600 };
  double f[PAYAM_PAIR_N_FEATURES];

  payam_pair_features (&a, &b, f);
  assert_true (f[PAYAM_PAIR_F_PLACE_IN_TEXT] == 1.0);
  assert_true (f[PAYAM_PAIR_F_PLACE_UNKNOWN] == 1.0);
  payam_pair_features (&b, &a, f);
  assert_true (f[PAYAM_PAIR_F_PLACE_IN_TEXT] == 1.0);

  /* The kind word alone (خیابان) does not name the street; another street is not it. */
  b.text = street_only;
  payam_pair_features (&a, &b, f);
  assert_true (f[PAYAM_PAIR_F_PLACE_IN_TEXT] == 0.0);
  b.text = named;
  a.street = "خیابان نصرت";
  payam_pair_features (&a, &b, f);
  assert_true (f[PAYAM_PAIR_F_PLACE_IN_TEXT] == 0.0);

  /* A landmark: every one of its words. */
  a.street = NULL;
  a.landmark = "بانک ملی";
  b.text = landmark;
  payam_pair_features (&a, &b, f);
  assert_true (f[PAYAM_PAIR_F_PLACE_IN_TEXT] == 1.0);
  b.text = half;
  payam_pair_features (&a, &b, f);
  assert_true (f[PAYAM_PAIR_F_PLACE_IN_TEXT] == 0.0);
}

/* A scene of random grey rectangles on a gradient, @seed apart. */
static GdkPixbuf *
scene (guint32 seed,
       int     width,
       int     height)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  double fx[3], fy[3], phase[3];

  /* A smooth background of its own: three random waves. */
  for (int k = 0; k < 3; k++)
    {
      fx[k] = g_rand_double_range (rand, 0.5, 4.0) * 2 * G_PI / width;
      fy[k] = g_rand_double_range (rand, 0.5, 4.0) * 2 * G_PI / height;
      phase[k] = g_rand_double_range (rand, 0, 2 * G_PI);
    }
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        double v = 128;

        for (int k = 0; k < 3; k++)
          v += 40 * sin (fx[k] * x + fy[k] * y + phase[k]);
        memset (pixels + (gsize) y * rowstride + (gsize) x * 3, (int) CLAMP (v, 0, 255), 3);
      }
  for (int r = 0; r < 12; r++)
    {
      int x0 = g_rand_int_range (rand, 0, width - width / 8);
      int y0 = g_rand_int_range (rand, 0, height - height / 8);
      int w = g_rand_int_range (rand, width / 8, width / 3);
      int h = g_rand_int_range (rand, height / 8, height / 3);
      guint8 grey = (guint8) g_rand_int_range (rand, 0, 256);

      for (int y = y0; y < MIN (height, y0 + h); y++)
        for (int x = x0; x < MIN (width, x0 + w); x++)
          memset (pixels + (gsize) y * rowstride + (gsize) x * 3, grey, 3);
    }
  return pixbuf;
}

static guint64
import_hash (GdkPixbuf  *pixbuf,
             const char *type,
             const char *quality)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PayamPhoto) photo = NULL;
  gchar *buffer = NULL;
  gsize size = 0;

  if (quality != NULL)
    assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error,
                                            "quality", quality, NULL));
  else
    assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, NULL));
  bytes = g_bytes_new_take (buffer, size);
  photo = payam_photo_import_bytes (bytes, &error);
  assert_non_null (photo);
  return photo->dhash;
}

/* Resized and recompressed copies of one photo hash close; other scenes far. */
static void
test_photo_hash (void **state)
{
  g_autoptr(GdkPixbuf) original = scene (1, 1200, 900);
  g_autoptr(GdkPixbuf) smaller = gdk_pixbuf_scale_simple (original, 480, 360, GDK_INTERP_BILINEAR);
  guint64 h = import_hash (original, "jpeg", "92");
  guint64 copies[] = {
    import_hash (original, "png", NULL),
    import_hash (original, "jpeg", "40"),
    import_hash (smaller, "jpeg", "60"),
  };

  for (gsize i = 0; i < G_N_ELEMENTS (copies); i++)
    if (payam_pair_hash_distance (h, copies[i]) > 6)
      fail_msg ("copy %zu is %u bits away", i, payam_pair_hash_distance (h, copies[i]));
  for (guint32 seed = 2; seed < 8; seed++)
    {
      g_autoptr(GdkPixbuf) other = scene (seed, 1200, 900);

      guint d = payam_pair_hash_distance (h, import_hash (other, "jpeg", "92"));

      if (d <= 20)
        fail_msg ("scene %u is %u bits from scene 1", seed, d);
    }

  /* Both with photos, two close: the feature says so. */
  {
    g_autoptr(PayamPairText) t = payam_pair_text_new (NULL, "چاله در خیابان");
    PayamPairSide a = { .text = t, .photo_hashes = &h, .n_photo_hashes = 1 };
    PayamPairSide b = { .text = t, .photo_hashes = copies, .n_photo_hashes = 3 };
    PayamPairSide c = { .text = t };
    double f[PAYAM_PAIR_N_FEATURES];

    payam_pair_features (&a, &b, f);
    assert_true (f[PAYAM_PAIR_F_PHOTOS_CLOSE] == 1.0 && f[PAYAM_PAIR_F_PHOTOS_FAR] == 0.0);
    payam_pair_features (&a, &c, f);
    assert_true (f[PAYAM_PAIR_F_PHOTOS_CLOSE] == 0.0 && f[PAYAM_PAIR_F_PHOTOS_FAR] == 0.0);
  }
}

static PayamStore *
memory_store (guint prefix)
{
  g_autoptr(GError) error = NULL;
  PayamStore *store = payam_store_open (":memory:", &error);

  assert_non_null (store);
  assert_true (payam_store_load_defaults (store, &error));
  assert_true (payam_store_set_device_prefix (store, prefix, &error));
  return store;
}

/* The photo's dhash column: TRUE and *@hash when set. */
static gboolean
stored_dhash (PayamStore *store,
              const char *sha256,
              guint64    *hash)
{
  sqlite3_stmt *stmt = NULL;
  gboolean set;

  assert_int_equal (sqlite3_prepare_v2 (store->db, "SELECT dhash FROM photo WHERE sha256 = ?1",
                                        -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  set = sqlite3_column_type (stmt, 0) != SQLITE_NULL;
  if (set)
    *hash = (guint64) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return set;
}

/* A photo that arrives by sync gets the hash its own device computed at import: on the
 * server when its upload completes, on another device when its download lands. */
static void
test_synced_photo_hash (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) server = memory_store (1);
  g_autoptr(PayamStore) office = memory_store (2);
  g_autoptr(PayamStore) other = memory_store (3);
  g_autoptr(GdkPixbuf) picture = scene (9, 1200, 900);
  g_autoptr(PayamPhoto) photo = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(PayamSyncPushReply) reply = NULL;
  gchar *buffer = NULL;
  gsize size = 0;
  guint64 local = 0, hash = 0;
  gint64 offset = 0, next = 0;
  gboolean complete = FALSE, more = FALSE;

  assert_true (gdk_pixbuf_save_to_buffer (picture, &buffer, &size, "jpeg", &error,
                                          "quality", "90", NULL));
  {
    g_autoptr(GBytes) input = g_bytes_new_take (buffer, size);

    photo = payam_photo_import_bytes (input, &error);
  }
  assert_non_null (photo);
  assert_true (payam_store_add_photo (office, photo, &error));
  assert_true (stored_dhash (office, photo->sha256, &local));
  assert_true (local == photo->dhash);

  /* The record reaches the server without a hash... */
  ops = payam_store_sync_list_outbox (office, 0, 0, &error);
  assert_non_null (ops);
  if (!payam_store_sync_push (server, payam_store_get_device_id (office), PAYAM_ROLE_OFFICE,
                              NULL, ops, g_get_real_time () / 1000, &reply, &error))
    fail_msg ("push: %s", error->message);
  assert_int_equal (reply->results->len, 1);
  assert_int_equal (g_array_index (reply->results, PayamSyncOpResult, 0).result,
                    PAYAM_SYNC_RESULT_APPLIED);
  assert_false (stored_dhash (server, photo->sha256, &hash));

  /* ...and has one once its bytes are uploaded, in two chunks. */
  {
    gsize half = g_bytes_get_size (photo->bytes) / 2;
    g_autoptr(GBytes) first = g_bytes_new_from_bytes (photo->bytes, 0, half);
    g_autoptr(GBytes) second = g_bytes_new_from_bytes (photo->bytes, half,
                                                       g_bytes_get_size (photo->bytes) - half);
    gint64 length = (gint64) g_bytes_get_size (photo->bytes);
    const char *device = payam_store_get_device_id (office);

    assert_true (payam_store_blob_append (server, device, photo->sha256, 0, length, first,
                                          &offset, &complete, &error));
    assert_false (complete);
    assert_false (stored_dhash (server, photo->sha256, &hash));
    assert_true (payam_store_blob_append (server, device, photo->sha256, offset, length, second,
                                          &offset, &complete, &error));
    assert_true (complete);
  }
  assert_true (stored_dhash (server, photo->sha256, &hash));
  if (payam_pair_hash_distance (hash, local) > 4)
    fail_msg ("the server's hash is %u bits from the device's",
              payam_pair_hash_distance (hash, local));

  /* Another device pulls the record (no hash), then downloads the bytes. */
  page = payam_store_sync_pull (server, PAYAM_ROLE_OFFICE, NULL, 0, 1000, &next, &more, &error);
  assert_non_null (page);
  assert_true (payam_store_sync_apply_page (other, page, next, 0, &error));
  assert_false (stored_dhash (other, photo->sha256, &hash));
  assert_true (payam_store_blob_set_bytes (other, photo->sha256, photo->bytes, &error));
  assert_true (stored_dhash (other, photo->sha256, &hash));
  assert_true (payam_pair_hash_distance (hash, local) <= 4);

  /* Bytes that are no image give no hash (and nothing else fails). */
  {
    guint64 untouched = 42;
    g_autoptr(GBytes) junk = g_bytes_new_static ("not an image at all", 19);

    assert_false (payam_photo_dhash_bytes (junk, &untouched));
    assert_true (untouched == 42);
  }
}

/* The built-in model loads, scores within [0, 1], and its calibration never decreases. */
static void
test_default_model (void **state)
{
  const PayamPairModel *model = payam_pair_model_get_default ();
  double previous = -1.0;
  double f[PAYAM_PAIR_N_FEATURES];

  assert_non_null (model);
  assert_true (payam_pair_model_get_review_threshold (model) > 0.0);
  assert_true (payam_pair_model_get_review_threshold (model) <
               payam_pair_model_get_auto_threshold (model));
  assert_true (payam_pair_model_get_auto_threshold (model) <= 1.0);
  for (double z = -30.0; z <= 30.0; z += 0.01)
    {
      double p = payam_pair_model_calibrate (model, z);

      assert_true (p >= 0.0 && p <= 1.0);
      assert_true (p >= previous);
      previous = p;
    }
  assert_true (payam_pair_model_calibrate (model, -30.0) < 0.05);
  assert_true (payam_pair_model_calibrate (model, 30.0) > 0.9);

  /* One report, word for word, at one spot an hour apart: sure. The same words 40 days
   * later on another street with another plate: not. */
  features_of ("تیر برق جلوی پلاک ۱۲ کوچه یاس خاموش است",
               "تیر برق جلوی پلاک ۱۲ کوچه یاس خاموش است", f);
  assert_true (payam_pair_model_probability (model, f) >= payam_pair_model_get_auto_threshold (model));
  f[PAYAM_PAIR_F_SAME_STREET] = 0.0;
  f[PAYAM_PAIR_F_OTHER_STREET] = 1.0;
  f[PAYAM_PAIR_F_LOG_DAYS] = log1p (40.0);
  f[PAYAM_PAIR_F_OVER_14_DAYS] = 1.0;
  f[PAYAM_PAIR_F_NUMBERS_SHARED] = 0.0;
  f[PAYAM_PAIR_F_NUMBERS_CONFLICT] = 1.0;
  assert_true (payam_pair_model_probability (model, f) < payam_pair_model_get_review_threshold (model));
}

static char *
model_json (const char *weights_extra,
            const char *linear,
            const char *probability,
            double      auto_threshold,
            double      review_threshold)
{
  g_autoptr(GString) s = g_string_new ("{\"features\": [");

  for (guint i = 0; i < PAYAM_PAIR_N_FEATURES; i++)
    g_string_append_printf (s, "%s\"%s\"", i > 0 ? ", " : "", payam_pair_feature_name (i));
  g_string_append (s, "], \"weights\": [");
  for (guint i = 0; i < PAYAM_PAIR_N_FEATURES; i++)
    g_string_append_printf (s, "%s%d", i > 0 ? ", " : "", i == PAYAM_PAIR_F_TEXT ? 4 : 0);
  g_string_append_printf (s, "%s], \"intercept\": -2, \"calibration\": {\"linear\": [%s], "
                          "\"probability\": [%s]}, ", weights_extra, linear, probability);
  g_string_append_printf (s, "\"auto_threshold\": %g, \"review_threshold\": %g}",
                          auto_threshold, review_threshold);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_model_loading (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *good = model_json ("", "-2, 0, 2", "0.1, 0.5, 0.9", 0.8, 0.3);
  g_autofree char *extra = model_json (", 1", "-2, 0, 2", "0.1, 0.5, 0.9", 0.8, 0.3);
  g_autofree char *falling = model_json ("", "-2, 0, 2", "0.1, 0.6, 0.5", 0.8, 0.3);
  g_autofree char *unordered = model_json ("", "-2, 2, 0", "0.1, 0.5, 0.9", 0.8, 0.3);
  g_autofree char *thresholds = model_json ("", "-2, 0, 2", "0.1, 0.5, 0.9", 0.3, 0.8);
  g_autoptr(PayamPairModel) model = payam_pair_model_new_from_data (good, -1, &error);
  double f[PAYAM_PAIR_N_FEATURES] = { 0 };

  assert_non_null (model);
  /* Linear −2 + 4 · 0.5 = 0 → 0.5; interpolated between knots; flat beyond them. */
  f[PAYAM_PAIR_F_TEXT] = 0.5;
  assert_true (fabs (payam_pair_model_linear (model, f)) < 1e-12);
  assert_true (fabs (payam_pair_model_probability (model, f) - 0.5) < 1e-12);
  assert_true (fabs (payam_pair_model_calibrate (model, 1.0) - 0.7) < 1e-12);
  assert_true (payam_pair_model_calibrate (model, -50.0) == 0.1);
  assert_true (payam_pair_model_calibrate (model, 50.0) == 0.9);
  assert_true (payam_pair_model_calibrate (model, NAN) == 0.1);

  for (const char *bad[] = { extra, falling, unordered, thresholds, "[]", "{", NULL }, **b = bad;
       *b != NULL; b++)
    {
      g_autoptr(PayamPairModel) m = payam_pair_model_new_from_data (*b, -1, &error);

      assert_null (m);
      assert_true (g_error_matches (error, PAYAM_PAIR_MODEL_ERROR,
                                    PAYAM_PAIR_MODEL_ERROR_INVALID));
      g_clear_error (&error);
    }
}

/* A model of test_model_loading's linear part with "conflict_cap" @cap spliced in. */
static char *
model_with_cap (const char *cap)
{
  g_autofree char *linear = model_json ("", "-5, 0, 5", "0, 0.5, 1", 0.8, 0.3);
  g_autoptr(GString) s = g_string_new (NULL);

  g_string_append_len (s, linear, strstr (linear, "\"calibration\"") - linear);
  g_string_append_printf (s, "\"conflict_cap\": %s, ", cap);
  g_string_append (s, strstr (linear, "\"calibration\""));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Texts that contradict each other (numbers far apart, a negated verb the other states,
 * opposite states) keep the linear score at most the cap, so the pair stays below the
 * automatic threshold whatever else agrees; a cap that would not is refused at load; the
 * committed model has one. */
static void
test_conflict_cap (void **state)
{
  const PayamPairFeature conflicts[] = {
    PAYAM_PAIR_F_NUMBERS_CONFLICT, PAYAM_PAIR_F_NEGATION_CONFLICT, PAYAM_PAIR_F_POLARITY_CONFLICT,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *good = model_with_cap ("1.0");
  g_autofree char *high = model_with_cap ("3.0");
  g_autoptr(PayamPairModel) model = payam_pair_model_new_from_data (good, -1, &error);
  g_autoptr(PayamPairModel) refused = NULL;
  const PayamPairModel *committed = payam_pair_model_get_default ();
  double f[PAYAM_PAIR_N_FEATURES] = { 0 };

  if (model == NULL)
    fail_msg ("%s", error->message);
  /* −2 + 4 · 1.5 = 4: probability 0.9, sure. */
  f[PAYAM_PAIR_F_TEXT] = 1.5;
  assert_true (fabs (payam_pair_model_linear (model, f) - 4.0) < 1e-12);
  assert_true (payam_pair_model_probability (model, f) >= payam_pair_model_get_auto_threshold (model));
  for (guint i = 0; i < G_N_ELEMENTS (conflicts); i++)
    {
      f[conflicts[i]] = 1.0;
      assert_true (fabs (payam_pair_model_linear (model, f) - 1.0) < 1e-12);
      assert_true (payam_pair_model_probability (model, f) < payam_pair_model_get_auto_threshold (model));
      f[conflicts[i]] = 0.0;
    }
  /* Below the cap nothing changes. */
  f[PAYAM_PAIR_F_TEXT] = 0.25;
  f[PAYAM_PAIR_F_NEGATION_CONFLICT] = 1.0;
  assert_true (fabs (payam_pair_model_linear (model, f) - -1.0) < 1e-12);

  /* calibrate(3.0) = 0.8 reaches the threshold: refused. */
  refused = payam_pair_model_new_from_data (high, -1, &error);
  assert_null (refused);
  assert_true (g_error_matches (error, PAYAM_PAIR_MODEL_ERROR, PAYAM_PAIR_MODEL_ERROR_INVALID));

  /* The committed model: one report word for word at one spot an hour apart is sure; the
   * same with a negated verb the other states, or opposite states, is not. */
  features_of ("تیر برق جلوی پلاک ۱۲ کوچه یاس خاموش است",
               "تیر برق جلوی پلاک ۱۲ کوچه یاس خاموش است", f);
  assert_true (payam_pair_model_probability (committed, f) >= payam_pair_model_get_auto_threshold (committed));
  for (guint i = 0; i < G_N_ELEMENTS (conflicts); i++)
    {
      double g[PAYAM_PAIR_N_FEATURES];

      memcpy (g, f, sizeof g);
      g[conflicts[i]] = 1.0;
      assert_true (payam_pair_model_probability (committed, g) <
                   payam_pair_model_get_auto_threshold (committed));
    }
}

/* A model of the same linear part with trees: a stump on same_street, and one on the text
 * score (2 · text) whose right branch is a second split on near. */
static char *
model_with_trees (const char *nodes,
                  const char *roots)
{
  g_autofree char *linear = model_json ("", "-5, 0, 5", "0, 0.5, 1", 0.8, 0.3);
  g_autoptr(GString) s = g_string_new (NULL);

  /* Splice the trees in before the calibration. */
  g_string_append_len (s, linear, strstr (linear, "\"calibration\"") - linear);
  g_string_append (s, "\"trees\": {\"text_score\": [");
  for (guint i = 0; i < PAYAM_PAIR_N_FEATURES; i++)
    g_string_append_printf (s, "%s%d", i > 0 ? ", " : "", i == PAYAM_PAIR_F_TEXT ? 2 : 0);
  g_string_append_printf (s, "], \"nodes\": %s, \"roots\": %s}, ", nodes, roots);
  g_string_append (s, strstr (linear, "\"calibration\""));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Trees add their leaves to the linear score (inputs: features and the text score); a tree
 * that could loop, an unknown input or a root outside the nodes is refused at load. */
static void
test_model_trees (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *nodes = g_strdup_printf (
      "[[%d, 0.5, 1, 2, 0], [-1, 0, 0, 0, -1], [-1, 0, 0, 0, 1],"
      " [%d, 1.0, 4, 5, 0], [-1, 0, 0, 0, 0], [%d, 0.5, 6, 7, 0],"
      " [-1, 0, 0, 0, 0.25], [-1, 0, 0, 0, 0.75]]",
      PAYAM_PAIR_F_SAME_STREET, PAYAM_PAIR_N_FEATURES, PAYAM_PAIR_F_NEAR);
  g_autofree char *good = model_with_trees (nodes, "[0, 3]");
  g_autoptr(PayamPairModel) model = payam_pair_model_new_from_data (good, -1, &error);
  double f[PAYAM_PAIR_N_FEATURES] = { 0 };

  if (model == NULL)
    fail_msg ("%s", error->message);
  /* Linear −2 + 4 · 0.25 = −1; stump: no street → −1; text score 0.5 ≤ 1 → 0. */
  f[PAYAM_PAIR_F_TEXT] = 0.25;
  assert_true (fabs (payam_pair_model_linear (model, f) - -2.0) < 1e-12);
  /* Same street → +1; text score 1.6 > 1, near 0.9 > 0.5 → 0.75: −2 + 3.2 + 1 + 0.75. */
  f[PAYAM_PAIR_F_TEXT] = 0.8;
  f[PAYAM_PAIR_F_SAME_STREET] = 1.0;
  f[PAYAM_PAIR_F_NEAR] = 0.9;
  assert_true (fabs (payam_pair_model_linear (model, f) - 2.95) < 1e-12);
  f[PAYAM_PAIR_F_NEAR] = 0.2;
  assert_true (fabs (payam_pair_model_linear (model, f) - 2.45) < 1e-12);
  /* The probability is the calibration of that score. */
  assert_true (fabs (payam_pair_model_probability (model, f) - (0.5 + 2.45 / 10)) < 1e-12);

  /* A child before its parent (a loop), an unknown input, a root outside, no roots. */
  {
    g_autofree char *loop = model_with_trees ("[[0, 0.5, 0, 1, 0], [-1, 0, 0, 0, 1]]", "[0]");
    g_autofree char *input_nodes = g_strdup_printf ("[[%d, 0.5, 1, 2, 0], [-1, 0, 0, 0, 1], "
                                                    "[-1, 0, 0, 0, 1]]",
                                                    PAYAM_PAIR_N_FEATURES + 1);
    g_autofree char *input = model_with_trees (input_nodes, "[0]");
    g_autofree char *root = model_with_trees ("[[-1, 0, 0, 0, 1]]", "[1]");
    g_autofree char *none = model_with_trees ("[[-1, 0, 0, 0, 1]]", "[]");
    g_autofree char *shape = model_with_trees ("[[-1, 0, 0, 1]]", "[0]");

    for (const char *bad[] = { loop, input, root, none, shape, NULL }, **b = bad; *b != NULL; b++)
      {
        g_autoptr(PayamPairModel) m = payam_pair_model_new_from_data (*b, -1, &error);

        assert_null (m);
        assert_true (g_error_matches (error, PAYAM_PAIR_MODEL_ERROR,
                                      PAYAM_PAIR_MODEL_ERROR_INVALID));
        g_clear_error (&error);
      }
  }
}

static guint
count_joins_into (GArray *joins,
                  guint   item)
{
  guint n = 0;

  for (guint i = 0; i < joins->len; i++)
    n += g_array_index (joins, PayamDupDecision, i).item == item;
  return n;
}

/* The committed model obeys the automatic threshold's rule (bench/duplicates/README.md,
 * threshold_rule.py): its threshold is the one the trainer chose, the lowest of the grid
 * whose group --auto precision on the calibration seed has its bootstrap lower bound at or
 * above 0.90; the grid's next lower threshold does not pass. */
static void
test_auto_threshold_rule (void **state)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (payam_core_get_resource (),
                                                    "/ir/payam/Payam/core/data/pair-model.json",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *trained, *rule, *chosen;
  JsonArray *grid;
  double target, step;
  gsize size;
  const char *data;

  assert_non_null (bytes);
  data = g_bytes_get_data (bytes, &size);
  assert_true (json_parser_load_from_data (parser, data, (gssize) size, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  trained = json_object_get_object_member (root, "trained");
  target = json_object_get_double_member (trained, "precision_target");
  assert_true (target == 0.90);
  assert_true (json_object_has_member (trained, "auto_rule"));
  rule = json_object_get_object_member (trained, "auto_rule");
  grid = json_object_get_array_member (rule, "grid");
  step = json_array_get_double_element (grid, 2);
  chosen = json_object_get_object_member (rule, "chosen");
  assert_true (fabs (json_object_get_double_member (chosen, "threshold") -
                     payam_pair_model_get_auto_threshold (payam_pair_model_get_default ())) < 1e-9);
  assert_true (json_object_get_double_member (chosen, "lower") >= target);
  assert_true (json_object_get_double_member (chosen, "precision") >=
               json_object_get_double_member (chosen, "lower"));
  if (json_object_get_double_member (chosen, "threshold") > json_array_get_double_element (grid, 0) + 1e-9)
    {
      JsonObject *below = json_object_get_object_member (rule, "next_lower");

      assert_non_null (below);
      assert_true (fabs (json_object_get_double_member (below, "threshold") -
                         (json_object_get_double_member (chosen, "threshold") - step)) < 1e-6);
      assert_true (json_object_get_double_member (below, "lower") < target);
    }
}

/* The threshold rule: sure pairs are grouped, the band goes to review, below it nothing. */
static void
test_threshold_rule (void **state)
{
  const PayamDupPair pairs[] = {
    { 0, 1, 0.95 }, { 2, 3, 0.50 }, { 4, 5, 0.10 }, { 1, 0, 0.90 },
  };
  g_autoptr(GArray) joins = g_array_new (FALSE, FALSE, sizeof (PayamDupDecision));
  g_autoptr(GArray) reviews = g_array_new (FALSE, FALSE, sizeof (PayamDupDecision));

  payam_dup_grouping_plan (6, NULL, NULL, 0, NULL, pairs, G_N_ELEMENTS (pairs), 0.8, 0.3,
                           joins, reviews);
  assert_int_equal (joins->len, 1);
  assert_int_equal (g_array_index (joins, PayamDupDecision, 0).item, 1);
  assert_int_equal (g_array_index (joins, PayamDupDecision, 0).into, 0);
  /* Both directions of one pair count once, with the higher probability. */
  assert_true (g_array_index (joins, PayamDupDecision, 0).probability == 0.95);
  assert_int_equal (reviews->len, 1);
  assert_int_equal (g_array_index (reviews, PayamDupDecision, 0).reason, PAYAM_DUP_REVIEW_MAYBE);
  assert_int_equal (g_array_index (reviews, PayamDupDecision, 0).item, 3);
}

/* A chain A~B~C~D where A and C (and B and D) differ does not become one group; a
 * request or a new group joins another only as a whole; two existing groups are never
 * merged; a group at its limit stops growing. */
static void
test_no_chaining (void **state)
{
  const PayamDupPair chain[] = {
    { 0, 1, 0.99 }, { 1, 2, 0.98 }, { 2, 3, 0.97 }, { 0, 2, 0.05 }, { 1, 3, 0.02 },
  };
  g_autoptr(GArray) joins = g_array_new (FALSE, FALSE, sizeof (PayamDupDecision));
  g_autoptr(GArray) reviews = g_array_new (FALSE, FALSE, sizeof (PayamDupDecision));

  payam_dup_grouping_plan (4, NULL, NULL, 0, NULL, chain, G_N_ELEMENTS (chain), 0.8, 0.3,
                           joins, reviews);
  /* A and B group; C is sure with B only, so it waits for review; C and D then group. */
  assert_int_equal (joins->len, 2);
  assert_int_equal (count_joins_into (joins, 1), 1);
  assert_int_equal (count_joins_into (joins, 2), 0);
  assert_int_equal (count_joins_into (joins, 3), 1);
  assert_int_equal (g_array_index (joins, PayamDupDecision, 1).into, 2);
  for (guint i = 0; i < reviews->len; i++)
    {
      const PayamDupDecision *d = &g_array_index (reviews, PayamDupDecision, i);

      assert_true (d->reason == PAYAM_DUP_REVIEW_NOT_WHOLE ||
                   d->reason == PAYAM_DUP_REVIEW_TWO_GROUPS);
    }

  /* A request joins an existing group when its mean probability with all the members
   * reaches the threshold; sure with two of three but far from the third, it goes to
   * review. */
  {
    const int group_of[] = { 0, 0, 0, -1 };
    const guint leads[] = { 0 };
    const PayamDupPair whole[] = { { 0, 3, 0.9 }, { 1, 3, 0.9 }, { 2, 3, 0.7 } };
    const PayamDupPair part[] = { { 0, 3, 0.9 }, { 1, 3, 0.9 }, { 2, 3, 0.1 } };

    g_array_set_size (joins, 0);
    g_array_set_size (reviews, 0);
    payam_dup_grouping_plan (4, group_of, leads, 1, NULL, whole, 3, 0.8, 0.3, joins, reviews);
    assert_int_equal (joins->len, 1);
    assert_int_equal (g_array_index (joins, PayamDupDecision, 0).item, 3);
    assert_int_equal (g_array_index (joins, PayamDupDecision, 0).into, 0);
    assert_int_equal (reviews->len, 0);

    g_array_set_size (joins, 0);
    payam_dup_grouping_plan (4, group_of, leads, 1, NULL, part, 3, 0.8, 0.3, joins, reviews);
    assert_int_equal (joins->len, 0);
    assert_int_equal (reviews->len, 2);
    assert_int_equal (g_array_index (reviews, PayamDupDecision, 0).reason,
                      PAYAM_DUP_REVIEW_NOT_WHOLE);
  }

  /* Two new pairs of one problem whose cross pairs are all likely become one group led by
   * the earliest; with one unknown cross pair (counted 0) they stay two. */
  {
    const PayamDupPair four[] = {
      { 0, 1, 0.99 }, { 2, 3, 0.98 }, { 0, 2, 0.9 }, { 0, 3, 0.85 }, { 1, 2, 0.85 },
      { 1, 3, 0.8 },
    };

    g_array_set_size (joins, 0);
    g_array_set_size (reviews, 0);
    payam_dup_grouping_plan (4, NULL, NULL, 0, NULL, four, G_N_ELEMENTS (four), 0.8, 0.3,
                             joins, reviews);
    assert_int_equal (joins->len, 3);
    for (guint i = 0; i < joins->len; i++)
      assert_int_equal (g_array_index (joins, PayamDupDecision, i).into, 0);
    assert_int_equal (reviews->len, 0);

    g_array_set_size (joins, 0);
    payam_dup_grouping_plan (4, NULL, NULL, 0, NULL, four, G_N_ELEMENTS (four) - 1, 0.8, 0.3,
                             joins, reviews);
    assert_int_equal (joins->len, 2);
    assert_int_equal (count_joins_into (joins, 3), 1);
    assert_int_equal (reviews->len, 3);
  }

  /* Two existing groups with a sure pair between them: review, never a merge. */
  {
    const int group_of[] = { 0, 0, 1, 1 };
    const guint leads[] = { 0, 2 };
    const PayamDupPair pairs[] = { { 1, 2, 0.99 } };

    g_array_set_size (joins, 0);
    g_array_set_size (reviews, 0);
    payam_dup_grouping_plan (4, group_of, leads, 2, NULL, pairs, 1, 0.8, 0.3, joins, reviews);
    assert_int_equal (joins->len, 0);
    assert_int_equal (reviews->len, 1);
    assert_int_equal (g_array_index (reviews, PayamDupDecision, 0).reason,
                      PAYAM_DUP_REVIEW_TWO_GROUPS);
  }

  /* A group at its limit: the next sure request is flagged instead. */
  {
    const int group_of[] = { 0, 0, 0, -1 };
    const guint leads[] = { 0 };
    const guint limit_of[] = { 3, 3, 3, 3 };
    const PayamDupPair pairs[] = { { 0, 3, 0.99 }, { 1, 3, 0.99 }, { 2, 3, 0.99 } };

    g_array_set_size (joins, 0);
    g_array_set_size (reviews, 0);
    payam_dup_grouping_plan (4, group_of, leads, 1, limit_of, pairs, 3, 0.8, 0.3, joins,
                             reviews);
    assert_int_equal (joins->len, 0);
    assert_true (reviews->len >= 1);
    assert_int_equal (g_array_index (reviews, PayamDupDecision, 0).reason,
                      PAYAM_DUP_REVIEW_GROUP_LARGE);
  }
}

/* The parts of a score: every feature in one part, the parts adding up to the linear
 * score, each share its weight times its feature; what staff read (distance, days, photo
 * bits, the negation and state flags) as the sides give it. */
static void
test_score_parts (void **state)
{
  g_autoptr(PayamPairText) off = payam_pair_text_new (NULL, "چراغ کوچه خاموش است پلاک ۱۲");
  g_autoptr(PayamPairText) on = payam_pair_text_new (NULL, "چراغ کوچه روشن است پلاک ۹۰");
  guint64 ha[] = { G_GUINT64_CONSTANT (0xf0f0f0f0f0f0f0f0) };
  guint64 hb[] = { G_GUINT64_CONSTANT (0xf0f0f0f0f0f0f0f3), G_GUINT64_CONSTANT (0) };
  PayamPairSide a = { .text = off, .category = "lighting", .street = "کوچه یاس",
                      .has_location = TRUE, .lat = 35.7, .lon = 51.4, .created = T0,
                      .photo_hashes = ha, .n_photo_hashes = 1 };
  PayamPairSide b = a;
  const PayamPairModel *model = payam_pair_model_get_default ();
  PayamPairParts parts, again;
  double sum = 0.0;
  guint in_part[PAYAM_PAIR_N_PARTS] = { 0 };

  /* Each part has a name of its own and features; the model part has none. */
  for (guint f = 0; f < PAYAM_PAIR_N_FEATURES; f++)
    {
      PayamPairPart p = payam_pair_feature_part (f);

      assert_true (p < PAYAM_PAIR_PART_MODEL);
      in_part[p]++;
    }
  for (guint p = 0; p < PAYAM_PAIR_N_PARTS; p++)
    {
      assert_non_null (payam_pair_part_name (p));
      assert_true ((in_part[p] > 0) == (p != PAYAM_PAIR_PART_MODEL));
      for (guint q = 0; q < p; q++)
        assert_string_not_equal (payam_pair_part_name (p), payam_pair_part_name (q));
    }

  b.text = on;
  b.lat = 35.7 + 240.0 / 111195.0;  /* 240 m north */
  b.created = T0 + 3 * 86400 + 43200;
  b.photo_hashes = hb;
  b.n_photo_hashes = 2;
  payam_pair_parts_compute (NULL, &a, &b, &parts);

  /* The same score as the model gives for the pair's features. */
  {
    double f[PAYAM_PAIR_N_FEATURES];

    payam_pair_features (&a, &b, f);
    for (guint i = 0; i < PAYAM_PAIR_N_FEATURES; i++)
      assert_true (f[i] == parts.features[i]);
    assert_true (fabs (parts.linear - payam_pair_model_linear (model, f)) < 1e-12);
    assert_true (fabs (parts.probability - payam_pair_model_probability (model, f)) < 1e-12);
  }
  for (guint p = 0; p < PAYAM_PAIR_N_PARTS; p++)
    sum += parts.parts[p];
  assert_true (fabs (sum - parts.linear) < 1e-9);
  {
    double negation = 0.0;

    for (guint f = 0; f < PAYAM_PAIR_N_FEATURES; f++)
      if (payam_pair_feature_part (f) == PAYAM_PAIR_PART_NEGATION)
        negation += payam_pair_model_get_weight (model, f) * parts.features[f];
    assert_true (fabs (negation - parts.parts[PAYAM_PAIR_PART_NEGATION]) < 1e-12);
  }

  assert_true (fabs (parts.distance_m - 240.0) < 1.0);
  assert_true (fabs (parts.days_apart - 3.5) < 1e-9);
  assert_int_equal (parts.photo_bits, 2);
  assert_true (parts.same_category && !parts.related_category);
  assert_true (parts.polarity_conflict);       /* خاموش / روشن */
  assert_false (parts.negation_differs);
  assert_true (parts.numbers_conflict);        /* plate 12 and plate 90 */
  assert_true (parts.text_similarity > 0.0 && parts.text_similarity < 1.0);
  /* Opposite states and other plates speak against one problem. */
  assert_true (parts.parts[PAYAM_PAIR_PART_NEGATION] < 0.0);
  assert_true (parts.parts[PAYAM_PAIR_PART_NUMBERS] < 0.0);

  /* Symmetric; without coordinates or photos on one side there is no distance and no
   * photo bits, and the place part no longer counts the distance. */
  payam_pair_parts_compute (model, &b, &a, &again);
  assert_true (fabs (again.linear - parts.linear) < 1e-12);
  b.has_location = FALSE;
  b.n_photo_hashes = 0;
  payam_pair_parts_compute (model, &a, &b, &again);
  assert_true (again.distance_m == -1.0);
  assert_int_equal (again.photo_bits, -1);
  assert_true (again.parts[PAYAM_PAIR_PART_PHOTOS] == 0.0);
  assert_true (again.parts[PAYAM_PAIR_PART_PLACE] != parts.parts[PAYAM_PAIR_PART_PLACE]);

  /* A model of known weights (text 4, intercept −2, no trees): the text part is 4 · text,
   * the model part the intercept, nothing else. */
  {
    g_autofree char *json = model_json ("", "-2, 0, 2", "0.1, 0.5, 0.9", 0.8, 0.3);
    g_autoptr(PayamPairModel) known = payam_pair_model_new_from_data (json, -1, NULL);
    PayamPairParts k;

    assert_non_null (known);
    payam_pair_parts_compute (known, &a, &b, &k);
    assert_true (fabs (k.parts[PAYAM_PAIR_PART_TEXT] - 4.0 * k.features[PAYAM_PAIR_F_TEXT]) <
                 1e-12);
    assert_true (fabs (k.parts[PAYAM_PAIR_PART_MODEL] - -2.0) < 1e-12);
    for (guint p = PAYAM_PAIR_PART_PLACE; p < PAYAM_PAIR_PART_MODEL; p++)
      assert_true (k.parts[p] == 0.0);
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_numbers),
    cmocka_unit_test (test_negation_and_polarity),
    cmocka_unit_test (test_length_ratio),
    cmocka_unit_test (test_place_category_time),
    cmocka_unit_test (test_place_in_text),
    cmocka_unit_test (test_photo_hash),
    cmocka_unit_test (test_synced_photo_hash),
    cmocka_unit_test (test_default_model),
    cmocka_unit_test (test_model_loading),
    cmocka_unit_test (test_model_trees),
    cmocka_unit_test (test_conflict_cap),
    cmocka_unit_test (test_threshold_rule),
    cmocka_unit_test (test_auto_threshold_rule),
    cmocka_unit_test (test_no_chaining),
    cmocka_unit_test (test_score_parts),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
