/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Automatic duplicate grouping that cannot chain, and the office's review list of maybe-duplicates. */
#define G_LOG_DOMAIN "payam-dup-index"
#include "config.h"

#include <math.h>

#include "payam-dup-grouping.h"
#include "payam-dup-index-private.h"
#include "payam-lifecycle.h"
#include "payam-pair-model.h"
#include "payam-store-groups.h"

/* Candidates asked of the index for each open request. */
#define CANDIDATES 50

static guint64
pair_key (guint a,
          guint b)
{
  return (guint64) MIN (a, b) << 32 | MAX (a, b);
}

static int
compare_pairs_desc (gconstpointer x,
                    gconstpointer y)
{
  const PayamDupPair *p = x, *q = y;

  if (p->probability != q->probability)
    return p->probability > q->probability ? -1 : 1;
  if (p->a != q->a)
    return p->a < q->a ? -1 : 1;
  return (p->b > q->b) - (p->b < q->b);
}

static int
compare_decisions_desc (gconstpointer x,
                        gconstpointer y)
{
  const PayamDupDecision *p = x, *q = y;

  if (p->probability != q->probability)
    return p->probability > q->probability ? -1 : 1;
  if (p->into != q->into)
    return p->into < q->into ? -1 : 1;
  return (p->item > q->item) - (p->item < q->item);
}

typedef struct {
  GArray  *members; /* of guint */
  guint    lead;
} Cluster;

static void
cluster_clear (gpointer data)
{
  g_clear_pointer (&((Cluster *) data)->members, g_array_unref);
}

static double
known (GHashTable *probability,
       guint       a,
       guint       b)
{
  guint64 key = pair_key (a, b);
  double *p = g_hash_table_lookup (probability, &key);

  return p != NULL ? *p : 0.0;
}

static void
add_decision (GArray               *to,
              guint                 item,
              guint                 into,
              double                probability,
              PayamDupReviewReason  reason)
{
  PayamDupDecision d = { item, into, probability, reason };

  g_array_append_val (to, d);
}

/**
 * payam_dup_grouping_plan:
 *
 * See payam-dup-grouping.h. Clusters start as the existing groups; each pair at or above
 * @auto_threshold, best first, either forms a group of two singles, lets a single join a
 * group it matches as a whole, or goes to review. The review band's pairs that did not end
 * in one group go to review last. @reviews is sorted best first.
 */
