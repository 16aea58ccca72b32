/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sync on the store: ops merged into the domain tables by the rules of payam-merge.h, and
 * local edits of the fields sync carries. */
#define G_LOG_DOMAIN "payam-sync"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "payam-merge-groups.h"
#include "payam-store-contact-private.h"
#include "payam-store-sync-private.h"
#include "payam-text.h"
#include "payam-uuid.h"

/* ---- the tables ops write ------------------------------------------------------------ */

typedef struct {
  const char *member;  /* the JSON member and op field */
  const char *column;
  char        type;    /* 'S' text, 's' text or null, 'i' integer, 'b' boolean, 'n' number */
} Column;

typedef struct {
  const char   *entity;
  const char   *table;
  const char   *key;      /* the column that holds the row id; NULL: a composite key */
  const Column *columns;  /* ends with a NULL member */
} Table;

static const Column request_columns[] = {
  { "tracking_code", "tracking_code", 'S' },
  { "channel", "channel", 'S' },
  { "category", "category_id", 'S' },
  { "text", "text", 's' },
  { "neighbourhood", "neighbourhood", 'S' },
  { "street", "street", 's' },
  { "landmark", "landmark", 's' },
  { "lat", "lat", 'n' },
  { "lon", "lon", 'n' },
  { "hazard", "hazard", 'b' },
  { "danger_to_people", "danger_to_people", 'b' },
  { "blocks_road", "blocks_road", 'b' },
  { "utilities", "utilities", 'b' },
  { "priority", "priority", 'i' },
  { "status", "status", 'S' },
  { "status_epoch", "status_epoch", 'i' },
  { "group_id", "group_id", 's' },
  { "created_at", "created_at", 'S' },
  { "due_at", "due_at", 'S' },
  { "phone", "phone", 's' },
  { "name", "name", 's' },
  { "public_text", "public_text", 's' },
  { NULL, NULL, 0 }
};
static const Column dup_group_columns[] = {
  { "lead_request_id", "lead_request_id", 's' },
  { "state", "state", 'S' },
  { "created_at", "created_at", 'S' },
  { NULL, NULL, 0 }
};
static const Column worksheet_columns[] = {
  { "group_id", "group_id", 'S' },
  { "crew_id", "crew_id", 's' },
  { "status", "status", 'S' },
  { "due_at", "due_at", 's' },
  { "created_at", "created_at", 'S' },
  { NULL, NULL, 0 }
};
static const Column action_columns[] = {
  { "worksheet_id", "worksheet_id", 'S' },
  { "kind", "kind", 'S' },
  { "note", "note", 's' },
  { "actor", "actor", 's' },
  { "at", "at", 'S' },
  { NULL, NULL, 0 }
};
static const Column action_photo_columns[] = {
  { "action_id", "action_id", 'S' },
  { "sha256", "sha256", 'S' },
  { NULL, NULL, 0 }
};
static const Column photo_columns[] = {
  { "mime", "mime", 'S' },
  { "width", "width", 'i' },
  { "height", "height", 'i' },
  { "created_at", "created_at", 'S' },
  { NULL, NULL, 0 }
};
static const Column request_photo_columns[] = {
  { "request_id", "request_id", 'S' },
  { "sha256", "sha256", 'S' },
  { "attached_at", "attached_at", 'S' },
  { NULL, NULL, 0 }
};
static const Column notice_columns[] = {
  { "request_id", "request_id", 'S' },
  { "kind", "kind", 'S' },
  { "text", "text", 'S' },
  { "channel", "channel", 'S' },
  { "state", "state", 'S' },
  { "created_at", "created_at", 'S' },
  { NULL, NULL, 0 }
};
static const Column rating_columns[] = {
  { "request_id", "request_id", 'S' },
  { "score", "score", 'i' },
  { "comment", "comment", 's' },
  { "created_at", "created_at", 'S' },
  { NULL, NULL, 0 }
};

static const Column crew_columns[] = {
  { "name", "name", 'S' },
  { "neighbourhood", "neighbourhood", 's' },
  { NULL, NULL, 0 }
};

static const Column crew_member_columns[] = {
  { "crew_id", "crew_id", 'S' },
  { "name", "name", 'S' },
  { "pin_hash", "pin_hash", 'S' },
  { "created_at", "created_at", 'S' },
  { "active", "active", 'i' },
  { NULL, NULL, 0 }
};

static const Column staff_columns[] = {
  { "role", "role", 'S' },
  { "name", "name", 'S' },
  { "supervisor", "supervisor", 'i' },
  { "active", "active", 'i' },
  { "password_hash", "password_hash", 's' },
  { NULL, NULL, 0 }
};

