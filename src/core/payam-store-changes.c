/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore change log: time stamps as stored, outbox ops with field versions, audit rows. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include "payam-op.h"
#include "payam-store-private.h"

/* ---- time ---------------------------------------------------------------------------- */

GDateTime *
_payam_store_now (PayamStore *self)
{
  if (self->now_func != NULL)
    return self->now_func (self->now_data);
  return g_date_time_new_now_utc ();
}

static void
put_digits (char *out,
            int   value,
            int   width)
{
  for (int i = width - 1; i >= 0; i--, value /= 10)
    out[i] = '0' + value % 10;
}

/* @when as stored: UTC, ISO 8601 with milliseconds and a Z ("2026-11-29T10:00:00.000Z").
 * Written digit by digit: it runs several times for every request stored. */
char *
_payam_time_to_db (GDateTime *when)
{
  /* Times are mostly UTC already (the clock, values read back): no converted copy then. */
  g_autoptr(GDateTime) utc = g_date_time_get_utc_offset (when) == 0 ? g_date_time_ref (when)
                                                                     : g_date_time_to_utc (when);
  int year, month, day;
  char *out = g_malloc (25);

  g_date_time_get_ymd (utc, &year, &month, &day);
  put_digits (out, CLAMP (year, 0, 9999), 4);
  out[4] = '-';
  put_digits (out + 5, month, 2);
  out[7] = '-';
  put_digits (out + 8, day, 2);
  out[10] = 'T';
  put_digits (out + 11, g_date_time_get_hour (utc), 2);
  out[13] = ':';
  put_digits (out + 14, g_date_time_get_minute (utc), 2);
  out[16] = ':';
  put_digits (out + 17, g_date_time_get_second (utc), 2);
  out[19] = '.';
  put_digits (out + 20, g_date_time_get_microsecond (utc) / 1000, 3);
  out[23] = 'Z';
  out[24] = '\0';
  return out;
}

GDateTime *
_payam_time_from_db (const char *text)
{
  if (text == NULL)
    return NULL;
  return g_date_time_new_from_iso8601 (text, NULL);
}

/* ---- change log ---------------------------------------------------------------------- */

