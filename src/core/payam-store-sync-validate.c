/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every op from the wire passes the checks the app's own writes pass (issue #10 case 10). */
#define G_LOG_DOMAIN "payam-sync"
#include "config.h"

#include <math.h>
#include <string.h>

#include "payam-phone.h"
#include "payam-photo.h"
#include "payam-store-ratings.h"
#include "payam-store-sync-private.h"

/* What a member's value must be. */
typedef enum {
  CHECK_NONE,          /* anything the merge accepts */
  CHECK_TEXT,          /* a non-empty text of at most PAYAM_MAX_TEXT_CHARS */
  CHECK_NOTICE,        /* a non-empty text of at most twice that: a sentence and a note */
  CHECK_OPTIONAL_TEXT, /* null or a text of at most PAYAM_MAX_TEXT_CHARS */
  CHECK_NAME,          /* null or a text of at most PAYAM_MAX_NAME_CHARS */
  CHECK_REQUIRED_NAME, /* a non-empty text of at most PAYAM_MAX_NAME_CHARS */
  CHECK_PLACE,         /* null or a text of at most PAYAM_MAX_PLACE_CHARS */
  CHECK_PHONE,         /* null or a phone number payam_phone_normalize() takes */
  CHECK_CATEGORY,      /* a category of the store */
  CHECK_NEIGHBOURHOOD, /* null or a neighbourhood of the store */
  CHECK_LAT,           /* null or a latitude inside the district */
  CHECK_LON,           /* null or a longitude inside the district */
  CHECK_PRIORITY,      /* 1 … 3 */
  CHECK_SCORE,         /* 1 … 5 */
  CHECK_COMMENT,       /* null or a text of at most PAYAM_RATING_MAX_COMMENT_CHARS */
  CHECK_SIDE,          /* a photo's width or height: 1 … PAYAM_PHOTO_MAX_SIDE */
  CHECK_FLAG,          /* 0 or 1 */
  CHECK_OFFICE,        /* "office": a staff row that syncs is an office account */
  CHECK_PWHASH,        /* null or a crypto_pwhash string ("$argon2…", at most 256 bytes) */
} Check;

typedef struct {
  const char *entity;
  const char *member;  /* a field, or a member of a new row's value */
  Check       check;
} CheckEntry;

/* The members that carry what people type or measure. A field op is checked as the member
 * of the same name in a new row. */
static const CheckEntry checks[] = {
  { "request", "text", CHECK_TEXT },
  { "request", "category", CHECK_CATEGORY },
  { "request", "neighbourhood", CHECK_NEIGHBOURHOOD },
  { "request", "street", CHECK_PLACE },
  { "request", "landmark", CHECK_PLACE },
  { "request", "lat", CHECK_LAT },
  { "request", "lon", CHECK_LON },
  { "request", "phone", CHECK_PHONE },
  { "request", "name", CHECK_NAME },
  { "request", "priority", CHECK_PRIORITY },
  { "request", "public_text", CHECK_OPTIONAL_TEXT },
  { "photo", "width", CHECK_SIDE },
  { "photo", "height", CHECK_SIDE },
  { "crew", "name", CHECK_REQUIRED_NAME },
  { "crew_member", "name", CHECK_REQUIRED_NAME },
  { "crew_member", "active", CHECK_FLAG },
  { "crew_member", "pin_hash", CHECK_PWHASH },
  { "staff", "name", CHECK_REQUIRED_NAME },
  { "staff", "role", CHECK_OFFICE },
  { "staff", "supervisor", CHECK_FLAG },
  { "staff", "active", CHECK_FLAG },
  { "staff", "password_hash", CHECK_PWHASH },
  { "notice", "text", CHECK_NOTICE },
  { "rating", "score", CHECK_SCORE },
  { "rating", "comment", CHECK_COMMENT },
  { "worksheet_action", "note", CHECK_OPTIONAL_TEXT },
};

static const char *
string_of (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* A text of at most @max characters; empty (or only spaces) only when not @required. */
static gboolean
text_ok (JsonNode *node,
         glong     max,
         gboolean  required)
{
  const char *text = string_of (node);
  g_autofree char *clean = NULL;

  if (text == NULL)
    return !required && is_null (node);
  clean = _payam_strip_or_null (text);
  if (clean == NULL)
    return !required;
  return g_utf8_strlen (text, -1) <= max;
}

static gboolean
number_in (JsonNode *node,
           double    min,
           double    max,
           gboolean  integer)
{
  GType type;
  double v;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    v = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE && !integer)
    v = json_node_get_double (node);
  else
    return FALSE;
  return isfinite (v) && v >= min && v <= max;
}

