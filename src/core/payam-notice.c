/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Notices to citizens: outcome names, built-in templates, rendering and SMS length. */
#define G_LOG_DOMAIN "payam-notice"
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "payam-notice.h"
#include "payam-tracking.h"

static const char * const outcome_names[PAYAM_N_NOTICE_OUTCOMES] = {
  [PAYAM_NOTICE_REGISTERED] = "registered",
  [PAYAM_NOTICE_ASSIGNED] = "assigned",
  [PAYAM_NOTICE_DONE] = "done",
  [PAYAM_NOTICE_NOT_POSSIBLE] = "not_possible",
  [PAYAM_NOTICE_REJECTED] = "rejected",
  [PAYAM_NOTICE_JOINED] = "joined",
};

/* The machine name of @outcome ("done"). */
const char *
payam_notice_outcome_to_string (PayamNoticeOutcome outcome)
{
  g_return_val_if_fail ((guint) outcome < PAYAM_N_NOTICE_OUTCOMES, NULL);
  return outcome_names[outcome];
}

/* The outcome named @text into *@out; FALSE for an unknown name. */
gboolean
payam_notice_outcome_from_string (const char         *text,
                                  PayamNoticeOutcome *out)
{
  for (guint i = 0; i < PAYAM_N_NOTICE_OUTCOMES; i++)
    if (g_strcmp0 (text, outcome_names[i]) == 0)
      {
        *out = (PayamNoticeOutcome) i;
        return TRUE;
      }
  return FALSE;
}

/* See payam-notice.h. Short on purpose: a Persian SMS part holds 70 characters. */
const char *
payam_notice_default_template (PayamNoticeOutcome outcome)
{
  switch (outcome)
    {
    case PAYAM_NOTICE_REGISTERED:
      /* Translators: an SMS template. Keep {code}, {words} and {address} as they are; a
       * part in [square brackets] is left out when its placeholder has no value. */
      return _("Your report was registered. Tracking code {code}.[ Follow it at {address}.]");
    case PAYAM_NOTICE_ASSIGNED:
      /* Translators: an SMS template; see the note on the first template. */
      return _("A crew was assigned to your report {code}.[ Follow it at {address}.]");
    case PAYAM_NOTICE_DONE:
      /* Translators: an SMS template; {words} are what was done ("the pothole was filled"). */
      return _("Your report {code} was dealt with[: {words}]. Thank you.[ Follow it at {address}.]");
    case PAYAM_NOTICE_NOT_POSSIBLE:
      /* Translators: an SMS template; {words} are the public reason. */
      return _("The work on your report {code} could not be done[: {words}].[ Follow it at {address}.]");
    case PAYAM_NOTICE_REJECTED:
      /* Translators: an SMS template; {words} are the public reason. */
      return _("Your report {code} was not accepted[: {words}].[ Follow it at {address}.]");
    case PAYAM_NOTICE_JOINED:
      /* Translators: an SMS template, for a report joined to others about the same problem. */
      return _("Your report {code} joined other reports of the same problem; one crew handles them.[ Follow it at {address}.]");
    default:
      g_return_val_if_reached (NULL);
    }
}

typedef enum { PH_NONE, PH_CODE, PH_WORDS, PH_ADDRESS } Placeholder;

/* The placeholder starting at @p ("{code}" …) and its length into *@len; PH_NONE if none. */
static Placeholder
placeholder_at (const char *p,
                gsize      *len)
{
  static const struct { const char *text; Placeholder ph; } names[] = {
    { "{code}", PH_CODE }, { "{words}", PH_WORDS }, { "{address}", PH_ADDRESS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_has_prefix (p, names[i].text))
      {
        *len = strlen (names[i].text);
        return names[i].ph;
      }
  *len = 0;
  return PH_NONE;
}

static gboolean
template_error (GError     **error,
                const char  *message)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
  return FALSE;
}

