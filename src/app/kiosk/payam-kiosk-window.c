/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskWindow: home, the visit page, the on-screen keyboard and the idle wipe. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "payam-application.h"
#include "payam-format.h"
#include "payam-kiosk-draft.h"
#include "payam-kiosk-follow.h"
#include "payam-kiosk-rate.h"
#include "payam-kiosk-receipt.h"
#include "payam-kiosk-register.h"
#include "payam-kiosk-window.h"
#include "payam-text.h"

/* How often "last synced 5 min ago" is brought up to date. */
#define SYNC_LABEL_REFRESH_S 30
/* The receipt stays this long after the last touch (its code must not be lost), with its
 * own countdown, under the code, for the last RECEIPT_COUNTDOWN_MS. */
#define RECEIPT_TIMEOUT_MS (3 * 60 * 1000)
#define RECEIPT_COUNTDOWN_MS (30 * 1000)
/* Below this screen height the kiosk uses its compact style (ui/style.css). */
#define SHORT_SCREEN_PX 700

struct _PayamKioskWindow
{
  AdwApplicationWindow parent_instance;

  /* owned */
  PayamStore       *store;
  PayamSyncService *sync_service;
  PayamKioskIdle   *idle;
  guint             refresh_id;
  guint             visit_timeout_ms;    /* the idle timing of the other pages, */
  guint             visit_warning_ms;    /* kept while the receipt shows */
  guint             receipt_timeout_ms;  /* the receipt's */
  guint             receipt_warning_ms;
  gboolean          receipt_timing;      /* the idle has the receipt's timing */
  guint             scroll_tick_id;      /* scrolls the typed-into field into view */
  gint64            scroll_frame;        /* the frame it was added in */

  /* weak: the page of the citizen's visit, inside the stack's "visit" child */
  GtkWidget        *visit;

  /* template children (borrowed) */
  AdwToastOverlay  *toast_overlay;
  GtkStack         *pages;
  GtkImage         *status_icon;
  GtkLabel         *status_label;
  GtkLabel         *last_sync_label;
  GtkLabel         *hotline_label;
  GtkLabel         *categories_label;
  GtkLabel         *empty_label;
  GtkRevealer      *keyboard_revealer;
  PayamKioskKeyboard *keyboard;
  GtkWidget        *countdown_box;
  GtkLabel         *countdown_label;
};

G_DEFINE_FINAL_TYPE (PayamKioskWindow, payam_kiosk_window, ADW_TYPE_APPLICATION_WINDOW)

/* The app's settings, or NULL when the schema is not installed (a build tree). */
static GSettings *
lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "kiosk-idle-timeout"))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

/* Seconds from environment variable @variable, else from the settings' @key, else
 * @fallback; in milliseconds. A variable that is not a positive number is ignored. */
static guint
timing_ms (GSettings  *settings,
           const char *variable,
           const char *key,
           guint       fallback_ms)
{
  const char *value = g_getenv (variable);

  if (value != NULL)
    {
      char *end = NULL;
      double seconds = g_ascii_strtod (value, &end);

      if (end != value && *end == '\0' && seconds > 0 && seconds < 86400)
        return (guint) (seconds * 1000);
      g_warning ("%s=%s is not a number of seconds; ignored", variable, value);
    }
  if (settings != NULL)
    return g_settings_get_uint (settings, key) * 1000;
  return fallback_ms;
}

/* --- keyboard ---------------------------------------------------------------------- */

static void
show_keyboard (PayamKioskWindow *self,
               GtkWidget        *target)
{
  payam_kiosk_keyboard_set_target (self->keyboard, target);
  gtk_revealer_set_reveal_child (self->keyboard_revealer, target != NULL);
}

/* The keyboard follows the focus: shown for a text widget outside itself, hidden for
 * anything else. */
static void
focus_changed (PayamKioskWindow *self)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));

  if (focus != NULL && payam_kiosk_keyboard_accepts (focus)
      && !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->keyboard)))
    show_keyboard (self, focus);
  else
    show_keyboard (self, NULL);

  /* Moving the focus is input too, even when it comes from assistive technology. */
  payam_kiosk_idle_poke (self->idle);
}

/* Scroll @scrolled so that the start of @target (at most half its height: where a text
 * view's cursor usually is) is in its visible area. */
