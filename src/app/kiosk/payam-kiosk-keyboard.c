/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamKioskKeyboard: the on-screen Persian keyboard, its key tables and how keys type. */
#define G_LOG_DOMAIN "payam-app"
#include "config.h"

#include <glib/gi18n.h>

#include "payam-format.h"
#include "payam-kiosk-keyboard.h"

#define ZWNJ "\u200c"
/* How much larger «۰» is drawn on the keypad than the other digits (see draw_zero). */
#define ZERO_SCALE 2.6

struct _PayamKioskKeyboard
{
  GtkWidget parent_instance;

  /* weak */
  GtkWidget *target;

  gboolean   digits;

  /* template children (borrowed) */
  GtkStack  *pages;
  GtkBox    *letter_rows;
  GtkGrid   *digit_grid;

  /* borrowed: the two mode keys, whose labels do not change */
  GtkWidget *letters_mode_key;
  GtkWidget *digits_mode_key;
};

G_DEFINE_FINAL_TYPE (PayamKioskKeyboard, payam_kiosk_keyboard, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TARGET,
  PROP_DIGITS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CLOSE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A letter key: the character typed and the letter's Persian name, read by screen readers
 * as "حرف …" (names, not words to translate: this is a Persian keyboard in any locale). */
typedef struct {
  const char *text;
  const char *name;
} Letter;

/* The three letter rows of the standard Persian layout (ISIRI 9147), in the order of the
 * keys from the start (right) of each row; ژ and آ, shifted keys there, end the last row. */
static const Letter row_q[] = {
  { "ض", "ضاد" }, { "ص", "صاد" }, { "ث", "ثِ سه‌نقطه" }, { "ق", "قاف" }, { "ف", "فِ" },
  { "غ", "غین" }, { "ع", "عین" }, { "ه", "هِ دوچشم" }, { "خ", "خِ" }, { "ح", "حِ جیمی" },
  { "ج", "جیم" }, { "چ", "چِ" },
};
static const Letter row_a[] = {
  { "ش", "شین" }, { "س", "سین" }, { "ی", "یِ" }, { "ب", "بِ" }, { "ل", "لام" },
  { "ا", "الف" }, { "ت", "تِ" }, { "ن", "نون" }, { "م", "میم" }, { "ک", "کاف" },
  { "گ", "گاف" },
};
static const Letter row_z[] = {
  { "ظ", "ظا" }, { "ط", "طا" }, { "ز", "زِ" }, { "ر", "رِ" }, { "ذ", "ذال" },
  { "د", "دال" }, { "پ", "پِ" }, { "و", "واو" }, { "ژ", "ژِ" }, { "آ", "الف با کلاه" },
};

gboolean
payam_kiosk_keyboard_accepts (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    return gtk_text_view_get_editable (GTK_TEXT_VIEW (widget));
  if (GTK_IS_EDITABLE (widget))
    return gtk_editable_get_editable (GTK_EDITABLE (widget));
  return FALSE;
}

/* Type @text into @target at its cursor, replacing the selection. */
static void
type_text (GtkWidget  *target,
           const char *text)
{
  if (GTK_IS_TEXT_VIEW (target))
    {
      GtkTextView *view = GTK_TEXT_VIEW (target);
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
      gboolean editable = gtk_text_view_get_editable (view);

      gtk_text_buffer_begin_user_action (buffer);
      gtk_text_buffer_delete_selection (buffer, TRUE, editable);
      gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, editable);
      gtk_text_buffer_end_user_action (buffer);
      gtk_text_view_scroll_mark_onscreen (view, gtk_text_buffer_get_insert (buffer));
    }
  else if (GTK_IS_EDITABLE (target) && gtk_editable_get_editable (GTK_EDITABLE (target)))
    {
      GtkEditable *editable = GTK_EDITABLE (target);
      int position;

      gtk_editable_delete_selection (editable);
      position = gtk_editable_get_position (editable);
      gtk_editable_insert_text (editable, text, -1, &position);
      gtk_editable_set_position (editable, position);
    }
}

/* Delete @target's selection, or else the character before its cursor. */
static void
type_backspace (GtkWidget *target)
{
  if (GTK_IS_TEXT_VIEW (target))
    {
      GtkTextView *view = GTK_TEXT_VIEW (target);
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
      gboolean editable = gtk_text_view_get_editable (view);
      GtkTextIter cursor;

      gtk_text_buffer_begin_user_action (buffer);
      if (!gtk_text_buffer_delete_selection (buffer, TRUE, editable))
        {
          gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
          gtk_text_buffer_backspace (buffer, &cursor, TRUE, editable);
        }
      gtk_text_buffer_end_user_action (buffer);
    }
  else if (GTK_IS_EDITABLE (target) && gtk_editable_get_editable (GTK_EDITABLE (target)))
    {
      GtkEditable *editable = GTK_EDITABLE (target);
      int start, end;

      if (gtk_editable_get_selection_bounds (editable, &start, &end))
        gtk_editable_delete_selection (editable);
      else if ((start = gtk_editable_get_position (editable)) > 0)
        gtk_editable_delete_text (editable, start - 1, start);
    }
}

