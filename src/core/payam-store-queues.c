/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The office's queues (count, a page, where a request stands) and search over request_fts. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "payam-phone.h"
#include "payam-queue-item.h"
#include "payam-store-private.h"
#include "payam-store-queues.h"
#include "payam-text.h"

/* The columns every list reads, in the order of item_from_row(). */
#define REQUEST_COLUMNS \
  "r.rowid, r.id, r.id, r.tracking_code, r.category_id, r.text, r.neighbourhood, r.street," \
  " r.priority, r.status, r.group_id, r.created_at, r.due_at, NULL, NULL, NULL, NULL, NULL," \
  " NULL, NULL "
#define OPEN_STATUS \
  "(r.status = 'registered' OR r.status = 'triaged' OR r.status = 'assigned'" \
  " OR r.status = 'in_progress')"
/* A proposed group with two members or more: one alone is nothing to review. */
#define PROPOSED_GROUP(g) \
  g ".state = 'proposed' AND (SELECT count(*) FROM request m WHERE m.group_id = " g ".id) > 1"

/* Per queue: how many, one page (:limit, :offset), and where a request stands (its
 * membership and the number of rows before it, for :id). Overdue reads :now; its page
 * names its index, which the planner would otherwise pass over for the status index and a
 * sort of every open request. */
typedef struct {
  const char *name;
  const char *count;
  const char *page;
  const char *locate;
  gboolean    stable;
  const char *after;   /* the page after a row (keyset: :created_at, :due_at, :priority,
                        * :rowid, :limit), or NULL: OFFSET only */
} QueueSql;