static const Column conflict_columns[] = {
  { "kind", "kind", 'S' },
  { "entity", "entity", 'S' },
  { "row_id", "row_id", 'S' },
  { "field", "field", 's' },
  { "kept_value", "kept_value", 's' },
  { "lost_value", "lost_value", 's' },
  { "kept_hlc", "kept_hlc", 's' },
  { "lost_hlc", "lost_hlc", 's' },
  { "lost_device", "lost_device", 's' },
  { "lost_member", "lost_member", 's' },
  { "created_at", "created_at", 'S' },
  { "reason", "reason", 's' },
  { "resolved_at", "resolved_at", 's' },
  { "resolved_by", "resolved_by", 's' },
  { NULL, NULL, 0 }
};

static const Table tables[] = {
  { "crew", "crew", "id", crew_columns },
  { "crew_member", "crew_member", "id", crew_member_columns },
  { "staff", "staff", "id", staff_columns },
  { "request", "request", "id", request_columns },
  { "dup_group", "dup_group", "id", dup_group_columns },
  { "worksheet", "worksheet", "id", worksheet_columns },
  { "worksheet_action", "worksheet_action", "id", action_columns },
  { "worksheet_action_photo", "worksheet_action_photo", NULL, action_photo_columns },
  { "photo", "photo", "sha256", photo_columns },
  { "request_photo", "request_photo", NULL, request_photo_columns },
  { "notice", "notice", "id", notice_columns },
  { "rating", "rating", "id", rating_columns },
  { "conflict", "conflict", "id", conflict_columns },
};

static const Table *
find_table (const char *entity)
{
  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    if (strcmp (tables[i].entity, entity) == 0)
      return &tables[i];
  return NULL;
}

static const Column *
find_column (const Table *table,
             const char  *member)
{
  for (const Column *c = table->columns; c->member != NULL; c++)
    if (strcmp (c->member, member) == 0)
      return c;
  return NULL;
}

/* Bind @node (may be NULL: SQL NULL) at @position as a value of @type; FALSE when it does
 * not fit. */
static gboolean
bind_json (sqlite3_stmt *stmt,
           int           position,
           char          type,
           JsonNode     *node)
{
  GType vt;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (type == 'S')
        return FALSE;
      sqlite3_bind_null (stmt, position);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  vt = json_node_get_value_type (node);
  switch (type)
    {
    case 'S':
    case 's':
      if (vt != G_TYPE_STRING || !g_utf8_validate (json_node_get_string (node), -1, NULL) ||
          (type == 'S' && *json_node_get_string (node) == '\0'))
        return FALSE;
      sqlite3_bind_text (stmt, position, json_node_get_string (node), -1, SQLITE_TRANSIENT);
      return TRUE;
    case 'i':
      if (vt != G_TYPE_INT64)
        return FALSE;
      sqlite3_bind_int64 (stmt, position, json_node_get_int (node));
      return TRUE;
    case 'b':
      if (vt == G_TYPE_BOOLEAN)
        sqlite3_bind_int (stmt, position, json_node_get_boolean (node) ? 1 : 0);
      else if (vt == G_TYPE_INT64)
        sqlite3_bind_int (stmt, position, json_node_get_int (node) != 0);
      else
        return FALSE;
      return TRUE;
    case 'n':
      if (vt != G_TYPE_DOUBLE && vt != G_TYPE_INT64)
        return FALSE;
      sqlite3_bind_double (stmt, position, json_node_get_double (node));
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/* A column as JSON text (for the conflict table). */
static char *
column_to_json (sqlite3_stmt *stmt,
                int           column)
{
  g_autoptr(JsonNode) node = json_node_alloc ();

  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_INTEGER:
      json_node_init_int (node, sqlite3_column_int64 (stmt, column));
      break;
    case SQLITE_FLOAT:
      json_node_init_double (node, sqlite3_column_double (stmt, column));
      break;
    case SQLITE_TEXT:
    case SQLITE_BLOB:
      json_node_init_string (node, (const char *) sqlite3_column_text (stmt, column));
      break;
    case SQLITE_NULL:
    default:
      json_node_init_null (node);
      break;
    }
  return _payam_json_to_string (node);
}

/* ---- versions -------------------------------------------------------------------------- */

typedef struct {
  PayamHlc  hlc;
  char     *device;
} Version;

static void
version_clear (Version *v)
{
  g_clear_pointer (&v->device, g_free);
  v->hlc = 0;
}

/* The version of @field of a row: its own, else the row's as created (a '*' row, or
 * request.hlc for a request this store made). On a device (@own_create FALSE) the create of
 * a row it made itself is no version an edit it pulls is measured against: every edit of
 * the row by anyone came after the server took that create, but the stamp kept here may be
 * a later one (the create was sent again re-stamped after a restore or lost commits, and
 * the server, which held the row already, kept it as it was). hlc 0 when there is none. */
static gboolean
get_version (PayamStore  *self,
             const char  *entity,
             const char  *row_id,
             const char  *field,
             gboolean     own_create,
             Version     *out,
             GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "SELECT hlc, device, field = '*' FROM field_version WHERE entity = ?1 AND row_id = ?2 "
    "AND (field = ?3 OR (field = '*' AND (?5 OR device IS NOT ?4))) "
    "UNION ALL SELECT printf ('%012x-%04x', hlc >> 16, hlc & 65535), NULL, 2 FROM request "
    "WHERE ?5 AND ?1 = 'request' AND id = ?2 AND hlc IS NOT NULL "
    "ORDER BY 3 LIMIT 1", error);
  gboolean found;

  version_clear (out);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, self->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, own_create);
  if (!_payam_sync_step_row (self, stmt, &found, error))
    return FALSE;
  if (!found)
    return TRUE;
  if (!payam_hlc_parse ((const char *) sqlite3_column_text (stmt, 0), &out->hlc))
    out->hlc = 0;
  out->device = sqlite3_column_type (stmt, 1) == SQLITE_NULL
                ? g_strdup (self->device_id) : _payam_column_dup_text (stmt, 1);
  return TRUE;
}

