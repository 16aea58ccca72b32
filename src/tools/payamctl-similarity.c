/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl similarity: the text score and decision of message pairs read from standard input. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "payam-similarity.h"
#include "payamctl-private.h"

/* One pair as read: both sides valid UTF-8 (invalid bytes replaced). */
typedef struct {
  char *a;
  char *b;
} Pair;

static void
pair_clear (gpointer data)
{
  Pair *pair = data;

  g_free (pair->a);
  g_free (pair->b);
}

/* Read every line of @in into @pairs. A line without a tab is an error naming its number
 * (@bad_line); the end of the input may have no newline. Carriage returns before the
 * newline are dropped. */
static gboolean
read_pairs (FILE   *in,
            GArray *pairs,
            guint  *bad_line)
{
  g_autoptr(GString) line = g_string_new (NULL);
  guint number = 0;
  int c;

  do
    {
      c = getc (in);
      if (c != '\n' && c != EOF)
        {
          g_string_append_c (line, (char) c);
          continue;
        }
      if (c == EOF && line->len == 0)
        break;
      number++;
      if (line->len > 0 && line->str[line->len - 1] == '\r')
        g_string_truncate (line, line->len - 1);
      {
        const char *tab = memchr (line->str, '\t', line->len);
        Pair pair;

        if (tab == NULL)
          {
            *bad_line = number;
            return FALSE;
          }
        pair.a = g_utf8_make_valid (line->str, tab - line->str);
        pair.b = g_utf8_make_valid (tab + 1, line->str + line->len - (tab + 1));
        g_array_append_val (pairs, pair);
      }
      g_string_truncate (line, 0);
    }
  while (c != EOF);
  return TRUE;
}

/* The signature of @text in @cache (keys borrowed from the pairs), made on first use. */
static const PayamTextSignature *
signature_of (GHashTable                 *cache,
              const PayamSimilarityModel *model,
              const char                 *text)
{
  PayamTextSignature *signature = g_hash_table_lookup (cache, text);

  if (signature == NULL)
    {
      signature = payam_text_signature_new (model, text);
      g_hash_table_insert (cache, (gpointer) text, signature);
    }
  return signature;
}

/**
 * ctl_cmd_similarity:
 *
 * `payamctl similarity`: reads `text_a<TAB>text_b` lines from standard input and writes
 * `score<TAB>decision` for each, in order (decision 1 when the score reaches
 * PAYAM_SIMILARITY_THRESHOLD). The scorer weighs grams by how rare they are in a corpus,
 * and its thresholds hold for a model with corpus frequencies (bench/duplicates/README.md),
 * so the whole input is read first and every text added to a model as one document; then
 * the pairs are scored against that model. The output therefore depends on the whole
 * input, not on each line alone. No database is used.
 */
int
ctl_cmd_similarity (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  g_autoptr(PayamSimilarityModel) model = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GHashTable) signatures = NULL;
  int exit_status = CTL_EXIT_OK;
  guint bad_line = 0;

  context = g_option_context_new (_("< PAIRS.tsv"));
  g_option_context_set_summary (context,
                                _("Read lines “text A<TAB>text B” from standard input and "
                                  "write “score<TAB>decision” for each, in order: the score is "
                                  "in [0, 1], the decision 1 when both describe the same "
                                  "problem. All the input is read first: how rare each word is "
                                  "in it weighs the score."));
  if (!ctl_parse_options (context, ctx, &exit_status))
    return exit_status;
  if (ctx->argc > 1)
    {
      ctl_print_usage_error (ctx->argv[0], _("This command reads standard input and takes no "
                                             "file name."));
      return CTL_EXIT_USAGE;
    }

  g_array_set_clear_func (pairs, pair_clear);
  if (!read_pairs (stdin, pairs, &bad_line))
    {
      g_autofree char *number = ctl_format_integer (bad_line);
      g_autofree char *message = NULL;

      /* Translators: %s is a line number. */
      message = g_strdup_printf (_("Line %s has no tab: write the two texts on one line with "
                                   "a tab between them."), number);
      ctl_print_error (message);
      return CTL_EXIT_FAILURE;
    }

  model = payam_similarity_model_new ();
  for (guint i = 0; i < pairs->len; i++)
    {
      const Pair *pair = &g_array_index (pairs, Pair, i);

      payam_similarity_model_add_document (model, pair->a);
      payam_similarity_model_add_document (model, pair->b);
    }

  /* A text that comes in several pairs is prepared once. */
  signatures = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) payam_text_signature_free);
  for (guint i = 0; i < pairs->len; i++)
    {
      const Pair *pair = &g_array_index (pairs, Pair, i);
      double score = payam_text_signature_score (signature_of (signatures, model, pair->a),
                                                 signature_of (signatures, model, pair->b));
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.4f", score));
      g_string_append (out, payam_similarity_is_duplicate (score) ? "\t1\n" : "\t0\n");
      if (out->len > 65536)
        {
          fwrite (out->str, 1, out->len, stdout);
          g_string_truncate (out, 0);
        }
    }
  fwrite (out->str, 1, out->len, stdout);
  if (fflush (stdout) != 0)
    {
      ctl_print_error (_("Could not write the scores to standard output."));
      return CTL_EXIT_FAILURE;
    }
  return CTL_EXIT_OK;
}
