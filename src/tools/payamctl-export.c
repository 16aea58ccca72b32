/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl export: every request as JSON Lines or CSV, streamed to standard output. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "payamctl-private.h"

typedef enum {
  FORMAT_JSONL,
  FORMAT_CSV,
} CtlFormat;

/* The CSV columns, in order; JSON Lines uses the same names. */
static const char *csv_columns[] = {
  "id", "tracking_code", "status", "priority", "created_at", "due_at", "channel", "category",
  "neighbourhood", "street", "landmark", "lat", "lon", "text", "phone", "name", "hazard",
  "danger_to_people", "blocks_road", "utilities", "group_id",
};

typedef struct {
  CtlFormat      format;
  FILE          *output;
  GString       *row;
  JsonGenerator *generator;
  int            write_errno;   /* set when writing failed */
} CtlExport;

/* Shortest text that reads back as the same double, with a dot whatever the locale.
 * Writes into @buffer (G_ASCII_DTOSTR_BUF_SIZE bytes) and returns it. */
static const char *
ctl_format_double (char   *buffer,
                   double  value)
{
  static const char *formats[] = { "%.6g", "%.8g", "%.10g", "%.12g", "%.15g", "%.17g" };

  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buffer, G_ASCII_DTOSTR_BUF_SIZE, formats[i], value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  return buffer;
}

/* Append @value (NULL: empty) and a comma to @row as one RFC 4180 field; the row's end
 * replaces the last comma. Quoted when it holds a comma, quote, CR or LF. When @guard is set
 * and the value starts like a spreadsheet formula (= + - @ tab CR), a leading apostrophe
 * keeps Excel and LibreOffice from evaluating it: citizens' words must never become
 * formulas on an office workstation. */
static void
ctl_csv_append (GString    *row,
                const char *value,
                gboolean    guard)
{
  gboolean formula;

  if (value == NULL)
    {
      g_string_append_c (row, ',');
      return;
    }

  formula = guard && value[0] != '\0' && strchr ("=+-@\t\r", value[0]) != NULL;
  if (!formula && strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (row, value);
      g_string_append_c (row, ',');
      return;
    }

  g_string_append_c (row, '"');
  if (formula)
    g_string_append_c (row, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (row, '"');
      g_string_append_c (row, *p);
    }
  g_string_append (row, "\",");
}

/* End the row: the last field's comma becomes CRLF. */
static void
ctl_csv_end_row (GString *row)
{
  g_assert (row->len > 0 && row->str[row->len - 1] == ',');
  g_string_truncate (row, row->len - 1);
  g_string_append (row, "\r\n");
}

/* One request as a CSV row (CRLF included) in @row. */
static void
ctl_export_csv_row (GString            *row,
                    const PayamRequest *request)
{
  g_autofree char *created_at = ctl_format_utc (request->created_at);
  g_autofree char *due_at = ctl_format_utc (request->due_at);
  char priority[4];
  char lat[G_ASCII_DTOSTR_BUF_SIZE];
  char lon[G_ASCII_DTOSTR_BUF_SIZE];

  g_snprintf (priority, sizeof priority, "%d", (int) request->priority);

  g_string_truncate (row, 0);
  ctl_csv_append (row, request->id, FALSE);
  ctl_csv_append (row, request->tracking_code, FALSE);
  ctl_csv_append (row, payam_status_to_string (request->status), FALSE);
  ctl_csv_append (row, priority, FALSE);
  ctl_csv_append (row, created_at, FALSE);
  ctl_csv_append (row, due_at, FALSE);
  ctl_csv_append (row, payam_channel_to_string (request->channel), FALSE);
  ctl_csv_append (row, request->category, FALSE);
  ctl_csv_append (row, request->neighbourhood, TRUE);
  ctl_csv_append (row, request->street, TRUE);
  ctl_csv_append (row, request->landmark, TRUE);
  ctl_csv_append (row, request->has_location ? ctl_format_double (lat, request->lat) : NULL,
                  FALSE);
  ctl_csv_append (row, request->has_location ? ctl_format_double (lon, request->lon) : NULL,
                  FALSE);
  ctl_csv_append (row, request->text, TRUE);
  ctl_csv_append (row, request->phone, FALSE);
  ctl_csv_append (row, request->name, TRUE);
  ctl_csv_append (row, request->hazard ? "true" : "false", FALSE);
  ctl_csv_append (row, request->answers.danger_to_people ? "true" : "false", FALSE);
  ctl_csv_append (row, request->answers.blocks_road ? "true" : "false", FALSE);
  ctl_csv_append (row, request->answers.utilities ? "true" : "false", FALSE);
  ctl_csv_append (row, request->group_id, FALSE);
  ctl_csv_end_row (row);
}

