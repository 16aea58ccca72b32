/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Entry point of the payam application: text domain, then PayamApplication. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "payam-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PayamApplication) app = NULL;
  const char *localedir = g_getenv ("PAYAM_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* PAYAM_LOCALEDIR lets tests and an uninstalled build use <build>/po. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = payam_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
