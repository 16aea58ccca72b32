/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl group, groups, merge, split, lead and confirm: duplicate groups. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "payam-dup-index.h"
#include "payam-lifecycle.h"
#include "payam-similarity.h"
#include "payam-store-groups.h"
#include "payam-text.h"
#include "payam-tracking.h"
#include "payamctl-groups-private.h"

/* ---- shared --------------------------------------------------------------------------- */

PayamRequest *
ctl_find_request (PayamStore *store,
                  const char *arg)
{
  g_autoptr(GError) error = NULL;
  PayamRequest *request;

  if (strlen (arg) == 36 && arg[8] == '-' && arg[13] == '-')
    request = payam_store_get_request (store, arg, &error);
  else
    request = payam_store_find_by_tracking_code (store, arg, &error);
  if (request == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is what was typed (a tracking code), then the reason. */
      message = g_strdup_printf (_("Cannot find the request %s: %s"), arg, error->message);
      ctl_print_error (message);
    }
  return request;
}

int
ctl_fail (const char *what,
          GError     *error)
{
  g_autofree char *message = g_strdup_printf ("%s: %s", what, error->message);

  ctl_print_error (message);
  return CTL_EXIT_FAILURE;
}

void
ctl_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

void
ctl_json_string (JsonBuilder *b,
                 const char  *name,
                 const char  *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

/* A score for people: three decimals, Persian digits when the output is Persian. */
static char *
ctl_format_score (double score)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *persian = NULL;
  g_autoptr(GString) text = NULL;

  g_ascii_formatd (buffer, sizeof buffer, "%.3f", score);
  if (!ctl_persian_digits ())
    return g_strdup (buffer);
  persian = payam_text_digits_to_persian (buffer);
  text = g_string_new (persian);
  g_string_replace (text, ".", "٫", 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A tracking code for people (grouped, Persian digits when the output is Persian). */
static char *
ctl_code (const char *canonical)
{
  if (ctl_persian_digits ())
    return payam_tracking_code_format (canonical);
  return g_strdup (canonical);
}

/* ---- group --auto ----------------------------------------------------------------------- */

/* A pair of open requests the candidate index found, and their text score. */
typedef struct {
  guint  a, b;    /* indexes into the request array, a created first */
  double score;
} CtlPair;

static int
ctl_pair_compare (gconstpointer x,
                  gconstpointer y)
{
  const CtlPair *p = x;
  const CtlPair *q = y;

  if (p->score != q->score)
    return p->score > q->score ? -1 : 1;
  if (p->a != q->a)
    return p->a < q->a ? -1 : 1;
  return p->b < q->b ? -1 : p->b > q->b;
}

/* Union-find over request indexes, so a dry run sees the groups a real run would make. */
static guint
ctl_find_root (GArray *parent,
               guint   i)
{
  while (g_array_index (parent, guint, i) != i)
    {
      guint up = g_array_index (parent, guint, i);

      g_array_index (parent, guint, i) = g_array_index (parent, guint, up);
      i = up;
    }
  return i;
}

static void
ctl_union (GArray *parent,
           guint   a,
           guint   b)
{
  guint ra = ctl_find_root (parent, a);
  guint rb = ctl_find_root (parent, b);

  if (ra != rb)
    g_array_index (parent, guint, MAX (ra, rb)) = MIN (ra, rb);
}

/* At most this many sure and this many review candidates are asked of the index for
 * each request. */
#define CTL_GROUP_CANDIDATES 50

/* Add to @pairs each candidate of @candidates that is an open request (in @index_of),
 * paired with request @i; each pair once (a < b). */
static void
ctl_add_pairs (GArray     *pairs,
               GHashTable *seen,
               GHashTable *index_of,
               guint       i,
               GPtrArray  *candidates)
{
  for (guint k = 0; candidates != NULL && k < candidates->len; k++)
    {
      const PayamDupCandidate *c = candidates->pdata[k];
      gpointer j;
      CtlPair pair;
      guint64 key;

      if (!g_hash_table_lookup_extended (index_of, c->id, NULL, &j))
        continue;
      pair.a = MIN (i, GPOINTER_TO_UINT (j));
      pair.b = MAX (i, GPOINTER_TO_UINT (j));
      pair.score = c->text_score;
      key = ((guint64) pair.a << 32) | pair.b;
      if (!g_hash_table_add (seen, g_memdup2 (&key, sizeof key)))
        continue;
      g_array_append_val (pairs, pair);
    }
}

/* The pairs of open requests whose text score reaches the review threshold, best first,
 * as the candidate index finds them (same or related category, near each other: see
 * payam_dup_index_query()). The score is the text score, which the thresholds apply to.
 * NULL with @error when the index cannot be built or queried. */
static GArray *
ctl_scored_pairs (PayamStore  *store,
                  GPtrArray   *requests,
                  GError     **error)
{
  g_autoptr(PayamDupIndex) index = payam_dup_index_new (store, error);
  g_autoptr(GHashTable) index_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                      NULL);
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (CtlPair));

  if (index == NULL)
    return NULL;
  for (guint i = 0; i < requests->len; i++)
    g_hash_table_insert (index_of, ((PayamRequest *) requests->pdata[i])->id,
                         GUINT_TO_POINTER (i));
  for (guint i = 0; i < requests->len; i++)
    {
      const PayamRequest *r = requests->pdata[i];
      g_autoptr(GPtrArray) sure = NULL;
      g_autoptr(GPtrArray) review = NULL;

      review = payam_dup_index_review_for_request (index, r->id, CTL_GROUP_CANDIDATES, &sure,
                                                   error);
      if (review == NULL)
        return NULL;
      ctl_add_pairs (pairs, seen, index_of, i, sure);
      ctl_add_pairs (pairs, seen, index_of, i, review);
    }
  g_array_sort (pairs, ctl_pair_compare);
  return g_steal_pointer (&pairs);
}