static void
scroll_into_view (GtkWidget *scrolled,
                  GtkWidget *target)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  graphene_rect_t bounds;
  double page = gtk_widget_get_height (scrolled);
  double shift = 0;

  if (!gtk_widget_compute_bounds (target, scrolled, &bounds))
    return;

  bounds.size.height = MIN (bounds.size.height, page / 2);
  if (bounds.origin.y < 0)
    shift = bounds.origin.y;
  else if (bounds.origin.y + bounds.size.height > page)
    shift = bounds.origin.y + bounds.size.height - page;
  if (shift != 0)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + shift);
}

/* Scroll the visit (and any scrolled part of it, innermost first) so that the text widget
 * being typed into is not hidden behind the shown keyboard. */
static void
scroll_target_into_view (PayamKioskWindow *self)
{
  GtkWidget *target = payam_kiosk_keyboard_get_target (self->keyboard);

  if (!gtk_revealer_get_child_revealed (self->keyboard_revealer) || target == NULL
      || !gtk_widget_is_ancestor (target, GTK_WIDGET (self->pages)))
    return;

  for (GtkWidget *widget = gtk_widget_get_parent (target);
       widget != NULL && widget != GTK_WIDGET (self->pages);
       widget = gtk_widget_get_parent (widget))
    if (GTK_IS_SCROLLED_WINDOW (widget))
      scroll_into_view (widget, target);
}

static gboolean
scroll_target_tick (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  PayamKioskWindow *self = PAYAM_KIOSK_WINDOW (widget);

  /* Ticks run before the frame's layout: two frames on, the page has its new height. */
  if (gdk_frame_clock_get_frame_counter (clock) < self->scroll_frame + 2)
    return G_SOURCE_CONTINUE;
  self->scroll_tick_id = 0;
  scroll_target_into_view (self);
  return G_SOURCE_REMOVE;
}

/* Once the keyboard is in place, scroll the field into view; again on the next frame,
 * when the page has been laid out in the height the keyboard left (which, on a busy
 * machine, may not yet be the case now). */
static void
keyboard_revealed (PayamKioskWindow *self)
{
  scroll_target_into_view (self);
  if (self->scroll_tick_id == 0 && gtk_revealer_get_child_revealed (self->keyboard_revealer))
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

      self->scroll_frame = clock != NULL ? gdk_frame_clock_get_frame_counter (clock) : 0;
      self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self),
                                                           scroll_target_tick, NULL, NULL);
    }
}

static void
keyboard_close_requested (PayamKioskWindow *self)
{
  gtk_revealer_set_reveal_child (self->keyboard_revealer, FALSE);
}

/* The text widget @widget belongs to (itself, or the entry around an entry's text), or
 * NULL. */
static GtkWidget *
text_widget_of (GtkWidget *widget)
{
  GtkWidget *found = NULL;

  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (GTK_IS_EDITABLE (widget) || GTK_IS_TEXT_VIEW (widget))
      found = widget;
    else if (found != NULL)
      break;
  return found;
}

/* A press on the text widget that has the focus brings a closed keyboard back; a press
 * anywhere else but on a text widget or the keyboard puts it away (the text widget keeps
 * the focus), so that what it covered, e.g. the Next button, can be reached. */
static void
pressed (GtkGestureClick  *gesture,
         int               n_press,
         double            x,
         double            y,
         PayamKioskWindow *self)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  GtkWidget *text;

  if (picked == NULL || picked == GTK_WIDGET (self->keyboard)
      || gtk_widget_is_ancestor (picked, GTK_WIDGET (self->keyboard)))
    return;

  text = text_widget_of (picked);
  if (text == NULL)
    gtk_revealer_set_reveal_child (self->keyboard_revealer, FALSE);
  else if (focus != NULL && payam_kiosk_keyboard_accepts (focus)
           && (focus == text || gtk_widget_is_ancestor (focus, text)))
    show_keyboard (self, focus);
}

/* --- the visit ----------------------------------------------------------------------- */

/* Empty the clipboard and the primary selection: a citizen's copied words must not reach
 * the next one. */
