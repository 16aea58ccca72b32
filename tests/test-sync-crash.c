/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crash test: a client killed (SIGKILL) at random points of its writes and sync rounds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "payam-store-private.h"
#include "payam-store-sync.h"

/* Cycles in the default suite; the slow suite passes "--cycles N" (or PAYAM_CRASH_CYCLES). */
static guint n_cycles = 200;

typedef enum {
  KILL_NONE,
  KILL_AT_COMMIT,     /* inside the Nth commit of the device's database */
  KILL_AFTER_STMT,    /* right after the Nth statement on it */
  KILL_AFTER_DELETE,  /* after "DELETE FROM outbox", before its commit */
  KILL_AFTER_CURSOR,  /* after the pull cursor is written, before the page commits */
  N_KILLS
} KillMode;

typedef struct {
  KillMode mode;
  guint    target;
  guint    count;
} Killer;

static int
commit_hook (void *data)
{
  Killer *k = data;

  if (k->mode == KILL_AT_COMMIT && ++k->count == k->target)
    raise (SIGKILL);
  return 0;
}

static int
trace_hook (unsigned  type,
            void     *data,
            void     *stmt,
            void     *unused)
{
  Killer *k = data;
  const char *sql = sqlite3_sql (stmt);

  if (k->mode == KILL_AFTER_STMT && ++k->count == k->target)
    raise (SIGKILL);
  if (sql == NULL)
    return 0;
  if (k->mode == KILL_AFTER_DELETE && g_str_has_prefix (sql, "DELETE FROM outbox") &&
      ++k->count == k->target)
    raise (SIGKILL);
  if (k->mode == KILL_AFTER_CURSOR && g_str_has_prefix (sql, "INSERT INTO meta") &&
      sqlite3_stmt_busy (stmt) == 0 && strstr (sql, "?1") != NULL && ++k->count == k->target)
    raise (SIGKILL);
  return 0;
}

static GDateTime *
clock_of (gpointer data)
{
  const gint64 *ms = data;
  g_autoptr(GDateTime) second = g_date_time_new_from_unix_utc (*ms / 1000);

  return g_date_time_add (second, (*ms % 1000) * 1000);
}

/* One full round of a client: push everything (acknowledged after the reply), then pull to
 * the end. */
static gboolean
sync_round (PayamStore  *device,
            PayamStore  *server,
            gint64       now_ms,
            GError     **error)
{
  gboolean more = TRUE;

  for (;;)
    {
      g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (device, 0, 4, error);
      g_autoptr(PayamSyncPushReply) reply = NULL;

      if (ops == NULL)
        return FALSE;
      if (ops->len == 0)
        break;
      if (!payam_store_sync_push (server, payam_store_get_device_id (device),
                                  PAYAM_ROLE_OFFICE, NULL, ops, now_ms, &reply, error) ||
          !payam_store_sync_ack (device, reply->acked_through, reply->results, reply->server_hlc, error))
        return FALSE;
    }
  while (more)
    {
      gint64 cursor = payam_store_sync_get_cursor (device, error);
      gint64 next;
      g_autoptr(GPtrArray) page = NULL;

      if (cursor < 0)
        return FALSE;
      page = payam_store_sync_pull (server, PAYAM_ROLE_OFFICE, NULL, cursor, 3, &next, &more,
                                    error);
      if (page == NULL || !payam_store_sync_apply_page (device, page, next, now_ms, error))
        return FALSE;
    }
  return TRUE;
}

/* Some writes: a request, a move, an edit. */
static gboolean
write_some (PayamStore  *device,
            GRand       *rand,
            GError     **error)
{
  PayamRequestDraft draft = {
    .text = "چاله در خیابان",
    .category = "asphalt",
    .neighbourhood = "tohid",
    .channel = PAYAM_CHANNEL_OFFICE,
  };
  g_autoptr(PayamRequest) r = payam_store_add_request (device, &draft, error);
  g_autofree char *text = NULL;

  if (r == NULL)
    return FALSE;
  if (g_rand_boolean (rand) &&
      !payam_store_set_status (device, r->id, PAYAM_STATUS_TRIAGED, PAYAM_ROLE_OFFICE, NULL,
                               error))
    return FALSE;
  text = g_strdup_printf ("\"ویرایش %u\"", g_rand_int (rand));
  return payam_store_sync_set_field (device, "request", r->id, "text", text, error);
}

