/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The public face of a request: fixed sentences and public facts only (issue #10). */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "payam-store-private.h"
#include "payam-store-public-private.h"
#include "payam-store-public.h"
#include "payam-store-worksheets.h"

static void
public_event_free (PayamPublicEvent *event)
{
  g_free (event->at);
  g_free (event->text);
  g_free (event);
}

void
payam_public_view_free (PayamPublicView *view)
{
  if (view == NULL)
    return;
  g_free (view->tracking_code);
  g_free (view->category);
  g_free (view->neighbourhood);
  g_free (view->created_at);
  g_free (view->due_at);
  g_free (view->updated_at);
  g_free (view->outcome);
  g_free (view->public_text);
  g_clear_pointer (&view->events, g_ptr_array_unref);
  g_strfreev (view->photos);
  g_free (view);
}

const char *
payam_public_outcome_text (PayamStatus status)
{
  switch (status)
    {
    case PAYAM_STATUS_REGISTERED:
      return _("Your message has been registered and is waiting to be reviewed.");
    case PAYAM_STATUS_TRIAGED:
      return _("Your message has been reviewed and the work is being planned.");
    case PAYAM_STATUS_ASSIGNED:
      return _("A crew has been given this work.");
    case PAYAM_STATUS_IN_PROGRESS:
      return _("A crew is working on it.");
    case PAYAM_STATUS_DONE:
    case PAYAM_STATUS_NOTIFIED:
    case PAYAM_STATUS_CLOSED:
      return _("The problem you reported has been fixed. Thank you for letting us know.");
    case PAYAM_STATUS_NOT_POSSIBLE:
      return _("The work could not be done. The district 137 office will contact you if "
               "it needs to.");
    case PAYAM_STATUS_REJECTED:
      return _("This message was not accepted as a task for the municipality.");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* As /v1/track has always written times: UTC, whole seconds. */
static char *
public_time (GDateTime *when)
{
  g_autoptr(GDateTime) utc = NULL;

  if (when == NULL)
    return NULL;
  utc = g_date_time_to_utc (when);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static char *
dup_public_text (PayamStore  *self,
                 const char  *request_id,
                 GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, "SELECT public_text FROM "
                                                           "request WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, request_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _payam_column_dup_text (stmt, 0);
  if (rc != SQLITE_DONE)
    _payam_store_set_sql_error (self, rc, error);
  return NULL;
}

/**
 * payam_store_get_public_view:
 *
 * See payam-store-public.h. The timeline keeps registration, status moves and the notices
 * sent; each notice is told in the fixed sentence of the outcome, since its own text may
 * carry what a crew typed. Photos are those of the work's actions, not the citizen's.
 */
PayamPublicView *
payam_store_get_public_view (PayamStore  *self,
                             const char  *code,
                             GError     **error)
{
  g_autoptr(PayamPublicView) view = g_new0 (PayamPublicView, 1);
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func (g_free);
  GError *local_error = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  request = payam_store_find_by_tracking_code (self, code, error);
  if (request == NULL)
    return NULL;
  timeline = payam_store_list_timeline (self, request->id, error);
  if (timeline == NULL)
    return NULL;
  view->public_text = dup_public_text (self, request->id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  view->tracking_code = g_strdup (request->tracking_code);
  view->status = request->status;
  view->category = g_strdup (request->category);
  view->neighbourhood = g_strdup (request->neighbourhood);
  view->created_at = public_time (request->created_at);
  view->due_at = public_time (request->due_at);
  view->updated_at = public_time (request->updated_at != NULL ? request->updated_at
                                                              : request->created_at);
  view->outcome = g_strdup (payam_public_outcome_text (request->status));
  view->events = g_ptr_array_new_with_free_func ((GDestroyNotify) public_event_free);
  for (guint i = 0; i < timeline->len; i++)
    {
      const PayamTimelineEntry *entry = g_ptr_array_index (timeline, i);
      PayamPublicEvent *event;

      if (entry->kind == PAYAM_TIMELINE_ACTION)
        for (guint p = 0; entry->photos[p] != NULL; p++)
          if (!g_ptr_array_find_with_equal_func (photos, entry->photos[p], g_str_equal, NULL))
            g_ptr_array_add (photos, g_strdup (entry->photos[p]));
      if (entry->kind != PAYAM_TIMELINE_REGISTERED && entry->kind != PAYAM_TIMELINE_STATUS &&
          !(entry->kind == PAYAM_TIMELINE_NOTICE && g_strcmp0 (entry->notice_state, "sent") == 0))
        continue;
      event = g_new0 (PayamPublicEvent, 1);
      event->at = public_time (entry->at);
      switch (entry->kind)
        {
        case PAYAM_TIMELINE_REGISTERED:
          event->kind = "registered";
          break;
        case PAYAM_TIMELINE_STATUS:
          event->kind = "status";
          event->status = entry->status;
          break;
        case PAYAM_TIMELINE_NOTICE:
        case PAYAM_TIMELINE_MERGED:
        case PAYAM_TIMELINE_SPLIT:
        case PAYAM_TIMELINE_ASSIGNED:
        case PAYAM_TIMELINE_ACTION:
        case PAYAM_TIMELINE_OFFICE_CHANGE:
        default:
          event->kind = "notice";
          event->text = g_strdup (view->outcome);
          break;
        }
      g_ptr_array_add (view->events, event);
    }
  g_ptr_array_add (photos, NULL);
  view->photos = (GStrv) g_ptr_array_free (g_steal_pointer (&photos), FALSE);
  return g_steal_pointer (&view);
}

/* ---- a kiosk's pull ----------------------------------------------------------------------- */

/* A copy of the members of the object @in named in @members (NULL-terminated). */
static char *
only_members (JsonNode          *in,
              const char *const *members)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) out = json_object_new ();

  for (gsize i = 0; members[i] != NULL; i++)
    {
      JsonNode *member = json_object_get_member (json_node_get_object (in), members[i]);

      if (member != NULL)
        json_object_set_member (out, members[i], json_node_copy (member));
    }
  if (json_object_has_member (json_node_get_object (in), "text"))
    json_object_set_string_member (out, "text", "");
  json_node_set_object (node, out);
  return _payam_json_to_string (node);
}

/* See payam-store-public-private.h. A kiosk sits unattended in the street (issue #10 case
 * 3): a status reason is what a crew or the office typed, so it never reaches one. */
gboolean
_payam_public_kiosk_op (const PayamOp  *op,
                        JsonNode       *root,
                        char          **value)
{
  static const char *const new_request[] = {
    "tracking_code", "channel", "category", "neighbourhood", "priority", "status",
    "status_epoch", "created_at", "due_at", NULL,
  };
  static const char *const status[] = { "status", "epoch", NULL };
  static const char *const public_fields[] = {
    "category", "neighbourhood", "priority", "due_at", "deleted", "public_text",
  };

  *value = NULL;
  if (strcmp (op->entity, "request") != 0 || root == NULL)
    return FALSE;
  if (strcmp (op->field, "*") == 0)
    {
      if (!JSON_NODE_HOLDS_OBJECT (root))
        return FALSE;
      *value = only_members (root, new_request);
      return TRUE;
    }
  if (strcmp (op->field, "status") == 0)
    {
      if (!JSON_NODE_HOLDS_OBJECT (root))
        return FALSE;
      *value = only_members (root, status);
      return TRUE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (public_fields); i++)
    if (strcmp (op->field, public_fields[i]) == 0)
      return TRUE;
  return FALSE;
}
