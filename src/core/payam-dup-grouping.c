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
  GArray     *members;  /* of guint */
  guint       lead;
  gboolean    existing; /* holds an existing group: never merged with another such */
  guint       version;
  GHashTable *links;    /* other cluster + 1 → double * sum of known probabilities */
} Cluster;

typedef struct {
  double link;
  guint  a, b;
  guint  va, vb;
} Link;

static void
cluster_clear (gpointer data)
{
  Cluster *c = data;

  g_clear_pointer (&c->members, g_array_unref);
  g_clear_pointer (&c->links, g_hash_table_unref);
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

/* A max-heap of links between clusters, on the mean probability. */
static void
heap_push (GArray *heap,
           Link    link)
{
  Link *h;
  guint i;

  g_array_set_size (heap, heap->len + 1);
  h = (Link *) (gpointer) heap->data;
  for (i = heap->len - 1; i > 0 && h[(i - 1) / 2].link < link.link; i = (i - 1) / 2)
    h[i] = h[(i - 1) / 2];
  h[i] = link;
}

static Link
heap_pop (GArray *heap)
{
  Link *h = (Link *) (gpointer) heap->data, top = h[0], last = h[heap->len - 1];
  guint i = 0, n = heap->len - 1;

  for (;;)
    {
      guint c = 2 * i + 1;

      if (c >= n)
        break;
      if (c + 1 < n && h[c + 1].link > h[c].link)
        c++;
      if (h[c].link <= last.link)
        break;
      h[i] = h[c];
      i = c;
    }
  h[i] = last;
  g_array_set_size (heap, n);
  return top;
}

static double *
link_sum (Cluster *c,
          guint    other,
          gboolean create)
{
  double *sum = g_hash_table_lookup (c->links, GUINT_TO_POINTER (other + 1));

  if (sum == NULL && create)
    {
      sum = g_new0 (double, 1);
      g_hash_table_insert (c->links, GUINT_TO_POINTER (other + 1), sum);
    }
  return sum;
}

static void
push_link (GArray  *heap,
           GArray  *clusters,
           guint    a,
           guint    b,
           double   sum)
{
  Cluster *ca = &g_array_index (clusters, Cluster, a), *cb = &g_array_index (clusters, Cluster, b);
  Link l = { sum / ((double) ca->members->len * cb->members->len), a, b, ca->version, cb->version };

  heap_push (heap, l);
}

/* Cluster @b joins cluster @a: members, lead (an existing group's, else the earlier), the
 * link sums to every neighbour. */
static void
merge_clusters (GArray *clusters,
                int    *cluster_of,
                GArray *heap,
                guint   a,
                guint   b)
{
  Cluster *ca = &g_array_index (clusters, Cluster, a), *cb = &g_array_index (clusters, Cluster, b);
  GHashTableIter iter;
  gpointer key, value;

  for (guint m = 0; m < cb->members->len; m++)
    {
      guint item = g_array_index (cb->members, guint, m);

      g_array_append_val (ca->members, item);
      cluster_of[item] = (int) a;
    }
  if (cb->existing || (!ca->existing && cb->lead < ca->lead))
    ca->lead = cb->lead;
  ca->existing |= cb->existing;
  g_hash_table_remove (ca->links, GUINT_TO_POINTER (b + 1));
  g_hash_table_iter_init (&iter, cb->links);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint other = GPOINTER_TO_UINT (key) - 1;
      Cluster *co = &g_array_index (clusters, Cluster, other);

      if (other == a)
        continue;
      *link_sum (ca, other, TRUE) += *(double *) value;
      *link_sum (co, a, TRUE) += *(double *) value;
      g_hash_table_remove (co->links, GUINT_TO_POINTER (b + 1));
    }
  g_array_set_size (cb->members, 0);
  g_hash_table_remove_all (cb->links);
  cb->version++;
  ca->version++;
  g_hash_table_iter_init (&iter, ca->links);
  while (g_hash_table_iter_next (&iter, &key, &value))
    push_link (heap, clusters, a, GPOINTER_TO_UINT (key) - 1, *(double *) value);
}

/* The lead a cluster of @x and @y would have. */
static guint
merged_lead (const Cluster *x,
             const Cluster *y)
{
  if (x->existing)
    return x->lead;
  if (y->existing)
    return y->lead;
  return MIN (x->lead, y->lead);
}

