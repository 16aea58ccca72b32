/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskIdle: the kiosk's idle watch, its countdown and its end. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include "payam-kiosk-idle.h"

struct _PayamKioskIdle
{
  GObject parent_instance;

  /* weak */
  GtkWidget          *window;
  /* owned by the window (borrowed) */
  GtkEventController *controller;

  guint               timeout_ms;
  guint               warning_ms;
  guint               remaining_ms;   /* of the countdown, while warning */
  guint               source_id;      /* the quiet spell's or the countdown's next tick */
  guint               seconds_left;
  gboolean            running;
  gboolean            warning;
};

G_DEFINE_FINAL_TYPE (PayamKioskIdle, payam_kiosk_idle, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_WARNING,
  PROP_SECONDS_LEFT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  EXPIRED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_running (PayamKioskIdle *self,
             gboolean        running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* Show (or hide) the countdown at @remaining_ms before the end. */
static void
set_warning (PayamKioskIdle *self,
             gboolean        warning,
             guint           remaining_ms)
{
  guint seconds_left = warning ? (remaining_ms + 999) / 1000 : 0;

  self->remaining_ms = warning ? remaining_ms : 0;
  if (self->seconds_left != seconds_left)
    {
      self->seconds_left = seconds_left;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS_LEFT]);
    }
  if (self->warning != warning)
    {
      self->warning = warning;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARNING]);
    }
}

static gboolean countdown_tick (gpointer user_data);

/* Wait until the countdown's next whole second (or its end). */
static void
schedule_tick (PayamKioskIdle *self)
{
  guint step = self->remaining_ms % 1000;

  if (step == 0)
    step = MIN (self->remaining_ms, 1000);
  self->source_id = g_timeout_add (step, countdown_tick, self);
  g_source_set_name_by_id (self->source_id, "[payam] kiosk idle countdown");
}

static gboolean
countdown_tick (gpointer user_data)
{
  PayamKioskIdle *self = user_data;
  guint step = self->remaining_ms % 1000;

  if (step == 0)
    step = MIN (self->remaining_ms, 1000);
  self->source_id = 0;

  if (self->remaining_ms <= step)
    {
      g_object_freeze_notify (G_OBJECT (self));
      set_warning (self, FALSE, 0);
      set_running (self, FALSE);
      g_object_thaw_notify (G_OBJECT (self));
      g_signal_emit (self, signals[EXPIRED], 0);
      return G_SOURCE_REMOVE;
    }

  set_warning (self, TRUE, self->remaining_ms - step);
  schedule_tick (self);
  return G_SOURCE_REMOVE;
}

static gboolean
quiet_spell_over (gpointer user_data)
{
  PayamKioskIdle *self = user_data;

  self->source_id = 0;
  set_warning (self, TRUE, self->timeout_ms - MIN (self->warning_ms, self->timeout_ms));
  if (self->remaining_ms == 0)
    return countdown_tick (self);
  schedule_tick (self);
  return G_SOURCE_REMOVE;
}

static void
restart_spell (PayamKioskIdle *self)
{
  g_clear_handle_id (&self->source_id, g_source_remove);
  set_warning (self, FALSE, 0);
  self->source_id = g_timeout_add (MIN (self->warning_ms, self->timeout_ms),
                                   quiet_spell_over, self);
  g_source_set_name_by_id (self->source_id, "[payam] kiosk idle");
}

/* Every event reaching the window counts as someone being there, except the pointer
 * entering or leaving (the window's own changes cause those). Never stops the event. */