static void
text_key_clicked (GtkButton          *button,
                  PayamKioskKeyboard *self)
{
  const char *text = g_object_get_data (G_OBJECT (button), "payam-key-text");

  if (self->target != NULL)
    type_text (self->target, text);
}

static void
backspace_clicked (PayamKioskKeyboard *self)
{
  if (self->target != NULL)
    type_backspace (self->target);
}

static void
mode_clicked (PayamKioskKeyboard *self)
{
  payam_kiosk_keyboard_set_digits (self, !self->digits);
}

static void
close_clicked (PayamKioskKeyboard *self)
{
  g_signal_emit (self, signals[CLOSE_REQUESTED], 0);
}

/* A key that never takes the focus, named @widget_name, read as @accessible_name. */
static GtkWidget *
make_key (const char *label,
          const char *widget_name,
          const char *accessible_name)
{
  GtkWidget *key = gtk_button_new_with_label (label);

  gtk_widget_set_name (key, widget_name);
  gtk_widget_set_focusable (key, FALSE);
  gtk_widget_set_focus_on_click (key, FALSE);
  gtk_widget_set_hexpand (key, TRUE);
  gtk_widget_add_css_class (key, "kiosk-key");
  gtk_accessible_update_property (GTK_ACCESSIBLE (key),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
                                  -1);
  return key;
}

/* A key that types @text. */
static GtkWidget *
make_text_key (PayamKioskKeyboard *self,
               const char         *label,
               const char         *text,
               const char         *accessible_name)
{
  g_autofree char *widget_name = g_strconcat ("key-", text, NULL);
  GtkWidget *key = make_key (label, widget_name, accessible_name);

  g_object_set_data_full (G_OBJECT (key), "payam-key-text", g_strdup (text), g_free);
  g_signal_connect_object (key, "clicked", G_CALLBACK (text_key_clicked), self, 0);
  return key;
}

static GtkWidget *
make_letter_key (PayamKioskKeyboard *self,
                 const Letter       *letter)
{
  /* Translators: the accessible name of a key of the on-screen keyboard; %s is the
   * Persian name of a letter, e.g. الف. */
  g_autofree char *name = g_strdup_printf (_("Letter %s"), letter->name);

  return make_text_key (self, letter->text, letter->text, name);
}

/* «۰» drawn ZERO_SCALE times larger than the key's own font, its ink centred in the key. */
static void
draw_zero (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        data)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), "۰");
  PangoAttrList *attrs = pango_attr_list_new ();
  PangoRectangle ink;
  GdkRGBA color;

  pango_attr_list_insert (attrs, pango_attr_scale_new (ZERO_SCALE));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_get_pixel_extents (layout, &ink, NULL);
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_move_to (cr, (width - ink.width) / 2.0 - ink.x, (height - ink.height) / 2.0 - ink.y);
  pango_cairo_show_layout (cr, layout);
}

static GtkWidget *
make_digit_key (PayamKioskKeyboard *self,
                guint               digit)
{
  g_autofree char *text = payam_format_integer (digit);
  /* Translators: the accessible name of a key of the on-screen keyboard; %s is a digit. */
  g_autofree char *name = g_strdup_printf (_("Digit %s"), text);
  GtkWidget *key = make_text_key (self, text, text, name);

  /* «۰» is a small dot in every Persian face, beside digits the size of the key: it is
   * drawn larger instead of shown as a label. A drawing asks for no room, so its key stays
   * the size of the others (a larger label would make the keypad's rows taller). */
  if (digit == 0)
    {
      GtkWidget *zero = g_object_new (GTK_TYPE_DRAWING_AREA,
                                      "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                      "hexpand", TRUE,
                                      "vexpand", TRUE,
                                      NULL);

      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (zero), draw_zero, NULL, NULL);
      gtk_button_set_child (GTK_BUTTON (key), zero);
      gtk_widget_add_css_class (key, "kiosk-key-zero");
    }
  return key;
}

static GtkWidget *
make_backspace_key (PayamKioskKeyboard *self)
{
  GtkWidget *key = make_key (NULL, "key-backspace", _("Delete"));

  /* The icon points against the reading direction; GTK picks its -rtl variant. */
  gtk_button_set_icon_name (GTK_BUTTON (key), "edit-clear-symbolic");
  gtk_widget_add_css_class (key, "kiosk-key-action");
  g_signal_connect_object (key, "clicked", G_CALLBACK (backspace_clicked), self,
                           G_CONNECT_SWAPPED);
  return key;
}

