/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the payam-store-sync*.c files: statements, meta, applying one op. */
#pragma once

#include "payam-merge.h"
#include "payam-store-private.h"
#include "payam-store-sync.h"

G_BEGIN_DECLS

/* What applying one op did. */
typedef enum {
  APPLY_APPLIED,
  APPLY_SUPERSEDED,
  APPLY_CONFLICT,
  APPLY_UNKNOWN_ROW,   /* a field op for a row this store does not have */
  APPLY_UNKNOWN_FIELD, /* no merge rule for this entity and field */
  APPLY_INVALID,       /* the value does not fit the field */
} PayamApplyOutcome;

/* The primary SQLite result code of the last failed step of this thread in these
 * helpers (SQLITE_OK: none), cleared: tells a constraint failure from others. */
int            _payam_sync_take_failure  (void);
/* Step expecting SQLITE_DONE (or a row, ignored). */
gboolean       _payam_sync_step_done     (PayamStore         *self,
                                          PayamStmt          *stmt,
                                          GError            **error);
/* Step expecting one row (TRUE, *@found set) or none (*@found FALSE). */
gboolean       _payam_sync_step_row      (PayamStore         *self,
                                          PayamStmt          *stmt,
                                          gboolean           *found,
                                          GError            **error);
gboolean       _payam_sync_meta_get_int  (PayamStore         *self,
                                          const char         *key,
                                          gint64             *out,
                                          GError            **error);
gboolean       _payam_sync_meta_set_int  (PayamStore         *self,
                                          const char         *key,
                                          gint64              value,
                                          GError            **error);

/* Merge @op into the domain tables by the rules of payam-merge.h, inside a transaction.
 * Never writes the outbox. @record_conflicts (the server) keeps the losing value of a
 * concurrent edit in the conflict table. @value is @op's value parsed. A database error
 * (constraints included) returns FALSE; the caller rolls back. */
gboolean       _payam_sync_apply_op      (PayamStore         *self,
                                          const PayamOp      *op,
                                          JsonNode           *value,
                                          gboolean            record_conflicts,
                                          PayamApplyOutcome  *outcome,
                                          GError            **error);
/* A conflict row of @kind for an op that failed validation (the server's rejected ops). */
gboolean       _payam_sync_record_rejected (PayamStore       *self,
                                            const PayamOp    *op,
                                            GError          **error);

G_END_DECLS
