/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore statements: the SQL of each, lazy preparation, binding by name and errors. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-store-private.h"

/* The SQL of every statement, indexed by PayamStmtId. Parameters are bound by name. */
static const char *sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  /* SQLite allows repeated savepoint names; RELEASE/ROLLBACK TO act on the innermost. */
  [STMT_SAVEPOINT] = "SAVEPOINT payam_nested",
  [STMT_RELEASE] = "RELEASE payam_nested",
  [STMT_ROLLBACK_TO] = "ROLLBACK TO payam_nested",
  [STMT_META_GET] = "SELECT value FROM meta WHERE key = :key",
  [STMT_META_SET] =
    "INSERT INTO meta (key, value) VALUES (:key, :value) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  [STMT_OUTBOX_INSERT] =
    "INSERT INTO outbox (device_seq, op_id, entity, row_id, field, value, hlc, device_id, "
    "base_hlc, why, member) "
    "VALUES (:device_seq, :op_id, :entity, :row_id, :field, :value, :hlc, :device_id, :base_hlc, "
    ":why, :member)",
  [STMT_OUTBOX_COUNT] = "SELECT count(*) FROM outbox",
  [STMT_AUDIT_INSERT] =
    "INSERT INTO audit (at, actor, action, entity, row_id, detail) "
    "VALUES (:at, :actor, :action, :entity, :row_id, :detail)",
  /* The field's version, else the row's as created: a '*' row, or for a request made on
   * this device its hlc column (packed; written here in payam_hlc_to_string's form). */
  [STMT_FIELD_VERSION_GET] =
    "SELECT hlc FROM field_version WHERE entity = :entity AND row_id = :row_id "
    "AND field IN (:field, '*') "
    "UNION ALL SELECT printf ('%012x-%04x', hlc >> 16, hlc & 65535) FROM request "
    "WHERE :entity = 'request' AND id = :row_id AND hlc IS NOT NULL "
    "ORDER BY 1 DESC LIMIT 1",
  [STMT_FIELD_VERSION_SET] =
    "INSERT INTO field_version (entity, row_id, field, hlc, device) "
    "VALUES (:entity, :row_id, :field, :hlc, :device) "
    "ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc, "
    "device = excluded.device",
  [STMT_INTEGRITY_CHECK] = "PRAGMA integrity_check",
  [STMT_DATA_VERSION] = "PRAGMA data_version",
  [STMT_CATEGORY_UPSERT] =
    "INSERT INTO category (code, name, icon, default_priority, urgent_hours, high_hours, "
    "normal_hours, guidance, examples, related, position) "
    "VALUES (:code, :name, :icon, :default_priority, :urgent_hours, :high_hours, "
    ":normal_hours, :guidance, :examples, :related, :position) "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, icon = excluded.icon, "
    "default_priority = excluded.default_priority, urgent_hours = excluded.urgent_hours, "
    "high_hours = excluded.high_hours, normal_hours = excluded.normal_hours, "
    "guidance = excluded.guidance, examples = excluded.examples, related = excluded.related, "
    "position = excluded.position "
    /* Only rows that differ count as changes, so reloading the same defaults changes nothing. */
    "WHERE (name, icon, default_priority, urgent_hours, high_hours, normal_hours, guidance, "
    "examples, related, position) IS NOT (excluded.name, excluded.icon, "
    "excluded.default_priority, excluded.urgent_hours, excluded.high_hours, "
    "excluded.normal_hours, excluded.guidance, excluded.examples, excluded.related, "
    "excluded.position)",
  [STMT_CATEGORY_GET] =
    "SELECT code, name, icon, default_priority, urgent_hours, high_hours, normal_hours, "
    "guidance, examples, related FROM category WHERE code = :code",
  [STMT_CATEGORY_LIST] =
    "SELECT code, name, icon, default_priority, urgent_hours, high_hours, normal_hours, "
    "guidance, examples, related FROM category ORDER BY position, code",
  [STMT_CATEGORY_EXISTS] = "SELECT 1 FROM category WHERE code = :code",
  [STMT_PLACE_UPSERT] =
    "INSERT INTO place (code, kind, name, parent, lat, lon, sample, position) "
    "VALUES (:code, :kind, :name, :parent, :lat, :lon, :sample, :position) "
    "ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, name = excluded.name, "
    "parent = excluded.parent, lat = excluded.lat, lon = excluded.lon, "
    "sample = excluded.sample, position = excluded.position "
    "WHERE (kind, name, parent, lat, lon, sample, position) IS NOT (excluded.kind, "
    "excluded.name, excluded.parent, excluded.lat, excluded.lon, excluded.sample, "
    "excluded.position)",
  [STMT_PLACE_LIST] =
    "SELECT code, kind, name, parent, lat, lon, sample FROM place "
    "WHERE kind = :kind ORDER BY parent, position, code",
  [STMT_PLACE_LIST_PARENT] =
    "SELECT code, kind, name, parent, lat, lon, sample FROM place "
    "WHERE kind = :kind AND parent = :parent ORDER BY position, code",
  [STMT_PLACE_EXISTS] = "SELECT 1 FROM place WHERE code = :code AND kind = :kind",
  [STMT_CONFIG_GET] = "SELECT value FROM config WHERE key = :key",
  [STMT_GROUP_EXISTS] = "SELECT 1 FROM dup_group WHERE id = :id",
  [STMT_GROUP_INSERT] =
    "INSERT INTO dup_group (id, lead_request_id, state, created_at) "
    "VALUES (:id, :lead_request_id, 'proposed', :created_at)",
  [STMT_REQUEST_SET_GROUP] =
    "UPDATE request SET group_id = :group_id, updated_at = :updated_at WHERE id = :id",
