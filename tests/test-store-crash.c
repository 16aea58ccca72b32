/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crash test: a writer killed with SIGKILL at random moments loses no acknowledged request. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "payam-store.h"

#define ROUNDS         25
#define MAX_ACKS       300  /* acknowledged requests to wait for before a kill */
#define MAX_DELAY_US   3000 /* then kill at a random moment within this delay */
#define WRITER_LIMIT   100000

/* The child: insert requests one by one, each its own transaction, and acknowledge each
 * commit by writing its tracking code on stdout. Runs until killed. */
static int
run_writer (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = payam_store_open (path, &error);

  if (store == NULL || !payam_store_load_defaults (store, &error))
    {
      g_printerr ("writer: %s\n", error->message);
      return 1;
    }
  payam_store_set_actor (store, "crash-writer");

  for (guint i = 0; i < WRITER_LIMIT; i++)
    {
      PayamRequestDraft draft = {
        .text = "چالهٔ بزرگ در کوچه، خطر برای موتورسوارها",
        .category = i % 2 == 0 ? "asphalt" : "waste",
        .neighbourhood = i % 3 == 0 ? "daryan-e-no" : "tohid",
        .phone = "09121234567",
        .channel = PAYAM_CHANNEL_KIOSK,
      };
      g_autoptr(PayamRequest) request = payam_store_add_request (store, &draft, &error);
      g_autofree char *line = NULL;
      gsize len, done = 0;

      if (request == NULL)
        {
          g_printerr ("writer: %s\n", error->message);
          return 1;
        }
      /* The acknowledgement: only after the commit returned. */
      line = g_strconcat (request->tracking_code, "\n", NULL);
      len = strlen (line);
      while (done < len)
        {
          ssize_t n = write (STDOUT_FILENO, line + done, len - done);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            return 1;
          done += n;
        }
    }
  return 0;
}

typedef struct {
  GPid     pid;
  int      out;
  GString *pending;
} Writer;

/* Read what the writer wrote; add every complete line to @acked. FALSE at end of file. */
static gboolean
read_acks (Writer    *w,
           GPtrArray *acked,
           guint     *count)
{
  char buf[4096];
  ssize_t n;
  char *nl;

  do
    n = read (w->out, buf, sizeof buf);
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    return FALSE;
  g_string_append_len (w->pending, buf, n);
  while ((nl = strchr (w->pending->str, '\n')) != NULL)
    {
      g_ptr_array_add (acked, g_strndup (w->pending->str, nl - w->pending->str));
      g_string_erase (w->pending, 0, nl - w->pending->str + 1);
      (*count)++;
    }
  return TRUE;
}

static void
test_crash (void **state)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = g_dir_make_tmp ("payam-crash-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "payam.db", NULL);
  g_autoptr(GPtrArray) acked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1405);
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = NULL;
  PayamStoreStats stats;

  assert_non_null (self_exe);
  assert_non_null (dir);

  for (guint round = 0; round < ROUNDS; round++)
    {
      const char *argv[] = { self_exe, "--writer", path, NULL };
      Writer w = { 0 };
      guint target = g_rand_int_range (rand, 1, MAX_ACKS + 1);
      guint count = 0;
      int status = 0;

      if (!g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                     NULL, NULL, &w.pid, NULL, &w.out, NULL, &error))
        fail_msg ("spawn: %s", error->message);
      w.pending = g_string_new (NULL);

      while (count < target)
        if (!read_acks (&w, acked, &count))
          fail_msg ("round %u: the writer stopped after %u requests", round, count);

      g_usleep (g_rand_int_range (rand, 0, MAX_DELAY_US));
      assert_int_equal (kill (w.pid, SIGKILL), 0);

      /* Codes acknowledged before the kill may still be in the pipe. */
      while (read_acks (&w, acked, &count))
        ;
      assert_int_equal (waitpid (w.pid, &status, 0), w.pid);
      assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
      g_spawn_close_pid (w.pid);
      close (w.out);
      g_string_free (w.pending, TRUE);
    }

  store = payam_store_open (path, &error);
  if (store == NULL)
    fail_msg ("reopen: %s", error->message);
  if (!payam_store_check_integrity (store, &error))
    fail_msg ("integrity: %s", error->message);

  for (guint i = 0; i < acked->len; i++)
    {
      g_autoptr(PayamRequest) request = payam_store_find_by_tracking_code (store,
                                                                           acked->pdata[i],
                                                                           &error);
      if (request == NULL)
        fail_msg ("acknowledged code %s lost: %s", (char *)acked->pdata[i], error->message);
    }

  /* At most one commit per round can have landed without its acknowledgement; and each
   * request's outbox op committed with it. */
  assert_true (payam_store_get_stats (store, &stats, &error));
  assert_true (stats.total >= (gint64)acked->len);
  assert_true (stats.total <= (gint64)acked->len + ROUNDS);
  assert_int_equal (stats.outbox, stats.total);
  print_message ("# %u rounds, %u acknowledged, %" G_GINT64_FORMAT " stored\n", ROUNDS,
                 acked->len, stats.total);

  g_clear_object (&store);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);
        g_unlink (file);
      }
    g_rmdir (dir);
  }
}

int
main (int    argc,
      char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_crash),
  };

  if (argc == 3 && g_str_equal (argv[1], "--writer"))
    return run_writer (argv[2]);

  return cmocka_run_group_tests_name ("store-crash", tests, NULL, NULL);
}
