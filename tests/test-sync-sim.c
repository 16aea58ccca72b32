/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Deterministic sync simulator: a server, three devices and a faulty transport, seed by seed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "payam-lifecycle.h"
#include "payam-merge.h"
#include "payam-store-groups.h"
#include "payam-store-private.h"
#include "payam-store-sync-private.h"
#include "payam-store-sync.h"
#include "payam-store-worksheets.h"
#include "payam-test-kiosk.h"
#include "payam-uuid.h"
#include "sim-vfs.h"

/* Seeds in the default suite; the slow suite passes "--seeds N" (or PAYAM_SIM_SEEDS).
 * "--first F" (or PAYAM_SIM_FIRST) starts at seed F, to run one failing seed alone:
 * "--first 1873 --seeds 1". Every seed is independent of those before it. */
static guint n_seeds = 1000;
static guint first_seed = 1;

/* A kiosk, a crew's laptop and two office desks (their edits race). */
enum { KIOSK, CREW, OFFICE, OFFICE2, N_DEVICES };

static const PayamRole sync_roles[N_DEVICES] = {
  PAYAM_ROLE_KIOSK, PAYAM_ROLE_CREW, PAYAM_ROLE_OFFICE, PAYAM_ROLE_OFFICE
};

typedef struct {
  PayamStore *store;
  gint64      now_ms;
  gint64      clock_error;  /* how far its clock is off the server's (ms) */
  GPtrArray  *late_pushes;  /* of GPtrArray of PayamOp: requests held back by the network */
  GHashTable *seen;         /* request id → (epoch << 8 | rank) last seen, to catch regressions */
  char       *backup;       /* a copy of its file taken earlier (restored from later), or NULL */
  gint64      restored_at;  /* the last seq the server held when it was restored (0: never) */
} Device;

typedef struct {
  GRand      *rand;
  PayamStore *server;
  gint64      server_ms;
  GHashTable *server_seen;
  Device      devices[N_DEVICES];
  char       *crew_id;      /* the crew of device CREW */
  char       *dir;          /* work files of this seed (backups) */
  guint       conflicts;
  gboolean    trimmed;      /* the log was trimmed in this seed */
  GRand      *extra;        /* the draws of the later events, apart from the script's */
  char       *server_path;  /* the server's file when its power may be cut, else NULL */
  char       *office_public;  /* the office key pair the server opens sealed contacts with */
  char       *office_secret;
  gboolean    big_group;    /* a group of 400 or more was made in this seed */
  char       *supervisor;   /* the staff member signed in on both desks: a supervisor, so
                             * their reopens are the server's to take (issue #13 item 7) */
} Sim;

typedef struct {
  guint conflicts;
  guint dropped;
  guint duplicated;
  guint late;
  guint clock_jumps;
  guint rebased;
  guint renumbered;
  guint restored;
  guint trims;
  guint regroups;
  guint refused;
  guint power_cuts;
  guint torn_pushes;
  guint big_groups;
} Totals;

static Totals totals;

/* The events of the script beyond writes and syncs; PAYAM_SIM_EVENTS (a mask of these) runs
 * some alone, to find which one breaks a seed. */
enum {
  EVENT_CLOCK = 1 << 0,
  EVENT_RESTORE = 1 << 1,
  EVENT_TRIM = 1 << 2,
  EVENT_REGROUP = 1 << 3,
  EVENT_POWER = 1 << 4,
  EVENT_BIG_GROUP = 1 << 5,
  EVENT_ALL = (1 << 6) - 1,
};
static guint events = EVENT_ALL;
static char *work_dir;  /* backups of restored devices */

static GDateTime *
clock_of (gpointer data)
{
  const gint64 *ms = data;
  g_autoptr(GDateTime) second = g_date_time_new_from_unix_utc (*ms / 1000);

  return g_date_time_add (second, (*ms % 1000) * 1000);
}

static PayamStore *
open_store (gint64  *clock_ms,
            guint    prefix)
{
  g_autoptr(GError) error = NULL;
  PayamStore *store = payam_store_open (":memory:", &error);

  assert_non_null (store);
  payam_store_set_now_func (store, clock_of, clock_ms);
  assert_true (payam_store_load_defaults (store, &error));
  assert_true (payam_store_set_device_prefix (store, prefix, &error));
  return store;
}

/* ---- canonical contents --------------------------------------------------------------- */

