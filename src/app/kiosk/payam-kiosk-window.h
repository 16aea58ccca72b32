/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskWindow: the citizen's full-screen kiosk: home, one visit at a time, keyboard, idle wipe. */
#pragma once

#include <adwaita.h>

#include "payam-kiosk-idle.h"
#include "payam-kiosk-keyboard.h"
#include "payam-store.h"
#include "payam-sync-service.h"

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_WINDOW (payam_kiosk_window_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskWindow, payam_kiosk_window, PAYAM, KIOSK_WINDOW, AdwApplicationWindow)

/* A kiosk window for @application showing @store (a reference is kept): full screen,
 * without decorations or a close button. Home shows the three choices (actions
 * win.register, win.follow, win.rate), the hotline numbers (GSettings "kiosk-hotlines"),
 * whether the kiosk is online and when it last synced (from the application's sync service
 * when it has one), and the categories. Each choice opens a visit page, made fresh and
 * destroyed with everything the citizen entered when the visit ends: when its page says
 * so, or when nobody touched the kiosk for "kiosk-idle-timeout" seconds (a countdown
 * shows from "kiosk-idle-warning"; PAYAM_KIOSK_IDLE_TIMEOUT / _WARNING, in seconds,
 * override both). The on-screen keyboard shows whenever a text widget has the focus. */
PayamKioskWindow *payam_kiosk_window_new              (GtkApplication   *application,
                                                       PayamStore       *store);
gboolean          payam_kiosk_window_reload           (PayamKioskWindow *self,
                                                       GError          **error);
/* Show online state and last sync from @service (NULL: offline, never synced). */
void              payam_kiosk_window_set_sync_service (PayamKioskWindow *self,
                                                       PayamSyncService *service);
/* End the visit now as the idle timeout does: destroy its page, clear the clipboards and
 * the keyboard's target, show home. */
void              payam_kiosk_window_wipe             (PayamKioskWindow *self);

/* For tests: the visit's page (NULL at home), the idle watch and the keyboard. */
GtkWidget        *payam_kiosk_window_get_visit        (PayamKioskWindow *self);
PayamKioskIdle   *payam_kiosk_window_get_idle         (PayamKioskWindow *self);
PayamKioskKeyboard *payam_kiosk_window_get_keyboard   (PayamKioskWindow *self);

G_END_DECLS
