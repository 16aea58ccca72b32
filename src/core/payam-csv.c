/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCsvWriter: RFC 4180 rows, UTF-8 with a byte order mark. */
#define G_LOG_DOMAIN "payam-csv"
#include "config.h"

#include <string.h>

#include "payam-csv.h"

struct _PayamCsvWriter
{
  GOutputStream *stream;  /* owned */
  GString       *row;     /* reused for each row */
  guint64        n_rows;
  gboolean       bom_written;
};

void
payam_csv_append_field (GString    *row,
                        const char *field,
                        gboolean    first)
{
  gboolean formula;

  g_return_if_fail (row != NULL);

  if (!first)
    g_string_append_c (row, ',');
  if (field == NULL || field[0] == '\0')
    return;
  /* A formula, or what a spreadsheet takes for one, is shown as text. */
  formula = strchr ("=+-@\t\r", field[0]) != NULL;
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      if (formula)
        g_string_append_c (row, '\'');
      g_string_append (row, field);
      return;
    }
  g_string_append_c (row, '"');
  if (formula)
    g_string_append_c (row, '\'');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (row, '"');
      g_string_append_c (row, *p);
    }
  g_string_append_c (row, '"');
}

PayamCsvWriter *
payam_csv_writer_new (GOutputStream *stream)
{
  PayamCsvWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_new0 (PayamCsvWriter, 1);
  self->stream = g_object_ref (stream);
  self->row = g_string_new (NULL);
  return self;
}

void
payam_csv_writer_free (PayamCsvWriter *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->stream);
  g_string_free (self->row, TRUE);
  g_free (self);
}

gboolean
payam_csv_writer_row (PayamCsvWriter      *self,
                      const char * const  *fields,
                      guint                n_fields,
                      GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (fields != NULL || n_fields == 0, FALSE);

  g_string_truncate (self->row, 0);
  if (!self->bom_written)
    g_string_append (self->row, PAYAM_CSV_BOM);
  for (guint i = 0; i < n_fields; i++)
    payam_csv_append_field (self->row, fields[i], i == 0);
  g_string_append (self->row, "\r\n");
  if (!g_output_stream_write_all (self->stream, self->row->str, self->row->len, NULL, NULL,
                                  error))
    return FALSE;
  self->bom_written = TRUE;
  self->n_rows++;
  return TRUE;
}

guint64
payam_csv_writer_get_n_rows (PayamCsvWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_rows;
}
