/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore requests: registering, reading, listing, status changes, notices and figures. */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "payam-deadline.h"
#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-phone.h"
#include "payam-priority.h"
#include "payam-store-contact-private.h"
#include "payam-store-private.h"
#include "payam-text.h"
#include "payam-tracking.h"
#include "payam-uuid.h"

#define MAX_TEXT_CHARS     PAYAM_MAX_TEXT_CHARS
#define MAX_NAME_CHARS     PAYAM_MAX_NAME_CHARS
#define MAX_PLACE_CHARS    PAYAM_MAX_PLACE_CHARS

#define DISTRICT_LAT_MIN PAYAM_DISTRICT_LAT_MIN
#define DISTRICT_LAT_MAX PAYAM_DISTRICT_LAT_MAX
#define DISTRICT_LON_MIN PAYAM_DISTRICT_LON_MIN
#define DISTRICT_LON_MAX PAYAM_DISTRICT_LON_MAX

gboolean
_payam_store_invalid (GError     **error,
                      const char  *message)
{
  g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID, message);
  return FALSE;
}

/* @text trimmed (caller owns it); NULL when @text is NULL or only white space. */
char *
_payam_strip_or_null (const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

static gboolean
row_exists (PayamStore  *self,
            PayamStmtId  id,
            const char  *param,
            const char  *value,
            const char  *kind,
            gboolean    *out,
            GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, id, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _payam_bind_text (stmt, param, value);
  if (kind != NULL)
    _payam_bind_text (stmt, ":kind", kind);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  *out = rc == SQLITE_ROW;
  return TRUE;
}

/* The fields of a draft after validation, owned. */
typedef struct {
  char          *text;
  char          *neighbourhood;
  char          *street;
  char          *landmark;
  char          *phone;
  char          *name;
  char          *group_id;
  const PayamCategory *category;  /* borrowed from the store's cache */
} CleanDraft;

static void
clean_draft_clear (CleanDraft *clean)
{
  g_free (clean->text);
  g_free (clean->neighbourhood);
  g_free (clean->street);
  g_free (clean->landmark);
  g_free (clean->phone);
  g_free (clean->name);
  g_free (clean->group_id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CleanDraft, clean_draft_clear)

/* Validate @draft into @clean. INVALID with a translated message naming the field. Must
 * run inside the transaction, so that the rows it checks cannot change before the insert. */
static gboolean
validate_draft (PayamStore              *self,
                const PayamRequestDraft *draft,
                CleanDraft              *clean,
                GError                 **error)
{
  g_autofree char *category = _payam_strip_or_null (draft->category);
  g_autofree char *phone_input = _payam_strip_or_null (draft->phone);
  gboolean exists = FALSE;

  if (draft->text == NULL || !g_utf8_validate (draft->text, -1, NULL))
    return _payam_store_invalid (error, _("Write what the problem is: the text of the message "
                                          "is empty."));
  clean->text = _payam_strip_or_null (draft->text);
  if (clean->text == NULL)
    return _payam_store_invalid (error, _("Write what the problem is: the text of the message "
                                          "is empty."));
  if (g_utf8_strlen (clean->text, -1) > MAX_TEXT_CHARS)
    {
      g_autofree char *max = payam_format_integer (MAX_TEXT_CHARS);

      /* Translators: %s is the largest number of characters allowed, in Persian digits. */
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
                   _("The text of the message is too long; shorten it to at most %s characters."),
                   max);
      return FALSE;
    }

  if (category == NULL)
    return _payam_store_invalid (error, _("Choose a category for the message."));
  {
    g_autoptr(GError) category_error = NULL;

    clean->category = _payam_store_lookup_category (self, category, &category_error);
    if (g_error_matches (category_error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND))
      return _payam_store_invalid (error, _("The chosen category does not exist; choose another "
                               "category."));
    if (clean->category == NULL)
      {
        g_propagate_error (error, g_steal_pointer (&category_error));
        return FALSE;
      }
  }

  clean->neighbourhood = _payam_strip_or_null (draft->neighbourhood);
  if (clean->neighbourhood == NULL)
    return _payam_store_invalid (error, _("Choose the neighbourhood where the problem is."));
  if (!_payam_store_is_neighbourhood (self, clean->neighbourhood, &exists, error))
    return FALSE;
  if (!exists)
    return _payam_store_invalid (error, _("The chosen neighbourhood does not exist; choose another "
                             "neighbourhood."));

  if ((draft->street != NULL && !g_utf8_validate (draft->street, -1, NULL)) ||
      (draft->landmark != NULL && !g_utf8_validate (draft->landmark, -1, NULL)))
    return _payam_store_invalid (error, _("The street or landmark contains invalid characters."));
  clean->street = _payam_strip_or_null (draft->street);
  if (clean->street != NULL && g_utf8_strlen (clean->street, -1) > MAX_PLACE_CHARS)
    return _payam_store_invalid (error, _("The street name is too long."));
  clean->landmark = _payam_strip_or_null (draft->landmark);
  if (clean->landmark != NULL && g_utf8_strlen (clean->landmark, -1) > MAX_PLACE_CHARS)
    return _payam_store_invalid (error, _("The landmark is too long."));

  if (draft->has_location)
    {
      if (!isfinite (draft->lat) || !isfinite (draft->lon) ||
          draft->lat < -90.0 || draft->lat > 90.0 || draft->lon < -180.0 || draft->lon > 180.0)
        return _payam_store_invalid (error, _("The location on the map is not a valid "
                                              "coordinate; mark the place on the map again."));
      if (draft->lat < DISTRICT_LAT_MIN || draft->lat > DISTRICT_LAT_MAX ||
          draft->lon < DISTRICT_LON_MIN || draft->lon > DISTRICT_LON_MAX)
        return _payam_store_invalid (error, _("The location on the map is outside the "
                                              "district; mark the place on the map again."));
    }

  if (phone_input != NULL)
    {
      g_autoptr(GError) phone_error = NULL;

      clean->phone = payam_phone_normalize (phone_input, &phone_error);
      if (clean->phone == NULL)
        {
          /* Translators: %s is the phone module's own explanation of what to fix. */
          g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
                       _("Phone number: %s"), phone_error->message);
          return FALSE;
        }
    }

  if (draft->name != NULL && !g_utf8_validate (draft->name, -1, NULL))
    return _payam_store_invalid (error, _("The name contains invalid characters."));
  clean->name = _payam_strip_or_null (draft->name);
  if (clean->name != NULL && g_utf8_strlen (clean->name, -1) > MAX_NAME_CHARS)
    {
      g_autofree char *max = payam_format_integer (MAX_NAME_CHARS);

      /* Translators: %s is the largest number of characters allowed, in Persian digits. */
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID,
                   _("The name is too long; write at most %s characters."), max);
      return FALSE;
    }

  switch (draft->channel)
    {
    case PAYAM_CHANNEL_KIOSK:
    case PAYAM_CHANNEL_CREW:
    case PAYAM_CHANNEL_OFFICE:
    case PAYAM_CHANNEL_PHONE:
    case PAYAM_CHANNEL_OPEN311:
      break;
    default:
      return _payam_store_invalid (error, _("The channel of the message is unknown."));
    }

  clean->group_id = _payam_strip_or_null (draft->group_id);
  if (clean->group_id != NULL)
    {
      if (!row_exists (self, STMT_GROUP_EXISTS, ":id", clean->group_id, NULL, &exists, error))
        return FALSE;
      if (!exists)
        return _payam_store_invalid (error, _("The similar message you chose no longer "
                                              "exists; choose again or send yours on its "
                                              "own."));
    }

  return TRUE;
}

