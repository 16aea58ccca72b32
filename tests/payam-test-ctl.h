/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running the built payamctl from a test: one place for the launcher's environment and the
 * capture of its output, shared by the payamctl command tests. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int   status;  /* exit status, -1 when it did not exit normally */
  char *out;     /* standard output (UTF-8) */
  char *err;     /* standard error (UTF-8) */
} CtlRun;

void ctl_run_clear (CtlRun *run);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CtlRun, ctl_run_clear)

/* Run @payamctl --db @db with the NULL-terminated arguments in the folder @dir, in C.UTF-8
 * with LANGUAGE unset (untranslated messages), and fill @run. Fails the test when the
 * program cannot be started. */
G_GNUC_NULL_TERMINATED
void payam_test_ctl_run_db (CtlRun     *run,
                            const char *payamctl,
                            const char *dir,
                            const char *db,
                            const char *first,
                            ...);

/* A folder of its own holding payam.db, made by payamctl init and filled by payamctl import
 * of @jsonl (the text of a JSON Lines file). */
typedef struct {
  char *dir;
  char *db;
} CtlFixture;

/* Make the fixture in a new temporary folder named after @name; fails the test when init
 * or import fails. */
CtlFixture *payam_test_ctl_fixture_new  (const char *payamctl,
                                         const char *name,
                                         const char *jsonl);
/* Remove the fixture's folder and what is in it, and free it. */
void        payam_test_ctl_fixture_free (CtlFixture *f);

G_END_DECLS
