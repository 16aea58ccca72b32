/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payam-test-decide DB CONFLICT_ID ACTOR: another office desk settles conflict
 * CONFLICT_ID keeping the value held, through the core as the office window does, under
 * ACTOR (ui-office.py's second desk). Prints the store's message and exits 1 when it is
 * refused (already decided on another device), 0 when decided. */
#define G_LOG_DOMAIN "payam-test"
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "payam-store-conflicts.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PAYAM_LOCALEDIR") != NULL
                                   ? g_getenv ("PAYAM_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  if (argc != 4)
    {
      fprintf (stderr, "usage: %s DB CONFLICT_ID ACTOR\n", argv[0]);
      return 2;
    }
  store = payam_store_open (argv[1], &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  payam_store_set_actor (store, argv[3]);
  if (!payam_store_decide_conflict (store, argv[2], PAYAM_DECISION_KEEP, NULL, &error))
    {
      printf ("%s\n", error->message);
      return 1;
    }
  return 0;
}