/* ---- the outbox value of a new request --------------------------------------------------- */

/* Append @text to @out as the body of a JSON string (RFC 8259): quote, backslash and
 * control characters escaped, everything else (valid UTF-8) as it is. */
static void
json_append_escaped (GString    *out,
                     const char *text)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = text;

  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xf]);
          break;
        }
    }
  g_string_append_len (out, run, strlen (run));
}

/* ,"name": — @name is a plain key that needs no escaping. */
static inline void
json_member_name (GString    *out,
                  const char *name)
{
  g_string_append_len (out, ",\"", 2);
  g_string_append (out, name);
  g_string_append_len (out, "\":", 2);
}

/* ,"name":"value" — nothing when @value is NULL. */
static void
json_member_string (GString    *out,
                    const char *name,
                    const char *value)
{
  if (value == NULL)
    return;
  json_member_name (out, name);
  g_string_append_c (out, '"');
  json_append_escaped (out, value);
  g_string_append_c (out, '"');
}

/* ,"name":true — nothing when @value is FALSE. */
static void
json_member_true (GString    *out,
                  const char *name,
                  gboolean    value)
{
  if (!value)
    return;
  json_member_name (out, name);
  g_string_append_len (out, "true", 4);
}

/* ,"name":number (a small integer). */
static void
json_member_int (GString    *out,
                 const char *name,
                 int         value)
{
  char buf[16];
  int i = sizeof buf;
  unsigned int magnitude = value < 0 ? 0u - (unsigned int) value : (unsigned int) value;

  do
    buf[--i] = (char) ('0' + magnitude % 10);
  while ((magnitude /= 10) != 0);
  if (value < 0)
    buf[--i] = '-';
  json_member_name (out, name);
  g_string_append_len (out, buf + i, (gssize) sizeof buf - i);
}

