/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamDupIndex: the parts of one pair's score, for the office's side by side review. */
#define G_LOG_DOMAIN "payam-dup"
#include "config.h"

#include "payam-dup-index-private.h"
#include "payam-store-private.h"

/* One stored request as a side of a pair; what it borrows lives in @r, @text, @hashes. */
typedef struct {
  PayamRequest  *r;
  PayamPairText *text;
  GArray        *hashes;
  guint          category;
} Side;

static void
side_clear (Side *side)
{
  g_clear_pointer (&side->r, payam_request_free);
  g_clear_pointer (&side->text, payam_pair_text_free);
  g_clear_pointer (&side->hashes, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Side, side_clear)

static gboolean
side_read (PayamDupIndex  *self,
           const char     *id,
           Side           *side,
           GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  side->r = payam_store_get_request (self->store, id, &local_error);
  if (side->r == NULL)
    {
      g_set_error (error, PAYAM_DUP_INDEX_ERROR,
                   g_error_matches (local_error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND)
                   ? PAYAM_DUP_INDEX_ERROR_NOT_FOUND : PAYAM_DUP_INDEX_ERROR_STORE,
                   "%s", local_error->message);
      return FALSE;
    }
  side->hashes = g_array_new (FALSE, FALSE, sizeof (guint64));
  if (!_payam_dup_index_fetch_photo_hashes (self, id, side->hashes, error))
    return FALSE;
  side->text = payam_pair_text_new (self->model, side->r->text);
  side->category = _payam_dup_index_category_id (self, side->r->category, TRUE);
  return TRUE;
}

/* A place name as the index compares it (normalised), or the name as given when the
 * index has never seen it. */
static const char *
place_name (PayamDupIndex *self,
            const char    *name)
{
  guint32 id = _payam_dup_index_name_id (self, name, FALSE);

  return id != 0 && id < self->names->len ? self->names->pdata[id] : name;
}

static void
pair_side (PayamDupIndex *self,
           const Side    *side,
           const Side    *other,
           PayamPairSide *out)
{
  out->text = side->text;
  out->category = side->r->category;
  out->neighbourhood = side->r->neighbourhood;
  out->street = place_name (self, side->r->street);
  out->landmark = place_name (self, side->r->landmark);
  out->has_location = side->r->has_location;
  out->lat = side->r->lat;
  out->lon = side->r->lon;
  out->categories_related = side->category < 64 && other->category < 64 &&
                            (self->related[side->category] &
                             (G_GUINT64_CONSTANT (1) << other->category)) != 0;
  out->created = side->r->created_at != NULL ? g_date_time_to_unix (side->r->created_at) : 0;
  out->photo_hashes = (const guint64 *) (gpointer) side->hashes->data;
  out->n_photo_hashes = side->hashes->len;
}

gboolean
payam_dup_index_pair_parts (PayamDupIndex   *self,
                            const char      *a_id,
                            const char      *b_id,
                            PayamPairParts  *out,
                            GError         **error)
{
  g_auto(Side) a = { 0 };
  g_auto(Side) b = { 0 };
  PayamPairSide sa = { 0 }, sb = { 0 };

  g_return_val_if_fail (PAYAM_IS_DUP_INDEX (self), FALSE);
  g_return_val_if_fail (a_id != NULL && b_id != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!side_read (self, a_id, &a, error) || !side_read (self, b_id, &b, error))
    return FALSE;
  pair_side (self, &a, &b, &sa);
  pair_side (self, &b, &a, &sb);
  payam_pair_parts_compute (NULL, &sa, &sb, out);
  return TRUE;
}