static gboolean
set_version (PayamStore    *self,
             const PayamOp *op,
             const char    *field,
             GError       **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "INSERT INTO field_version (entity, row_id, field, hlc, device) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (entity, row_id, field) "
    "DO UPDATE SET hlc = excluded.hlc, device = excluded.device", error);
  g_autofree char *hlc = payam_hlc_to_string (op->hlc);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, op->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, hlc, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, op->device_id, -1, SQLITE_STATIC);
  return _payam_sync_step_done (self, stmt, error);
}

/* ---- conflicts --------------------------------------------------------------------------- */

static gboolean
record_conflict (PayamStore        *self,
                 PayamConflictKind  kind,
                 const PayamOp     *op,
                 const char        *kept_value,
                 PayamHlc           kept_hlc,
                 const char        *lost_value,
                 PayamHlc           lost_hlc,
                 const char        *lost_device,
                 const char        *reason,
                 GError           **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "INSERT INTO conflict (id, kind, entity, row_id, field, kept_value, lost_value, kept_hlc, "
    "lost_hlc, lost_device, created_at, reason, lost_member) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
    /* The member who made the losing change: this op's, or the one the log holds for the
     * version that lost (NULL for none, or a version from before members were sent). */
    "CASE WHEN ?10 IS ?13 AND ?9 IS ?14 THEN ?15 ELSE (SELECT member FROM sync_log "
    "WHERE device_id = ?10 AND hlc = ?9 AND member IS NOT NULL LIMIT 1) END)", error);
  g_autofree char *id = payam_uuid7_new ();
  g_autofree char *kept = kept_hlc != 0 ? payam_hlc_to_string (kept_hlc) : NULL;
  g_autofree char *lost = payam_hlc_to_string (lost_hlc);
  g_autofree char *op_hlc = payam_hlc_to_string (op->hlc);
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autofree char *created_at = _payam_time_to_db (now);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, payam_conflict_kind_to_string (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, op->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, op->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, op->field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, kept_value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, lost_value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, kept, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, lost, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, lost_device, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, created_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, op->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, op_hlc, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 15, op->member, -1, SQLITE_STATIC);
  /* Conflicts are recorded on the server only: the row goes out to the office's devices. */
  return _payam_sync_step_done (self, stmt, error) &&
         _payam_sync_log_conflict (self, id, error);
}

static gboolean read_column (PayamStore   *self,
                             const Table  *table,
                             const char   *column,
                             const char   *row_id,
                             gboolean     *exists,
                             char        **json,
                             GError      **error);

gboolean
_payam_sync_refuse_op (PayamStore     *self,
                       const PayamOp  *op,
                       const char     *reason,
                       GError        **error)
{
  const Table *table = find_table (op->entity);
  const Column *column = NULL;
  g_autofree char *stored = NULL;
  gboolean exists = FALSE;

  g_assert (reason != NULL);

  /* The value the server holds beside the one it refused: the field's, or for a new row
   * its id when a row of that id exists. */
  if (table != NULL && table->key != NULL)
    {
      column = strcmp (op->field, "*") == 0 ? NULL : find_column (table, op->field);
      if (strcmp (op->field, "*") == 0 || column != NULL)
        {
          if (!read_column (self, table, column != NULL ? column->column : table->key,
                            op->row_id, &exists, &stored, error))
            return FALSE;
        }
    }
  return record_conflict (self, PAYAM_CONFLICT_VALIDATION, op, stored, 0, op->value, op->hlc,
                          op->device_id, reason, error);
}