/* @value written with at most nine decimals into @buf ("35.704996"), when that text reads
 * back as exactly @value: the decimal is scaled / 10^9 with an integer scaled below 2^53,
 * and both strtod and the division round that same rational correctly. FALSE otherwise. */
static gboolean
format_nine_decimals (double  value,
                      char   *buf,
                      gsize   size)
{
  gint64 scaled, whole, fraction;
  int digits = 9;

  if (!(fabs (value) < 1e6))
    return FALSE;
  scaled = llround (value * 1e9);
  if ((double) scaled / 1e9 != value)
    return FALSE;
  whole = ABS (scaled) / 1000000000;
  fraction = ABS (scaled) % 1000000000;
  /* Trailing zeros dropped, one decimal kept. */
  while (digits > 1 && fraction % 10 == 0)
    {
      fraction /= 10;
      digits--;
    }
  g_snprintf (buf, size, "%s%" G_GINT64_FORMAT ".%0*" G_GINT64_FORMAT, scaled < 0 ? "-" : "",
              whole, digits, fraction);
  return TRUE;
}

/* ,"name":number — a coordinate as a map gives it (35.704996) as it is, anything else with
 * %.17g, which always reads back exactly. */
static void
json_member_double (GString    *out,
                    const char *name,
                    double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!format_nine_decimals (value, buf, sizeof buf))
    g_ascii_formatd (buf, sizeof buf, "%.17g", value);
  json_member_name (out, name);
  g_string_append (out, buf);
}

/* The outbox value of a new request: a JSON object with every field sync merges, written
 * compactly. A member whose value is null (a missing street, landmark, group, phone or
 * name, or no location), false (the hazard flag and answers) or 0 (status_epoch) is left
 * out, and a reader takes a missing member as that value; lat and lon come as a pair.
 * Written by hand rather than through a JsonBuilder tree: it runs for every request. A
 * kiosk's contact travels as @contact_sealed instead of phone and name (the server opens it). */