static void
clear_clipboards (PayamKioskWindow *self)
{
  gdk_clipboard_set_content (gtk_widget_get_clipboard (GTK_WIDGET (self)), NULL);
  gdk_clipboard_set_content (gtk_widget_get_primary_clipboard (GTK_WIDGET (self)), NULL);
}

/* Drop the page of the citizen's visit, if any, and show home. The page is destroyed,
 * not hidden, so nothing the citizen entered stays in a widget; the draft goes with it. */
static void
go_home (PayamKioskWindow *self)
{
  GtkWidget *visit = gtk_stack_get_child_by_name (self->pages, "visit");

  payam_kiosk_idle_stop (self->idle);
  show_keyboard (self, NULL);
  gtk_stack_set_visible_child_name (self->pages, "home");
  if (visit != NULL)
    gtk_stack_remove (self->pages, visit);
  g_clear_weak_pointer (&self->visit);
  clear_clipboards (self);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

void
payam_kiosk_window_wipe (PayamKioskWindow *self)
{
  g_return_if_fail (PAYAM_IS_KIOSK_WINDOW (self));

  go_home (self);
}

/* Show @page as the visit's page, replacing the one before, inside a scrolled window (the
 * register has its own) so that nothing is cut off while the keyboard takes the bottom of
 * the screen; the idle timing is the receipt's long one on the receipt. */
static void
show_visit (PayamKioskWindow *self,
            GtkWidget        *page)
{
  GtkWidget *visit = gtk_stack_get_child_by_name (self->pages, "visit");
  GtkWidget *scrolled;

  if (visit != NULL)
    {
      gtk_stack_set_visible_child_name (self->pages, "home");
      gtk_stack_remove (self->pages, visit);
    }
  g_signal_connect_object (page, PAYAM_IS_KIOSK_REGISTER (page) ? "cancelled" : "done",
                           G_CALLBACK (go_home), self, G_CONNECT_SWAPPED);

  /* The register keeps its title and Back/Next in place and scrolls only the step, the
   * receipt its buttons and scrolls only the code; the other pages scroll as a whole. */
  if (PAYAM_IS_KIOSK_REGISTER (page) || PAYAM_IS_KIOSK_RECEIPT (page))
    scrolled = page;
  else
    {
      scrolled = gtk_scrolled_window_new ();
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                      GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), page);
    }
  gtk_stack_add_named (self->pages, scrolled, "visit");
  gtk_stack_set_visible_child (self->pages, scrolled);
  g_set_weak_pointer (&self->visit, page);

  /* The receipt's long timing replaces the visit's (kept, whatever set it) and gives it
   * back on the next page. */
  if (PAYAM_IS_KIOSK_RECEIPT (page) && !self->receipt_timing)
    {
      self->visit_timeout_ms = payam_kiosk_idle_get_timeout (self->idle);
      self->visit_warning_ms = payam_kiosk_idle_get_warning_ms (self->idle);
      payam_kiosk_idle_set_timing (self->idle, self->receipt_timeout_ms, self->receipt_warning_ms);
      self->receipt_timing = TRUE;
    }
  else if (!PAYAM_IS_KIOSK_RECEIPT (page) && self->receipt_timing)
    {
      payam_kiosk_idle_set_timing (self->idle, self->visit_timeout_ms, self->visit_warning_ms);
      self->receipt_timing = FALSE;
    }
  payam_kiosk_idle_start (self->idle);
}

static void
message_sent (PayamKioskRegister *flow,
              const PayamRequest *request,
              PayamKioskWindow   *self)
{
  const char *phone = payam_kiosk_draft_get_phone (payam_kiosk_register_get_draft (flow));

  show_visit (self, GTK_WIDGET (payam_kiosk_receipt_new (self->store, request,
                                                         phone != NULL && *phone != '\0')));
}

static void
register_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PayamKioskWindow *self = PAYAM_KIOSK_WINDOW (widget);
  g_autoptr(PayamKioskDraft) draft = payam_kiosk_draft_new ();
  PayamKioskRegister *flow = payam_kiosk_register_new (self->store, draft);

  g_signal_connect_object (flow, "sent", G_CALLBACK (message_sent), self, 0);
  show_visit (self, GTK_WIDGET (flow));
}