static GtkWidget *
make_space_key (PayamKioskKeyboard *self)
{
  GtkWidget *key = make_text_key (self, _("Space"), " ", _("Space"));

  gtk_widget_set_name (key, "key-space");
  return key;
}

static GtkWidget *
make_close_key (PayamKioskKeyboard *self)
{
  GtkWidget *key = make_key (_("Hide"), "key-close", _("Hide the keyboard"));

  gtk_widget_add_css_class (key, "kiosk-key-action");
  g_signal_connect_object (key, "clicked", G_CALLBACK (close_clicked), self, G_CONNECT_SWAPPED);
  return key;
}

static GtkWidget *
make_mode_key (PayamKioskKeyboard *self,
               gboolean            to_digits)
{
  g_autofree char *digits_label = payam_format_integer (123);
  GtkWidget *key;

  key = make_key (to_digits ? digits_label : _("Letters"), "key-mode",
                  to_digits ? _("Show the digits") : _("Show the letters"));
  gtk_widget_add_css_class (key, "kiosk-key-action");
  g_signal_connect_object (key, "clicked", G_CALLBACK (mode_clicked), self, G_CONNECT_SWAPPED);
  return key;
}

static GtkWidget *
letter_row (PayamKioskKeyboard *self,
            const Letter       *letters,
            gsize               n_letters)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_box_set_homogeneous (GTK_BOX (row), TRUE);
  for (gsize i = 0; i < n_letters; i++)
    gtk_box_append (GTK_BOX (row), make_letter_key (self, &letters[i]));
  return row;
}

/* The letters page: three rows of letters (backspace ends the third) and a row of
 * digits-mode, comma, ZWNJ, space, full stop, question mark and close. */
static void
build_letters (PayamKioskKeyboard *self)
{
  GtkWidget *row;
  GtkWidget *space;
  GtkWidget *zwnj;

  gtk_box_append (self->letter_rows, letter_row (self, row_q, G_N_ELEMENTS (row_q)));
  gtk_box_append (self->letter_rows, letter_row (self, row_a, G_N_ELEMENTS (row_a)));
  row = letter_row (self, row_z, G_N_ELEMENTS (row_z));
  gtk_box_append (GTK_BOX (row), make_backspace_key (self));
  gtk_box_append (self->letter_rows, row);

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->digits_mode_key = make_mode_key (self, TRUE);
  gtk_box_append (GTK_BOX (row), self->digits_mode_key);
  gtk_box_append (GTK_BOX (row), make_text_key (self, "،", "،", _("Comma")));
  zwnj = make_text_key (self, _("Half-space"), ZWNJ, _("Half-space"));
  gtk_widget_set_name (zwnj, "key-zwnj");
  gtk_widget_add_css_class (zwnj, "kiosk-key-action");
  gtk_box_append (GTK_BOX (row), zwnj);
  space = make_space_key (self);
  gtk_widget_add_css_class (space, "kiosk-key-space");
  gtk_box_append (GTK_BOX (row), space);
  gtk_box_append (GTK_BOX (row), make_text_key (self, ".", ".", _("Full stop")));
  gtk_box_append (GTK_BOX (row), make_text_key (self, "؟", "؟", _("Question mark")));
  gtk_box_append (GTK_BOX (row), make_close_key (self));
  gtk_box_append (self->letter_rows, row);
}

/* The digits page, a phone keypad (1 2 3 on top) with backspace, slash, space, the
 * letters-mode key, hyphen and close in a fourth column and row. */
static void
build_digits (PayamKioskKeyboard *self)
{
  for (guint i = 0; i < 9; i++)
    gtk_grid_attach (self->digit_grid, make_digit_key (self, i + 1), i % 3, i / 3, 1, 1);

  self->letters_mode_key = make_mode_key (self, FALSE);
  gtk_grid_attach (self->digit_grid, self->letters_mode_key, 0, 3, 1, 1);
  gtk_grid_attach (self->digit_grid, make_digit_key (self, 0), 1, 3, 1, 1);
  gtk_grid_attach (self->digit_grid, make_text_key (self, "-", "-", _("Hyphen")), 2, 3, 1, 1);
  gtk_grid_attach (self->digit_grid, make_backspace_key (self), 3, 0, 1, 1);
  gtk_grid_attach (self->digit_grid, make_text_key (self, "/", "/", _("Slash")), 3, 1, 1, 1);
  gtk_grid_attach (self->digit_grid, make_space_key (self), 3, 2, 1, 1);
  gtk_grid_attach (self->digit_grid, make_close_key (self), 3, 3, 1, 1);
}