static char *
request_to_json (const PayamRequest *r,
                 const char         *created_at,
                 const char         *due_at,
                 const char         *contact_sealed)
{
  GString *out = g_string_sized_new (256 + 2 * strlen (r->text));

  g_string_append (out, "{\"tracking_code\":\"");
  json_append_escaped (out, r->tracking_code);
  g_string_append_c (out, '"');
  json_member_string (out, "channel", payam_channel_to_string (r->channel));
  json_member_string (out, "category", r->category);
  json_member_string (out, "text", r->text);
  json_member_string (out, "neighbourhood", r->neighbourhood);
  json_member_string (out, "street", r->street);
  json_member_string (out, "landmark", r->landmark);
  if (r->has_location)
    {
      json_member_double (out, "lat", r->lat);
      json_member_double (out, "lon", r->lon);
    }
  json_member_true (out, "hazard", r->hazard);
  json_member_true (out, "danger_to_people", r->answers.danger_to_people);
  json_member_true (out, "blocks_road", r->answers.blocks_road);
  json_member_true (out, "utilities", r->answers.utilities);
  json_member_int (out, "priority", (int) r->priority);
  json_member_string (out, "status", payam_status_to_string (r->status));
  if (r->status_epoch != 0)
    json_member_int (out, "status_epoch", (int) r->status_epoch);
  json_member_string (out, "group_id", r->group_id);
  json_member_string (out, "created_at", created_at);
  json_member_string (out, "due_at", due_at);
  json_member_string (out, "phone", r->phone);
  json_member_string (out, "name", r->name);
  json_member_string (out, "contact_sealed", contact_sealed);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* @when in UTC cut to whole milliseconds, as stored: the request returned by add equals
 * the one read back. */
static GDateTime *
utc_ms (GDateTime *when)
{
  g_autoptr(GDateTime) utc = NULL;
  int sub_ms = g_date_time_get_microsecond (when) % 1000;

  /* Already as stored: a reference, no copies. */
  if (sub_ms == 0 && g_date_time_get_utc_offset (when) == 0)
    return g_date_time_ref (when);
  utc = g_date_time_to_utc (when);
  return g_date_time_add (utc, -sub_ms);
}

/* Insert the validated request and its change log. Inside the transaction; the first
 * write is the request row, so a failure may leave the row without its op and audit row. */
static PayamRequest *
insert_request (PayamStore              *self,
                const PayamRequestDraft *draft,
                CleanDraft              *clean,
                GError                 **error)
{
  g_autoptr(PayamRequest) r = g_new0 (PayamRequest, 1);
  g_autoptr(PayamStmt) stmt = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GDateTime) now = _payam_store_now (self);
  g_autofree char *created_at = NULL;
  g_autofree char *due_at = NULL;
  g_autofree char *updated_at = NULL;
  g_autofree char *contact_sealed = NULL;
  gint64 seq = self->counters.next_tracking_seq;
  PayamHlc hlc;

  r->id = payam_uuid7_new ();
  r->tracking_code = payam_tracking_code_make (self->device_prefix, (guint32)seq);
  r->channel = draft->channel;
  r->category = g_strdup (clean->category->code);
  r->text = g_steal_pointer (&clean->text);
  r->text_norm = payam_text_normalize (r->text);
  r->neighbourhood = g_steal_pointer (&clean->neighbourhood);
  r->street = g_steal_pointer (&clean->street);
  r->landmark = g_steal_pointer (&clean->landmark);
  r->has_location = draft->has_location;
  r->lat = draft->has_location ? draft->lat : 0.0;
  r->lon = draft->has_location ? draft->lon : 0.0;
  r->hazard = draft->hazard;
  r->answers = draft->answers;
  r->priority = payam_priority_compute (&draft->answers, draft->hazard, r->text_norm,
                                        clean->category->default_priority);
  r->status = PAYAM_STATUS_REGISTERED;
  r->status_epoch = 0;
  r->group_id = g_steal_pointer (&clean->group_id);
  r->created_at = utc_ms (draft->created_at != NULL ? draft->created_at : now);
  {
    g_autoptr(GDateTime) due = payam_deadline_compute (self->calendar, &clean->category->rule,
                                                       r->priority, r->created_at);
    r->due_at = utc_ms (due);
  }
  r->updated_at = utc_ms (now);
  r->phone = g_steal_pointer (&clean->phone);
  r->name = g_steal_pointer (&clean->name);
  /* On an enrolled kiosk the contact is sealed to the office and phone and name go NULL. */
  if (!_payam_store_contact_seal (self, &r->phone, &r->name, &contact_sealed, error))
    return NULL;

  created_at = _payam_time_to_db (r->created_at);
  due_at = _payam_time_to_db (r->due_at);
  updated_at = _payam_time_to_db (r->updated_at);

  /* The row's version: written into the row and carried by its op. */
  hlc = _payam_store_next_hlc (self, now);

  stmt = _payam_store_stmt (self, STMT_REQUEST_INSERT, error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_text_at (stmt, REQUEST_P_ID, r->id);
  _payam_bind_text_at (stmt, REQUEST_P_TRACKING_CODE, r->tracking_code);
  _payam_bind_text_at (stmt, REQUEST_P_CHANNEL, payam_channel_to_string (r->channel));
  _payam_bind_text_at (stmt, REQUEST_P_CATEGORY_ID, r->category);
  _payam_bind_text_at (stmt, REQUEST_P_TEXT, r->text);
  _payam_bind_text_at (stmt, REQUEST_P_TEXT_NORM, r->text_norm);
  _payam_bind_text_at (stmt, REQUEST_P_NEIGHBOURHOOD, r->neighbourhood);
  _payam_bind_text_at (stmt, REQUEST_P_STREET, r->street);
  _payam_bind_text_at (stmt, REQUEST_P_LANDMARK, r->landmark);
  if (r->has_location)
    {
      _payam_bind_double_at (stmt, REQUEST_P_LAT, r->lat);
      _payam_bind_double_at (stmt, REQUEST_P_LON, r->lon);
    }
  _payam_bind_int_at (stmt, REQUEST_P_HAZARD, r->hazard != FALSE);
  _payam_bind_int_at (stmt, REQUEST_P_DANGER_TO_PEOPLE, r->answers.danger_to_people != FALSE);
  _payam_bind_int_at (stmt, REQUEST_P_BLOCKS_ROAD, r->answers.blocks_road != FALSE);
  _payam_bind_int_at (stmt, REQUEST_P_UTILITIES, r->answers.utilities != FALSE);
  _payam_bind_int_at (stmt, REQUEST_P_PRIORITY, r->priority);
  _payam_bind_text_at (stmt, REQUEST_P_GROUP_ID, r->group_id);
  _payam_bind_text_at (stmt, REQUEST_P_CREATED_AT, created_at);
  _payam_bind_text_at (stmt, REQUEST_P_DUE_AT, due_at);
  _payam_bind_text_at (stmt, REQUEST_P_UPDATED_AT, updated_at);
  _payam_bind_text_at (stmt, REQUEST_P_PHONE, r->phone);
  _payam_bind_text_at (stmt, REQUEST_P_NAME, r->name);
  _payam_bind_int_at (stmt, REQUEST_P_HLC, (gint64) hlc);
  if (!_payam_store_step_done (self, stmt, error))
    return NULL;
  self->counters.next_tracking_seq++;
  if (contact_sealed != NULL &&
      !_payam_store_contact_keep_sealed (self, r->id, contact_sealed, error))
    return NULL;

  /* One op per new request carrying every field (field NULL), rather than one op per
   * field: a fifth of the rows for the million-request bench, and sync merges it field by
   * field all the same. Later edits write one op per changed field, with the row's hlc as
   * base until the field has a version of its own. */
  value = request_to_json (r, created_at, due_at, contact_sealed);
  /* The audit row names the request; its op holds the fields. */
  if (!_payam_store_append_created_op (self, "request", r->id, value, hlc, error) ||
      !_payam_store_append_audit_at (self, updated_at, "add-request", "request", r->id, NULL,
                                     error))
    return NULL;

  return g_steal_pointer (&r);
}

/**
 * payam_store_add_request:
 *
 * See payam-store.h. Validation errors are INVALID with a translated message; the phone
 * module's message is kept inside the store's. Nothing is written on any error.
 *
 * On its own the request is one transaction. Inside a batch it takes no savepoint: a
 * savepoint makes SQLite copy every page the request touches (pages the batch has already
 * changed) into a sub-journal, a fifth of the cost of a request. Validation only reads, so
 * a refused draft leaves the batch as it was; a database error after the first write
 * leaves the batch level unable to commit (_payam_store_tx_mark_broken): the batch is
 * rolled back, and a request is never stored without its op and audit row.
 */
PayamRequest *
payam_store_add_request (PayamStore               *self,
                         const PayamRequestDraft  *draft,
                         GError                  **error)
{
  g_auto(CleanDraft) clean = { 0 };
  g_autoptr(PayamRequest) request = NULL;
  gboolean own_transaction;
  gint64 seq;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (draft != NULL, NULL);

  own_transaction = self->depth == 0;
  if (own_transaction && !_payam_store_tx_begin (self, error))
    return NULL;

  seq = self->counters.next_tracking_seq;
  if (seq < 1 || seq > PAYAM_TRACKING_SEQ_MAX)
    _payam_store_invalid (error, _("This device has used up its tracking codes; enrol it "
                                   "again at the office."));
  else if (validate_draft (self, draft, &clean, error))
    {
      request = insert_request (self, draft, &clean, error);
      if (request == NULL && !own_transaction)
        _payam_store_tx_mark_broken (self);
    }

  if (request == NULL)
    {
      if (own_transaction)
        _payam_store_tx_rollback (self);
      return NULL;
    }
  /* A failed commit has rolled back already. */
  if (own_transaction && !_payam_store_tx_commit (self, error))
    return NULL;

  return g_steal_pointer (&request);
}

/* ---- reading ---------------------------------------------------------------------------- */

static PayamRequest *
request_from_row (PayamStmt *stmt)
{
  PayamRequest *r = g_new0 (PayamRequest, 1);
  const char *channel = (const char *)sqlite3_column_text (stmt, 2);
  const char *status = (const char *)sqlite3_column_text (stmt, 16);

  r->id = _payam_column_dup_text (stmt, 0);
  r->tracking_code = _payam_column_dup_text (stmt, 1);
  if (channel == NULL || !payam_channel_from_string (channel, &r->channel))
    r->channel = PAYAM_CHANNEL_KIOSK;
  r->category = _payam_column_dup_text (stmt, 3);
  r->text = _payam_column_dup_text (stmt, 4);
  r->text_norm = _payam_column_dup_text (stmt, 5);
  r->neighbourhood = _payam_column_dup_text (stmt, 6);
  r->street = _payam_column_dup_text (stmt, 7);
  r->landmark = _payam_column_dup_text (stmt, 8);
  r->has_location = sqlite3_column_type (stmt, 9) != SQLITE_NULL;
  r->lat = sqlite3_column_double (stmt, 9);
  r->lon = sqlite3_column_double (stmt, 10);
  r->hazard = sqlite3_column_int (stmt, 11) != 0;
  r->answers.danger_to_people = sqlite3_column_int (stmt, 12) != 0;
  r->answers.blocks_road = sqlite3_column_int (stmt, 13) != 0;
  r->answers.utilities = sqlite3_column_int (stmt, 14) != 0;
  r->priority = CLAMP (sqlite3_column_int (stmt, 15), PAYAM_PRIORITY_URGENT,
                       PAYAM_PRIORITY_NORMAL);
  if (status == NULL || !payam_status_from_string (status, &r->status))
    r->status = PAYAM_STATUS_REGISTERED;
  r->status_epoch = sqlite3_column_int (stmt, 17);
  r->status_reason = _payam_column_dup_text (stmt, 18);
  r->group_id = _payam_column_dup_text (stmt, 19);
  r->created_at = _payam_time_from_db ((const char *)sqlite3_column_text (stmt, 20));
  r->due_at = _payam_time_from_db ((const char *)sqlite3_column_text (stmt, 21));
  r->updated_at = _payam_time_from_db ((const char *)sqlite3_column_text (stmt, 22));
  r->phone = _payam_column_dup_text (stmt, 23);
  r->name = _payam_column_dup_text (stmt, 24);
  return r;
}

static PayamRequest *
get_one (PayamStore  *self,
         PayamStmtId  id,
         const char  *param,
         const char  *value,
         GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, id, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  _payam_bind_text (stmt, param, value);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return request_from_row (stmt);
  if (rc != SQLITE_DONE)
    _payam_store_set_sql_error (self, rc, error);
  else
    g_set_error_literal (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND,
                         _("No message with this code or identifier was found."));
  return NULL;
}

PayamRequest *
payam_store_get_request (PayamStore  *self,
                         const char  *id,
                         GError     **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return get_one (self, STMT_REQUEST_GET, ":id", id, error);
}

/**
 * payam_store_find_by_tracking_code:
 *
 * Parse @code with payam_tracking_code_parse() (its PAYAM_TRACKING_ERROR, e.g. CHECK for a
 * typing error, is passed on unchanged), then look it up: NOT_FOUND when unknown.
 */
PayamRequest *
payam_store_find_by_tracking_code (PayamStore  *self,
                                   const char  *code,
                                   GError     **error)
{
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  canonical = payam_tracking_code_parse (code, error);
  if (canonical == NULL)
    return NULL;
  return get_one (self, STMT_REQUEST_GET_BY_CODE, ":code", canonical, error);
}

GPtrArray *
payam_store_list_requests (PayamStore                *self,
                           const PayamRequestFilter  *filter,
                           GError                   **error)
{
  static const PayamRequestFilter all = { 0 };
  g_autoptr(PayamStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), NULL);

  if (filter == NULL)
    filter = &all;
  stmt = _payam_store_stmt (self, STMT_REQUEST_LIST, error);
  if (stmt == NULL)
    return NULL;
  _payam_bind_int (stmt, ":open_only", filter->open_only != FALSE);
  _payam_bind_text (stmt, ":neighbourhood", filter->neighbourhood);
  _payam_bind_text (stmt, ":category", filter->category);
  _payam_bind_int (stmt, ":limit", filter->limit > 0 ? (gint64)filter->limit : -1);
  _payam_bind_int (stmt, ":offset", filter->offset);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify)payam_request_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, request_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _payam_store_set_sql_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * payam_store_foreach_request:
 *
 * Stream every request in creation order through one statement. @func must not call
 * payam_store_foreach_request() itself. FALSE only on a database error.
 */