void
payam_dup_grouping_plan (guint               n_items,
                         const int          *group_of,
                         const guint        *lead_of_group,
                         guint               n_groups,
                         const guint        *limit_of,
                         const PayamDupPair *pairs,
                         guint               n_pairs,
                         double              auto_threshold,
                         double              review_threshold,
                         GArray             *joins,
                         GArray             *reviews)
{
  g_autoptr(GArray) clusters = g_array_new (FALSE, TRUE, sizeof (Cluster));
  g_autofree int *cluster_of = g_new (int, MAX (n_items, 1));
  g_autoptr(GHashTable) probability = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                             g_free, g_free);
  g_autofree PayamDupPair *sorted = g_memdup2 (pairs, sizeof (PayamDupPair) * MAX (n_pairs, 1));

  g_return_if_fail (joins != NULL && reviews != NULL);

  g_array_set_clear_func (clusters, cluster_clear);
  for (guint g = 0; g < n_groups; g++)
    {
      Cluster c = { g_array_new (FALSE, FALSE, sizeof (guint)), lead_of_group[g] };

      g_array_append_val (clusters, c);
    }
  for (guint i = 0; i < n_items; i++)
    {
      cluster_of[i] = group_of != NULL && group_of[i] >= 0 && (guint) group_of[i] < n_groups
                      ? group_of[i] : -1;
      if (cluster_of[i] >= 0)
        g_array_append_val (g_array_index (clusters, Cluster, cluster_of[i]).members, i);
    }
  /* Each pair once, with the higher probability when both directions were asked. */
  for (guint k = 0; k < n_pairs; k++)
    {
      guint64 key = pair_key (pairs[k].a, pairs[k].b);
      double *old = g_hash_table_lookup (probability, &key);

      if (old == NULL)
        g_hash_table_insert (probability, g_memdup2 (&key, sizeof key),
                             g_memdup2 (&pairs[k].probability, sizeof (double)));
      else
        *old = MAX (*old, pairs[k].probability);
    }
  {
    GHashTableIter iter;
    gpointer key, value;

    n_pairs = 0;
    g_hash_table_iter_init (&iter, probability);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        guint64 k = *(guint64 *) key;

        sorted[n_pairs].a = (guint) (k >> 32);
        sorted[n_pairs].b = (guint) (k & 0xffffffffu);
        sorted[n_pairs].probability = *(double *) value;
        n_pairs++;
      }
  }
  qsort (sorted, n_pairs, sizeof (PayamDupPair), compare_pairs_desc);

  for (guint k = 0; k < n_pairs && sorted[k].probability >= auto_threshold; k++)
    {
      guint a = MIN (sorted[k].a, sorted[k].b), b = MAX (sorted[k].a, sorted[k].b);
      double p = sorted[k].probability;
      int ca = cluster_of[a], cb = cluster_of[b];
      guint single, member;
      Cluster *c;
      guint agree = 0;

      if (a == b || a >= n_items || b >= n_items || (ca >= 0 && ca == cb))
        continue;
      if (ca < 0 && cb < 0)
        {
          Cluster fresh = { g_array_new (FALSE, FALSE, sizeof (guint)), a };

          g_array_append_val (fresh.members, a);
          g_array_append_val (fresh.members, b);
          g_array_append_val (clusters, fresh);
          cluster_of[a] = cluster_of[b] = (int) clusters->len - 1;
          add_decision (joins, b, a, p, PAYAM_DUP_REVIEW_MAYBE);
          continue;
        }
      if (ca >= 0 && cb >= 0)
        {
          add_decision (reviews, b, a, p, PAYAM_DUP_REVIEW_TWO_GROUPS);
          continue;
        }
      single = ca < 0 ? a : b;
      member = ca < 0 ? b : a;
      c = &g_array_index (clusters, Cluster, cluster_of[member]);
      if (c->members->len >= (limit_of != NULL ? limit_of[c->lead] : PAYAM_DUP_GROUP_MIN_LIMIT))
        {
          add_decision (reviews, single, c->lead, p, PAYAM_DUP_REVIEW_GROUP_LARGE);
          continue;
        }
      for (guint m = 0; m < c->members->len; m++)
        agree += known (probability, single, g_array_index (c->members, guint, m))
                 >= auto_threshold;
      if (known (probability, single, c->lead) < auto_threshold || 2 * agree <= c->members->len)
        {
          add_decision (reviews, single, member, p, PAYAM_DUP_REVIEW_NOT_WHOLE);
          continue;
        }
      g_array_append_val (c->members, single);
      cluster_of[single] = cluster_of[member];
      add_decision (joins, single, c->lead, p, PAYAM_DUP_REVIEW_MAYBE);
    }

  for (guint k = 0; k < n_pairs; k++)
    {
      guint a = MIN (sorted[k].a, sorted[k].b), b = MAX (sorted[k].a, sorted[k].b);

      if (sorted[k].probability >= auto_threshold || sorted[k].probability < review_threshold ||
          a == b || b >= n_items)
        continue;
      if (cluster_of[a] >= 0 && cluster_of[a] == cluster_of[b])
        continue;
      add_decision (reviews, b, a, sorted[k].probability, PAYAM_DUP_REVIEW_MAYBE);
    }
  g_array_sort (reviews, compare_decisions_desc);
}