static const QueueSql queues[PAYAM_N_QUEUES] = {
  [PAYAM_QUEUE_NEW] = {
    "new",
    /* request_status_age holds the order (see one_status_indexes). */
    "SELECT coalesce ((SELECT n FROM request_status_count WHERE status = 'registered'), 0)",
    "SELECT " REQUEST_COLUMNS "FROM request r INDEXED BY request_status_age"
    " WHERE r.status = 'registered'"
    " ORDER BY r.created_at, r.rowid LIMIT :limit OFFSET :offset",
    "SELECT r.status = 'registered', (SELECT count(*) FROM request b"
    " INDEXED BY request_status_age WHERE b.status = 'registered' AND (b.created_at, b.rowid) < (r.created_at, r.rowid))"
    " FROM request r WHERE r.id = :id",
    TRUE,
    "SELECT " REQUEST_COLUMNS "FROM request r INDEXED BY request_status_age"
    " WHERE r.status = 'registered'"
    " AND (r.created_at, r.rowid) > (:created_at, :rowid)"
    " ORDER BY r.created_at, r.rowid LIMIT :limit",
  },
  [PAYAM_QUEUE_DUPLICATES] = {
    "duplicates",
    "SELECT count(*) FROM dup_group g JOIN request r ON r.group_id = g.id"
    " WHERE " PROPOSED_GROUP ("g") " AND " OPEN_STATUS,
    "SELECT " REQUEST_COLUMNS "FROM dup_group g JOIN request r ON r.group_id = g.id"
    " WHERE " PROPOSED_GROUP ("g") " AND " OPEN_STATUS
    " ORDER BY g.created_at, g.id, r.created_at, r.rowid LIMIT :limit OFFSET :offset",
    "SELECT g.id IS NOT NULL AND " OPEN_STATUS ", (SELECT count(*) FROM dup_group bg"
    " JOIN request b ON b.group_id = bg.id WHERE " PROPOSED_GROUP ("bg")
    " AND (b.status = 'registered' OR b.status = 'triaged' OR b.status = 'assigned'"
    " OR b.status = 'in_progress')"
    " AND (bg.created_at, bg.id, b.created_at, b.rowid) < (g.created_at, g.id, r.created_at,"
    " r.rowid)) FROM request r LEFT JOIN dup_group g ON g.id = r.group_id AND "
    PROPOSED_GROUP ("g") " WHERE r.id = :id",
    FALSE,
  },
  [PAYAM_QUEUE_TO_ASSIGN] = {
    "to-assign",
    /* request_by_work holds the order: the planner took a partial index and sorted. */
    "SELECT coalesce ((SELECT n FROM request_status_count WHERE status = 'triaged'), 0)",
    "SELECT " REQUEST_COLUMNS "FROM request r INDEXED BY request_by_work"
    " WHERE r.status = 'triaged'"
    " ORDER BY r.priority, r.due_at, r.created_at, r.rowid LIMIT :limit OFFSET :offset",
    "SELECT r.status = 'triaged', (SELECT count(*) FROM request b INDEXED BY request_by_work"
    " WHERE b.status = 'triaged'"
    " AND (b.priority, b.due_at, b.created_at, b.rowid) < (r.priority, r.due_at,"
    " r.created_at, r.rowid)) FROM request r WHERE r.id = :id",
    FALSE,
    "SELECT " REQUEST_COLUMNS "FROM request r INDEXED BY request_by_work"
    " WHERE r.status = 'triaged'"
    " AND (r.priority, r.due_at, r.created_at, r.rowid) > (:priority, :due_at, :created_at,"
    " :rowid) ORDER BY r.priority, r.due_at, r.created_at, r.rowid LIMIT :limit",
  },
  [PAYAM_QUEUE_OVERDUE] = {
    "overdue",
    "SELECT count(*) FROM request r INDEXED BY request_open_by_due WHERE " OPEN_STATUS
    " AND r.due_at < :now",
    "SELECT " REQUEST_COLUMNS "FROM request r INDEXED BY request_open_by_due"
    " WHERE " OPEN_STATUS " AND r.due_at < :now"
    " ORDER BY r.due_at, r.rowid LIMIT :limit OFFSET :offset",
    "SELECT " OPEN_STATUS " AND r.due_at < :now, (SELECT count(*) FROM request b"
    " INDEXED BY request_open_by_due WHERE (b.status = 'registered' OR b.status = 'triaged' OR b.status = 'assigned'"
    " OR b.status = 'in_progress') AND b.due_at < :now"
    " AND (b.due_at, b.rowid) < (r.due_at, r.rowid)) FROM request r WHERE r.id = :id",
    FALSE,
    "SELECT " REQUEST_COLUMNS "FROM request r INDEXED BY request_open_by_due"
    " WHERE " OPEN_STATUS " AND r.due_at < :now AND (r.due_at, r.rowid) > (:due_at, :rowid)"
    " ORDER BY r.due_at, r.rowid LIMIT :limit",
  },
  [PAYAM_QUEUE_CONFLICTS] = {
    "conflicts",
    "SELECT count(*) FROM conflict WHERE resolved_at IS NULL",
    "SELECT c.rowid, c.id, r.id, r.tracking_code, r.category_id, r.text, r.neighbourhood,"
    " r.street, r.priority, r.status, r.group_id, c.created_at, r.due_at, c.kind, c.entity,"
    " c.field, c.kept_value, c.lost_value, c.lost_device, c.reason,"
    /* Who made the change that lost: a staff member's or crew member's name, else the id
     * (an account this store has not received). */
    " coalesce ((SELECT name FROM staff WHERE id = c.lost_member AND role = 'office'),"
    " (SELECT name FROM crew_member WHERE id = c.lost_member), c.lost_member)"
    " FROM conflict c LEFT JOIN request r ON c.entity = 'request' AND r.id = c.row_id"
    " WHERE c.resolved_at IS NULL ORDER BY c.created_at, c.rowid LIMIT :limit OFFSET :offset",
    NULL,
    FALSE,
  },
  [PAYAM_QUEUE_ALL] = {
    "all",
    "SELECT n FROM request_tally WHERE id = 1",
    "SELECT " REQUEST_COLUMNS "FROM request r"
    " ORDER BY r.created_at DESC, r.rowid DESC LIMIT :limit OFFSET :offset",
    "SELECT 1, (SELECT count(*) FROM request b"
    " WHERE (b.created_at, b.rowid) > (r.created_at, r.rowid)) FROM request r WHERE r.id = :id",
    TRUE,
    "SELECT " REQUEST_COLUMNS "FROM request r WHERE (r.created_at, r.rowid) < (:created_at,"
    " :rowid) ORDER BY r.created_at DESC, r.rowid DESC LIMIT :limit",
  },
};

/* Per queue of requests: the rows it lists (FROM … WHERE …, the request as r), for the
 * orders of PayamQueueSort. NULL: the queue cannot be sorted. */
static const char *const queue_filters[PAYAM_N_QUEUES] = {
  [PAYAM_QUEUE_NEW] = "FROM request r WHERE r.status = 'registered'",
  [PAYAM_QUEUE_DUPLICATES] = "FROM dup_group g JOIN request r ON r.group_id = g.id"
                             " WHERE " PROPOSED_GROUP ("g") " AND " OPEN_STATUS,
  [PAYAM_QUEUE_TO_ASSIGN] = "FROM request r WHERE r.status = 'triaged'",
  [PAYAM_QUEUE_OVERDUE] = "FROM request r WHERE " OPEN_STATUS " AND r.due_at < :now",
  [PAYAM_QUEUE_CONFLICTS] = NULL,
  [PAYAM_QUEUE_ALL] = "FROM request r WHERE 1",
};

