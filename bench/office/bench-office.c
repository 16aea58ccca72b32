/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-office: the office's queues and search on a large store (issue #13): opening a queue
 * and reading a page, search by tracking code, by phone and by words, resident memory. */
#define G_LOG_DOMAIN "payam-bench"
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "payam-phone.h"
#include "payam-queue-item.h"
#include "payam-queue-model.h"
#include "payam-store-queues.h"
#include "payam-store.h"
#include "payam-text.h"
#include "payam-tracking.h"

/* A sample of stored requests to search for, taken evenly through the store. */
typedef struct {
  GPtrArray *codes;   /* canonical tracking codes */
  GPtrArray *phones;  /* normalised phones */
  GPtrArray *words;   /* two words of the text */
  guint64    seen;
  guint64    every;
} Sample;

static gboolean
sample_request (const PayamRequest *request,
                gpointer            user_data)
{
  Sample *s = user_data;

  if (s->seen++ % s->every != 0)
    return TRUE;
  g_ptr_array_add (s->codes, g_strdup (request->tracking_code));
  if (request->phone != NULL)
    g_ptr_array_add (s->phones, g_strdup (request->phone));
  {
    g_auto(GStrv) words = g_strsplit (request->text_norm, " ", -1);
    guint n = g_strv_length (words);

    if (n >= 2)
      {
        guint i = (guint) (s->seen % (n - 1));

        g_ptr_array_add (s->words, g_strdup_printf ("%s %s", words[i], words[i + 1]));
      }
  }
  return TRUE;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Print p50, p99 and max (ms) of @times, and whether p99 is within @target_ms. */
static void
report (const char *what,
        GArray     *times,
        double      target_ms)
{
  double p50, p99, max;

  if (times->len == 0)
    {
      g_print ("%-34s no samples\n", what);
      return;
    }
  g_array_sort (times, compare_double);
  p50 = g_array_index (times, double, times->len / 2);
  p99 = g_array_index (times, double, MIN (times->len - 1, (guint) (times->len * 0.99)));
  max = g_array_index (times, double, times->len - 1);
  g_print ("%-34s n=%-5u p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (target p99 ≤ %.0f ms: %s)\n",
           what, times->len, p50, p99, max, target_ms, p99 <= target_ms ? "met" : "NOT met");
}

/* Resident memory now and at its peak, in MiB (Linux /proc/self/status). */
static void
print_memory (const char *when)
{
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;
  double rss = 0, hwm = 0;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "VmRSS:"))
        rss = g_ascii_strtod (lines[i] + 6, NULL) / 1024.0;
      else if (g_str_has_prefix (lines[i], "VmHWM:"))
        hwm = g_ascii_strtod (lines[i] + 6, NULL) / 1024.0;
    }
  g_print ("resident memory %-22s %.1f MiB (peak %.1f MiB)\n", when, rss, hwm);
}

/* Time one search of @query; it must find @must_find (a tracking code) when not NULL. */
static double
time_search (PayamStore *store,
             const char *query,
             const char *must_find,
             guint      *misses)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gint64 t0 = g_get_monotonic_time ();
  double ms;
  gboolean hit = must_find == NULL;

  items = payam_store_search (store, query, 50, &error);
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  if (items == NULL)
    {
      g_printerr ("bench-office: search «%s»: %s\n", query, error->message);
      (*misses)++;
      return ms;
    }
  for (guint i = 0; !hit && i < items->len; i++)
    hit = g_strcmp0 (payam_queue_item_get_tracking_code (g_ptr_array_index (items, i)),
                     must_find) == 0;
  if (!hit)
    (*misses)++;
  return ms;
}

/* A phone as people type it: "0912 123 4567" or "+98 912-123-4567", in Persian digits
 * every other time. */
static char *
typed_phone (const char *phone,
             guint       i)
{
  g_autofree char *spaced = NULL;

  if (strlen (phone) != 11)
    return g_strdup (phone);
  if (i % 2 == 0)
    spaced = g_strdup_printf ("%.4s %.3s %.4s", phone, phone + 4, phone + 7);
  else
    spaced = g_strdup_printf ("+98 %.3s-%.3s-%.4s", phone + 1, phone + 4, phone + 7);
  return i % 4 < 2 ? payam_text_digits_to_persian (spaced) : g_steal_pointer (&spaced);
}

/* Give the store at @path an office's mix of statuses (bench-store registers everything):
 * of every 100 requests 1 stays new, 1 is triaged, 2 are in progress, the rest closed.
 * Straight SQL on the bench's own copy, with the store closed. */