static void
follow_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PayamKioskWindow *self = PAYAM_KIOSK_WINDOW (widget);

  show_visit (self, GTK_WIDGET (payam_kiosk_follow_new (self->store)));
}

static void
rate_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PayamKioskWindow *self = PAYAM_KIOSK_WINDOW (widget);

  show_visit (self, GTK_WIDGET (payam_kiosk_rate_new (self->store)));
}

/* --- idle ------------------------------------------------------------------------------ */

static void
still_here_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  payam_kiosk_idle_poke (PAYAM_KIOSK_WINDOW (widget)->idle);
}

static void
idle_warning_changed (PayamKioskWindow *self)
{
  gboolean warning = payam_kiosk_idle_get_warning (self->idle);

  /* On the receipt the countdown is a line under the code, never over it. */
  if (PAYAM_IS_KIOSK_RECEIPT (self->visit))
    {
      payam_kiosk_receipt_set_countdown (PAYAM_KIOSK_RECEIPT (self->visit),
                                         warning ? (int) payam_kiosk_idle_get_seconds_left (self->idle)
                                                 : -1);
      gtk_widget_set_visible (self->countdown_box, FALSE);
      return;
    }
  if (warning)
    {
      g_autofree char *seconds = payam_format_integer (payam_kiosk_idle_get_seconds_left (self->idle));
      g_autofree char *text = NULL;

      /* Translators: the idle countdown; %s is a number of seconds in Persian digits. */
      text = g_strdup_printf (_("%s more seconds…"), seconds);
      gtk_label_set_label (self->countdown_label, text);
    }
  gtk_widget_set_visible (self->countdown_box, warning);
}

static void
idle_expired (PayamKioskWindow *self)
{
  go_home (self);
}

/* --- home: sync state and hotline --------------------------------------------------------- */

/* How long ago @when was, for people: "just now", "12 min ago", "3 h ago", else the date. */
static char *
format_ago (GDateTime *when)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan span = g_date_time_difference (now, when);
  gint64 minutes = MAX (span, 0) / G_TIME_SPAN_MINUTE;
  g_autofree char *number = NULL;

  if (minutes < 1)
    return g_strdup (_("just now"));
  if (minutes < 60)
    {
      number = payam_format_integer (minutes);
      /* Translators: how long ago the kiosk last synced; %s is a number of minutes. */
      return g_strdup_printf (_("%s min ago"), number);
    }
  if (minutes < 24 * 60)
    {
      number = payam_format_integer (minutes / 60);
      /* Translators: how long ago the kiosk last synced; %s is a number of hours. */
      return g_strdup_printf (_("%s h ago"), number);
    }
  return payam_format_date_time (when);
}

static void
update_sync_state (PayamKioskWindow *self)
{
  gboolean online = FALSE;
  GDateTime *last = NULL;
  g_autofree char *last_text = NULL;

  if (self->sync_service != NULL)
    {
      online = payam_sync_service_get_online (self->sync_service);
      last = payam_sync_service_get_last_sync (self->sync_service);
    }

  gtk_image_set_from_icon_name (self->status_icon,
                                online ? "network-transmit-receive-symbolic"
                                       : "network-offline-symbolic");
  gtk_label_set_label (self->status_label, online ? _("Online") : _("Offline"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), online ? "offline" : "online");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), online ? "online" : "offline");

  if (last != NULL)
    {
      g_autofree char *ago = format_ago (last);

      /* Translators: %s says when, e.g. "12 min ago" or a date. */
      last_text = g_strdup_printf (_("last synced %s"), ago);
    }
  else
    last_text = g_strdup (_("not synced yet; messages wait safely on the kiosk"));
  gtk_label_set_label (self->last_sync_label, last_text);
}

static gboolean
refresh_sync_state (gpointer user_data)
{
  update_sync_state (user_data);
  return G_SOURCE_CONTINUE;
}