static void
payam_kiosk_keyboard_dispose (GObject *object)
{
  PayamKioskKeyboard *self = PAYAM_KIOSK_KEYBOARD (object);

  g_clear_weak_pointer (&self->target);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAYAM_TYPE_KIOSK_KEYBOARD);

  G_OBJECT_CLASS (payam_kiosk_keyboard_parent_class)->dispose (object);
}

static void
payam_kiosk_keyboard_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PayamKioskKeyboard *self = PAYAM_KIOSK_KEYBOARD (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      g_value_set_object (value, self->target);
      break;

    case PROP_DIGITS:
      g_value_set_boolean (value, self->digits);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
payam_kiosk_keyboard_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PayamKioskKeyboard *self = PAYAM_KIOSK_KEYBOARD (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      payam_kiosk_keyboard_set_target (self, g_value_get_object (value));
      break;

    case PROP_DIGITS:
      payam_kiosk_keyboard_set_digits (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
payam_kiosk_keyboard_class_init (PayamKioskKeyboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = payam_kiosk_keyboard_dispose;
  object_class->get_property = payam_kiosk_keyboard_get_property;
  object_class->set_property = payam_kiosk_keyboard_set_property;

  properties[PROP_TARGET] =
    g_param_spec_object ("target", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DIGITS] =
    g_param_spec_boolean ("digits", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CLOSE_REQUESTED] = g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/payam-kiosk-keyboard.ui");
  gtk_widget_class_bind_template_child (widget_class, PayamKioskKeyboard, pages);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskKeyboard, letter_rows);
  gtk_widget_class_bind_template_child (widget_class, PayamKioskKeyboard, digit_grid);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "keyboard");
}

static void
payam_kiosk_keyboard_init (PayamKioskKeyboard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The keypad keeps its left-to-right order (see the template). */
  gtk_widget_set_direction (GTK_WIDGET (self->digit_grid), GTK_TEXT_DIR_LTR);
  build_letters (self);
  build_digits (self);
  gtk_stack_set_visible_child_name (self->pages, "letters");
}

GtkWidget *
payam_kiosk_keyboard_new (void)
{
  return g_object_new (PAYAM_TYPE_KIOSK_KEYBOARD, NULL);
}

GtkWidget *
payam_kiosk_keyboard_get_target (PayamKioskKeyboard *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_KEYBOARD (self), NULL);

  return self->target;
}

/* Whether @widget asks for digits rather than words. */
static gboolean
wants_digits (GtkWidget *widget)
{
  GtkInputPurpose purpose = GTK_INPUT_PURPOSE_FREE_FORM;

  if (GTK_IS_TEXT_VIEW (widget))
    purpose = gtk_text_view_get_input_purpose (GTK_TEXT_VIEW (widget));
  else if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "input-purpose") != NULL)
    g_object_get (widget, "input-purpose", &purpose, NULL);

  switch (purpose)
    {
    case GTK_INPUT_PURPOSE_DIGITS:
    case GTK_INPUT_PURPOSE_NUMBER:
    case GTK_INPUT_PURPOSE_PHONE:
    case GTK_INPUT_PURPOSE_PIN:
      return TRUE;

    case GTK_INPUT_PURPOSE_FREE_FORM:
    case GTK_INPUT_PURPOSE_ALPHA:
    case GTK_INPUT_PURPOSE_URL:
    case GTK_INPUT_PURPOSE_EMAIL:
    case GTK_INPUT_PURPOSE_NAME:
    case GTK_INPUT_PURPOSE_PASSWORD:
    case GTK_INPUT_PURPOSE_TERMINAL:
    default:
      return FALSE;
    }
}

/* Type into @target from now on (kept weakly; NULL for nothing). A new target chooses the
 * page from its input purpose. */
void
payam_kiosk_keyboard_set_target (PayamKioskKeyboard *self,
                                 GtkWidget          *target)
{
  g_return_if_fail (PAYAM_IS_KIOSK_KEYBOARD (self));
  g_return_if_fail (target == NULL || GTK_IS_WIDGET (target));

  if (self->target == target)
    return;

  g_set_weak_pointer (&self->target, target);
  if (target != NULL)
    payam_kiosk_keyboard_set_digits (self, wants_digits (target));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET]);
}

gboolean
payam_kiosk_keyboard_get_digits (PayamKioskKeyboard *self)
{
  g_return_val_if_fail (PAYAM_IS_KIOSK_KEYBOARD (self), FALSE);

  return self->digits;
}

void
payam_kiosk_keyboard_set_digits (PayamKioskKeyboard *self,
                                 gboolean            digits)
{
  g_return_if_fail (PAYAM_IS_KIOSK_KEYBOARD (self));

  digits = !!digits;
  if (self->digits == digits)
    return;

  self->digits = digits;
  gtk_stack_set_visible_child_name (self->pages, digits ? "digits" : "letters");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIGITS]);
}
