/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A crew's work: outcome phrases, the evidence rules of done and not possible, the route. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "payam-core-resources.h"
#include "payam-crew-work.h"
#include "payam-store-groups-private.h"

#define OUTCOMES_PATH "/ir/payam/Payam/core/data/outcomes.json"
/* The public description stays short: it goes into a text message. */
#define MAX_DESCRIPTION_CHARS 200

const char *
payam_not_possible_reason_label (PayamNotPossibleReason reason)
{
  switch (reason)
    {
    case PAYAM_NOT_POSSIBLE_NONE:
      return NULL;
    case PAYAM_NOT_POSSIBLE_NO_ACCESS:
      return _("No access to the place");
    case PAYAM_NOT_POSSIBLE_OTHER_AGENCY:
      return _("Needs another agency");
    case PAYAM_NOT_POSSIBLE_NOT_OURS:
      return _("Not the municipality's work");
    case PAYAM_NOT_POSSIBLE_NOT_FOUND:
      return _("Could not find the problem");
    case PAYAM_NOT_POSSIBLE_OTHER:
      return _("Another reason");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The parsed outcomes.json, loaded once. A broken data file is a build error, so failing
 * to read it is a programming error. */
static JsonObject *
outcomes (void)
{
  static JsonParser *parser = NULL;

  if (g_once_init_enter (&parser))
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      JsonParser *p = json_parser_new ();

      bytes = g_resource_lookup_data (payam_core_get_resource (), OUTCOMES_PATH,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes == NULL ||
          !json_parser_load_from_data (p, g_bytes_get_data (bytes, NULL),
                                       (gssize) g_bytes_get_size (bytes), &error))
        g_error ("outcomes.json: %s", error->message);
      g_once_init_leave (&parser, p);
    }
  return json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                        "outcomes");
}

GStrv
payam_outcome_phrases (const char *category)
{
  JsonObject *all = outcomes ();
  JsonArray *list = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  if (category != NULL && json_object_has_member (all, category))
    list = json_object_get_array_member (all, category);
  if (list == NULL || json_array_get_length (list) == 0)
    list = json_object_get_array_member (all, "default");
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_strv_builder_add (b, json_array_get_string_element (list, i));
  return g_strv_builder_end (b);
}

char *
payam_outcome_description (const char  *category,
                           const char  *phrase,
                           const char  *words,
                           GError     **error)
{
  g_auto(GStrv) phrases = payam_outcome_phrases (category);
  g_autofree char *clean_phrase = _payam_strip_or_null (phrase);
  g_autofree char *clean_words = _payam_strip_or_null (words);
  g_autofree char *text = NULL;

  if (clean_phrase == NULL || !g_strv_contains ((const char * const *) phrases, clean_phrase))
    {
      _payam_store_invalid (error, _("Choose what was done from the list of outcomes; you "
                                     "may add a few words after it."));
      return NULL;
    }
  if (clean_words != NULL && !g_utf8_validate (clean_words, -1, NULL))
    {
      _payam_store_invalid (error, _("The added words contain invalid characters."));
      return NULL;
    }
  text = clean_words != NULL ? g_strconcat (clean_phrase, "، ", clean_words, NULL)
                             : g_steal_pointer (&clean_phrase);
  if (g_utf8_strlen (text, -1) > MAX_DESCRIPTION_CHARS)
    {
      _payam_store_invalid (error, _("The added words are too long for a text message; keep "
                                     "them short."));
      return NULL;
    }
  return g_steal_pointer (&text);
}

/* The category of @request_id (caller owns it), NOT_FOUND for an unknown request. */
static char *
category_of (PayamStore  *self,
             const char  *request_id,
             GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, "SELECT category_id FROM "
                                                           "request WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, request_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _payam_column_dup_text (stmt, 0);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                         _("No message with this code or identifier was found."));
  else
    _payam_store_set_sql_error (self, rc, error);
  return NULL;
}

