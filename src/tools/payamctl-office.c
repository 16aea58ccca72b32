/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl search and staff: the office's search and its staff accounts. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "payam-lifecycle.h"
#include "payam-queue-item.h"
#include "payam-store-queues.h"
#include "payam-store-staff.h"
#include "payam-store-triage.h"
#include "payam-tracking.h"
#include "payamctl-private.h"

#define SEARCH_DEFAULT_LIMIT 20
#define SEARCH_MAX_LIMIT     1000

/* Add member @name with @value (NULL adds null). */
static void
json_add_string (JsonBuilder *b,
                 const char  *name,
                 const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* Print @items as one JSON array on standard output. */
static void
print_items_json (GPtrArray *items)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < items->len; i++)
    {
      PayamQueueItem *item = g_ptr_array_index (items, i);

      json_builder_begin_object (b);
      json_add_string (b, "id", payam_queue_item_get_id (item));
      json_add_string (b, "tracking_code", payam_queue_item_get_tracking_code (item));
      json_add_string (b, "status", payam_queue_item_get_status (item));
      json_add_string (b, "category", payam_queue_item_get_category (item));
      json_builder_set_member_name (b, "priority");
      json_builder_add_int_value (b, payam_queue_item_get_priority (item));
      json_add_string (b, "neighbourhood", payam_queue_item_get_neighbourhood (item));
      json_add_string (b, "text", payam_queue_item_get_text (item));
      {
        g_autoptr(GDateTime) created = payam_queue_item_dup_created_at (item);
        g_autoptr(GDateTime) due = payam_queue_item_dup_due_at (item);
        g_autofree char *created_text = created != NULL ? ctl_format_utc (created) : NULL;
        g_autofree char *due_text = due != NULL ? ctl_format_utc (due) : NULL;

        json_add_string (b, "created_at", created_text);
        json_add_string (b, "due_at", due_text);
      }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* One line per item: code, status, category, the first words of the text. */
static void
print_items_text (GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      PayamQueueItem *item = g_ptr_array_index (items, i);
      const char *canonical = payam_queue_item_get_tracking_code (item);
      g_autofree char *code = ctl_persian_digits () ? payam_tracking_code_format (canonical)
                                                    : g_strdup (canonical);
      PayamStatus status = PAYAM_STATUS_REGISTERED;
      const char *text = payam_queue_item_get_text (item);
      g_autofree char *words = NULL;

      payam_status_from_string (payam_queue_item_get_status (item), &status);
      if (g_utf8_strlen (text, -1) > 60)
        {
          g_autofree char *start = g_utf8_substring (text, 0, 60);

          words = g_strconcat (start, "…", NULL);
        }
      g_print ("%s  %s  %s  %s\n", code, payam_status_label (status),
               payam_queue_item_get_category (item), words != NULL ? words : text);
    }
}

/* search QUERY [--json] [--limit N]: the office's search from the command line. */
int
ctl_cmd_search (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *query = NULL;
  gboolean json = FALSE;
  int limit = SEARCH_DEFAULT_LIMIT;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit,
      N_("Show at most this many messages (20 by default)"), N_("N") },
    { NULL }
  };

  context = g_option_context_new (_("QUERY"));
  g_option_context_set_summary (context,
                                _("Find messages by tracking code, phone number (any digits, "
                                  "with or without separators) or words, newest first."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc < 2)
    {
      ctl_print_usage_error ("search", _("Give what to search for."));
      return CTL_EXIT_USAGE;
    }
  if (limit < 1 || limit > SEARCH_MAX_LIMIT)
    {
      ctl_print_usage_error ("search", _("The limit is from 1 to 1000."));
      return CTL_EXIT_USAGE;
    }
  /* Several arguments are one query: a code or phone typed with spaces. */
  query = g_strjoinv (" ", ctx->argv + 1);

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  items = payam_store_search (store, query, (guint) limit, &error);
  if (items == NULL)
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }
  if (json)
    print_items_json (items);
  else if (items->len == 0)
    g_print ("%s\n", _("No message matches."));
  else
    print_items_text (items);
  return CTL_EXIT_OK;
}

/* The password in @path: the file's text without its final line break. NULL with the
 * error printed. */
static char *
read_password_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      ctl_print_error (error->message);
      return NULL;
    }
  if (memchr (contents, '\0', length) != NULL || !g_utf8_validate (contents, length, NULL))
    {
      ctl_print_error (_("The password file must hold text (UTF-8)."));
      return NULL;
    }
  if (length > 0 && contents[length - 1] == '\n')
    contents[--length] = '\0';
  if (length > 0 && contents[length - 1] == '\r')
    contents[--length] = '\0';
  return g_steal_pointer (&contents);
}

static int
staff_add (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *role_text = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  g_autofree char *id = NULL;
  PayamStaffRole role;
  int status;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The staff member's name"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text,
      N_("office or supervisor"), N_("ROLE") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("A file holding the password (at least 8 characters)"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Add an office staff account. The password is "
                                           "read from a file, never from the command line, "
                                           "and only its hash is kept."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (name == NULL || password_file == NULL)
    {
      ctl_print_usage_error ("staff add", _("Give --name and --password-file."));
      return CTL_EXIT_USAGE;
    }
  if (role_text == NULL || !payam_staff_role_from_string (role_text, &role))
    {
      ctl_print_usage_error ("staff add", _("Give the role: --role office or supervisor."));
      return CTL_EXIT_USAGE;
    }
  if ((password = read_password_file (password_file)) == NULL)
    return CTL_EXIT_FAILURE;

  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  id = payam_store_add_staff (store, name, role, password, &error);
  memset (password, 0, strlen (password));
  if (id == NULL)
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }
  g_print ("%s\n", id);
  return CTL_EXIT_OK;
}

