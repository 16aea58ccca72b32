/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl enrol-code, devices, revoke: the office server's device registry. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-store-devices.h"
#include "payam-store-worksheets.h"
#include "payam-sync-code.h"
#include "payamctl-private.h"

#define DEFAULT_TTL_HOURS 24

static const char *
role_label (PayamRole role)
{
  switch (role)
    {
    case PAYAM_ROLE_KIOSK:
      return _("kiosk");
    case PAYAM_ROLE_CREW:
      return _("crew");
    case PAYAM_ROLE_OFFICE:
      return _("office");
    default:
      return payam_role_to_string (role);
    }
}

/* enrol-code: a one-time code for a new device of a role; the code is the last line. */
int
ctl_cmd_enrol_code (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *role_text = NULL;
  g_autofree char *crew_id = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *fingerprint_text = NULL;
  g_autofree char *code = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *until = NULL;
  g_autofree char *hours = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) expires = NULL;
  PayamRole role;
  int ttl = DEFAULT_TTL_HOURS;
  int status;
  const GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text,
      N_("The device's role: kiosk, crew or office"), N_("ROLE") },
    { "crew", 0, 0, G_OPTION_ARG_STRING, &crew_id,
      N_("The crew of a crew device (its id or name)"), N_("CREW") },
    { "ttl", 0, 0, G_OPTION_ARG_INT, &ttl,
      N_("Hours the code stays valid (24 by default, at most 720)"), N_("HOURS") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Make a one-time code that enrols one device with this "
                                  "office server. The code also carries the server "
                                  "certificate's fingerprint, so the device can check it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (role_text == NULL || !payam_role_from_string (role_text, &role))
    {
      ctl_print_usage_error ("enrol-code", _("Give the role: --role kiosk, crew or office."));
      return CTL_EXIT_USAGE;
    }
  if (ttl < 1 || ttl > 720)
    {
      ctl_print_usage_error ("enrol-code", _("An enrolment code lasts from 1 to 720 hours."));
      return CTL_EXIT_USAGE;
    }

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  if (crew_id != NULL)
    {
      /* A crew may be named: the code is bound to its id. */
      char *found = payam_store_find_crew (store, crew_id, &error);

      if (found == NULL)
        {
          ctl_print_error (error->message);
          return CTL_EXIT_FAILURE;
        }
      g_free (crew_id);
      crew_id = found;
    }
  fingerprint = payam_store_dup_server_fingerprint (store, &error);
  code = fingerprint != NULL ? payam_sync_code_make (fingerprint, &hash, &error) : NULL;
  if (code == NULL ||
      !payam_store_add_enrol_code (store, hash, role, crew_id, (guint) ttl, &error))
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }

  now = g_date_time_new_now_utc ();
  expires = g_date_time_add_hours (now, ttl);
  until = ctl_format_utc (expires);
  hours = ctl_format_integer (ttl);
  fingerprint_text = payam_sync_fingerprint_format (fingerprint);
  /* Translators: %s is a role (kiosk, crew, office), then a time, then a number of hours. */
  g_print (_("A one-time code for a %s device, valid until %s (%s hours):\n"),
           role_label (role), until, hours);
  /* Translators: %s is the certificate's fingerprint (hex pairs). */
  g_print (_("Server certificate SHA-256: %s\n"), fingerprint_text);
  g_print ("%s\n", code);
  return CTL_EXIT_OK;
}

/* devices: every enrolled device with its role, prefix and state. */
int
ctl_cmd_devices (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  int status;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("List the devices enrolled with this office "
                                           "server: id, tracking-code prefix, role, crew, "
                                           "when enrolled, last seen and revoked."));
  if (!ctl_parse_options (context, ctx, &status))
    return status;

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  devices = payam_store_list_devices (store, &error);
  if (devices == NULL)
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }
  if (devices->len == 0)
    {
      g_print ("%s\n", _("No device is enrolled."));
      return CTL_EXIT_OK;
    }
  for (guint i = 0; i < devices->len; i++)
    {
      const PayamDevice *device = g_ptr_array_index (devices, i);
      g_autofree char *prefix = ctl_format_integer (device->prefix);
      const char *state = device->revoked_at != NULL ? _("revoked") : _("active");

      /* Translators: device id, then prefix, role and state (active or revoked). */
      g_print (_("%s  prefix %s  %s  %s\n"), device->id, prefix, role_label (device->role),
               state);
      if (device->crew_id != NULL)
        /* Translators: %s is a crew id. */
        g_print (_("  crew: %s\n"), device->crew_id);
      /* Translators: %s is a time in UTC. */
      g_print (_("  enrolled: %s\n"), device->enrolled_at);
      if (device->last_seen != NULL)
        /* Translators: %s is a time in UTC. */
        g_print (_("  last seen: %s\n"), device->last_seen);
      if (device->revoked_at != NULL)
        /* Translators: %s is a time in UTC. */
        g_print (_("  revoked: %s\n"), device->revoked_at);
    }
  return CTL_EXIT_OK;
}

/* revoke ID: the device's credential is refused from now on. */
int
ctl_cmd_revoke (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  context = g_option_context_new (_("ID"));
  g_option_context_set_summary (context, _("End a device's access: the server refuses its "
                                           "credential from now on."));
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2)
    {
      ctl_print_usage_error ("revoke", _("Give the id of one device (see “payamctl devices”)."));
      return CTL_EXIT_USAGE;
    }

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  if (!payam_store_revoke_device (store, ctx->argv[1], &error))
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }
  /* Translators: %s is a device id. */
  g_print (_("Device %s is revoked.\n"), ctx->argv[1]);
  return CTL_EXIT_OK;
}
