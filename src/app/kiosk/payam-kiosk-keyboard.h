/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskKeyboard: the kiosk's on-screen Persian keyboard, typing into a text widget. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PAYAM_TYPE_KIOSK_KEYBOARD (payam_kiosk_keyboard_get_type ())

G_DECLARE_FINAL_TYPE (PayamKioskKeyboard, payam_kiosk_keyboard, PAYAM, KIOSK_KEYBOARD, GtkWidget)

/* An on-screen keyboard: Persian letters in the rows of the standard Persian layout (ISIRI
 * 9147), ZWNJ, punctuation, space and backspace on one page; Persian digits on another;
 * a key that switches pages and one that asks to close. Its keys never take the focus, so
 * the text widget being typed into keeps it. Each key is a GtkButton with a Persian
 * accessible name and a widget name "key-…" (the character itself for letters and digits,
 * or key-space, key-zwnj, key-backspace, key-mode, key-close).
 *
 * The "target" (a GtkEditable, e.g. the GtkText of a GtkEntry, or a GtkTextView; weak,
 * NULL for none) receives each key at its cursor, replacing any selection; backspace
 * deletes the selection or the character before the cursor. Setting a target whose input
 * purpose is phone, digits, number or PIN shows the digits page first, any other the
 * letters. Signal "close-requested" (): the close key was pressed. */
GtkWidget *payam_kiosk_keyboard_new            (void);
GtkWidget *payam_kiosk_keyboard_get_target     (PayamKioskKeyboard *self);
void       payam_kiosk_keyboard_set_target     (PayamKioskKeyboard *self,
                                                GtkWidget          *target);
/* Whether the digits page is the one shown. */
gboolean   payam_kiosk_keyboard_get_digits     (PayamKioskKeyboard *self);
void       payam_kiosk_keyboard_set_digits     (PayamKioskKeyboard *self,
                                                gboolean            digits);
/* Whether @widget is one the keyboard can type into: an editable GtkEditable or GtkTextView. */
gboolean   payam_kiosk_keyboard_accepts        (GtkWidget          *widget);

G_END_DECLS
