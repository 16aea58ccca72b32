/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamApplication: options, settings, the store and the window of the chosen mode. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "payam-application.h"
#include "payam-crew-window.h"
#include "payam-error-window.h"
#include "payam-kiosk-window.h"
#include "payam-office-window.h"
#include "payam-resources.h"
#include "payam-store-devices.h"
#include "payam-sync-service.h"

#define GTK_DEBUG_SCHEMA "org.gtk.gtk4.Settings.Debug"
#define INSPECTOR_KEY    "enable-inspector-keybinding"

struct _PayamApplication
{
  AdwApplication parent_instance;

  /* owned */
  PayamStore *store;
  PayamSyncService *sync_service;  /* with the store; started on activate */
  GSettings *settings;   /* NULL when the schema is not installed */
  char *db_path;         /* NULL: from GSettings, else the default path */

  PayamAppMode mode;
  guint mode_set : 1;    /* chosen by option or property; GSettings is not asked */
};

G_DEFINE_FINAL_TYPE (PayamApplication, payam_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_MODE,
  PROP_DB_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "mode", 'm', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    /* Translators: kiosk, crew and office are typed as they are; keep them in Latin. */
    N_("Which window to show: kiosk, crew or office"), N_("MODE") },
  { "db", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("The database file to use"), N_("FILE") },
  { NULL }
};

PayamApplication *
payam_application_new (void)
{
  return g_object_new (PAYAM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

PayamAppMode
payam_application_get_mode (PayamApplication *self)
{
  g_return_val_if_fail (PAYAM_IS_APPLICATION (self), PAYAM_APP_MODE_OFFICE);

  return self->mode;
}

/* Choose the mode; GSettings is then no longer consulted. Takes effect at the next
 * activation that creates a window. */
void
payam_application_set_mode (PayamApplication *self,
                            PayamAppMode      mode)
{
  g_return_if_fail (PAYAM_IS_APPLICATION (self));

  self->mode_set = TRUE;
  if (self->mode == mode)
    return;

  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

/* The database path given by option or property, or after startup the one in use. NULL
 * before startup when none was given. */
const char *
payam_application_get_db_path (PayamApplication *self)
{
  g_return_val_if_fail (PAYAM_IS_APPLICATION (self), NULL);

  return self->db_path;
}

/* Use @db_path instead of the one in GSettings; NULL or "" goes back to the setting. */
void
payam_application_set_db_path (PayamApplication *self,
                               const char       *db_path)
{
  g_return_if_fail (PAYAM_IS_APPLICATION (self));

  if (db_path != NULL && db_path[0] == '\0')
    db_path = NULL;

  if (g_strcmp0 (self->db_path, db_path) == 0)
    return;

  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DB_PATH]);
}

/* The open store, or NULL before the first activation or when it could not be opened. */
PayamStore *
payam_application_get_store (PayamApplication *self)
{
  g_return_val_if_fail (PAYAM_IS_APPLICATION (self), NULL);

  return self->store;
}

/* The background sync of the store's device, or NULL while no store is open. */
PayamSyncService *
payam_application_get_sync_service (PayamApplication *self)
{
  g_return_val_if_fail (PAYAM_IS_APPLICATION (self), NULL);

  return self->sync_service;
}

/* The app's GSettings, or NULL when its schema is not installed (running from a build tree
 * without GSETTINGS_SCHEMA_DIR): then the built-in defaults apply. */
static GSettings *
lookup_settings (const char *schema_id)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;

  schema = g_settings_schema_source_lookup (source, schema_id, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

/* In kiosk mode nobody may open the GTK Inspector with Ctrl+Shift+D/I: it would expose the
 * widget tree and let a passer-by change it. GTK reads this key on each key press. Where the
 * kiosk image locks the key in dconf (packaging/dconf/payam-kiosk) it is already false and
 * not writable. */
static void
disable_inspector_keybinding (void)
{
  g_autoptr(GSettings) settings = lookup_settings (GTK_DEBUG_SCHEMA);
  g_autoptr(GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, INSPECTOR_KEY))
    return;

  if (g_settings_get_boolean (settings, INSPECTOR_KEY)
      && g_settings_is_writable (settings, INSPECTOR_KEY))
    g_settings_set_boolean (settings, INSPECTOR_KEY, FALSE);
}

/* The default database: $XDG_DATA_HOME/payam/payam.db, its folder made private. */
static char *
default_db_path (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "payam", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_debug ("Cannot make %s: %s", dir, g_strerror (errno));

  return g_build_filename (dir, "payam.db", NULL);
}

/* "kiosk", "crew" or "office": the actor written into audit rows. */
static const char *
mode_nick (PayamAppMode mode)
{
  GEnumClass *enum_class = g_type_class_ref (PAYAM_TYPE_APP_MODE);
  GEnumValue *value = g_enum_get_value (enum_class, mode);

  g_type_class_unref (enum_class);
  g_assert (value != NULL);

  /* Enum classes are never freed, so the nick outlives the unref. */
  return value->value_nick;
}

/* Open the store at self->db_path and fill a fresh one with the default categories, places
 * and calendar. Returns FALSE with @error set when it cannot be used. */
static gboolean
open_store (PayamApplication  *self,
            GError           **error)
{
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GPtrArray) categories = NULL;

  store = payam_store_open (self->db_path, error);
  if (store == NULL)
    return FALSE;

  payam_store_set_actor (store, mode_nick (self->mode));
  /* What the device is for until it is enrolled: a kiosk then refuses a contact it could not
   * seal (issue #9 case 9). */
  if (!payam_store_set_device_role (store, self->mode == PAYAM_APP_MODE_KIOSK ? PAYAM_ROLE_KIOSK
                                           : self->mode == PAYAM_APP_MODE_CREW ? PAYAM_ROLE_CREW
                                           : PAYAM_ROLE_OFFICE, error))
    return FALSE;

  categories = payam_store_list_categories (store, error);
  if (categories == NULL)
    return FALSE;

  if (categories->len == 0 && !payam_store_load_defaults (store, error))
    return FALSE;

  self->store = g_steal_pointer (&store);
  self->sync_service = payam_sync_service_new (self->store);
  return TRUE;
}

