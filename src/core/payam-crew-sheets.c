/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A crew's worksheets as a GListModel of PayamCrewSheet. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <json-glib/json-glib.h>

#include "payam-crew-sheets.h"
#include "payam-hlc.h"
#include "payam-store-private.h"

struct _PayamCrewSheet
{
  GObject            parent_instance;

  /* owned */
  PayamCrewSheetInfo info;
};

G_DEFINE_FINAL_TYPE (PayamCrewSheet, payam_crew_sheet, G_TYPE_OBJECT)

static void
payam_crew_sheet_finalize (GObject *object)
{
  PayamCrewSheetInfo *info = &PAYAM_CREW_SHEET (object)->info;

  g_free (info->worksheet_id);
  g_free (info->request_id);
  g_free (info->tracking_code);
  g_free (info->category_id);
  g_free (info->category_name);
  g_free (info->neighbourhood);
  g_free (info->street);
  g_free (info->landmark);
  g_free (info->text);
  g_free (info->status);
  g_clear_pointer (&info->due_at, g_date_time_unref);
  g_clear_pointer (&info->finished_at, g_date_time_unref);
  g_free (info->office_why);
  g_clear_pointer (&info->office_changed_at, g_date_time_unref);
  G_OBJECT_CLASS (payam_crew_sheet_parent_class)->finalize (object);
}

static void
payam_crew_sheet_class_init (PayamCrewSheetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = payam_crew_sheet_finalize;
}

static void
payam_crew_sheet_init (PayamCrewSheet *self)
{
  self->info.route_position = -1;
}

const PayamCrewSheetInfo *
payam_crew_sheet_get_info (PayamCrewSheet *self)
{
  g_return_val_if_fail (PAYAM_IS_CREW_SHEET (self), NULL);
  return &self->info;
}

char *
payam_crew_sheet_dup_place (PayamCrewSheet *self)
{
  const char *parts[4] = { NULL };
  guint n = 0;

  g_return_val_if_fail (PAYAM_IS_CREW_SHEET (self), NULL);

  if (self->info.neighbourhood != NULL && *self->info.neighbourhood != '\0')
    parts[n++] = self->info.neighbourhood;
  if (self->info.street != NULL && *self->info.street != '\0')
    parts[n++] = self->info.street;
  if (self->info.landmark != NULL && *self->info.landmark != '\0')
    parts[n++] = self->info.landmark;
  return g_strjoinv ("، ", (char **) parts);
}

gboolean
payam_crew_sheet_is_finished (PayamCrewSheet *self)
{
  g_return_val_if_fail (PAYAM_IS_CREW_SHEET (self), FALSE);
  return g_strcmp0 (self->info.status, "done") == 0 ||
         g_strcmp0 (self->info.status, "not_possible") == 0;
}

static GDateTime *
column_time (PayamStmt *stmt,
             int        column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return _payam_time_from_db ((const char *) sqlite3_column_text (stmt, column));
}

/* ?1 the crew; ?2 1 when this is that crew's own device (list all it holds). The
 * representative request is the group's lead, else its first member. */
static const char sql_sheets[] =
  "SELECT w.id, r.id, r.tracking_code, r.category_id, coalesce (c.name, r.category_id), "
  "coalesce (p.name, r.neighbourhood), r.street, r.landmark, r.text, w.status, "
  "(SELECT min (m.priority) FROM request m WHERE m.group_id = w.group_id) AS prio, "
  "coalesce (w.due_at, r.due_at) AS due, "
  "(SELECT max (a.at) FROM worksheet_action a WHERE a.worksheet_id = w.id "
  " AND a.kind IN ('done', 'not_possible')), "
  "(SELECT count (*) FROM request m WHERE m.group_id = w.group_id), "
  "ro.position, w.crew_id IS NOT ?1 "
  "FROM worksheet w "
  "JOIN dup_group g ON g.id = w.group_id "
  "JOIN request r ON r.id = coalesce ((SELECT l.id FROM request l WHERE l.id = "
  "  g.lead_request_id AND l.group_id = g.id), (SELECT f.id FROM request f WHERE "
  "  f.group_id = g.id ORDER BY f.created_at, f.id LIMIT 1)) "
  "LEFT JOIN category c ON c.code = r.category_id "
  "LEFT JOIN place p ON p.code = r.neighbourhood "
  "LEFT JOIN route_order ro ON ro.worksheet_id = w.id "
  "WHERE w.status != 'merged' AND (w.crew_id = ?1 OR ?2) "
  "ORDER BY ro.position IS NULL, ro.position, prio, due IS NULL, due, r.tracking_code";

