/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Open311 answers in JSON (json-glib) and XML (xmlTextWriter) from one JSON tree. */
#define G_LOG_DOMAIN "payam-open311"
#include "config.h"

#include <string.h>

#include <libxml/xmlwriter.h>

#include "payam-open311-write.h"

/* A coordinate travels through the tree as a string with this mark before its digits: the
 * XML writer writes the digits alone, and the JSON text has the marked string replaced by
 * the bare number. A string that is not a mark followed by a number stays a string. */
#define COORDINATE_MARK "\x1ePAYAM-COORDINATE:"
#define COORDINATE_MARK_JSON "\"\\u001ePAYAM-COORDINATE:"

/* The digits after the mark of @text, or NULL when @text is not a marked coordinate. */
static const char *
coordinate_digits (const char *text)
{
  const char *digits;

  if (text == NULL || !g_str_has_prefix (text, COORDINATE_MARK))
    return NULL;
  digits = text + strlen (COORDINATE_MARK);
  for (const char *c = digits; *c != '\0'; c++)
    if (!g_ascii_isdigit (*c) && *c != '-' && *c != '.')
      return NULL;
  return *digits != '\0' ? digits : NULL;
}

/* @json with every marked coordinate string replaced by its number. */
static char *
unmark_coordinates (const char *json)
{
  GString *out = g_string_sized_new (strlen (json));
  const char *at = json;
  const char *mark;

  while ((mark = strstr (at, COORDINATE_MARK_JSON)) != NULL)
    {
      const char *digits = mark + strlen (COORDINATE_MARK_JSON);
      const char *end = digits;

      while (g_ascii_isdigit (*end) || *end == '-' || *end == '.')
        end++;
      g_string_append_len (out, at, mark - at);
      if (*end == '"' && end > digits)
        {
          g_string_append_len (out, digits, end - digits);
          at = end + 1;
        }
      else
        {
          /* Not one of ours: keep it as it is. */
          g_string_append_len (out, mark, digits - mark);
          at = digits;
        }
    }
  g_string_append (out, at);
  return g_string_free (out, FALSE);
}

void
payam_open311_add_coordinate (JsonBuilder *builder,
                              const char  *name,
                              double       value)
{
  char digits[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *text = NULL;

  g_ascii_formatd (digits, sizeof digits,
                   "%." G_STRINGIFY (PAYAM_OPEN311_COORDINATE_DECIMALS) "f", value);
  text = g_strconcat (COORDINATE_MARK, digits, NULL);
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

/* The element of one item of the array member @member (the specification's names). */
static const char *
item_name (const char *member)
{
  static const struct { const char *array; const char *item; } names[] = {
    { "attributes", "attribute" },
    { "values", "value" },
    { "endpoints", "endpoint" },
    { "formats", "format" },
    { "duplicates", "duplicate" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (member, names[i].array) == 0)
      return names[i].item;
  return "item";
}

static void write_node (xmlTextWriterPtr writer, const char *name, JsonNode *node);

/* The text of a scalar: strings as they are, booleans "true"/"false", numbers in C form. */
static char *
scalar_text (JsonNode *node)
{
  GType type = json_node_get_value_type (node);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (type == G_TYPE_STRING)
    {
      const char *digits = coordinate_digits (json_node_get_string (node));

      return g_strdup (digits != NULL ? digits : json_node_get_string (node));
    }
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
}

static void
write_object (xmlTextWriterPtr  writer,
              JsonObject       *object)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *child;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &member, &child))
    write_node (writer, member, child);
}

/* <@name>…</@name> for @node; an array is @name holding one element per item. */
static void
write_node (xmlTextWriterPtr  writer,
            const char       *name,
            JsonNode         *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      /* The specification's XML shows a member without a value as an empty element. */
      xmlTextWriterStartElement (writer, BAD_CAST name);
      xmlTextWriterFullEndElement (writer);
      return;
    case JSON_NODE_OBJECT:
      xmlTextWriterStartElement (writer, BAD_CAST name);
      write_object (writer, json_node_get_object (node));
      xmlTextWriterEndElement (writer);
      return;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        xmlTextWriterStartElement (writer, BAD_CAST name);
        for (guint i = 0; i < json_array_get_length (array); i++)
          write_node (writer, item_name (name), json_array_get_element (array, i));
        xmlTextWriterEndElement (writer);
        return;
      }
    case JSON_NODE_VALUE:
    default:
      {
        g_autofree char *text = scalar_text (node);

        xmlTextWriterWriteElement (writer, BAD_CAST name, BAD_CAST text);
        return;
      }
    }
}

/* The XML document of @tree: <@root> holding the tree's members (an object) or one <@item>
 * per element (an array). Caller owns it. */
static GBytes *
xml_of (const char *root,
        const char *item,
        JsonNode   *tree)
{
  xmlBufferPtr buffer = xmlBufferCreate ();
  xmlTextWriterPtr writer = xmlNewTextWriterMemory (buffer, 0);
  GBytes *bytes;

  xmlTextWriterStartDocument (writer, "1.0", "UTF-8", NULL);
  xmlTextWriterStartElement (writer, BAD_CAST root);
  if (JSON_NODE_HOLDS_ARRAY (tree))
    {
      JsonArray *array = json_node_get_array (tree);

      for (guint i = 0; i < json_array_get_length (array); i++)
        write_node (writer, item, json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_OBJECT (tree))
    write_object (writer, json_node_get_object (tree));
  xmlTextWriterEndElement (writer);
  xmlTextWriterEndDocument (writer);
  xmlFreeTextWriter (writer);
  bytes = g_bytes_new ((const char *) xmlBufferContent (buffer), xmlBufferLength (buffer));
  xmlBufferFree (buffer);
  return bytes;
}

void
payam_open311_respond (SoupServerMessage  *msg,
                       guint               status,
                       PayamOpen311Format  format,
                       const char         *root,
                       const char         *item,
                       JsonNode           *tree)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(JsonNode) owned = tree;
  g_autoptr(GBytes) body = NULL;
  const char *type;

  if (format == PAYAM_OPEN311_XML)
    {
      body = xml_of (root, item, tree);
      type = "text/xml; charset=utf-8";
    }
  else
    {
      g_autofree char *marked = json_to_string (tree, FALSE);
      char *text = unmark_coordinates (marked);

      body = g_bytes_new_take (text, strlen (text));
      type = "application/json; charset=utf-8";
    }
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  /* Civic dashboards read it from the browser. */
  soup_message_headers_replace (headers, "Access-Control-Allow-Origin", "*");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

void
payam_open311_respond_error (SoupServerMessage  *msg,
                             guint               status,
                             PayamOpen311Format  format,
                             const char         *description)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, status);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  payam_open311_respond (msg, status, format, "errors", "error",
                         json_builder_get_root (builder));
}

void
payam_open311_add_string (JsonBuilder *builder,
                          const char  *name,
                          const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}
