/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore ratings: validate and write a citizen's rating of a finished request. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-store-private.h"
#include "payam-store-ratings.h"
#include "payam-uuid.h"

#define SQL_RATING_INSERT \
  "INSERT INTO rating (id, request_id, score, comment, created_at) " \
  "VALUES (:id, :request_id, :score, :comment, :created_at)"
#define SQL_RATING_COUNT \
  "SELECT count (*) FROM rating WHERE request_id = :request_id"
#define SQL_RATING_LIST \
  "SELECT id, request_id, score, comment, created_at FROM rating " \
  "WHERE request_id = :request_id ORDER BY created_at, id"

void
payam_rating_free (PayamRating *rating)
{
  if (rating == NULL)
    return;
  g_free (rating->id);
  g_free (rating->request_id);
  g_free (rating->comment);
  g_clear_pointer (&rating->created_at, g_date_time_unref);
  g_free (rating);
}

gboolean
payam_status_is_rateable (PayamStatus status)
{
  return status == PAYAM_STATUS_DONE || status == PAYAM_STATUS_NOTIFIED ||
         status == PAYAM_STATUS_CLOSED;
}

/* How many ratings @request_id has in the store, into @out. */
static gboolean
count_ratings (PayamStore  *self,
               const char  *request_id,
               gint64      *out,
               GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_prepare_cached (self, SQL_RATING_COUNT, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, ":request_id", request_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  *out = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The checks of payam_store_add_rating() that need no transaction. @clean_comment gets
 * the trimmed comment or NULL. */
static gboolean
validate_input (int          score,
                const char  *comment,
                char       **clean_comment,
                GError     **error)
{
  g_autofree char *clean = NULL;

  if (score < 1 || score > 5)
    return _payam_store_invalid (error, _("Choose a score from one to five stars."));
  if (comment != NULL && !g_utf8_validate (comment, -1, NULL))
    return _payam_store_invalid (error, _("The comment contains unreadable characters; "
                                          "write it again."));
  clean = _payam_strip_or_null (comment);
  if (clean != NULL && g_utf8_strlen (clean, -1) > PAYAM_RATING_MAX_COMMENT_CHARS)
    {
      g_autofree char *max = payam_format_integer (PAYAM_RATING_MAX_COMMENT_CHARS);

      /* Translators: %s is the largest number of characters allowed, in Persian digits. */
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
                   _("The comment is too long; shorten it to at most %s characters."), max);
      return FALSE;
    }
  *clean_comment = g_steal_pointer (&clean);
  return TRUE;
}

/* Everything payam_store_add_rating() writes, inside its transaction. */
static char *
add_rating_in_tx (PayamStore  *self,
                  const char  *request_id,
                  int          score,
                  const char  *comment,
                  GError     **error)
{
  g_autoptr(PayamRequest) request = payam_store_get_request (self, request_id, error);
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *created_at = NULL;
  g_autofree char *id = NULL;
  gint64 n_ratings = 0;

  if (request == NULL)
    return NULL;
  if (!payam_status_is_rateable (request->status))
    {
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
                   /* Translators: %s is the request's status, such as "In progress". */
                   _("This message is not finished yet (its status is “%s”); it can be "
                     "rated once the work is done."),
                   payam_status_label (request->status));
      return NULL;
    }
  if (!count_ratings (self, request->id, &n_ratings, error))
    return NULL;
  if (n_ratings > 0)
    {
      _payam_store_invalid (error, _("This message has already been rated. Thank you; a "
                                     "message can be rated only once."));
      return NULL;
    }

  now = _payam_store_now (self);
  created_at = _payam_time_to_db (now);
  id = payam_uuid7_new ();
  stmt = _payam_store_prepare_cached (self, SQL_RATING_INSERT, error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":id", id);
  _payam_bind_text (stmt, ":request_id", request->id);
  _payam_bind_int (stmt, ":score", score);
  _payam_bind_text (stmt, ":comment", comment);
  _payam_bind_text (stmt, ":created_at", created_at);
  if (!_payam_store_step_done (self, stmt, error))
    return NULL;

  /* The whole row in one op, field "*": a rating is created once and never edited, so
   * it merges as a grow-only set (payam-merge.c). */
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "request_id");
  json_builder_add_string_value (b, request->id);
  json_builder_set_member_name (b, "score");
  json_builder_add_int_value (b, score);
  json_builder_set_member_name (b, "comment");
  if (comment != NULL)
    json_builder_add_string_value (b, comment);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created_at);
  json_builder_end_object (b);
  value = json_builder_get_root (b);

  if (!_payam_store_append_op (self, "rating", id, NULL, value, error) ||
      !_payam_store_append_audit (self, "add-rating", "rating", id, NULL, error))
    return NULL;
  return g_steal_pointer (&id);
}

/**
 * payam_store_add_rating:
 *
 * See payam-store-ratings.h. The input is checked before the transaction begins; the
 * request's status and earlier ratings inside it, so two kiosk pages cannot both rate.
 */
char *
payam_store_add_rating (PayamStore  *self,
                        const char  *request_id,
                        int          score,
                        const char  *comment,
                        GError     **error)
{
  g_autofree char *clean_comment = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  if (!validate_input (score, comment, &clean_comment, error))
    return NULL;
  if (!_payam_store_tx_begin (self, error))
    return NULL;
  id = add_rating_in_tx (self, request_id, score, clean_comment, error);
  if (id == NULL)
    {
      _payam_store_tx_rollback (self);
      return NULL;
    }
  if (!_payam_store_tx_commit (self, error))
    return NULL;
  return g_steal_pointer (&id);
}

/**
 * payam_store_list_ratings:
 *
 * See payam-store-ratings.h.
 */
GPtrArray *
payam_store_list_ratings (PayamStore  *self,
                          const char  *request_id,
                          GError     **error)
{
  g_autoptr(GPtrArray) ratings = NULL;
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  stmt = _payam_store_prepare_cached (self, SQL_RATING_LIST, error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, ":request_id", request_id);
  ratings = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_rating_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PayamRating *rating = g_new0 (PayamRating, 1);
      g_autofree char *created_at = _payam_column_dup_text (stmt, 4);

      rating->id = _payam_column_dup_text (stmt, 0);
      rating->request_id = _payam_column_dup_text (stmt, 1);
      rating->score = sqlite3_column_int (stmt, 2);
      rating->comment = _payam_column_dup_text (stmt, 3);
      rating->created_at = _payam_time_from_db (created_at);
      g_ptr_array_add (ratings, rating);
    }
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&ratings);
}