/* The rows @role may see, as one checksum. */
static char *
canonical_hash (PayamStore *store,
                PayamRole   role,
                const char *visible,
                const char *crew_id)
{
  static const char *const office_queries[] = {
    "SELECT id, tracking_code, channel, category_id, text, text_norm, neighbourhood, street, "
    "landmark, lat, lon, hazard, danger_to_people, blocks_road, utilities, priority, status, "
    "status_epoch, status_reason, group_id, created_at, due_at, phone, name FROM request "
    "ORDER BY id",
    "SELECT id, lead_request_id, state, created_at FROM dup_group ORDER BY id",
    "SELECT id, request_id, kind, text, channel, state, created_at FROM notice ORDER BY id",
    "SELECT entity, row_id, hlc, device FROM tombstone ORDER BY 1, 2",
    "SELECT id, group_id, crew_id, status, due_at, created_at FROM worksheet ORDER BY id",
    "SELECT id, name, neighbourhood FROM crew ORDER BY id",
    NULL
  };
  /* A crew: the requests of its worksheets (as the server sees them: ?1 lists their ids)
   * without the phone, which it gets masked, and its worksheets (?2 is the crew). */
  static const char *const crew_queries[] = {
    "SELECT id, tracking_code, channel, category_id, text, neighbourhood, street, landmark, "
    "priority, status, status_epoch, status_reason, group_id, created_at, due_at, name "
    "FROM request WHERE instr (?1, id) > 0 ORDER BY id",
    "SELECT id, group_id, crew_id, status, due_at, created_at FROM worksheet "
    "WHERE crew_id = ?2 ORDER BY id",
    "SELECT id, name, neighbourhood FROM crew ORDER BY id",
    NULL
  };
  /* A kiosk: the public face of every request, never a status reason (issue #10). */
  static const char *const kiosk_queries[] = {
    "SELECT id, tracking_code, channel, category_id, neighbourhood, priority, status, "
    "status_epoch, created_at, due_at, public_text FROM request ORDER BY id",
    NULL
  };
  const char *const *queries = role == PAYAM_ROLE_KIOSK ? kiosk_queries
                              : role == PAYAM_ROLE_CREW ? crew_queries : office_queries;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint q = 0; queries[q] != NULL; q++)
    {
      sqlite3_stmt *stmt = NULL;

      assert_int_equal (sqlite3_prepare_v2 (store->db, queries[q], -1, &stmt, NULL), SQLITE_OK);
      if (sqlite3_bind_parameter_count (stmt) >= 1)
        sqlite3_bind_text (stmt, 1, visible, -1, SQLITE_STATIC);
      if (sqlite3_bind_parameter_count (stmt) >= 2)
        sqlite3_bind_text (stmt, 2, crew_id, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const char *text = (const char *) sqlite3_column_text (stmt, c);

              g_checksum_update (sum, (const guchar *) (text != NULL ? text : "\\N"), -1);
              if (g_getenv ("PAYAM_SIM_DUMP") != NULL)
                g_printerr ("%s|", text != NULL ? text : "\\N");
              g_checksum_update (sum, (const guchar *) "\x1f", 1);
            }
          g_checksum_update (sum, (const guchar *) "\n", 1);
          if (g_getenv ("PAYAM_SIM_DUMP") != NULL)
            g_printerr ("\n");
        }
      sqlite3_finalize (stmt);
      g_checksum_update (sum, (const guchar *) "\x1e", 1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

/* The ids of the requests the crew's worksheets serve, on @server, as one string. */
static char *
crew_requests (PayamStore *server,
               const char *crew_id)
{
  sqlite3_stmt *stmt = NULL;
  GString *ids = g_string_new (NULL);

  assert_int_equal (sqlite3_prepare_v2 (server->db, "SELECT r.id FROM request r "
                                        "JOIN worksheet w ON w.group_id = r.group_id "
                                        "WHERE w.crew_id = ?1 ORDER BY r.id", -1, &stmt, NULL),
                    SQLITE_OK);
  sqlite3_bind_text (stmt, 1, crew_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (ids, "%s ", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return g_string_free (ids, FALSE);
}

/* No request's (epoch, rank) ever falls on @store. */
static void
check_monotonic (PayamStore *store,
                 GHashTable *seen,
                 guint       seed)
{
  sqlite3_stmt *stmt = NULL;

  assert_int_equal (sqlite3_prepare_v2 (store->db, "SELECT id, status, status_epoch FROM request",
                                        -1, &stmt, NULL), SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      PayamStatus status;
      gint64 point, *before;

      assert_true (payam_status_from_string ((const char *) sqlite3_column_text (stmt, 1),
                                             &status));
      /* The lattice point: epoch, then the rank in the one order of outcomes. */
      point = (sqlite3_column_int64 (stmt, 2) << 8) |
              payam_merge_outcome_rank (payam_status_to_string (status));
      before = g_hash_table_lookup (seen, id);
      if (before != NULL && point < *before)
        fail_msg ("seed %u: request %s went back from %" G_GINT64_FORMAT " to %"
                  G_GINT64_FORMAT, seed, id, *before, point);
      if (before == NULL)
        g_hash_table_insert (seen, g_strdup (id), g_memdup2 (&point, sizeof point));
      else
        *before = point;
    }
  sqlite3_finalize (stmt);
}

/* ---- the network ------------------------------------------------------------------------ */

/* Deliver @ops to the server for device @i; the reply reaches the device unless @drop_reply.
 * Like a sync round, the device takes the server's time from the reply (re-basing a clock
 * run ahead) and renumbers its outbox when the server says its seqs are not what it holds. */
static void
deliver_push (Sim       *sim,
              guint      i,
              GPtrArray *ops,
              gboolean   drop_reply,
              guint      seed)
{
  Device *d = &sim->devices[i];
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean rebased = FALSE;

  if (!payam_store_sync_push (sim->server, payam_store_get_device_id (d->store), sync_roles[i],
                              i == CREW ? sim->crew_id : NULL, ops, sim->server_ms, &reply,
                              &error))
    {
      if (!g_error_matches (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_GAP) &&
          !g_error_matches (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_REUSED))
        fail_msg ("seed %u: push failed: %s", seed, error->message);
      if (drop_reply)
        return;
      /* A late, stale request is answered with a gap or a reused seq too: only renumber
       * when the outbox itself does not start where the server expects. */
      {
        g_autoptr(GPtrArray) outbox = payam_store_sync_list_outbox (d->store, 0, 1, NULL);

        if (outbox->len > 0 &&
            ((PayamOp *) outbox->pdata[0])->device_seq != reply->expected_seq &&
            (g_error_matches (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_REUSED) ||
             ((PayamOp *) outbox->pdata[0])->device_seq ==
             ((PayamOp *) ops->pdata[0])->device_seq))
          {
            g_clear_error (&error);
            if (!payam_store_sync_ack (d->store, reply->acked_through, NULL, 0, &error) ||
                !payam_store_sync_renumber (d->store, reply->expected_seq,
                                              reply->server_hlc, &error))
              fail_msg ("seed %u: renumber failed: %s", seed, error->message);
            totals.renumbered++;
            /* What the network still holds was numbered the old way. */
            g_ptr_array_set_size (d->late_pushes, 0);
          }
      }
      return;
    }
  for (guint k = 0; k < reply->results->len; k++)
    {
      PayamSyncOpResult *r = &g_array_index (reply->results, PayamSyncOpResult, k);

      if (r->result == PAYAM_SYNC_RESULT_REJECTED && r->device_seq <= reply->acked_through)
        totals.refused++;
      if (r->result == PAYAM_SYNC_RESULT_CONFLICT)
        sim->conflicts++;
    }
  check_monotonic (sim->server, sim->server_seen, seed);
  if (drop_reply)
    return;
  if (!payam_store_sync_ack (d->store, reply->acked_through, reply->results, reply->server_hlc,
                             &error) ||
      !payam_store_sync_observe_server_time (d->store, reply->server_time,
                                             reply->acked_through, &rebased, &error))
    fail_msg ("seed %u: ack failed: %s", seed, error->message);
  if (rebased)
    {
      totals.rebased++;
      g_ptr_array_set_size (d->late_pushes, 0);
    }
}

static void
push (Sim      *sim,
      guint     i,
      gboolean  faults,
      guint     seed)
{
  Device *d = &sim->devices[i];
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  guint limit = faults ? (guint) g_rand_int_range (sim->rand, 1, 8) : 0;

  ops = payam_store_sync_list_outbox (d->store, 0, limit, &error);
  assert_non_null (ops);
  if (ops->len == 0)
    return;
  if (faults)
    {
      double p = g_rand_double (sim->rand);

      if (p < 0.15)
        {
          totals.dropped++;
          return;  /* the request is lost */
        }
      if (p < 0.25)
        {
          /* Held back by the network: delivered later, after newer ones. */
          totals.late++;
          g_ptr_array_add (d->late_pushes, g_ptr_array_ref (ops));
          return;
        }
      if (p < 0.40)
        {
          totals.dropped++;
          deliver_push (sim, i, ops, TRUE, seed);  /* the server commits, the reply is lost */
          return;
        }
      if (p < 0.50)
        {
          totals.duplicated++;
          deliver_push (sim, i, ops, TRUE, seed);
        }
    }
  deliver_push (sim, i, ops, FALSE, seed);
}

/* Deliver a held-back request (its reply may be lost too). */
static void
push_late (Sim   *sim,
           guint  i,
           guint  seed)
{
  Device *d = &sim->devices[i];
  g_autoptr(GPtrArray) ops = NULL;

  if (d->late_pushes->len == 0)
    return;
  ops = g_ptr_array_steal_index (d->late_pushes,
                                 g_rand_int_range (sim->rand, 0, d->late_pushes->len));
  deliver_push (sim, i, ops, g_rand_boolean (sim->rand), seed);
}

/* One pull page; returns whether the server has more. */
static gboolean
pull (Sim      *sim,
      guint     i,
      gboolean  faults,
      guint     seed)
{
  Device *d = &sim->devices[i];
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  gint64 cursor = payam_store_sync_get_cursor (d->store, &error);
  gint64 next;
  gboolean more;
  guint limit = faults ? (guint) g_rand_int_range (sim->rand, 1, 6) : 50;
  double p = faults ? g_rand_double (sim->rand) : 1.0;

  assert_true (cursor >= 0);
  if (p < 0.1)
    return TRUE;  /* the request is lost */
  page = payam_store_sync_pull (sim->server, sync_roles[i], i == CREW ? sim->crew_id : NULL,
                                cursor, limit, &next, &more, &error);
  if (page == NULL)
    fail_msg ("seed %u: pull failed: %s", seed, error->message);
  if (p < 0.2)
    return TRUE;  /* the reply is lost */
  if (!payam_store_sync_apply_page (d->store, page, next, sim->server_ms, &error))
    fail_msg ("seed %u: device %u: apply failed: %s", seed, i, error->message);
  if (p < 0.3)
    {
      /* The same page again (a retried request answered twice). */
      totals.duplicated++;
      if (!payam_store_sync_apply_page (d->store, page, next, sim->server_ms, &error))
        fail_msg ("seed %u: apply again failed: %s", seed, error->message);
    }
  check_monotonic (d->store, d->seen, seed);
  return more;
}

/* ---- what people do ------------------------------------------------------------------------ */

static const char *const texts[] = {
  "چاله بزرگ در خیابان", "چراغ خیابان خاموش است", "زباله جمع نشده", "آب گرفتگی کوچه",
};
static const char *const phones[] = { NULL, "09121234567", "09351112233" };

/* A random request id known to @store, or NULL. Caller owns it. */
static char *
pick_request (Sim        *sim,
              PayamStore *store)
{
  sqlite3_stmt *stmt = NULL;
  char *id = NULL;

  assert_int_equal (sqlite3_prepare_v2 (store->db, "SELECT id FROM request ORDER BY id "
                                        "LIMIT 1 OFFSET ?1", -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_int (stmt, 1, g_rand_int_range (sim->rand, 0, 3));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return id;
}

/* One write by a person at device @i; FALSE when there was nothing to do. */
static gboolean
act (Sim   *sim,
     guint  i,
     guint  seed)
{
  Device *d = &sim->devices[i];
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(PayamRequest) r = NULL;

  /* A desk restored from a backup would hand out its tracking codes again; it only edits. */
  if (i == KIOSK || (i != CREW && d->restored_at == 0 && g_rand_int_range (sim->rand, 0, 6) == 0))
    {
      PayamRequestDraft draft = {
        .text = texts[g_rand_int_range (sim->rand, 0, G_N_ELEMENTS (texts))],
        .category = "asphalt",
        .neighbourhood = "tohid",
        .phone = phones[g_rand_int_range (sim->rand, 0, G_N_ELEMENTS (phones))],
        .channel = i == KIOSK ? PAYAM_CHANNEL_KIOSK : PAYAM_CHANNEL_OFFICE,
      };
      g_autoptr(PayamRequest) added = payam_store_add_request (d->store, &draft, &error);

      if (added == NULL)
        fail_msg ("seed %u: add failed: %s", seed, error->message);
      return TRUE;
    }

  id = pick_request (sim, d->store);
  if (id == NULL)
    return FALSE;
  r = payam_store_get_request (d->store, id, &error);
  assert_non_null (r);

  /* The crew moves what its (perhaps stale) view shows it. */
  if (i == CREW)
    {
      /* Crew moves on what this device last saw. */
      PayamStatus to = r->status == PAYAM_STATUS_ASSIGNED ? PAYAM_STATUS_IN_PROGRESS
                       : g_rand_int_range (sim->rand, 0, 4) == 0 ? PAYAM_STATUS_NOT_POSSIBLE
                                                                 : PAYAM_STATUS_DONE;

      if (r->status != PAYAM_STATUS_ASSIGNED && r->status != PAYAM_STATUS_IN_PROGRESS)
        return FALSE;
      assert_true (payam_store_set_status (d->store, id, to, PAYAM_ROLE_CREW, "نمی‌شود",
                                           &error));
      return TRUE;
    }

  switch (g_rand_int_range (sim->rand, 0, 6))
    {
    case 5:
      /* Give the work to the crew; refused once it is finished. One desk does this: two
       * desks making a worksheet for one group offline is a conflict the server refuses
       * (test-store-sync), not something that merges. */
      if (i != OFFICE || !payam_store_assign_crew (d->store, id, sim->crew_id, NULL))
        return FALSE;
      break;
    case 0:
    case 1:
      {
        /* The office's next move, or a reopen of a finished request. */
        PayamStatus to;

        switch (r->status)
          {
          case PAYAM_STATUS_REGISTERED:
            to = PAYAM_STATUS_TRIAGED;
            break;
          case PAYAM_STATUS_TRIAGED:
            to = PAYAM_STATUS_ASSIGNED;
            break;
          case PAYAM_STATUS_ASSIGNED:
          case PAYAM_STATUS_IN_PROGRESS:
            to = PAYAM_STATUS_DONE;
            break;
          case PAYAM_STATUS_DONE:
          case PAYAM_STATUS_NOT_POSSIBLE:
          case PAYAM_STATUS_REJECTED:
          case PAYAM_STATUS_NOTIFIED:
          case PAYAM_STATUS_CLOSED:
          default:
            to = PAYAM_STATUS_TRIAGED;  /* reopen */
            break;
          }
        assert_true (payam_store_set_status (d->store, id, to, PAYAM_ROLE_OFFICE, NULL,
                                             &error));
      }
      break;
    case 2:
      {
        g_autofree char *value = g_strdup_printf ("\"%s (%u)\"", texts[g_rand_int_range (
                                                    sim->rand, 0, G_N_ELEMENTS (texts))],
                                                  g_rand_int_range (sim->rand, 0, 100));

        assert_true (payam_store_sync_set_field (d->store, "request", id, "text", value,
                                                 &error));
      }
      break;
    case 3:
      assert_true (payam_store_sync_set_field (d->store, "request", id, "street",
                                               g_rand_boolean (sim->rand) ? "\"ولیعصر\""
                                                                          : "null", &error));
      break;
    case 4:
    default:
      {
        g_autofree char *notice = payam_store_add_notice (d->store, id, "outcome", "انجام شد",
                                                          &error);

        assert_non_null (notice);
        if (g_rand_boolean (sim->rand))
          assert_true (payam_store_mark_notice_sent (d->store, notice, &error));
      }
      break;
    }
  return TRUE;
}

/* ---- events ---------------------------------------------------------------------------- */

static const gint64 clock_jumps[] = {
  11 * 60 * 1000,                          /* a little past what the server takes */
  -10 * 60 * 1000,
  G_GINT64_CONSTANT (365) * 24 * 3600 * 1000,  /* a kiosk booting with a wrong RTC */
  0,                                        /* NTP: back to the right time */
};

/* Device @i's clock jumps (or is set right again). */
static void
jump_clock (Sim   *sim,
            guint  i)
{
  Device *d = &sim->devices[i];
  gint64 jump = clock_jumps[g_rand_int_range (sim->rand, 0, G_N_ELEMENTS (clock_jumps))];

  d->clock_error = jump == 0 ? g_rand_int_range (sim->rand, -2000, 2000) : d->clock_error + jump;
  d->now_ms = sim->server_ms + d->clock_error;
  totals.clock_jumps++;
}

/* The office desk OFFICE2 keeps a copy of its file, and later comes back from it (a disk
 * replaced, a backup restored): it forgets what it did since. */
static void
backup_or_restore (Sim   *sim,
                   guint  seed)
{
  Device *d = &sim->devices[OFFICE2];
  g_autoptr(GError) error = NULL;
  PayamStore *restored;

  if (d->backup == NULL)
    {
      g_autofree char *sql = NULL;

      d->backup = g_strdup_printf ("%s/office2-%u.db", sim->dir, seed);
      sql = g_strdup_printf ("VACUUM INTO '%s'", d->backup);
      assert_int_equal (sqlite3_exec (d->store->db, sql, NULL, NULL, NULL), SQLITE_OK);
      return;
    }
  if (d->restored_at != 0)
    return;
  restored = payam_store_open (d->backup, &error);
  if (restored == NULL)
    fail_msg ("seed %u: restore failed: %s", seed, error->message);
  payam_store_set_now_func (restored, clock_of, &d->now_ms);
  /* The supervisor signs in again on the restored desk. */
  _payam_store_set_member (restored, sim->supervisor);
  g_object_unref (d->store);
  d->store = restored;
  g_ptr_array_set_size (d->late_pushes, 0);
  g_hash_table_remove_all (d->seen);
  {
    sqlite3_stmt *stmt = NULL;

    assert_int_equal (sqlite3_prepare_v2 (sim->server->db, "SELECT last_seq FROM sync_device "
                                          "WHERE device_id = ?1", -1, &stmt, NULL), SQLITE_OK);
    sqlite3_bind_text (stmt, 1, payam_store_get_device_id (d->store), -1, SQLITE_STATIC);
    d->restored_at = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
    d->restored_at = MAX (d->restored_at, 1);
    sqlite3_finalize (stmt);
  }
  totals.restored++;
}

/* The server trims its log below what every device has pulled. */
static void
trim_log (Sim *sim)
{
  g_autoptr(GError) error = NULL;
  gint64 lowest = G_MAXINT64;

  for (guint i = 0; i < N_DEVICES; i++)
    {
      gint64 cursor = payam_store_sync_get_cursor (sim->devices[i].store, NULL);
      gint64 op_seq, backfilled;

      _payam_sync_cursor_split (cursor, &op_seq, &backfilled);
      lowest = MIN (lowest, op_seq);
    }
  /* A device restored from a copy older than the trim would be 410 Gone and must sync again
   * from the start; the simulator keeps the log for it instead. */
  if (lowest <= 1 || sim->devices[OFFICE2].backup != NULL)
    return;
  assert_true (payam_store_sync_trim_log (sim->server, lowest, &error));
  sim->trimmed = TRUE;
  totals.trims++;
}

/* The office groups two requests that no crew works on yet, or splits one off again. */
static gboolean
regroup (Sim   *sim,
         guint  i)
{
  PayamStore *store = sim->devices[i].store;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gboolean done = FALSE;

  /* Requests whose group (if any) has no worksheet: nobody's work changes hands. */
  assert_int_equal (sqlite3_prepare_v2 (store->db,
                                        "SELECT id, group_id IS NOT NULL FROM request r "
                                        "WHERE status IN ('registered', 'triaged') AND NOT "
                                        "EXISTS (SELECT 1 FROM worksheet w WHERE w.group_id = "
                                        "r.group_id) ORDER BY id LIMIT 2 OFFSET ?1", -1,
                                        &stmt, NULL), SQLITE_OK);
  sqlite3_bind_int (stmt, 1, g_rand_int_range (sim->rand, 0, 3));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      a = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (sqlite3_column_int (stmt, 1) && g_rand_boolean (sim->rand))
        done = payam_store_split (store, a, NULL);
      else if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autofree char *group = NULL;

          b = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          group = payam_store_merge (store, a, b, g_rand_boolean (sim->rand), NULL);
          done = group != NULL;
        }
    }
  sqlite3_finalize (stmt);
  if (done)
    totals.regroups++;
  return done;
}

/* ---- the server's power and big groups --------------------------------------------------- */

/* The server's store: in memory, or (@sim->server_path) a file through the power-cutting
 * VFS, committing with synchronous FULL as payam-server does. */
static PayamStore *
open_server (Sim *sim)
{
  g_autoptr(GError) error = NULL;
  PayamStore *store;

  if (sim->server_path == NULL)
    return open_store (&sim->server_ms, 9000);
  payam_sim_vfs_watch (sim->server_path);
  store = payam_store_open (sim->server_path, &error);
  if (store == NULL)
    fail_msg ("server: %s", error->message);
  payam_store_set_now_func (store, clock_of, &sim->server_ms);
  assert_true (payam_store_set_durable (store, TRUE, &error));
  if (sim->office_public != NULL)
    payam_store_set_office_key (store, sim->office_public, sim->office_secret);
  return store;
}

/* The kiosk is enrolled and seals its contacts to the office key, which the server keeps
 * (in memory: given again when it restarts). */
static void
enrol_kiosk (Sim *sim)
{
  g_autoptr(GError) error = NULL;
  guint8 pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
  PayamEnrolment enrolment = { 0, };

  g_assert (sodium_init () >= 0);
  crypto_box_keypair (pk, sk);
  sim->office_public = g_base64_encode (pk, sizeof pk);
  sim->office_secret = g_base64_encode (sk, sizeof sk);
  enrolment.server_url = (char *) "https://127.0.0.1:1";
  enrolment.fingerprint = (char *) "00000000000000000000000000000000"
                                   "00000000000000000000000000000000";
  enrolment.credential = (char *) "test-credential";
  enrolment.role = PAYAM_ROLE_KIOSK;
  enrolment.office_public_key = sim->office_public;
  if (!payam_store_save_enrolment (sim->devices[KIOSK].store, &enrolment, 100 + KIOSK,
                                   &error))
    fail_msg ("enrolment: %s", error->message);
  payam_store_set_office_key (sim->server, sim->office_public, sim->office_secret);
}

/* Device @i pushes and the server's power goes during (or right after) the push: what it
 * had not synced is lost, the reply never leaves, and the server starts again from its
 * disk. With synchronous FULL nothing it had acknowledged before is lost. */
static void
power_cut (Sim   *sim,
           guint  i,
           guint  seed)
{
  Device *d = &sim->devices[i];
  g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (d->store, 0, 0, NULL);
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  payam_sim_vfs_fail_after ((guint) g_rand_int_range (sim->extra, 1, 40));
  if (ops != NULL && ops->len > 0 &&
      !payam_store_sync_push (sim->server, payam_store_get_device_id (d->store), sync_roles[i],
                              i == CREW ? sim->crew_id : NULL, ops, sim->server_ms, &reply,
                              &error))
    {
      /* Torn by the cut (or a gap or a reused seq the device would hear of next time). */
      if (!g_error_matches (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_GAP) &&
          !g_error_matches (error, PAYAM_STORE_SYNC_ERROR, PAYAM_STORE_SYNC_ERROR_REUSED))
        totals.torn_pushes++;
    }
  payam_sim_vfs_power_cut ();
  g_clear_object (&sim->server);
  payam_sim_vfs_restart ();
  sim->server = open_server (sim);
  if (!payam_store_check_integrity (sim->server, &error))
    fail_msg ("seed %u: the server's file after the cut: %s", seed, error->message);
  totals.power_cuts++;
}

/* The office registers 400 or more reports of one thing and groups them; the crew gets the
 * work, so its next pulls backfill the whole group in pages it can take. */
static void
big_group (Sim   *sim,
           guint  seed)
{
  PayamStore *office = sim->devices[OFFICE].store;
  g_autoptr(GError) error = NULL;
  g_autofree char *lead = NULL;
  g_autofree char *group = NULL;
  guint n = 400 + (guint) g_rand_int_range (sim->extra, 0, 40);

  for (guint k = 0; k < n; k++)
    {
      PayamRequestDraft draft = {
        .text = texts[k % G_N_ELEMENTS (texts)], .category = "asphalt",
        .neighbourhood = "tohid", .channel = PAYAM_CHANNEL_OFFICE,
      };
      g_autoptr(PayamRequest) r = payam_store_add_request (office, &draft, &error);

      if (r == NULL)
        fail_msg ("seed %u: big group: %s", seed, error->message);
      if (lead == NULL)
        lead = g_strdup (r->id);
      else
        {
          g_free (group);
          group = payam_store_merge (office, lead, r->id, FALSE, &error);
          if (group == NULL)
            fail_msg ("seed %u: big group: %s", seed, error->message);
        }
    }
  if (!payam_store_assign_crew (office, lead, sim->crew_id, &error))
    fail_msg ("seed %u: big group's crew: %s", seed, error->message);
  sim->big_group = TRUE;
  totals.big_groups++;
}

/* ---- one seed -------------------------------------------------------------------------------- */

static void
run_seed (guint seed)
{
  Sim sim = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *server_office = NULL;
  g_autofree char *server_kiosk = NULL;
  g_autofree char *server_crew = NULL;
  g_autofree char *visible = NULL;
  sqlite3_stmt *stmt = NULL;

  sim.rand = g_rand_new_with_seed (seed);
  sim.extra = g_rand_new_with_seed (seed ^ 0x9e3779b9u);
  sim.dir = work_dir;
  /* One seed in twelve runs its server on a file whose power may be cut (a cut costs a restart:
   * the schema read again, every statement prepared again). */
  if ((events & EVENT_POWER) && g_rand_int_range (sim.extra, 0, 12) == 0)
    sim.server_path = g_strdup_printf ("%s/server-%u.db", work_dir, seed);
  sim.server_ms = G_GINT64_CONSTANT (1795000000000) + seed * 1000;
  sim.server = open_server (&sim);
  if (sim.server_path != NULL)
    {
      assert_true (payam_store_load_defaults (sim.server, &error));
      assert_true (payam_store_set_device_prefix (sim.server, 9000, &error));
    }
  sim.server_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < N_DEVICES; i++)
    {
      Device *d = &sim.devices[i];

      /* Device clocks are off by up to five minutes either way. */
      d->clock_error = g_rand_int_range (sim.rand, -300000, 300000);
      d->now_ms = sim.server_ms + d->clock_error;
      d->store = open_store (&d->now_ms, 100 + i);
      d->late_pushes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      d->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }

  /* Both desks are signed in as a supervisor the server knows (a row as stored: the
   * password's hash is not what this test is about). */
  sim.supervisor = payam_uuid7_new ();
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO staff (id, name, role, password_hash, "
                                            "supervisor) VALUES ('%s', 'زهرا کریمی', 'office', "
                                            "'$argon2id$x', 1)", sim.supervisor);
    PayamStore *stores[] = { sim.server, sim.devices[OFFICE].store, sim.devices[OFFICE2].store };

    for (gsize k = 0; k < G_N_ELEMENTS (stores); k++)
      assert_int_equal (sqlite3_exec (stores[k]->db, sql, NULL, NULL, NULL), SQLITE_OK);
    _payam_store_set_member (sim.devices[OFFICE].store, sim.supervisor);
    _payam_store_set_member (sim.devices[OFFICE2].store, sim.supervisor);
  }

  /* A kiosk may record before it is enrolled (requests without a contact: it has no key to
   * seal one with); then it seals its contacts to the office, whose key the server holds. */
  for (int k = g_rand_int_range (sim.rand, 0, 3); k > 0; k--)
    {
      PayamRequestDraft draft = {
        .text = texts[0], .category = "asphalt", .neighbourhood = "tohid",
        .channel = PAYAM_CHANNEL_KIOSK,
      };
      g_autoptr(PayamRequest) early = payam_store_add_request (sim.devices[KIOSK].store, &draft,
                                                               &error);

      if (early == NULL)
        fail_msg ("seed %u: kiosk before enrolment: %s", seed, error->message);
    }
  enrol_kiosk (&sim);

  /* The office sets up the crew; every device learns of it before the script starts. */
  sim.crew_id = payam_store_add_crew (sim.devices[OFFICE].store, "گروه آسفالت", NULL, &error);
  assert_non_null (sim.crew_id);
  push (&sim, OFFICE, FALSE, seed);
  for (guint i = 0; i < N_DEVICES; i++)
    while (pull (&sim, i, FALSE, seed))
      ;

  /* A script of 20 writes with syncs of every kind between them. */
  for (guint step = 0, writes = 0; writes < 20; step++)
    {
      /* The kiosk a fifth of the time, the crew's device and the office the rest. */
      guint r = g_rand_int_range (sim.rand, 0, 10);
      guint i = r < 2 ? KIOSK : r < 5 ? CREW : r < 8 ? OFFICE : OFFICE2;
      gint64 tick = g_rand_int_range (sim.rand, 1, 5000);

      sim.server_ms += tick;
      for (guint k = 0; k < N_DEVICES; k++)
        sim.devices[k].now_ms += tick;
      /* The later events draw apart, so the script of a seed stays what it was. */
      if (sim.server_path != NULL && g_rand_int_range (sim.extra, 0, 100) == 0)
        power_cut (&sim, i, seed);
      if ((events & EVENT_BIG_GROUP) && !sim.big_group &&
          g_rand_int_range (sim.extra, 0, 8000) == 0)
        big_group (&sim, seed);
      switch (g_rand_int_range (sim.rand, 0, 6))
        {
        case 5:
          /* Now and then something out of the ordinary. */
          switch (g_rand_int_range (sim.rand, 0, 8))
            {
            case 0:
            case 1:
              if (events & EVENT_CLOCK)
                jump_clock (&sim, i);
              break;
            case 2:
              if (events & EVENT_RESTORE)
                backup_or_restore (&sim, seed);
              break;
            case 3:
              if (events & EVENT_TRIM)
                trim_log (&sim);
              break;
            default:
              if ((events & EVENT_REGROUP) && regroup (&sim, OFFICE))
                writes++;
              break;
            }
          break;
        case 0:
          if (act (&sim, i, seed))
            writes++;
          break;
        case 1:
        case 2:
          push (&sim, i, TRUE, seed);
          break;
        case 3:
          pull (&sim, i, TRUE, seed);
          break;
        case 4:
        default:
          if (g_rand_int_range (sim.rand, 0, 3) == 0)
            push_late (&sim, i, seed);
          else
            pull (&sim, i, TRUE, seed);
          break;
        }
    }

  /* Quiet: the held-back requests arrive, then every device pushes everything and pulls to
   * the end. Pulls write no ops, so one round settles everything. */
  for (guint i = 0; i < N_DEVICES; i++)
    while (sim.devices[i].late_pushes->len > 0)
      push_late (&sim, i, seed);
  for (guint i = 0; i < N_DEVICES; i++)
    {
      /* A push refused for a clock run ahead, or for seqs the server does not expect, is
       * followed by one more once the device has re-based or renumbered. */
      for (guint round = 0; round < 3 && payam_store_count_outbox (sim.devices[i].store,
                                                                   NULL) > 0; round++)
        push (&sim, i, FALSE, seed);
      assert_int_equal (payam_store_count_outbox (sim.devices[i].store, &error), 0);
    }
  for (guint i = 0; i < N_DEVICES; i++)
    {
      gint64 last = -1;
      guint same = 0;
      gboolean more = TRUE;

      while (more)
        {
          gint64 cursor = payam_store_sync_get_cursor (sim.devices[i].store, NULL);

          /* No page is asked for more than twice with one cursor. */
          same = cursor == last ? same + 1 : 0;
          if (same >= 2)
            fail_msg ("seed %u: device %u asked for cursor %" G_GINT64_FORMAT " three times",
                      seed, i, cursor);
          last = cursor;
          more = pull (&sim, i, FALSE, seed);
        }
    }

  /* Every replica equals the server, as far as its role sees. */
  visible = crew_requests (sim.server, sim.crew_id);
  server_office = canonical_hash (sim.server, PAYAM_ROLE_OFFICE, NULL, NULL);
  server_kiosk = canonical_hash (sim.server, PAYAM_ROLE_KIOSK, NULL, NULL);
  server_crew = canonical_hash (sim.server, PAYAM_ROLE_CREW, visible, sim.crew_id);
  for (guint i = 0; i < N_DEVICES; i++)
    {
      g_autofree char *mine = canonical_hash (sim.devices[i].store, sync_roles[i], visible,
                                              sim.crew_id);
      const char *want = sync_roles[i] == PAYAM_ROLE_KIOSK ? server_kiosk
                         : sync_roles[i] == PAYAM_ROLE_CREW ? server_crew : server_office;

      /* A trimmed log cannot send a crew the creates of rows that become visible to it
       * later (backfill reads the log): known, left to a backfill from the rows' state. */
      if (sim.trimmed && sync_roles[i] == PAYAM_ROLE_CREW)
        continue;
      if (strcmp (mine, want) != 0)
        {
          if (g_getenv ("PAYAM_SIM_DUMP") != NULL)
            {
              sqlite3_stmt *dump = NULL;

              sqlite3_prepare_v2 (sim.server->db, "SELECT server_seq, device_id, device_seq, "
                                  "entity, row_id, field, result, reason, hlc FROM sync_log "
                                  "ORDER BY server_seq", -1, &dump, NULL);
              while (sqlite3_step (dump) == SQLITE_ROW)
                {
                  for (int c = 0; c < 9; c++)
                    g_printerr ("%s ", sqlite3_column_text (dump, c));
                  g_printerr ("\n");
                }
              sqlite3_finalize (dump);
              g_printerr ("==== server\n");
              g_free (canonical_hash (sim.server, sync_roles[i], visible, sim.crew_id));
              g_printerr ("==== device\n");
              g_free (canonical_hash (sim.devices[i].store, sync_roles[i], visible,
                                      sim.crew_id));
            }
          fail_msg ("seed %u: device %u differs from the server", seed, i);
        }
    }

  /* No silent loss: every seq each device used is in the log exactly once (applied, or
   * refused and kept with its reason and a conflict row for the office), and the device
   * lists the same refusals (since it was restored, for a restored one). */
  for (guint i = 0; i < N_DEVICES; i++)
    {
      Device *d = &sim.devices[i];
      const char *device_id = payam_store_get_device_id (d->store);
      gint64 used = d->store->counters.next_device_seq - 1;
      g_autoptr(GPtrArray) refused = payam_store_sync_list_refused (d->store, &error);
      g_autoptr(GHashTable) kept = g_hash_table_new (g_int64_hash, g_int64_equal);
      gint64 count, top;

      assert_non_null (refused);
      assert_int_equal (sqlite3_prepare_v2 (sim.server->db, "SELECT count(*), "
                                            "coalesce (max (device_seq), 0), count (DISTINCT "
                                            "device_seq) FROM sync_log WHERE device_id = ?1",
                                            -1, &stmt, NULL), SQLITE_OK);
      sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
      assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
      count = sqlite3_column_int64 (stmt, 0);
      top = sqlite3_column_int64 (stmt, 1);
      if (sim.trimmed)
        {
          sqlite3_stmt *last = NULL;

          /* The server keeps each device's last seq apart from the log it trims. */
          assert_int_equal (sqlite3_prepare_v2 (sim.server->db, "SELECT last_seq FROM "
                                                "sync_device WHERE device_id = ?1", -1, &last,
                                                NULL), SQLITE_OK);
          sqlite3_bind_text (last, 1, device_id, -1, SQLITE_STATIC);
          top = sqlite3_step (last) == SQLITE_ROW ? sqlite3_column_int64 (last, 0) : 0;
          sqlite3_finalize (last);
        }
      if (count != sqlite3_column_int64 (stmt, 2))
        fail_msg ("seed %u: device %u has a seq logged twice", seed, i);
      sqlite3_finalize (stmt);
      /* A trim forgets the oldest ops; the seqs of those left are the latest. */
      /* A restored device may not know yet how far it went before. */
      if (top < used || (d->restored_at == 0 && top != used) || (!sim.trimmed && count != top))
        fail_msg ("seed %u: device %u used seqs 1…%" G_GINT64_FORMAT ", the server logged %"
                  G_GINT64_FORMAT " up to %" G_GINT64_FORMAT, seed, i, used, count, top);

      for (guint k = 0; k < refused->len; k++)
        {
          PayamSyncRefusal *r = refused->pdata[k];

          g_hash_table_add (kept, &r->device_seq);
        }
      assert_int_equal (sqlite3_prepare_v2 (sim.server->db, "SELECT device_seq, reason FROM "
                                            "sync_log WHERE device_id = ?1 AND result = "
                                            "'rejected' AND device_seq > ?2", -1, &stmt, NULL),
                        SQLITE_OK);
      sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, d->restored_at);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 seq = sqlite3_column_int64 (stmt, 0);

          if (sqlite3_column_type (stmt, 1) == SQLITE_NULL || !g_hash_table_contains (kept, &seq))
            fail_msg ("seed %u: device %u does not show its refused op %" G_GINT64_FORMAT,
                      seed, i, seq);
        }
      sqlite3_finalize (stmt);
    }
  assert_int_equal (sqlite3_prepare_v2 (sim.server->db, "SELECT (SELECT count(*) FROM sync_log "
                                        "WHERE result = 'rejected') - (SELECT count(*) FROM "
                                        "conflict WHERE kind = 'rejected' AND reason IS NOT "
                                        "NULL)", -1, &stmt, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  if (!sim.trimmed && sqlite3_column_int64 (stmt, 0) != 0)
    fail_msg ("seed %u: a refused op without its conflict row", seed);
  sqlite3_finalize (stmt);
  totals.conflicts += sim.conflicts;

  for (guint i = 0; i < N_DEVICES; i++)
    {
      g_clear_object (&sim.devices[i].store);
      g_ptr_array_unref (sim.devices[i].late_pushes);
      g_hash_table_unref (sim.devices[i].seen);
      if (sim.devices[i].backup != NULL)
        {
          g_autofree char *wal = g_strconcat (sim.devices[i].backup, "-wal", NULL);
          g_autofree char *shm = g_strconcat (sim.devices[i].backup, "-shm", NULL);

          g_remove (sim.devices[i].backup);
          g_remove (wal);
          g_remove (shm);
          g_free (sim.devices[i].backup);
        }
    }
  g_clear_object (&sim.server);
  if (sim.server_path != NULL)
    {
      g_autofree char *wal = g_strconcat (sim.server_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (sim.server_path, "-shm", NULL);

      payam_sim_vfs_watch (NULL);
      g_remove (sim.server_path);
      g_remove (wal);
      g_remove (shm);
      g_free (sim.server_path);
    }
  g_free (sim.office_public);
  g_free (sim.office_secret);
  g_free (sim.supervisor);
  g_rand_free (sim.extra);
  g_hash_table_unref (sim.server_seen);
  g_free (sim.crew_id);
  g_rand_free (sim.rand);
}

static void
test_seeds (void **state)
{
  g_autoptr(GError) error = NULL;

  memset (&totals, 0, sizeof totals);
  work_dir = g_dir_make_tmp ("payam-sim-XXXXXX", &error);
  assert_non_null (work_dir);
  for (guint seed = first_seed; seed < first_seed + n_seeds; seed++)
    run_seed (seed);
  g_rmdir (work_dir);
  g_clear_pointer (&work_dir, g_free);
  g_print ("# %u seeds: %u dropped, %u duplicated, %u late, %u conflicts, %u clock jumps "
           "(%u re-based), %u restored (%u renumbered), %u trims, %u regroups, %u refused, "
           "%u power cuts (%u pushes torn, %" G_GINT64_FORMAT " bytes lost), %u groups of "
           "400+\n",
           n_seeds, totals.dropped, totals.duplicated, totals.late, totals.conflicts,
           totals.clock_jumps, totals.rebased, totals.restored, totals.renumbered, totals.trims,
           totals.regroups, totals.refused, totals.power_cuts, totals.torn_pushes,
           payam_sim_vfs_lost_bytes (), totals.big_groups);
  /* A few seeds run alone (to study one) need not meet every event. */
  if (n_seeds < 100)
    return;
  /* The faults and the conflicts did happen. */
  assert_true (totals.dropped > n_seeds);
  assert_true (totals.duplicated > n_seeds / 2);
  assert_true (totals.late > n_seeds / 4);
  /* The new events happened too. */
  assert_true (!(events & EVENT_CLOCK) || totals.clock_jumps > n_seeds / 4);
  assert_true (!(events & EVENT_RESTORE) || totals.restored > 0);
  assert_true (!(events & EVENT_TRIM) || totals.trims > 0);
  assert_true (!(events & EVENT_REGROUP) || totals.regroups > 0);
  assert_true (!(events & EVENT_POWER) || (totals.power_cuts > 0 && totals.torn_pushes > 0));
  assert_true (!(events & EVENT_BIG_GROUP) || totals.big_groups > 0);
  assert_true (totals.conflicts > 0);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_seeds),
  };
  const char *env = g_getenv ("PAYAM_SIM_SEEDS");

  if (env != NULL)
    n_seeds = (guint) g_ascii_strtoull (env, NULL, 10);
  if (g_getenv ("PAYAM_SIM_FIRST") != NULL)
    first_seed = (guint) g_ascii_strtoull (g_getenv ("PAYAM_SIM_FIRST"), NULL, 10);
  if (g_getenv ("PAYAM_SIM_EVENTS") != NULL)
    events = (guint) g_ascii_strtoull (g_getenv ("PAYAM_SIM_EVENTS"), NULL, 0);
  for (int i = 1; i + 1 < argc; i++)
    if (strcmp (argv[i], "--seeds") == 0)
      n_seeds = (guint) g_ascii_strtoull (argv[i + 1], NULL, 10);
    else if (strcmp (argv[i], "--first") == 0)
      first_seed = (guint) g_ascii_strtoull (argv[i + 1], NULL, 10);
  payam_sim_vfs_install ();
  return cmocka_run_group_tests_name ("sync-sim", tests, NULL, NULL);
}
