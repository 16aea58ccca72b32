/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payam-server: the office server's command line; options, identity, listening, SIGTERM. */
#define G_LOG_DOMAIN "payam-server"
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "payam-open311.h"
#include "payam-sms-gateway.h"
#include "payam-store-devices.h"
#include "payam-sync-code.h"
#include "payam-sync-identity.h"
#include "payam-sync-server.h"

#define EXIT_USAGE 2

static void
print_line (const char *line,
            gpointer    user_data)
{
  g_print ("%s\n", line);
}

static gboolean
quit (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* "ADDR:PORT" with a numeric IPv4 or IPv6 address ("[::1]:8443"): the server listens only
 * where it is told, never on a name that might resolve to more. NULL with an error. */
static GSocketAddress *
parse_listen (const char  *text,
              GError     **error)
{
  const char *colon = strrchr (text, ':');
  g_autofree char *host = NULL;
  guint64 port = 0;
  GSocketAddress *address = NULL;

  if (colon != NULL && colon > text &&
      g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      host = g_strndup (text, colon - text);
      if (host[0] == '[' && host[strlen (host) - 1] == ']')
        {
          char *inner = g_strndup (host + 1, strlen (host) - 2);

          g_free (host);
          host = inner;
        }
      address = g_inet_socket_address_new_from_string (host, (guint) port);
    }
  if (address == NULL)
    /* Translators: %s is what the user gave; keep ADDR:PORT and the examples as they are. */
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("“%s” is not ADDR:PORT with a numeric address, e.g. 127.0.0.1:8443 "
                   "or [::1]:8443."), text);
  return address;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(PayamSyncServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *fingerprint_text = NULL;
  g_autofree char *office_key = NULL;
  const char *localedir;
  gboolean created = FALSE;
  PayamSyncSlots slots;
  int max_connections = 0;
  int max_per_address = 32;
  int handshake_timeout = 10;
  int header_timeout = 15;
  int body_timeout = 60;
  int idle_timeout = 30;
  int track_rate = 30;
  int track_burst = 10;
  int enrol_rate = 6;
  int enrol_burst = 5;
  int open311_rate = PAYAM_OPEN311_READ_PER_MINUTE;
  int open311_burst = PAYAM_OPEN311_READ_BURST;
  g_autofree char *jurisdiction = NULL;
  gboolean trust_forwarded = FALSE;
  g_autofree char *sms_gateway = NULL;
  g_autofree char *sms_key_file = NULL;
  g_autofree char *sms_sender = NULL;
  g_autofree char *sms_ca_file = NULL;
  int sms_batch = 10;
  int sms_interval = 2000;
  int sms_retry = 5;
  g_autoptr(PayamSmsSender) sms = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The office database"), N_("FILE") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_("Listen on this numeric address and port only"), N_("ADDR:PORT") },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
      N_("Folder of the server’s certificate and keys"), N_("DIR") },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_file,
      N_("The TLS certificate (PEM) instead of a self-signed one"), N_("FILE") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("The certificate’s private key (PEM)"), N_("FILE") },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections,
      N_("Connections served at once (0: as the file limit allows)"), N_("N") },
    { "max-per-address", 0, 0, G_OPTION_ARG_INT, &max_per_address,
      N_("Connections served at once from one client address (0: no cap)"), N_("N") },
    { "handshake-timeout", 0, 0, G_OPTION_ARG_INT, &handshake_timeout,
      N_("Seconds for a TLS handshake"), N_("S") },
    { "header-timeout", 0, 0, G_OPTION_ARG_INT, &header_timeout,
      N_("Seconds for a request’s headers, waiting included"), N_("S") },
    { "body-timeout", 0, 0, G_OPTION_ARG_INT, &body_timeout,
      N_("Seconds for a request’s body"), N_("S") },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      N_("Seconds a connection may stay silent"), N_("S") },
    { "track-rate", 0, 0, G_OPTION_ARG_INT, &track_rate,
      N_("Tracking requests a minute from one address (0: no limit)"), N_("N") },
    { "track-burst", 0, 0, G_OPTION_ARG_INT, &track_burst,
      N_("Tracking requests from one address before the rate applies"), N_("N") },
    { "enrol-rate", 0, 0, G_OPTION_ARG_INT, &enrol_rate,
      N_("Enrolments a minute from one address (0: no limit)"), N_("N") },
    { "enrol-burst", 0, 0, G_OPTION_ARG_INT, &enrol_burst,
      N_("Enrolments from one address before the rate applies"), N_("N") },
    { "open311-rate", 0, 0, G_OPTION_ARG_INT, &open311_rate,
      N_("Open311 readings a minute from one address (0: no limit)"), N_("N") },
    { "open311-burst", 0, 0, G_OPTION_ARG_INT, &open311_burst,
      N_("Open311 readings from one address before the rate applies"), N_("N") },
    { "open311-jurisdiction", 0, 0, G_OPTION_ARG_STRING, &jurisdiction,
      N_("The district's Open311 jurisdiction_id (default “payam”)"), N_("ID") },
    { "trust-forwarded", 0, 0, G_OPTION_ARG_NONE, &trust_forwarded,
      N_("Behind a proxy on this host: count requests by X-Forwarded-For"), NULL },
    { "sms-gateway", 0, 0, G_OPTION_ARG_STRING, &sms_gateway,
      N_("Send the citizens' text messages through this Kavenegar-style gateway"), N_("URL") },
    { "sms-key-file", 0, 0, G_OPTION_ARG_FILENAME, &sms_key_file,
      N_("The gateway's API key, in a file only the service may read"), N_("FILE") },
    { "sms-sender", 0, 0, G_OPTION_ARG_STRING, &sms_sender,
      N_("The number text messages are sent from"), N_("NUMBER") },
    { "sms-ca-file", 0, 0, G_OPTION_ARG_FILENAME, &sms_ca_file,
      N_("Trust the gateway's certificate from this CA file"), N_("FILE") },
    { "sms-batch", 0, 0, G_OPTION_ARG_INT, &sms_batch,
      N_("Text messages handed to the gateway at once (default 10)"), N_("N") },
    { "sms-interval", 0, 0, G_OPTION_ARG_INT, &sms_interval,
      N_("Milliseconds between looks at the queue and delivery reports (default 2000)"),
      N_("MS") },
    { "sms-retry", 0, 0, G_OPTION_ARG_INT, &sms_retry,
      N_("Seconds before the first retry of a busy gateway, doubled each time (default 5)"),
      N_("SECONDS") },
    { NULL }
  };

  /* TLS 1.2 at least, for every connection of this process; read once, before the first. */
  g_setenv ("G_TLS_GNUTLS_PRIORITY", PAYAM_TLS_PRIORITY, TRUE);
  setlocale (LC_ALL, "");
  localedir = g_getenv ("PAYAM_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("payam-server");
  /* One log line per request must reach journald or a pipe at once. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("The Payam office server: devices enrol and sync "
                                           "with it over HTTPS."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_USAGE;
    }
  if (db_path == NULL || listen == NULL)
    {
      g_printerr ("%s\n", _("Give the database with --db and the address with --listen."));
      return EXIT_USAGE;
    }
  if ((cert_file == NULL) != (key_file == NULL))
    {
      g_printerr ("%s\n", _("Give --cert and --key together, or neither."));
      return EXIT_USAGE;
    }
  if (max_connections < 0 || max_per_address < 0 || handshake_timeout <= 0 ||
      header_timeout <= 0 || body_timeout <= 0 || idle_timeout <= 0 || track_rate < 0 ||
      track_burst < 0 || enrol_rate < 0 || enrol_burst < 0 || open311_rate < 0 ||
      open311_burst < 0)
    {
      g_printerr ("%s\n", _("Counts must not be negative and time-outs must be positive."));
      return EXIT_USAGE;
    }
  if (jurisdiction != NULL && !payam_open311_jurisdiction_valid (jurisdiction))
    {
      g_printerr ("%s\n", _("The jurisdiction_id is 1 to 64 Latin letters, digits, dots, "
                            "hyphens or underscores."));
      return EXIT_USAGE;
    }
  if ((sms_gateway != NULL) != (sms_key_file != NULL) ||
      (sms_gateway != NULL) != (sms_sender != NULL) || sms_batch <= 0 || sms_interval <= 0 ||
      sms_retry <= 0)
    {
      g_printerr ("%s\n", _("Give --sms-gateway, --sms-key-file and --sms-sender together, "
                            "with a positive batch, interval and retry time."));
      return EXIT_USAGE;
    }
  address = parse_listen (listen, &error);
  if (address == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_USAGE;
    }

  if (!payam_sync_identity_check_tls (&error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (state_dir == NULL)
    state_dir = g_build_filename (g_get_user_state_dir (), "payam-server", NULL);

  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      /* Translators: both %s are the database file name. */
      g_printerr (_("There is no database at %s. Create it with “payamctl --db %s init”.\n"),
                  db_path, db_path);
      return EXIT_FAILURE;
    }
  store = payam_store_open (db_path, &error);
  if (store == NULL)
    {
      /* Translators: %s is the reason. */
      g_printerr (_("Cannot open the database: %s\n"), error->message);
      return EXIT_FAILURE;
    }
  payam_store_set_actor (store, "payam-server");

  certificate = payam_sync_identity_load_certificate (cert_file, key_file, state_dir, &created,
                                                      &error);
  office_key = certificate != NULL
               ? payam_sync_identity_load_office_key_for (state_dir, store, &error) : NULL;
  if (office_key == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  fingerprint = payam_sync_fingerprint (certificate);
  if (!payam_store_set_server_fingerprint (store, fingerprint, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  fingerprint_text = payam_sync_fingerprint_format (fingerprint);
  if (created)
    /* Translators: %s is a folder. */
    g_print (_("Made a self-signed certificate in %s.\n"), state_dir);
  /* Translators: %s is the certificate's SHA-256 fingerprint (hex pairs). */
  g_print (_("Certificate SHA-256: %s\n"), fingerprint_text);

  server = payam_sync_server_new (store, certificate, office_key);
  payam_sync_server_set_log_func (server, print_line, NULL);
  payam_sync_slots_init (&slots);
  slots.max_connections = (guint) max_connections;
  slots.max_per_address = (guint) max_per_address;
  slots.handshake_timeout = (guint) handshake_timeout;
  slots.header_timeout = (guint) header_timeout;
  slots.body_timeout = (guint) body_timeout;
  slots.idle_timeout = (guint) idle_timeout;
  payam_sync_server_set_slots (server, &slots);
  payam_sync_server_set_rate (server, PAYAM_SYNC_ROUTE_TRACK, (guint) track_rate,
                              (guint) track_burst);
  payam_sync_server_set_rate (server, PAYAM_SYNC_ROUTE_ENROL, (guint) enrol_rate,
                              (guint) enrol_burst);
  payam_sync_server_set_rate (server, PAYAM_SYNC_ROUTE_OPEN311, (guint) open311_rate,
                              (guint) open311_burst);
  if (jurisdiction != NULL)
    payam_sync_server_set_jurisdiction (server, jurisdiction);
  payam_sync_server_set_trust_forwarded (server, trust_forwarded);
  if (!payam_sync_server_listen (server, address, &error))
    {
      /* Translators: %s is the reason. */
      g_printerr (_("Cannot listen: %s\n"), error->message);
      return EXIT_FAILURE;
    }
  {
    g_autofree char *host = g_inet_address_to_string (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
    guint port = payam_sync_server_get_port (server);

    /* Translators: %s is an address, %u a port number. */
    g_print (strchr (host, ':') != NULL ? _("Listening on https://[%s]:%u/\n")
                                        : _("Listening on https://%s:%u/\n"), host, port);
  }

  if (sms_gateway != NULL)
    {
      g_autofree char *sms_key = payam_sms_read_key_file (sms_key_file, &error);
      g_autoptr(PayamSmsGateway) gateway = NULL;

      if (sms_key != NULL)
        gateway = payam_sms_kavenegar_new (sms_gateway, sms_key, sms_sender, sms_ca_file,
                                           &error);
      if (gateway == NULL)
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
      sms = payam_sms_sender_new (store, gateway, (guint) sms_batch, (guint) sms_interval,
                                  (guint) sms_retry, print_line, NULL);
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit, loop);
  g_unix_signal_add (SIGINT, quit, loop);
  g_main_loop_run (loop);

  g_clear_pointer (&sms, payam_sms_sender_free);
  payam_sync_server_disconnect (server);
  g_print ("%s\n", _("Stopped."));
  return EXIT_SUCCESS;
}
