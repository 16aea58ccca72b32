/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by payam-store-groups.c and payam-store-worksheets.c. */
#pragma once

#include "payam-store-groups.h"
#include "payam-store-private.h"
#include "payam-store-worksheets.h"

G_BEGIN_DECLS

/* Run @sql with @n_args text parameters (NULL binds NULL) bound at positions 1 … n,
 * expecting no rows. */
gboolean    _payam_groups_exec                (PayamStore   *self,
                                               const char   *sql,
                                               GError      **error,
                                               guint         n_args,
                                               ...);

/* Ids of the members of @group_id, in creation order (possibly empty). */
GPtrArray  *_payam_groups_member_ids          (PayamStore   *self,
                                               const char   *group_id,
                                               GError      **error);

/* The worksheet of @group_id: TRUE with *id (NULL when the group has none), *status and
 * *crew_id (each may be NULL to skip), FALSE on a SQL error. */
gboolean    _payam_groups_worksheet_of        (PayamStore   *self,
                                               const char   *group_id,
                                               char        **id,
                                               char        **status,
                                               char        **crew_id,
                                               GError      **error);

/* Make a worksheet for @group_id (status open, the members' earliest deadline) with its
 * op and audit row. Returns its id. */
char       *_payam_groups_create_worksheet    (PayamStore   *self,
                                               const char   *group_id,
                                               GError      **error);

/* Give every member of @group_id (and its worksheet) the highest priority and the
 * earliest deadline among them, writing an op for each field that changes. */
gboolean    _payam_groups_align               (PayamStore   *self,
                                               const char   *group_id,
                                               GError      **error);

/* Append one op whose value is the string @value (NULL: JSON null). */
gboolean    _payam_groups_op_string           (PayamStore   *self,
                                               const char   *entity,
                                               const char   *row_id,
                                               const char   *field,
                                               const char   *value,
                                               GError      **error);

/* An audit row with a detail object of string members: @n pairs of name, value. */
gboolean    _payam_groups_audit               (PayamStore   *self,
                                               GError      **error,
                                               const char   *action,
                                               const char   *entity,
                                               const char   *row_id,
                                               guint         n_pairs,
                                               ...);

G_END_DECLS