static gboolean
apply_mix (const char  *path,
           GError     **error)
{
  sqlite3 *db = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK ||
      sqlite3_exec (db, "UPDATE request SET status = CASE rowid % 100 WHEN 0 THEN 'registered'"
                        " WHEN 1 THEN 'triaged' WHEN 2 THEN 'in_progress'"
                        " WHEN 3 THEN 'in_progress' ELSE 'closed' END;", NULL, NULL, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_SQL, "%s", sqlite3_errmsg (db));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_close (db);
  return TRUE;
}

/* Open @queue's model and read its first page, @rounds times; then a page in the middle. */
static void
bench_queue (PayamStore *store,
             PayamQueue  queue,
             guint       rounds)
{
  g_autoptr(GArray) open_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) deep_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) next_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *next_label = NULL;
  g_autofree char *label = NULL;
  g_autofree char *deep_label = NULL;
  guint n = 0;

  for (guint r = 0; r < rounds; r++)
    {
      g_autoptr(GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(PayamQueueModel) model = payam_queue_model_new (store, queue, &error);
      double ms;

      if (model == NULL)
        {
          g_printerr ("bench-office: %s\n", error->message);
          return;
        }
      n = g_list_model_get_n_items (G_LIST_MODEL (model));
      /* What a view shows first: the rows of one screen. */
      for (guint i = 0; i < MIN (n, 40u); i++)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (open_times, ms);

      if (n > PAYAM_QUEUE_MODEL_PAGE_SIZE)
        {
          guint position = (guint) (((guint64) n * (r + 1)) / (rounds + 1));

          t0 = g_get_monotonic_time ();
          g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), position));
          ms = (g_get_monotonic_time () - t0) / 1000.0;
          g_array_append_val (deep_times, ms);

          /* Scrolling on from there: the next page (read after the held one's last row). */
          if (position - position % PAYAM_QUEUE_MODEL_PAGE_SIZE + 2 * PAYAM_QUEUE_MODEL_PAGE_SIZE
              <= n)
            {
              guint next = position - position % PAYAM_QUEUE_MODEL_PAGE_SIZE
                           + PAYAM_QUEUE_MODEL_PAGE_SIZE;

              t0 = g_get_monotonic_time ();
              g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), next));
              ms = (g_get_monotonic_time () - t0) / 1000.0;
              g_array_append_val (next_times, ms);
            }
        }
    }
  label = g_strdup_printf ("open %s (%u rows) + first page", payam_queue_to_string (queue), n);
  report (label, open_times, 50);
  deep_label = g_strdup_printf ("  a page deep in %s", payam_queue_to_string (queue));
  report (deep_label, deep_times, 50);
  next_label = g_strdup_printf ("  the page after it (scrolling on)");
  report (next_label, next_times, 50);
}

/* Open a fresh store at @dir/@name with the defaults; without the search index's triggers
 * when @drop_fts (dropped through a second connection, as the bench's baseline). */
static PayamStore *
intake_store (const char  *dir,
              const char  *name,
              gboolean     drop_fts,
              GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(PayamStore) store = payam_store_open (path, error);
  sqlite3 *db = NULL;

  if (store == NULL || !payam_store_load_defaults (store, error))
    return NULL;
  payam_store_set_actor (store, "bench-office");
  if (drop_fts)
    {
      if (sqlite3_open (path, &db) != SQLITE_OK ||
          sqlite3_exec (db, "DROP TRIGGER request_fts_insert; DROP TRIGGER request_fts_update;"
                            "DROP TRIGGER request_fts_delete;", NULL, NULL, NULL) != SQLITE_OK)
        {
          g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_SQL, "%s", sqlite3_errmsg (db));
          sqlite3_close (db);
          return NULL;
        }
      sqlite3_close (db);
    }
  return g_steal_pointer (&store);
}

/* The cost of keeping the search index on the intake path: @n requests registered with and
 * without request_fts's triggers, in alternating batches of 1,000 so both see the same
 * machine. Prints both rates. */
