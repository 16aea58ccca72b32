/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests only: a fault-injecting SQLite VFS that cuts the power. A shim over the default VFS
 * remembers what each watched file held at its last xSync; a power cut puts every watched
 * file back to that, so what SQLite wrote after its last sync is lost as a disk would lose
 * it. xSync itself only marks the point (the simulation needs no real fsync). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Register the shim as the default VFS of the process (once; later calls do nothing). */
void    payam_sim_vfs_install   (void);
/* Watch the files (database, -wal, -journal) whose name starts with @prefix, opened from
 * now on; NULL watches none. */
void    payam_sim_vfs_watch     (const char *prefix);
/* After @writes more writes to watched files every write and sync of them fails with
 * SQLITE_IOERR (the power goes while SQLite works); 0 never. */
void    payam_sim_vfs_fail_after (guint writes);
/* The power is cut: every watched file goes back to what it held at its last sync, and the
 * handles open on them drop whatever they are asked to write, truncate, sync or delete
 * until payam_sim_vfs_restart() (close the connections that used them in between). */
void    payam_sim_vfs_power_cut (void);
/* The machine is back: handles opened from now on work again. */
void    payam_sim_vfs_restart   (void);
/* Bytes lost in power cuts since the process started (written after a sync, put back). */
gint64  payam_sim_vfs_lost_bytes (void);

G_END_DECLS
