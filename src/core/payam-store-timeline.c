/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore timelines: what happened to a request, including its group's work done once. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include "payam-crew-sheets.h"
#include "payam-store-groups-private.h"

void
payam_timeline_entry_free (PayamTimelineEntry *entry)
{
  if (entry == NULL)
    return;
  g_clear_pointer (&entry->at, g_date_time_unref);
  g_free (entry->actor);
  g_free (entry->text);
  g_free (entry->ref);
  g_free (entry->notice_state);
  g_free (entry->channel);
  g_strfreev (entry->photos);
  g_free (entry);
}

/* An entry being collected: the time as stored (sorts as text), a rank that orders
 * entries of one moment by how things happen, and the order read. */
typedef struct {
  char               *at;
  int                 rank;
  guint               seq;
  PayamTimelineEntry *entry;
} TimelineItem;

static void
timeline_item_free (gpointer data)
{
  TimelineItem *item = data;

  g_free (item->at);
  payam_timeline_entry_free (item->entry);
  g_free (item);
}

static PayamTimelineEntry *
timeline_add (GPtrArray         *items,
              PayamTimelineKind  kind,
              const char        *at,
              int                rank)
{
  TimelineItem *item = g_new0 (TimelineItem, 1);

  item->at = g_strdup (at);
  item->rank = rank;
  item->seq = items->len;
  item->entry = g_new0 (PayamTimelineEntry, 1);
  item->entry->kind = kind;
  item->entry->at = _payam_time_from_db (at);
  g_ptr_array_add (items, item);
  return item->entry;
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const TimelineItem *ia = *(TimelineItem * const *) a;
  const TimelineItem *ib = *(TimelineItem * const *) b;
  int c = g_strcmp0 (ia->at, ib->at);

  if (c != 0)
    return c;
  if (ia->rank != ib->rank)
    return ia->rank < ib->rank ? -1 : 1;
  return ia->seq < ib->seq ? -1 : ia->seq > ib->seq;
}

/* Ranks for entries of one moment: an action comes before the status moves it causes,
 * and those before the notices they create. Audit rows (joins, leaves, moves) keep the
 * order they were written in. */
enum { RANK_REGISTERED, RANK_AUDIT, RANK_ACTION, RANK_MOVE, RANK_NOTICE };

/* The request's audit rows: joins and leaves (remembering, for each group left, when),
 * and status moves. */
