/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskStep: the base of each screen of the kiosk's register flow. */
#pragma once

#include <gtk/gtk.h>

#include "payam-kiosk-draft.h"
#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_STEP (payam_kiosk_step_get_type ())

G_DECLARE_DERIVABLE_TYPE (PayamKioskStep, payam_kiosk_step, PAYAM, KIOSK_STEP, GtkWidget)

/* One step of the register flow (an extension point, so derivable): a subclass is a
 * template widget that shows and edits part of the "draft" of the citizen's message,
 * reading the "store" (both construct-only, set by PayamKioskRegister). It keeps "complete"
 * TRUE when the flow may go on (the Next button is enabled only then).
 *
 * @title: the step's short name, marked with N_ in class_init and translated when shown.
 * @needed: while the step is not complete, what the citizen must do for Next to work (e.g.
 *   "To go on to the next step, choose the neighbourhood."), marked with N_; shown beside the
 *   disabled Next button and given to it as its accessible description. NULL for a step that
 *   is always complete.
 * @enter: the step becomes the visible one (going forward or back): refresh from the
 *   draft and the store (e.g. similar messages for the place just chosen). May be NULL.
 * @skip: after @enter, whether the step has nothing to ask now (e.g. no similar message),
 *   so the flow passes over it. May be NULL (never skipped).
 * @leave: the citizen pressed Next: write what the step holds into the draft. Return FALSE
 *   with a translated error that says what to fix to stay on the step. May be NULL. */
struct _PayamKioskStepClass
{
  GtkWidgetClass parent_class;

  const char *title;
  const char *needed;

  void      (*enter) (PayamKioskStep  *self);
  gboolean  (*skip)  (PayamKioskStep  *self);
  gboolean  (*leave) (PayamKioskStep  *self,
                      GError         **error);
};

PayamStore      *payam_kiosk_step_get_store    (PayamKioskStep  *self);
PayamKioskDraft *payam_kiosk_step_get_draft    (PayamKioskStep  *self);
gboolean         payam_kiosk_step_get_complete (PayamKioskStep  *self);
void             payam_kiosk_step_set_complete (PayamKioskStep  *self,
                                                gboolean         complete);
/* The translated title of @self's class. */
const char      *payam_kiosk_step_get_title    (PayamKioskStep  *self);
/* The translated "needed" hint of @self's class (what to do for Next), or NULL. */
const char      *payam_kiosk_step_get_needed   (PayamKioskStep  *self);
void             payam_kiosk_step_enter        (PayamKioskStep  *self);
gboolean         payam_kiosk_step_get_skip     (PayamKioskStep  *self);
gboolean         payam_kiosk_step_leave        (PayamKioskStep  *self,
                                                GError         **error);

G_END_DECLS
