/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore: opening the database, statements, transactions, device identity, change log. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "payam-deadline.h"
#include "payam-format.h"
#include "payam-store-private.h"
#include "payam-tracking.h"
#include "payam-uuid.h"

/* 0x50415941, "PAYA" in ASCII: PRAGMA application_id of every Payam database. */
#define PAYAM_APPLICATION_ID 0x50415941

G_DEFINE_QUARK (payam-store-error-quark, payam_store_error)

G_DEFINE_FINAL_TYPE (PayamStore, payam_store, G_TYPE_OBJECT)

enum {
  REQUEST_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
payam_store_finalize (GObject *object)
{
  PayamStore *self = (PayamStore *)object;

  if (self->depth > 0)
    {
      g_warning ("store %s closed inside a transaction; rolling back", self->path);
      while (self->depth > 0)
        _payam_store_tx_rollback (self);
    }

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->cached_stmts, g_hash_table_unref);
  if (self->db != NULL)
    {
      int rc = sqlite3_close (self->db);

      if (rc != SQLITE_OK)
        g_warning ("closing %s: %s", self->path, sqlite3_errstr (rc));
      self->db = NULL;
    }

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->device_id, g_free);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->member, g_free);
  g_clear_pointer (&self->op_why, g_free);
  g_clear_pointer (&self->calendar, payam_work_calendar_free);
  g_clear_pointer (&self->snapshots, g_array_unref);
  g_clear_pointer (&self->categories, g_hash_table_unref);
  g_clear_pointer (&self->neighbourhoods, g_hash_table_unref);
  g_clear_pointer (&self->changed_ids, g_ptr_array_unref);
  g_clear_pointer (&self->changed_marks, g_array_unref);

  G_OBJECT_CLASS (payam_store_parent_class)->finalize (object);
}

static void
payam_store_class_init (PayamStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = payam_store_finalize;

  /**
   * PayamStore::request-changed:
   * @request_id: the id of the request
   *
   * A request was added or changed (status, group, any field) and the change has
   * committed: emitted after the outermost transaction commits, once per request and
   * transaction, in the order of first change; never for a rolled-back change. Handlers
   * may use the store. The duplicate index (payam-dup-index.h) keeps itself current with it.
   */
  signals[REQUEST_CHANGED] = g_signal_new ("request-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
payam_store_init (PayamStore *self)
{
  self->actor = g_strdup ("system");
  self->snapshots = g_array_new (FALSE, FALSE, sizeof (PayamStoreCounters));
  self->categories = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify)payam_category_free);
  self->neighbourhoods = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->changed_ids = g_ptr_array_new_with_free_func (g_free);
  self->changed_marks = g_array_new (FALSE, FALSE, sizeof (guint));
}

/* ---- meta ---------------------------------------------------------------------------- */

/* The meta value of @key (caller owns it), NULL when absent (not an error) or on error. */
static char *
meta_get (PayamStore  *self,
          const char  *key,
          GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_META_GET, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":key", key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _payam_column_dup_text (stmt, 0);
  if (rc != SQLITE_DONE)
    _payam_store_set_sql_error (self, rc, error);
  return NULL;
}

static gboolean
meta_set (PayamStore  *self,
          const char  *key,
          const char  *value,
          GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_META_SET, error);

  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":key", key);
  _payam_bind_text (stmt, ":value", value);
  return _payam_store_step_done (self, stmt, error);
}

static gboolean
meta_set_int (PayamStore  *self,
              const char  *key,
              gint64       value,
              GError     **error)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  return meta_set (self, key, buf, error);
}

static gboolean
flush_counters (PayamStore  *self,
                GError     **error)
{
  g_autofree char *hlc = payam_hlc_to_string (self->counters.hlc);

  return meta_set_int (self, "next_device_seq", self->counters.next_device_seq, error) &&
         meta_set_int (self, "next_tracking_seq", self->counters.next_tracking_seq, error) &&
         meta_set (self, "hlc", hlc, error);
}

