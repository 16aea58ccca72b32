/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The duplicate pair model: loading the fitted weights, trees and calibration, scoring a pair. */
#define G_LOG_DOMAIN "payam-pair"
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "payam-core-resources.h"
#include "payam-pair-model.h"

#define MODEL_PATH "/ir/payam/Payam/core/data/pair-model.json"
#define MAX_KNOTS  4096
#define MAX_NODES  65536
/* A tree node's input PAYAM_PAIR_N_FEATURES is the text score: text_score · features. */
#define TEXT_SCORE_INPUT PAYAM_PAIR_N_FEATURES

/* One node of a regression tree: an inner node sends a pair to @left when its input is at
 * most @threshold, else to @right (both later in the array); a leaf (@feature −1) adds
 * @value to the score. */
typedef struct {
  int    feature;
  double threshold;
  guint  left;
  guint  right;
  double value;
} TreeNode;

G_DEFINE_QUARK (payam-pair-model-error-quark, payam_pair_model_error)

struct _PayamPairModel
{
  double  weights[PAYAM_PAIR_N_FEATURES];
  double  intercept;
  double *knot_x;      /* linear scores, strictly increasing */
  double *knot_y;      /* probabilities, non-decreasing, in [0, 1] */
  guint   n_knots;
  double  auto_threshold;
  double  review_threshold;
  /* The highest linear score of a pair whose texts contradict each other (numbers of one
   * kind far apart, a negated verb the other states, opposite states): its probability
   * stays below the automatic threshold whatever place, category and time say, so such a
   * pair goes to review at most. INFINITY when the file has none. */
  double  conflict_cap;
  /* Boosted trees added to the linear score (none in a purely linear model). */
  double    text_score[PAYAM_PAIR_N_FEATURES];
  TreeNode *nodes;
  guint     n_nodes;
  guint    *roots;
  guint     n_roots;
};

void
payam_pair_model_free (PayamPairModel *model)
{
  if (model == NULL)
    return;
  g_free (model->knot_x);
  g_free (model->knot_y);
  g_free (model->nodes);
  g_free (model->roots);
  g_free (model);
}

static gboolean
invalid (GError    **error,
         const char *what)
{
  g_set_error (error, PAYAM_PAIR_MODEL_ERROR, PAYAM_PAIR_MODEL_ERROR_INVALID,
               /* Translators: %s says what is wrong, in English (a developer's message). */
               _("The duplicate model file is not usable: %s."), what);
  return FALSE;
}

/* The numbers of @array into a new array of *@n doubles, or NULL when one is not a finite
 * number. */
static double *
array_numbers (JsonArray *array,
               guint     *n)
{
  double *out;

  *n = json_array_get_length (array);
  out = g_new0 (double, MAX (*n, 1));
  for (guint i = 0; i < *n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_free (out);
          return NULL;
        }
      out[i] = json_node_get_double (node);
      if (!isfinite (out[i]))
        {
          g_free (out);
          return NULL;
        }
    }
  return out;
}

/* The numbers of member @name of @object into a new array of *n doubles, or NULL. */
static double *
read_numbers (JsonObject *object,
              const char *name,
              guint      *n)
{
  if (!json_object_has_member (object, name) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, name)))
    return NULL;
  return array_numbers (json_object_get_array_member (object, name), n);
}

/* The optional "trees" member: {"text_score": [N numbers], "roots": [node indexes],
 * "nodes": [[feature, threshold, left, right, value], …]}. Every child comes after its
 * parent, so scoring ends; inputs are features or the text score. */
