/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the committed labelled messages (tests/data/messages-labelled.jsonl) that the duplicate benches read. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "payam-core-resources.h"

#define SET_NAME "messages-labelled.jsonl"
#define DATA_PATH "/ir/payam/Payam/core/data/"

/* A message lies within this distance of its neighbourhood's centre. */
#define MAX_FROM_CENTRE_M 3000.0

/* The command that made the committed set (bench/duplicates/README.md). */
#define SET_SEED  "137"
#define SET_COUNT "3000"

typedef struct {
  char       *srcdir;         /* tests/ of the source tree */
  char       *contents;       /* the set as committed */
  GPtrArray  *parsers;        /* one JsonParser per line, in file order */
  GHashTable *categories;     /* code → itself */
  JsonNode   *places;         /* places.json */
} Fixture;

static JsonObject *
line_object (Fixture *f,
             guint    i)
{
  return json_node_get_object (json_parser_get_root (f->parsers->pdata[i]));
}

static JsonNode *
load_resource (const char *name)
{
  g_autofree char *path = g_strconcat (DATA_PATH, name, NULL);
  g_autoptr(GBytes) bytes = g_resource_lookup_data (payam_core_get_resource (), path,
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  assert_non_null (bytes);
  assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                           (gssize) g_bytes_get_size (bytes), NULL));
  return json_node_copy (json_parser_get_root (parser));
}

/* Read every line of the set; a line that is not JSON fails the setup. */
static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *path = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonNode) categories = NULL;
  JsonArray *list;

  f->parsers = g_ptr_array_new_with_free_func (g_object_unref);
  f->categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->srcdir = g_strdup (srcdir != NULL ? srcdir : TESTS_SRCDIR);
  *state = f;

  path = g_build_filename (f->srcdir, "data", SET_NAME, NULL);
  if (!g_file_get_contents (path, &f->contents, NULL, NULL))
    return -1;
  lines = g_strsplit (f->contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      JsonParser *parser;

      if (lines[i][0] == '\0' && lines[i + 1] == NULL)
        break;
      parser = json_parser_new ();
      g_ptr_array_add (f->parsers, parser);
      if (!json_parser_load_from_data (parser, lines[i], -1, NULL)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          print_error ("line %u is not a JSON object\n", i + 1);
          return -1;
        }
    }

  categories = load_resource ("categories.json");
  list = json_object_get_array_member (json_node_get_object (categories), "categories");
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_hash_table_add (f->categories,
                      g_strdup (json_object_get_string_member (json_array_get_object_element (list, i),
                                                               "code")));
  f->places = load_resource ("places.json");
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  g_ptr_array_unref (f->parsers);
  g_hash_table_unref (f->categories);
  g_clear_pointer (&f->places, json_node_unref);
  g_free (f->contents);
  g_free (f->srcdir);
  g_free (f);
  return 0;
}

/* Each line carries only fields that `payamctl import` reads, plus the label, each of
 * the right JSON type, and the required ones are there. */
static void
test_fields_and_types (void **state)
{
  static const struct {
    const char *name;
    GType       type;
    gboolean    required;
  } fields[] = {
    { "id", G_TYPE_STRING, TRUE },
    { "text", G_TYPE_STRING, TRUE },
    { "category", G_TYPE_STRING, TRUE },
    { "neighbourhood", G_TYPE_STRING, TRUE },
    { "street", G_TYPE_STRING, FALSE },
    { "landmark", G_TYPE_STRING, FALSE },
    { "lat", G_TYPE_DOUBLE, FALSE },
    { "lon", G_TYPE_DOUBLE, FALSE },
    { "created_at", G_TYPE_STRING, TRUE },
    { "hazard", G_TYPE_BOOLEAN, TRUE },
    { "channel", G_TYPE_STRING, TRUE },
    { "problem_id", G_TYPE_STRING, TRUE },
  };
  static const char *const channels[] = { "kiosk", "crew", "office", "phone" };
  Fixture *f = *state;

  assert_in_range (f->parsers->len, 2000, 10000);
  for (guint i = 0; i < f->parsers->len; i++)
    {
      JsonObject *o = line_object (f, i);
      g_autoptr(GList) members = json_object_get_members (o);
      g_autoptr(GDateTime) created = NULL;
      gboolean known_channel = FALSE;

      for (GList *l = members; l != NULL; l = l->next)
        {
          gsize k;

          for (k = 0; k < G_N_ELEMENTS (fields); k++)
            if (g_str_equal (fields[k].name, l->data))
              break;
          if (k == G_N_ELEMENTS (fields))
            fail_msg ("line %u: unknown field %s", i + 1, (const char *) l->data);
          assert_int_equal (json_node_get_value_type (json_object_get_member (o, l->data)), fields[k].type);
        }
      for (gsize k = 0; k < G_N_ELEMENTS (fields); k++)
        if (fields[k].required && !json_object_has_member (o, fields[k].name))
          fail_msg ("line %u: no %s", i + 1, fields[k].name);

      assert_int_equal (json_object_has_member (o, "lat"), json_object_has_member (o, "lon"));
      assert_non_null (g_hash_table_lookup (f->categories, json_object_get_string_member (o, "category")));
      created = g_date_time_new_from_iso8601 (json_object_get_string_member (o, "created_at"), NULL);
      assert_non_null (created);
      for (gsize k = 0; k < G_N_ELEMENTS (channels); k++)
        known_channel |= g_str_equal (channels[k], json_object_get_string_member (o, "channel"));
      assert_true (known_channel);
    }
}