static gboolean
parse_int (const char *text,
           gint64     *out)
{
  return text != NULL && g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, out, NULL);
}

/* Read the device prefix and the counters from meta into the store. */
static gboolean
load_counters (PayamStore  *self,
               GError     **error)
{
  g_autofree char *prefix = NULL;
  g_autofree char *hlc = NULL;
  g_autofree char *device_seq = NULL;
  g_autofree char *tracking_seq = NULL;
  PayamStoreCounters counters = { 0 };
  gint64 value = 0;

  prefix = meta_get (self, "device_prefix", error);
  device_seq = prefix != NULL ? meta_get (self, "next_device_seq", error) : NULL;
  tracking_seq = device_seq != NULL ? meta_get (self, "next_tracking_seq", error) : NULL;
  hlc = tracking_seq != NULL ? meta_get (self, "hlc", error) : NULL;
  if (hlc == NULL && error != NULL && *error != NULL)
    return FALSE;

  if (!parse_int (prefix, &value) || value < 1 || value > PAYAM_TRACKING_PREFIX_MAX ||
      !parse_int (device_seq, &counters.next_device_seq) ||
      !parse_int (tracking_seq, &counters.next_tracking_seq) ||
      !payam_hlc_parse (hlc, &counters.hlc))
    {
      /* Translators: %s is the path of a database file. */
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_SQL,
                   _("The device information in %s is damaged."), self->path);
      return FALSE;
    }
  self->device_prefix = value;
  self->counters = counters;
  /* Written by payam_store_sync_observe_server_time; absent until a server found the
   * clock ahead. */
  g_clear_pointer (&prefix, g_free);
  prefix = meta_get (self, "clock_offset_ms", NULL);
  if (prefix == NULL || !g_ascii_string_to_signed (prefix, 10, G_MININT64, 0,
                                                   &self->clock_offset_ms, NULL))
    self->clock_offset_ms = 0;
  /* Absent until the application declared it (payam_store_set_device_role). */
  g_clear_pointer (&prefix, g_free);
  prefix = meta_get (self, "device_role", NULL);
  if (prefix == NULL || !payam_role_from_string (prefix, &self->device_role))
    self->device_role = PAYAM_ROLE_KIOSK;
  return TRUE;
}

/* ---- transactions -------------------------------------------------------------------- */

static gboolean
run_fixed (PayamStore  *self,
           PayamStmtId  id,
           GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, id, error);

  if (stmt == NULL)
    return FALSE;
  return _payam_store_step_done (self, stmt, error);
}

/* Open a transaction level: BEGIN IMMEDIATE at depth 0 (the write lock is taken at once,
 * so a busy database fails here and not half-way), a SAVEPOINT inside. */
gboolean
_payam_store_tx_begin (PayamStore  *self,
                       GError     **error)
{
  if (!run_fixed (self, self->depth == 0 ? STMT_BEGIN : STMT_SAVEPOINT, error))
    return FALSE;
  /* Another connection to the file (a sync thread, payamctl) may have committed since our
   * last transaction: data_version moves only then. Its writes may have used counters and
   * changed configuration, so reload the one and drop the cache of the other. The write
   * lock is held from here on, so nobody moves them again until we commit. */
  if (self->depth == 0)
    {
      g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_DATA_VERSION, error);
      gint64 data_version;

      if (stmt == NULL || !_payam_store_step_done (self, stmt, error))
        {
          run_fixed (self, STMT_ROLLBACK, NULL);
          return FALSE;
        }
      data_version = sqlite3_column_int64 (stmt, 0);
      if (data_version != self->data_version)
        {
          _payam_store_drop_caches (self);
          /* Before the identity exists (opening, migrating) there is nothing to reload. */
          if (self->device_id != NULL && !load_counters (self, error))
            {
              run_fixed (self, STMT_ROLLBACK, NULL);
              return FALSE;
            }
          self->data_version = data_version;
        }
    }
  g_array_append_val (self->snapshots, self->counters);
  g_array_append_val (self->changed_marks, self->changed_ids->len);
  self->depth++;
  return TRUE;
}

