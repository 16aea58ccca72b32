/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-store: how fast the store registers requests, and how much disk each one takes. */
#define G_LOG_DOMAIN "payam-bench"
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "payam-store.h"

/* What citizens write, by category; the generator joins a problem, a place and a detail. */
static const struct {
  const char *category;
  const char *problems[4];
} category_texts[] = {
  { "asphalt", { "چاله بزرگ وسط خیابان", "آسفالت کوچه بعد از حفاری ترمیم نشده",
                 "ترک و نشست آسفالت", "دست‌انداز غیراستاندارد" } },
  { "lighting", { "لامپ تیر برق خاموش است", "چراغ‌های پارک روشن نمی‌شوند",
                  "تیر چراغ برق کج شده", "کوچه شب‌ها کاملاً تاریک است" } },
  { "waste", { "زباله‌ها جمع نشده", "سطل زباله شکسته است",
               "بوی بد زباله همه جا را گرفته", "مخزن زباله پر شده و سر ریز کرده" } },
  { "surface-water", { "آب‌گرفتگی بعد از باران", "جوی آب گرفته و آب در خیابان راه افتاده",
                       "دریچه فاضلاب باز مانده", "آب از زیر آسفالت بیرون می‌زند" } },
  { "green-space", { "درخت خشک شده و ممکن است بیفتد", "چمن پارک آبیاری نمی‌شود",
                     "شاخه‌های درخت روی سیم برق افتاده", "نیمکت‌های پارک شکسته‌اند" } },
  { "sidewalk", { "پیاده‌رو کنده شده", "سنگ‌فرش پیاده‌رو لق است",
                  "جدول کنار خیابان شکسته", "موتورسواران از پیاده‌رو رد می‌شوند" } },
  { "debris", { "نخاله ساختمانی رها شده", "خاک و مصالح وسط کوچه ریخته‌اند",
                "ضایعات ساختمانی راه را بسته", "کامیون نخاله را شبانه خالی کرده" } },
  { "animals", { "سگ‌های ولگرد در کوچه", "لاشه حیوان کنار جوی افتاده",
                 "موش در جوی‌ها زیاد شده", "گربه‌ها زیر ماشین‌ها گیر افتاده‌اند" } },
  { "traffic-signs", { "تابلوی ایست افتاده", "خط‌کشی عابر پیاده پاک شده",
                       "چراغ راهنمایی خراب است", "تابلوی نام کوچه شکسته" } },
  { "unsafe-structure", { "دیوار قدیمی ترک برداشته", "ساختمان متروکه خطرناک است",
                          "داربست نیمه‌کاره رها شده", "سقف سایه‌بان در حال افتادن است" } },
  { "street-cleaning", { "خیابان جارو نشده", "برگ‌ها جوی را پر کرده",
                         "روغن روی آسفالت ریخته و لیز است", "گل و لای بعد از باران مانده" } },
  { "other", { "پیشنهاد نصب نیمکت در ایستگاه", "سر و صدای کارگاه در شب",
               "دست‌فروشان پیاده‌رو را گرفته‌اند", "ایستگاه اتوبوس سقف ندارد" } },
};

static const char *places[] = {
  "جلوی مدرسه", "کنار پارک", "سر چهارراه", "روبه‌روی نانوایی", "پشت مسجد", "نزدیک ایستگاه مترو",
  "کوچه دوازدهم", "جلوی درمانگاه", "کنار بانک", "انتهای بن‌بست", "خیابان توحید", "خیابان دریان‌نو",
};

static const char *details[] = {
  "لطفاً رسیدگی کنید", "از هفته پیش همین‌طور است", "چند بار تماس گرفته‌ام",
  "برای سالمندان خطرناک است", "بچه‌ها هر روز از اینجا رد می‌شوند", "شب‌ها بدتر است",
  "ماشین‌ها آسیب می‌بینند", "همسایه‌ها هم شکایت دارند", "", "",
};

static const char *names[] = {
  "مریم احمدی", "علی رضایی", "زهرا کریمی", "حسین محمدی", "فاطمه حسینی", "رضا موسوی",
  "سارا جعفری", "محمد صادقی", "نرگس نوری", "امیر قاسمی",
};

static const char *mobile_prefixes[] = { "0912", "0935", "0919", "0990", "0936", "0901" };

typedef struct {
  char  **categories;     /* codes the store knows, with texts or generic */
  int    *text_index;     /* index into category_texts, or -1 */
  guint   n_categories;
  char  **neighbourhoods;
  guint   n_neighbourhoods;
} Config;

static void
config_clear (Config *config)
{
  for (guint i = 0; i < config->n_categories; i++)
    g_free (config->categories[i]);
  g_free (config->categories);
  g_free (config->text_index);
  for (guint i = 0; i < config->n_neighbourhoods; i++)
    g_free (config->neighbourhoods[i]);
  g_free (config->neighbourhoods);
}

