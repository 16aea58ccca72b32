/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the review page's two files share: its map points, numbers for people, the sketch. */
#pragma once

#include <adwaita.h>

#include "payam-office-review.h"

G_BEGIN_DECLS

/* One located member on the map sketch. */
typedef struct {
  double x;   /* metres east of the first located member */
  double y;   /* metres north */
  guint  n;   /* the member's number, from 1 */
} Point;

/* payam-office-review-sketch.c. Each result is owned by the caller. */
char *_payam_review_persian        (const char     *ascii);
char *_payam_review_format_percent (double          fraction);
char *_payam_review_format_share   (double          share);
char *_payam_review_format_gap     (double          days);
char *_payam_review_format_metres  (double          metres);
/* A GtkDrawingAreaDrawFunc; @data is the GArray of Point to draw. */
void  _payam_review_draw_sketch    (GtkDrawingArea *area,
                                    cairo_t        *cr,
                                    int             width,
                                    int             height,
                                    gpointer        data);

G_END_DECLS