void
_payam_store_note_changed (PayamStore *self,
                           const char *request_id)
{
  g_assert (request_id != NULL);

  /* Nobody listens (payamctl, the store bench): keep the write path as it was. */
  if (!g_signal_has_handler_pending (self, signals[REQUEST_CHANGED], 0, TRUE))
    return;
  if (self->depth == 0)
    g_signal_emit (self, signals[REQUEST_CHANGED], 0, request_id);
  else
    g_ptr_array_add (self->changed_ids, g_strdup (request_id));
}

/* After the outermost commit: "request-changed" once per changed request, in order. The
 * list is taken first, so handlers may start transactions of their own. */
static void
emit_changed (PayamStore *self)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GHashTable) seen = NULL;

  if (self->changed_ids->len == 0)
    return;
  ids = g_steal_pointer (&self->changed_ids);
  self->changed_ids = g_ptr_array_new_with_free_func (g_free);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < ids->len; i++)
    if (g_hash_table_add (seen, ids->pdata[i]))
      g_signal_emit (self, signals[REQUEST_CHANGED], 0, ids->pdata[i]);
}

void
_payam_store_tx_mark_broken (PayamStore *self)
{
  g_assert (self->depth > 0);

  if (self->broken_depth == 0)
    self->broken_depth = self->depth;
}

#define FTS_CODES(r) \
  "replace (" r ".tracking_code, '-', '') || CASE WHEN " r ".phone GLOB '0[0-9]*' AND NOT " \
  r ".phone GLOB '*[^0-9]*' THEN ' ' || " r ".phone || ' ' || substr (" r ".phone, 2) ELSE '' END"

/* See payam-store-private.h. What request_fts held for each pending row goes out (an FTS5
 * index without content is told the words it indexed), the rows as they are now come in,
 * each in one statement for the whole transaction. */
gboolean
_payam_store_fts_flush (PayamStore  *self,
                        GError     **error)
{
  static const char *const steps[] = {
    "INSERT INTO request_fts (request_fts, rowid, words, codes) "
    "SELECT 'delete', id, words, codes FROM request_fts_pending WHERE held",
    "INSERT INTO request_fts (rowid, words, codes) SELECT r.rowid, r.text_norm, "
    FTS_CODES ("r") " FROM request_fts_pending p JOIN request r ON r.rowid = p.id",
    "DELETE FROM request_fts_pending",
  };
  g_autoptr(PayamStmt) any = NULL;
  gboolean found = FALSE;
  int rc;

  g_assert (self->depth > 0);

  if (self->schema_version < PAYAM_STORE_FTS_PENDING_SINCE)
    return TRUE;
  any = _payam_store_prepare_cached (self, "SELECT 1 FROM request_fts_pending LIMIT 1", error);
  if (any == NULL)
    return FALSE;
  rc = sqlite3_step (any);
  if (rc == SQLITE_ROW)
    found = TRUE;
  else if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  if (!found)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, steps[i], error);

      if (stmt == NULL || !_payam_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Close a level. The outermost level first writes the counters to meta, so they commit
 * with the changes that used them. On failure the level is rolled back. A level holding a
 * part-written change (broken_depth) is rolled back instead, with an error. */
gboolean
_payam_store_tx_commit (PayamStore  *self,
                        GError     **error)
{
  g_assert (self->depth > 0);

  if (self->broken_depth >= self->depth)
    {
      _payam_store_tx_rollback (self);
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_SQL,
                           _("A change in this batch could not be written completely, so the "
                             "whole batch was undone; nothing of it was saved."));
      return FALSE;
    }

  if (self->depth == 1)
    {
      const PayamStoreCounters *before = &g_array_index (self->snapshots,
                                                         PayamStoreCounters, 0);

      if (!_payam_store_fts_flush (self, error) ||
          (memcmp (before, &self->counters, sizeof *before) != 0 &&
           !flush_counters (self, error)) ||
          !run_fixed (self, STMT_COMMIT, error))
        {
          _payam_store_tx_rollback (self);
          return FALSE;
        }
    }
  else if (!run_fixed (self, STMT_RELEASE, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }

  self->depth--;
  g_array_set_size (self->snapshots, self->depth);
  g_array_set_size (self->changed_marks, self->depth);
  if (self->depth == 0)
    emit_changed (self);
  return TRUE;
}

gboolean
_payam_store_run_in_tx (PayamStore        *self,
                        PayamStoreTxFunc   func,
                        const char        *id,
                        GError           **error)
{
  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!func (self, id, error))
    {
      _payam_store_tx_rollback (self);
      return FALSE;
    }
  return _payam_store_tx_commit (self, error);
}

