/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl show: one request by tracking code, for people, with "did you mean" on typos. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-phone.h"
#include "payam-text.h"
#include "payam-tracking.h"
#include "payamctl-private.h"

/* At most this many "did you mean" candidates are checked against the store: enough for
 * every single-digit change and adjacent swap of a 12-digit code (11 + 11 + the check). */
#define CTL_SUGGEST_MAX 32

static const char *
ctl_channel_label (PayamChannel channel)
{
  switch (channel)
    {
    case PAYAM_CHANNEL_KIOSK:
      return _("Kiosk");
    case PAYAM_CHANNEL_CREW:
      return _("Field crew");
    case PAYAM_CHANNEL_OFFICE:
      return _("Office");
    case PAYAM_CHANNEL_PHONE:
      return _("Phone call");
    case PAYAM_CHANNEL_OPEN311:
      return _("Open311 (another system)");
    default:
      return "?";
    }
}

/* The Persian name of the place @code of @kind, or a copy of @code when it is not in the
 * gazetteer (streets and landmarks may be free text). Caller owns the result. */
static char *
ctl_place_name (PayamStore *store,
                const char *kind,
                const char *code)
{
  g_autoptr(GPtrArray) places = payam_store_list_places (store, kind, NULL, NULL);

  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      const PayamPlace *place = g_ptr_array_index (places, i);

      if (g_strcmp0 (place->code, code) == 0 && place->name != NULL)
        return g_strdup (place->name);
    }
  return g_strdup (code);
}

