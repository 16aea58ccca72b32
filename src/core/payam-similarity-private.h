/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals of the similarity scorer shared by its two files, and the design knobs the benchmark compares. */
#pragma once

#include "payam-similarity.h"

G_BEGIN_DECLS

/* Where character trigrams come from. */
typedef enum {
  PAYAM_GRAMS_PER_WORD,     /* " word " padded one word at a time */
  PAYAM_GRAMS_ACROSS_WORDS, /* " the whole text ", trigrams span spaces */
  PAYAM_GRAMS_COMPACT,      /* the text with its spaces removed */
} PayamGramMode;

/* One design of the scorer. The product uses _payam_similarity_default_params(); the
 * benchmark builds models with other values to compare designs on the same data. */
typedef struct {
  double   char_weight;    /* share of the character-trigram cosine; the rest is words */
  double   char_idf_power; /* trigram weight = (1 + ln tf) · idf^power */
  double   word_idf_power; /* word weight = (1 + ln tf) · idf^power */
  PayamGramMode gram_mode; /* where character trigrams come from */
  gboolean stem;           /* light Persian suffix stripping of words */
  gboolean join_affixes;   /* "زباله ها", "می شود": separated affixes joined to the word */
  gboolean filler_prior;   /* greetings, formulas, location words, place names are common */
  gboolean grammar_prior;  /* the commonest grammatical words are common too */
} PayamSimilarityParams;

const PayamSimilarityParams *_payam_similarity_default_params        (void);
PayamTextSignature          *_payam_text_signature_new_prepared      (const PayamSimilarityModel  *model,
                                                                      const char                  *text,
                                                                      char                       **prepared);
PayamSimilarityModel        *_payam_similarity_model_new_with_params (const PayamSimilarityParams *params);

/* payam-similarity-features.c */
char                        *_payam_similarity_prepare_text          (const PayamSimilarityParams *params,
                                                                      const char                  *text);
void                         _payam_similarity_collect_char_ids      (const PayamSimilarityParams *params,
                                                                      const char                  *norm,
                                                                      GArray                      *ids);
void                         _payam_similarity_collect_word_ids      (const PayamSimilarityParams *params,
                                                                      const char                  *norm,
                                                                      GArray                      *ids);
void                         _payam_similarity_sort_ids              (GArray                      *ids,
                                                                      gboolean                     unique);
guint64                      _payam_similarity_hash_text             (const char                  *text);
char                        *_payam_similarity_stem                  (const char                  *word);
const GPtrArray             *_payam_similarity_prior_texts           (gboolean                     grammar);

G_END_DECLS