#define REQUEST_COLUMNS \
    "id, tracking_code, channel, category_id, text, text_norm, neighbourhood, street, " \
    "landmark, lat, lon, hazard, danger_to_people, blocks_road, utilities, priority, status, " \
    "status_epoch, status_reason, group_id, created_at, due_at, updated_at, phone, name"
  [STMT_REQUEST_INSERT] =
    "INSERT INTO request (" REQUEST_COLUMNS ", hlc) VALUES (:id, :tracking_code, :channel, "
    ":category_id, :text, :text_norm, :neighbourhood, :street, :landmark, :lat, :lon, :hazard, "
    ":danger_to_people, :blocks_road, :utilities, :priority, 'registered', 0, NULL, :group_id, "
    ":created_at, :due_at, :updated_at, :phone, :name, :hlc)",
  [STMT_REQUEST_GET] = "SELECT " REQUEST_COLUMNS " FROM request WHERE id = :id",
  [STMT_REQUEST_GET_BY_CODE] =
    "SELECT " REQUEST_COLUMNS " FROM request WHERE tracking_code = :code",
  /* NULL filter parameters mean "all"; the open statuses are registered … in_progress. */
  [STMT_REQUEST_LIST] =
    "SELECT " REQUEST_COLUMNS " FROM request "
    "WHERE (:open_only = 0 OR status IN ('registered', 'triaged', 'assigned', 'in_progress')) "
    "AND (:neighbourhood IS NULL OR neighbourhood = :neighbourhood) "
    "AND (:category IS NULL OR category_id = :category) "
    "ORDER BY priority, due_at, created_at, id LIMIT :limit OFFSET :offset",
  [STMT_REQUEST_FOREACH] =
    "SELECT " REQUEST_COLUMNS " FROM request ORDER BY created_at, rowid",
  [STMT_REQUEST_SET_STATUS] =
    "UPDATE request SET status = :status, status_epoch = :status_epoch, "
    "status_reason = :status_reason, updated_at = :updated_at WHERE id = :id",
  /* Citizens of the group (or the request alone) not told their outcome: news on the way
   * (registered, assigned, joined) does not count. */
  [STMT_REQUEST_FEEDBACK_GROUP] =
    "SELECT count(*) FROM request r WHERE r.group_id = :group_id AND NOT EXISTS "
    "(SELECT 1 FROM notice n WHERE n.request_id = r.id AND n.kind IN ('outcome', 'rejected') "
    "AND n.state = 'sent')",
  [STMT_REQUEST_FEEDBACK_ALONE] =
    "SELECT count(*) FROM request r WHERE r.id = :id AND NOT EXISTS "
    "(SELECT 1 FROM notice n WHERE n.request_id = r.id AND n.kind IN ('outcome', 'rejected') "
    "AND n.state = 'sent')",
  [STMT_NOTICE_INSERT] =
    "INSERT INTO notice (id, request_id, kind, text, channel, state, attempts, created_at) "
    "VALUES (:id, :request_id, :kind, :text, :channel, 'pending', 0, :created_at)",
  [STMT_NOTICE_GET] = "SELECT state FROM notice WHERE id = :id",
  [STMT_NOTICE_MARK_SENT] =
    "UPDATE notice SET state = 'sent', sent_at = :sent_at, attempts = attempts + 1 "
    "WHERE id = :id",
  [STMT_PHOTO_INSERT] =
    "INSERT OR IGNORE INTO photo (sha256, mime, width, height, bytes, thumbnail, created_at, "
    "dhash) VALUES (:sha256, :mime, :width, :height, :bytes, :thumbnail, :created_at, :dhash)",
  [STMT_PHOTO_BYTES] = "SELECT bytes FROM photo WHERE sha256 = :sha256",
  [STMT_PHOTO_THUMBNAIL] = "SELECT thumbnail FROM photo WHERE sha256 = :sha256",
  [STMT_PHOTO_EXISTS] = "SELECT 1 FROM photo WHERE sha256 = :sha256",
  [STMT_REQUEST_PHOTO_INSERT] =
    "INSERT OR IGNORE INTO request_photo (request_id, sha256, attached_at) "
    "VALUES (:request_id, :sha256, :attached_at)",
  [STMT_REQUEST_PHOTO_LIST] =
    "SELECT sha256 FROM request_photo WHERE request_id = :request_id "
    "ORDER BY attached_at, sha256",
  [STMT_STATS_STATUS] = "SELECT status, count(*) FROM request GROUP BY status",
  [STMT_STATS_PRIORITY] = "SELECT priority, count(*) FROM request GROUP BY priority",
  [STMT_STATS_OVERDUE] =
    "SELECT count(*) FROM request WHERE status IN "
    "('registered', 'triaged', 'assigned', 'in_progress') AND due_at < :now",
  [STMT_STATS_PHOTOS] = "SELECT count(*) FROM photo",