void
_payam_store_tx_rollback (PayamStore *self)
{
  g_autoptr(GError) error = NULL;

  g_assert (self->depth > 0);

  if (self->depth == 1)
    {
      /* SQLite may already have rolled back on its own (e.g. after SQLITE_FULL). */
      if (!sqlite3_get_autocommit (self->db) && !run_fixed (self, STMT_ROLLBACK, &error))
        g_warning ("rollback failed: %s", error->message);
    }
  /* ... and then the savepoints went with it: nothing is left to roll back to. */
  else if (!sqlite3_get_autocommit (self->db) &&
           (!run_fixed (self, STMT_ROLLBACK_TO, &error) ||
            !run_fixed (self, STMT_RELEASE, &error)))
    g_warning ("rollback to savepoint failed: %s", error->message);

  /* Configuration read inside the level may be gone with it. */
  _payam_store_drop_caches (self);
  /* The part-written change, if any, was at this level or inside it: it is undone. */
  if (self->broken_depth >= self->depth)
    self->broken_depth = 0;
  self->depth--;
  self->counters = g_array_index (self->snapshots, PayamStoreCounters, self->depth);
  g_array_set_size (self->snapshots, self->depth);
  /* Changes of the rolled-back level never happened. */
  g_ptr_array_set_size (self->changed_ids, g_array_index (self->changed_marks, guint,
                                                          self->depth));
  g_array_set_size (self->changed_marks, self->depth);
}

/**
 * payam_store_begin:
 *
 * Open a batch: until the matching payam_store_commit() or payam_store_rollback(), every
 * change joins one transaction. Batches nest.
 */
gboolean
payam_store_begin (PayamStore  *self,
                   GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  return _payam_store_tx_begin (self, error);
}

gboolean
payam_store_commit (PayamStore  *self,
                    GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  return _payam_store_tx_commit (self, error);
}

void
payam_store_rollback (PayamStore *self)
{
  g_return_if_fail (PAYAM_IS_STORE (self));
  g_return_if_fail (self->depth > 0);

  _payam_store_tx_rollback (self);
}

/* ---- opening ------------------------------------------------------------------------- */

static gboolean
read_pragma_int (PayamStore  *self,
                 const char  *pragma,
                 int         *out,
                 GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, pragma, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_OK)
    {
      /* Translators: %s is the path of the database file, then SQLite's reason. */
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_OPEN,
                   _("Could not open the database %s: %s"), self->path,
                   sqlite3_errmsg (self->db));
      return FALSE;
    }
  return TRUE;
}

static gboolean
has_tables (PayamStore  *self,
            gboolean    *out,
            GError     **error)
{
  int n = 0;

  if (!read_pragma_int (self, "SELECT count(*) FROM sqlite_schema", &n, error))
    return FALSE;
  *out = n > 0;
  return TRUE;
}