static gboolean
ctl_collect_open (const PayamRequest *request,
                  gpointer            user_data)
{
  if (payam_status_is_open (request->status))
    g_ptr_array_add (user_data, payam_request_copy (request));
  return TRUE;
}

static void
ctl_json_pair (JsonBuilder        *b,
               const PayamRequest *a,
               const PayamRequest *c,
               double              score)
{
  json_builder_begin_object (b);
  ctl_json_string (b, "a", a->tracking_code);
  ctl_json_string (b, "b", c->tracking_code);
  json_builder_set_member_name (b, "score");
  json_builder_add_double_value (b, score);
  json_builder_end_object (b);
}

int
ctl_cmd_group (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (
    (GDestroyNotify) payam_request_free);
  g_autoptr(GArray) pairs = NULL;
  g_autoptr(GArray) parent = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) group_root = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) merged = g_array_new (FALSE, FALSE, sizeof (CtlPair));
  g_autoptr(GArray) review = g_array_new (FALSE, FALSE, sizeof (CtlPair));
  g_autoptr(GError) error = NULL;
  gboolean automatic = FALSE;
  gboolean dry_run = FALSE;
  gboolean json = FALSE;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "auto", 0, 0, G_OPTION_ARG_NONE, &automatic,
      N_("Group the pairs at or above the automatic threshold"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Only show what would be grouped; change nothing"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Write JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Find duplicate messages among open requests, "
                                           "group the sure ones and list the ones for a "
                                           "person to review."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (!automatic || ctx->argc != 1)
    {
      ctl_print_usage_error (ctx->argv[0], _("Use “payamctl group --auto [--dry-run]”."));
      return CTL_EXIT_USAGE;
    }

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  if (!payam_store_foreach_request (store, ctl_collect_open, requests, &error))
    return ctl_fail (_("Cannot read the requests"), error);

  /* Requests already in one group start joined. */
  for (guint i = 0; i < requests->len; i++)
    {
      const PayamRequest *r = requests->pdata[i];
      gpointer root;

      g_array_append_val (parent, i);
      if (r->group_id == NULL)
        continue;
      if (g_hash_table_lookup_extended (group_root, r->group_id, NULL, &root))
        ctl_union (parent, GPOINTER_TO_UINT (root), i);
      else
        g_hash_table_insert (group_root, r->group_id, GUINT_TO_POINTER (i));
    }

  pairs = ctl_scored_pairs (store, requests, &error);
  if (pairs == NULL)
    return ctl_fail (_("Cannot find the duplicates"), error);
  for (guint i = 0; i < pairs->len; i++)
    {
      const CtlPair *pair = &g_array_index (pairs, CtlPair, i);

      if (pair->score >= PAYAM_SIMILARITY_THRESHOLD &&
          ctl_find_root (parent, pair->a) != ctl_find_root (parent, pair->b))
        {
          ctl_union (parent, pair->a, pair->b);
          g_array_append_val (merged, *pair);
        }
    }
  for (guint i = 0; i < pairs->len; i++)
    {
      const CtlPair *pair = &g_array_index (pairs, CtlPair, i);

      if (pair->score < PAYAM_SIMILARITY_THRESHOLD &&
          ctl_find_root (parent, pair->a) != ctl_find_root (parent, pair->b))
        g_array_append_val (review, *pair);
    }

  /* All groups or none: one transaction. Groups made by the machine stay proposed until
   * the office confirms them. */
  if (!dry_run && merged->len > 0)
    {
      if (!payam_store_begin (store, &error))
        return ctl_fail (_("Cannot group the requests"), error);
      for (guint i = 0; i < merged->len; i++)
        {
          const CtlPair *pair = &g_array_index (merged, CtlPair, i);
          const PayamRequest *a = requests->pdata[pair->a];
          const PayamRequest *b = requests->pdata[pair->b];
          g_autofree char *group_id = payam_store_merge (store, a->id, b->id, TRUE, &error);

          if (group_id == NULL)
            {
              payam_store_rollback (store);
              return ctl_fail (_("Cannot group the requests"), error);
            }
        }
      if (!payam_store_commit (store, &error))
        return ctl_fail (_("Cannot group the requests"), error);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "dry_run");
      json_builder_add_boolean_value (b, dry_run);
      json_builder_set_member_name (b, "threshold");
      json_builder_add_double_value (b, PAYAM_SIMILARITY_THRESHOLD);
      json_builder_set_member_name (b, "review_threshold");
      json_builder_add_double_value (b, PAYAM_SIMILARITY_REVIEW_THRESHOLD);
      json_builder_set_member_name (b, "grouped");
      json_builder_begin_array (b);
      for (guint i = 0; i < merged->len; i++)
        {
          const CtlPair *pair = &g_array_index (merged, CtlPair, i);

          ctl_json_pair (b, requests->pdata[pair->a], requests->pdata[pair->b], pair->score);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "review");
      json_builder_begin_array (b);
      for (guint i = 0; i < review->len; i++)
        {
          const CtlPair *pair = &g_array_index (review, CtlPair, i);

          ctl_json_pair (b, requests->pdata[pair->a], requests->pdata[pair->b], pair->score);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      ctl_print_json (b);
      return CTL_EXIT_OK;
    }

  for (guint i = 0; i < merged->len + review->len; i++)
    {
      gboolean sure = i < merged->len;
      const CtlPair *pair = sure ? &g_array_index (merged, CtlPair, i)
                                 : &g_array_index (review, CtlPair, i - merged->len);
      g_autofree char *a = ctl_code (((PayamRequest *) requests->pdata[pair->a])->tracking_code);
      g_autofree char *b = ctl_code (((PayamRequest *) requests->pdata[pair->b])->tracking_code);
      g_autofree char *score = ctl_format_score (pair->score);

      if (sure && dry_run)
        /* Translators: two tracking codes, then a similarity score. */
        g_print (_("Would group %s with %s (score %s)\n"), a, b, score);
      else if (sure)
        /* Translators: two tracking codes, then a similarity score. */
        g_print (_("Grouped %s with %s (score %s)\n"), a, b, score);
      else
        /* Translators: two tracking codes, then a similarity score. */
        g_print (_("To review: %s and %s (score %s)\n"), a, b, score);
    }
  {
    g_autofree char *n_merged = ctl_format_integer (merged->len);
    g_autofree char *n_review = ctl_format_integer (review->len);

    /* Translators: both %s are numbers of pairs of requests, already formatted. */
    g_print (_("Pairs grouped: %s; pairs to review: %s.\n"), n_merged, n_review);
  }
  return CTL_EXIT_OK;
}