static void
ctl_json_add_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
ctl_json_add_boolean (JsonBuilder *builder,
                      const char  *name,
                      gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

/* One request as a JSON object on one line (LF included) in @row. Absent values are left
 * out rather than written as null. */
static void
ctl_export_jsonl_row (GString            *row,
                      JsonGenerator      *generator,
                      const PayamRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *created_at = ctl_format_utc (request->created_at);
  g_autofree char *due_at = ctl_format_utc (request->due_at);
  g_autofree char *data = NULL;
  gsize length;

  json_builder_begin_object (builder);
  ctl_json_add_string (builder, "id", request->id);
  ctl_json_add_string (builder, "tracking_code", request->tracking_code);
  ctl_json_add_string (builder, "status", payam_status_to_string (request->status));
  json_builder_set_member_name (builder, "priority");
  json_builder_add_int_value (builder, request->priority);
  ctl_json_add_string (builder, "created_at", created_at);
  ctl_json_add_string (builder, "due_at", due_at);
  ctl_json_add_string (builder, "channel", payam_channel_to_string (request->channel));
  ctl_json_add_string (builder, "category", request->category);
  ctl_json_add_string (builder, "neighbourhood", request->neighbourhood);
  ctl_json_add_string (builder, "street", request->street);
  ctl_json_add_string (builder, "landmark", request->landmark);
  if (request->has_location)
    {
      json_builder_set_member_name (builder, "lat");
      json_builder_add_double_value (builder, request->lat);
      json_builder_set_member_name (builder, "lon");
      json_builder_add_double_value (builder, request->lon);
    }
  ctl_json_add_string (builder, "text", request->text);
  ctl_json_add_string (builder, "phone", request->phone);
  ctl_json_add_string (builder, "name", request->name);
  ctl_json_add_boolean (builder, "hazard", request->hazard);
  ctl_json_add_boolean (builder, "danger_to_people", request->answers.danger_to_people);
  ctl_json_add_boolean (builder, "blocks_road", request->answers.blocks_road);
  ctl_json_add_boolean (builder, "utilities", request->answers.utilities);
  ctl_json_add_string (builder, "group_id", request->group_id);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);

  g_string_truncate (row, 0);
  g_string_append_len (row, data, length);
  g_string_append_c (row, '\n');
}

/* Write @length bytes of @data; remembers the first failure so the export can stop. */
static gboolean
ctl_export_write (CtlExport  *export,
                  const char *data,
                  gsize       length)
{
  if (fwrite (data, 1, length, export->output) != length)
    {
      export->write_errno = errno != 0 ? errno : EIO;
      return FALSE;
    }
  return TRUE;
}

/* PayamRequestFunc: write one request in the chosen format; FALSE stops the export when
 * the output fails (a full disk, a closed pipe). */
static gboolean
ctl_export_request (const PayamRequest *request,
                    gpointer            user_data)
{
  CtlExport *export = user_data;

  switch (export->format)
    {
    case FORMAT_JSONL:
      ctl_export_jsonl_row (export->row, export->generator, request);
      break;
    case FORMAT_CSV:
      ctl_export_csv_row (export->row, request);
      break;
    default:
      g_assert_not_reached ();
    }

  return ctl_export_write (export, export->row->str, export->row->len);
}

/* Write the CSV preamble: a UTF-8 byte order mark (so Excel reads the Persian text as
 * UTF-8) and the header row. */
static gboolean
ctl_export_csv_header (CtlExport *export)
{
  g_string_truncate (export->row, 0);
  g_string_append (export->row, "\xEF\xBB\xBF");
  for (gsize i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    ctl_csv_append (export->row, csv_columns[i], FALSE);
  ctl_csv_end_row (export->row);
  return ctl_export_write (export, export->row->str, export->row->len);
}

/* Export every request in creation order without holding them in memory. Exit 1 with a
 * message when the store or the output fails, 2 on an unknown format. */
int
ctl_cmd_export (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GString) row = NULL;
  g_autofree char *format = NULL;
  CtlExport export = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("jsonl (the default) or csv"), N_("FORMAT") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Write every request, oldest first, to standard output: JSON "
                                  "Lines (one object a line, which “import” reads back) or CSV "
                                  "(UTF-8 with a byte order mark, CRLF line ends and a header "
                                  "row, for LibreOffice and Excel). Times are ISO 8601 in UTC."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc > 1)
    {
      ctl_print_usage_error ("export", _("“export” takes no file: it writes to standard output."));
      return CTL_EXIT_USAGE;
    }

  if (format == NULL || g_str_equal (format, "jsonl") || g_str_equal (format, "json"))
    export.format = FORMAT_JSONL;
  else if (g_str_equal (format, "csv"))
    export.format = FORMAT_CSV;
  else
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the format the user asked for; keep jsonl and csv as they are. */
      message = g_strdup_printf (_("Unknown format “%s”: use jsonl or csv."), format);
      ctl_print_usage_error ("export", message);
      return CTL_EXIT_USAGE;
    }

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;

  row = g_string_new (NULL);
  generator = json_generator_new ();
  export.output = stdout;
  export.row = row;
  export.generator = generator;

  if (export.format == FORMAT_CSV)
    ctl_export_csv_header (&export);

  if (export.write_errno == 0
      && !payam_store_foreach_request (store, ctl_export_request, &export, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the reason. */
      message = g_strdup_printf (_("The export stopped: %s"), error->message);
      ctl_print_error (message);
      return CTL_EXIT_FAILURE;
    }

  if (export.write_errno == 0 && fflush (stdout) != 0)
    export.write_errno = errno;
  if (export.write_errno != 0)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the system's reason, such as a full disk. */
      message = g_strdup_printf (_("Writing the export failed: %s"),
                                 g_strerror (export.write_errno));
      ctl_print_error (message);
      return CTL_EXIT_FAILURE;
    }

  return CTL_EXIT_OK;
}
