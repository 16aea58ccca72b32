/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The duplicate pair model: loading the fitted weights and calibration, scoring a pair. */
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
};

void
payam_pair_model_free (PayamPairModel *model)
{
  if (model == NULL)
    return;
  g_free (model->knot_x);
  g_free (model->knot_y);
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

/* The numbers of member @name of @object into a new array of *n doubles, or NULL. */
static double *
read_numbers (JsonObject *object,
              const char *name,
              guint      *n)
{
  JsonArray *array;
  double *out;

  if (!json_object_has_member (object, name) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, name)))
    return NULL;
  array = json_object_get_array_member (object, name);
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
  return TRUE;
}

/**
 * payam_pair_model_new_from_data:
 * @json: a model file as written by bench/duplicates/train-pair-model.py
 * @length: its length, or -1 when NUL-terminated
 *
 * Checks that the file's feature list is exactly this build's (names and order), that
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