static double
distance_m (double lat1,
            double lon1,
            double lat2,
            double lon2)
{
  double dy = (lat2 - lat1) * 111320.0;
  double dx = (lon2 - lon1) * 111320.0 * cos (lat1 * G_PI / 180.0);

  return sqrt (dx * dx + dy * dy);
}

/* The gazetteer entry of @kind ("streets" or "landmarks") named @name in @hood, or NULL. */
static JsonObject *
find_place (JsonObject *hood,
            const char *kind,
            const char *name)
{
  JsonArray *list = json_object_get_array_member (hood, kind);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *place = json_array_get_object_element (list, i);

      if (g_str_equal (json_object_get_string_member (place, "name"), name))
        return place;
    }
  return NULL;
}

/* Neighbourhood codes, street and landmark names come from the gazetteer, and
 * coordinates lie in the message's neighbourhood. */
static void
test_places (void **state)
{
  Fixture *f = *state;
  JsonArray *hoods = json_object_get_array_member (json_node_get_object (f->places), "neighbourhoods");
  guint n_located = 0, n_hood_only = 0;

  for (guint i = 0; i < f->parsers->len; i++)
    {
      JsonObject *o = line_object (f, i);
      const char *code = json_object_get_string_member (o, "neighbourhood");
      JsonObject *hood = NULL;

      for (guint h = 0; h < json_array_get_length (hoods); h++)
        if (g_str_equal (json_object_get_string_member (json_array_get_object_element (hoods, h), "code"), code))
          hood = json_array_get_object_element (hoods, h);
      assert_non_null (hood);

      if (json_object_has_member (o, "street"))
        assert_non_null (find_place (hood, "streets", json_object_get_string_member (o, "street")));
      if (json_object_has_member (o, "landmark"))
        assert_non_null (find_place (hood, "landmarks", json_object_get_string_member (o, "landmark")));
      if (json_object_has_member (o, "lat"))
        {
          double d = distance_m (json_object_get_double_member (hood, "lat"),
                                 json_object_get_double_member (hood, "lon"),
                                 json_object_get_double_member (o, "lat"),
                                 json_object_get_double_member (o, "lon"));

          assert_true (d < MAX_FROM_CENTRE_M);
          n_located++;
        }
      n_hood_only += !json_object_has_member (o, "lat") && !json_object_has_member (o, "street")
                     && !json_object_has_member (o, "landmark");
    }
  /* Some reports carry coordinates, some do not, some only the neighbourhood. */
  assert_in_range (n_located, f->parsers->len / 5, f->parsers->len * 9 / 10);
  assert_in_range (n_hood_only, f->parsers->len / 20, f->parsers->len / 3);
}

/* Ids are unique, the set is in time order, every problem stays in one neighbourhood,
 * and at least a fifth of the problems have two reporters or more. */
