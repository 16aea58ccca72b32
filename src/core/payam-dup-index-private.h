/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals of PayamDupIndex for the benchmarks: the combined score's form. */
#pragma once

#include "payam-dup-index.h"

G_BEGIN_DECLS

/* How candidates are ranked, compared by bench-dup-index --intake. GEOMETRIC is the
 * product's (payam-dup-index.h), the weighted geometric mean proposed by
 * bench-duplicates-quality; MULTIPLICATIVE was the index's first design. */
typedef enum {
  PAYAM_DUP_FORMULA_GEOMETRIC,
  PAYAM_DUP_FORMULA_MULTIPLICATIVE, /* text · (0.4 + 0.6 · place) · category · age */
  PAYAM_DUP_FORMULA_TEXT,           /* the text score alone */
} PayamDupFormula;

void _payam_dup_index_set_formula (PayamDupIndex   *self,
                                   PayamDupFormula  formula);

G_END_DECLS