static gboolean
read_trees (PayamPairModel  *model,
            JsonObject      *root,
            GError         **error)
{
  JsonObject *trees;
  JsonArray *nodes;
  g_autofree double *text_score = NULL;
  g_autofree double *roots = NULL;
  guint n = 0;

  if (!json_object_has_member (root, "trees"))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "trees")))
    return invalid (error, "trees not an object");
  trees = json_object_get_object_member (root, "trees");
  text_score = read_numbers (trees, "text_score", &n);
  if (text_score == NULL || n != PAYAM_PAIR_N_FEATURES)
    return invalid (error, "the trees' text score missing or of the wrong length");
  memcpy (model->text_score, text_score, sizeof model->text_score);
  if (!json_object_has_member (trees, "nodes") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (trees, "nodes")))
    return invalid (error, "no tree nodes");
  nodes = json_object_get_array_member (trees, "nodes");
  model->n_nodes = json_array_get_length (nodes);
  if (model->n_nodes == 0 || model->n_nodes > MAX_NODES)
    return invalid (error, "too few or too many tree nodes");
  model->nodes = g_new0 (TreeNode, model->n_nodes);
  for (guint i = 0; i < model->n_nodes; i++)
    {
      JsonNode *element = json_array_get_element (nodes, i);
      g_autofree double *v = NULL;
      TreeNode *node = &model->nodes[i];

      if (JSON_NODE_HOLDS_ARRAY (element))
        v = array_numbers (json_node_get_array (element), &n);
      if (v == NULL || n != 5 || v[0] != floor (v[0]) || v[0] < -1 ||
          v[0] > TEXT_SCORE_INPUT)
        return invalid (error, "a tree node is not [feature, threshold, left, right, value]");
      node->feature = (int) v[0];
      node->threshold = v[1];
      node->value = v[4];
      if (node->feature >= 0)
        {
          if (v[2] != floor (v[2]) || v[3] != floor (v[3]) || v[2] <= i || v[3] <= i ||
              v[2] >= model->n_nodes || v[3] >= model->n_nodes)
            return invalid (error, "a tree node's children are not after it");
          node->left = (guint) v[2];
          node->right = (guint) v[3];
        }
    }
  roots = read_numbers (trees, "roots", &n);
  if (roots == NULL || n == 0)
    return invalid (error, "no tree roots");
  model->n_roots = n;
  model->roots = g_new0 (guint, n);
  for (guint i = 0; i < n; i++)
    {
      if (roots[i] != floor (roots[i]) || roots[i] < 0 || roots[i] >= model->n_nodes)
        return invalid (error, "a tree root outside the nodes");
      model->roots[i] = (guint) roots[i];
    }
  return TRUE;
}

static gboolean
read_model (PayamPairModel  *model,
            JsonObject      *root,
            GError         **error)
{
  JsonArray *names;
  g_autofree double *weights = NULL;
  JsonObject *calibration;
  guint n = 0, nx = 0, ny = 0;

  if (!json_object_has_member (root, "features") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "features")))
    return invalid (error, "no feature list");
  names = json_object_get_array_member (root, "features");
  if (json_array_get_length (names) != PAYAM_PAIR_N_FEATURES)
    return invalid (error, "its features are not this build's");
  for (guint i = 0; i < PAYAM_PAIR_N_FEATURES; i++)
    if (g_strcmp0 (json_array_get_string_element (names, i), payam_pair_feature_name (i)) != 0)
      return invalid (error, "its features are not this build's");

  weights = read_numbers (root, "weights", &n);
  if (weights == NULL || n != PAYAM_PAIR_N_FEATURES)
    return invalid (error, "weights missing or of the wrong length");
  memcpy (model->weights, weights, sizeof model->weights);
  if (!json_object_has_member (root, "intercept") ||
      !isfinite (model->intercept = json_object_get_double_member (root, "intercept")))
    return invalid (error, "no intercept");

  if (!read_trees (model, root, error))
    return FALSE;

  if (!json_object_has_member (root, "calibration") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "calibration")))
    return invalid (error, "no calibration");
  calibration = json_object_get_object_member (root, "calibration");
  model->knot_x = read_numbers (calibration, "linear", &nx);
  model->knot_y = read_numbers (calibration, "probability", &ny);
  if (model->knot_x == NULL || model->knot_y == NULL || nx != ny || nx < 2 || nx > MAX_KNOTS)
    return invalid (error, "calibration knots missing or unequal");
  model->n_knots = nx;
  for (guint i = 0; i < nx; i++)
    {
      if (model->knot_y[i] < 0.0 || model->knot_y[i] > 1.0)
        return invalid (error, "a calibrated probability outside [0, 1]");
      if (i > 0 && (model->knot_x[i] <= model->knot_x[i - 1] ||
                    model->knot_y[i] < model->knot_y[i - 1]))
        return invalid (error, "the calibration is not monotone");
    }

  if (!json_object_has_member (root, "auto_threshold") ||
      !json_object_has_member (root, "review_threshold"))
    return invalid (error, "no thresholds");
  model->auto_threshold = json_object_get_double_member (root, "auto_threshold");
  model->review_threshold = json_object_get_double_member (root, "review_threshold");
  if (!(model->review_threshold > 0.0 && model->review_threshold <= model->auto_threshold &&
        model->auto_threshold <= 1.0))
    return invalid (error, "thresholds out of order");
  model->conflict_cap = INFINITY;
  if (json_object_has_member (root, "conflict_cap"))
    {
      model->conflict_cap = json_object_get_double_member (root, "conflict_cap");
      if (!isfinite (model->conflict_cap) ||
          payam_pair_model_calibrate (model, model->conflict_cap) >= model->auto_threshold)
        return invalid (error, "the conflict cap does not keep a pair below the automatic threshold");
    }
  return TRUE;
}

