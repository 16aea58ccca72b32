/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Categories and places of the default configuration, as the store keeps them. */
#pragma once

#include "payam-deadline.h"
#include "payam-types.h"

G_BEGIN_DECLS

struct _PayamCategory {
  char              *code;             /* "asphalt" */
  char              *name;             /* Persian name */
  char              *icon;             /* symbolic icon name */
  PayamPriority      default_priority;
  PayamDeadlineRule  rule;
  char              *guidance;         /* a short text telling citizens what to write */
  GStrv              examples;         /* one-line examples */
  GStrv              related;          /* codes of related categories (for duplicates) */
};

typedef struct {
  char    *code;           /* "tohid", or "tohid/street/…" */
  char    *kind;           /* "neighbourhood", "street" or "landmark" */
  char    *name;           /* Persian name */
  char    *parent;         /* neighbourhood code for streets and landmarks */
  gboolean has_location;
  double   lat;
  double   lon;
  gboolean sample;         /* sample gazetteer entry, to be edited by the district */
} PayamPlace;

PayamCategory *payam_category_copy (const PayamCategory *category);
void           payam_category_free (PayamCategory       *category);
void           payam_place_free    (PayamPlace          *place);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamCategory, payam_category_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamPlace, payam_place_free)

G_END_DECLS