static GtkWindow *
create_window (PayamApplication *self)
{
  GtkApplication *app = GTK_APPLICATION (self);

  switch (self->mode)
    {
    case PAYAM_APP_MODE_KIOSK:
      disable_inspector_keybinding ();
      return GTK_WINDOW (payam_kiosk_window_new (app, self->store));

    case PAYAM_APP_MODE_CREW:
      return GTK_WINDOW (payam_crew_window_new (app, self->store, self->sync_service));

    case PAYAM_APP_MODE_OFFICE:
      return GTK_WINDOW (payam_office_window_new (app, self->store));

    default:
      g_assert_not_reached ();
    }
}

static void
payam_application_activate (GApplication *application)
{
  PayamApplication *self = PAYAM_APPLICATION (application);
  GtkWindow *window;
  g_autoptr(GError) error = NULL;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->store == NULL && !open_store (self, &error))
    {
      PayamErrorWindow *error_window;

      error_window = payam_error_window_new (GTK_APPLICATION (self), self->db_path, error);
      if (self->mode == PAYAM_APP_MODE_KIOSK)
        gtk_window_fullscreen (GTK_WINDOW (error_window));
      gtk_window_present (GTK_WINDOW (error_window));
      return;
    }

  payam_sync_service_start (self->sync_service);
  gtk_window_present (create_window (self));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
sync_now_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PayamApplication *self = PAYAM_APPLICATION (user_data);

  if (self->sync_service != NULL)
    payam_sync_service_sync_now (self->sync_service);
}

static const GActionEntry app_entries[] = {
  { .name = "quit", .activate = quit_activated },
  { .name = "sync-now", .activate = sync_now_activated },
};

/* Settings are read here, after the options: an option wins over GSettings, which wins
 * over the built-in defaults (office mode, the user's data folder). */
static void
payam_application_startup (GApplication *application)
{
  PayamApplication *self = PAYAM_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (payam_application_parent_class)->startup (application);

  /* Payam is Persian first: mirror every window whatever the locale says. */
  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);

  self->settings = lookup_settings (APP_ID);

  if (!self->mode_set)
    self->mode = self->settings != NULL
                 ? (PayamAppMode) g_settings_get_enum (self->settings, "mode")
                 : PAYAM_APP_MODE_OFFICE;

  if (self->db_path == NULL && self->settings != NULL)
    {
      g_autofree char *path = g_settings_get_string (self->settings, "db-path");

      if (path[0] != '\0')
        self->db_path = g_steal_pointer (&path);
    }
  if (self->db_path == NULL)
    self->db_path = default_db_path ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);
  /* A citizen at the kiosk must not be able to close it from the keyboard. */
  if (self->mode != PAYAM_APP_MODE_KIOSK)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}

