/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamCategory and PayamPlace: copying and freeing configuration records. */
#define G_LOG_DOMAIN "payam-category"
#include "config.h"

#include "payam-category.h"

/* A deep copy of @category (NULL gives NULL); free with payam_category_free(). */
PayamCategory *
payam_category_copy (const PayamCategory *category)
{
  PayamCategory *copy;

  if (category == NULL)
    return NULL;

  copy = g_new (PayamCategory, 1);
  *copy = *category;
  copy->code = g_strdup (category->code);
  copy->name = g_strdup (category->name);
  copy->icon = g_strdup (category->icon);
  copy->guidance = g_strdup (category->guidance);
  copy->examples = g_strdupv (category->examples);
  copy->related = g_strdupv (category->related);
  return copy;
}

void
payam_category_free (PayamCategory *category)
{
  if (category == NULL)
    return;

  g_free (category->code);
  g_free (category->name);
  g_free (category->icon);
  g_free (category->guidance);
  g_strfreev (category->examples);
  g_strfreev (category->related);
  g_free (category);
}

void
payam_place_free (PayamPlace *place)
{
  if (place == NULL)
    return;

  g_free (place->code);
  g_free (place->kind);
  g_free (place->name);
  g_free (place->parent);
  g_free (place);
}