void
payam_dup_proposal_free (PayamDupProposal *proposal)
{
  if (proposal == NULL)
    return;
  g_clear_pointer (&proposal->requests, g_ptr_array_unref);
  g_clear_pointer (&proposal->joins, g_array_unref);
  g_clear_pointer (&proposal->reviews, g_array_unref);
  g_free (proposal);
}

static gboolean
collect_open (const PayamRequest *request,
              gpointer            user_data)
{
  if (payam_status_is_open (request->status))
    g_ptr_array_add (user_data, payam_request_copy (request));
  return TRUE;
}

/* The existing groups of @requests: group numbers into @group_of, leads (item indexes;
 * the earliest open member when the lead is not open) into @leads, and each item's size
 * limit into @limit_of. */
static gboolean
existing_groups (PayamStore  *store,
                 GPtrArray   *requests,
                 int         *group_of,
                 GArray      *leads,
                 guint       *limit_of,
                 GError     **error)
{
  g_autoptr(GHashTable) number_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) index_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GArray) group_size = g_array_new (FALSE, TRUE, sizeof (guint));

  for (guint i = 0; i < requests->len; i++)
    g_hash_table_insert (index_of, ((PayamRequest *) requests->pdata[i])->id,
                         GUINT_TO_POINTER (i));
  for (guint i = 0; i < requests->len; i++)
    {
      const PayamRequest *r = requests->pdata[i];
      gpointer number;

      group_of[i] = -1;
      if (r->group_id == NULL)
        continue;
      if (!g_hash_table_lookup_extended (number_of, r->group_id, NULL, &number))
        {
          g_autoptr(PayamGroup) group = payam_store_get_group (store, r->group_id, error);
          gpointer lead;
          guint l = i;

          if (group == NULL)
            return FALSE;
          if (g_hash_table_lookup_extended (index_of, group->lead_request_id, NULL, &lead))
            l = GPOINTER_TO_UINT (lead);
          number = GUINT_TO_POINTER (leads->len);
          g_array_append_val (leads, l);
          g_array_set_size (group_size, leads->len);
          g_hash_table_insert (number_of, r->group_id, number);
        }
      group_of[i] = (int) GPOINTER_TO_UINT (number);
      g_array_index (group_size, guint, group_of[i])++;
    }

  /* Sum and count of group sizes per category and neighbourhood. */
  for (guint g = 0; g < leads->len; g++)
    {
      const PayamRequest *lead = requests->pdata[g_array_index (leads, guint, g)];
      g_autofree char *key = g_strdup_printf ("%s\n%s", lead->category,
                                              lead->neighbourhood != NULL ? lead->neighbourhood : "");
      double *acc = g_hash_table_lookup (sizes, key);

      if (acc == NULL)
        {
          acc = g_new0 (double, 2);
          g_hash_table_insert (sizes, g_steal_pointer (&key), acc);
        }
      acc[0] += g_array_index (group_size, guint, g);
      acc[1] += 1.0;
    }
  for (guint i = 0; i < requests->len; i++)
    {
      const PayamRequest *r = requests->pdata[i];
      g_autofree char *key = g_strdup_printf ("%s\n%s", r->category,
                                              r->neighbourhood != NULL ? r->neighbourhood : "");
      double *acc = g_hash_table_lookup (sizes, key);

      limit_of[i] = PAYAM_DUP_GROUP_MIN_LIMIT;
      if (acc != NULL && acc[1] > 0)
        limit_of[i] = MAX (limit_of[i], (guint) ceil (2.0 * acc[0] / acc[1]));
    }
  return TRUE;
}

/**
 * payam_dup_grouping_propose:
 *
 * See payam-dup-grouping.h. Each open request is asked for as of its creation time
 * (_payam_dup_index_request_query(), as the review does), so the probabilities are the
 * ones the office sees for it.
 */