static void
payam_application_shutdown (GApplication *application)
{
  PayamApplication *self = PAYAM_APPLICATION (application);

  G_APPLICATION_CLASS (payam_application_parent_class)->shutdown (application);

  if (self->sync_service != NULL)
    payam_sync_service_stop (self->sync_service);
  g_clear_object (&self->sync_service);
  g_clear_object (&self->store);
}

/* Turn --mode and --db into properties. A wrong mode ends the program with status 2 and
 * a message on stderr. */
/* The mode the application will run in: the option's, else the settings' (as in startup). */
static gboolean
is_kiosk_mode (PayamApplication *self)
{
  g_autoptr(GSettings) settings = NULL;

  if (self->mode_set)
    return self->mode == PAYAM_APP_MODE_KIOSK;
  settings = lookup_settings (APP_ID);
  return settings != NULL && g_settings_get_enum (settings, "mode") == PAYAM_APP_MODE_KIOSK;
}

static int
payam_application_handle_local_options (GApplication *application,
                                        GVariantDict *options)
{
  PayamApplication *self = PAYAM_APPLICATION (application);
  const char *mode = NULL;
  g_autofree char *db_path = NULL;

  if (g_variant_dict_lookup (options, "mode", "&s", &mode))
    {
      GEnumClass *enum_class = g_type_class_ref (PAYAM_TYPE_APP_MODE);
      GEnumValue *value = g_enum_get_value_by_nick (enum_class, mode);
      int chosen = value != NULL ? value->value : -1;

      g_type_class_unref (enum_class);
      if (chosen < 0)
        {
          /* Translators: %s is what was typed after --mode; kiosk, crew and office are
           * typed as they are, keep them in Latin. */
          g_printerr (_("Unknown mode “%s”: use kiosk, crew or office.\n"), mode);
          return 2;
        }
      payam_application_set_mode (self, (PayamAppMode) chosen);
    }

  if (g_variant_dict_lookup (options, "db", "^ay", &db_path))
    payam_application_set_db_path (self, db_path);

  /* A kiosk draws with cairo and loads no GL unless GSK_RENDERER says otherwise: its
   * screens are still, and GL on a kiosk without a GPU (Mesa's llvmpipe) keeps about
   * 130 MB more resident (bench/kiosk). Set here, before GTK starts and reads them. */
  if (is_kiosk_mode (self) && g_getenv ("GSK_RENDERER") == NULL)
    {
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
    }

  return -1;
}

static void
payam_application_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PayamApplication *self = PAYAM_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;

    case PROP_DB_PATH:
      g_value_set_string (value, self->db_path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
payam_application_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PayamApplication *self = PAYAM_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_MODE:
      payam_application_set_mode (self, g_value_get_enum (value));
      break;

    case PROP_DB_PATH:
      payam_application_set_db_path (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
payam_application_dispose (GObject *object)
{
  PayamApplication *self = PAYAM_APPLICATION (object);

  g_clear_object (&self->sync_service);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (payam_application_parent_class)->dispose (object);
}

static void
payam_application_finalize (GObject *object)
{
  PayamApplication *self = PAYAM_APPLICATION (object);

  g_clear_pointer (&self->db_path, g_free);

  G_OBJECT_CLASS (payam_application_parent_class)->finalize (object);
}

static void
payam_application_class_init (PayamApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->get_property = payam_application_get_property;
  object_class->set_property = payam_application_set_property;
  object_class->dispose = payam_application_dispose;
  object_class->finalize = payam_application_finalize;

  app_class->activate = payam_application_activate;
  app_class->startup = payam_application_startup;
  app_class->shutdown = payam_application_shutdown;
  app_class->handle_local_options = payam_application_handle_local_options;

  /* Only set (not constructed) values mark a choice: the default keeps GSettings in charge. */
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL,
                       PAYAM_TYPE_APP_MODE, PAYAM_APP_MODE_OFFICE,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DB_PATH] =
    g_param_spec_string ("db-path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  payam_register_resource ();
}

static void
payam_application_init (PayamApplication *self)
{
  self->mode = PAYAM_APP_MODE_OFFICE;

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Messages from citizens to the municipality."));
}