char *
_payam_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = NULL;

  if (node == NULL)
    return NULL;
  generator = json_generator_new ();
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* The next HLC of this device, from the clock reading @now (NULL: read the store's clock). */
PayamHlc
_payam_store_next_hlc (PayamStore *self,
                       GDateTime  *now)
{
  g_autoptr(GDateTime) own = now == NULL ? _payam_store_now (self) : NULL;

  if (now == NULL)
    now = own;
  self->counters.hlc = payam_hlc_tick (self->counters.hlc, g_date_time_to_unix (now) * 1000 +
                                       g_date_time_get_microsecond (now) / 1000 +
                                       self->clock_offset_ms);
  return self->counters.hlc;
}

/* Append one op to the outbox with the next device_seq, its op id (derived from the device
 * and seq, payam_op_derive_id) and version @hlc. For a field edit (@field not NULL) the
 * base is the field's previous version, and the new version is recorded in field_version.
 * A new row (@field NULL) has no base; its version is recorded in field_version as '*' when
 * @record_version, else the row keeps it itself (request.hlc). */
static gboolean
append_op (PayamStore  *self,
           const char  *entity,
           const char  *row_id,
           const char  *field,
           const char  *value_text,
           PayamHlc     hlc,
           gboolean     record_version,
           GError     **error)
{
  g_autofree char *op_id = payam_op_derive_id (self->device_id,
                                               self->counters.next_device_seq, hlc);
  g_autofree char *hlc_text = payam_hlc_to_string (hlc);
  g_autofree char *base_hlc = NULL;

  g_assert (self->depth > 0);
  g_assert (record_version || field == NULL);

  if (g_str_equal (entity, "request"))
    _payam_store_note_changed (self, row_id);

  if (field != NULL)
    {
      g_autoptr(PayamStmt) get = _payam_store_stmt (self, STMT_FIELD_VERSION_GET, error);
      int rc;

      if (get == NULL)
        return FALSE;
      _payam_bind_text (get, ":entity", entity);
      _payam_bind_text (get, ":row_id", row_id);
      _payam_bind_text (get, ":field", field);
      rc = sqlite3_step (get);
      if (rc == SQLITE_ROW)
        base_hlc = _payam_column_dup_text (get, 0);
      else if (rc != SQLITE_DONE)
        return _payam_store_set_sql_error (self, rc, error);
    }

  {
    g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_OUTBOX_INSERT, error);

    if (stmt == NULL)
      return FALSE;
    _payam_bind_int_at (stmt, OUTBOX_P_DEVICE_SEQ, self->counters.next_device_seq);
    _payam_bind_text_at (stmt, OUTBOX_P_OP_ID, op_id);
    _payam_bind_text_at (stmt, OUTBOX_P_ENTITY, entity);
    _payam_bind_text_at (stmt, OUTBOX_P_ROW_ID, row_id);
    _payam_bind_text_at (stmt, OUTBOX_P_FIELD, field);
    _payam_bind_text_at (stmt, OUTBOX_P_VALUE, value_text);
    _payam_bind_text_at (stmt, OUTBOX_P_HLC, hlc_text);
    _payam_bind_text_at (stmt, OUTBOX_P_DEVICE_ID, self->device_id);
    _payam_bind_text_at (stmt, OUTBOX_P_BASE_HLC, base_hlc);
    /* The office's reason rides on the field ops of the change it explains. */
    _payam_bind_text_at (stmt, OUTBOX_P_WHY, field != NULL ? self->op_why : NULL);
    /* Who made it: the server checks a supervisor's moves and the role against it. */
    _payam_bind_text_at (stmt, OUTBOX_P_MEMBER, self->member);
    if (!_payam_store_step_done (self, stmt, error))
      return FALSE;
  }
  if (field != NULL && self->op_why != NULL)
    {
      g_autofree char *worksheet_id = NULL;

      if (!_payam_store_worksheet_of_row (self, entity, row_id, &worksheet_id, error) ||
          !_payam_store_record_why (self, entity, row_id, field, self->op_why, worksheet_id,
                                    self->device_id, hlc, error))
        return FALSE;
    }

  if (record_version)
    {
      g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_FIELD_VERSION_SET, error);

      if (stmt == NULL)
        return FALSE;
      _payam_bind_text (stmt, ":entity", entity);
      _payam_bind_text (stmt, ":row_id", row_id);
      _payam_bind_text (stmt, ":field", field != NULL ? field : "*");
      _payam_bind_text (stmt, ":hlc", hlc_text);
      _payam_bind_text (stmt, ":device", self->device_id);
      if (!_payam_store_step_done (self, stmt, error))
        return FALSE;
    }

  self->counters.next_device_seq++;
  return TRUE;
}

/* Append one op (value @value as JSON, may be NULL) at the next HLC, its version recorded
 * in field_version. @field NULL means the whole row as created (@value is then an object of
 * every field). */
gboolean
_payam_store_append_op (PayamStore  *self,
                        const char  *entity,
                        const char  *row_id,
                        const char  *field,
                        JsonNode    *value,
                        GError     **error)
{
  g_autofree char *value_text = _payam_json_to_string (value);
  PayamHlc hlc = _payam_store_next_hlc (self, NULL);

  return append_op (self, entity, row_id, field, value_text, hlc, TRUE, error);
}

/* Append the op of a row just created at version @hlc (from _payam_store_next_hlc), with
 * @value_text (JSON) holding every field. The row records @hlc itself, so no
 * field_version row is written. */
gboolean
_payam_store_append_created_op (PayamStore  *self,
                                const char  *entity,
                                const char  *row_id,
                                const char  *value_text,
                                PayamHlc     hlc,
                                GError     **error)
{
  return append_op (self, entity, row_id, NULL, value_text, hlc, FALSE, error);
}

/* One audit row: when (@at, as stored; NULL: now by the store's clock), who (the store's
 * actor), what, on which row, with @detail (JSON, may be NULL). */
