/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sync merge rules of duplicate groups and worksheets: LWW, lattices, minima, grow-only sets. */
#define G_LOG_DOMAIN "payam-merge"
#include "config.h"

#include <string.h>

#include "payam-merge.h"
#include "payam-merge-groups.h"

gboolean
payam_merge_group_lww_wins (PayamHlc    local_hlc,
                            const char *local_device,
                            PayamHlc    remote_hlc,
                            const char *remote_device)
{
  /* Nothing stored yet: the remote value is the first. */
  if (local_hlc == 0)
    return TRUE;
  return payam_hlc_compare (remote_hlc, remote_device != NULL ? remote_device : "",
                            local_hlc, local_device != NULL ? local_device : "") > 0;
}

/* The rank of @value in @lattice (lowest first), or -1 when it is not there. */
static int
lattice_rank (const char * const *lattice,
              const char         *value)
{
  for (int i = 0; value != NULL && lattice[i] != NULL; i++)
    if (strcmp (lattice[i], value) == 0)
      return i;
  return -1;
}

/* The higher of @local and @remote in @lattice; on equal ranks (two unknown values) the
 * larger text, so that the choice does not depend on which side is local. */
static const char *
lattice_max (const char * const *lattice,
             const char         *local,
             const char         *remote)
{
  int a = lattice_rank (lattice, local);
  int b = lattice_rank (lattice, remote);

  if (a != b)
    return a > b ? local : remote;
  return g_strcmp0 (local, remote) >= 0 ? local : remote;
}

const char *
payam_merge_group_state (const char *local,
                         const char *remote)
{
  static const char * const lattice[] = { "proposed", "confirmed", "split", NULL };

  return lattice_max (lattice, local, remote);
}

const char *
payam_merge_worksheet_status (const char *local,
                              const char *remote)
{
  return lattice_max (payam_merge_outcome_order, local, remote);
}

PayamPriority
payam_merge_group_priority (PayamPriority local,
                            PayamPriority remote)
{
  return MIN (local, remote);
}

const char *
payam_merge_group_due_at (const char *local,
                          const char *remote)
{
  if (local == NULL)
    return remote;
  if (remote == NULL)
    return local;
  return strcmp (local, remote) <= 0 ? local : remote;
}

const char *
payam_merge_group_effective_lead (const char         *lead,
                                  const char * const *member_ids,
                                  gsize               n_members)
{
  const char *smallest = NULL;

  g_return_val_if_fail (member_ids != NULL || n_members == 0, NULL);

  for (gsize i = 0; i < n_members; i++)
    {
      if (lead != NULL && g_strcmp0 (member_ids[i], lead) == 0)
        return member_ids[i];
      if (smallest == NULL || g_strcmp0 (member_ids[i], smallest) < 0)
        smallest = member_ids[i];
    }
  return smallest;
}

gboolean
payam_merge_grow_only_insert (gboolean exists_locally)
{
  return !exists_locally;
}
