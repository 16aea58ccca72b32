/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests only: the power-cutting SQLite VFS of sim-vfs.h. */
#include "sim-vfs.h"

#include <string.h>

#include <sqlite3.h>

/* What a region of a file held before it was first written after the last sync. */
typedef struct {
  sqlite3_int64  offset;
  int            length;
  unsigned char *old;
} Undo;

typedef struct FaultyFile FaultyFile;
struct FaultyFile {
  sqlite3_file   base;         /* pMethods: faulty_io, or NULL when the open failed */
  sqlite3_file  *real;         /* the default VFS's file, right after this struct */
  gboolean       watched;
  gboolean       dead;         /* open when the power was cut: does nothing more */
  GArray        *undo;         /* of Undo, oldest first, since the last sync */
  sqlite3_int64  synced_size;
  FaultyFile    *next;         /* every open file */
};

static sqlite3_vfs faulty_vfs;
static sqlite3_vfs *parent;
static FaultyFile *open_files;
static char *watch_prefix;
static guint writes_left;        /* 0: no failure planned */
static gboolean failing;         /* the planned failure came */
static gboolean cut;             /* between a power cut and the restart */
static gint64 lost_bytes;
static GMutex lock;              /* the sim is one thread; kept simple and safe anyway */

static void
undo_clear (GArray *undo)
{
  for (guint i = 0; undo != NULL && i < undo->len; i++)
    g_free (g_array_index (undo, Undo, i).old);
  if (undo != NULL)
    g_array_set_size (undo, 0);
}

/* Keep what [@offset, @offset + @length) holds now (the part inside the file). */
static int
remember (FaultyFile    *f,
          sqlite3_int64  offset,
          sqlite3_int64  length)
{
  sqlite3_int64 size = 0;
  Undo u;
  int rc = f->real->pMethods->xFileSize (f->real, &size);

  if (rc != SQLITE_OK)
    return rc;
  if (offset >= size || length <= 0)
    return SQLITE_OK;
  u.offset = offset;
  u.length = (int) MIN (length, size - offset);
  u.old = g_malloc (u.length);
  rc = f->real->pMethods->xRead (f->real, u.old, u.length, offset);
  if (rc != SQLITE_OK)
    {
      g_free (u.old);
      return rc;
    }
  g_array_append_val (f->undo, u);
  return SQLITE_OK;
}

/* Whether a write or sync of @f fails now (the planned failure). */
static gboolean
fails_now (FaultyFile *f)
{
  if (!f->watched || (writes_left == 0 && !failing))
    return FALSE;
  if (!failing && --writes_left == 0)
    failing = TRUE;
  return failing;
}

/* ---- io methods --------------------------------------------------------------------------- */

static int
faulty_close (sqlite3_file *file)
{
  FaultyFile *f = (FaultyFile *) file;
  int rc;

  g_mutex_lock (&lock);
  for (FaultyFile **p = &open_files; *p != NULL; p = &(*p)->next)
    if (*p == f)
      {
        *p = f->next;
        break;
      }
  g_mutex_unlock (&lock);
  rc = f->real->pMethods->xClose (f->real);
  undo_clear (f->undo);
  g_clear_pointer (&f->undo, g_array_unref);
  return rc;
}

static int
faulty_read (sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset)
{
  FaultyFile *f = (FaultyFile *) file;

  return f->real->pMethods->xRead (f->real, buffer, amount, offset);
}

static int
faulty_write (sqlite3_file *file, const void *buffer, int amount, sqlite3_int64 offset)
{
  FaultyFile *f = (FaultyFile *) file;
  int rc;

  if (f->dead)
    return SQLITE_OK;
  if (fails_now (f))
    return SQLITE_IOERR_WRITE;
  if (f->watched && (rc = remember (f, offset, amount)) != SQLITE_OK)
    return rc;
  return f->real->pMethods->xWrite (f->real, buffer, amount, offset);
}

static int
faulty_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  FaultyFile *f = (FaultyFile *) file;
  int rc;

  if (f->dead)
    return SQLITE_OK;
  if (fails_now (f))
    return SQLITE_IOERR_TRUNCATE;
  if (f->watched && (rc = remember (f, size, G_MAXINT32)) != SQLITE_OK)
    return rc;
  return f->real->pMethods->xTruncate (f->real, size);
}