/* Check, without writing anything, that the file is a database this code may use. */
static gboolean
check_identity (PayamStore  *self,
                int         *version,
                GError     **error)
{
  int app_id = 0;
  gboolean tables = FALSE;

  if (!read_pragma_int (self, "PRAGMA application_id", &app_id, error) ||
      !read_pragma_int (self, "PRAGMA user_version", version, error) ||
      !has_tables (self, &tables, error))
    return FALSE;

  /* Version 1 sets the application id; a database with tables and no id is not ours. */
  if ((guint32)app_id != PAYAM_APPLICATION_ID && (app_id != 0 || tables || *version != 0))
    {
      /* Translators: %s is the path of a database file. */
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_FOREIGN,
                   _("The file %s belongs to another program, not to Payam."), self->path);
      return FALSE;
    }

  if (*version > PAYAM_STORE_SCHEMA_VERSION)
    {
      g_autofree char *theirs = payam_format_integer (*version);
      g_autofree char *ours = payam_format_integer (PAYAM_STORE_SCHEMA_VERSION);

      /* Translators: the first %s is a path, the others are schema versions in Persian
       * digits. */
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_TOO_NEW,
                   _("The database %s was made by a newer version of Payam (schema %s; this "
                     "version understands up to %s). Update Payam; the file was left "
                     "untouched."),
                   self->path, theirs, ours);
      return FALSE;
    }

  return TRUE;
}

/* Read the device identity and counters from meta, creating the identity on first open:
 * a UUIDv7 device id and a random prefix in 1 … 9999 until enrolment sets the real one. */
static gboolean
load_identity (PayamStore  *self,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *device_id = meta_get (self, "device_id", &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (device_id == NULL)
    {
      g_autofree char *new_id = payam_uuid7_new ();
      g_autofree char *hlc_zero = payam_hlc_to_string (0);

      if (!_payam_store_tx_begin (self, error))
        return FALSE;
      if (!meta_set (self, "device_id", new_id, error) ||
          !meta_set_int (self, "device_prefix",
                         g_random_int_range (1, PAYAM_TRACKING_PREFIX_MAX + 1), error) ||
          !meta_set_int (self, "next_device_seq", 1, error) ||
          !meta_set_int (self, "next_tracking_seq", 1, error) ||
          !meta_set (self, "hlc", hlc_zero, error) ||
          !_payam_store_tx_commit (self, error))
        {
          if (self->depth > 0)
            _payam_store_tx_rollback (self);
          return FALSE;
        }
      device_id = g_steal_pointer (&new_id);
    }

  self->device_id = g_steal_pointer (&device_id);
  return load_counters (self, error);
}

/**
 * payam_store_open:
 * @path: a file name, or ":memory:"
 *
 * Open (creating if needed) and migrate the database. Before anything is written, the
 * file's application id and schema version are read: another application's database
 * (FOREIGN), a newer schema (TOO_NEW) or a file that is no database (OPEN) is refused
 * and left as it was. Returns a new store or NULL.
 */
PayamStore *
payam_store_open (const char  *path,
                  GError     **error)
{
  g_autoptr(PayamStore) self = NULL;
  gboolean in_memory;
  int version = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (PAYAM_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  in_memory = g_str_equal (path, ":memory:") || path[0] == '\0';

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      /* Translators: %s is the path of the database file, then SQLite's reason. */
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_OPEN,
                   _("Could not open the database %s: %s"), path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);

  if (!check_identity (self, &version, error))
    return NULL;

  /* From here on the file is ours and may be written. */
  if (!_payam_store_exec_sql (self, "PRAGMA foreign_keys = ON", error) ||
      (!in_memory && !_payam_store_exec_sql (self, "PRAGMA journal_mode = WAL", error)) ||
      !_payam_store_exec_sql (self, "PRAGMA synchronous = NORMAL", error) ||
      /* Up to 32 MiB of page cache (allocated as needed), so that a big batch does not
       * spill half-written pages to the WAL before its commit. */
      !_payam_store_exec_sql (self, "PRAGMA cache_size = -32768", error) ||
      /* Savepoints (each change inside a batch) keep their sub-journal in memory rather
       * than in a temporary file. */
      !_payam_store_exec_sql (self, "PRAGMA temp_store = MEMORY", error))
    return NULL;

  self->schema_version = version;
  if (!_payam_store_migrate (self, version, error) ||
      !load_identity (self, error) ||
      !_payam_store_load_calendar (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
payam_store_set_durable (PayamStore  *self,
                         gboolean     durable,
                         GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth == 0, FALSE);

  return _payam_store_exec_sql (self, durable ? "PRAGMA synchronous = FULL"
                                              : "PRAGMA synchronous = NORMAL", error);
}

const char *
payam_store_get_path (PayamStore *self)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  return self->path;
}

int
payam_store_get_schema_version (PayamStore *self)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), 0);
  return self->schema_version;
}