/**
 * payam_dup_grouping_plan:
 *
 * See payam-dup-grouping.h. Average linkage: clusters start as the existing groups and
 * the single items; the two clusters whose pairs have the highest mean probability (a
 * pair not known counts 0) merge while that mean reaches @auto_threshold, unless both
 * hold an existing group or the result would pass the lead's size limit. Each item that
 * ends in a cluster of two or more outside an existing group joins the cluster's lead.
 * Pairs at or above @review_threshold that did not end in one cluster go to @reviews,
 * sorted best first.
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
  g_autoptr(GArray) heap = g_array_new (FALSE, FALSE, sizeof (Link));
  g_autofree int *cluster_of = g_new (int, MAX (n_items, 1));
  g_autoptr(GHashTable) probability = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                             g_free, g_free);
  g_autofree PayamDupPair *sorted = g_new (PayamDupPair, MAX (n_pairs, 1));

  g_return_if_fail (joins != NULL && reviews != NULL);

  g_array_set_clear_func (clusters, cluster_clear);
  for (guint g = 0; g < n_groups + n_items; g++)
    {
      Cluster c = { g_array_new (FALSE, FALSE, sizeof (guint)), g < n_groups ? lead_of_group[g]
                                                                            : g - n_groups,
                    g < n_groups, 0,
                    g_hash_table_new_full (NULL, NULL, NULL, g_free) };

      g_array_append_val (clusters, c);
    }
  for (guint i = 0; i < n_items; i++)
    {
      cluster_of[i] = group_of != NULL && group_of[i] >= 0 && (guint) group_of[i] < n_groups
                      ? group_of[i] : (int) (n_groups + i);
      g_array_append_val (g_array_index (clusters, Cluster, cluster_of[i]).members, i);
    }
  /* Each pair once, with the higher probability when both directions were asked. */
  for (guint k = 0; k < n_pairs; k++)
    {
      guint64 key = pair_key (pairs[k].a, pairs[k].b);
      double *old = g_hash_table_lookup (probability, &key);

      if (pairs[k].a == pairs[k].b || pairs[k].a >= n_items || pairs[k].b >= n_items)
        continue;
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
        guint a = (guint) (k >> 32), b = (guint) (k & 0xffffffffu);
        double p = *(double *) value;

        sorted[n_pairs].a = a;
        sorted[n_pairs].b = b;
        sorted[n_pairs].probability = p;
        n_pairs++;
        if (cluster_of[a] != cluster_of[b])
          {
            *link_sum (&g_array_index (clusters, Cluster, cluster_of[a]), cluster_of[b], TRUE) += p;
            *link_sum (&g_array_index (clusters, Cluster, cluster_of[b]), cluster_of[a], TRUE) += p;
          }
      }
  }
  qsort (sorted, n_pairs, sizeof (PayamDupPair), compare_pairs_desc);
  for (guint c = 0; c < clusters->len; c++)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, g_array_index (clusters, Cluster, c).links);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (GPOINTER_TO_UINT (key) - 1 > c)
          push_link (heap, clusters, c, GPOINTER_TO_UINT (key) - 1, *(double *) value);
    }

  while (heap->len > 0)
    {
      Link l = heap_pop (heap);
      Cluster *x = &g_array_index (clusters, Cluster, l.a), *y = &g_array_index (clusters, Cluster, l.b);
      guint lead, limit;

      if (l.link < auto_threshold)
        break;
      if (x->version != l.va || y->version != l.vb || (x->existing && y->existing))
        continue;
      lead = merged_lead (x, y);
      limit = limit_of != NULL ? limit_of[lead] : PAYAM_DUP_GROUP_MIN_LIMIT;
      if (x->members->len + y->members->len > limit)
        continue;
      if (x->members->len >= y->members->len)
        merge_clusters (clusters, cluster_of, heap, l.a, l.b);
      else
        merge_clusters (clusters, cluster_of, heap, l.b, l.a);
    }

  for (guint c = 0; c < clusters->len; c++)
    {
      const Cluster *x = &g_array_index (clusters, Cluster, c);

      if (x->members->len < 2)
        continue;
      for (guint m = 0; m < x->members->len; m++)
        {
          guint item = g_array_index (x->members, guint, m);
          double sum = 0.0;

          if (item == x->lead || (group_of != NULL && group_of[item] >= 0 &&
                                  (guint) group_of[item] < n_groups))
            continue;
          for (guint o = 0; o < x->members->len; o++)
            if (o != m)
              sum += known (probability, item, g_array_index (x->members, guint, o));
          add_decision (joins, item, x->lead, sum / (x->members->len - 1), PAYAM_DUP_REVIEW_MAYBE);
        }
    }

  for (guint k = 0; k < n_pairs && sorted[k].probability >= review_threshold; k++)
    {
      guint a = MIN (sorted[k].a, sorted[k].b), b = MAX (sorted[k].a, sorted[k].b);
      const Cluster *x = &g_array_index (clusters, Cluster, cluster_of[a]);
      const Cluster *y = &g_array_index (clusters, Cluster, cluster_of[b]);
      PayamDupReviewReason reason = PAYAM_DUP_REVIEW_MAYBE;

      if (x == y)
        continue;
      if (sorted[k].probability >= auto_threshold)
        {
          guint lead = merged_lead (x, y);
          guint limit = limit_of != NULL ? limit_of[lead] : PAYAM_DUP_GROUP_MIN_LIMIT;

          if (x->existing && y->existing)
            reason = PAYAM_DUP_REVIEW_TWO_GROUPS;
          else if (x->members->len + y->members->len > limit)
            reason = PAYAM_DUP_REVIEW_GROUP_LARGE;
          else
            reason = PAYAM_DUP_REVIEW_NOT_WHOLE;
        }
      add_decision (reviews, b, a, sorted[k].probability, reason);
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