/* The point a power cut goes back to; no real fsync (nothing outlives the test). */
static int
faulty_sync (sqlite3_file *file, int flags)
{
  FaultyFile *f = (FaultyFile *) file;

  if (f->dead)
    return SQLITE_OK;
  if (fails_now (f))
    return SQLITE_IOERR_FSYNC;
  if (f->watched)
    {
      int rc = f->real->pMethods->xFileSize (f->real, &f->synced_size);

      if (rc != SQLITE_OK)
        return rc;
      undo_clear (f->undo);
    }
  return SQLITE_OK;
}

static int
faulty_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  FaultyFile *f = (FaultyFile *) file;

  return f->real->pMethods->xFileSize (f->real, size);
}

static int
faulty_lock (sqlite3_file *file, int level)
{
  FaultyFile *f = (FaultyFile *) file;

  return f->real->pMethods->xLock (f->real, level);
}

static int
faulty_unlock (sqlite3_file *file, int level)
{
  FaultyFile *f = (FaultyFile *) file;

  return f->real->pMethods->xUnlock (f->real, level);
}

static int
faulty_check_reserved_lock (sqlite3_file *file, int *out)
{
  FaultyFile *f = (FaultyFile *) file;

  return f->real->pMethods->xCheckReservedLock (f->real, out);
}

static int
faulty_file_control (sqlite3_file *file, int op, void *arg)
{
  FaultyFile *f = (FaultyFile *) file;

  return f->real->pMethods->xFileControl (f->real, op, arg);
}

static int
faulty_sector_size (sqlite3_file *file)
{
  FaultyFile *f = (FaultyFile *) file;

  return f->real->pMethods->xSectorSize (f->real);
}

static int
faulty_device_characteristics (sqlite3_file *file)
{
  FaultyFile *f = (FaultyFile *) file;

  return f->real->pMethods->xDeviceCharacteristics (f->real);
}

static int
faulty_shm_map (sqlite3_file *file, int page, int size, int extend, void volatile **out)
{
  FaultyFile *f = (FaultyFile *) file;

  return f->real->pMethods->xShmMap (f->real, page, size, extend, out);
}

static int
faulty_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  FaultyFile *f = (FaultyFile *) file;

  return f->real->pMethods->xShmLock (f->real, offset, n, flags);
}

static void
faulty_shm_barrier (sqlite3_file *file)
{
  FaultyFile *f = (FaultyFile *) file;

  f->real->pMethods->xShmBarrier (f->real);
}

static int
faulty_shm_unmap (sqlite3_file *file, int delete_flag)
{
  FaultyFile *f = (FaultyFile *) file;

  return f->real->pMethods->xShmUnmap (f->real, delete_flag);
}

static int
faulty_fetch (sqlite3_file *file, sqlite3_int64 offset, int amount, void **out)
{
  FaultyFile *f = (FaultyFile *) file;

  return f->real->pMethods->xFetch (f->real, offset, amount, out);
}

static int
faulty_unfetch (sqlite3_file *file, sqlite3_int64 offset, void *page)
{
  FaultyFile *f = (FaultyFile *) file;

  return f->real->pMethods->xUnfetch (f->real, offset, page);
}

static const sqlite3_io_methods faulty_io = {
  3,
  faulty_close, faulty_read, faulty_write, faulty_truncate, faulty_sync, faulty_file_size,
  faulty_lock, faulty_unlock, faulty_check_reserved_lock, faulty_file_control,
  faulty_sector_size, faulty_device_characteristics, faulty_shm_map, faulty_shm_lock,
  faulty_shm_barrier, faulty_shm_unmap, faulty_fetch, faulty_unfetch,
};

/* ---- the vfs ------------------------------------------------------------------------------ */

static int
faulty_open (sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
  FaultyFile *f = (FaultyFile *) file;
  int rc;

  memset (f, 0, sizeof *f);
  f->real = (sqlite3_file *) (f + 1);
  rc = parent->xOpen (parent, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK || f->real->pMethods == NULL)
    return rc;
  /* The unix VFS's files have every method of version 3. */
  g_assert (f->real->pMethods->iVersion >= 3);
  f->base.pMethods = &faulty_io;
  f->undo = g_array_new (FALSE, FALSE, sizeof (Undo));
  g_mutex_lock (&lock);
  f->watched = name != NULL && watch_prefix != NULL && g_str_has_prefix (name, watch_prefix) &&
               (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL)) != 0;
  f->next = open_files;
  open_files = f;
  g_mutex_unlock (&lock);
  if (f->watched)
    f->real->pMethods->xFileSize (f->real, &f->synced_size);
  return SQLITE_OK;
}

