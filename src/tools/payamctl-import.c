/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl import: requests from JSON Lines, in one transaction, all or nothing. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "payamctl-private.h"

/* A line longer than this is refused rather than parsed: no request is that long. */
#define CTL_IMPORT_MAX_LINE (1024 * 1024)

#define CTL_IMPORT_ERROR (ctl_import_error_quark ())
static G_DEFINE_QUARK (payam-ctl-import-error, ctl_import_error)

typedef enum {
  CTL_IMPORT_ERROR_INVALID, /* the line is not a request this command understands */
} CtlImportError;

typedef enum {
  FIELD_TEXT,
  FIELD_CATEGORY,
  FIELD_NEIGHBOURHOOD,
  FIELD_STREET,
  FIELD_LANDMARK,
  FIELD_LAT,
  FIELD_LON,
  FIELD_CREATED_AT,
  FIELD_PHONE,
  FIELD_NAME,
  FIELD_HAZARD,
  FIELD_DANGER_TO_PEOPLE,
  FIELD_BLOCKS_ROAD,
  FIELD_UTILITIES,
  FIELD_CHANNEL,
  /* Made by the store; accepted so that an export imports again, and made anew. */
  FIELD_STORE_MADE,
} CtlField;

typedef enum {
  KIND_STRING,
  KIND_NUMBER,
  KIND_BOOLEAN,
  KIND_ANY,
} CtlFieldKind;

static const struct {
  const char   *name;
  CtlField      field;
  CtlFieldKind  kind;
} fields[] = {
  { "text", FIELD_TEXT, KIND_STRING },
  { "category", FIELD_CATEGORY, KIND_STRING },
  { "neighbourhood", FIELD_NEIGHBOURHOOD, KIND_STRING },
  { "street", FIELD_STREET, KIND_STRING },
  { "landmark", FIELD_LANDMARK, KIND_STRING },
  { "lat", FIELD_LAT, KIND_NUMBER },
  { "lon", FIELD_LON, KIND_NUMBER },
  { "created_at", FIELD_CREATED_AT, KIND_STRING },
  { "phone", FIELD_PHONE, KIND_STRING },
  { "name", FIELD_NAME, KIND_STRING },
  { "hazard", FIELD_HAZARD, KIND_BOOLEAN },
  { "danger_to_people", FIELD_DANGER_TO_PEOPLE, KIND_BOOLEAN },
  { "blocks_road", FIELD_BLOCKS_ROAD, KIND_BOOLEAN },
  { "utilities", FIELD_UTILITIES, KIND_BOOLEAN },
  { "channel", FIELD_CHANNEL, KIND_STRING },
  { "id", FIELD_STORE_MADE, KIND_ANY },
  { "tracking_code", FIELD_STORE_MADE, KIND_ANY },
  { "status", FIELD_STORE_MADE, KIND_ANY },
  { "priority", FIELD_STORE_MADE, KIND_ANY },
  { "due_at", FIELD_STORE_MADE, KIND_ANY },
  { "group_id", FIELD_STORE_MADE, KIND_ANY },
};

/* One parsed line: the draft borrows its strings from @parser's tree. */
typedef struct {
  JsonParser        *parser;
  GDateTime         *created_at;
  PayamRequestDraft  draft;
  gboolean           has_lat;
  gboolean           has_lon;
  gboolean           store_made;
} CtlLine;

static void
ctl_line_clear (CtlLine *line)
{
  g_clear_object (&line->parser);
  g_clear_pointer (&line->created_at, g_date_time_unref);
  memset (line, 0, sizeof *line);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CtlLine, ctl_line_clear)

