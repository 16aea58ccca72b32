/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl similar: the stored requests most likely to describe a new message's problem. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "payam-dup-index.h"
#include "payam-lifecycle.h"
#include "payam-text.h"
#include "payam-tracking.h"
#include "payamctl-private.h"

/* Longest text shown in the table, in characters; longer ones end in "…". */
#define CTL_SIMILAR_TEXT_CHARS 60

/* A coordinate as typed (Persian or Arabic digits and the Persian decimal separator too).
 * FALSE when it is not a finite number. */
static gboolean
parse_coordinate (const char *text,
                  double     *out)
{
  g_autofree char *ascii = payam_text_digits_to_ascii (text);
  g_autoptr(GString) s = g_string_new (g_strstrip (ascii));
  char *end = NULL;

  g_string_replace (s, "٫", ".", 0);
  if (s->len == 0)
    return FALSE;
  *out = g_ascii_strtod (s->str, &end);
  return end != NULL && *end == '\0' && isfinite (*out);
}

static void
print_json (GPtrArray *candidates)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "candidates");
  json_builder_begin_array (b);
  for (guint i = 0; i < candidates->len; i++)
    {
      const PayamDupCandidate *c = candidates->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, c->id);
      json_builder_set_member_name (b, "tracking_code");
      json_builder_add_string_value (b, c->tracking_code);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, c->text);
      json_builder_set_member_name (b, "category");
      json_builder_add_string_value (b, c->category);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, payam_status_to_string (c->status));
      json_builder_set_member_name (b, "distance_m");
      /* Whole metres; -1 when either side has no coordinates. */
      json_builder_add_int_value (b, c->distance_m < 0 ? -1 : (gint64) llround (c->distance_m));
      json_builder_set_member_name (b, "score");
      json_builder_add_double_value (b, c->score);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* A score for people: a percentage in Persian digits when the output is Persian. */
static char *
format_percent (double score)
{
  g_autofree char *number = ctl_format_integer ((gint64) llround (score * 100.0));

  /* Translators: a percentage; %s is the number. */
  return g_strdup_printf (_("%s%%"), number);
}

static void
print_table (PayamStore *store,
             GPtrArray  *candidates,
             gboolean    placed)
{
  if (candidates->len == 0)
    {
      g_print ("%s\n", _("No similar open or recently closed request was found."));
      return;
    }
  for (guint i = 0; i < candidates->len; i++)
    {
      const PayamDupCandidate *c = candidates->pdata[i];
      g_autoptr(PayamCategory) category = payam_store_get_category (store, c->category, NULL);
      g_autofree char *rank = ctl_format_integer (i + 1);
      g_autofree char *code = payam_tracking_code_format (c->tracking_code);
      g_autofree char *score = format_percent (c->score);
      g_autofree char *where = NULL;
      g_autofree char *text = NULL;
      glong length = g_utf8_strlen (c->text, -1);

      if (ctl_persian_digits ())
        {
          g_autofree char *ascii = g_steal_pointer (&code);

          code = payam_text_digits_to_persian (ascii);
        }
      if (c->distance_m >= 0)
        {
          g_autofree char *metres = ctl_format_number ((gint64) llround (c->distance_m));

          /* Translators: a distance; %s is a number of metres. */
          where = g_strdup_printf (_("%s m away"), metres);
        }
      else if (c->place_match == PAYAM_DUP_PLACE_STREET)
        where = g_strdup (_("same street or landmark"));
      else if (c->place_match == PAYAM_DUP_PLACE_NEIGHBOURHOOD)
        where = g_strdup (_("same neighbourhood"));
      else if (placed)
        where = g_strdup (_("another place"));
      else
        where = g_strdup ("");
      if (length > CTL_SIMILAR_TEXT_CHARS)
        {
          g_autofree char *head = g_utf8_substring (c->text, 0, CTL_SIMILAR_TEXT_CHARS);

          text = g_strconcat (head, "…", NULL);
        }
      else
        text = g_strdup (c->text);

      /* Translators: one candidate: rank, tracking code, similarity, status, category,
       * place, then the citizen's text on its own line. */
      g_print (_("%s. %s  similarity %s  %s  %s  %s\n   %s\n"), rank, code, score,
               payam_status_label (c->status),
               category != NULL && category->name != NULL ? category->name : c->category,
               where, text);
    }
}