/* ---- applying one op ------------------------------------------------------------------- */

/* Whether the row is closed or deleted: an edit of it is edit-after-close. */
static gboolean
row_closed (PayamStore  *self,
            const char  *entity,
            const char  *row_id,
            gboolean    *out,
            GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "SELECT 1 FROM tombstone WHERE entity = ?1 AND row_id = ?2 "
    "UNION ALL SELECT 1 FROM request WHERE ?1 = 'request' AND id = ?2 AND status = 'closed'",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_STATIC);
  return _payam_sync_step_row (self, stmt, out, error);
}


/* The INSERT OR IGNORE of @table's create (see apply_create), made once per table. */
static const char *
create_sql (const Table *table)
{
  static gsize made[G_N_ELEMENTS (tables)];
  gsize i = (gsize) (table - tables);

  g_assert (i < G_N_ELEMENTS (tables));
  if (g_once_init_enter (&made[i]))
    {
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(GString) params = g_string_new (NULL);
      int n = 0;

      g_string_printf (sql, "INSERT OR IGNORE INTO %s (", table->table);
      if (table->key != NULL)
        {
          g_string_append (sql, table->key);
          g_string_append (params, "?1");
          n = 1;
        }
      for (const Column *c = table->columns; c->member != NULL; c++)
        {
          g_string_append_printf (sql, "%s%s", n > 0 ? ", " : "", c->column);
          g_string_append_printf (params, "%s?%d", n > 0 ? ", " : "", n + 1);
          n++;
        }
      if (strcmp (table->entity, "request") == 0)
        {
          g_string_append (sql, ", text_norm, updated_at");
          g_string_append_printf (params, ", ?%d, ?%d", n + 1, n + 2);
        }
      g_string_append_printf (sql, ") VALUES (%s)", params->str);
      /* Kept for the life of the process, one text per table. */
      g_once_init_leave (&made[i], (gsize) g_string_free (g_steal_pointer (&sql), FALSE));
    }
  return (const char *) made[i];
}

/* A new row: INSERT OR IGNORE of every member the table knows (a grow-only set: a row that
 * exists stays as it is). The request also gets its normalised text and updated_at. */
static gboolean
apply_create (PayamStore         *self,
              const Table        *table,
              const PayamOp      *op,
              JsonNode           *value,
              PayamApplyOutcome  *outcome,
              GError            **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *text_norm = NULL;
  JsonObject *object;
  int n = 0;
  gboolean is_request = strcmp (table->entity, "request") == 0;
  PayamMergeDecision d;

  if (!JSON_NODE_HOLDS_OBJECT (value))
    {
      *outcome = APPLY_INVALID;
      return TRUE;
    }
  object = json_node_get_object (value);

  stmt = _payam_store_prepare_cached (self, create_sql (table), error);
  if (stmt == NULL)
    return FALSE;
  if (table->key != NULL)
    sqlite3_bind_text (stmt, ++n, op->row_id, -1, SQLITE_STATIC);
  for (const Column *c = table->columns; c->member != NULL; c++)
    {
      JsonNode *member = json_object_get_member (object, c->member);

      n++;
      /* A missing member takes the column's neutral value (see request_to_json). */
      if (member == NULL && (c->type == 'b' || strcmp (c->member, "status_epoch") == 0))
        {
          sqlite3_bind_int (stmt, n, 0);
          continue;
        }
      /* A member made before it could be disabled (schema 26) is active. */
      if (member == NULL && strcmp (c->member, "active") == 0)
        {
          sqlite3_bind_int (stmt, n, 1);
          continue;
        }
      if (member == NULL && strcmp (c->member, "status") == 0)
        {
          sqlite3_bind_text (stmt, n, is_request ? "registered" : "open", -1, SQLITE_STATIC);
          continue;
        }
      if (!bind_json (stmt, n, c->type, member))
        {
          *outcome = APPLY_INVALID;
          return TRUE;
        }
    }
  if (is_request)
    {
      const char *text = json_object_get_string_member_with_default (object, "text", "");
      const char *created = json_object_get_string_member_with_default (object, "created_at",
                                                                        NULL);

      text_norm = payam_text_normalize (text);
      sqlite3_bind_text (stmt, ++n, text_norm, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, ++n, created, -1, SQLITE_STATIC);
    }
  if (!_payam_sync_step_done (self, stmt, error))
    return FALSE;

  d = payam_merge_decide_create (sqlite3_changes (self->db) == 0);
  if (d.action != PAYAM_MERGE_APPLY)
    {
      g_autofree char *key = NULL;
      gboolean exists = TRUE;

      /* Nothing inserted and no row of this id: another unique key refused it (a second
       * worksheet for one group, made on two devices offline). Not a repeat: refused. */
      if (table->key != NULL &&
          !read_column (self, table, table->key, op->row_id, &exists, &key, error))
        return FALSE;
      *outcome = exists ? APPLY_SUPERSEDED : APPLY_INVALID;
      return TRUE;
    }
  *outcome = APPLY_APPLIED;
  return set_version (self, op, "*", error);
}

