/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCsvWriter: the rows of a list as CSV (RFC 4180) for spreadsheets: UTF-8 with a byte
 * order mark (so Excel reads Persian as Persian), CRLF line ends, a field quoted when it
 * holds a comma, a quote, CR or LF, its quotes doubled. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PAYAM_CSV_BOM "\xef\xbb\xbf"

/* Append @field (NULL: empty) to @row as one field, after a comma unless @first. A field
 * that starts with =, +, -, @, a tab or CR gets a leading apostrophe so a spreadsheet shows
 * it as text and never runs it as a formula (citizens' words are hostile). */
void            payam_csv_append_field  (GString            *row,
                                         const char         *field,
                                         gboolean            first);

typedef struct _PayamCsvWriter PayamCsvWriter;

/* A writer to @stream (referenced); the byte order mark goes out before the first row. */
PayamCsvWriter *payam_csv_writer_new    (GOutputStream      *stream);
void            payam_csv_writer_free   (PayamCsvWriter     *self);
/* Write one row of @n_fields @fields (each may be NULL), ended by CRLF. */
gboolean        payam_csv_writer_row    (PayamCsvWriter     *self,
                                         const char * const *fields,
                                         guint               n_fields,
                                         GError            **error);
/* Rows written so far. */
guint64         payam_csv_writer_get_n_rows (PayamCsvWriter *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamCsvWriter, payam_csv_writer_free)

G_END_DECLS
