/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Open311 GeoReport v2 mapping (issue #15): lifecycle ↔ open/closed, categories ↔ services,
 * the kiosk's danger questions ↔ attributes. */
#define G_LOG_DOMAIN "payam-open311"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-lifecycle.h"
#include "payam-open311-map.h"

G_DEFINE_QUARK (payam-open311-error-quark, payam_open311_error)

/* The same questions and words as the kiosk's danger step, so their translations are one. */
static const PayamOpen311Attribute attributes[] = {
  { "danger_to_people", N_("Is anyone in danger because of it right now?"), 1 },
  { "blocks_road", N_("Is it blocking a road or a passage?"), 2 },
  { "utilities", N_("Is water, gas or electricity involved?"), 3 },
};

const char *
payam_open311_status_of (PayamStatus status)
{
  return payam_status_is_open (status) ? "open" : "closed";
}

gboolean
payam_open311_parse_status (const char  *text,
                            gboolean    *want_open,
                            gboolean    *want_closed,
                            GError     **error)
{
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  *want_open = FALSE;
  *want_closed = FALSE;
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);

      if (g_ascii_strcasecmp (part, "open") == 0)
        *want_open = TRUE;
      else if (g_ascii_strcasecmp (part, "closed") == 0)
        *want_closed = TRUE;
      else
        {
          g_set_error (error, PAYAM_OPEN311_ERROR, PAYAM_OPEN311_ERROR_INVALID,
                       _("The status must be “open” or “closed”, not “%s”."), part);
          return FALSE;
        }
    }
  if (!*want_open && !*want_closed)
    {
      g_set_error_literal (error, PAYAM_OPEN311_ERROR, PAYAM_OPEN311_ERROR_INVALID,
                           _("The status must be “open” or “closed”."));
      return FALSE;
    }
  return TRUE;
}

const PayamOpen311Attribute *
payam_open311_attributes (guint *n_out)
{
  *n_out = G_N_ELEMENTS (attributes);
  return attributes;
}

gboolean
payam_open311_service_has_metadata (const PayamCategory *category)
{
  g_return_val_if_fail (category != NULL, FALSE);
  /* The kiosk asks the danger check for every category (payam-kiosk-step-danger.c). */
  return G_N_ELEMENTS (attributes) > 0;
}

const char *
payam_open311_service_description (const PayamCategory *category)
{
  g_return_val_if_fail (category != NULL, NULL);
  if (category->guidance != NULL && *category->guidance != '\0')
    return category->guidance;
  return category->name;
}

/* Parse one answer; -1 when it is no answer the attributes list. */
static int
parse_answer (const char *value)
{
  static const char *const yes[] = { "true", "yes", "1", "بله", NULL };
  static const char *const no[] = { "false", "no", "0", "خیر", NULL };
  g_autofree char *trimmed = g_strstrip (g_strdup (value));

  for (guint i = 0; yes[i] != NULL; i++)
    if (g_ascii_strcasecmp (trimmed, yes[i]) == 0)
      return 1;
  for (guint i = 0; no[i] != NULL; i++)
    if (g_ascii_strcasecmp (trimmed, no[i]) == 0)
      return 0;
  return -1;
}

static gboolean *
answer_field (PayamHazardAnswers *answers,
              const char         *code)
{
  if (g_strcmp0 (code, "danger_to_people") == 0)
    return &answers->danger_to_people;
  if (g_strcmp0 (code, "blocks_road") == 0)
    return &answers->blocks_road;
  if (g_strcmp0 (code, "utilities") == 0)
    return &answers->utilities;
  return NULL;
}

gboolean
payam_open311_answers_from_attributes (GHashTable          *attributes_in,
                                       PayamHazardAnswers  *out,
                                       GError             **error)
{
  GHashTableIter iter;
  gpointer key, value;
  PayamHazardAnswers answers = { FALSE, };

  g_return_val_if_fail (out != NULL, FALSE);
  if (attributes_in != NULL)
    {
      g_hash_table_iter_init (&iter, attributes_in);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gboolean *field = answer_field (&answers, key);
          int answer;

          if (field == NULL)
            {
              g_set_error (error, PAYAM_OPEN311_ERROR, PAYAM_OPEN311_ERROR_INVALID,
                           _("There is no question “%s”: see services/{code} for the "
                             "attributes."), (const char *) key);
              return FALSE;
            }
          answer = parse_answer (value);
          if (answer < 0)
            {
              g_set_error (error, PAYAM_OPEN311_ERROR, PAYAM_OPEN311_ERROR_INVALID,
                           _("The answer to “%s” must be “true” or “false”."),
                           (const char *) key);
              return FALSE;
            }
          *field = answer == 1;
        }
    }
  *out = answers;
  return TRUE;
}

gboolean
payam_open311_answer_of (const PayamHazardAnswers *answers,
                         const char               *code)
{
  gboolean *field = answer_field ((PayamHazardAnswers *) answers, code);

  g_return_val_if_fail (field != NULL, FALSE);
  return *field;
}