static gboolean
collect_audit (PayamStore  *self,
               const char  *request_id,
               GPtrArray   *items,
               GHashTable  *left_at,
               GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  stmt = _payam_store_prepare_cached (self, "SELECT at, actor, action, detail FROM audit "
                                      "WHERE entity = 'request' AND row_id = ?1 "
                                      "AND action IN ('join-group', 'leave-group', "
                                      "'set-status') ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, request_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *at = (const char *) sqlite3_column_text (stmt, 0);
      const char *action = (const char *) sqlite3_column_text (stmt, 2);
      const char *detail_text = (const char *) sqlite3_column_text (stmt, 3);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *detail = NULL;
      PayamTimelineEntry *entry;

      if (detail_text != NULL && json_parser_load_from_data (parser, detail_text, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        detail = json_node_get_object (json_parser_get_root (parser));
      if (detail == NULL)
        continue;

      if (g_str_equal (action, "set-status"))
        {
          PayamStatus from = PAYAM_STATUS_REGISTERED;
          PayamStatus to = PAYAM_STATUS_REGISTERED;
          const char *worksheet = json_object_get_string_member_with_default (detail,
                                                                              "worksheet_id",
                                                                              NULL);

          if (!payam_status_from_string (json_object_get_string_member_with_default (detail,
                                                                                     "from",
                                                                                     ""),
                                         &from) ||
              !payam_status_from_string (json_object_get_string_member_with_default (detail,
                                                                                     "to", ""),
                                         &to))
            continue;
          entry = timeline_add (items, PAYAM_TIMELINE_STATUS, at, RANK_MOVE);
          entry->from = from;
          entry->status = to;
          entry->for_group = worksheet != NULL;
          entry->ref = g_strdup (worksheet);
          entry->text = g_strdup (json_object_get_string_member_with_default (detail, "reason",
                                                                              NULL));
        }
      else
        {
          const char *group = json_object_get_string_member_with_default (detail, "group_id",
                                                                          NULL);
          gboolean join = g_str_equal (action, "join-group");

          entry = timeline_add (items, join ? PAYAM_TIMELINE_MERGED : PAYAM_TIMELINE_SPLIT, at,
                                RANK_AUDIT);
          entry->ref = g_strdup (group);
          if (!join && group != NULL)
            g_hash_table_insert (left_at, g_strdup (group), g_strdup (at));
          /* Joining again after leaving: the whole worksheet serves it again. */
          if (join && group != NULL)
            g_hash_table_remove (left_at, group);
        }
      entry->actor = _payam_column_dup_text (stmt, 1);
    }
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

/* The actions of the worksheet of @group_id up to @until (NULL: all), with photos. */
static gboolean
collect_actions (PayamStore  *self,
                 const char  *group_id,
                 const char  *until,
                 GPtrArray   *items,
                 GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  stmt = _payam_store_prepare_cached (self,
                                      "SELECT a.id, a.kind, a.note, a.actor, a.at, c.name, "
                                      "(SELECT group_concat (sha256, ' ') FROM "
                                      " (SELECT sha256 FROM worksheet_action_photo "
                                      "  WHERE action_id = a.id ORDER BY sha256)) "
                                      "FROM worksheet_action a "
                                      "JOIN worksheet w ON w.id = a.worksheet_id "
                                      "LEFT JOIN crew c ON a.kind = 'assign' AND c.id = a.note "
                                      "WHERE w.group_id = ?1 AND (?2 IS NULL OR a.at <= ?2) "
                                      "ORDER BY a.at, a.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, group_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, until, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind_text = (const char *) sqlite3_column_text (stmt, 1);
      const char *photos = (const char *) sqlite3_column_text (stmt, 6);
      PayamActionKind kind = PAYAM_ACTION_NOTE;
      PayamTimelineEntry *entry;

      if (!payam_action_kind_from_string (kind_text, &kind))
        continue;
      entry = timeline_add (items, kind == PAYAM_ACTION_ASSIGN ? PAYAM_TIMELINE_ASSIGNED
                                                               : PAYAM_TIMELINE_ACTION,
                            (const char *) sqlite3_column_text (stmt, 4), RANK_ACTION);
      entry->action = kind;
      entry->for_group = TRUE;
      entry->ref = _payam_column_dup_text (stmt, 0);
      entry->actor = _payam_column_dup_text (stmt, 3);
      entry->text = kind == PAYAM_ACTION_ASSIGN && sqlite3_column_type (stmt, 5) != SQLITE_NULL
                    ? _payam_column_dup_text (stmt, 5) : _payam_column_dup_text (stmt, 2);
      entry->photos = photos != NULL ? g_strsplit (photos, " ", -1) : g_new0 (char *, 1);
    }
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

/* The office's explained changes ('office-why' audit rows) filed under the request itself,
 * or (@group_id not NULL) under the group or its worksheet up to @until (NULL: all). Rows
 * one after another with the same reason from the same device are one change. */
static gboolean
collect_office_changes (PayamStore  *self,
                        const char  *request_id,
                        const char  *group_id,
                        const char  *until,
                        GPtrArray   *items,
                        GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  PayamTimelineEntry *last = NULL;
  g_autofree char *last_device = NULL;
  int rc;

  if (group_id == NULL)
    stmt = _payam_store_prepare_cached (self,
      "SELECT a.at, coalesce ((SELECT d.name FROM device d WHERE d.id = a.actor), a.actor), "
      "a.detail FROM audit a INDEXED BY audit_office_why "
      "WHERE a.action = 'office-why' AND a.entity = 'request' AND a.row_id = ?1 ORDER BY a.id",
      error);
  else
    stmt = _payam_store_prepare_cached (self,
      /* Two index lookups: one OR over both entities read every audit row. */
      "SELECT a.at, coalesce ((SELECT d.name FROM device d WHERE d.id = a.actor), a.actor), "
      "a.detail FROM ("
      " SELECT id, at, actor, detail FROM audit INDEXED BY audit_office_why"
      "  WHERE action = 'office-why' AND entity = 'dup_group' AND row_id = ?1"
      " UNION ALL"
      " SELECT id, at, actor, detail FROM audit INDEXED BY audit_office_why"
      "  WHERE action = 'office-why' AND entity = 'worksheet'"
      "  AND row_id IN (SELECT id FROM worksheet WHERE group_id = ?1)) a "
      "WHERE ?2 IS NULL OR a.at <= ?2 ORDER BY a.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, group_id != NULL ? group_id : request_id, -1, SQLITE_STATIC);
  if (group_id != NULL)
    sqlite3_bind_text (stmt, 2, until, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) root = json_from_string ((const char *) sqlite3_column_text (stmt, 2),
                                                   NULL);
      JsonObject *detail;
      const char *why, *device, *changed_at;
      guint flag;

      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        continue;
      detail = json_node_get_object (root);
      why = json_object_get_string_member_with_default (detail, "why", NULL);
      device = json_object_get_string_member_with_default (detail, "device", NULL);
      changed_at = json_object_get_string_member_with_default (detail, "changed_at", NULL);
      if (why == NULL)
        continue;
      flag = payam_office_changed_flag (
        json_object_get_string_member_with_default (detail, "entity", NULL),
        json_object_get_string_member_with_default (detail, "field", NULL));
      /* Its message's group changed and it is not this request: one taken out or joined. */
      if (flag == PAYAM_OFFICE_CHANGED_MESSAGES && group_id != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (detail, "row_id", NULL),
                     request_id) != 0)
        {
          g_autoptr(PayamRequest) other = payam_store_get_request (
            self, json_object_get_string_member_with_default (detail, "row_id", ""), NULL);

          if (other != NULL && g_strcmp0 (other->group_id, group_id) != 0)
            flag = PAYAM_OFFICE_CHANGED_SPLIT;
        }
      else if (flag == PAYAM_OFFICE_CHANGED_MESSAGES && group_id == NULL)
        flag = PAYAM_OFFICE_CHANGED_SPLIT;
      if (last != NULL && g_strcmp0 (last->text, why) == 0 &&
          g_strcmp0 (last_device, device) == 0)
        {
          last->office_changed |= flag;
          continue;
        }
      last = timeline_add (items, PAYAM_TIMELINE_OFFICE_CHANGE,
                           changed_at != NULL ? changed_at
                                              : (const char *) sqlite3_column_text (stmt, 0),
                           RANK_AUDIT);
      last->for_group = group_id != NULL;
      /* Who: the member on the desk that made it, elsewhere the desk's name when known;
       * a bare device id tells a person nothing (the line says it was the office). */
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), device) != 0)
        last->actor = _payam_column_dup_text (stmt, 1);
      last->text = g_strdup (why);
      last->office_changed = flag;
      g_free (last_device);
      last_device = g_strdup (device);
    }
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

static gboolean
collect_notices (PayamStore  *self,
                 const char  *request_id,
                 GPtrArray   *items,
                 GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  stmt = _payam_store_prepare_cached (self, "SELECT id, text, channel, state, created_at "
                                      "FROM notice WHERE request_id = ?1 "
                                      "ORDER BY created_at, id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, request_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PayamTimelineEntry *entry = timeline_add (items, PAYAM_TIMELINE_NOTICE,
                                                (const char *) sqlite3_column_text (stmt, 4),
                                                RANK_NOTICE);

      entry->ref = _payam_column_dup_text (stmt, 0);
      entry->text = _payam_column_dup_text (stmt, 1);
      entry->channel = _payam_column_dup_text (stmt, 2);
      entry->notice_state = _payam_column_dup_text (stmt, 3);
    }
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

/**
 * payam_store_list_timeline:
 *
 * Collects the entries from: the request row (registered), its audit rows (groups joined
 * and left, status moves; a move that names a worksheet was made once for the group), the
 * actions of the worksheet of its current group and of each group it left (only those up
 * to when it left), and its notices. Sorted by time, then registration, joins and leaves,
 * actions, moves, notices, then the order read. Returns NULL with an error on failure.
 */
/* One change read from two places (the request's rows and its group's) is one: the office
 * change among the last entries, written by the same hand with the same reason within a
 * second of @entry (the two rows' audit times may differ by a millisecond, with the
 * change's own entry, e.g. the split, between them). */
static PayamTimelineEntry *
same_office_change (GPtrArray                *entries,
                    const PayamTimelineEntry *entry)
{
  for (guint i = entries->len; i > 0; i--)
    {
      PayamTimelineEntry *e = entries->pdata[i - 1];

      if (g_date_time_difference (entry->at, e->at) > G_TIME_SPAN_SECOND)
        return NULL;
      if (e->kind == PAYAM_TIMELINE_OFFICE_CHANGE && g_strcmp0 (e->text, entry->text) == 0 &&
          g_strcmp0 (e->actor, entry->actor) == 0)
        return e;
    }
  return NULL;
}

static GPtrArray *
list_timeline (PayamStore  *self,
               const char  *request_id,
               gboolean     staff,
               GError     **error)
{
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (timeline_item_free);
  g_autoptr(GHashTable) left_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         g_free);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *created_at = NULL;
  GHashTableIter iter;
  gpointer group, until;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  request = payam_store_get_request (self, request_id, error);
  if (request == NULL)
    return NULL;
  created_at = _payam_time_to_db (request->created_at);
  timeline_add (items, PAYAM_TIMELINE_REGISTERED, created_at, RANK_REGISTERED);

  if (!collect_audit (self, request->id, items, left_at, error))
    return NULL;
  if (staff && !collect_office_changes (self, request->id, NULL, NULL, items, error))
    return NULL;
  if (request->group_id != NULL)
    {
      g_hash_table_remove (left_at, request->group_id);
      if (!collect_actions (self, request->group_id, NULL, items, error) ||
          (staff &&
           !collect_office_changes (self, request->id, request->group_id, NULL, items, error)))
        return NULL;
    }
  g_hash_table_iter_init (&iter, left_at);
  while (g_hash_table_iter_next (&iter, &group, &until))
    if (!collect_actions (self, group, until, items, error) ||
        (staff && !collect_office_changes (self, request->id, group, until, items, error)))
      return NULL;
  if (!collect_notices (self, request->id, items, error))
    return NULL;

  g_ptr_array_sort (items, compare_items);
  entries = g_ptr_array_new_full (items->len, (GDestroyNotify) payam_timeline_entry_free);
  for (guint i = 0; i < items->len; i++)
    {
      TimelineItem *item = g_ptr_array_index (items, i);
      PayamTimelineEntry *same = item->entry->kind == PAYAM_TIMELINE_OFFICE_CHANGE
                                 ? same_office_change (entries, item->entry) : NULL;

      if (same != NULL)
        {
          same->office_changed |= item->entry->office_changed;
          same->for_group = same->for_group || item->entry->for_group;
          continue;
        }
      g_ptr_array_add (entries, g_steal_pointer (&item->entry));
    }
  return g_steal_pointer (&entries);
}

GPtrArray *
payam_store_list_timeline (PayamStore  *self,
                           const char  *request_id,
                           GError     **error)
{
  return list_timeline (self, request_id, FALSE, error);
}

GPtrArray *
payam_store_list_staff_timeline (PayamStore  *self,
                                 const char  *request_id,
                                 GError     **error)
{
  return list_timeline (self, request_id, TRUE, error);
}
