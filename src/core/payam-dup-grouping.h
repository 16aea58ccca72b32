/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Automatic duplicate grouping without chaining, and the office's review list of maybe-duplicates. */
#pragma once

#include "payam-dup-index.h"

G_BEGIN_DECLS

/* A group reaches this many members before "unusually large" is judged from the groups of
 * its category and neighbourhood (twice their mean size). */
#define PAYAM_DUP_GROUP_MIN_LIMIT 8

/* Why a pair is on the review list rather than grouped. */
typedef enum {
  PAYAM_DUP_REVIEW_MAYBE,        /* probability in the review band */
  PAYAM_DUP_REVIEW_NOT_WHOLE,    /* sure as a pair, but not with the other's group as a whole */
  PAYAM_DUP_REVIEW_TWO_GROUPS,   /* both are already in groups: never merged automatically */
  PAYAM_DUP_REVIEW_GROUP_LARGE,  /* the group is unusually large for its category and area */
} PayamDupReviewReason;

/* One pair in the plan: indexes into the items (a before b), its probability. */
typedef struct {
  guint  a;
  guint  b;
  double probability;
} PayamDupPair;

/* One decision: join @item to the group of @into (for a new group: @into leads it), or
 * review the pair (@item, @into) for @reason. */
typedef struct {
  guint                item;
  guint                into;
  double               probability;
  PayamDupReviewReason reason;        /* reviews only */
} PayamDupDecision;

/* The plan over @n_items items: @group_of[i] is the existing group of item i (-1 for
 * none; members of one group share a number), @lead_of_group[g] its lead item;
 * @limit_of[i] the size limit of a group led by item i. @pairs (any order) carry the
 * probabilities that are known; a pair not listed counts as "not the same" (0). Average
 * linkage that cannot chain: starting from the existing groups and single items, the two
 * clusters whose pairs have the highest mean probability merge while that mean over
 * **all** their cross pairs reaches @auto_threshold, so a request or a group joins another
 * only when it matches it as a whole, never through one member. Two clusters that both
 * hold an existing group never merge; a merge that would pass the size limit of the
 * result's lead (the existing group's, else the earlier item) is not made. Each item of
 * a cluster of two or more that is not already in its existing group joins the cluster's
 * lead (appended to @joins in the order to apply, with its mean probability with the
 * other members). Pairs at or above @review_threshold whose items end apart go to
 * @reviews: two existing groups, over the limit, not with the whole cluster, or the band
 * (maybe). */
void payam_dup_grouping_plan (guint               n_items,
                              const int          *group_of,
                              const guint        *lead_of_group,
                              guint               n_groups,
                              const guint        *limit_of,
                              const PayamDupPair *pairs,
                              guint               n_pairs,
                              double              auto_threshold,
                              double              review_threshold,
                              GArray             *joins,
                              GArray             *reviews);

/* What automatic grouping proposes for the open requests of a store. */
typedef struct {
  GPtrArray *requests;  /* PayamRequest, the open ones in creation order; decisions index it */
  GArray    *joins;     /* PayamDupDecision: merge item into the group of into (proposed) */
  GArray    *reviews;   /* PayamDupDecision: the office's review list, best first */
  double     auto_threshold;
  double     review_threshold;
} PayamDupProposal;

void payam_dup_proposal_free (PayamDupProposal *proposal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamDupProposal, payam_dup_proposal_free)

/* Ask @index for the candidates of every open request of @store (as of its own creation
 * time) and plan with the pair model's thresholds (payam_pair_model_get_default()). The
 * size limit of a group is PAYAM_DUP_GROUP_MIN_LIMIT or twice the mean size of the
 * existing groups of the lead's category and neighbourhood, whichever is larger. Changes
 * nothing. NULL with @error when the store or the index fails. */
PayamDupProposal *payam_dup_grouping_propose (PayamStore     *store,
                                              PayamDupIndex  *index,
                                              GError        **error);

/* Apply the joins of @proposal in one transaction; every group made or grown stays
 * proposed until the office confirms it. On error nothing is written. */
gboolean          payam_dup_grouping_apply   (PayamStore             *store,
                                              const PayamDupProposal *proposal,
                                              GError                **error);

G_END_DECLS