/* ---- groups ----------------------------------------------------------------------------- */

int
ctl_cmd_groups (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  gboolean json = FALSE;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Write JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("List the duplicate groups with their members."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 1)
    {
      ctl_print_usage_error (ctx->argv[0], _("This command takes no arguments."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  groups = payam_store_list_groups (store, 2, &error);
  if (groups == NULL)
    return ctl_fail (_("Cannot read the groups"), error);

  if (!json)
    {
      for (guint i = 0; i < groups->len; i++)
        {
          const PayamGroup *group = groups->pdata[i];
          g_autoptr(GString) members = g_string_new (NULL);
          g_autofree char *n = ctl_format_integer (group->members->len);
          g_autofree char *lead = NULL;

          for (guint j = 0; j < group->members->len; j++)
            {
              const PayamRequest *m = group->members->pdata[j];
              g_autofree char *code = ctl_code (m->tracking_code);

              if (g_strcmp0 (m->id, group->lead_request_id) == 0)
                lead = g_strdup (code);
              g_string_append_printf (members, "%s%s", j > 0 ? "، " : "", code);
            }
          /* Translators: the lead's tracking code, a number of members, the priority
           * label, then the members' tracking codes. */
          g_print (_("Group led by %s: %s members, %s priority: %s\n"),
                   lead != NULL ? lead : "?", n, payam_priority_label (group->priority),
                   members->str);
        }
      return CTL_EXIT_OK;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "groups");
  json_builder_begin_array (b);
  for (guint i = 0; i < groups->len; i++)
    {
      const PayamGroup *group = groups->pdata[i];
      g_autofree char *due = ctl_format_utc (group->due_at);

      json_builder_begin_object (b);
      ctl_json_string (b, "id", group->id);
      ctl_json_string (b, "state", payam_group_state_to_string (group->state));
      ctl_json_string (b, "lead_request_id", group->lead_request_id);
      json_builder_set_member_name (b, "members");
      json_builder_begin_array (b);
      for (guint j = 0; j < group->members->len; j++)
        {
          const PayamRequest *m = group->members->pdata[j];

          json_builder_begin_object (b);
          ctl_json_string (b, "id", m->id);
          ctl_json_string (b, "tracking_code", m->tracking_code);
          ctl_json_string (b, "status", payam_status_to_string (m->status));
          json_builder_set_member_name (b, "lead");
          json_builder_add_boolean_value (b, g_strcmp0 (m->id, group->lead_request_id) == 0);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "priority");
      json_builder_add_int_value (b, group->priority);
      ctl_json_string (b, "due_at", due);
      ctl_json_string (b, "worksheet_status", group->worksheet_status);
      ctl_json_string (b, "crew_id", group->crew_id);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  ctl_print_json (b);
  return CTL_EXIT_OK;
}

/* ---- merge, split, lead ----------------------------------------------------------------- */

int
ctl_cmd_merge (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE CODE"));
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamRequest) into = NULL;
  g_autoptr(PayamRequest) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  int status = CTL_EXIT_OK;

  g_option_context_set_summary (context, _("Merge the second request, with its whole group, "
                                           "into the group of the first."));
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 3)
    {
      ctl_print_usage_error (ctx->argv[0], _("Give two tracking codes."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  into = ctl_find_request (store, ctx->argv[1]);
  if (into == NULL)
    return CTL_EXIT_FAILURE;
  other = ctl_find_request (store, ctx->argv[2]);
  if (other == NULL)
    return CTL_EXIT_FAILURE;
  group_id = payam_store_merge (store, into->id, other->id, FALSE, &error);
  if (group_id == NULL)
    return ctl_fail (_("Cannot merge the requests"), error);
  a = ctl_code (into->tracking_code);
  b = ctl_code (other->tracking_code);
  /* Translators: two tracking codes. */
  g_print (_("%s is now in the group of %s.\n"), b, a);
  return CTL_EXIT_OK;
}

/* split and lead: one tracking code and a store function of it. On success returns
 * CTL_EXIT_OK with *code the request's code for people (caller owns it). */
static int
ctl_one_request (CtlContext  *ctx,
                 const char  *summary,
                 gboolean   (*func) (PayamStore *, const char *, GError **),
                 const char  *failed,
                 char       **code)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE"));
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  int status = CTL_EXIT_OK;

  g_option_context_set_summary (context, summary);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2)
    {
      ctl_print_usage_error (ctx->argv[0], _("Give one tracking code."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  request = ctl_find_request (store, ctx->argv[1]);
  if (request == NULL)
    return CTL_EXIT_FAILURE;
  if (!func (store, request->id, &error))
    return ctl_fail (failed, error);
  *code = ctl_code (request->tracking_code);
  return CTL_EXIT_OK;
}

int
ctl_cmd_split (CtlContext *ctx)
{
  g_autofree char *code = NULL;
  int status = ctl_one_request (ctx, _("Take a request out of its group."), payam_store_split,
                                _("Cannot take the request out of its group"), &code);

  if (code != NULL)
    /* Translators: %s is a tracking code. */
    g_print (_("%s is no longer in a group.\n"), code);
  return status;
}

int
ctl_cmd_lead (CtlContext *ctx)
{
  g_autofree char *code = NULL;
  int status = ctl_one_request (ctx, _("Make a request the lead of its group."),
                                payam_store_set_group_lead, _("Cannot change the group's lead"),
                                &code);

  if (code != NULL)
    /* Translators: %s is a tracking code. */
    g_print (_("%s now leads its group.\n"), code);
  return status;
}

int
ctl_cmd_confirm (CtlContext *ctx)
{
  g_autofree char *code = NULL;
  int status = ctl_one_request (ctx, _("Confirm the proposed group of a request."),
                                payam_store_confirm_group, _("Cannot confirm the group"),
                                &code);

  if (code != NULL)
    /* Translators: %s is a tracking code. */
    g_print (_("The group of %s is confirmed.\n"), code);
  return status;
}
