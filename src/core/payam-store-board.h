/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamStore's assignment board: crews with their open worksheets, and giving work to a crew. */
#pragma once

#include "payam-store.h"

G_BEGIN_DECLS

/* A crew as the board shows it. */
typedef struct {
  char  *id;
  char  *name;
  char  *neighbourhoods;  /* its own, then those of its open work, ", "-joined; may be "" */
  guint  n_members;
  guint  n_open;          /* open worksheets (not finished, not merged) */
  guint  n_overdue;       /* of those, past their deadline by the store's clock */
} PayamBoardCrew;

void        payam_board_crew_free        (PayamBoardCrew  *crew);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamBoardCrew, payam_board_crew_free)

/* One piece of work on the board: an open worksheet, or a triaged message (with its group)
 * that no crew has yet. */
typedef struct {
  char       *request_id;     /* the group's lead (else its first member), or the single */
  char       *tracking_code;  /* canonical ASCII */
  char       *category_id;
  char       *neighbourhood;  /* its name */
  GDateTime  *due_at;         /* NULL when unknown */
  guint       n_requests;     /* messages it serves (1 for a single) */
  gboolean    overdue;
} PayamBoardSheet;

void        payam_board_sheet_free       (PayamBoardSheet *sheet);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamBoardSheet, payam_board_sheet_free)

/* Every active crew by name with its members, open and overdue counts and neighbourhoods.
 * Owns its elements (PayamBoardCrew). */
GPtrArray  *payam_store_list_board_crews (PayamStore      *self,
                                          GError         **error);

/* The open worksheets of @crew_id, or with @crew_id NULL the triaged messages no crew has
 * (one row per group), earliest deadline first, at most @limit. Owns its elements
 * (PayamBoardSheet). */
GPtrArray  *payam_store_list_board_sheets (PayamStore     *self,
                                           const char     *crew_id,
                                           guint           limit,
                                           GError        **error);

/* Give the work serving each of @request_ids (NULL-terminated) to @crew_id in one
 * transaction (payam_store_assign_crew() each: a worksheet another crew holds moves, and
 * that crew's devices see it withdrawn at their next sync). INVALID, with nothing changed,
 * for a crew with no members (nobody could do the work); NOT_FOUND for an unknown crew or
 * request. */
gboolean    payam_store_assign_board     (PayamStore          *self,
                                          const char * const  *request_ids,
                                          const char          *crew_id,
                                          GError             **error);

G_END_DECLS