/* A coordinate for people: Persian digits and decimal separator when the output is Persian. */
static char *
ctl_format_coordinate (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *persian = NULL;
  g_autoptr(GString) text = NULL;

  g_ascii_formatd (buffer, sizeof buffer, "%.5f", value);
  if (!ctl_persian_digits ())
    return g_strdup (buffer);

  persian = payam_text_digits_to_persian (buffer);
  text = g_string_new (persian);
  g_string_replace (text, ".", "٫", 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void ctl_show_line (const char *format,
                           ...) G_GNUC_PRINTF (1, 2);

/* Print one labelled line, "Label: value", the label being a translated format. */
static void
ctl_show_line (const char *format,
               ...)
{
  va_list args;
  g_autofree char *line = NULL;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("%s\n", line);
}

/* Print @request for people, one labelled line per fact: the tracking code grouped in
 * Persian digits, status and priority labels, Jalali dates, the time left while the request
 * is open, place names from the gazetteer, and the citizen's words and contact. */
static void
ctl_show_request (PayamStore         *store,
                  const PayamRequest *request)
{
  g_autofree char *code = payam_tracking_code_format (request->tracking_code);
  g_autofree char *created = payam_format_date_time (request->created_at);
  g_autoptr(PayamCategory) category = payam_store_get_category (store, request->category, NULL);
  g_autoptr(GString) place = g_string_new (NULL);

  /* Translators: %s is the tracking code. */
  ctl_show_line (_("Tracking code: %s"), code);
  if (request->status_reason != NULL && request->status_reason[0] != '\0')
    /* Translators: %s is the status, then the reason given for it. */
    ctl_show_line (_("Status: %s (%s)"), payam_status_label (request->status),
                   request->status_reason);
  else
    /* Translators: %s is the status. */
    ctl_show_line (_("Status: %s"), payam_status_label (request->status));
  /* Translators: %s is Urgent, High or Normal. */
  ctl_show_line (_("Priority: %s"), payam_priority_label (request->priority));
  /* Translators: %s is the category's name. */
  ctl_show_line (_("Category: %s"),
                 category != NULL && category->name != NULL ? category->name : request->category);
  /* Translators: %s is how the request came in: kiosk, field crew, office or phone call. */
  ctl_show_line (_("Channel: %s"), ctl_channel_label (request->channel));
  /* Translators: %s is a date and time. */
  ctl_show_line (_("Registered: %s"), created);

  if (request->due_at != NULL)
    {
      g_autofree char *due = payam_format_date_time (request->due_at);

      if (payam_status_is_open (request->status))
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          g_autofree char *left = payam_format_time_left (now, request->due_at);

          /* Translators: %s is the deadline, then the time left such as "2 days left". */
          ctl_show_line (_("Due: %s (%s)"), due, left);
        }
      else
        /* Translators: %s is the deadline. */
        ctl_show_line (_("Due: %s"), due);
    }

  if (request->neighbourhood != NULL)
    {
      g_autofree char *name = ctl_place_name (store, "neighbourhood", request->neighbourhood);

      g_string_append (place, name);
    }
  if (request->street != NULL)
    {
      g_autofree char *name = ctl_place_name (store, "street", request->street);

      /* Translators: the separator between items of a list; Persian uses "، ". */
      g_string_append_printf (place, "%s%s", place->len > 0 ? _(", ") : "", name);
    }
  if (request->landmark != NULL)
    {
      g_autofree char *name = ctl_place_name (store, "landmark", request->landmark);

      g_string_append_printf (place, "%s%s", place->len > 0 ? _(", ") : "", name);
    }
  if (request->has_location)
    {
      g_autofree char *lat = ctl_format_coordinate (request->lat);
      g_autofree char *lon = ctl_format_coordinate (request->lon);

      g_string_append_printf (place, "%s(%s%s%s)", place->len > 0 ? " " : "",
                              lat, _(", "), lon);
    }
  if (place->len > 0)
    /* Translators: %s is the neighbourhood, street, landmark and coordinates. */
    ctl_show_line (_("Place: %s"), place->str);

  /* Translators: %s is the citizen's message. */
  ctl_show_line (_("Text: %s"), request->text != NULL ? request->text : "");

  if (request->hazard || request->answers.danger_to_people || request->answers.blocks_road
      || request->answers.utilities)
    {
      g_autoptr(GString) hazards = g_string_new (NULL);

      if (request->hazard)
        g_string_append (hazards, _("flagged as dangerous"));
      if (request->answers.danger_to_people)
        g_string_append_printf (hazards, "%s%s", hazards->len > 0 ? _(", ") : "",
                                _("danger to people"));
      if (request->answers.blocks_road)
        g_string_append_printf (hazards, "%s%s", hazards->len > 0 ? _(", ") : "",
                                _("blocks the road"));
      if (request->answers.utilities)
        g_string_append_printf (hazards, "%s%s", hazards->len > 0 ? _(", ") : "",
                                _("water, gas or electricity"));
      /* Translators: %s lists the dangers reported. */
      ctl_show_line (_("Danger: %s"), hazards->str);
    }

  if (request->name != NULL)
    /* Translators: %s is the citizen's name. */
    ctl_show_line (_("Name: %s"), request->name);
  if (request->phone != NULL)
    {
      g_autofree char *phone = payam_phone_format (request->phone, FALSE);
      g_autofree char *isolated = payam_text_isolate (phone);

      /* Translators: %s is the citizen's phone number. */
      ctl_show_line (_("Phone: %s"), isolated);
    }
  if (request->group_id != NULL)
    /* Translators: %s is the id of the duplicate group. */
    ctl_show_line (_("Duplicate group: %s"), request->group_id);
}

/* For a code whose check digit failed: print the codes one typing error away that belong
 * to a stored request, as "did you mean …". */
static void
ctl_show_suggestions (PayamStore *store,
                      const char *input)
{
  g_autofree char *ascii = payam_text_digits_to_ascii (input);
  g_autoptr(GString) digits = g_string_new (NULL);
  g_auto(GStrv) candidates = NULL;
  guint found = 0;

  for (const char *p = ascii; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);

  candidates = payam_tracking_code_suggest (digits->str, CTL_SUGGEST_MAX);
  for (guint i = 0; candidates != NULL && candidates[i] != NULL; i++)
    {
      g_autoptr(PayamRequest) request = NULL;
      g_autofree char *code = NULL;

      request = payam_store_find_by_tracking_code (store, candidates[i], NULL);
      if (request == NULL)
        continue;

      if (found++ == 0)
        g_printerr ("%s\n", _("Did you mean:"));
      code = payam_tracking_code_format (request->tracking_code);
      g_printerr ("  %s  %s\n", code, payam_status_label (request->status));
    }

  if (found == 0)
    g_printerr ("%s\n", _("No request has a code one typing error away from this one."));
}

/* Show the request with the tracking code given in any digit form. A failed check digit
 * prints the error and the stored codes it may have meant; unknown codes exit 1 too. */
int
ctl_cmd_show (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *canonical = NULL;
  int status;

  context = g_option_context_new (_("CODE"));
  g_option_context_set_summary (context,
                                _("Show a request by its tracking code, in Persian, "
                                  "Arabic-Indic or ASCII digits, with or without separators."));
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc < 2)
    {
      ctl_print_usage_error ("show", _("Give a tracking code."));
      return CTL_EXIT_USAGE;
    }

  /* "0012 0000045 7" typed without quotes arrives as three arguments. */
  input = g_strjoinv (" ", ctx->argv + 1);

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;

  canonical = payam_tracking_code_parse (input, &error);
  if (canonical == NULL)
    {
      ctl_print_error (error->message);
      if (g_error_matches (error, PAYAM_TRACKING_ERROR, PAYAM_TRACKING_ERROR_CHECK))
        ctl_show_suggestions (store, input);
      return CTL_EXIT_FAILURE;
    }

  request = payam_store_find_by_tracking_code (store, canonical, &error);
  if (request == NULL)
    {
      if (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND))
        {
          g_autofree char *code = payam_tracking_code_format (canonical);
          g_autofree char *message = NULL;

          /* Translators: %s is the tracking code. */
          message = g_strdup_printf (_("No request has the tracking code %s."), code);
          ctl_print_error (message);
        }
      else
        ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }

  ctl_show_request (store, request);
  return CTL_EXIT_OK;
}
