/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Why the pair model scored a pair as it did: its features gathered into the parts staff
 * read (text, place, category, time, photos, numbers, negation) with what each added. */
#pragma once

#include "payam-pair-model.h"

G_BEGIN_DECLS

/* The parts of a pair's score. Each feature belongs to exactly one part
 * (payam_pair_feature_part()); PAYAM_PAIR_PART_MODEL is what belongs to no single feature:
 * the model's intercept and its trees (interactions of text, place and time). */
typedef enum {
  PAYAM_PAIR_PART_TEXT,      /* text, character and word similarity, length ratio */
  PAYAM_PAIR_PART_PLACE,     /* distance, street, landmark, text near in place */
  PAYAM_PAIR_PART_CATEGORY,  /* same or related category */
  PAYAM_PAIR_PART_TIME,      /* the time gap */
  PAYAM_PAIR_PART_PHOTOS,    /* photo hashes close or far */
  PAYAM_PAIR_PART_NUMBERS,   /* plate, alley, pole numbers shared or in conflict */
  PAYAM_PAIR_PART_NEGATION,  /* negation, opposite states, a verb negated */
  PAYAM_PAIR_PART_MODEL,
  PAYAM_PAIR_N_PARTS
} PayamPairPart;

/* What made one pair's score. */
typedef struct {
  double   features[PAYAM_PAIR_N_FEATURES];
  /* Each part's share of the linear score (log-odds): the sum of weight · feature over its
   * features; for PAYAM_PAIR_PART_MODEL the intercept plus the trees. The parts add up to
   * @linear. */
  double   parts[PAYAM_PAIR_N_PARTS];
  double   linear;          /* payam_pair_model_linear() */
  double   probability;     /* payam_pair_model_probability(): calibrated, in [0, 1] */
  double   text_similarity; /* the feature PAYAM_PAIR_F_TEXT, in [0, 1] */
  double   distance_m;      /* metres between the two points, −1 when either has none */
  double   days_apart;      /* |Δt| in days */
  int      photo_bits;      /* fewest differing dHash bits over two photos, −1: not both */
  gboolean same_category;
  gboolean related_category;
  gboolean numbers_conflict;  /* numbers of one kind far apart */
  gboolean negation_differs;  /* one negates, the other not */
  gboolean polarity_conflict; /* opposite state words */
  gboolean negation_conflict; /* one negates what the other states */
} PayamPairParts;

PayamPairPart payam_pair_feature_part (PayamPairFeature      feature);
/* "text", "place", "category", "time", "photos", "numbers", "negation", "model". */
const char   *payam_pair_part_name    (PayamPairPart         part);

/* The parts of the pair (@a, @b) under @model (NULL: the default model) into @out. The
 * same features, score and probability as payam_pair_features() and
 * payam_pair_model_probability() give. */
void          payam_pair_parts_compute (const PayamPairModel *model,
                                        const PayamPairSide  *a,
                                        const PayamPairSide  *b,
                                        PayamPairParts       *out);

G_END_DECLS