/* The row's current value of @column (as JSON text) and whether the row exists. */
static gboolean
read_column (PayamStore   *self,
             const Table  *table,
             const char   *column,
             const char   *row_id,
             gboolean     *exists,
             char        **json,
             GError      **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE %s = ?1", column,
                                          table->table, table->key);
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, sql, error);

  *json = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row_id, -1, SQLITE_STATIC);
  if (!_payam_sync_step_row (self, stmt, exists, error))
    return FALSE;
  if (*exists)
    *json = column_to_json (stmt, 0);
  return TRUE;
}

static gboolean
write_column (PayamStore   *self,
              const Table  *table,
              const Column *column,
              const char   *row_id,
              JsonNode     *value,
              gboolean     *fits,
              GError      **error)
{
  gboolean is_text = strcmp (table->entity, "request") == 0 &&
                     strcmp (column->member, "text") == 0;
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET %s = ?1%s WHERE %s = ?2",
                                          table->table, column->column,
                                          is_text ? ", text_norm = ?3" : "", table->key);
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, sql, error);
  g_autofree char *norm = NULL;

  if (stmt == NULL)
    return FALSE;
  *fits = bind_json (stmt, 1, column->type, value);
  if (!*fits)
    return TRUE;
  if (is_text)
    {
      norm = payam_text_normalize (json_node_get_string (value) != NULL
                                   ? json_node_get_string (value) : "");
      sqlite3_bind_text (stmt, 3, norm, -1, SQLITE_STATIC);
    }
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_STATIC);
  return _payam_sync_step_done (self, stmt, error);
}

static PayamApplyOutcome
outcome_of (PayamMergeDecision d)
{
  if (d.conflict != PAYAM_CONFLICT_NONE && d.action != PAYAM_MERGE_SAME)
    return APPLY_CONFLICT;
  return d.action == PAYAM_MERGE_APPLY ? APPLY_APPLIED : APPLY_SUPERSEDED;
}

/* A last-writer-wins field. */
static gboolean
apply_field (PayamStore         *self,
             const Table        *table,
             const PayamOp      *op,
             JsonNode           *value,
             gboolean            record_conflicts,
             PayamApplyOutcome  *outcome,
             GError            **error)
{
  const Column *column = table->key != NULL ? find_column (table, op->field) : NULL;
  g_autofree char *current = NULL;
  Version stored = { 0, NULL };
  PayamMergeStamp stored_stamp, incoming = { op->hlc, op->device_id };
  PayamMergeDecision d;
  gboolean exists, closed, fits = TRUE;
  gboolean ok;

  if (column == NULL)
    {
      *outcome = APPLY_UNKNOWN_FIELD;
      return TRUE;
    }
  if (!read_column (self, table, column->column, op->row_id, &exists, &current, error))
    return FALSE;
  if (!exists)
    {
      *outcome = APPLY_UNKNOWN_ROW;
      return TRUE;
    }
  if (!row_closed (self, op->entity, op->row_id, &closed, error) ||
      !get_version (self, op->entity, op->row_id, op->field, record_conflicts, &stored,
                    error))
    {
      version_clear (&stored);
      return FALSE;
    }
  stored_stamp = (PayamMergeStamp) { stored.hlc, stored.device };
  if (payam_merge_rule_for (op->entity, op->field) == PAYAM_MERGE_RULE_STATE)
    {
      /* The lattices of payam-merge-groups.h, on the states as text. */
      const char *in_state = JSON_NODE_HOLDS_VALUE (value) &&
                             json_node_get_value_type (value) == G_TYPE_STRING
                             ? json_node_get_string (value) : NULL;
      g_autofree char *stored_state = NULL;
      const char *kept;

      if (in_state == NULL)
        {
          version_clear (&stored);
          *outcome = APPLY_INVALID;
          return TRUE;
        }
      if (current != NULL && current[0] == '"')
        {
          g_autoptr(JsonNode) node = json_from_string (current, NULL);

          if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
            stored_state = g_strdup (json_node_get_string (node));
        }
      kept = strcmp (op->entity, "dup_group") == 0
             ? payam_merge_group_state (stored_state, in_state)
             : payam_merge_worksheet_status (stored_state, in_state);
      d = payam_merge_decide_state (stored_state, &stored_stamp, in_state, &incoming, kept,
                                    op->base_hlc);
    }
  else
    d = payam_merge_decide_field (&stored_stamp, &incoming, op->base_hlc, closed);
  *outcome = outcome_of (d);

  ok = TRUE;
  if (d.action == PAYAM_MERGE_APPLY)
    {
      ok = write_column (self, table, column, op->row_id, value, &fits, error);
      if (ok && !fits)
        *outcome = APPLY_INVALID;
      else if (ok)
        ok = set_version (self, op, op->field, error);
    }
  if (ok && fits && record_conflicts && *outcome == APPLY_CONFLICT)
    {
      if (d.action == PAYAM_MERGE_APPLY)
        ok = record_conflict (self, d.conflict, op, op->value, op->hlc, current, stored.hlc,
                              stored.device, NULL, error);
      else
        ok = record_conflict (self, d.conflict, op, current, stored.hlc, op->value, op->hlc,
                              op->device_id, NULL, error);
    }
  version_clear (&stored);
  return ok;
}

