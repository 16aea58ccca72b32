/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the labelled message sets of bench/duplicates (JSON Lines) for the C benches. */
#define G_LOG_DOMAIN "payam-bench"
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "bench-labelled.h"

static void
message_clear (gpointer data)
{
  Message *m = data;

  g_free (m->id);
  g_free (m->text);
  g_free (m->category);
  g_free (m->neighbourhood);
  g_free (m->street);
  g_free (m->landmark);
  g_free (m->problem_id);
  g_free (m->created_at);
}

static char *
member_dup (JsonObject *o,
            const char *name)
{
  return json_object_has_member (o, name) ? g_strdup (json_object_get_string_member (o, name))
                                          : NULL;
}

GArray *
bench_read_messages (const char  *path,
                     GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (Message));

  g_array_set_clear_func (out, message_clear);
  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *o;
      Message m = { 0 };

      if (lines[i][0] == '\0')
        continue;
      if (!json_parser_load_from_data (parser, lines[i], -1, error))
        return NULL;
      o = json_node_get_object (json_parser_get_root (parser));
      m.id = member_dup (o, "id");
      m.text = member_dup (o, "text");
      m.category = member_dup (o, "category");
      m.neighbourhood = member_dup (o, "neighbourhood");
      m.street = member_dup (o, "street");
      m.landmark = member_dup (o, "landmark");
      m.problem_id = member_dup (o, "problem_id");
      m.created_at = member_dup (o, "created_at");
      m.located = json_object_has_member (o, "lat");
      if (m.located)
        {
          m.lat = json_object_get_double_member (o, "lat");
          m.lon = json_object_get_double_member (o, "lon");
        }
      g_array_append_val (out, m);
    }
  return g_steal_pointer (&out);
}

int
bench_message_compare_created (gconstpointer a,
                               gconstpointer b)
{
  return g_strcmp0 (((const Message *) a)->created_at, ((const Message *) b)->created_at);
}

void
bench_message_draft (const Message     *m,
                     PayamRequestDraft *d)
{
  memset (d, 0, sizeof *d);
  d->text = m->text;
  d->category = m->category;
  d->neighbourhood = m->neighbourhood;
  d->street = m->street;
  d->landmark = m->landmark;
  d->has_location = m->located;
  d->lat = m->lat;
  d->lon = m->lon;
  d->channel = PAYAM_CHANNEL_KIOSK;
}