static int
faulty_delete (sqlite3_vfs *vfs, const char *name, int sync_dir)
{
  /* A dead connection's last checkpoint would delete its WAL: the power is off. */
  if (cut && watch_prefix != NULL && g_str_has_prefix (name, watch_prefix))
    return SQLITE_OK;
  return parent->xDelete (parent, name, sync_dir);
}

static int
faulty_access (sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
  return parent->xAccess (parent, name, flags, out);
}

static int
faulty_full_pathname (sqlite3_vfs *vfs, const char *name, int n, char *out)
{
  return parent->xFullPathname (parent, name, n, out);
}

static void *
faulty_dl_open (sqlite3_vfs *vfs, const char *name)
{
  return parent->xDlOpen (parent, name);
}

static void
faulty_dl_error (sqlite3_vfs *vfs, int n, char *out)
{
  parent->xDlError (parent, n, out);
}

static void (*
faulty_dl_sym (sqlite3_vfs *vfs, void *handle, const char *symbol)) (void)
{
  return parent->xDlSym (parent, handle, symbol);
}

static void
faulty_dl_close (sqlite3_vfs *vfs, void *handle)
{
  parent->xDlClose (parent, handle);
}

static int
faulty_randomness (sqlite3_vfs *vfs, int n, char *out)
{
  return parent->xRandomness (parent, n, out);
}

static int
faulty_sleep (sqlite3_vfs *vfs, int microseconds)
{
  return parent->xSleep (parent, microseconds);
}

static int
faulty_current_time (sqlite3_vfs *vfs, double *out)
{
  return parent->xCurrentTime (parent, out);
}

static int
faulty_get_last_error (sqlite3_vfs *vfs, int n, char *out)
{
  return parent->xGetLastError (parent, n, out);
}

static int
faulty_current_time_int64 (sqlite3_vfs *vfs, sqlite3_int64 *out)
{
  return parent->xCurrentTimeInt64 (parent, out);
}

void
payam_sim_vfs_install (void)
{
  if (parent != NULL)
    return;
  parent = sqlite3_vfs_find (NULL);
  g_assert (parent != NULL && parent->iVersion >= 2);
  faulty_vfs = (sqlite3_vfs) {
    .iVersion = 2,
    .szOsFile = (int) sizeof (FaultyFile) + parent->szOsFile,
    .mxPathname = parent->mxPathname,
    .zName = "payam-power-cut",
    .xOpen = faulty_open,
    .xDelete = faulty_delete,
    .xAccess = faulty_access,
    .xFullPathname = faulty_full_pathname,
    .xDlOpen = faulty_dl_open,
    .xDlError = faulty_dl_error,
    .xDlSym = faulty_dl_sym,
    .xDlClose = faulty_dl_close,
    .xRandomness = faulty_randomness,
    .xSleep = faulty_sleep,
    .xCurrentTime = faulty_current_time,
    .xGetLastError = faulty_get_last_error,
    .xCurrentTimeInt64 = faulty_current_time_int64,
  };
  g_assert (sqlite3_vfs_register (&faulty_vfs, 1) == SQLITE_OK);
}

void
payam_sim_vfs_watch (const char *prefix)
{
  g_mutex_lock (&lock);
  g_free (watch_prefix);
  watch_prefix = g_strdup (prefix);
  g_mutex_unlock (&lock);
}

void
payam_sim_vfs_fail_after (guint writes)
{
  writes_left = writes;
  failing = FALSE;
}

void
payam_sim_vfs_power_cut (void)
{
  g_mutex_lock (&lock);
  for (FaultyFile *f = open_files; f != NULL; f = f->next)
    {
      sqlite3_int64 size = 0;

      f->dead = TRUE;
      if (!f->watched)
        continue;
      if (f->real->pMethods->xFileSize (f->real, &size) == SQLITE_OK && size > f->synced_size)
        lost_bytes += size - f->synced_size;
      /* Newest first: each region ends as it was at the sync. */
      for (guint i = f->undo->len; i > 0; i--)
        {
          Undo *u = &g_array_index (f->undo, Undo, i - 1);

          g_assert (f->real->pMethods->xWrite (f->real, u->old, u->length, u->offset) ==
                    SQLITE_OK);
          lost_bytes += u->length;
        }
      g_assert (f->real->pMethods->xTruncate (f->real, f->synced_size) == SQLITE_OK);
      undo_clear (f->undo);
    }
  cut = TRUE;
  writes_left = 0;
  failing = FALSE;
  g_mutex_unlock (&lock);
}

void
payam_sim_vfs_restart (void)
{
  cut = FALSE;
}

gint64
payam_sim_vfs_lost_bytes (void)
{
  return lost_bytes;
}