gboolean
_payam_store_append_audit_at (PayamStore  *self,
                              const char  *at,
                              const char  *action,
                              const char  *entity,
                              const char  *row_id,
                              JsonNode    *detail,
                              GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_AUDIT_INSERT, error);
  g_autofree char *now_text = NULL;
  g_autofree char *detail_text = _payam_json_to_string (detail);

  g_assert (self->depth > 0);

  if (stmt == NULL)
    return FALSE;
  if (at == NULL)
    {
      g_autoptr(GDateTime) now = _payam_store_now (self);

      at = now_text = _payam_time_to_db (now);
    }
  _payam_bind_text_at (stmt, AUDIT_P_AT, at);
  _payam_bind_text_at (stmt, AUDIT_P_ACTOR, self->actor);
  _payam_bind_text_at (stmt, AUDIT_P_ACTION, action);
  _payam_bind_text_at (stmt, AUDIT_P_ENTITY, entity);
  _payam_bind_text_at (stmt, AUDIT_P_ROW_ID, row_id);
  _payam_bind_text_at (stmt, AUDIT_P_DETAIL, detail_text);
  return _payam_store_step_done (self, stmt, error);
}

gboolean
_payam_store_append_audit (PayamStore  *self,
                           const char  *action,
                           const char  *entity,
                           const char  *row_id,
                           JsonNode    *detail,
                           GError     **error)
{
  return _payam_store_append_audit_at (self, NULL, action, entity, row_id, detail, error);
}

void
_payam_store_set_op_why (PayamStore *self,
                         const char *why)
{
  g_free (self->op_why);
  self->op_why = g_strdup (why);
}

gboolean
_payam_store_record_why (PayamStore  *self,
                         const char  *entity,
                         const char  *row_id,
                         const char  *field,
                         const char  *why,
                         const char  *worksheet_id,
                         const char  *device,
                         PayamHlc     hlc,
                         GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;
  gint64 ms = payam_hlc_wall_ms (hlc);
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) when = seconds != NULL
                              ? g_date_time_add (seconds, (ms % 1000) * G_TIME_SPAN_MILLISECOND)
                              : NULL;
  g_autofree char *changed_at = when != NULL ? _payam_time_to_db (when) : NULL;
  char *actor;
  gboolean ok;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "entity");
  json_builder_add_string_value (b, entity);
  json_builder_set_member_name (b, "row_id");
  json_builder_add_string_value (b, row_id);
  json_builder_set_member_name (b, "field");
  json_builder_add_string_value (b, field);
  json_builder_set_member_name (b, "why");
  json_builder_add_string_value (b, why);
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, device);
  json_builder_set_member_name (b, "changed_at");
  json_builder_add_string_value (b, changed_at);
  json_builder_end_object (b);
  detail = json_builder_get_root (b);
  /* On the desk that made the change, its person; elsewhere the device it came from, never
   * whoever is signed in here. */
  actor = self->actor;
  if (g_strcmp0 (device, self->device_id) != 0)
    self->actor = g_strdup (device);
  ok = worksheet_id != NULL
       ? _payam_store_append_audit (self, "office-why", "worksheet", worksheet_id, detail, error)
       : _payam_store_append_audit (self, "office-why", entity, row_id, detail, error);
  if (self->actor != actor)
    {
      g_free (self->actor);
      self->actor = actor;
    }
  return ok;
}

gboolean
_payam_store_worksheet_of_row (PayamStore  *self,
                               const char  *entity,
                               const char  *row_id,
                               char       **worksheet_id,
                               GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "SELECT w.id FROM worksheet w WHERE w.status != 'merged' AND ("
    "  (?1 = 'worksheet' AND w.id = ?2)"
    "  OR (?1 = 'dup_group' AND w.group_id = ?2)"
    "  OR (?1 = 'request' AND w.group_id = (SELECT group_id FROM request WHERE id = ?2))) "
    "ORDER BY w.id LIMIT 1", error);
  int rc;

  *worksheet_id = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *worksheet_id = _payam_column_dup_text (stmt, 0);
  else if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}