/* The request status lattice: value {"status", "epoch", "reason"}. */
static gboolean
apply_status (PayamStore         *self,
              const PayamOp      *op,
              JsonNode           *value,
              gboolean            record_conflicts,
              PayamApplyOutcome  *outcome,
              GError            **error)
{
  g_autoptr(PayamStmt) get = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) current_node = NULL;
  g_autofree char *current = NULL;
  Version stored = { 0, NULL };
  PayamMergeStatus stored_point, incoming;
  PayamMergeDecision d;
  JsonObject *object;
  PayamStatus status;
  const char *reason;
  gboolean found;
  gboolean ok = TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (value))
    {
      *outcome = APPLY_INVALID;
      return TRUE;
    }
  object = json_node_get_object (value);
  if (!payam_status_from_string (json_object_get_string_member_with_default (object, "status",
                                                                             ""), &status) ||
      json_object_get_int_member_with_default (object, "epoch", -1) < 0)
    {
      *outcome = APPLY_INVALID;
      return TRUE;
    }
  reason = json_object_get_string_member_with_default (object, "reason", NULL);

  get = _payam_store_prepare_cached (self, "SELECT status, status_epoch, status_reason "
                                     "FROM request WHERE id = ?1", error);
  if (get == NULL)
    return FALSE;
  sqlite3_bind_text (get, 1, op->row_id, -1, SQLITE_STATIC);
  if (!_payam_sync_step_row (self, get, &found, error))
    return FALSE;
  if (!found)
    {
      *outcome = APPLY_UNKNOWN_ROW;
      return TRUE;
    }
  if (!get_version (self, "request", op->row_id, "status", record_conflicts, &stored,
                    error))
    return FALSE;

  stored_point.epoch = sqlite3_column_int (get, 1);
  if (!payam_status_from_string ((const char *) sqlite3_column_text (get, 0),
                                 &stored_point.status))
    stored_point.status = PAYAM_STATUS_REGISTERED;
  stored_point.hlc = stored.hlc;
  stored_point.device = stored.device;
  incoming.epoch = (int) json_object_get_int_member (object, "epoch");
  incoming.status = status;
  incoming.hlc = op->hlc;
  incoming.device = op->device_id;

  d = payam_merge_decide_status (&stored_point, &incoming, op->base_hlc);
  *outcome = outcome_of (d);

  if (d.action == PAYAM_MERGE_APPLY)
    {
      g_autoptr(PayamStmt) set = _payam_store_prepare_cached (self,
        "UPDATE request SET status = ?1, status_epoch = ?2, status_reason = ?3 WHERE id = ?4",
        error);

      if (set == NULL)
        {
          version_clear (&stored);
          return FALSE;
        }
      sqlite3_bind_text (set, 1, payam_status_to_string (status), -1, SQLITE_STATIC);
      sqlite3_bind_int (set, 2, incoming.epoch);
      sqlite3_bind_text (set, 3, reason, -1, SQLITE_STATIC);
      sqlite3_bind_text (set, 4, op->row_id, -1, SQLITE_STATIC);
      ok = _payam_sync_step_done (self, set, error) && set_version (self, op, "status", error);
    }
  if (ok && record_conflicts && *outcome == APPLY_CONFLICT)
    {
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, payam_status_to_string (stored_point.status));
      json_builder_set_member_name (b, "epoch");
      json_builder_add_int_value (b, stored_point.epoch);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (get, 2));
      json_builder_end_object (b);
      current_node = json_builder_get_root (b);
      current = _payam_json_to_string (current_node);
      if (d.action == PAYAM_MERGE_APPLY)
        ok = record_conflict (self, d.conflict, op, op->value, op->hlc, current, stored.hlc,
                              stored.device, NULL, error);
      else
        ok = record_conflict (self, d.conflict, op, current, stored.hlc, op->value, op->hlc,
                              op->device_id, NULL, error);
    }
  version_clear (&stored);
  return ok;
}

