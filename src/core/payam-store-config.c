/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore configuration: default categories, gazetteer and work calendar, read back. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-core-resources.h"
#include "payam-deadline.h"
#include "payam-store-private.h"

#define DATA_PATH "/ir/payam/Payam/core/data/"

/* The parsed root of the compiled-in data file @name (caller owns it), or NULL. Looked up in
 * the core resource directly, so it works whether or not the resource is registered. */
static JsonNode *
load_data (const char  *name,
           GError     **error)
{
  g_autofree char *path = g_strconcat (DATA_PATH, name, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data;

  bytes = g_resource_lookup_data (payam_core_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  if (!json_parser_load_from_data (parser, data, size, error))
    return NULL;
  return json_parser_steal_root (parser);
}

static gboolean
bad_data (const char  *file,
          const char  *what,
          GError     **error)
{
  /* Translators: the first %s is a data file name, the second the entry that is wrong. */
  g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
               _("The configuration file %s is not valid: %s"), file, what);
  return FALSE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_int (JsonObject *object,
            const char *name,
            gint64      min,
            gint64      max,
            gint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return *out >= min && *out <= max;
}

/* A JSON array of strings as compact JSON text for a column; NULL if not such an array. */
static char *
string_array_text (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return g_strdup ("[]");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (node), i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return NULL;
    }
  return _payam_json_to_string (node);
}

static gboolean
upsert_category (PayamStore  *self,
                 JsonObject  *object,
                 gint64       position,
                 GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *examples = string_array_text (object, "examples");
  g_autofree char *related = string_array_text (object, "related");
  const char *code = member_string (object, "code");
  const char *name = member_string (object, "name");
  const char *icon = member_string (object, "icon");
  const char *guidance = member_string (object, "guidance");
  JsonNode *deadline = json_object_get_member (object, "deadline");
  JsonObject *rule;
  gint64 priority, urgent, high, normal;

  if (code == NULL || name == NULL || icon == NULL || guidance == NULL ||
      examples == NULL || related == NULL ||
      !member_int (object, "default_priority", 1, 3, &priority) ||
      deadline == NULL || !JSON_NODE_HOLDS_OBJECT (deadline))
    return bad_data ("categories.json", code != NULL ? code : "?", error);
  rule = json_node_get_object (deadline);
  if (!member_int (rule, "urgent_hours", 1, 24 * 30, &urgent) ||
      !member_int (rule, "high_hours", 1, 24 * 90, &high) ||
      !member_int (rule, "normal_hours", 1, 24 * 365, &normal))
    return bad_data ("categories.json", code, error);

  stmt = _payam_store_stmt (self, STMT_CATEGORY_UPSERT, error);
  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":code", code);
  _payam_bind_text (stmt, ":name", name);
  _payam_bind_text (stmt, ":icon", icon);
  _payam_bind_int (stmt, ":default_priority", priority);
  _payam_bind_int (stmt, ":urgent_hours", urgent);
  _payam_bind_int (stmt, ":high_hours", high);
  _payam_bind_int (stmt, ":normal_hours", normal);
  _payam_bind_text (stmt, ":guidance", guidance);
  _payam_bind_text (stmt, ":examples", examples);
  _payam_bind_text (stmt, ":related", related);
  _payam_bind_int (stmt, ":position", position);
  return _payam_store_step_done (self, stmt, error);
}

static gboolean
upsert_place (PayamStore  *self,
              JsonObject  *object,
              const char  *kind,
              const char  *parent,
              gint64       position,
              GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  const char *code = member_string (object, "code");
  const char *name = member_string (object, "name");
  gboolean has_lat = json_object_has_member (object, "lat");
  gboolean has_lon = json_object_has_member (object, "lon");

  if (code == NULL || name == NULL || has_lat != has_lon)
    return bad_data ("places.json", code != NULL ? code : "?", error);

  stmt = _payam_store_stmt (self, STMT_PLACE_UPSERT, error);
  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":code", code);
  _payam_bind_text (stmt, ":kind", kind);
  _payam_bind_text (stmt, ":name", name);
  _payam_bind_text (stmt, ":parent", parent);
  if (has_lat)
    {
      _payam_bind_double (stmt, ":lat", json_object_get_double_member (object, "lat"));
      _payam_bind_double (stmt, ":lon", json_object_get_double_member (object, "lon"));
    }
  _payam_bind_int (stmt, ":sample",
                   json_object_get_boolean_member_with_default (object, "sample", FALSE));
  _payam_bind_int (stmt, ":position", position);
  return _payam_store_step_done (self, stmt, error);
}