const char *
payam_store_get_device_id (PayamStore *self)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  return self->device_id;
}

guint
payam_store_get_device_prefix (PayamStore *self)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), 0);
  return self->device_prefix;
}

/**
 * payam_store_set_device_prefix:
 *
 * Set the tracking-code prefix given at enrolment (1 … 9999). The sequence continues, so
 * codes stay unique on this device. INVALID when out of range.
 */
gboolean
payam_store_set_device_prefix (PayamStore  *self,
                               guint        prefix,
                               GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  if (prefix < 1 || prefix > PAYAM_TRACKING_PREFIX_MAX)
    {
      g_autofree char *min = payam_format_integer (1);
      g_autofree char *max = payam_format_integer (PAYAM_TRACKING_PREFIX_MAX);

      /* Translators: both %s are numbers in Persian digits. */
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
                   _("The device number must be between %s and %s."), min, max);
      return FALSE;
    }

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!meta_set_int (self, "device_prefix", prefix, error) ||
      !_payam_store_append_audit (self, "set-device-prefix", "device", self->device_id, NULL,
                                  error) ||
      !_payam_store_tx_commit (self, error))
    {
      if (self->depth > 0)
        _payam_store_tx_rollback (self);
      return FALSE;
    }
  self->device_prefix = prefix;
  return TRUE;
}

void
payam_store_set_actor (PayamStore *self,
                       const char *actor)
{
  g_return_if_fail (PAYAM_IS_STORE (self));

  g_free (self->actor);
  self->actor = g_strdup (actor != NULL && *actor != '\0' ? actor : "system");
  /* A new actor is a device or a tool until a sign-in names its member. */
  g_clear_pointer (&self->member, g_free);
}

const char *
payam_store_get_member (PayamStore *self)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  return self->member;
}

void
_payam_store_set_member (PayamStore *self,
                         const char *member_id)
{
  g_free (self->member);
  self->member = g_strdup (member_id);
}

void
payam_store_set_now_func (PayamStore   *self,
                          GDateTime  *(*now) (gpointer),
                          gpointer      user_data)
{
  g_return_if_fail (PAYAM_IS_STORE (self));

  self->now_func = now;
  self->now_data = user_data;
}

/**
 * payam_store_check_integrity:
 *
 * Run SQLite's integrity check (PRAGMA integrity_check). FALSE with a SQL error that
 * quotes the first problem found.
 */
gboolean
payam_store_check_integrity (PayamStore  *self,
                             GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *result = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  stmt = _payam_store_stmt (self, STMT_INTEGRITY_CHECK, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  result = _payam_column_dup_text (stmt, 0);
  if (g_strcmp0 (result, "ok") != 0)
    {
      /* Translators: %s is SQLite's description of the damage. */
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_SQL,
                   _("The database is damaged: %s"), result);
      return FALSE;
    }
  return TRUE;
}
