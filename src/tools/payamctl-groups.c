/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl group, groups, merge, split, lead, worksheet and timeline: duplicate groups. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "payam-dup-index.h"
#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-similarity.h"
#include "payam-store-groups.h"
#include "payam-store-worksheets.h"
#include "payam-text.h"
#include "payam-tracking.h"
#include "payamctl-private.h"

/* ---- shared --------------------------------------------------------------------------- */

/* The request named by @arg: a request id (UUID) or a tracking code in any digit form.
 * Prints the error and returns NULL when there is none. */
static PayamRequest *
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

/* Print @error's message prefixed by what failed; returns CTL_EXIT_FAILURE. */
static int
ctl_fail (const char *what,
          GError     *error)
{
  g_autofree char *message = g_strdup_printf ("%s: %s", what, error->message);

  ctl_print_error (message);
  return CTL_EXIT_FAILURE;
}

static void
ctl_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
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
                   lead != NULL ? lead : "?", n, ctl_priority_label (group->priority),
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

/* ---- worksheet -------------------------------------------------------------------------- */

int
ctl_cmd_worksheet (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE"));
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *kind_text = NULL;
  g_autofree char *note = NULL;
  g_autofree char *crew = NULL;
  g_autofree char *role_text = NULL;
  g_auto(GStrv) photo_files = NULL;
  g_autofree char *action = NULL;
  PayamActionKind kind = PAYAM_ACTION_NOTE;
  PayamRole role = PAYAM_ROLE_OFFICE;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_text,
      N_("What was done: note, assign, start, photo, done or not_possible"), N_("KIND") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note,
      N_("A note; the reason for not_possible"), N_("TEXT") },
    { "photo", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &photo_files,
      N_("An evidence photo (may be repeated)"), N_("FILE") },
    { "crew", 0, 0, G_OPTION_ARG_STRING, &crew,
      N_("The crew to assign (made when new)"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text,
      N_("Who acts: office (the default) or crew"), N_("ROLE") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Record work on the worksheet of a request's group, "
                                           "once for every member."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2 || kind_text == NULL || !payam_action_kind_from_string (kind_text, &kind) ||
      (kind == PAYAM_ACTION_ASSIGN) != (crew != NULL) ||
      (role_text != NULL && (!payam_role_from_string (role_text, &role) ||
                             role == PAYAM_ROLE_KIOSK)))
    {
      ctl_print_usage_error (ctx->argv[0], _("Give one tracking code and --kind; --crew goes "
                                             "with --kind assign only, --role is office or "
                                             "crew."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  request = ctl_find_request (store, ctx->argv[1]);
  if (request == NULL)
    return CTL_EXIT_FAILURE;

  if (kind == PAYAM_ACTION_ASSIGN)
    {
      g_autofree char *crew_id = payam_store_find_crew (store, crew, NULL);

      if (crew_id == NULL)
        crew_id = payam_store_add_crew (store, crew, request->neighbourhood, &error);
      if (crew_id == NULL || !payam_store_assign_crew (store, request->id, crew_id, &error))
        return ctl_fail (_("Cannot assign the crew"), error);
      return CTL_EXIT_OK;
    }

  for (gsize i = 0; photo_files != NULL && photo_files[i] != NULL; i++)
    {
      g_autoptr(PayamPhoto) photo = payam_photo_import_file (photo_files[i], &error);

      if (photo == NULL || !payam_store_add_photo (store, photo, &error))
        return ctl_fail (_("Cannot add the photo"), error);
      g_ptr_array_add (photos, g_strdup (photo->sha256));
    }
  g_ptr_array_add (photos, NULL);

  {
    PayamActionDraft draft = {
      .kind = kind,
      .note = note,
      .photos = (const char * const *) photos->pdata,
    };

    action = payam_store_add_action (store, request->id, &draft, role, &error);
  }
  if (action == NULL)
    return ctl_fail (_("Cannot record the work"), error);
  g_print ("%s\n", action);
  return CTL_EXIT_OK;
}

/* ---- timeline --------------------------------------------------------------------------- */

static const char *
ctl_timeline_kind (PayamTimelineKind kind)
{
  switch (kind)
    {
    case PAYAM_TIMELINE_REGISTERED:
      return "registered";
    case PAYAM_TIMELINE_MERGED:
      return "merged";
    case PAYAM_TIMELINE_SPLIT:
      return "split";
    case PAYAM_TIMELINE_ASSIGNED:
      return "assigned";
    case PAYAM_TIMELINE_ACTION:
      return "action";
    case PAYAM_TIMELINE_STATUS:
      return "status";
    case PAYAM_TIMELINE_NOTICE:
      return "notice";
    default:
      return "?";
    }
}

/* A notice's state for people. */
static const char *
ctl_notice_state_label (const char *state)
{
  if (g_strcmp0 (state, "sent") == 0)
    return C_("notice state", "sent");
  if (g_strcmp0 (state, "failed") == 0)
    return C_("notice state", "failed");
  return C_("notice state", "pending");
}

/* The kind of a worksheet action for people. */
static const char *
ctl_action_label (PayamActionKind kind)
{
  switch (kind)
    {
    case PAYAM_ACTION_NOTE:
      return C_("worksheet action", "Note");
    case PAYAM_ACTION_ASSIGN:
      return C_("worksheet action", "Crew assigned");
    case PAYAM_ACTION_START:
      return C_("worksheet action", "Work started");
    case PAYAM_ACTION_PHOTO:
      return C_("worksheet action", "Photo");
    case PAYAM_ACTION_DONE:
      return C_("worksheet action", "Work done");
    case PAYAM_ACTION_NOT_POSSIBLE:
      return C_("worksheet action", "Work not possible");
    default:
      return "?";
    }
}

/* One line for people describing @e. Caller owns it. */
static char *
ctl_timeline_line (const PayamTimelineEntry *e)
{
  switch (e->kind)
    {
    case PAYAM_TIMELINE_REGISTERED:
      return g_strdup (C_("timeline", "Registered"));
    case PAYAM_TIMELINE_MERGED:
      return g_strdup (_("Joined a group of duplicate messages"));
    case PAYAM_TIMELINE_SPLIT:
      return g_strdup (_("Taken out of its group"));
    case PAYAM_TIMELINE_ASSIGNED:
      /* Translators: %s is the name of a field crew. */
      return g_strdup_printf (_("Crew assigned: %s"), e->text != NULL ? e->text : "");
    case PAYAM_TIMELINE_ACTION:
      {
        GString *line = g_string_new (ctl_action_label (e->action));
        guint n = g_strv_length (e->photos);

        if (e->text != NULL)
          g_string_append_printf (line, ": %s", e->text);
        if (n > 0)
          {
            g_autofree char *count = ctl_format_integer (n);

            g_string_append_c (line, ' ');
            g_string_append_printf (line,
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 /* Translators: %s is a number, formatted. */
                                                 "(%s photo)", "(%s photos)", n),
                                    count);
          }
        return g_string_free (line, FALSE);
      }
    case PAYAM_TIMELINE_STATUS:
      /* Translators: two request statuses. */
      return g_strdup_printf (_("Status: %s → %s"), payam_status_label (e->from),
                              payam_status_label (e->status));
    case PAYAM_TIMELINE_NOTICE:
      /* Translators: the notice's state (pending, sent, failed), then its text. */
      return g_strdup_printf (_("Notice (%s): %s"), ctl_notice_state_label (e->notice_state),
                              e->text);
    default:
      return g_strdup ("?");
    }
}

int
ctl_cmd_timeline (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE"));
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  gboolean json = FALSE;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Write JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Show what happened to a request, including the "
                                           "work done once for its whole group."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
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
  timeline = payam_store_list_timeline (store, request->id, &error);
  if (timeline == NULL)
    return ctl_fail (_("Cannot read the timeline"), error);

  if (!json)
    {
      for (guint i = 0; i < timeline->len; i++)
        {
          const PayamTimelineEntry *e = timeline->pdata[i];
          g_autofree char *when = payam_format_date_time (e->at);
          g_autofree char *line = ctl_timeline_line (e);

          g_print ("%s  %s%s\n", when, line, e->for_group ? _(" (for the whole group)") : "");
        }
      return CTL_EXIT_OK;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  ctl_json_string (b, "tracking_code", request->tracking_code);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  for (guint i = 0; i < timeline->len; i++)
    {
      const PayamTimelineEntry *e = timeline->pdata[i];
      g_autofree char *at = ctl_format_utc (e->at);

      json_builder_begin_object (b);
      ctl_json_string (b, "kind", ctl_timeline_kind (e->kind));
      ctl_json_string (b, "at", at);
      json_builder_set_member_name (b, "for_group");
      json_builder_add_boolean_value (b, e->for_group);
      if (e->kind == PAYAM_TIMELINE_ACTION || e->kind == PAYAM_TIMELINE_ASSIGNED)
        ctl_json_string (b, "action", payam_action_kind_to_string (e->action));
      if (e->kind == PAYAM_TIMELINE_STATUS)
        {
          ctl_json_string (b, "from", payam_status_to_string (e->from));
          ctl_json_string (b, "status", payam_status_to_string (e->status));
        }
      if (e->kind == PAYAM_TIMELINE_NOTICE)
        {
          ctl_json_string (b, "state", e->notice_state);
          ctl_json_string (b, "channel", e->channel);
        }
      ctl_json_string (b, "text", e->text);
      ctl_json_string (b, "actor", e->actor);
      if (e->photos != NULL)
        {
          json_builder_set_member_name (b, "photos");
          json_builder_begin_array (b);
          for (gsize j = 0; e->photos[j] != NULL; j++)
            json_builder_add_string_value (b, e->photos[j]);
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  ctl_print_json (b);
  return CTL_EXIT_OK;
}