static int
staff_list (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  int status;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("List the office staff accounts: name, role and "
                                           "whether each may sign in."));
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  staff = payam_store_list_staff (store, &error);
  if (staff == NULL)
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }
  if (staff->len == 0)
    g_print ("%s\n", _("No staff account yet."));
  for (guint i = 0; i < staff->len; i++)
    {
      const PayamStaff *s = g_ptr_array_index (staff, i);

      g_print ("%s\t%s\t%s\n", s->name,
               s->role == PAYAM_STAFF_ROLE_SUPERVISOR ? _("supervisor") : _("office"),
               s->active ? _("active") : _("disabled"));
    }
  return CTL_EXIT_OK;
}

/* staff disable NAME, staff enable NAME. */
static int
staff_set_active (CtlContext *ctx,
                  gboolean    active)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *command = active ? "staff enable" : "staff disable";
  int status;
  gboolean ok;

  context = g_option_context_new (_("NAME"));
  g_option_context_set_summary (context, active ? _("Enable a disabled office staff account "
                                                    "again: it can sign in.")
                                                : _("Disable an office staff account: it can no "
                                                    "longer sign in; what it did stays recorded."));
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2)
    {
      ctl_print_usage_error (command, _("Give one staff member's name."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  ok = active ? payam_store_enable_staff (store, ctx->argv[1], &error)
              : payam_store_disable_staff (store, ctx->argv[1], &error);
  if (!ok)
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }
  return CTL_EXIT_OK;
}

/* staff password NAME --password-file FILE: payamctl sets anyone's new password. */
static int
staff_password (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  int status;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("A file holding the new password (at least 8 characters)"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("NAME"));
  g_option_context_set_summary (context, _("Give an office staff account a new password. It "
                                           "is read from a file, never from the command "
                                           "line, and only its hash is kept."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2 || password_file == NULL)
    {
      ctl_print_usage_error ("staff password", _("Give one staff member's name and "
                                                 "--password-file."));
      return CTL_EXIT_USAGE;
    }
  if ((password = read_password_file (password_file)) == NULL)
    return CTL_EXIT_FAILURE;
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  ok = payam_store_set_staff_password (store, ctx->argv[1], NULL, password, &error);
  memset (password, 0, strlen (password));
  if (!ok)
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }
  return CTL_EXIT_OK;
}

/* staff add|list|disable|enable|password: the sub-command gets the arguments after
 * "staff". */
int
ctl_cmd_staff (CtlContext *ctx)
{
  CtlContext sub = { ctx->db_path, ctx->argc - 1, ctx->argv + 1 };

  if (ctx->argc < 2 || g_str_equal (ctx->argv[1], "--help") || g_str_equal (ctx->argv[1], "-h"))
    {
      if (ctx->argc < 2)
        {
          ctl_print_usage_error ("staff", _("Give add, list, disable, enable or password."));
          return CTL_EXIT_USAGE;
        }
      g_print ("%s\n", _("payamctl staff add --name NAME --role office|supervisor "
                         "--password-file FILE\npayamctl staff list\n"
                         "payamctl staff disable NAME\npayamctl staff enable NAME\n"
                         "payamctl staff password NAME --password-file FILE"));
      return CTL_EXIT_OK;
    }
  if (g_str_equal (ctx->argv[1], "add"))
    return staff_add (&sub);
  if (g_str_equal (ctx->argv[1], "list"))
    return staff_list (&sub);
  if (g_str_equal (ctx->argv[1], "disable"))
    return staff_set_active (&sub, FALSE);
  if (g_str_equal (ctx->argv[1], "enable"))
    return staff_set_active (&sub, TRUE);
  if (g_str_equal (ctx->argv[1], "password"))
    return staff_password (&sub);
  ctl_print_usage_error ("staff", _("Give add, list, disable, enable or password."));
  return CTL_EXIT_USAGE;
}

/* reopen CODE --as NAME --password-file FILE --reason TEXT: a supervisor's reopen, signed
 * in as that account so it is recorded under it (payam_store_supervisor_reopen). */
int
ctl_cmd_reopen (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStaff) staff = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autofree char *name = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *canonical = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "as", 0, 0, G_OPTION_ARG_STRING, &name, N_("The supervisor's account name"),
      N_("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("A file holding the account's password"), N_("FILE") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why the message is reopened"),
      N_("TEXT") },
    { NULL }
  };

  context = g_option_context_new (_("CODE"));
  g_option_context_set_summary (context, _("Reopen a finished message as a supervisor: it is "
                                           "triaged again, with the reason recorded under "
                                           "the account."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2 || name == NULL || password_file == NULL)
    {
      ctl_print_usage_error ("reopen", _("Give the tracking code, --as and --password-file."));
      return CTL_EXIT_USAGE;
    }
  if ((password = read_password_file (password_file)) == NULL)
    return CTL_EXIT_FAILURE;
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  staff = payam_store_sign_in (store, name, password, &error);
  memset (password, 0, strlen (password));
  if (staff == NULL ||
      (canonical = payam_tracking_code_parse (ctx->argv[1], &error)) == NULL ||
      (request = payam_store_find_by_tracking_code (store, canonical, &error)) == NULL ||
      !payam_store_supervisor_reopen (store, request->id, reason, &error))
    {
      ctl_print_error (error->message);
      return CTL_EXIT_FAILURE;
    }
  return CTL_EXIT_OK;
}
