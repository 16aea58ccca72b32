/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the CSV writer (payam-csv): RFC 4180 quoting, the byte order mark, CRLF, Persian
 * text byte for byte, formulas shown as text, and a file read back field by field. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <gio/gio.h>

#include "payam-csv.h"

/* One field as written on its own. */
static char *
field (const char *text)
{
  GString *row = g_string_new (NULL);

  payam_csv_append_field (row, text, TRUE);
  return g_string_free (row, FALSE);
}

static void
test_quoting (void **state)
{
  static const struct { const char *in, *out; } cases[] = {
    { "plain", "plain" },
    { "", "" },
    { "a,b", "\"a,b\"" },
    { "he said \"no\"", "\"he said \"\"no\"\"\"" },
    { "\"", "\"\"\"\"" },
    { "line one\nline two", "\"line one\nline two\"" },
    { "cr\r\nlf", "\"cr\r\nlf\"" },
    { "چاله بزرگ، وسط خیابان", "چاله بزرگ، وسط خیابان" },      /* Persian comma U+060C: no quotes */
    { "چاله, \"بزرگ\"", "\"چاله, \"\"بزرگ\"\"\"" },
    { "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"" },
    { "+98", "'+98" },
    { "-1", "'-1" },
    { "@SUM(A1)", "'@SUM(A1)" },
    { "1405-09-16", "1405-09-16" },
    { " leading space", " leading space" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = field (cases[i].in);

      assert_string_equal (out, cases[i].out);
    }
  {
    g_autofree char *out = field (NULL);

    assert_string_equal (out, "");
  }
}

/* A row of fields: commas between them, none before the first. */
static void
test_row (void **state)
{
  g_autoptr(GString) row = g_string_new (NULL);

  payam_csv_append_field (row, "a", TRUE);
  payam_csv_append_field (row, NULL, FALSE);
  payam_csv_append_field (row, "ب,پ", FALSE);
  payam_csv_append_field (row, "", FALSE);
  assert_string_equal (row->str, "a,,\"ب,پ\",");
}

/* The writer: the mark once before the first row, CRLF after each, Persian intact. */
static void
test_writer (void **state)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(PayamCsvWriter) writer = payam_csv_writer_new (stream);
  g_autoptr(GError) error = NULL;
  const char *header[] = { "کد", "متن" };
  const char *row1[] = { "1234-5678", "دریچهٔ منهول\nباز است, خطرناک" };
  const char *row2[] = { NULL, "لامپ‌های تیر برق" };
  const char *expected =
    PAYAM_CSV_BOM "کد,متن\r\n"
    "1234-5678,\"دریچهٔ منهول\nباز است, خطرناک\"\r\n"
    ",لامپ‌های تیر برق\r\n";
  gsize size;
  const char *data;

  assert_true (payam_csv_writer_row (writer, header, 2, &error));
  assert_true (payam_csv_writer_row (writer, row1, 2, &error));
  assert_true (payam_csv_writer_row (writer, row2, 2, &error));
  assert_int_equal (payam_csv_writer_get_n_rows (writer), 3);
  assert_true (g_output_stream_close (stream, NULL, &error));
  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream));
  data = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream));
  assert_int_equal (size, strlen (expected));
  assert_memory_equal (data, expected, size);
  assert_true (g_utf8_validate (data, size, NULL));
  /* The mark appears once, at the very start. */
  assert_null (g_strstr_len (data + 3, size - 3, PAYAM_CSV_BOM));
}

/* A minimal RFC 4180 reader for the round trip: the fields of every row. */
static GPtrArray *
parse (const char *data)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *cell = g_string_new (NULL);
  const char *p = data;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          for (p++; *p != '\0'; p++)
            {
              if (*p == '"' && p[1] == '"')
                g_string_append_c (cell, *p++);
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (cell, *p);
            }
          continue;
        }
      if (*p == ',')
        {
          g_ptr_array_add (row, g_strdup (cell->str));
          g_string_truncate (cell, 0);
          p++;
          continue;
        }
      if (p[0] == '\r' && p[1] == '\n')
        {
          g_ptr_array_add (row, g_strdup (cell->str));
          g_string_truncate (cell, 0);
          g_ptr_array_add (rows, row);
          row = g_ptr_array_new_with_free_func (g_free);
          p += 2;
          continue;
        }
      g_string_append_c (cell, *p++);
    }
  g_ptr_array_unref (row);
  g_string_free (cell, TRUE);
  return rows;
}

/* Written to a file and read back: every field as it went in (bar the formula's mark). */
static void
test_round_trip (void **state)
{
  static const char *fields[][4] = {
    { "کد رهگیری", "دسته", "متن", "محله" },
    { "۱۲۳۴", "آسفالت", "چاله \"بزرگ\" وسط خیابان, جلوی نانوایی\r\nعجله کنید", "توحید" },
    { "5678", "", "a\"\"b", "دریان نو" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileIOStream) io = NULL;
  g_autoptr(GFile) file = g_file_new_tmp ("payam-csv-XXXXXX.csv", &io, &error);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gsize length;

  assert_non_null (file);
  {
    GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (io));
    g_autoptr(PayamCsvWriter) writer = payam_csv_writer_new (out);

    for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
      assert_true (payam_csv_writer_row (writer, fields[i], 4, &error));
    assert_true (g_io_stream_close (G_IO_STREAM (io), NULL, &error));
  }
  assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, &error));
  assert_true (g_str_has_prefix (contents, PAYAM_CSV_BOM));
  rows = parse (contents + strlen (PAYAM_CSV_BOM));
  assert_int_equal (rows->len, G_N_ELEMENTS (fields));
  for (guint i = 0; i < rows->len; i++)
    {
      GPtrArray *row = rows->pdata[i];

      assert_int_equal (row->len, 4);
      for (guint j = 0; j < 4; j++)
        assert_string_equal (row->pdata[j], fields[i][j]);
    }
  g_file_delete (file, NULL, NULL);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_quoting),
    cmocka_unit_test (test_row),
    cmocka_unit_test (test_writer),
    cmocka_unit_test (test_round_trip),
  };

  return cmocka_run_group_tests_name ("csv", tests, NULL, NULL);
}