/* The child: open both stores, arm the killer, write, sync; exits 0 when nothing killed it. */
static void G_GNUC_NORETURN
client (const char *device_path,
        const char *server_path,
        guint       cycle,
        gint64      now_ms)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (cycle * 7919 + 1);
  g_autoptr(GError) error = NULL;
  PayamStore *device = payam_store_open (device_path, &error);
  PayamStore *server = device != NULL ? payam_store_open (server_path, &error) : NULL;
  Killer killer = { 0 };

  if (server == NULL)
    {
      g_printerr ("client: %s\n", error->message);
      _exit (2);
    }
  payam_store_set_now_func (device, clock_of, &now_ms);
  payam_store_set_now_func (server, clock_of, &now_ms);
  killer.mode = g_rand_int_range (rand, 0, N_KILLS);
  killer.target = g_rand_int_range (rand, 1, killer.mode == KILL_AFTER_STMT ? 120 : 6);
  sqlite3_commit_hook (device->db, commit_hook, &killer);
  sqlite3_trace_v2 (device->db, SQLITE_TRACE_PROFILE, trace_hook, &killer);

  if (!write_some (device, rand, &error) || !sync_round (device, server, now_ms, &error) ||
      !write_some (device, rand, &error) || !sync_round (device, server, now_ms, &error))
    {
      g_printerr ("client: %s\n", error->message);
      _exit (3);
    }
  _exit (0);
}