/* See payam-notice.h. */
gboolean
payam_notice_template_check (const char  *template_text,
                             GError     **error)
{
  gboolean in_bracket = FALSE;
  gboolean has_code = FALSE;
  g_autofree char *stripped = NULL;

  if (template_text == NULL || !g_utf8_validate (template_text, -1, NULL))
    return template_error (error, _("The notice template is not valid text."));
  stripped = g_strstrip (g_strdup (template_text));
  if (*stripped == '\0')
    return template_error (error, _("Write the text of the notice template."));

  for (const char *p = template_text; *p != '\0';)
    {
      gsize len;
      Placeholder ph = placeholder_at (p, &len);

      if (ph == PH_CODE && in_bracket)
        return template_error (error, _("The tracking code {code} must not be inside "
                                        "square brackets: every notice names it."));
      if (ph == PH_CODE)
        has_code = TRUE;
      if (ph != PH_NONE)
        {
          p += len;
          continue;
        }
      if (*p == '{' || *p == '}')
        return template_error (error, _("Only {code}, {words} and {address} may stand in "
                                        "braces in a notice template."));
      if (*p == '[' && in_bracket)
        return template_error (error, _("Square brackets in a notice template cannot be "
                                        "nested."));
      if (*p == ']' && !in_bracket)
        return template_error (error, _("A closing square bracket in the notice template "
                                        "has no opening one."));
      if (*p == '[' || *p == ']')
        in_bracket = *p == '[';
      p++;
    }
  if (in_bracket)
    return template_error (error, _("A square bracket in the notice template is not "
                                    "closed."));
  if (!has_code)
    return template_error (error, _("The notice template must name the tracking code "
                                    "with {code}."));
  return TRUE;
}

/* @text stripped, or NULL when it is NULL or blank. */
static char *
value_or_null (const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

/* See payam-notice.h. Renders part by part: a bracketed part goes to its own buffer and is
 * kept only when none of its placeholders was empty. */
char *
payam_notice_render (const char  *template_text,
                     const char  *canonical_code,
                     const char  *words,
                     const char  *address,
                     GError     **error)
{
  g_autofree char *code = NULL;
  g_autofree char *words_v = value_or_null (words);
  g_autofree char *address_v = value_or_null (address);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) part = g_string_new (NULL);
  gboolean in_bracket = FALSE;
  gboolean part_empty = FALSE;

  g_return_val_if_fail (canonical_code != NULL, NULL);

  if (!payam_notice_template_check (template_text, error))
    return NULL;
  code = payam_tracking_code_format_inline (canonical_code);

  for (const char *p = template_text; *p != '\0';)
    {
      gsize len;
      Placeholder ph = placeholder_at (p, &len);
      GString *to = in_bracket ? part : out;
      const char *value = NULL;

      if (ph != PH_NONE)
        {
          value = ph == PH_CODE ? code : ph == PH_WORDS ? words_v : address_v;
          if (value == NULL)
            part_empty = TRUE;
          else
            g_string_append (to, value);
          p += len;
          continue;
        }
      if (*p == '[')
        {
          in_bracket = TRUE;
          part_empty = FALSE;
          g_string_truncate (part, 0);
        }
      else if (*p == ']')
        {
          in_bracket = FALSE;
          if (!part_empty)
            g_string_append_len (out, part->str, part->len);
        }
      else
        g_string_append_c (to, *p);
      p++;
    }
  return g_strstrip (g_string_free (g_steal_pointer (&out), FALSE));
}

/* The GSM 03.38 basic alphabet, and its extension table (two septets each). */
static const char gsm_basic[] =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
static const char gsm_extension[] = "\f^{}\\[~]|€";

/* Septets of @c in GSM 7-bit: 1, 2 (extension), or 0 when it has none. */
static guint
gsm_septets (gunichar c)
{
  char buf[8] = { 0 };

  g_unichar_to_utf8 (c, buf);
  if (strstr (gsm_basic, buf) != NULL)
    return 1;
  if (strstr (gsm_extension, buf) != NULL)
    return 2;
  return 0;
}

/* See payam-notice.h. */
guint
payam_sms_parts (const char *text,
                 guint      *units)
{
  guint septets = 0;
  guint utf16 = 0;
  gboolean gsm = TRUE;
  guint n, single, multi;

  g_return_val_if_fail (text != NULL, 0);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint s = gsm ? gsm_septets (c) : 0;

      if (s == 0)
        gsm = FALSE;
      septets += s;
      utf16 += c > 0xFFFF ? 2 : 1;
    }
  n = gsm ? septets : utf16;
  single = gsm ? 160 : 70;
  multi = gsm ? 153 : 67;
  if (units != NULL)
    *units = n;
  if (n == 0)
    return 0;
  if (n <= single)
    return 1;
  return (n + multi - 1) / multi;
}