void
payam_kiosk_window_set_sync_service (PayamKioskWindow *self,
                                     PayamSyncService *service)
{
  g_return_if_fail (PAYAM_IS_KIOSK_WINDOW (self));
  g_return_if_fail (service == NULL || PAYAM_IS_SYNC_SERVICE (service));

  if (self->sync_service == service)
    return;

  if (self->sync_service != NULL)
    g_signal_handlers_disconnect_by_data (self->sync_service, self);
  g_set_object (&self->sync_service, service);
  if (service != NULL)
    {
      g_signal_connect_object (service, "notify::online", G_CALLBACK (update_sync_state),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (service, "notify::last-sync", G_CALLBACK (update_sync_state),
                               self, G_CONNECT_SWAPPED);
    }
  update_sync_state (self);
}

/* The hotline numbers from the settings, each in Persian digits, on one line. */
static void
show_hotlines (PayamKioskWindow *self,
               GSettings        *settings)
{
  g_auto(GStrv) numbers = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  numbers = settings != NULL ? g_settings_get_strv (settings, "kiosk-hotlines") : NULL;
  if (numbers == NULL || numbers[0] == NULL)
    {
      g_strfreev (numbers);
      numbers = g_strdupv ((char *[]) { (char *) "137", NULL });
    }

  for (guint i = 0; numbers[i] != NULL; i++)
    {
      g_autofree char *persian = payam_text_digits_to_persian (numbers[i]);

      if (text->len > 0)
        g_string_append (text, "  ");
      /* A number reads left to right inside the right-to-left line. */
      g_string_append_printf (text, "\u2066%s\u2069", persian);
    }
  gtk_label_set_label (self->hotline_label, text->str);
}

/* --- start-up figure -------------------------------------------------------------------- */

/* For bench/kiosk/bench-kiosk-startup: when PAYAM_BENCH_FIRST_FRAME is set, the time of the
 * first frame painted (CLOCK_MONOTONIC, microseconds, as g_get_monotonic_time) goes to
 * stdout as "payam-first-frame N". */
static void
first_frame_painted (GdkFrameClock    *clock,
                     PayamKioskWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_painted, self);
  g_print ("payam-first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
}

static void
window_mapped (PayamKioskWindow *self)
{
  g_signal_handlers_disconnect_by_func (self, window_mapped, NULL);
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (first_frame_painted), self, 0);
}

/* --- object --------------------------------------------------------------------------- */

static void
payam_kiosk_window_dispose (GObject *object)
{
  PayamKioskWindow *self = PAYAM_KIOSK_WINDOW (object);

  g_signal_handlers_disconnect_by_func (self, focus_changed, NULL);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->scroll_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick_id);
  self->scroll_tick_id = 0;
  if (self->sync_service != NULL)
    g_signal_handlers_disconnect_by_data (self->sync_service, self);
  g_clear_object (&self->sync_service);
  if (self->idle != NULL)
    payam_kiosk_idle_stop (self->idle);
  g_clear_object (&self->idle);
  g_clear_weak_pointer (&self->visit);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_KIOSK_WINDOW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (payam_kiosk_window_parent_class)->dispose (object);
}

static void
payam_kiosk_window_class_init (PayamKioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_kiosk_window_dispose;

  g_type_ensure (PAYAM_TYPE_KIOSK_KEYBOARD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, last_sync_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, hotline_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, categories_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, empty_label);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, keyboard_revealer);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, keyboard);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, countdown_box);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskWindow, countdown_label);
  gtk_widget_class_bind_template_callback (widget_class, keyboard_close_requested);

  gtk_widget_class_install_action (widget_class, "win.register", NULL, register_activated);
  gtk_widget_class_install_action (widget_class, "win.follow", NULL, follow_activated);
  gtk_widget_class_install_action (widget_class, "win.rate", NULL, rate_activated);
  gtk_widget_class_install_action (widget_class, "win.still-here", NULL, still_here_activated);
}