#undef REQUEST_COLUMNS
};

/* ---- statements ---------------------------------------------------------------------- */

void
_payam_stmt_done (PayamStmt *stmt)
{
  if (stmt == NULL)
    return;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

gboolean
_payam_store_set_sql_error (PayamStore  *self,
                            int          rc,
                            GError     **error)
{
  const char *detail = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  /* The failures a person can act on get a sentence that says what to do, in the words of
   * who uses the device: a crew member can free space on the laptop, office staff on their
   * computer, a citizen at a kiosk can only tell the staff. SQLite rolls back the change
   * itself, so what was saved before stays. */
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_FULL,
                           self->device_role == PAYAM_ROLE_CREW
                           ? _("This laptop's disk is full, so this could not be saved. "
                               "Your work so far is kept on the laptop. Free some space on "
                               "this laptop (delete or move files you do not need), then "
                               "try again.")
                           : self->device_role == PAYAM_ROLE_OFFICE
                           ? _("This computer's disk is full, so this could not be saved. "
                               "What you recorded before is kept. Free some space on this "
                               "computer (delete or move files you do not need), then try "
                               "again.")
                           : _("The device's storage is full, so this could not be saved. "
                               "What was saved before is safe. Please tell the staff so "
                               "that they free some space."));
      return FALSE;
    case SQLITE_IOERR:
    case SQLITE_READONLY:
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_SQL,
                           self->device_role == PAYAM_ROLE_CREW
                           ? _("This laptop's disk could not be written, so this could not "
                               "be saved. Your work so far is kept on the laptop. Try "
                               "again; if it happens again, tell the office.")
                           : self->device_role == PAYAM_ROLE_OFFICE
                           ? _("This computer's disk could not be written, so this could "
                               "not be saved. What you recorded before is kept. Try again; "
                               "if it happens again, tell whoever looks after the office's "
                               "computers.")
                           : _("The device's storage could not be written, so this could "
                               "not be saved. What was saved before is safe. Please tell "
                               "the staff."));
      return FALSE;
    default:
      break;
    }

  /* Translators: %s is SQLite's own (English) description of the failure. */
  g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_SQL,
               _("Database error: %s"), detail);
  return FALSE;
}

/* For statements bound by position: their parameter names in position order (see the
 * Payam*Param enums of payam-store-private.h), NULL-terminated. */
static const char *const outbox_params[] = {
  ":device_seq", ":op_id", ":entity", ":row_id", ":field", ":value", ":hlc", ":device_id",
  ":base_hlc", ":why", ":member", NULL
};
static const char *const audit_params[] = {
  ":at", ":actor", ":action", ":entity", ":row_id", ":detail", NULL
};
static const char *const request_insert_params[] = {
  ":id", ":tracking_code", ":channel", ":category_id", ":text", ":text_norm", ":neighbourhood",
  ":street", ":landmark", ":lat", ":lon", ":hazard", ":danger_to_people", ":blocks_road",
  ":utilities", ":priority", ":group_id", ":created_at", ":due_at", ":updated_at", ":phone",
  ":name", ":hlc", NULL
};
static const char *const *const positional_params[N_STMTS] = {
  [STMT_OUTBOX_INSERT] = outbox_params,
  [STMT_AUDIT_INSERT] = audit_params,
  [STMT_REQUEST_INSERT] = request_insert_params,
};

G_STATIC_ASSERT (G_N_ELEMENTS (outbox_params) == OUTBOX_P_MEMBER + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (audit_params) == AUDIT_P_DETAIL + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (request_insert_params) == REQUEST_P_HLC + 1);

/* The names of @stmt's parameters are @names, in this order: the statement's SQL and the
 * positions its callers bind at agree. */
