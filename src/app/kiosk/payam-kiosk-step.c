/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStep: the store, the draft and the "complete" flag every register step shares. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-kiosk-step.h"

typedef struct
{
  /* owned */
  PayamStore      *store;
  PayamKioskDraft *draft;

  gboolean         complete;
} PayamKioskStepPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (PayamKioskStep, payam_kiosk_step, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_DRAFT,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
payam_kiosk_step_dispose (GObject *object)
{
  PayamKioskStep *self = PAYAM_KIOSK_STEP (object);
  PayamKioskStepPrivate *priv = payam_kiosk_step_get_instance_private (self);
  GtkWidget *child;

  /* Subclasses dispose their template first; whatever is left goes here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&priv->store);
  g_clear_object (&priv->draft);

  G_OBJECT_CLASS (payam_kiosk_step_parent_class)->dispose (object);
}

static void
payam_kiosk_step_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PayamKioskStep *self = PAYAM_KIOSK_STEP (object);
  PayamKioskStepPrivate *priv = payam_kiosk_step_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, priv->store);
      break;
    case PROP_DRAFT:
      g_value_set_object (value, priv->draft);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, priv->complete);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
payam_kiosk_step_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PayamKioskStep *self = PAYAM_KIOSK_STEP (object);
  PayamKioskStepPrivate *priv = payam_kiosk_step_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STORE:
      priv->store = g_value_dup_object (value);
      break;
    case PROP_DRAFT:
      priv->draft = g_value_dup_object (value);
      break;
    case PROP_COMPLETE:
      payam_kiosk_step_set_complete (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
payam_kiosk_step_class_init (PayamKioskStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_kiosk_step_dispose;
  object_class->get_property = payam_kiosk_step_get_property;
  object_class->set_property = payam_kiosk_step_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PAYAM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRAFT] =
    g_param_spec_object ("draft", NULL, NULL, PAYAM_TYPE_KIOSK_DRAFT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
payam_kiosk_step_init (PayamKioskStep *self)
{
}

PayamStore *
payam_kiosk_step_get_store (PayamKioskStep *self)
{
  PayamKioskStepPrivate *priv = payam_kiosk_step_get_instance_private (self);

  g_return_val_if_fail (PAYAM_IS_KIOSK_STEP (self), NULL);
  return priv->store;
}

PayamKioskDraft *
payam_kiosk_step_get_draft (PayamKioskStep *self)
{
  PayamKioskStepPrivate *priv = payam_kiosk_step_get_instance_private (self);

  g_return_val_if_fail (PAYAM_IS_KIOSK_STEP (self), NULL);
  return priv->draft;
}

gboolean
payam_kiosk_step_get_complete (PayamKioskStep *self)
{
  PayamKioskStepPrivate *priv = payam_kiosk_step_get_instance_private (self);

  g_return_val_if_fail (PAYAM_IS_KIOSK_STEP (self), FALSE);
  return priv->complete;
}

void
payam_kiosk_step_set_complete (PayamKioskStep *self,
                               gboolean        complete)
{
  PayamKioskStepPrivate *priv = payam_kiosk_step_get_instance_private (self);

  g_return_if_fail (PAYAM_IS_KIOSK_STEP (self));

  complete = !!complete;
  if (priv->complete == complete)
    return;
  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

const char *
payam_kiosk_step_get_title (PayamKioskStep *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_STEP (self), NULL);
  return _(PAYAM_KIOSK_STEP_GET_CLASS (self)->title);
}

const char *
payam_kiosk_step_get_needed (PayamKioskStep *self)
{
  const char *needed;

  g_return_val_if_fail (PAYAM_IS_KIOSK_STEP (self), NULL);
  needed = PAYAM_KIOSK_STEP_GET_CLASS (self)->needed;
  return needed != NULL ? _(needed) : NULL;
}

void
payam_kiosk_step_enter (PayamKioskStep *self)
{
  g_return_if_fail (PAYAM_IS_KIOSK_STEP (self));

  if (PAYAM_KIOSK_STEP_GET_CLASS (self)->enter != NULL)
    PAYAM_KIOSK_STEP_GET_CLASS (self)->enter (self);
}

gboolean
payam_kiosk_step_get_skip (PayamKioskStep *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_STEP (self), FALSE);

  if (PAYAM_KIOSK_STEP_GET_CLASS (self)->skip != NULL)
    return PAYAM_KIOSK_STEP_GET_CLASS (self)->skip (self);
  return FALSE;
}

gboolean
payam_kiosk_step_leave (PayamKioskStep  *self,
                        GError         **error)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_STEP (self), FALSE);

  if (PAYAM_KIOSK_STEP_GET_CLASS (self)->leave != NULL)
    return PAYAM_KIOSK_STEP_GET_CLASS (self)->leave (self, error);
  return TRUE;
}
