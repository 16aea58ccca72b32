/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running the built payamctl from a test (see payam-test-ctl.h). */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "payam-test-ctl.h"

void
ctl_run_clear (CtlRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

void
payam_test_ctl_run_db (CtlRun     *run,
                       const char *payamctl,
                       const char *dir,
                       const char *db,
                       const char *first,
                       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) payamctl);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, (gpointer) db);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (process == NULL)
    fail_msg ("payamctl could not start: %s", error->message);
  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error))
    fail_msg ("payamctl's output could not be read: %s", error->message);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                     : -1;
}

CtlFixture *
payam_test_ctl_fixture_new (const char *payamctl,
                            const char *name,
                            const char *jsonl)
{
  CtlFixture *f = g_new0 (CtlFixture, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strconcat (name, "-XXXXXX", NULL);
  g_autofree char *jsonl_path = NULL;
  g_auto(CtlRun) init = { 0 };
  g_auto(CtlRun) import = { 0 };

  f->dir = g_dir_make_tmp (template, &error);
  if (f->dir == NULL)
    fail_msg ("no temporary folder: %s", error->message);
  f->db = g_build_filename (f->dir, "payam.db", NULL);
  jsonl_path = g_build_filename (f->dir, "requests.jsonl", NULL);
  if (!g_file_set_contents (jsonl_path, jsonl, -1, &error))
    fail_msg ("%s", error->message);
  payam_test_ctl_run_db (&init, payamctl, f->dir, f->db, "init", NULL);
  if (init.status != 0)
    fail_msg ("init: %s", init.err);
  payam_test_ctl_run_db (&import, payamctl, f->dir, f->db, "import", jsonl_path, NULL);
  if (import.status != 0)
    fail_msg ("import: %s", import.err);
  return f;
}

void
payam_test_ctl_fixture_free (CtlFixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f);
}