static void
payam_kiosk_window_init (PayamKioskWindow *self)
{
  g_autoptr(GSettings) settings = lookup_settings ();
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->idle = payam_kiosk_idle_new (GTK_WIDGET (self));
  payam_kiosk_idle_set_timing (self->idle,
                               timing_ms (settings, "PAYAM_KIOSK_IDLE_TIMEOUT",
                                          "kiosk-idle-timeout", PAYAM_KIOSK_IDLE_TIMEOUT_MS),
                               timing_ms (settings, "PAYAM_KIOSK_IDLE_WARNING",
                                          "kiosk-idle-warning", PAYAM_KIOSK_IDLE_WARNING_MS));
  self->receipt_timeout_ms = timing_ms (NULL, "PAYAM_KIOSK_RECEIPT_TIMEOUT", NULL,
                                        RECEIPT_TIMEOUT_MS);
  self->receipt_warning_ms = self->receipt_timeout_ms
                             - MIN (RECEIPT_COUNTDOWN_MS, self->receipt_timeout_ms / 2);
  g_signal_connect_object (self->idle, "notify::warning", G_CALLBACK (idle_warning_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->idle, "notify::seconds-left",
                           G_CALLBACK (idle_warning_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->idle, "expired", G_CALLBACK (idle_expired), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (focus_changed), NULL);
  g_signal_connect_object (self->keyboard_revealer, "notify::child-revealed",
                           G_CALLBACK (keyboard_revealed), self, G_CONNECT_SWAPPED);
  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "pressed", G_CALLBACK (pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  if (g_getenv ("PAYAM_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect (self, "map", G_CALLBACK (window_mapped), NULL);

  show_hotlines (self, settings);
  update_sync_state (self);
  self->refresh_id = g_timeout_add_seconds (SYNC_LABEL_REFRESH_S, refresh_sync_state, self);
  g_source_set_name_by_id (self->refresh_id, "[payam] kiosk sync label");
}

/* Show the names of the categories of the window's store in one paragraph (the register
 * flow shows each with its icon and examples). On error the names shown before stay and
 * FALSE is returned with @error set. */
gboolean
payam_kiosk_window_reload (PayamKioskWindow  *self,
                           GError           **error)
{
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  g_return_val_if_fail (PAYAM_IS_KIOSK_WINDOW (self), FALSE);

  categories = payam_store_list_categories (self->store, error);
  if (categories == NULL)
    return FALSE;

  for (guint i = 0; i < categories->len; i++)
    {
      const PayamCategory *category = g_ptr_array_index (categories, i);

      if (names->len > 0)
        g_string_append (names, "  •  ");
      /* No line break inside a name, only between names. */
      for (const char *p = category->name; *p != '\0'; p = g_utf8_next_char (p))
        {
          if (*p == ' ')
            g_string_append (names, "\u00a0");
          else
            g_string_append_len (names, p, g_utf8_next_char (p) - p);
        }
    }
  gtk_label_set_label (self->categories_label, names->str);

  gtk_widget_set_visible (GTK_WIDGET (self->categories_label), categories->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), categories->len == 0);

  return TRUE;
}

PayamKioskWindow *
payam_kiosk_window_new (GtkApplication *application,
                        PayamStore     *store)
{
  PayamKioskWindow *self;
  g_autoptr(GError) error = NULL;
  GListModel *monitors;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  self = g_object_new (PAYAM_TYPE_KIOSK_WINDOW, "application", application, NULL);
  self->store = g_object_ref (store);

  if (PAYAM_IS_APPLICATION (application))
    payam_kiosk_window_set_sync_service (self,
                                         payam_application_get_sync_service (PAYAM_APPLICATION (application)));

  if (!payam_kiosk_window_reload (self, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));

  /* Sized to the screen first, so that a kiosk session without a window manager (which
   * would ignore the fullscreen request) still shows the whole screen. Not resizable, so
   * GTK keeps no resize border around it. */
  monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  if (g_list_model_get_n_items (monitors) > 0)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
      GdkRectangle geometry;

      gdk_monitor_get_geometry (monitor, &geometry);
      gtk_widget_set_size_request (GTK_WIDGET (self), geometry.width, geometry.height);
      /* A short screen (1024×600) gets a lower keyboard and tighter headings, so that the
       * field typed into keeps room above the keyboard. */
      if (geometry.height < SHORT_SCREEN_PX)
        gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk-short");
    }
  gtk_window_fullscreen (GTK_WINDOW (self));

  return self;
}

GtkWidget *
payam_kiosk_window_get_visit (PayamKioskWindow *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_WINDOW (self), NULL);
  return self->visit;
}

PayamKioskIdle *
payam_kiosk_window_get_idle (PayamKioskWindow *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_WINDOW (self), NULL);
  return self->idle;
}

PayamKioskKeyboard *
payam_kiosk_window_get_keyboard (PayamKioskWindow *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_WINDOW (self), NULL);
  return self->keyboard;
}
