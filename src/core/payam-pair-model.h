/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The duplicate pair model: features of two messages and a calibrated probability that they report one problem. */
#pragma once

#include <glib.h>

#include "payam-similarity.h"

G_BEGIN_DECLS

#define PAYAM_PAIR_MODEL_ERROR (payam_pair_model_error_quark ())

typedef enum {
  PAYAM_PAIR_MODEL_ERROR_INVALID, /* the model file is not a pair model of this build */
} PayamPairModelError;

GQuark payam_pair_model_error_quark (void);

/* The features of a pair, in the order of the model file's "features" list. Every one is
 * computed by payam_pair_features() and only there: the trainer reads them from
 * `bench-pair-features`, never recomputes them. */
typedef enum {
  PAYAM_PAIR_F_TEXT,            /* payam_text_signature_score() */
  PAYAM_PAIR_F_CHAR_COSINE,     /* character-trigram cosine */
  PAYAM_PAIR_F_WORD_COSINE,     /* stemmed-word cosine */
  /* Numbers are compared kind with kind (plate, alley, pole, other: the word before). */
  PAYAM_PAIR_F_NUMBERS_SHARED,  /* 1: both texts have a number of one kind and share it */
  PAYAM_PAIR_F_NUMBERS_CLOSE,   /* 1: none shared, two of one kind within 10 */
  PAYAM_PAIR_F_NUMBERS_CONFLICT,/* 1: every two of one kind more than 10 apart */
  PAYAM_PAIR_F_NEGATION_DIFFERS,/* 1: one text negates (نه، نیست، نمی…) and the other not */
  PAYAM_PAIR_F_POLARITY_CONFLICT, /* 1: opposite state words (خاموش/روشن، باز/بسته …) */
  PAYAM_PAIR_F_BOTH_LOCATED,    /* 1: both have coordinates */
  PAYAM_PAIR_F_NEAR,            /* exp(−d / 150 m) when both have coordinates, else 0 */
  PAYAM_PAIR_F_SAME_STREET,     /* 1: both name a street and it is the same */
  PAYAM_PAIR_F_OTHER_STREET,    /* 1: both name a street and they differ */
  PAYAM_PAIR_F_SAME_LANDMARK,   /* 1: both name a landmark and it is the same */
  PAYAM_PAIR_F_PLACE_UNKNOWN,   /* 1: nothing but the neighbourhood to compare */
  PAYAM_PAIR_F_SAME_CATEGORY,
  PAYAM_PAIR_F_RELATED_CATEGORY,/* related (categories.json) or either is "other" */
  PAYAM_PAIR_F_LOG_DAYS,        /* ln(1 + |Δt| in days) */
  PAYAM_PAIR_F_OVER_14_DAYS,    /* 1: more than two weeks apart */
  PAYAM_PAIR_F_TEXT_NEAR,       /* text · place closeness (near, or 0.6 same street/landmark) */
  PAYAM_PAIR_F_PHOTOS_CLOSE,    /* 1: both have photos and two are within 10 bits (dHash) */
  PAYAM_PAIR_F_PHOTOS_FAR,      /* 1: both have photos and every two differ by over 20 bits */
  PAYAM_PAIR_F_LENGTH_RATIO,    /* words of the shorter text / words of the longer (0 if empty) */
  PAYAM_PAIR_F_NEGATION_CONFLICT, /* 1: one text negates a verb the other states after the
                                   * same word (قطع میشود / قطع نمیشود، کج است / کج نیست) */
  PAYAM_PAIR_F_PLACE_IN_TEXT,   /* 1: one side's street (without خیابان، کوچه …) or landmark is
                                 * named, every word of it, in the other's text */
  PAYAM_PAIR_N_FEATURES
} PayamPairFeature;

/* What one message's text brings to a pair, prepared once: its signature under a corpus
 * model, the numbers in it and its negation and state words. */
typedef struct _PayamPairText PayamPairText;

PayamPairText *payam_pair_text_new  (const PayamSimilarityModel *model,
                                     const char                 *text);
void           payam_pair_text_free (PayamPairText              *text);
const PayamTextSignature *payam_pair_text_get_signature (const PayamPairText *text);
/* The numbers of the text, each as its kind, a colon and its ASCII digits without leading
 * zeros ("p:12" a plate, "a:" an alley, "t:" a pole, "n:" other), sorted, NULL-terminated. */
const char * const *payam_pair_text_get_numbers (const PayamPairText *text);
gboolean       payam_pair_text_negates (const PayamPairText *text);
/* The verbs the text negates, each with the word before it and without its negation
 * ("قطع میشود" for "قطع نمیشود", "کج است" for "کج نیست"), sorted, NULL-terminated. */
const char * const *payam_pair_text_get_negated (const PayamPairText *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamPairText, payam_pair_text_free)

/* One side of a pair. Borrowed; NULL or "" means not given. */
typedef struct {
  const PayamPairText *text;          /* required */
  const char          *category;
  const char          *neighbourhood;
  const char          *street;
  const char          *landmark;
  gboolean             has_location;
  double               lat;
  double               lon;
  gboolean             categories_related; /* either side: the two categories are related */
  gint64               created;       /* Unix seconds */
  const guint64       *photo_hashes;  /* dHash of each photo (payam_photo_dhash()) */
  guint                n_photo_hashes;
} PayamPairSide;

const char *payam_pair_feature_name (PayamPairFeature feature);

/* Fill @out with the PAYAM_PAIR_N_FEATURES features of the pair (@a, @b); symmetric. */
void        payam_pair_features     (const PayamPairSide *a,
                                     const PayamPairSide *b,
                                     double              *out);

/* Great-circle distance in metres between two points (degrees). */
double      payam_pair_distance_m    (double lat1,
                                      double lon1,
                                      double lat2,
                                      double lon2);

/* Bits in which two 64-bit photo hashes differ. */
guint       payam_pair_hash_distance (guint64 a,
                                      guint64 b);

/* A fitted model: logistic weights over the features, optionally boosted regression trees
 * added to that score (interactions of text, place and time), and a monotone calibration
 * map from the score to a probability, with the decision thresholds chosen on held-out
 * data. */
typedef struct _PayamPairModel PayamPairModel;

PayamPairModel       *payam_pair_model_new_from_data   (const char            *json,
                                                        gssize                 length,
                                                        GError               **error);
/* The model built in (src/core/data/pair-model.json); never NULL. */
const PayamPairModel *payam_pair_model_get_default     (void);
void                  payam_pair_model_free            (PayamPairModel        *model);
/* The model's raw score: w · features + b, plus the trees' leaves when it has trees. */
double                payam_pair_model_linear          (const PayamPairModel  *model,
                                                        const double          *features);
/* The calibrated probability that the pair reports one problem: the calibration map of
 * the linear score, non-decreasing in it, in [0, 1]. */
double                payam_pair_model_probability     (const PayamPairModel  *model,
                                                        const double          *features);
double                payam_pair_model_calibrate       (const PayamPairModel  *model,
                                                        double                 linear);
/* The linear weight of @feature (what one unit of it adds to the linear score). */
double                payam_pair_model_get_weight      (const PayamPairModel  *model,
                                                        PayamPairFeature       feature);
/* Pairs at or above this probability are grouped automatically (proposed groups). */
double                payam_pair_model_get_auto_threshold   (const PayamPairModel *model);
/* Pairs at or above this and below the automatic threshold go to the review list. */
double                payam_pair_model_get_review_threshold (const PayamPairModel *model);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamPairModel, payam_pair_model_free)

G_END_DECLS