static gboolean
load_categories (PayamStore  *self,
                 GError     **error)
{
  g_autoptr(JsonNode) root = load_data ("categories.json", error);
  JsonNode *list;
  JsonArray *array;

  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (list = json_object_get_member (json_node_get_object (root), "categories")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (list))
    return bad_data ("categories.json", "categories", error);

  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return bad_data ("categories.json", "categories", error);
      if (!upsert_category (self, json_node_get_object (element), i, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_children (PayamStore  *self,
               JsonObject  *neighbourhood,
               const char  *member,
               const char  *kind,
               const char  *parent,
               GError     **error)
{
  JsonNode *list = json_object_get_member (neighbourhood, member);
  JsonArray *array;

  if (list == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (list))
    return bad_data ("places.json", parent, error);
  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return bad_data ("places.json", parent, error);
      if (!upsert_place (self, json_node_get_object (element), kind, parent, i, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_places (PayamStore  *self,
             GError     **error)
{
  g_autoptr(JsonNode) root = load_data ("places.json", error);
  JsonNode *list;
  JsonArray *array;

  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (list = json_object_get_member (json_node_get_object (root), "neighbourhoods")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (list))
    return bad_data ("places.json", "neighbourhoods", error);

  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      const char *code;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return bad_data ("places.json", "neighbourhoods", error);
      object = json_node_get_object (element);
      code = member_string (object, "code");
      if (!upsert_place (self, object, "neighbourhood", NULL, i, error) ||
          !load_children (self, object, "streets", "street", code, error) ||
          !load_children (self, object, "landmarks", "landmark", code, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * payam_store_load_defaults:
 *
 * Upsert the compiled-in categories and places in one transaction, with one audit row
 * when a row actually changed (so loading at every start costs nothing). Configuration
 * is the same built-in data on every device, so it writes no outbox ops: devices would
 * otherwise all claim to have edited it; edits made by the office will.
 */
gboolean
payam_store_load_defaults (PayamStore  *self,
                           GError     **error)
{
  sqlite3_int64 changes;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  _payam_store_drop_caches (self);
  changes = sqlite3_total_changes64 (self->db);
  if (!load_categories (self, error) ||
      !load_places (self, error) ||
      (sqlite3_total_changes64 (self->db) != changes &&
       !_payam_store_append_audit (self, "load-defaults", "config", NULL, NULL, error)))
    {
      _payam_store_tx_rollback (self);
      _payam_store_drop_caches (self);
      return FALSE;
    }
  if (!_payam_store_tx_commit (self, error))
    {
      _payam_store_drop_caches (self);
      return FALSE;
    }
  return _payam_store_load_calendar (self, error);
}

/* ---- reading back ---------------------------------------------------------------------- */

static GStrv
strv_from_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *root;

  if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *s = json_array_get_string_element (array, i);

          if (s != NULL)
            g_strv_builder_add (builder, s);
        }
    }
  return g_strv_builder_end (builder);
}

static PayamCategory *
category_from_row (PayamStmt *stmt)
{
  PayamCategory *category = g_new0 (PayamCategory, 1);

  category->code = _payam_column_dup_text (stmt, 0);
  category->name = _payam_column_dup_text (stmt, 1);
  category->icon = _payam_column_dup_text (stmt, 2);
  category->default_priority = sqlite3_column_int (stmt, 3);
  category->rule.urgent_hours = sqlite3_column_int (stmt, 4);
  category->rule.high_hours = sqlite3_column_int (stmt, 5);
  category->rule.normal_hours = sqlite3_column_int (stmt, 6);
  category->guidance = _payam_column_dup_text (stmt, 7);
  category->examples = strv_from_json ((const char *)sqlite3_column_text (stmt, 8));
  category->related = strv_from_json ((const char *)sqlite3_column_text (stmt, 9));
  return category;
}

/* Every category in display order; the array owns its elements. NULL on error. */
GPtrArray *
payam_store_list_categories (PayamStore  *self,
                             GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  stmt = _payam_store_stmt (self, STMT_CATEGORY_LIST, error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify)payam_category_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, category_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* The category @code (caller owns it), or NULL with NOT_FOUND. */
PayamCategory *
payam_store_get_category (PayamStore  *self,
                          const char  *code,
                          GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  stmt = _payam_store_stmt (self, STMT_CATEGORY_GET, error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":code", code);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return category_from_row (stmt);
  if (rc != SQLITE_DONE)
    _payam_store_set_sql_error (self, rc, error);
  else
    /* Translators: %s is a category code such as "asphalt". */
    g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                 _("There is no category “%s”."), code);
  return NULL;
}

void
_payam_store_drop_caches (PayamStore *self)
{
  g_hash_table_remove_all (self->categories);
  g_hash_table_remove_all (self->neighbourhoods);
}

gboolean
_payam_store_is_neighbourhood (PayamStore  *self,
                               const char  *code,
                               gboolean    *out,
                               GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  if (g_hash_table_contains (self->neighbourhoods, code))
    {
      *out = TRUE;
      return TRUE;
    }
  stmt = _payam_store_stmt (self, STMT_PLACE_EXISTS, error);
  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":code", code);
  _payam_bind_text (stmt, ":kind", "neighbourhood");
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  *out = rc == SQLITE_ROW;
  /* Only what exists is remembered: a code added later is then found. */
  if (*out)
    g_hash_table_add (self->neighbourhoods, g_strdup (code));
  return TRUE;
}

/* The category @code from the cache, read from the table on a miss. Borrowed. */
const PayamCategory *
_payam_store_lookup_category (PayamStore  *self,
                              const char  *code,
                              GError     **error)
{
  PayamCategory *category = g_hash_table_lookup (self->categories, code);

  if (category != NULL)
    return category;
  category = payam_store_get_category (self, code, error);
  if (category == NULL)
    return NULL;
  g_hash_table_replace (self->categories, category->code, category);
  return category;
}

/* Places of @kind, optionally under @parent, in display order; owns its elements. */
GPtrArray *
payam_store_list_places (PayamStore  *self,
                         const char  *kind,
                         const char  *parent,
                         GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  stmt = _payam_store_stmt (self, parent != NULL ? STMT_PLACE_LIST_PARENT : STMT_PLACE_LIST,
                            error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":kind", kind);
  if (parent != NULL)
    _payam_bind_text (stmt, ":parent", parent);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify)payam_place_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PayamPlace *place = g_new0 (PayamPlace, 1);

      place->code = _payam_column_dup_text (stmt, 0);
      place->kind = _payam_column_dup_text (stmt, 1);
      place->name = _payam_column_dup_text (stmt, 2);
      place->parent = _payam_column_dup_text (stmt, 3);
      place->has_location = sqlite3_column_type (stmt, 4) != SQLITE_NULL;
      place->lat = sqlite3_column_double (stmt, 4);
      place->lon = sqlite3_column_double (stmt, 5);
      place->sample = sqlite3_column_int (stmt, 6) != 0;
      g_ptr_array_add (list, place);
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* ---- work calendar --------------------------------------------------------------------- */

/* The calendar of the `config` row 'calendar', NULL when there is none. A row that does
 * not parse or is not a calendar is NULL too, with a warning: a mistake in the office's
 * configuration must not keep the device from opening its database. */
static PayamWorkCalendar *
configured_calendar (PayamStore  *self,
                     GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_CONFIG_GET, error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  PayamWorkCalendar *calendar;
  int rc;

  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":key", "calendar");
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, (const char *)sqlite3_column_text (stmt, 0), -1,
                                   &local_error) ||
      (calendar = payam_work_calendar_new_from_json (json_parser_get_root (parser),
                                                     &local_error)) == NULL)
    {
      g_warning ("ignoring the configured work calendar of %s: %s", self->path,
                 local_error->message);
      return NULL;
    }
  return calendar;
}

/* (Re)load the work calendar: the `config` row 'calendar' when the office has set a valid
 * one, else the compiled-in calendar.json (INVALID if that is malformed). */
gboolean
_payam_store_load_calendar (PayamStore  *self,
                            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PayamWorkCalendar *calendar = configured_calendar (self, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (calendar == NULL)
    {
      g_autoptr(JsonNode) root = load_data ("calendar.json", error);

      if (root == NULL)
        return FALSE;
      calendar = payam_work_calendar_new_from_json (root, &local_error);
      if (calendar == NULL)
        return bad_data ("calendar.json", local_error->message, error);
    }

  g_clear_pointer (&self->calendar, payam_work_calendar_free);
  self->calendar = calendar;
  return TRUE;
}

const PayamWorkCalendar *
payam_store_get_work_calendar (PayamStore *self)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  return self->calendar;
}