/* Read the categories and neighbourhoods of the loaded default configuration. */
static gboolean
config_load (Config      *config,
             PayamStore  *store,
             GError     **error)
{
  g_autoptr(GPtrArray) categories = payam_store_list_categories (store, error);
  g_autoptr(GPtrArray) hoods = NULL;

  if (categories == NULL)
    return FALSE;
  hoods = payam_store_list_places (store, "neighbourhood", NULL, error);
  if (hoods == NULL)
    return FALSE;
  if (categories->len == 0 || hoods->len == 0)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                           "the default configuration has no categories or neighbourhoods");
      return FALSE;
    }

  config->n_categories = categories->len;
  config->categories = g_new0 (char *, categories->len);
  config->text_index = g_new0 (int, categories->len);
  for (guint i = 0; i < categories->len; i++)
    {
      const PayamCategory *category = g_ptr_array_index (categories, i);

      config->categories[i] = g_strdup (category->code);
      config->text_index[i] = -1;
      for (gsize j = 0; j < G_N_ELEMENTS (category_texts); j++)
        if (g_str_equal (category_texts[j].category, category->code))
          config->text_index[i] = (int) j;
    }

  config->n_neighbourhoods = hoods->len;
  config->neighbourhoods = g_new0 (char *, hoods->len);
  for (guint i = 0; i < hoods->len; i++)
    {
      const PayamPlace *place = g_ptr_array_index (hoods, i);

      config->neighbourhoods[i] = g_strdup (place->code);
    }

  return TRUE;
}

/* Strings one generated request owns. */
typedef struct {
  char *text;
  char *phone;
} Owned;

/* Make request number @n of the run: text, category, place, sometimes a phone, a name, a
 * location, a hazard flag. Strings go to @owned (freed by the caller after the batch). */