/**
 * ctl_cmd_similar:
 *
 * `payamctl --db F similar --text T [--category C] [--neighbourhood N] [--street S]
 * [--landmark L] [--lat X --lon Y] [--limit K] [--json]`: builds the duplicate index of
 * the database and prints the best candidates for the message, best first. Bad input (an
 * empty text, coordinates outside the district, a lone --lat) is a translated error.
 */
int
ctl_cmd_similar (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamDupIndex) index = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *category = NULL;
  g_autofree char *neighbourhood = NULL;
  g_autofree char *street = NULL;
  g_autofree char *landmark = NULL;
  g_autofree char *lat_text = NULL;
  g_autofree char *lon_text = NULL;
  int limit = 5;
  gboolean json = FALSE;
  int exit_status = CTL_EXIT_OK;
  PayamDupQuery query = { 0 };
  const GOptionEntry entries[] = {
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, N_("The new message"), N_("TEXT") },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category,
      N_("Its category code (related categories count too); every category if not given"),
      N_("CODE") },
    { "neighbourhood", 0, 0, G_OPTION_ARG_STRING, &neighbourhood,
      N_("Its neighbourhood code"), N_("CODE") },
    { "street", 0, 0, G_OPTION_ARG_STRING, &street, N_("Its street"), N_("NAME") },
    { "landmark", 0, 0, G_OPTION_ARG_STRING, &landmark, N_("Its landmark"), N_("NAME") },
    { "lat", 0, 0, G_OPTION_ARG_STRING, &lat_text, N_("Its latitude (with --lon)"),
      N_("DEGREES") },
    { "lon", 0, 0, G_OPTION_ARG_STRING, &lon_text, N_("Its longitude (with --lat)"),
      N_("DEGREES") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit,
      N_("At most this many candidates (1 to 50, default 5)"), N_("K") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Write JSON for programs"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Find the open or recently closed requests most likely to "
                                  "describe the same problem as a new message: by its text, "
                                  "place, category and age. Phone numbers and names are never "
                                  "shown."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &exit_status))
    return exit_status;
  if (ctx->argc > 1)
    {
      ctl_print_usage_error (ctx->argv[0],
                             _("Give the message with --text, not as a separate argument."));
      return CTL_EXIT_USAGE;
    }
  if (text == NULL)
    {
      ctl_print_usage_error (ctx->argv[0], _("Give the new message with --text."));
      return CTL_EXIT_USAGE;
    }
  if ((lat_text == NULL) != (lon_text == NULL))
    {
      ctl_print_usage_error (ctx->argv[0], _("Give both --lat and --lon, or neither."));
      return CTL_EXIT_USAGE;
    }
  if (limit < 1 || limit > 50)
    {
      ctl_print_usage_error (ctx->argv[0], _("The limit must be between 1 and 50."));
      return CTL_EXIT_USAGE;
    }
  if (lat_text != NULL &&
      (!parse_coordinate (lat_text, &query.lat) || !parse_coordinate (lon_text, &query.lon)))
    {
      ctl_print_usage_error (ctx->argv[0], _("The latitude and longitude must be numbers in "
                                             "degrees, such as 35.7040 and 51.3735."));
      return CTL_EXIT_USAGE;
    }

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  index = payam_dup_index_new (store, &error);
  if (index == NULL)
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }

  query.text = text;
  query.category = category;
  query.neighbourhood = neighbourhood;
  query.street = street;
  query.landmark = landmark;
  query.has_location = lat_text != NULL;
  query.limit = (guint) limit;
  candidates = payam_dup_index_query (index, &query, &error);
  if (candidates == NULL)
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }

  if (json)
    print_json (candidates);
  else
    print_table (store, candidates, neighbourhood != NULL || street != NULL ||
                                    landmark != NULL || lat_text != NULL);
  return CTL_EXIT_OK;
}