static gboolean
event_seen (GtkEventControllerLegacy *controller,
            GdkEvent                 *event,
            PayamKioskIdle           *self)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_MOTION_NOTIFY:
    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
    case GDK_KEY_PRESS:
    case GDK_KEY_RELEASE:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_TOUCH_END:
    case GDK_TOUCH_CANCEL:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
    case GDK_TOUCHPAD_HOLD:
    case GDK_PAD_BUTTON_PRESS:
    case GDK_PAD_BUTTON_RELEASE:
    case GDK_PAD_RING:
    case GDK_PAD_STRIP:
    case GDK_PAD_GROUP_MODE:
      payam_kiosk_idle_poke (self);
      break;

    case GDK_DELETE:
    case GDK_ENTER_NOTIFY:
    case GDK_LEAVE_NOTIFY:
    case GDK_FOCUS_CHANGE:
    case GDK_PROXIMITY_IN:
    case GDK_PROXIMITY_OUT:
    case GDK_DRAG_ENTER:
    case GDK_DRAG_LEAVE:
    case GDK_DRAG_MOTION:
    case GDK_DROP_START:
    case GDK_GRAB_BROKEN:
    case GDK_EVENT_LAST:
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
payam_kiosk_idle_dispose (GObject *object)
{
  PayamKioskIdle *self = PAYAM_KIOSK_IDLE (object);

  g_clear_handle_id (&self->source_id, g_source_remove);
  if (self->window != NULL && self->controller != NULL)
    gtk_widget_remove_controller (self->window, self->controller);
  self->controller = NULL;
  g_clear_weak_pointer (&self->window);

  G_OBJECT_CLASS (payam_kiosk_idle_parent_class)->dispose (object);
}

static void
payam_kiosk_idle_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PayamKioskIdle *self = PAYAM_KIOSK_IDLE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_WARNING:
      g_value_set_boolean (value, self->warning);
      break;

    case PROP_SECONDS_LEFT:
      g_value_set_uint (value, self->seconds_left);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
payam_kiosk_idle_class_init (PayamKioskIdleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = payam_kiosk_idle_dispose;
  object_class->get_property = payam_kiosk_idle_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WARNING] =
    g_param_spec_boolean ("warning", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SECONDS_LEFT] =
    g_param_spec_uint ("seconds-left", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[EXPIRED] = g_signal_new ("expired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
payam_kiosk_idle_init (PayamKioskIdle *self)
{
  self->timeout_ms = PAYAM_KIOSK_IDLE_TIMEOUT_MS;
  self->warning_ms = PAYAM_KIOSK_IDLE_WARNING_MS;
}

PayamKioskIdle *
payam_kiosk_idle_new (GtkWidget *window)
{
  PayamKioskIdle *self;

  g_return_val_if_fail (GTK_IS_WIDGET (window), NULL);

  self = g_object_new (PAYAM_TYPE_KIOSK_IDLE, NULL);
  g_set_weak_pointer (&self->window, window);
  self->controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (self->controller, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (self->controller, "payam-kiosk-idle");
  g_signal_connect_object (self->controller, "event", G_CALLBACK (event_seen), self, 0);
  gtk_widget_add_controller (window, self->controller);

  return self;
}

void
payam_kiosk_idle_set_timing (PayamKioskIdle *self,
                             guint           timeout_ms,
                             guint           warning_ms)
{
  g_return_if_fail (PAYAM_IS_KIOSK_IDLE (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
  self->warning_ms = MIN (warning_ms, timeout_ms);
  if (self->running)
    restart_spell (self);
}

guint
payam_kiosk_idle_get_timeout (PayamKioskIdle *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_IDLE (self), 0);
  return self->timeout_ms;
}

guint
payam_kiosk_idle_get_warning_ms (PayamKioskIdle *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_IDLE (self), 0);
  return self->warning_ms;
}

void
payam_kiosk_idle_start (PayamKioskIdle *self)
{
  g_return_if_fail (PAYAM_IS_KIOSK_IDLE (self));

  set_running (self, TRUE);
  restart_spell (self);
}

void
payam_kiosk_idle_stop (PayamKioskIdle *self)
{
  g_return_if_fail (PAYAM_IS_KIOSK_IDLE (self));

  g_clear_handle_id (&self->source_id, g_source_remove);
  set_warning (self, FALSE, 0);
  set_running (self, FALSE);
}

void
payam_kiosk_idle_poke (PayamKioskIdle *self)
{
  g_return_if_fail (PAYAM_IS_KIOSK_IDLE (self));

  if (self->running)
    restart_spell (self);
}

gboolean
payam_kiosk_idle_get_running (PayamKioskIdle *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_IDLE (self), FALSE);
  return self->running;
}

gboolean
payam_kiosk_idle_get_warning (PayamKioskIdle *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_IDLE (self), FALSE);
  return self->warning;
}

guint
payam_kiosk_idle_get_seconds_left (PayamKioskIdle *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_IDLE (self), 0);
  return self->seconds_left;
}