/**
 * payam_pair_model_new_from_data:
 * @json: a model file as written by bench/duplicates/train-pair-model.py
 * @length: its length, or -1 when NUL-terminated
 *
 * Checks that the file's feature list is exactly this build's (names and order), that
 * its trees (if any) are well formed (every child after its parent, inputs known), that
 * the calibration knots increase and their probabilities never decrease, and that the
 * thresholds are ordered. Returns: (transfer full): the model, or NULL with
 * PAYAM_PAIR_MODEL_ERROR_INVALID.
 */
PayamPairModel *
payam_pair_model_new_from_data (const char  *json,
                                gssize       length,
                                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PayamPairModel) model = g_new0 (PayamPairModel, 1);
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      invalid (error, local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid (error, "not a JSON object");
      return NULL;
    }
  if (!read_model (model, json_node_get_object (root), error))
    return NULL;
  return g_steal_pointer (&model);
}

/**
 * payam_pair_model_get_default:
 *
 * The model of src/core/data/pair-model.json, loaded once. A build whose model file does
 * not match its features is a packaging error: it aborts at first use, so every test
 * catches it.
 */
const PayamPairModel *
payam_pair_model_get_default (void)
{
  static PayamPairModel *model;

  if (g_once_init_enter (&model))
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      PayamPairModel *loaded;
      gsize size;
      const char *data;

      bytes = g_resource_lookup_data (payam_core_get_resource (), MODEL_PATH,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes == NULL)
        g_error ("pair model: %s", error->message);
      data = g_bytes_get_data (bytes, &size);
      loaded = payam_pair_model_new_from_data (data, (gssize) size, &error);
      if (loaded == NULL)
        g_error ("pair model: %s", error->message);
      g_once_init_leave (&model, loaded);
    }
  return model;
}

double
payam_pair_model_linear (const PayamPairModel *model,
                         const double         *features)
{
  double z;

  g_return_val_if_fail (model != NULL, 0.0);
  g_return_val_if_fail (features != NULL, 0.0);

  z = model->intercept;
  for (guint i = 0; i < PAYAM_PAIR_N_FEATURES; i++)
    z += model->weights[i] * features[i];
  if (model->n_roots > 0)
    {
      double text_score = 0.0;

      for (guint i = 0; i < PAYAM_PAIR_N_FEATURES; i++)
        text_score += model->text_score[i] * features[i];
      for (guint t = 0; t < model->n_roots; t++)
        {
          const TreeNode *node = &model->nodes[model->roots[t]];

          while (node->feature >= 0)
            {
              double x = node->feature == TEXT_SCORE_INPUT ? text_score : features[node->feature];

              /* NaN goes right, as nowhere in training. */
              node = &model->nodes[x <= node->threshold ? node->left : node->right];
            }
          z += node->value;
        }
    }
  if (features[PAYAM_PAIR_F_NUMBERS_CONFLICT] > 0.0 ||
      features[PAYAM_PAIR_F_NEGATION_CONFLICT] > 0.0 ||
      features[PAYAM_PAIR_F_POLARITY_CONFLICT] > 0.0)
    z = MIN (z, model->conflict_cap);
  return z;
}

/**
 * payam_pair_model_calibrate:
 *
 * The calibration map: linear interpolation between the knots, constant beyond the
 * first and the last. Non-decreasing in @linear because the knots are (checked at load).
 */
double
payam_pair_model_calibrate (const PayamPairModel *model,
                            double                linear)
{
  guint lo = 0, hi;

  g_return_val_if_fail (model != NULL, 0.0);

  hi = model->n_knots - 1;
  if (isnan (linear) || linear <= model->knot_x[0])
    return model->knot_y[0];
  if (linear >= model->knot_x[hi])
    return model->knot_y[hi];
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (model->knot_x[mid] <= linear)
        lo = mid;
      else
        hi = mid;
    }
  return model->knot_y[lo] + (model->knot_y[hi] - model->knot_y[lo]) *
         (linear - model->knot_x[lo]) / (model->knot_x[hi] - model->knot_x[lo]);
}

double
payam_pair_model_probability (const PayamPairModel *model,
                              const double         *features)
{
  return payam_pair_model_calibrate (model, payam_pair_model_linear (model, features));
}

double
payam_pair_model_get_auto_threshold (const PayamPairModel *model)
{
  g_return_val_if_fail (model != NULL, 1.0);
  return model->auto_threshold;
}

double
payam_pair_model_get_review_threshold (const PayamPairModel *model)
{
  g_return_val_if_fail (model != NULL, 1.0);
  return model->review_threshold;
}

double
payam_pair_model_get_weight (const PayamPairModel *model,
                             PayamPairFeature      feature)
{
  g_return_val_if_fail (model != NULL, 0.0);
  g_return_val_if_fail (feature < PAYAM_PAIR_N_FEATURES, 0.0);
  return model->weights[feature];
}