/* Whether this store is @crew_id's own crew device. */
static gboolean
is_own_device (PayamStore  *self,
               const char  *crew_id,
               gboolean    *own,
               GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "SELECT 1 FROM meta a JOIN meta b ON b.key = 'sync_role' AND b.value = 'crew' "
    "WHERE a.key = 'sync_crew_id' AND a.value = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, crew_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  *own = rc == SQLITE_ROW;
  return TRUE;
}

guint
payam_office_changed_flag (const char *entity,
                           const char *field)
{
  static const struct {
    const char *entity;
    const char *field;
    guint       flag;
  } flags[] = {
    { "request", "category", PAYAM_OFFICE_CHANGED_CATEGORY },
    { "request", "priority", PAYAM_OFFICE_CHANGED_PRIORITY },
    { "request", "due_at", PAYAM_OFFICE_CHANGED_DEADLINE },
    { "worksheet", "due_at", PAYAM_OFFICE_CHANGED_DEADLINE },
    { "request", "group_id", PAYAM_OFFICE_CHANGED_MESSAGES },
    { "dup_group", "lead_request_id", PAYAM_OFFICE_CHANGED_LEAD },
    { "request", "status", PAYAM_OFFICE_CHANGED_STATUS },
    { "worksheet", "status", PAYAM_OFFICE_CHANGED_STATUS },
    { "worksheet", "crew_id", PAYAM_OFFICE_CHANGED_CREW },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (flags); i++)
    if (g_strcmp0 (flags[i].entity, entity) == 0 && g_strcmp0 (flags[i].field, field) == 0)
      return flags[i].flag;
  return PAYAM_OFFICE_CHANGED_OTHER;
}

/* Fields only the office writes (a crew's laptops write the states too, so those are left
 * out) of the worksheet ?1, its group and its group's messages, changed by another device
 * than this one (?3) after the stamp ?2. A message that joined since counts as the
 * messages changed, not as its own priority, category or deadline. */
static const char sql_later[] =
  "SELECT v.entity, v.field, max (v.hlc) FROM field_version v "
  "JOIN worksheet w ON w.id = ?1 "
  "WHERE v.hlc > ?2 AND v.device IS NOT ?3 AND ("
  " (v.entity = 'worksheet' AND v.row_id = w.id AND v.field IN ('crew_id', 'due_at')) OR "
  " (v.entity = 'dup_group' AND v.row_id = w.group_id AND v.field = 'lead_request_id') OR "
  " (v.entity = 'request' AND v.field = 'group_id' "
  "  AND v.row_id IN (SELECT m.id FROM request m WHERE m.group_id = w.group_id)) OR "
  " (v.entity = 'request' AND v.field IN ('category', 'priority', 'due_at') "
  "  AND v.row_id IN (SELECT m.id FROM request m WHERE m.group_id = w.group_id "
  "   AND NOT EXISTS (SELECT 1 FROM field_version j WHERE j.entity = 'request' "
  "    AND j.row_id = m.id AND j.field = 'group_id' AND j.hlc > ?2)))) "
  "GROUP BY v.entity, v.field";

/* When the office changed @info's worksheet again after its explained change (made at
 * info->office_changed_at) without a reason, that later change is the latest: the reason
 * goes, and what it changed and when take its place. */
static gboolean
read_later_change (PayamStore          *self,
                   PayamCrewSheetInfo  *info,
                   GError             **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *after = NULL;
  PayamHlc latest = 0;
  guint changed = 0;
  gint64 ms;
  int rc;

  if (info->office_changed_at == NULL)
    return TRUE;
  ms = g_date_time_to_unix (info->office_changed_at) * 1000 +
       g_date_time_get_microsecond (info->office_changed_at) / 1000;
  after = payam_hlc_to_string (payam_hlc_pack (ms, PAYAM_HLC_COUNTER_MAX));
  stmt = _payam_store_prepare_cached (self, sql_later, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, info->worksheet_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, after, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, self->device_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PayamHlc hlc;

      if (!payam_hlc_parse ((const char *) sqlite3_column_text (stmt, 2), &hlc))
        continue;
      changed |= payam_office_changed_flag ((const char *) sqlite3_column_text (stmt, 0),
                               (const char *) sqlite3_column_text (stmt, 1));
      latest = MAX (latest, hlc);
    }
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  if (changed == 0)
    return TRUE;
  g_clear_pointer (&info->office_why, g_free);
  g_clear_pointer (&info->office_changed_at, g_date_time_unref);
  info->office_changed = changed;
  {
    gint64 wall = payam_hlc_wall_ms (latest);
    g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (wall / 1000);

    if (seconds != NULL)
      info->office_changed_at = g_date_time_add (seconds,
                                                 (wall % 1000) * G_TIME_SPAN_MILLISECOND);
  }
  return TRUE;
}