static gint64
query_int (PayamStore *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  assert_int_equal (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
requests_hash (PayamStore *store)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  assert_int_equal (sqlite3_prepare_v2 (store->db, "SELECT id, text, status, status_epoch "
                                        "FROM request ORDER BY id", -1, &stmt, NULL),
                    SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int c = 0; c < 4; c++)
      {
        const char *text = (const char *) sqlite3_column_text (stmt, c);

        g_checksum_update (sum, (const guchar *) (text != NULL ? text : "\\N"), -1);
        g_checksum_update (sum, (const guchar *) "\x1f", 1);
      }
  sqlite3_finalize (stmt);
  return g_strdup (g_checksum_get_string (sum));
}

static void
test_crash_cycles (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payam-sync-crash-XXXXXX", &error);
  g_autofree char *device_path = g_build_filename (dir, "device.db", NULL);
  g_autofree char *server_path = g_build_filename (dir, "server.db", NULL);
  g_autoptr(GHashTable) written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *device_id = NULL;
  g_autofree char *device_hash = NULL;
  g_autofree char *server_hash = NULL;
  gint64 now_ms = G_GINT64_CONSTANT (1795000000000);
  guint killed = 0;
  gint64 n_ops, last_seq, next_seq;

  assert_non_null (dir);
  {
    g_autoptr(PayamStore) device = payam_store_open (device_path, &error);
    g_autoptr(PayamStore) server = payam_store_open (server_path, &error);

    assert_non_null (device);
    assert_non_null (server);
    assert_true (payam_store_load_defaults (device, &error));
    assert_true (payam_store_load_defaults (server, &error));
    assert_true (payam_store_set_device_prefix (device, 12, &error));
    device_id = g_strdup (payam_store_get_device_id (device));
  }

  for (guint cycle = 1; cycle <= n_cycles; cycle++)
    {
      pid_t pid;
      int status = 0;

      now_ms += 1000;
      pid = fork ();
      assert_true (pid >= 0);
      if (pid == 0)
        client (device_path, server_path, cycle, now_ms);
      assert_int_equal (waitpid (pid, &status, 0), pid);
      if (WIFSIGNALED (status))
        {
          assert_int_equal (WTERMSIG (status), SIGKILL);
          killed++;
        }
      else if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        fail_msg ("cycle %u: the client failed (status %d)", cycle, status);

      /* Whatever the device committed and has not yet had acknowledged is in its outbox. */
      {
        g_autoptr(PayamStore) device = payam_store_open (device_path, &error);
        g_autoptr(GPtrArray) ops = NULL;

        if (device == NULL)
          fail_msg ("cycle %u: reopening: %s", cycle, error->message);
        assert_true (payam_store_check_integrity (device, &error));
        ops = payam_store_sync_list_outbox (device, 0, 0, &error);
        assert_non_null (ops);
        for (guint i = 0; i < ops->len; i++)
          g_hash_table_add (written, g_strdup (((PayamOp *) g_ptr_array_index (ops, i))->op_id));
      }
    }

  /* A last quiet round, then: every op the device ever committed is logged exactly once. */
  {
    g_autoptr(PayamStore) device = payam_store_open (device_path, &error);
    g_autoptr(PayamStore) server = payam_store_open (server_path, &error);
    GHashTableIter iter;
    gpointer op_id;

    assert_non_null (device);
    assert_non_null (server);
    payam_store_set_now_func (device, clock_of, &now_ms);
    payam_store_set_now_func (server, clock_of, &now_ms);
    if (!sync_round (device, server, now_ms, &error))
      fail_msg ("last round: %s", error->message);
    assert_int_equal (payam_store_count_outbox (device, &error), 0);
    assert_true (payam_store_check_integrity (server, &error));

    /* The device numbered its ops 1 … next - 1 without holes; the log holds exactly those. */
    next_seq = query_int (device, "SELECT value FROM meta WHERE key = 'next_device_seq'");
    n_ops = query_int (server, "SELECT count(*) FROM sync_log");
    last_seq = query_int (server, "SELECT max(device_seq) FROM sync_log");
    assert_int_equal (n_ops, next_seq - 1);
    assert_int_equal (last_seq, next_seq - 1);
    assert_int_equal (query_int (server, "SELECT count(DISTINCT op_id) FROM sync_log"), n_ops);
    assert_int_equal (query_int (server, "SELECT count(*) FROM sync_log "
                                         "WHERE result = 'rejected'"), 0);
    g_hash_table_iter_init (&iter, written);
    while (g_hash_table_iter_next (&iter, &op_id, NULL))
      {
        sqlite3_stmt *stmt = NULL;

        assert_int_equal (sqlite3_prepare_v2 (server->db, "SELECT 1 FROM sync_log "
                                              "WHERE op_id = ?1", -1, &stmt, NULL), SQLITE_OK);
        sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) != SQLITE_ROW)
          fail_msg ("op %s was lost", (const char *) op_id);
        sqlite3_finalize (stmt);
      }
    device_hash = requests_hash (device);
    server_hash = requests_hash (server);
    assert_string_equal (device_hash, server_hash);
    /* Pulls never echoed anything into the outbox. */
    assert_int_equal (payam_store_count_outbox (device, &error), 0);
    g_print ("# %u cycles, %u killed, %" G_GINT64_FORMAT " ops logged once each\n", n_cycles,
             killed, n_ops);
    assert_true (killed > 0 && killed >= n_cycles / 4);
    assert_true (n_ops > n_cycles);
  }

  g_remove (device_path);
  g_remove (server_path);
  {
    g_autofree char *wal = NULL;

    for (guint i = 0; i < 2; i++)
      {
        const char *base = i == 0 ? device_path : server_path;

        g_free (wal);
        wal = g_strconcat (base, "-wal", NULL);
        g_remove (wal);
        g_free (wal);
        wal = g_strconcat (base, "-shm", NULL);
        g_remove (wal);
      }
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_crash_cycles),
  };
  const char *env = g_getenv ("PAYAM_CRASH_CYCLES");

  if (env != NULL)
    n_cycles = (guint) g_ascii_strtoull (env, NULL, 10);
  for (int i = 1; i + 1 < argc; i++)
    if (strcmp (argv[i], "--cycles") == 0)
      n_cycles = (guint) g_ascii_strtoull (argv[i + 1], NULL, 10);
  return cmocka_run_group_tests_name ("sync-crash", tests, NULL, NULL);
}
