/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl init: create or migrate a database and load the default configuration. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "payamctl-private.h"

/* Count the places of @kind, or -1 with @error set. */
static gint64
ctl_count_places (PayamStore  *store,
                  const char  *kind,
                  GError     **error)
{
  g_autoptr(GPtrArray) places = payam_store_list_places (store, kind, NULL, error);

  return places != NULL ? (gint64) places->len : -1;
}

/* Create the database (and its folder) or open and migrate it, then load the default
 * categories, places and calendar. Prints what it did; 1 with a message on failure. */
int
ctl_cmd_init (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = g_filename_display_name (ctx->db_path);
  g_autofree char *folder = g_path_get_dirname (ctx->db_path);
  g_autofree char *version = NULL;
  g_autofree char *n_categories = NULL;
  g_autofree char *n_neighbourhoods = NULL;
  g_autofree char *n_streets = NULL;
  g_autofree char *prefix = NULL;
  gint64 neighbourhoods, streets;
  gboolean existed;
  int status;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Create the database, or bring an existing one up to date, "
                                  "and load the default categories, places and work calendar. "
                                  "Running it again is safe."));
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc > 1)
    {
      ctl_print_usage_error ("init", _("“init” takes no arguments."));
      return CTL_EXIT_USAGE;
    }

  /* The folder holds personal data: only its owner may read it. */
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *folder_display = g_filename_display_name (folder);
      g_autofree char *message = NULL;

      /* Translators: %s is a folder name, then the system's reason. */
      message = g_strdup_printf (_("Cannot create the folder %s: %s"),
                                 folder_display, g_strerror (saved_errno));
      ctl_print_error (message);
      return CTL_EXIT_FAILURE;
    }

  existed = g_file_test (ctx->db_path, G_FILE_TEST_EXISTS);
  store = payam_store_open (ctx->db_path, &error);
  if (store == NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Cannot open the database %s: %s"), display, error->message);
      ctl_print_error (message);
      return CTL_EXIT_FAILURE;
    }
  payam_store_set_actor (store, "payamctl");

  version = ctl_format_integer (payam_store_get_schema_version (store));
  if (existed)
    /* Translators: %s is the database file name, then the schema version number. */
    g_print (_("Opened the database %s (schema version %s).\n"), display, version);
  else
    /* Translators: %s is the database file name, then the schema version number. */
    g_print (_("Created the database %s (schema version %s).\n"), display, version);

  if (!payam_store_load_defaults (store, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the reason. */
      message = g_strdup_printf (_("Cannot load the default configuration: %s"), error->message);
      ctl_print_error (message);
      return CTL_EXIT_FAILURE;
    }

  categories = payam_store_list_categories (store, &error);
  neighbourhoods = categories != NULL ? ctl_count_places (store, "neighbourhood", &error) : -1;
  streets = neighbourhoods >= 0 ? ctl_count_places (store, "street", &error) : -1;
  if (streets < 0)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the reason. */
      message = g_strdup_printf (_("Cannot read the configuration back: %s"), error->message);
      ctl_print_error (message);
      return CTL_EXIT_FAILURE;
    }

  n_categories = ctl_format_number (categories->len);
  n_neighbourhoods = ctl_format_number (neighbourhoods);
  n_streets = ctl_format_number (streets);
  /* Translators: the three %s are counts of categories, neighbourhoods and streets. */
  g_print (_("Default configuration loaded: %s categories, %s neighbourhoods, %s streets.\n"),
           n_categories, n_neighbourhoods, n_streets);

  prefix = ctl_format_integer (payam_store_get_device_prefix (store));
  /* Translators: the first %s is the device id, the second the tracking code prefix. */
  g_print (_("Device %s, tracking code prefix %s.\n"), payam_store_get_device_id (store), prefix);

  return CTL_EXIT_OK;
}