gboolean
payam_store_foreach_request (PayamStore        *self,
                             PayamRequestFunc   func,
                             gpointer           user_data,
                             GError           **error)
{
  g_autoptr(PayamStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = _payam_store_stmt (self, STMT_REQUEST_FOREACH, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(PayamRequest) request = request_from_row (stmt);

      if (!func (request, user_data))
        return TRUE;
    }
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

/* ---- figures ---------------------------------------------------------------------------- */

static gboolean
single_count (PayamStore  *self,
              PayamStmtId  id,
              const char  *now,
              gint64      *out,
              GError     **error)
{
  g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, id, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (now != NULL)
    _payam_bind_text (stmt, ":now", now);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _payam_store_set_sql_error (self, rc, error);
  *out = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gint64
payam_store_count_outbox (PayamStore  *self,
                          GError     **error)
{
  gint64 n = 0;

  g_return_val_if_fail (PAYAM_IS_STORE (self), -1);

  if (!single_count (self, STMT_OUTBOX_COUNT, NULL, &n, error))
    return -1;
  return n;
}

/* Counts by status and priority, open and overdue work (by the store's clock), outbox and
 * photos. @out is zeroed first. */
gboolean
payam_store_get_stats (PayamStore       *self,
                       PayamStoreStats  *out,
                       GError          **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *now_text = NULL;
  int rc;

  g_return_val_if_fail (PAYAM_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  now = _payam_store_now (self);
  now_text = _payam_time_to_db (now);

  {
    g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_STATS_STATUS, error);

    if (stmt == NULL)
      return FALSE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        PayamStatus status;
        gint64 n = sqlite3_column_int64 (stmt, 1);

        out->total += n;
        if (payam_status_from_string ((const char *)sqlite3_column_text (stmt, 0), &status))
          {
            out->by_status[status] += n;
            if (payam_status_is_open (status))
              out->open += n;
          }
      }
    if (rc != SQLITE_DONE)
      return _payam_store_set_sql_error (self, rc, error);
  }

  {
    g_autoptr(PayamStmt) stmt = _payam_store_stmt (self, STMT_STATS_PRIORITY, error);

    if (stmt == NULL)
      return FALSE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        int priority = sqlite3_column_int (stmt, 0);

        if (priority >= 1 && priority <= 3)
          out->by_priority[priority] += sqlite3_column_int64 (stmt, 1);
      }
    if (rc != SQLITE_DONE)
      return _payam_store_set_sql_error (self, rc, error);
  }

  return single_count (self, STMT_STATS_OVERDUE, now_text, &out->overdue, error) &&
         single_count (self, STMT_OUTBOX_COUNT, NULL, &out->outbox, error) &&
         single_count (self, STMT_STATS_PHOTOS, NULL, &out->photos, error);
}
