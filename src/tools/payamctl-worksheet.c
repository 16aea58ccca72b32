/* SPDX-License-Identifier: GPL-3.0-or-later */
/* payamctl worksheet and timeline: work recorded once for a group, and what each reporter sees. */
#define G_LOG_DOMAIN "payam-ctl"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-store-worksheets.h"
#include "payamctl-groups-private.h"

int
ctl_cmd_worksheet (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE"));
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *kind_text = NULL;
  g_autofree char *note = NULL;
  g_autofree char *crew = NULL;
  g_autofree char *role_text = NULL;
  g_auto(GStrv) photo_files = NULL;
  g_autofree char *action = NULL;
  PayamActionKind kind = PAYAM_ACTION_NOTE;
  PayamRole role = PAYAM_ROLE_OFFICE;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_text,
      N_("What was done: note, assign, start, photo, done or not_possible"), N_("KIND") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note,
      N_("A note; the reason for not_possible"), N_("TEXT") },
    { "photo", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &photo_files,
      N_("An evidence photo (may be repeated)"), N_("FILE") },
    { "crew", 0, 0, G_OPTION_ARG_STRING, &crew,
      N_("The crew to assign (made when new)"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text,
      N_("Who acts: office (the default) or crew"), N_("ROLE") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Record work on the worksheet of a request's group, "
                                           "once for every member."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2 || kind_text == NULL || !payam_action_kind_from_string (kind_text, &kind) ||
      (kind == PAYAM_ACTION_ASSIGN) != (crew != NULL) ||
      (role_text != NULL && (!payam_role_from_string (role_text, &role) ||
                             role == PAYAM_ROLE_KIOSK)))
    {
      ctl_print_usage_error (ctx->argv[0], _("Give one tracking code and --kind; --crew goes "
                                             "with --kind assign only, --role is office or "
                                             "crew."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  request = ctl_find_request (store, ctx->argv[1]);
  if (request == NULL)
    return CTL_EXIT_FAILURE;

  if (kind == PAYAM_ACTION_ASSIGN)
    {
      g_autofree char *crew_id = payam_store_find_crew (store, crew, NULL);

      if (crew_id == NULL)
        crew_id = payam_store_add_crew (store, crew, request->neighbourhood, &error);
      if (crew_id == NULL || !payam_store_assign_crew (store, request->id, crew_id, &error))
        return ctl_fail (_("Cannot assign the crew"), error);
      return CTL_EXIT_OK;
    }

  for (gsize i = 0; photo_files != NULL && photo_files[i] != NULL; i++)
    {
      g_autoptr(PayamPhoto) photo = payam_photo_import_file (photo_files[i], &error);

      if (photo == NULL || !payam_store_add_photo (store, photo, &error))
        return ctl_fail (_("Cannot add the photo"), error);
      g_ptr_array_add (photos, g_strdup (photo->sha256));
    }
  g_ptr_array_add (photos, NULL);

  {
    PayamActionDraft draft = {
      .kind = kind,
      .note = note,
      .photos = (const char * const *) photos->pdata,
    };

    action = payam_store_add_action (store, request->id, &draft, role, &error);
  }
  if (action == NULL)
    return ctl_fail (_("Cannot record the work"), error);
  g_print ("%s\n", action);
  return CTL_EXIT_OK;
}

/* ---- timeline --------------------------------------------------------------------------- */

static const char *
ctl_timeline_kind (PayamTimelineKind kind)
{
  switch (kind)
    {
    case PAYAM_TIMELINE_REGISTERED:
      return "registered";
    case PAYAM_TIMELINE_MERGED:
      return "merged";
    case PAYAM_TIMELINE_SPLIT:
      return "split";
    case PAYAM_TIMELINE_ASSIGNED:
      return "assigned";
    case PAYAM_TIMELINE_ACTION:
      return "action";
    case PAYAM_TIMELINE_STATUS:
      return "status";
    case PAYAM_TIMELINE_NOTICE:
      return "notice";
    case PAYAM_TIMELINE_OFFICE_CHANGE:
      return "office-change";
    default:
      return "?";
    }
}

/* A notice's state for people. */
static const char *
ctl_notice_state_label (const char *state)
{
  if (g_strcmp0 (state, "sent") == 0)
    return C_("notice state", "sent");
  if (g_strcmp0 (state, "failed") == 0)
    return C_("notice state", "failed");
  return C_("notice state", "pending");
}

/* The kind of a worksheet action for people. */
static const char *
ctl_action_label (PayamActionKind kind)
{
  switch (kind)
    {
    case PAYAM_ACTION_NOTE:
      return C_("worksheet action", "Note");
    case PAYAM_ACTION_ASSIGN:
      return C_("worksheet action", "Crew assigned");
    case PAYAM_ACTION_START:
      return C_("worksheet action", "Work started");
    case PAYAM_ACTION_PHOTO:
      return C_("worksheet action", "Photo");
    case PAYAM_ACTION_BEFORE:
      return C_("worksheet action", "Photo before the work");
    case PAYAM_ACTION_AFTER:
      return C_("worksheet action", "Photo after the work");
    case PAYAM_ACTION_DONE:
      return C_("worksheet action", "Work done");
    case PAYAM_ACTION_NOT_POSSIBLE:
      return C_("worksheet action", "Work not possible");
    default:
      return "?";
    }
}

/* One line for people describing @e. Caller owns it. */
static char *
ctl_timeline_line (const PayamTimelineEntry *e)
{
  switch (e->kind)
    {
    case PAYAM_TIMELINE_REGISTERED:
      return g_strdup (C_("timeline", "Registered"));
    case PAYAM_TIMELINE_MERGED:
      return g_strdup (_("Joined a group of duplicate messages"));
    case PAYAM_TIMELINE_SPLIT:
      return g_strdup (_("Taken out of its group"));
    case PAYAM_TIMELINE_ASSIGNED:
      /* Translators: %s is the name of a field crew. */
      return g_strdup_printf (_("Crew assigned: %s"), e->text != NULL ? e->text : "");
    case PAYAM_TIMELINE_ACTION:
      {
        GString *line = g_string_new (ctl_action_label (e->action));
        guint n = g_strv_length (e->photos);

        if (e->text != NULL)
          g_string_append_printf (line, ": %s", e->text);
        if (n > 0)
          {
            g_autofree char *count = ctl_format_integer (n);

            g_string_append_c (line, ' ');
            g_string_append_printf (line,
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 /* Translators: %s is a number, formatted. */
                                                 "(%s photo)", "(%s photos)", n),
                                    count);
          }
        return g_string_free (line, FALSE);
      }
    case PAYAM_TIMELINE_STATUS:
      /* Translators: two request statuses. */
      return g_strdup_printf (_("Status: %s → %s"), payam_status_label (e->from),
                              payam_status_label (e->status));
    case PAYAM_TIMELINE_NOTICE:
      /* Translators: the notice's state (pending, sent, failed), then its text. */
      return g_strdup_printf (_("Notice (%s): %s"), ctl_notice_state_label (e->notice_state),
                              e->text);
    case PAYAM_TIMELINE_OFFICE_CHANGE:
      /* Translators: the office's reason for a change. */
      return g_strdup_printf (_("Changed by the office: %s"), e->text);
    default:
      return g_strdup ("?");
    }
}

int
ctl_cmd_timeline (CtlContext *ctx)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE"));
  g_autoptr(PayamStore) store = NULL;
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  gboolean json = FALSE;
  int status = CTL_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Write JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Show what happened to a request, including the "
                                           "work done once for its whole group."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ctl_parse_options (context, ctx, &status))
    return status;
  if (ctx->argc != 2)
    {
      ctl_print_usage_error (ctx->argv[0], _("Give one tracking code."));
      return CTL_EXIT_USAGE;
    }
  store = ctl_open_store (ctx);
  if (store == NULL)
    return CTL_EXIT_FAILURE;
  request = ctl_find_request (store, ctx->argv[1]);
  if (request == NULL)
    return CTL_EXIT_FAILURE;
  timeline = payam_store_list_staff_timeline (store, request->id, &error);
  if (timeline == NULL)
    return ctl_fail (_("Cannot read the timeline"), error);

  if (!json)
    {
      for (guint i = 0; i < timeline->len; i++)
        {
          const PayamTimelineEntry *e = timeline->pdata[i];
          g_autofree char *when = payam_format_date_time (e->at);
          g_autofree char *line = ctl_timeline_line (e);
          g_autofree char *who = NULL;

          /* Who did the work (a crew member's name, issue #12). */
          if ((e->kind == PAYAM_TIMELINE_ACTION || e->kind == PAYAM_TIMELINE_OFFICE_CHANGE) &&
              e->actor != NULL)
            /* Translators: %s is the name of who recorded the action. */
            who = g_strdup_printf (_(" (by %s)"), e->actor);
          g_print ("%s  %s%s%s\n", when, line, e->for_group ? _(" (for the whole group)") : "",
                   who != NULL ? who : "");
        }
      return CTL_EXIT_OK;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  ctl_json_string (b, "tracking_code", request->tracking_code);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  for (guint i = 0; i < timeline->len; i++)
    {
      const PayamTimelineEntry *e = timeline->pdata[i];
      g_autofree char *at = ctl_format_utc (e->at);

      json_builder_begin_object (b);
      ctl_json_string (b, "kind", ctl_timeline_kind (e->kind));
      ctl_json_string (b, "at", at);
      json_builder_set_member_name (b, "for_group");
      json_builder_add_boolean_value (b, e->for_group);
      if (e->kind == PAYAM_TIMELINE_ACTION || e->kind == PAYAM_TIMELINE_ASSIGNED)
        ctl_json_string (b, "action", payam_action_kind_to_string (e->action));
      if (e->kind == PAYAM_TIMELINE_STATUS)
        {
          ctl_json_string (b, "from", payam_status_to_string (e->from));
          ctl_json_string (b, "status", payam_status_to_string (e->status));
        }
      if (e->kind == PAYAM_TIMELINE_NOTICE)
        {
          ctl_json_string (b, "state", e->notice_state);
          ctl_json_string (b, "channel", e->channel);
        }
      ctl_json_string (b, "text", e->text);
      ctl_json_string (b, "actor", e->actor);
      if (e->photos != NULL)
        {
          json_builder_set_member_name (b, "photos");
          json_builder_begin_array (b);
          for (gsize j = 0; e->photos[j] != NULL; j++)
            json_builder_add_string_value (b, e->photos[j]);
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  ctl_print_json (b);
  return CTL_EXIT_OK;
}