PayamDupProposal *
payam_dup_grouping_propose (PayamStore     *store,
                            PayamDupIndex  *index,
                            GError        **error)
{
  g_autoptr(PayamDupProposal) proposal = g_new0 (PayamDupProposal, 1);
  g_autoptr(GHashTable) index_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (PayamDupPair));
  g_autoptr(GArray) leads = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree int *group_of = NULL;
  g_autofree guint *limit_of = NULL;
  const PayamPairModel *model = payam_pair_model_get_default ();
  GPtrArray *requests;

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);
  g_return_val_if_fail (PAYAM_IS_DUP_INDEX (index), NULL);

  proposal->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_request_free);
  proposal->joins = g_array_new (FALSE, FALSE, sizeof (PayamDupDecision));
  proposal->reviews = g_array_new (FALSE, FALSE, sizeof (PayamDupDecision));
  proposal->auto_threshold = payam_pair_model_get_auto_threshold (model);
  proposal->review_threshold = payam_pair_model_get_review_threshold (model);
  requests = proposal->requests;
  if (!payam_store_foreach_request (store, collect_open, requests, error))
    return NULL;
  group_of = g_new (int, MAX (requests->len, 1));
  limit_of = g_new (guint, MAX (requests->len, 1));
  if (!existing_groups (store, requests, group_of, leads, limit_of, error))
    return NULL;

  for (guint i = 0; i < requests->len; i++)
    g_hash_table_insert (index_of, ((PayamRequest *) requests->pdata[i])->id,
                         GUINT_TO_POINTER (i));
  for (guint i = 0; i < requests->len; i++)
    {
      g_autoptr(GArray) hashes = g_array_new (FALSE, FALSE, sizeof (guint64));
      g_autoptr(GPtrArray) found = NULL;
      PayamDupQuery query = { 0 };

      if (!_payam_dup_index_request_query (index, requests->pdata[i], &query, hashes, error))
        return NULL;
      query.limit = CANDIDATES;
      found = payam_dup_index_query (index, &query, error);
      if (found == NULL)
        return NULL;
      for (guint k = 0; k < found->len; k++)
        {
          const PayamDupCandidate *c = found->pdata[k];
          gpointer j;
          PayamDupPair pair;

          if (c->probability < proposal->review_threshold ||
              !g_hash_table_lookup_extended (index_of, c->id, NULL, &j))
            continue;
          pair.a = MIN (i, GPOINTER_TO_UINT (j));
          pair.b = MAX (i, GPOINTER_TO_UINT (j));
          pair.probability = c->probability;
          g_array_append_val (pairs, pair);
        }
    }

  payam_dup_grouping_plan (requests->len, group_of, (const guint *) (gpointer) leads->data,
                           leads->len, limit_of, (const PayamDupPair *) (gpointer) pairs->data,
                           pairs->len, proposal->auto_threshold, proposal->review_threshold,
                           proposal->joins, proposal->reviews);
  return g_steal_pointer (&proposal);
}

/**
 * payam_dup_grouping_apply:
 *
 * See payam-dup-grouping.h. Each join is payam_store_merge() of the item into the group
 * of its lead, proposed, inside one outer transaction.
 */
gboolean
payam_dup_grouping_apply (PayamStore             *store,
                          const PayamDupProposal *proposal,
                          GError                **error)
{
  g_return_val_if_fail (PAYAM_IS_STORE (store), FALSE);
  g_return_val_if_fail (proposal != NULL, FALSE);

  if (proposal->joins->len == 0)
    return TRUE;
  if (!payam_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < proposal->joins->len; i++)
    {
      const PayamDupDecision *d = &g_array_index (proposal->joins, PayamDupDecision, i);
      const PayamRequest *into = proposal->requests->pdata[d->into];
      const PayamRequest *item = proposal->requests->pdata[d->item];
      g_autofree char *group_id = payam_store_merge (store, into->id, item->id, TRUE, error);

      if (group_id == NULL)
        {
          payam_store_rollback (store);
          return FALSE;
        }
    }
  return payam_store_commit (store, error);
}