static void
test_ground_truth (void **state)
{
  Fixture *f = *state;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) count = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) hood_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) categories_of = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                               (GDestroyNotify) g_hash_table_unref);
  const char *previous_time = "";
  guint n_multi = 0, n_mixed_category = 0;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < f->parsers->len; i++)
    {
      JsonObject *o = line_object (f, i);
      const char *id = json_object_get_string_member (o, "id");
      const char *problem = json_object_get_string_member (o, "problem_id");
      const char *hood = json_object_get_string_member (o, "neighbourhood");
      const char *time = json_object_get_string_member (o, "created_at");
      GHashTable *categories;

      assert_true (g_hash_table_add (ids, (gpointer) id));
      /* All times are written in UTC with a Z, so text order is time order. */
      assert_true (g_str_has_suffix (time, "Z"));
      assert_true (strcmp (previous_time, time) <= 0);
      previous_time = time;

      g_hash_table_insert (count, (gpointer) problem,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (count, problem)) + 1));
      if (g_hash_table_contains (hood_of, problem))
        assert_string_equal (g_hash_table_lookup (hood_of, problem), hood);
      g_hash_table_insert (hood_of, (gpointer) problem, (gpointer) hood);
      categories = g_hash_table_lookup (categories_of, problem);
      if (categories == NULL)
        {
          categories = g_hash_table_new (g_str_hash, g_str_equal);
          g_hash_table_insert (categories_of, (gpointer) problem, categories);
        }
      g_hash_table_add (categories, (gpointer) json_object_get_string_member (o, "category"));
    }

  g_hash_table_iter_init (&iter, count);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      n_multi += GPOINTER_TO_UINT (value) >= 2;
      n_mixed_category += g_hash_table_size (g_hash_table_lookup (categories_of, key)) >= 2;
    }
  assert_true (n_multi * 5 >= g_hash_table_size (count));
  /* Some reporters of one problem chose a different (related) category. */
  assert_true (n_mixed_category > 0);
}

/* The texts are Persian (mostly Arabic-script letters) and carry the variants a matcher
 * must survive: Arabic yeh and kaf, text without ZWNJ, ASCII, Persian and Arabic-Indic
 * digits; reporters of one problem do not all write the same words. */
static void
test_persian_text (void **state)
{
  static const struct {
    const char *what;
    const char *needle;
  } variants[] = {
    { "Arabic yeh", "\u064a" },
    { "Arabic kaf", "\u0643" },
    { "ZWNJ", "\u200c" },
    { "Persian digit", "\u06f1" },
    { "Arabic-Indic digit", "\u0661" },
    { "ASCII digit", "1" },
    { "filler", "لطف" },
  };
  Fixture *f = *state;
  guint found[G_N_ELEMENTS (variants)] = { 0 };
  g_autoptr(GHashTable) first_text = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_reworded = 0;

  for (guint i = 0; i < f->parsers->len; i++)
    {
      JsonObject *o = line_object (f, i);
      const char *text = json_object_get_string_member (o, "text");
      const char *problem = json_object_get_string_member (o, "problem_id");
      const char *first;
      guint letters = 0, arabic_script = 0;

      assert_true (g_utf8_validate (text, -1, NULL));
      for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (g_unichar_isalpha (c))
            {
              letters++;
              arabic_script += g_unichar_get_script (c) == G_UNICODE_SCRIPT_ARABIC;
            }
        }
      assert_true (letters >= 10);
      assert_true (arabic_script * 10 >= letters * 9);

      for (gsize k = 0; k < G_N_ELEMENTS (variants); k++)
        found[k] += strstr (text, variants[k].needle) != NULL;

      first = g_hash_table_lookup (first_text, problem);
      if (first == NULL)
        g_hash_table_insert (first_text, (gpointer) problem, (gpointer) text);
      else
        n_reworded += !g_str_equal (first, text);
    }
  for (gsize k = 0; k < G_N_ELEMENTS (variants); k++)
    if (found[k] < 10)
      fail_msg ("only %u texts with %s", found[k], variants[k].what);
  assert_true (n_reworded > f->parsers->len / 4);
}

/* The committed set is exactly what the kept generator writes for its documented seed,
 * so the generator and the set cannot drift apart. Skipped without python3. */
static void
test_generator_reproduces_set (void **state)
{
  Fixture *f = *state;
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *script = g_build_filename (f->srcdir, "..", "bench", "duplicates", "generate-messages.py", NULL);
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (python == NULL)
    skip ();
  {
    const char *argv[] = { python, script, "--seed", SET_SEED, "--count", SET_COUNT, NULL };

    assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &output, NULL,
                               &status, &error));
  }
  assert_true (g_spawn_check_wait_status (status, NULL));
  assert_string_equal (output, f->contents);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_fields_and_types, setup, teardown),
    cmocka_unit_test_setup_teardown (test_places, setup, teardown),
    cmocka_unit_test_setup_teardown (test_ground_truth, setup, teardown),
    cmocka_unit_test_setup_teardown (test_persian_text, setup, teardown),
    cmocka_unit_test_setup_teardown (test_generator_reproduces_set, setup, teardown),
  };

  return cmocka_run_group_tests_name ("labelled-set", tests, NULL, NULL);
}
