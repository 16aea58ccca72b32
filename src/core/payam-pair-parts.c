/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parts of a pair's score: features gathered by what staff read, with their shares. */
#define G_LOG_DOMAIN "payam-pair"
#include "config.h"

#include <math.h>

#include "payam-pair-parts.h"

PayamPairPart
payam_pair_feature_part (PayamPairFeature feature)
{
  switch (feature)
    {
    case PAYAM_PAIR_F_TEXT:
    case PAYAM_PAIR_F_CHAR_COSINE:
    case PAYAM_PAIR_F_WORD_COSINE:
    case PAYAM_PAIR_F_LENGTH_RATIO:
      return PAYAM_PAIR_PART_TEXT;
    case PAYAM_PAIR_F_NUMBERS_SHARED:
    case PAYAM_PAIR_F_NUMBERS_CLOSE:
    case PAYAM_PAIR_F_NUMBERS_CONFLICT:
      return PAYAM_PAIR_PART_NUMBERS;
    case PAYAM_PAIR_F_NEGATION_DIFFERS:
    case PAYAM_PAIR_F_POLARITY_CONFLICT:
    case PAYAM_PAIR_F_NEGATION_CONFLICT:
      return PAYAM_PAIR_PART_NEGATION;
    case PAYAM_PAIR_F_BOTH_LOCATED:
    case PAYAM_PAIR_F_NEAR:
    case PAYAM_PAIR_F_SAME_STREET:
    case PAYAM_PAIR_F_OTHER_STREET:
    case PAYAM_PAIR_F_SAME_LANDMARK:
    case PAYAM_PAIR_F_PLACE_UNKNOWN:
    case PAYAM_PAIR_F_TEXT_NEAR:
    case PAYAM_PAIR_F_PLACE_IN_TEXT:
      return PAYAM_PAIR_PART_PLACE;
    case PAYAM_PAIR_F_SAME_CATEGORY:
    case PAYAM_PAIR_F_RELATED_CATEGORY:
      return PAYAM_PAIR_PART_CATEGORY;
    case PAYAM_PAIR_F_LOG_DAYS:
    case PAYAM_PAIR_F_OVER_14_DAYS:
      return PAYAM_PAIR_PART_TIME;
    case PAYAM_PAIR_F_PHOTOS_CLOSE:
    case PAYAM_PAIR_F_PHOTOS_FAR:
      return PAYAM_PAIR_PART_PHOTOS;
    case PAYAM_PAIR_N_FEATURES:
    default:
      break;
    }
  g_return_val_if_reached (PAYAM_PAIR_PART_MODEL);
}

const char *
payam_pair_part_name (PayamPairPart part)
{
  static const char *const names[PAYAM_PAIR_N_PARTS] = {
    "text", "place", "category", "time", "photos", "numbers", "negation", "model",
  };

  g_return_val_if_fail (part < PAYAM_PAIR_N_PARTS, NULL);
  return names[part];
}

/**
 * payam_pair_parts_compute:
 *
 * See payam-pair-parts.h. The features' shares come from the model's weights
 * (payam_pair_model_get_weight()); what the linear score has beyond them is the intercept
 * and the trees, which no single feature owns.
 */
void
payam_pair_parts_compute (const PayamPairModel *model,
                          const PayamPairSide  *a,
                          const PayamPairSide  *b,
                          PayamPairParts       *out)
{
  double owned = 0.0;

  g_return_if_fail (a != NULL && a->text != NULL);
  g_return_if_fail (b != NULL && b->text != NULL);
  g_return_if_fail (out != NULL);

  if (model == NULL)
    model = payam_pair_model_get_default ();
  *out = (PayamPairParts) { 0 };
  payam_pair_features (a, b, out->features);
  out->linear = payam_pair_model_linear (model, out->features);
  out->probability = payam_pair_model_calibrate (model, out->linear);
  for (guint f = 0; f < PAYAM_PAIR_N_FEATURES; f++)
    {
      double share = payam_pair_model_get_weight (model, f) * out->features[f];

      out->parts[payam_pair_feature_part (f)] += share;
      owned += share;
    }
  out->parts[PAYAM_PAIR_PART_MODEL] = out->linear - owned;

  out->text_similarity = out->features[PAYAM_PAIR_F_TEXT];
  out->distance_m = a->has_location && b->has_location
                    ? payam_pair_distance_m (a->lat, a->lon, b->lat, b->lon) : -1.0;
  out->days_apart = fabs ((double) (a->created - b->created)) / 86400.0;
  out->photo_bits = -1;
  for (guint i = 0; i < a->n_photo_hashes; i++)
    for (guint j = 0; j < b->n_photo_hashes; j++)
      {
        int d = (int) payam_pair_hash_distance (a->photo_hashes[i], b->photo_hashes[j]);

        if (out->photo_bits < 0 || d < out->photo_bits)
          out->photo_bits = d;
      }
  out->same_category = out->features[PAYAM_PAIR_F_SAME_CATEGORY] > 0.5;
  out->related_category = out->features[PAYAM_PAIR_F_RELATED_CATEGORY] > 0.5;
  out->numbers_conflict = out->features[PAYAM_PAIR_F_NUMBERS_CONFLICT] > 0.5;
  out->negation_differs = out->features[PAYAM_PAIR_F_NEGATION_DIFFERS] > 0.5;
  out->polarity_conflict = out->features[PAYAM_PAIR_F_POLARITY_CONFLICT] > 0.5;
  out->negation_conflict = out->features[PAYAM_PAIR_F_NEGATION_CONFLICT] > 0.5;
}