gboolean
payam_store_count_evidence (PayamStore  *self,
                            const char  *request_id,
                            guint       *n_before,
                            guint       *n_after,
                            GError     **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  /* The photos of the worksheet of the request's group (one not yet made has none). */
  stmt = _payam_store_prepare_cached (self,
    "SELECT count (DISTINCT CASE WHEN a.kind = 'before' THEN ap.sha256 END), "
    "count (DISTINCT CASE WHEN a.kind = 'after' THEN ap.sha256 END) "
    "FROM request r JOIN worksheet w ON w.group_id = r.group_id AND w.status != 'merged' "
    "JOIN worksheet_action a ON a.worksheet_id = w.id "
    "JOIN worksheet_action_photo ap ON ap.action_id = a.id WHERE r.id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, request_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  if (n_before != NULL)
    *n_before = (guint) sqlite3_column_int (stmt, 0);
  if (n_after != NULL)
    *n_after = (guint) sqlite3_column_int (stmt, 1);
  return TRUE;
}

char *
payam_store_crew_done (PayamStore  *self,
                       const char  *request_id,
                       const char  *phrase,
                       const char  *words,
                       GError     **error)
{
  g_autofree char *category = NULL;
  g_autofree char *description = NULL;
  PayamActionDraft draft = { PAYAM_ACTION_DONE, NULL, NULL };
  guint n_after = 0;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  category = category_of (self, request_id, error);
  if (category == NULL)
    return NULL;
  if (!payam_store_count_evidence (self, request_id, NULL, &n_after, error))
    return NULL;
  if (n_after == 0)
    {
      _payam_store_invalid (error, _("Take or add at least one photo of the finished work "
                                     "(after photo) before marking it done."));
      return NULL;
    }
  description = payam_outcome_description (category, phrase, words, error);
  if (description == NULL)
    return NULL;
  draft.note = description;
  draft.public_words = description;
  return payam_store_add_action (self, request_id, &draft, PAYAM_ROLE_CREW, error);
}

char *
payam_store_crew_not_possible (PayamStore              *self,
                               const char              *request_id,
                               PayamNotPossibleReason   reason,
                               const char              *text,
                               GError                 **error)
{
  g_autofree char *clean = _payam_strip_or_null (text);
  g_autofree char *note = NULL;
  PayamActionDraft draft = { PAYAM_ACTION_NOT_POSSIBLE, NULL, NULL };

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  if (reason <= PAYAM_NOT_POSSIBLE_NONE || reason > PAYAM_NOT_POSSIBLE_OTHER)
    {
      _payam_store_invalid (error, _("Choose why the work is not possible."));
      return NULL;
    }
  if (clean == NULL)
    {
      _payam_store_invalid (error, _("Write in a few words what you saw, so the office can "
                                     "decide what to do."));
      return NULL;
    }
  /* Translators: the reason chosen from the list, then what the crew wrote. */
  note = g_strdup_printf (_("%s: %s"), payam_not_possible_reason_label (reason), clean);
  draft.note = note;
  draft.public_words = payam_not_possible_reason_label (reason);
  return payam_store_add_action (self, request_id, &draft, PAYAM_ROLE_CREW, error);
}

gboolean
payam_store_set_route (PayamStore          *self,
                       const char * const  *worksheet_ids,
                       GError             **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);

  if (!_payam_store_tx_begin (self, error))
    return FALSE;
  if (!_payam_groups_exec (self, "DELETE FROM route_order", error, 0))
    goto fail;
  for (guint i = 0; worksheet_ids != NULL && worksheet_ids[i] != NULL; i++)
    {
      g_autofree char *position = g_strdup_printf ("%u", i);

      if (!_payam_groups_exec (self, "INSERT OR REPLACE INTO route_order (worksheet_id, "
                                     "position) VALUES (?1, CAST (?2 AS INTEGER))", error, 2,
                               worksheet_ids[i], position))
        goto fail;
    }
  return _payam_store_tx_commit (self, error);

fail:
  _payam_store_tx_rollback (self);
  return FALSE;
}
