/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskIdle: notices when nobody has touched the kiosk for a while. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_IDLE (payam_kiosk_idle_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskIdle, payam_kiosk_idle, PAYAM, KIOSK_IDLE, GObject)

/* The default timing: the countdown shows 45 s after the last input, the visit ends at 60 s. */
#define PAYAM_KIOSK_IDLE_TIMEOUT_MS 60000
#define PAYAM_KIOSK_IDLE_WARNING_MS 45000

/* Watches every input event of @window (pointer motion, presses, touch, keys, scrolling,
 * in the capture phase, so no widget can hide them; weak reference). Once started, a
 * quiet spell of "warning-ms" sets "warning" TRUE and counts "seconds-left" down to the
 * end of "timeout-ms", when "expired" () is emitted and the watch stops. Any input (or
 * payam_kiosk_idle_poke) before that starts the spell again and clears "warning".
 * Properties: "warning" (gboolean), "seconds-left" (guint, whole seconds rounded up,
 * 0 outside the warning), "running" (gboolean). */
PayamKioskIdle *payam_kiosk_idle_new          (GtkWidget      *window);
/* Change the timing (milliseconds; @warning_ms < @timeout_ms, else the countdown starts at
 * once). A running watch starts its spell again with it. */
void            payam_kiosk_idle_set_timing   (PayamKioskIdle *self,
                                               guint           timeout_ms,
                                               guint           warning_ms);
guint           payam_kiosk_idle_get_timeout  (PayamKioskIdle *self);
guint           payam_kiosk_idle_get_warning_ms (PayamKioskIdle *self);
/* Start (or restart) the watch from now; stop it without emitting anything. */
void            payam_kiosk_idle_start        (PayamKioskIdle *self);
void            payam_kiosk_idle_stop         (PayamKioskIdle *self);
/* Someone is there: start the quiet spell again (no effect when stopped). */
void            payam_kiosk_idle_poke         (PayamKioskIdle *self);
gboolean        payam_kiosk_idle_get_running  (PayamKioskIdle *self);
gboolean        payam_kiosk_idle_get_warning  (PayamKioskIdle *self);
guint           payam_kiosk_idle_get_seconds_left (PayamKioskIdle *self);

G_END_DECLS