/* Check that @node is of @kind, or set a translated error naming @name. */
static gboolean
ctl_check_kind (const char    *name,
                JsonNode      *node,
                CtlFieldKind   kind,
                GError       **error)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  switch (kind)
    {
    case KIND_STRING:
      if (type == G_TYPE_STRING)
        return TRUE;
      g_set_error (error, CTL_IMPORT_ERROR, CTL_IMPORT_ERROR_INVALID,
                   /* Translators: %s is a field name such as “phone”; keep the quotes. */
                   _("the field “%s” must be text in double quotes"), name);
      return FALSE;
    case KIND_NUMBER:
      if (type == G_TYPE_DOUBLE || type == G_TYPE_INT64)
        return TRUE;
      g_set_error (error, CTL_IMPORT_ERROR, CTL_IMPORT_ERROR_INVALID,
                   /* Translators: %s is a field name such as “lat”. */
                   _("the field “%s” must be a number"), name);
      return FALSE;
    case KIND_BOOLEAN:
      if (type == G_TYPE_BOOLEAN)
        return TRUE;
      g_set_error (error, CTL_IMPORT_ERROR, CTL_IMPORT_ERROR_INVALID,
                   /* Translators: %s is a field name; keep true and false in English. */
                   _("the field “%s” must be true or false"), name);
      return FALSE;
    case KIND_ANY:
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static double
ctl_node_get_number (JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  return json_node_get_double (node);
}

/* Fill @line->draft from one member of the line's object. Unknown names and wrong types
 * are errors that name the field. */
static gboolean
ctl_line_set_field (CtlLine     *line,
                    const char  *name,
                    JsonNode    *node,
                    GError     **error)
{
  PayamRequestDraft *draft = &line->draft;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].name, name))
      break;

  if (i == G_N_ELEMENTS (fields))
    {
      g_set_error (error, CTL_IMPORT_ERROR, CTL_IMPORT_ERROR_INVALID,
                   /* Translators: %s is the unknown field name as written in the file. */
                   _("unknown field “%s”"), name);
      return FALSE;
    }

  /* null means the same as a missing field. */
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!ctl_check_kind (name, node, fields[i].kind, error))
    return FALSE;

  switch (fields[i].field)
    {
    case FIELD_TEXT:
      draft->text = json_node_get_string (node);
      break;
    case FIELD_CATEGORY:
      draft->category = json_node_get_string (node);
      break;
    case FIELD_NEIGHBOURHOOD:
      draft->neighbourhood = json_node_get_string (node);
      break;
    case FIELD_STREET:
      draft->street = json_node_get_string (node);
      break;
    case FIELD_LANDMARK:
      draft->landmark = json_node_get_string (node);
      break;
    case FIELD_LAT:
      draft->lat = ctl_node_get_number (node);
      line->has_lat = TRUE;
      break;
    case FIELD_LON:
      draft->lon = ctl_node_get_number (node);
      line->has_lon = TRUE;
      break;
    case FIELD_CREATED_AT:
      {
        const char *text = json_node_get_string (node);

        g_clear_pointer (&line->created_at, g_date_time_unref);
        /* No default time zone: a time without one is ambiguous, so it is refused. */
        line->created_at = g_date_time_new_from_iso8601 (text, NULL);
        if (line->created_at == NULL)
          {
            g_set_error (error, CTL_IMPORT_ERROR, CTL_IMPORT_ERROR_INVALID,
                         /* Translators: %s is the value found; keep the example as it is. */
                         _("created_at “%s” is not an ISO 8601 time with a time zone, "
                           "such as 2026-11-29T14:30:00Z"), text);
            return FALSE;
          }
        draft->created_at = line->created_at;
      }
      break;
    case FIELD_PHONE:
      draft->phone = json_node_get_string (node);
      break;
    case FIELD_NAME:
      draft->name = json_node_get_string (node);
      break;
    case FIELD_HAZARD:
      draft->hazard = json_node_get_boolean (node);
      break;
    case FIELD_DANGER_TO_PEOPLE:
      draft->answers.danger_to_people = json_node_get_boolean (node);
      break;
    case FIELD_BLOCKS_ROAD:
      draft->answers.blocks_road = json_node_get_boolean (node);
      break;
    case FIELD_UTILITIES:
      draft->answers.utilities = json_node_get_boolean (node);
      break;
    case FIELD_CHANNEL:
      if (!payam_channel_from_string (json_node_get_string (node), &draft->channel))
        {
          g_set_error (error, CTL_IMPORT_ERROR, CTL_IMPORT_ERROR_INVALID,
                       /* Translators: %s is the value found; keep the channel names in English. */
                       _("unknown channel “%s”: use kiosk, crew, office or phone"),
                       json_node_get_string (node));
          return FALSE;
        }
      break;
    case FIELD_STORE_MADE:
      line->store_made = TRUE;
      break;
    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

/* Parse one non-empty line of JSON into @line (cleared first). FALSE with a translated
 * error that says what is wrong with the line. */
static gboolean
ctl_line_parse (CtlLine     *line,
                const char  *text,
                gsize        length,
                GError     **error)
{
  g_autoptr(GError) json_error = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  JsonNode *root;

  ctl_line_clear (line);
  line->draft.channel = PAYAM_CHANNEL_OFFICE;
  line->parser = json_parser_new_immutable ();

  if (!json_parser_load_from_data (line->parser, text, length, &json_error))
    {
      g_set_error (error, CTL_IMPORT_ERROR, CTL_IMPORT_ERROR_INVALID,
                   /* Translators: %s is the JSON parser's own description of the problem. */
                   _("not valid JSON (%s)"), json_error->message);
      return FALSE;
    }

  root = json_parser_get_root (line->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CTL_IMPORT_ERROR, CTL_IMPORT_ERROR_INVALID,
                           _("each line must be one JSON object, {…}"));
      return FALSE;
    }

  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!ctl_line_set_field (line, l->data, json_object_get_member (object, l->data), error))
      return FALSE;

  if (line->has_lat != line->has_lon)
    {
      g_set_error_literal (error, CTL_IMPORT_ERROR, CTL_IMPORT_ERROR_INVALID,
                           _("give both lat and lon, or neither"));
      return FALSE;
    }
  line->draft.has_location = line->has_lat;

  return TRUE;
}