static gboolean
bench_intake (gint64   n,
              GError **error)
{
  static const char *texts[] = {
    "چاله بزرگ وسط خیابان جلوی مدرسه لطفاً رسیدگی کنید",
    "لامپ تیر برق کوچه دوازدهم خاموش است و شب‌ها تاریک است",
    "زباله‌ها از دیروز جمع نشده و بوی بد همه جا را گرفته",
    "دریچه فاضلاب کنار پارک باز مانده و برای بچه‌ها خطرناک است",
    "درخت خشک شده روبه‌روی نانوایی ممکن است بیفتد",
  };
  static const char *categories[] = { "asphalt", "lighting", "waste", "surface-water",
                                      "green-space" };
  g_autofree char *dir = g_dir_make_tmp ("payam-bench-intake-XXXXXX", error);
  g_autoptr(PayamStore) with = NULL;
  g_autoptr(PayamStore) without = NULL;
  gint64 us[2] = { 0, 0 };

  if (dir == NULL ||
      (with = intake_store (dir, "with.db", FALSE, error)) == NULL ||
      (without = intake_store (dir, "without.db", TRUE, error)) == NULL)
    return FALSE;
  for (gint64 done = 0; done < n; done += 1000)
    for (guint which = 0; which < 2; which++)
      {
        PayamStore *store = which == 0 ? with : without;
        gint64 t0 = g_get_monotonic_time ();

        if (!payam_store_begin (store, error))
          return FALSE;
        for (gint64 i = done; i < MIN (n, done + 1000); i++)
          {
            g_autofree char *phone = g_strdup_printf ("0912%07" G_GINT64_FORMAT, i % 10000000);
            g_autofree char *text = g_strdup_printf ("%s %" G_GINT64_FORMAT,
                                                     texts[i % G_N_ELEMENTS (texts)], i);
            PayamRequestDraft draft = {
              .text = text, .category = categories[i % G_N_ELEMENTS (categories)],
              .neighbourhood = "tohid", .channel = PAYAM_CHANNEL_KIOSK,
              .phone = i % 2 == 0 ? phone : NULL,
            };
            PayamRequest *request = payam_store_add_request (store, &draft, error);

            if (request == NULL)
              {
                payam_store_rollback (store);
                return FALSE;
              }
            payam_request_free (request);
          }
        if (!payam_store_commit (store, error))
          return FALSE;
        us[which] += g_get_monotonic_time () - t0;
      }
  g_print ("intake with the search index    %.0f requests/s\n", n / (us[0] / 1e6));
  g_print ("intake without (triggers off)   %.0f requests/s (the index costs %.0f %%)\n",
           n / (us[1] / 1e6), 100.0 * (us[0] - us[1]) / us[1]);
  g_clear_object (&with);
  g_clear_object (&without);
  {
    const char *files[] = { "with.db", "with.db-wal", "with.db-shm", "without.db",
                            "without.db-wal", "without.db-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *file = g_build_filename (dir, files[i], NULL);

        g_unlink (file);
      }
    g_rmdir (dir);
  }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autofree char *db = NULL;
  g_autofree char *bench_store = NULL;
  g_autofree char *made_dir = NULL;
  gint64 count = 1000000;
  gint64 samples = 500;
  gint64 rounds = 20;
  gint64 intake = 20000;
  gboolean mix = FALSE;
  gint64 t0;
  Sample sample = { 0 };
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
      "An existing store (e.g. made by bench-store --keep)", "PATH" },
    { "bench-store", 0, 0, G_OPTION_ARG_FILENAME, &bench_store,
      "Make the store first with this bench-store binary", "PATH" },
    { "count", 'n', 0, G_OPTION_ARG_INT64, &count,
      "Requests bench-store makes (default 1000000)", "N" },
    { "samples", 0, 0, G_OPTION_ARG_INT64, &samples,
      "Searches of each kind (default 500)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT64, &rounds,
      "Times each queue is opened (default 20)", "N" },
    { "mix", 0, 0, G_OPTION_ARG_NONE, &mix,
      "Then give the store an office's mix of statuses (97 % closed; CHANGES the store) "
      "and time the queues again", NULL },
    { "intake", 0, 0, G_OPTION_ARG_INT64, &intake,
      "Requests registered with and without the search index (default 20000; 0: none)",
      "N" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "Time the office's queues and search on a store of "
                                         "bench-store's generated requests.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-office: %s\n", error->message);
      return 2;
    }
  if ((db == NULL) == (bench_store == NULL) || samples <= 0 || rounds <= 0 || count <= 0 ||
      intake < 0)
    {
      g_printerr ("bench-office: give --db PATH or --bench-store PATH; counts positive\n");
      return 2;
    }

  if (bench_store != NULL)
    {
      g_autofree char *count_text = g_strdup_printf ("%" G_GINT64_FORMAT, count);
      g_autofree char *out = NULL;
      int wait_status = 0;
      const char *spawn_argv[] = { bench_store, "--count", count_text, "--keep", "--dir",
                                   NULL, NULL };

      made_dir = g_dir_make_tmp ("payam-bench-office-XXXXXX", &error);
      if (made_dir == NULL)
        {
          g_printerr ("bench-office: %s\n", error->message);
          return 1;
        }
      spawn_argv[5] = made_dir;
      t0 = g_get_monotonic_time ();
      if (!g_spawn_sync (NULL, (char **) spawn_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                         NULL, &wait_status, &error) ||
          !g_spawn_check_wait_status (wait_status, &error))
        {
          g_printerr ("bench-office: bench-store: %s\n", error->message);
          return 1;
        }
      g_print ("%s", out);
      g_print ("store made in %.1f s\n", (g_get_monotonic_time () - t0) / 1e6);
      {
        /* bench-store --keep prints the database's path on its last line. */
        g_auto(GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);
        const char *last = lines[g_strv_length (lines) - 1];
        const char *at = strstr (last, "/");

        db = g_strdup (at != NULL ? at : last);
      }
    }

  print_memory ("at start");
  t0 = g_get_monotonic_time ();
  store = payam_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("bench-office: %s\n", error->message);
      return 1;
    }
  g_print ("open the store %s: %.1f ms\n", db, (g_get_monotonic_time () - t0) / 1000.0);
  print_memory ("after open");

  g_print ("queues as bench-store left them (every request new):\n");
  for (guint q = 0; q < PAYAM_N_QUEUES; q++)
    bench_queue (store, q, (guint) rounds);
  print_memory ("after the queues");
  if (mix)
    {
      g_clear_object (&store);
      t0 = g_get_monotonic_time ();
      if (!apply_mix (db, &error) || (store = payam_store_open (db, &error)) == NULL)
        {
          g_printerr ("bench-office: %s\n", error->message);
          return 1;
        }
      g_print ("queues with an office's mix (1 %% new, 1 %% to assign, 2 %% in progress, "
               "the rest closed; mixed in %.1f s):\n", (g_get_monotonic_time () - t0) / 1e6);
      for (guint q = 0; q < PAYAM_N_QUEUES; q++)
        bench_queue (store, q, (guint) rounds);
    }

  /* The sample: every Nth request, so it spreads over the whole store. */
  {
    PayamStoreStats stats = { 0 };

    if (!payam_store_get_stats (store, &stats, &error))
      {
        g_printerr ("bench-office: %s\n", error->message);
        return 1;
      }
    sample.codes = g_ptr_array_new_with_free_func (g_free);
    sample.phones = g_ptr_array_new_with_free_func (g_free);
    sample.words = g_ptr_array_new_with_free_func (g_free);
    sample.every = MAX (1, stats.total / samples);
    if (!payam_store_foreach_request (store, sample_request, &sample, &error))
      {
        g_printerr ("bench-office: %s\n", error->message);
        return 1;
      }
  }

  {
    g_autoptr(GArray) code_times = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) phone_times = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) word_times = g_array_new (FALSE, FALSE, sizeof (double));
    guint code_misses = 0, phone_misses = 0, word_misses = 0;

    for (guint i = 0; i < sample.codes->len; i++)
      {
        const char *code = g_ptr_array_index (sample.codes, i);
        /* Persian digits grouped, or Latin digits as printed on the receipt. */
        g_autofree char *typed = i % 2 == 0 ? payam_tracking_code_format (code) : g_strdup (code);
        double ms = time_search (store, typed, code, &code_misses);

        g_array_append_val (code_times, ms);
      }
    for (guint i = 0; i < sample.phones->len; i++)
      {
        g_autofree char *typed = typed_phone (g_ptr_array_index (sample.phones, i), i);
        double ms = time_search (store, typed, NULL, &phone_misses);

        g_array_append_val (phone_times, ms);
      }
    for (guint i = 0; i < sample.words->len; i++)
      {
        double ms = time_search (store, g_ptr_array_index (sample.words, i), NULL, &word_misses);

        g_array_append_val (word_times, ms);
      }
    report ("search by tracking code", code_times, 20);
    report ("search by phone", phone_times, 20);
    report ("search by two words", word_times, 20);
    g_print ("codes not found: %u of %u; phone searches that failed: %u; word searches that "
             "failed: %u\n", code_misses, sample.codes->len, phone_misses, word_misses);
  }
  print_memory ("at the end");
  if (intake > 0 && !bench_intake (intake, &error))
    {
      g_printerr ("bench-office: intake: %s\n", error->message);
      return 1;
    }

  g_ptr_array_unref (sample.codes);
  g_ptr_array_unref (sample.phones);
  g_ptr_array_unref (sample.words);
  if (made_dir != NULL)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };

      g_clear_object (&store);
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (db, suffixes[i], NULL);

          g_unlink (file);
        }
      {
        g_autofree char *parent = g_path_get_dirname (db);

        g_rmdir (parent);
      }
      g_rmdir (made_dir);
    }
  return 0;
}