static gboolean
apply_tombstone (PayamStore         *self,
                 const Table        *table,
                 const PayamOp      *op,
                 PayamApplyOutcome  *outcome,
                 GError            **error)
{
  g_autoptr(PayamStmt) get = NULL;
  g_autofree char *current = NULL;
  PayamMergeStamp stored = { 0, NULL }, incoming = { op->hlc, op->device_id };
  PayamMergeDecision d;
  g_autofree char *stored_device = NULL;
  gboolean exists, found;

  if (table->key == NULL)
    {
      *outcome = APPLY_UNKNOWN_FIELD;
      return TRUE;
    }
  if (!read_column (self, table, table->key, op->row_id, &exists, &current, error))
    return FALSE;
  if (!exists)
    {
      *outcome = APPLY_UNKNOWN_ROW;
      return TRUE;
    }
  get = _payam_store_prepare_cached (self, "SELECT hlc, device FROM tombstone WHERE entity = ?1 "
                                     "AND row_id = ?2", error);
  if (get == NULL)
    return FALSE;
  sqlite3_bind_text (get, 1, op->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (get, 2, op->row_id, -1, SQLITE_STATIC);
  if (!_payam_sync_step_row (self, get, &found, error))
    return FALSE;
  if (found && payam_hlc_parse ((const char *) sqlite3_column_text (get, 0), &stored.hlc))
    stored.device = stored_device = _payam_column_dup_text (get, 1);

  d = payam_merge_decide_tombstone (&stored, &incoming);
  *outcome = outcome_of (d);
  if (d.action == PAYAM_MERGE_APPLY)
    {
      g_autoptr(PayamStmt) set = _payam_store_prepare_cached (self,
        "INSERT INTO tombstone (entity, row_id, hlc, device) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (entity, row_id) DO UPDATE SET hlc = excluded.hlc, "
        "device = excluded.device", error);
      g_autofree char *hlc = payam_hlc_to_string (op->hlc);

      if (set == NULL)
        return FALSE;
      sqlite3_bind_text (set, 1, op->entity, -1, SQLITE_STATIC);
      sqlite3_bind_text (set, 2, op->row_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (set, 3, hlc, -1, SQLITE_STATIC);
      sqlite3_bind_text (set, 4, op->device_id, -1, SQLITE_STATIC);
      return _payam_sync_step_done (self, set, error);
    }
  return TRUE;
}

/* The lead a dup_group op names (a new group's lead_request_id member, or the value of a
 * lead_request_id op), borrowed from @value; NULL for none or another op. */
static const char *
lead_named (const PayamOp *op,
            JsonNode      *value)
{
  if (strcmp (op->entity, "dup_group") != 0 || value == NULL)
    return NULL;
  if (strcmp (op->field, "*") == 0 && JSON_NODE_HOLDS_OBJECT (value))
    return json_object_get_string_member_with_default (json_node_get_object (value),
                                                       "lead_request_id", NULL);
  if (strcmp (op->field, "lead_request_id") == 0 && JSON_NODE_HOLDS_VALUE (value) &&
      json_node_get_value_type (value) == G_TYPE_STRING)
    return json_node_get_string (value);
  return NULL;
}

/* Whether the row @op links to exists here (*@found; TRUE when it names none).
 * dup_group.lead_request_id is a deferred foreign key (a group and its lead are made
 * together), so a missing lead would pass the op's savepoint and fail the whole push or
 * pull page at COMMIT: it is checked here, at once, for this op alone. */
static gboolean
find_parent (PayamStore     *self,
             const PayamOp  *op,
             JsonNode       *value,
             gboolean       *found,
             GError        **error)
{
  const char *lead = lead_named (op, value);
  g_autoptr(PayamStmt) stmt = NULL;

  *found = TRUE;
  if (lead == NULL)
    return TRUE;
  stmt = _payam_store_prepare_cached (self, "SELECT 1 FROM request WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lead, -1, SQLITE_STATIC);
  return _payam_sync_step_row (self, stmt, found, error);
}

/* @value of a dup_group op with its lead left out (a new JSON node): what a device applies
 * when it never receives the lead (a request outside its role's view). The field keeps the
 * op's version, so a later lead op wins by the usual rule. */
static JsonNode *
without_parent (const PayamOp *op,
                JsonNode      *value)
{
  JsonNode *copy = json_node_copy (value);

  if (JSON_NODE_HOLDS_OBJECT (copy))
    json_object_set_null_member (json_node_get_object (copy), "lead_request_id");
  else
    json_node_init_null (copy);
  return copy;
}

static gboolean apply_op (PayamStore         *self,
                          const PayamOp      *op,
                          JsonNode           *value,
                          gboolean            record_conflicts,
                          PayamApplyOutcome  *outcome,
                          GError            **error);

/* An op that carries the office's reason (why) leaves an audit row 'office-why' on every
 * replica where it takes effect, filed under the worksheet it changed as it was before (a
 * request split out of a group explains itself to the group's crew), or, when it had none,
 * the one it has after. */
gboolean
_payam_sync_apply_op (PayamStore         *self,
                      const PayamOp      *op,
                      JsonNode           *value,
                      gboolean            record_conflicts,
                      PayamApplyOutcome  *outcome,
                      GError            **error)
{
  g_autofree char *worksheet_id = NULL;

  if (op->why == NULL || strcmp (op->field, "*") == 0)
    return apply_op (self, op, value, record_conflicts, outcome, error);
  if (!_payam_store_worksheet_of_row (self, op->entity, op->row_id, &worksheet_id, error) ||
      !apply_op (self, op, value, record_conflicts, outcome, error))
    return FALSE;
  if (*outcome != APPLY_APPLIED && *outcome != APPLY_CONFLICT)
    return TRUE;
  /* A message with no worksheet before (a single merged into a group) explains itself to
   * the worksheet it joined. */
  if (worksheet_id == NULL &&
      !_payam_store_worksheet_of_row (self, op->entity, op->row_id, &worksheet_id, error))
    return FALSE;
  return _payam_store_record_why (self, op->entity, op->row_id, op->field, op->why,
                                  worksheet_id, op->device_id, op->hlc, error);
}

static gboolean
apply_op (PayamStore         *self,
          const PayamOp      *op,
          JsonNode           *value,
          gboolean            record_conflicts,
          PayamApplyOutcome  *outcome,
          GError            **error)
{
  const Table *table = find_table (op->entity);
  g_autoptr(JsonNode) unlinked = NULL;
  gboolean parent_found = TRUE;

  g_assert (self->depth > 0);

  if (table == NULL)
    {
      *outcome = APPLY_UNKNOWN_FIELD;
      return TRUE;
    }
  if (!find_parent (self, op, value, &parent_found, error))
    return FALSE;
  if (!parent_found)
    {
      if (record_conflicts)
        {
          *outcome = APPLY_UNKNOWN_PARENT;
          return TRUE;
        }
      unlinked = without_parent (op, value);
      value = unlinked;
    }
  switch (payam_merge_rule_for (op->entity, op->field))
    {
    case PAYAM_MERGE_RULE_CREATE:
      return apply_create (self, table, op, value, outcome, error);
    case PAYAM_MERGE_RULE_LWW:
    case PAYAM_MERGE_RULE_STATE:
      return apply_field (self, table, op, value, record_conflicts, outcome, error);
    case PAYAM_MERGE_RULE_STATUS:
      return apply_status (self, op, value, record_conflicts, outcome, error);
    case PAYAM_MERGE_RULE_TOMBSTONE:
      return apply_tombstone (self, table, op, outcome, error);
    case PAYAM_MERGE_RULE_NONE:
    default:
      *outcome = APPLY_UNKNOWN_FIELD;
      return TRUE;
    }
}

gboolean
payam_store_sync_set_field (PayamStore  *self,
                            const char  *entity,
                            const char  *row_id,
                            const char  *field,
                            const char  *value,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *current = NULL;
  const Table *table;
  const Column *column;
  JsonNode *node;
  gboolean exists, fits;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (entity != NULL && row_id != NULL && field != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  table = find_table (entity);
  column = table != NULL && table->key != NULL ? find_column (table, field) : NULL;
  if (column == NULL || (payam_merge_rule_for (entity, field) != PAYAM_MERGE_RULE_LWW &&
                         payam_merge_rule_for (entity, field) != PAYAM_MERGE_RULE_STATE))
    return _payam_store_invalid (error, _("This field cannot be changed here."));
  if (!_payam_store_contact_may_edit (self, entity, field, error))
    return FALSE;
  if (!json_parser_load_from_data (parser, value, -1, NULL))
    return _payam_store_invalid (error, _("The new value of the field is not valid."));
  node = json_parser_get_root (parser);

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!read_column (self, table, column->column, row_id, &exists, &current, error))
    goto fail;
  if (!exists)
    {
      g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                           _("There is no such record."));
      goto fail;
    }
  if (!write_column (self, table, column, row_id, node, &fits, error))
    goto fail;
  if (!fits)
    {
      _payam_store_invalid (error, _("The new value of the field is not valid."));
      goto fail;
    }
  if (!_payam_store_append_op (self, entity, row_id, field, node, error) ||
      !_payam_store_append_audit (self, "set-field", entity, row_id, NULL, error))
    goto fail;
  return _payam_store_tx_commit (self, error);

fail:
  _payam_store_tx_rollback (self);
  return FALSE;
}