/* The request columns of each order, before the rowid that ends every one. The indexes of
 * migration 21 (and request_status_age, request_by_work, request_by_created) hold these
 * orders for the queues of one status and for All. */
typedef enum {
  KEY_CREATED_AT,
  KEY_PRIORITY,
  KEY_DUE_AT,
  KEY_CATEGORY,
  KEY_NEIGHBOURHOOD,
  KEY_STATUS,
  KEY_END,
} Key;

static const char *const key_columns[] = {
  [KEY_CREATED_AT] = "created_at",
  [KEY_PRIORITY] = "priority",
  [KEY_DUE_AT] = "due_at",
  [KEY_CATEGORY] = "category_id",
  [KEY_NEIGHBOURHOOD] = "neighbourhood",
  [KEY_STATUS] = "status",
};

/* The index that holds each order over every request. Overdue reads its page along it,
 * skipping the rows that are not overdue, rather than sorting all its rows (which the
 * planner, without statistics, would pick through the status indexes). */
static const char *const sort_indexes[PAYAM_N_QUEUE_SORTS] = {
  [PAYAM_QUEUE_SORT_DEFAULT] = NULL,
  [PAYAM_QUEUE_SORT_RECEIVED] = "request_by_created",
  [PAYAM_QUEUE_SORT_PRIORITY] = "request_sort_priority",
  [PAYAM_QUEUE_SORT_DEADLINE] = "request_open_by_due",
  [PAYAM_QUEUE_SORT_CATEGORY] = "request_sort_category",
  [PAYAM_QUEUE_SORT_NEIGHBOURHOOD] = "request_sort_place",
  [PAYAM_QUEUE_SORT_STATUS] = "request_status_age",
};

/* The index that holds each order within one status (New, To assign): with statistics
 * (ANALYZE) the planner took request_triage_place for every order and sorted the status's
 * every row for each page. */
static const char *const one_status_indexes[PAYAM_N_QUEUE_SORTS] = {
  [PAYAM_QUEUE_SORT_DEFAULT] = NULL,
  [PAYAM_QUEUE_SORT_RECEIVED] = "request_status_age",
  [PAYAM_QUEUE_SORT_PRIORITY] = "request_by_work",
  [PAYAM_QUEUE_SORT_DEADLINE] = "request_triage_due",
  [PAYAM_QUEUE_SORT_CATEGORY] = "request_triage_category",
  [PAYAM_QUEUE_SORT_NEIGHBOURHOOD] = "request_triage_place",
  [PAYAM_QUEUE_SORT_STATUS] = "request_status_age",
};

/* The rows of @queue for reading in @sort (FROM … WHERE …, the request as r). */
static void
append_filter (GString        *sql,
               PayamQueue      queue,
               PayamQueueSort  sort)
{
  if (queue == PAYAM_QUEUE_OVERDUE)
    g_string_append_printf (sql, "FROM request r INDEXED BY %s WHERE " OPEN_STATUS
                            " AND r.due_at < :now", sort_indexes[sort]);
  else if ((queue == PAYAM_QUEUE_NEW || queue == PAYAM_QUEUE_TO_ASSIGN) &&
           one_status_indexes[sort] != NULL)
    g_string_append_printf (sql, "FROM request r INDEXED BY %s WHERE r.status = '%s'",
                            one_status_indexes[sort],
                            queue == PAYAM_QUEUE_NEW ? "registered" : "triaged");
  else
    g_string_append (sql, queue_filters[queue]);
}

static const Key sort_keys[PAYAM_N_QUEUE_SORTS][4] = {
  [PAYAM_QUEUE_SORT_DEFAULT] = { KEY_END },
  [PAYAM_QUEUE_SORT_RECEIVED] = { KEY_CREATED_AT, KEY_END },
  [PAYAM_QUEUE_SORT_PRIORITY] = { KEY_PRIORITY, KEY_DUE_AT, KEY_CREATED_AT, KEY_END },
  [PAYAM_QUEUE_SORT_DEADLINE] = { KEY_DUE_AT, KEY_END },
  [PAYAM_QUEUE_SORT_CATEGORY] = { KEY_CATEGORY, KEY_CREATED_AT, KEY_END },
  [PAYAM_QUEUE_SORT_NEIGHBOURHOOD] = { KEY_NEIGHBOURHOOD, KEY_CREATED_AT, KEY_END },
  [PAYAM_QUEUE_SORT_STATUS] = { KEY_STATUS, KEY_CREATED_AT, KEY_END },
};