static void
make_draft (const Config      *config,
            GRand             *rand,
            GDateTime         *base,
            guint64            n,
            PayamRequestDraft *draft,
            Owned             *owned,
            GDateTime        **created_at)
{
  guint c = g_rand_int_range (rand, 0, (gint32) config->n_categories);
  guint h = g_rand_int_range (rand, 0, (gint32) config->n_neighbourhoods);
  /* Categories without their own texts borrow those of "other", the last entry. */
  int texts = config->text_index[c] >= 0 ? config->text_index[c]
                                         : (int) G_N_ELEMENTS (category_texts) - 1;
  const char *problem;
  const char *place = places[g_rand_int_range (rand, 0, G_N_ELEMENTS (places))];
  const char *detail = details[g_rand_int_range (rand, 0, G_N_ELEMENTS (details))];

  problem = category_texts[texts].problems[g_rand_int_range (rand, 0, 4)];

  memset (draft, 0, sizeof *draft);
  owned->text = detail[0] != '\0' ? g_strdup_printf ("%s %s، %s", problem, place, detail)
                                  : g_strdup_printf ("%s %s", problem, place);
  draft->text = owned->text;
  draft->category = config->categories[c];
  draft->neighbourhood = config->neighbourhoods[h];

  if (g_rand_int_range (rand, 0, 10) < 3)
    draft->street = places[10 + g_rand_int_range (rand, 0, 2)];
  if (g_rand_int_range (rand, 0, 10) < 4)
    {
      draft->has_location = TRUE;
      draft->lat = 35.700 + g_rand_double_range (rand, 0, 0.01);
      draft->lon = 51.360 + g_rand_double_range (rand, 0, 0.015);
    }

  owned->phone = NULL;
  if (g_rand_int_range (rand, 0, 10) < 6)
    {
      const char *prefix = mobile_prefixes[g_rand_int_range (rand, 0,
                                                              G_N_ELEMENTS (mobile_prefixes))];

      owned->phone = g_strdup_printf ("%s%07u", prefix,
                                      (guint) g_rand_int_range (rand, 0, 10000000));
      draft->phone = owned->phone;
    }
  if (g_rand_int_range (rand, 0, 10) < 3)
    draft->name = names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))];

  draft->hazard = g_rand_int_range (rand, 0, 100) < 5;
  draft->answers.blocks_road = g_rand_int_range (rand, 0, 100) < 5;
  draft->channel = (PayamChannel) g_rand_int_range (rand, PAYAM_CHANNEL_KIOSK,
                                                    PAYAM_CHANNEL_PHONE + 1);

  /* One request every 20 seconds before the base time, oldest first. */
  *created_at = g_date_time_add_seconds (base, (double) n * 20.0);
  draft->created_at = *created_at;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return 0;
  return (gint64) st.st_size;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GDateTime) base = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  Config config = { 0 };
  gint64 count = 1000000;
  gint64 batch = 10000;
  gint64 seed = 137;
  gboolean keep = FALSE;
  gint64 outbox, store_us = 0, started, db_bytes, wal_bytes;
  PayamRequestDraft *drafts;
  Owned *owned;
  GDateTime **times;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT64, &count, "Requests to insert (default 1000000)", "N" },
    { "batch", 'b', 0, G_OPTION_ARG_INT64, &batch,
      "Requests per transaction (default 10000)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 137)", "N" },
    { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &parent,
      "Make the database under DIR (default: the temporary folder)", "DIR" },
    { "keep", 'k', 0, G_OPTION_ARG_NONE, &keep, "Keep the database and print its path", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Insert requests through payam_store_add_request in batched "
                                "transactions and print requests per second, disk bytes per "
                                "request and outbox rows.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-store: %s\n", error->message);
      return 2;
    }
  if (count <= 0 || batch <= 0)
    {
      g_printerr ("bench-store: --count and --batch must be positive\n");
      return 2;
    }

  if (parent != NULL)
    {
      g_autofree char *template = g_build_filename (parent, "payam-bench-XXXXXX", NULL);

      dir = g_mkdtemp (g_steal_pointer (&template));
      if (dir == NULL)
        {
          g_printerr ("bench-store: cannot make a folder under %s\n", parent);
          return 1;
        }
    }
  else
    dir = g_dir_make_tmp ("payam-bench-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("bench-store: %s\n", error->message);
      return 1;
    }
  path = g_build_filename (dir, "bench.db", NULL);
  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);

  store = payam_store_open (path, &error);
  if (store == NULL || !payam_store_load_defaults (store, &error)
      || !config_load (&config, store, &error))
    {
      g_printerr ("bench-store: %s\n", error->message);
      return 1;
    }
  payam_store_set_actor (store, "bench-store");

  rand = g_rand_new_with_seed ((guint32) seed);
  base = g_date_time_new_utc (2025, 1, 1, 0, 0, 0);
  drafts = g_new0 (PayamRequestDraft, batch);
  owned = g_new0 (Owned, batch);
  times = g_new0 (GDateTime *, batch);

  g_print ("bench-store: %" G_GINT64_FORMAT " requests in transactions of %" G_GINT64_FORMAT
           ", database %s\n", count, batch, path);
  started = g_get_monotonic_time ();

  for (gint64 done = 0; done < count; )
    {
      gint64 n = MIN (batch, count - done);
      gint64 t0;

      /* Make the batch first, so that only the store is timed. */
      for (gint64 i = 0; i < n; i++)
        make_draft (&config, rand, base, (guint64) (done + i), &drafts[i], &owned[i], &times[i]);

      t0 = g_get_monotonic_time ();
      if (!payam_store_begin (store, &error))
        break;
      for (gint64 i = 0; i < n; i++)
        {
          PayamRequest *request = payam_store_add_request (store, &drafts[i], &error);

          if (request == NULL)
            {
              g_prefix_error (&error, "request %" G_GINT64_FORMAT ": ", done + i + 1);
              break;
            }
          payam_request_free (request);
        }
      if (error != NULL)
        {
          payam_store_rollback (store);
          break;
        }
      if (!payam_store_commit (store, &error))
        break;
      store_us += g_get_monotonic_time () - t0;

      for (gint64 i = 0; i < n; i++)
        {
          g_clear_pointer (&owned[i].text, g_free);
          g_clear_pointer (&owned[i].phone, g_free);
          g_clear_pointer (&times[i], g_date_time_unref);
        }
      done += n;
    }

  for (gint64 i = 0; i < batch; i++)
    {
      g_clear_pointer (&owned[i].text, g_free);
      g_clear_pointer (&owned[i].phone, g_free);
      g_clear_pointer (&times[i], g_date_time_unref);
    }
  g_free (drafts);
  g_free (owned);
  g_free (times);
  config_clear (&config);

  if (error != NULL)
    {
      g_printerr ("bench-store: %s\n", error->message);
      return 1;
    }

  outbox = payam_store_count_outbox (store, &error);
  if (outbox < 0 || error != NULL)
    {
      g_printerr ("bench-store: %s\n", error != NULL ? error->message : "cannot count the outbox");
      return 1;
    }

  /* Closing the last connection checkpoints the WAL into the database file. */
  g_clear_object (&store);
  db_bytes = file_size (path);
  wal_bytes = file_size (wal);

  g_print ("insert:  %.3f s in the store, %.0f requests/s (one core, batches of %"
           G_GINT64_FORMAT ")\n", store_us / 1e6, count / (store_us / 1e6), batch);
  g_print ("total:   %.3f s with generating the requests\n",
           (g_get_monotonic_time () - started) / 1e6);
  g_print ("disk:    %" G_GINT64_FORMAT " bytes (file %" G_GINT64_FORMAT ", WAL %" G_GINT64_FORMAT
           " after checkpoint), %.1f bytes per request\n",
           db_bytes + wal_bytes, db_bytes, wal_bytes, (double) (db_bytes + wal_bytes) / count);
  g_print ("outbox:  %" G_GINT64_FORMAT " rows, %.2f per request\n",
           outbox, (double) outbox / count);

  if (keep)
    g_print ("kept:    %s\n", path);
  else
    {
      g_remove (path);
      g_remove (wal);
      g_remove (shm);
      g_rmdir (dir);
    }

  return 0;
}
