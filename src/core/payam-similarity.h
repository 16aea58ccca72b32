/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text similarity of short Persian messages: corpus statistics, prepared signatures, a score in [0, 1]. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The product's decision: two messages whose score is at least this describe the same
 * problem (decision 1 of `payamctl similarity`). Chosen by measurement: the F1-best
 * threshold on the tuning half of the human-labelled Persian pairs, with document
 * frequencies from the same tuning texts (bench/duplicates/bench-similarity-eval). */
#define PAYAM_SIMILARITY_THRESHOLD        0.105

/* Pairs scoring at least this (and below PAYAM_SIMILARITY_THRESHOLD) are worth a person's
 * look: the highest score that still reaches 90 % of the tuning half's true pairs. Both
 * thresholds hold for a model with corpus frequencies (the store's texts); the built-in
 * model alone scores higher and decides worse (bench/duplicates/README.md). */
#define PAYAM_SIMILARITY_REVIEW_THRESHOLD 0.045

/* Document-frequency statistics of a corpus of messages (the store's open and recent
 * requests), used to weight shared character grams and words: rare ones count more.
 * Starts with a small built-in prior that marks greeting and politeness formulas, words
 * of location and the gazetteer's place names as common. Not thread-safe for writing; scoring only reads it. */
typedef struct _PayamSimilarityModel PayamSimilarityModel;

/* One feature of a prepared text: a gram id (a hash of a character trigram or of a
 * stemmed word) and its weight in the text's unit-length vector. */
typedef struct {
  guint32 id;
  float   weight;
} PayamSignatureGram;

/* A text prepared for scoring against many others: its normalised form turned into two
 * sparse unit vectors (character trigrams and words) sorted by gram id. Weights reflect
 * the model at the time of preparation. */
typedef struct _PayamTextSignature PayamTextSignature;

PayamSimilarityModel       *payam_similarity_model_new             (void);
void                        payam_similarity_model_free            (PayamSimilarityModel       *model);
const PayamSimilarityModel *payam_similarity_model_get_default     (void);
void                        payam_similarity_model_add_document    (PayamSimilarityModel       *model,
                                                                    const char                 *text);
void                        payam_similarity_model_remove_document (PayamSimilarityModel       *model,
                                                                    const char                 *text);
void                        payam_similarity_model_add_common_text (PayamSimilarityModel       *model,
                                                                    const char                 *text);
guint                       payam_similarity_model_get_n_documents (const PayamSimilarityModel *model);

double                      payam_similarity_score                 (const PayamSimilarityModel *model,
                                                                    const char                 *a,
                                                                    const char                 *b);
gboolean                    payam_similarity_is_duplicate          (double                      score);

PayamTextSignature         *payam_text_signature_new               (const PayamSimilarityModel *model,
                                                                    const char                 *text);
PayamTextSignature         *payam_text_signature_copy              (const PayamTextSignature   *signature);
void                        payam_text_signature_free              (PayamTextSignature         *signature);
const PayamSignatureGram   *payam_text_signature_get_char_grams    (const PayamTextSignature   *signature,
                                                                    guint                      *n_grams);
const PayamSignatureGram   *payam_text_signature_get_word_grams    (const PayamTextSignature   *signature,
                                                                    guint                      *n_grams);
gboolean                    payam_text_signature_is_empty          (const PayamTextSignature   *signature);
double                      payam_text_signature_score             (const PayamTextSignature   *a,
                                                                    const PayamTextSignature   *b);
void                        payam_text_signature_score_parts       (const PayamTextSignature   *a,
                                                                    const PayamTextSignature   *b,
                                                                    double                     *char_cosine,
                                                                    double                     *word_cosine);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamSimilarityModel, payam_similarity_model_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamTextSignature, payam_text_signature_free)

G_END_DECLS