static void
check_positions (sqlite3_stmt      *stmt,
                 const char *const *names)
{
  int n = 0;

  for (; names[n] != NULL; n++)
    g_assert_cmpstr (sqlite3_bind_parameter_name (stmt, n + 1), ==, names[n]);
  g_assert_cmpint (sqlite3_bind_parameter_count (stmt), ==, n);
}

/* The cached statement @id, prepared on first use. Borrowed: use it through
 * g_autoptr(PayamStmt) so it is reset after use. NULL with a SQL error on failure. */
PayamStmt *
_payam_store_stmt (PayamStore   *self,
                   PayamStmtId   id,
                   GError      **error)
{
  g_assert (id < N_STMTS);

  if (self->stmts[id] == NULL)
    {
      int rc = sqlite3_prepare_v3 (self->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                   &self->stmts[id], NULL);
      if (rc != SQLITE_OK)
        {
          _payam_store_set_sql_error (self, rc, error);
          return NULL;
        }
      if (positional_params[id] != NULL)
        check_positions (self->stmts[id], positional_params[id]);
    }

  return self->stmts[id];
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* The statements of SQL outside the table above (sync, groups, worksheets, timeline,
 * devices) are kept per store in self->cached_stmts, keyed by their SQL text: text built
 * at run time comes from a fixed set of tables and columns, so the cache stays small. A
 * statement still stepping (a loop over rows that runs another helper with the same SQL)
 * is busy; a second one is prepared beside it. Each caller steps its statement right
 * after binding it, without preparing another in between, so a statement bound but not
 * yet stepped is never handed out twice. */
PayamStmt *
_payam_store_prepare_cached (PayamStore  *self,
                             const char  *text,
                             GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  GPtrArray *stmts;
  int rc;

  if (self->cached_stmts == NULL)
    self->cached_stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) g_ptr_array_unref);
  stmts = g_hash_table_lookup (self->cached_stmts, text);
  for (guint i = 0; stmts != NULL && i < stmts->len; i++)
    if (!sqlite3_stmt_busy (g_ptr_array_index (stmts, i)))
      return g_ptr_array_index (stmts, i);

  rc = sqlite3_prepare_v3 (self->db, text, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  if (stmts == NULL)
    {
      stmts = g_ptr_array_new_with_free_func (finalize_stmt);
      g_hash_table_insert (self->cached_stmts, g_strdup (text), stmts);
    }
  g_ptr_array_add (stmts, stmt);
  return stmt;
}

gboolean
_payam_store_step_done (PayamStore  *self,
                        PayamStmt   *stmt,
                        GError     **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

/* Run fixed SQL text (migrations, pragmas): never text built from data. */
gboolean
_payam_store_exec_sql (PayamStore  *self,
                       const char  *text,
                       GError     **error)
{
  int rc = sqlite3_exec (self->db, text, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

static int
param_index (PayamStmt  *stmt,
             const char *name)
{
  int idx = sqlite3_bind_parameter_index (stmt, name);

  g_assert (idx > 0);
  return idx;
}

void
_payam_bind_text (PayamStmt  *stmt,
                  const char *name,
                  const char *value)
{
  int idx = param_index (stmt, name);

  if (value == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_text (stmt, idx, value, -1, SQLITE_TRANSIENT);
}

void
_payam_bind_int (PayamStmt  *stmt,
                 const char *name,
                 gint64      value)
{
  sqlite3_bind_int64 (stmt, param_index (stmt, name), value);
}

void
_payam_bind_double (PayamStmt  *stmt,
                    const char *name,
                    double      value)
{
  sqlite3_bind_double (stmt, param_index (stmt, name), value);
}

void
_payam_bind_text_at (PayamStmt  *stmt,
                     int         position,
                     const char *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, position);
  else
    sqlite3_bind_text (stmt, position, value, -1, SQLITE_STATIC);
}

void
_payam_bind_int_at (PayamStmt  *stmt,
                    int         position,
                    gint64      value)
{
  sqlite3_bind_int64 (stmt, position, value);
}

void
_payam_bind_double_at (PayamStmt  *stmt,
                       int         position,
                       double      value)
{
  sqlite3_bind_double (stmt, position, value);
}

void
_payam_bind_blob (PayamStmt  *stmt,
                  const char *name,
                  GBytes     *bytes)
{
  int idx = param_index (stmt, name);
  gsize size = 0;
  gconstpointer data;

  if (bytes == NULL)
    {
      sqlite3_bind_null (stmt, idx);
      return;
    }
  data = g_bytes_get_data (bytes, &size);
  /* An empty blob is still a blob, not NULL. */
  sqlite3_bind_blob64 (stmt, idx, size > 0 ? data : "", size, SQLITE_TRANSIENT);
}

char *
_payam_column_dup_text (PayamStmt *stmt,
                        int        column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *)text) : NULL;
}