/* Open @path for reading, "-" meaning standard input. NULL with a printed message. */
static FILE *
ctl_open_input (const char *path)
{
  FILE *input;

  if (g_str_equal (path, "-"))
    return stdin;

  input = g_fopen (path, "rb");
  if (input == NULL)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);
      g_autofree char *message = NULL;

      /* Translators: %s is the file name, then the system's reason. */
      message = g_strdup_printf (_("Cannot read %s: %s"), display, g_strerror (saved_errno));
      ctl_print_error (message);
    }
  return input;
}

/* Print "line N: reason" on standard error. */
static void
ctl_print_line_error (guint64     number,
                      const char *reason)
{
  g_autofree char *formatted = ctl_format_integer ((gint64) number);

  /* Translators: %s is the line number, then the reason. */
  g_printerr (_("line %s: %s\n"), formatted, reason);
}

/* Read every line of @input and register each request inside the transaction the caller
 * opened. Returns the number imported, or -1 after printing "line N: reason". */
gint64
ctl_import_lines (PayamStore *store,
                  FILE       *input,
                  gboolean   *store_made)
{
  g_auto(CtlLine) line = { 0 };
  g_autofree char *buffer = NULL;
  gsize capacity = 0;
  guint64 number = 0;
  gint64 imported = 0;
  gssize length;

  while ((length = getline (&buffer, &capacity, input)) >= 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PayamRequest) request = NULL;
      char *text = buffer;

      number++;

      if (length > CTL_IMPORT_MAX_LINE)
        {
          ctl_print_line_error (number, _("the line is longer than 1 MiB"));
          return -1;
        }

      /* Accept LF and CRLF line ends, and a byte order mark before the first line. */
      while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == '\r'))
        text[--length] = '\0';
      if (number == 1 && length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
        {
          text += 3;
          length -= 3;
        }

      if (strlen (text) != (gsize) length)
        {
          ctl_print_line_error (number, _("the line contains a NUL byte"));
          return -1;
        }
      if (!g_utf8_validate (text, length, NULL))
        {
          ctl_print_line_error (number, _("the line is not valid UTF-8 text"));
          return -1;
        }

      g_strstrip (text);
      if (text[0] == '\0')
        continue;

      if (!ctl_line_parse (&line, text, strlen (text), &error))
        {
          ctl_print_line_error (number, error->message);
          return -1;
        }

      request = payam_store_add_request (store, &line.draft, &error);
      if (request == NULL)
        {
          ctl_print_line_error (number, error->message);
          return -1;
        }

      *store_made |= line.store_made;
      imported++;
    }

  if (ferror (input))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the system's reason. */
      message = g_strdup_printf (_("Reading the input failed: %s"), g_strerror (errno));
      ctl_print_error (message);
      return -1;
    }

  return imported;
}

/* Import FILE (or standard input for "-") in one transaction. Any bad line rolls back the
 * whole import and exits 1 after printing "line N: reason"; usage errors exit 2. */
int
ctl_cmd_import (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  gboolean store_made = FALSE;
  gint64 imported;
  FILE *input;
  int status;

  context = g_option_context_new (_("FILE.jsonl|-"));
  g_option_context_set_summary (context,
                                _("Import requests, one JSON object a line; “-” reads standard "
                                  "input. Fields: text, category, neighbourhood, street, "
                                  "landmark, lat, lon, created_at (ISO 8601 with a time zone; "
                                  "default now), phone, name, hazard, danger_to_people, "
                                  "blocks_road, utilities (true or false), channel (kiosk, crew, "
                                  "office or phone; default office). The fields an export adds "
                                  "(id, tracking_code, status, priority, due_at, group_id) are "
                                  "accepted and made anew. Either every line is imported or "
                                  "none: a bad line stops the import with “line N: reason”."));
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2)
    {
      ctl_print_usage_error ("import", _("Give one file to import, or “-” for standard input."));
      return CTL_EXIT_USAGE;
    }

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;

  input = ctl_open_input (ctx->argv[1]);
  if (input == NULL)
    return CTL_EXIT_FAILURE;

  if (!payam_store_begin (store, &error))
    {
      ctl_print_error (error->message);
      if (input != stdin)
        fclose (input);
      return CTL_EXIT_FAILURE;
    }

  imported = ctl_import_lines (store, input, &store_made);
  if (input != stdin)
    fclose (input);

  if (imported < 0)
    {
      payam_store_rollback (store);
      ctl_print_error (_("Nothing was imported."));
      return CTL_EXIT_FAILURE;
    }

  if (!payam_store_commit (store, &error))
    {
      g_autofree char *message = NULL;

      payam_store_rollback (store);
      /* Translators: %s is the reason. */
      message = g_strdup_printf (_("Nothing was imported: %s"), error->message);
      ctl_print_error (message);
      return CTL_EXIT_FAILURE;
    }

  if (store_made)
    g_printerr ("%s\n", _("Note: ids, tracking codes, statuses, priorities, deadlines and groups "
                          "in the file were made anew by this database."));

  count = ctl_format_number (imported);
  /* Translators: %s is the number of requests. */
  g_print (g_dngettext (GETTEXT_PACKAGE, "Imported %s request.\n", "Imported %s requests.\n",
                        (gulong) imported),
           count);
  return CTL_EXIT_OK;
}