static gboolean
value_ok (PayamStore  *self,
          Check        check,
          JsonNode    *node,
          gboolean    *ok,
          GError     **error)
{
  const char *text = string_of (node);

  *ok = FALSE;
  switch (check)
    {
    case CHECK_TEXT:
      *ok = text_ok (node, PAYAM_MAX_TEXT_CHARS, TRUE);
      return TRUE;
    case CHECK_NOTICE:
      *ok = text_ok (node, 2 * PAYAM_MAX_TEXT_CHARS, TRUE);
      return TRUE;
    case CHECK_OPTIONAL_TEXT:
      *ok = text_ok (node, PAYAM_MAX_TEXT_CHARS, FALSE);
      return TRUE;
    case CHECK_NAME:
      *ok = text_ok (node, PAYAM_MAX_NAME_CHARS, FALSE);
      return TRUE;
    case CHECK_REQUIRED_NAME:
      *ok = text_ok (node, PAYAM_MAX_NAME_CHARS, TRUE);
      return TRUE;
    case CHECK_PLACE:
      *ok = text_ok (node, PAYAM_MAX_PLACE_CHARS, FALSE);
      return TRUE;
    case CHECK_COMMENT:
      *ok = text_ok (node, PAYAM_RATING_MAX_COMMENT_CHARS, FALSE);
      return TRUE;
    case CHECK_PHONE:
      {
        g_autofree char *normal = text != NULL ? payam_phone_normalize (text, NULL) : NULL;

        /* As stored: the number in its normal form (a crew's masked copy is never pushed). */
        *ok = is_null (node) || (normal != NULL && strcmp (normal, text) == 0);
        return TRUE;
      }
    case CHECK_CATEGORY:
      {
        g_autoptr(GError) local_error = NULL;

        if (text == NULL)
          return TRUE;
        *ok = _payam_store_lookup_category (self, text, &local_error) != NULL;
        if (!*ok && !g_error_matches (local_error, PAYAM_STORE_ERROR,
                                      PAYAM_STORE_ERROR_NOT_FOUND))
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return FALSE;
          }
        return TRUE;
      }
    case CHECK_NEIGHBOURHOOD:
      if (text == NULL)
        {
          *ok = is_null (node);
          return TRUE;
        }
      return _payam_store_is_neighbourhood (self, text, ok, error);
    case CHECK_LAT:
      *ok = is_null (node) || number_in (node, PAYAM_DISTRICT_LAT_MIN, PAYAM_DISTRICT_LAT_MAX,
                                         FALSE);
      return TRUE;
    case CHECK_LON:
      *ok = is_null (node) || number_in (node, PAYAM_DISTRICT_LON_MIN, PAYAM_DISTRICT_LON_MAX,
                                         FALSE);
      return TRUE;
    case CHECK_PRIORITY:
      *ok = number_in (node, PAYAM_PRIORITY_URGENT, PAYAM_PRIORITY_NORMAL, TRUE);
      return TRUE;
    case CHECK_SCORE:
      *ok = number_in (node, 1, 5, TRUE);
      return TRUE;
    case CHECK_SIDE:
      *ok = number_in (node, 1, PAYAM_PHOTO_MAX_SIDE, TRUE);
      return TRUE;
    case CHECK_FLAG:
      *ok = number_in (node, 0, 1, TRUE);
      return TRUE;
    case CHECK_OFFICE:
      *ok = g_strcmp0 (text, "office") == 0;
      return TRUE;
    case CHECK_PWHASH:
      *ok = is_null (node) || (text != NULL && g_str_has_prefix (text, "$argon2") &&
                               strlen (text) <= 256 && g_utf8_validate (text, -1, NULL));
      return TRUE;
    case CHECK_NONE:
    default:
      *ok = TRUE;
      return TRUE;
    }
}

/* See payam-store-sync-private.h. */
gboolean
_payam_sync_why_is_valid (const char *why)
{
  g_autofree char *clean = NULL;

  if (why == NULL || !g_utf8_validate (why, -1, NULL))
    return FALSE;
  for (const char *p = why; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) && c != '\n' && c != '\t')
        return FALSE;
    }
  clean = _payam_strip_or_null (why);
  return clean != NULL && g_utf8_strlen (why, -1) <= PAYAM_MAX_TEXT_CHARS;
}

/* See payam-store-sync-private.h. */
gboolean
_payam_sync_validate_op (PayamStore     *self,
                         const PayamOp  *op,
                         JsonNode       *value,
                         const char    **bad_member,
                         GError        **error)
{
  gboolean is_new = strcmp (op->field, "*") == 0;

  *bad_member = NULL;
  /* The office's reason, checked as the desk checks it when it is typed (a text of at most
   * PAYAM_MAX_TEXT_CHARS, not only spaces), and without control characters. */
  if (op->why != NULL && !_payam_sync_why_is_valid (op->why))
    {
      *bad_member = "why";
      return TRUE;
    }
  if (is_new && !JSON_NODE_HOLDS_OBJECT (value))
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      JsonNode *node;
      gboolean ok;

      if (strcmp (checks[i].entity, op->entity) != 0)
        continue;
      if (is_new)
        {
          JsonObject *object = json_node_get_object (value);

          /* A member a new row leaves out takes its default, as the merge reads it. */
          if (!json_object_has_member (object, checks[i].member))
            continue;
          node = json_object_get_member (object, checks[i].member);
        }
      else if (strcmp (checks[i].member, op->field) == 0)
        node = value;
      else
        continue;
      if (!value_ok (self, checks[i].check, node, &ok, error))
        return FALSE;
      if (!ok)
        {
          *bad_member = checks[i].member;
          return TRUE;
        }
    }
  return TRUE;
}