/* Whether request @request_id is out of the group of worksheet @worksheet_id. */
static gboolean
message_left (PayamStore  *self,
              const char  *worksheet_id,
              const char  *request_id,
              gboolean    *left,
              GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "SELECT 1 FROM request r JOIN worksheet w ON w.group_id = r.group_id "
    "WHERE r.id = ?1 AND w.id = ?2", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, request_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, worksheet_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  *left = rc == SQLITE_DONE;
  return TRUE;
}

/* The office's latest explained change of @info's worksheet, from its 'office-why' audit
 * rows: the newest row's reason, and what every row of that change (the same reason from
 * the same device, newest first) changed; then read_later_change(). */
static gboolean
read_office_change (PayamStore          *self,
                    PayamCrewSheetInfo  *info,
                    GError             **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self,
    "SELECT detail FROM audit INDEXED BY audit_office_why WHERE action = 'office-why' "
    "AND entity = 'worksheet' AND row_id = ?1 ORDER BY id DESC LIMIT 64", error);
  g_autofree char *device = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, info->worksheet_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) root = json_from_string ((const char *) sqlite3_column_text (stmt, 0),
                                                   NULL);
      JsonObject *detail;
      const char *why, *by;

      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        continue;
      detail = json_node_get_object (root);
      why = json_object_get_string_member_with_default (detail, "why", NULL);
      by = json_object_get_string_member_with_default (detail, "device", NULL);
      if (why == NULL)
        continue;
      if (info->office_why == NULL)
        {
          const char *at = json_object_get_string_member_with_default (detail, "changed_at",
                                                                       NULL);

          info->office_why = g_strdup (why);
          device = g_strdup (by);
          info->office_changed_at = at != NULL ? _payam_time_from_db (at) : NULL;
        }
      else if (g_strcmp0 (why, info->office_why) != 0 || g_strcmp0 (by, device) != 0)
        break;
      {
        const char *entity = json_object_get_string_member_with_default (detail, "entity",
                                                                         NULL);
        const char *field = json_object_get_string_member_with_default (detail, "field", NULL);
        guint flag = payam_office_changed_flag (entity, field);
        gboolean left = FALSE;

        /* A message no longer in the worksheet's group was taken out of it. */
        if (flag == PAYAM_OFFICE_CHANGED_MESSAGES &&
            !message_left (self, info->worksheet_id,
                           json_object_get_string_member_with_default (detail, "row_id", NULL),
                           &left, error))
          return FALSE;
        info->office_changed |= left ? PAYAM_OFFICE_CHANGED_SPLIT : flag;
      }
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  g_clear_pointer (&stmt, _payam_stmt_done);
  return read_later_change (self, info, error);
}

GListModel *
payam_store_list_crew_sheets (PayamStore  *self,
                              const char  *crew_id,
                              GError     **error)
{
  g_autoptr(GListStore) list = g_list_store_new (PAYAM_TYPE_CREW_SHEET);
  g_autoptr(PayamStmt) stmt = NULL;
  gboolean own = FALSE;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (crew_id != NULL, NULL);

  if (!is_own_device (self, crew_id, &own, error))
    return NULL;
  stmt = _payam_store_prepare_cached (self, sql_sheets, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, crew_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, own ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(PayamCrewSheet) sheet = g_object_new (PAYAM_TYPE_CREW_SHEET, NULL);
      PayamCrewSheetInfo *info = &sheet->info;

      info->worksheet_id = _payam_column_dup_text (stmt, 0);
      info->request_id = _payam_column_dup_text (stmt, 1);
      info->tracking_code = _payam_column_dup_text (stmt, 2);
      info->category_id = _payam_column_dup_text (stmt, 3);
      info->category_name = _payam_column_dup_text (stmt, 4);
      info->neighbourhood = _payam_column_dup_text (stmt, 5);
      info->street = _payam_column_dup_text (stmt, 6);
      info->landmark = _payam_column_dup_text (stmt, 7);
      info->text = _payam_column_dup_text (stmt, 8);
      info->status = _payam_column_dup_text (stmt, 9);
      info->priority = sqlite3_column_int (stmt, 10);
      info->due_at = column_time (stmt, 11);
      info->finished_at = column_time (stmt, 12);
      info->n_members = (guint) sqlite3_column_int (stmt, 13);
      info->route_position = sqlite3_column_type (stmt, 14) == SQLITE_NULL
                             ? -1 : sqlite3_column_int (stmt, 14);
      info->withdrawal = sqlite3_column_int (stmt, 15) ? PAYAM_WITHDRAWAL_REASSIGNED
                                                       : PAYAM_WITHDRAWAL_NONE;
      if (!read_office_change (self, info, error))
        return NULL;
      g_list_store_append (list, sheet);
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return G_LIST_MODEL (g_steal_pointer (&list));
}