const char *
payam_queue_label (PayamQueue queue)
{
  switch (queue)
    {
    case PAYAM_QUEUE_NEW:
      return _("New");
    case PAYAM_QUEUE_DUPLICATES:
      return _("Duplicates");
    case PAYAM_QUEUE_TO_ASSIGN:
      return _("To assign");
    case PAYAM_QUEUE_OVERDUE:
      return _("Overdue");
    case PAYAM_QUEUE_CONFLICTS:
      return _("Conflicts");
    case PAYAM_QUEUE_ALL:
      return _("All messages");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
payam_queue_to_string (PayamQueue queue)
{
  g_return_val_if_fail (queue < PAYAM_N_QUEUES, NULL);
  return queues[queue].name;
}

gboolean
payam_queue_from_string (const char *text,
                         PayamQueue *out)
{
  for (guint i = 0; i < PAYAM_N_QUEUES; i++)
    if (g_strcmp0 (text, queues[i].name) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
payam_queue_has_stable_order (PayamQueue queue)
{
  g_return_val_if_fail (queue < PAYAM_N_QUEUES, FALSE);
  return queues[queue].stable;
}

/* Bind :now (the overdue queue's) when @stmt has it. */
static void
bind_now (PayamStore *self,
          PayamStmt  *stmt)
{
  if (sqlite3_bind_parameter_index (stmt, ":now") > 0)
    {
      g_autoptr(GDateTime) now = _payam_store_now (self);
      g_autofree char *text = _payam_time_to_db (now);

      _payam_bind_text (stmt, ":now", text);
    }
}

gboolean
payam_store_queue_count (PayamStore  *self,
                         PayamQueue   queue,
                         guint       *out,
                         GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (queue < PAYAM_N_QUEUES, FALSE);

  stmt = _payam_store_prepare_cached (self, queues[queue].count, error);
  if (stmt == NULL)
    return FALSE;
  bind_now (self, stmt);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  *out = (guint) MIN (sqlite3_column_int64 (stmt, 0), G_MAXUINT);
  return TRUE;
}

/* The item of the current row of a statement that reads the columns of REQUEST_COLUMNS. */
static PayamQueueItem *
item_from_row (PayamStmt *stmt)
{
  PayamQueueItemFields f = { 0 };

#define TEXT(i) ((const char *) sqlite3_column_text (stmt, (i)))
  f.rowid = sqlite3_column_int64 (stmt, 0);
  f.id = TEXT (1);
  f.request_id = TEXT (2);
  f.tracking_code = TEXT (3);
  f.category = TEXT (4);
  f.text = TEXT (5);
  f.neighbourhood = TEXT (6);
  f.street = TEXT (7);
  f.priority = sqlite3_column_int (stmt, 8);
  f.status = TEXT (9);
  f.group_id = TEXT (10);
  f.created_at = TEXT (11);
  f.due_at = TEXT (12);
  f.conflict_kind = TEXT (13);
  f.entity = TEXT (14);
  f.field = TEXT (15);
  f.kept_value = TEXT (16);
  f.lost_value = TEXT (17);
  f.lost_device = TEXT (18);
  f.reason = TEXT (19);
  f.lost_member = sqlite3_column_count (stmt) > 20 ? TEXT (20) : NULL;
#undef TEXT
  return payam_queue_item_new (&f);
}

/* Step @stmt to the end, collecting an item per row. */
static GPtrArray *
collect_items (PayamStore  *self,
               PayamStmt   *stmt,
               GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, item_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

GPtrArray *
payam_store_queue_fetch (PayamStore  *self,
                         PayamQueue   queue,
                         guint        offset,
                         guint        limit,
                         GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (queue < PAYAM_N_QUEUES, NULL);

  stmt = _payam_store_prepare_cached (self, queues[queue].page, error);
  if (stmt == NULL)
    return NULL;
  bind_now (self, stmt);
  _payam_bind_int (stmt, ":limit", limit);
  _payam_bind_int (stmt, ":offset", offset);
  return collect_items (self, stmt, error);
}

/* ---- counts in a worker ----------------------------------------------------------- */

typedef struct {
  char      *path;
  GDateTime *now;
  guint      counts[PAYAM_N_QUEUES];
} CountAll;

static void
count_all_free (gpointer data)
{
  CountAll *c = data;

  g_free (c->path);
  g_date_time_unref (c->now);
  g_free (c);
}

static GDateTime *
count_all_now (gpointer data)
{
  return g_date_time_ref (data);
}

static gboolean
count_every_queue (PayamStore  *store,
                   guint       *counts,
                   GError     **error)
{
  gboolean began = FALSE, ok = TRUE;

  if (!payam_store_queue_read_begin (store, &began, error))
    return FALSE;
  for (guint q = 0; ok && q < PAYAM_N_QUEUES; q++)
    ok = payam_store_queue_count (store, q, &counts[q], error);
  payam_store_queue_read_end (store, began);
  return ok;
}

/* The worker: a connection of its own, opened and closed here. */
static void
count_all_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CountAll *c = task_data;
  g_autoptr(PayamStore) reader = NULL;
  GError *error = NULL;

  reader = payam_store_open (c->path, &error);
  if (reader == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  payam_store_set_now_func (reader, count_all_now, c->now);
  if (!count_every_queue (reader, c->counts, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
payam_store_queue_count_all_async (PayamStore          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CountAll *c;
  const char *path;

  g_return_if_fail (PAYAM_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, payam_store_queue_count_all_async);
  c = g_new0 (CountAll, 1);
  c->now = _payam_store_now (self);
  g_task_set_task_data (task, c, count_all_free);
  path = payam_store_get_path (self);
  if (path == NULL || path[0] == '\0' || g_str_equal (path, ":memory:"))
    {
      GError *error = NULL;

      if (!count_every_queue (self, c->counts, &error))
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  c->path = g_strdup (path);
  g_task_run_in_thread (task, count_all_thread);
}

gboolean
payam_store_queue_count_all_finish (PayamStore    *self,
                                    GAsyncResult  *result,
                                    guint         *counts,
                                    GError       **error)
{
  CountAll *c;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  c = g_task_get_task_data (G_TASK (result));
  memcpy (counts, c->counts, sizeof c->counts);
  return TRUE;
}

/* Bind @name to @value when @stmt has that parameter. */
static void
bind_if_named (PayamStmt  *stmt,
               const char *name,
               const char *value)
{
  if (sqlite3_bind_parameter_index (stmt, name) > 0)
    _payam_bind_text (stmt, name, value);
}

GPtrArray *
payam_store_queue_fetch_after (PayamStore      *self,
                               PayamQueue       queue,
                               PayamQueueItem  *last,
                               guint            limit,
                               GError         **error)
{
  g_autoptr(PayamStmt) stmt = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (queue < PAYAM_N_QUEUES && queues[queue].after != NULL, NULL);
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (last), NULL);

  stmt = _payam_store_prepare_cached (self, queues[queue].after, error);
  if (stmt == NULL)
    return NULL;
  bind_now (self, stmt);
  bind_if_named (stmt, ":created_at", payam_queue_item_get_created_at (last));
  bind_if_named (stmt, ":due_at", payam_queue_item_get_due_at (last));
  if (sqlite3_bind_parameter_index (stmt, ":priority") > 0)
    _payam_bind_int (stmt, ":priority", payam_queue_item_get_priority (last));
  _payam_bind_int (stmt, ":rowid", payam_queue_item_get_rowid (last));
  _payam_bind_int (stmt, ":limit", limit);
  return collect_items (self, stmt, error);
}

gboolean
payam_queue_has_keyset (PayamQueue queue)
{
  g_return_val_if_fail (queue < PAYAM_N_QUEUES, FALSE);
  return queues[queue].after != NULL;
}

gboolean
payam_store_queue_locate (PayamStore  *self,
                          PayamQueue   queue,
                          const char  *request_id,
                          gboolean    *present,
                          guint       *position,
                          GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (queue < PAYAM_N_QUEUES, FALSE);
  g_return_val_if_fail (request_id != NULL && present != NULL && position != NULL, FALSE);

  *present = FALSE;
  *position = 0;
  if (queues[queue].locate == NULL)
    return TRUE;
  stmt = _payam_store_prepare_cached (self, queues[queue].locate, error);
  if (stmt == NULL)
    return FALSE;
  bind_now (self, stmt);
  _payam_bind_text (stmt, ":id", request_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  *present = sqlite3_column_int (stmt, 0) != 0;
  *position = (guint) sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

gboolean
payam_store_queue_read_begin (PayamStore  *self,
                              gboolean    *began,
                              GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (began != NULL, FALSE);

  *began = FALSE;
  if (self->depth > 0 || !sqlite3_get_autocommit (self->db))
    return TRUE;
  /* Deferred: the first read takes the snapshot, and no write lock is asked for. */
  if (sqlite3_exec (self->db, "BEGIN DEFERRED", NULL, NULL, NULL) != SQLITE_OK)
    return _payam_store_set_sql_error (self, sqlite3_errcode (self->db), error);
  *began = TRUE;
  return TRUE;
}

void
payam_store_queue_read_end (PayamStore *self,
                            gboolean    began)
{
  g_return_if_fail (PAYAM_IS_STORE (self));

  if (!began || sqlite3_get_autocommit (self->db))
    return;
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- sorted ------------------------------------------------------------------------ */

gboolean
payam_queue_can_sort (PayamQueue     queue,
                      PayamQueueSort sort)
{
  g_return_val_if_fail (queue < PAYAM_N_QUEUES, FALSE);
  g_return_val_if_fail (sort < PAYAM_N_QUEUE_SORTS, FALSE);

  return sort == PAYAM_QUEUE_SORT_DEFAULT || queue_filters[queue] != NULL;
}

gboolean
payam_queue_sort_is_stable (PayamQueue     queue,
                            PayamQueueSort sort)
{
  g_return_val_if_fail (queue < PAYAM_N_QUEUES, FALSE);
  g_return_val_if_fail (sort < PAYAM_N_QUEUE_SORTS, FALSE);

  /* Registered time and the row never change; every other key can. */
  if (sort == PAYAM_QUEUE_SORT_DEFAULT)
    return queues[queue].stable;
  return sort == PAYAM_QUEUE_SORT_RECEIVED;
}

/* What the SQL of a sorted order needs said about its key. */
typedef enum {
  KEY_AS_ORDER,   /* r.a DESC, r.b DESC, r.rowid DESC */
  KEY_AS_ROW,     /* (r.a, r.b, r.rowid) */
  KEY_AS_TARGET,  /* (SELECT x.a, x.b, x.rowid FROM request x WHERE x.id = :id) */
  KEY_AS_PARAMS,  /* (:k0, :k1, :rowid) */
} KeyAs;

static void
append_key (GString        *sql,
            PayamQueueSort  sort,
            gboolean        descending,
            KeyAs           as)
{
  const char *prefix = as == KEY_AS_TARGET ? "x." : "r.";

  if (as == KEY_AS_ROW || as == KEY_AS_PARAMS)
    g_string_append_c (sql, '(');
  else if (as == KEY_AS_TARGET)
    g_string_append (sql, "(SELECT ");
  for (guint i = 0; sort_keys[sort][i] != KEY_END; i++)
    {
      if (as == KEY_AS_PARAMS)
        g_string_append_printf (sql, ":k%u, ", i);
      else
        g_string_append_printf (sql, "%s%s%s, ", prefix, key_columns[sort_keys[sort][i]],
                                as == KEY_AS_ORDER && descending ? " DESC" : "");
    }
  if (as == KEY_AS_PARAMS)
    g_string_append (sql, ":rowid)");
  else
    g_string_append_printf (sql, "%srowid%s", prefix,
                            as == KEY_AS_ORDER && descending ? " DESC" : "");
  if (as == KEY_AS_ROW)
    g_string_append_c (sql, ')');
  else if (as == KEY_AS_TARGET)
    g_string_append (sql, " FROM request x WHERE x.id = :id)");
}

/* The SQL of one page of @queue in @sort: from an offset, or after a row's key when
 * @after. The text depends only on its arguments, so the store's statement cache keeps one
 * statement per order. */
static char *
sorted_page_sql (PayamQueue      queue,
                 PayamQueueSort  sort,
                 gboolean        descending,
                 gboolean        after)
{
  GString *sql = g_string_new ("SELECT " REQUEST_COLUMNS);

  append_filter (sql, queue, sort);
  if (after)
    {
      g_string_append (sql, " AND ");
      append_key (sql, sort, descending, KEY_AS_ROW);
      g_string_append (sql, descending ? " < " : " > ");
      append_key (sql, sort, descending, KEY_AS_PARAMS);
    }
  g_string_append (sql, " ORDER BY ");
  append_key (sql, sort, descending, KEY_AS_ORDER);
  g_string_append (sql, after ? " LIMIT :limit" : " LIMIT :limit OFFSET :offset");
  return g_string_free (sql, FALSE);
}

GPtrArray *
payam_store_queue_fetch_sorted (PayamStore     *self,
                                PayamQueue      queue,
                                PayamQueueSort  sort,
                                gboolean        descending,
                                guint           offset,
                                guint           limit,
                                GError        **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *sql = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (queue < PAYAM_N_QUEUES, NULL);
  g_return_val_if_fail (payam_queue_can_sort (queue, sort), NULL);

  if (sort == PAYAM_QUEUE_SORT_DEFAULT)
    return payam_store_queue_fetch (self, queue, offset, limit, error);
  sql = sorted_page_sql (queue, sort, descending, FALSE);
  stmt = _payam_store_prepare_cached (self, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_now (self, stmt);
  _payam_bind_int (stmt, ":limit", limit);
  _payam_bind_int (stmt, ":offset", offset);
  return collect_items (self, stmt, error);
}

GPtrArray *
payam_store_queue_fetch_after_sorted (PayamStore      *self,
                                      PayamQueue       queue,
                                      PayamQueueSort   sort,
                                      gboolean         descending,
                                      PayamQueueItem  *last,
                                      guint            limit,
                                      GError         **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *sql = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (queue < PAYAM_N_QUEUES, NULL);
  g_return_val_if_fail (payam_queue_can_sort (queue, sort), NULL);
  g_return_val_if_fail (PAYAM_IS_QUEUE_ITEM (last), NULL);

  if (sort == PAYAM_QUEUE_SORT_DEFAULT)
    return payam_store_queue_fetch_after (self, queue, last, limit, error);
  sql = sorted_page_sql (queue, sort, descending, TRUE);
  stmt = _payam_store_prepare_cached (self, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_now (self, stmt);
  for (guint i = 0; sort_keys[sort][i] != KEY_END; i++)
    {
      g_autofree char *name = g_strdup_printf (":k%u", i);

      switch (sort_keys[sort][i])
        {
        case KEY_CREATED_AT:
          _payam_bind_text (stmt, name, payam_queue_item_get_created_at (last));
          break;
        case KEY_PRIORITY:
          _payam_bind_int (stmt, name, payam_queue_item_get_priority (last));
          break;
        case KEY_DUE_AT:
          _payam_bind_text (stmt, name, payam_queue_item_get_due_at (last));
          break;
        case KEY_CATEGORY:
          _payam_bind_text (stmt, name, payam_queue_item_get_category (last));
          break;
        case KEY_NEIGHBOURHOOD:
          _payam_bind_text (stmt, name, payam_queue_item_get_neighbourhood (last));
          break;
        case KEY_STATUS:
          _payam_bind_text (stmt, name, payam_queue_item_get_status (last));
          break;
        case KEY_END:
        default:
          g_assert_not_reached ();
        }
    }
  _payam_bind_int (stmt, ":rowid", payam_queue_item_get_rowid (last));
  _payam_bind_int (stmt, ":limit", limit);
  return collect_items (self, stmt, error);
}

gboolean
payam_store_queue_locate_sorted (PayamStore     *self,
                                 PayamQueue      queue,
                                 PayamQueueSort  sort,
                                 gboolean        descending,
                                 const char     *request_id,
                                 gboolean       *present,
                                 guint          *position,
                                 GError        **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GString) sql = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (queue < PAYAM_N_QUEUES, FALSE);
  g_return_val_if_fail (payam_queue_can_sort (queue, sort), FALSE);
  g_return_val_if_fail (request_id != NULL && present != NULL && position != NULL, FALSE);

  if (sort == PAYAM_QUEUE_SORT_DEFAULT)
    return payam_store_queue_locate (self, queue, request_id, present, position, error);

  /* In the queue: the filter holds for it; its place: the queue's rows whose key comes
   * before its key. */
  sql = g_string_new ("SELECT EXISTS (SELECT 1 ");
  g_string_append (sql, queue_filters[queue]);
  g_string_append (sql, " AND r.id = :id), (SELECT count(*) ");
  append_filter (sql, queue, sort);
  g_string_append (sql, " AND ");
  append_key (sql, sort, descending, KEY_AS_ROW);
  g_string_append (sql, descending ? " > " : " < ");
  append_key (sql, sort, descending, KEY_AS_TARGET);
  g_string_append (sql, ")");

  *present = FALSE;
  *position = 0;
  stmt = _payam_store_prepare_cached (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  bind_now (self, stmt);
  _payam_bind_text (stmt, ":id", request_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  *present = sqlite3_column_int (stmt, 0) != 0;
  *position = (guint) sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

/* ---- search ------------------------------------------------------------------------ */

/* @token as an FTS5 string ("…", inner quotes doubled), a prefix when @prefix. */
static void
append_fts_string (GString    *out,
                   const char *token,
                   gboolean    prefix)
{
  g_string_append_c (out, '"');
  for (const char *p = token; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  if (prefix)
    g_string_append_c (out, '*');
}

/* The digits of @query (ASCII) when it holds nothing but digits in any form and the
 * separators people type in codes and phone numbers, at least three of them; else NULL. */
static char *
query_digits (const char *query)
{
  g_autofree char *ascii = payam_text_digits_to_ascii (query);
  g_autoptr(GString) digits = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (strchr (" -+./()_\t", *p) == NULL)
        return NULL;
    }
  if (digits->len < 3)
    return NULL;
  return g_string_free (g_steal_pointer (&digits), FALSE);
}

/* request_fts as of now. A transaction's writes are indexed when it commits; a request
 * written outside one (a plain statement) is indexed here, in a transaction of its own, the
 * first time a search needs it. */
static gboolean
fts_current (PayamStore  *self,
             GError     **error)
{
  g_autoptr(PayamStmt) any = NULL;
  int rc;

  if (self->depth > 0)
    return _payam_store_fts_flush (self, error);
  if (self->schema_version < PAYAM_STORE_FTS_PENDING_SINCE)
    return TRUE;
  any = _payam_store_prepare_cached (self, "SELECT 1 FROM request_fts_pending LIMIT 1", error);
  if (any == NULL)
    return FALSE;
  rc = sqlite3_step (any);
  g_clear_pointer (&any, _payam_stmt_done);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  /* The commit brings the index up to date. */
  return _payam_store_tx_begin (self, error) && _payam_store_tx_commit (self, error);
}

/* Run the FTS expression @match, newest first, up to @limit. */
static GPtrArray *
search_match (PayamStore  *self,
              const char  *match,
              guint        limit,
              GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;

  if (!fts_current (self, error))
    return NULL;
  stmt = _payam_store_prepare_cached (self,
                                      "SELECT " REQUEST_COLUMNS "FROM request r WHERE r.rowid IN"
                                      " (SELECT rowid FROM request_fts WHERE request_fts MATCH"
                                      " :match ORDER BY rowid DESC LIMIT :limit)"
                                      " ORDER BY r.rowid DESC", error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":match", match);
  _payam_bind_int (stmt, ":limit", limit);
  return collect_items (self, stmt, error);
}

GPtrArray *
payam_store_search (PayamStore  *self,
                    const char  *query,
                    guint        limit,
                    GError     **error)
{
  g_autofree char *digits = NULL;
  g_autofree char *norm = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) match = g_string_new (NULL);
  guint n_words = 0;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!g_utf8_validate (query, -1, NULL))
    {
      _payam_store_invalid (error, _("The search contains invalid characters."));
      return NULL;
    }

  digits = query_digits (query);
  if (digits != NULL)
    {
      g_autoptr(GString) codes = g_string_new ("codes : ");
      g_autofree char *phone = payam_phone_normalize (query, NULL);
      g_autoptr(GPtrArray) found = NULL;

      /* A phone typed as +98 912 … is indexed as 0912 …: its normal form decides. */
      append_fts_string (codes, phone != NULL ? phone : digits, TRUE);
      found = search_match (self, codes->str, limit, error);
      if (found == NULL || found->len > 0)
        return g_steal_pointer (&found);
    }

  /* Words: each must occur. Whole words first (the prefix of a common word is a merge of
   * every word it starts); when they find nothing, the last one may be the start of a
   * word still being typed. */
  norm = payam_text_normalize (query);
  words = g_strsplit (norm, " ", 16);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      n_words++;
  if (n_words == 0)
    return g_ptr_array_new_with_free_func (g_object_unref);
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(GPtrArray) found = NULL;

      g_string_assign (match, "words : (");
      for (guint i = 0, seen = 0; words[i] != NULL; i++)
        {
          if (*words[i] == '\0')
            continue;
          seen++;
          if (seen > 1)
            g_string_append_c (match, ' ');
          append_fts_string (match, words[i], pass == 1 && seen == n_words);
        }
      g_string_append_c (match, ')');
      found = search_match (self, match->str, limit, error);
      if (found == NULL || found->len > 0 || pass == 1)
        return g_steal_pointer (&found);
    }
  g_assert_not_reached ();
  return NULL;
}
