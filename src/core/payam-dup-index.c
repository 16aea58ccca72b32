/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamDupIndex: compact per-request slots in blocks of place and category, kept current. */
#define G_LOG_DOMAIN "payam-dup-index"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "payam-dup-index-private.h"
#include "payam-format.h"
#include "payam-lifecycle.h"
#include "payam-similarity-private.h"
#include "payam-store-private.h"
#include "payam-text.h"

/*
 * How a query runs. Every indexed request has a slot: a few compact fields in parallel
 * arrays (category, status, place ids, coordinates as floats, times in seconds) and a text
 * sketch of SKETCH_LEN 16-bit features (up to SKETCH_WORDS stemmed words and a bottom-k
 * sample of its character trigrams, the same gram ids the scorer uses, folded to 16 bits).
 * Slots are listed in blocks keyed by category and place: a 200 m geographic cell, the
 * street, the landmark, the neighbourhood without coordinates, the neighbourhood.
 *
 * Stage 1 visits the blocks near the message in its category and the related ones and
 * scores each slot with its sketch against the message's weighted grams (a 64 Ki table of
 * floats), place, category and age: a cheap estimate. Stage 2 reads the best
 * STAGE2_MIN … STAGE2_MAX of them from the store, scores their texts exactly with
 * payam_text_signature_score() and ranks by the combined score. Text is never kept in
 * memory; the corpus model (document frequencies) is, bounded by the vocabulary.
 */

G_DEFINE_FINAL_TYPE (PayamDupIndex, payam_dup_index, G_TYPE_OBJECT)


G_DEFINE_QUARK (payam-dup-index-error-quark, payam_dup_index_error)

/* ---- candidates ---------------------------------------------------------------------- */

PayamDupCandidate *
payam_dup_candidate_copy (const PayamDupCandidate *candidate)
{
  PayamDupCandidate *copy;

  g_return_val_if_fail (candidate != NULL, NULL);

  copy = g_memdup2 (candidate, sizeof *candidate);
  copy->id = g_strdup (candidate->id);
  copy->tracking_code = g_strdup (candidate->tracking_code);
  copy->text = g_strdup (candidate->text);
  copy->category = g_strdup (candidate->category);
  copy->group_id = g_strdup (candidate->group_id);
  copy->thumbnail_sha256 = g_strdup (candidate->thumbnail_sha256);
  return copy;
}

void
payam_dup_candidate_free (PayamDupCandidate *candidate)
{
  if (candidate == NULL)
    return;
  g_free (candidate->id);
  g_free (candidate->tracking_code);
  g_free (candidate->text);
  g_free (candidate->category);
  g_free (candidate->group_id);
  g_free (candidate->thumbnail_sha256);
  g_free (candidate);
}

/* ---- small helpers ------------------------------------------------------------------- */

gboolean
_payam_dup_index_uuid_parse (const char *text,
            guint8      out[16])
{
  guint n = 0;

  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      int hi, lo;

      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
          continue;
        }
      hi = g_ascii_xdigit_value (text[i]);
      lo = g_ascii_xdigit_value (text[i + 1]);
      /* Lower case only: the text form must come back exactly. */
      if (hi < 0 || lo < 0 || g_ascii_isupper (text[i]) || g_ascii_isupper (text[i + 1]))
        return FALSE;
      out[n++] = (guint8) (hi << 4 | lo);
      i++;
    }
  return n == 16;
}

void
_payam_dup_index_uuid_format (const guint8 in[16],
             char         out[37])
{
  static const char hex[] = "0123456789abcdef";
  guint o = 0;

  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        out[o++] = '-';
      out[o++] = hex[in[i] >> 4];
      out[o++] = hex[in[i] & 0xf];
    }
  out[o] = '\0';
}

static guint32
uuid_hash (const guint8 uuid[16])
{
  guint64 a, b;

  memcpy (&a, uuid, 8);
  memcpy (&b, uuid + 8, 8);
  a ^= b * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  a ^= a >> 29;
  a *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  return (guint32) (a ^ (a >> 32));
}








/* ---- memory ---------------------------------------------------------------------------- */

static void
grow_slots (PayamDupIndex *self,
            guint32        cap)
{
  self->uuid = g_renew (guint8, self->uuid, (gsize) cap * 16);
  self->lat = g_renew (float, self->lat, cap);
  self->lon = g_renew (float, self->lon, cap);
  self->created = g_renew (guint32, self->created, cap);
  self->changed = g_renew (guint32, self->changed, cap);
  self->category = g_renew (guint16, self->category, cap);
  self->status = g_renew (guint8, self->status, cap);
  self->nb = g_renew (guint16, self->nb, cap);
  self->street = g_renew (guint32, self->street, cap);
  self->landmark = g_renew (guint32, self->landmark, cap);
  self->sketch = g_renew (guint16, self->sketch, (gsize) cap * SKETCH_LEN);
  self->stamp = g_renew (guint32, self->stamp, cap);
  self->cap_slots = cap;
}

static gsize
slot_bytes (void)
{
  return 16 + 2 * sizeof (float) + 4 * sizeof (guint32) + 2 * sizeof (guint16) + 1 +
         SKETCH_LEN * sizeof (guint16) + sizeof (guint32);
}

static void
table_insert (PayamDupIndex *self,
              guint32        slot);

static void
table_grow (PayamDupIndex *self)
{
  g_autofree guint32 *old = self->table;
  guint32 old_cap = self->table_cap;

  self->table_cap = old_cap == 0 ? 1024 : old_cap * 2;
  self->table = g_new0 (guint32, self->table_cap);
  self->table_used = 0;
  for (guint32 i = 0; i < old_cap; i++)
    if (old[i] != 0)
      table_insert (self, old[i] - 1);
}

/* Map the slot's uuid to @slot, replacing an older slot of the same request. */
static void
table_insert (PayamDupIndex *self,
              guint32        slot)
{
  guint32 mask, i;

  if ((self->table_used + 1) * 10 > self->table_cap * 7)
    table_grow (self);
  mask = self->table_cap - 1;
  for (i = uuid_hash (uuid_at (self, slot)) & mask;; i = (i + 1) & mask)
    {
      if (self->table[i] == 0)
        {
          self->table[i] = slot + 1;
          self->table_used++;
          return;
        }
      if (memcmp (uuid_at (self, self->table[i] - 1), uuid_at (self, slot), 16) == 0)
        {
          self->table[i] = slot + 1;
          return;
        }
    }
}

/* The slot of request @uuid, or -1. */
gint64
_payam_dup_index_table_lookup (PayamDupIndex *self,
              const guint8   uuid[16])
{
  guint32 mask, i;

  if (self->table_cap == 0)
    return -1;
  mask = self->table_cap - 1;
  for (i = uuid_hash (uuid) & mask; self->table[i] != 0; i = (i + 1) & mask)
    if (memcmp (uuid_at (self, self->table[i] - 1), uuid, 16) == 0)
      return self->table[i] - 1;
  return -1;
}

static void
block_free (gpointer data)
{
  Block *block = data;

  g_free (block->slots);
  g_free (block);
}

Block *
_payam_dup_index_block_get (PayamDupIndex *self,
           guint64        key)
{
  return g_hash_table_lookup (self->blocks, &key);
}

static void
block_add (PayamDupIndex *self,
           guint64        key,
           guint32        slot)
{
  Block *block = _payam_dup_index_block_get (self, key);

  if (block == NULL)
    {
      block = g_new0 (Block, 1);
      block->key = key;
      g_hash_table_insert (self->blocks, &block->key, block);
    }
  if (block->len == block->cap)
    {
      block->cap = block->cap < 4 ? 4 : block->cap + block->cap / 2;
      block->slots = g_renew (guint32, block->slots, block->cap);
    }
  block->slots[block->len++] = slot;
}




/* The id of place name @name (normalised, so that letter and digit forms agree), 0 for none. */
guint32
_payam_dup_index_name_id (PayamDupIndex *self,
         const char    *name,
         gboolean       create)
{
  g_autofree char *norm = NULL;
  gpointer value;

  guint32 id;

  if (!has_text (name))
    return 0;
  value = g_hash_table_lookup (self->raw_names, name);
  if (value != NULL)
    return GPOINTER_TO_UINT (value);
  norm = payam_text_normalize (name);
  if (norm == NULL || norm[0] == '\0')
    return 0;
  value = g_hash_table_lookup (self->name_ids, norm);
  if (value == NULL && !create)
    return 0;
  if (value != NULL)
    id = GPOINTER_TO_UINT (value);
  else
    {
      self->name_bytes += strlen (norm) + 1 + 4 * sizeof (gpointer);
      g_ptr_array_add (self->names, g_strdup (norm));
      id = self->names->len - 1;
      g_hash_table_insert (self->name_ids, g_steal_pointer (&norm), GUINT_TO_POINTER (id));
    }
  /* Only names stored requests carry are remembered as given, so queries add nothing. */
  if (create)
    {
      self->name_bytes += strlen (name) + 1 + 3 * sizeof (gpointer);
      g_hash_table_insert (self->raw_names, g_strdup (name), GUINT_TO_POINTER (id));
    }
  return id;
}

/* The id of category @code, learning its related categories from the store when new;
 * G_MAXUINT for none. Related categories are taken both ways. */
guint
_payam_dup_index_category_id (PayamDupIndex *self,
             const char    *code,
             gboolean       create)
{
  gpointer value;
  guint id;
  g_autoptr(PayamCategory) category = NULL;

  if (!has_text (code))
    return G_MAXUINT;
  value = g_hash_table_lookup (self->category_ids, code);
  if (value != NULL)
    return GPOINTER_TO_UINT (value) - 1;
  if (!create || self->categories->len >= 0xfff)
    return G_MAXUINT;

  id = self->categories->len;
  g_ptr_array_add (self->categories, g_strdup (code));
  g_hash_table_insert (self->category_ids, g_strdup (code), GUINT_TO_POINTER (id + 1));
  self->related = g_renew (guint64, self->related, self->categories->len);
  self->related[id] = 0;
  self->name_bytes += 2 * (strlen (code) + 1) + 4 * sizeof (gpointer) + sizeof (guint64);

  category = payam_store_get_category (self->store, code, NULL);
  for (guint i = 0; category != NULL && category->related != NULL && category->related[i]; i++)
    {
      guint other = _payam_dup_index_category_id (self, category->related[i], TRUE);

      if (other < 64 && id < 64)
        {
          self->related[id] |= G_GUINT64_CONSTANT (1) << other;
          self->related[other] |= G_GUINT64_CONSTANT (1) << id;
        }
    }
  return id;
}

/* ---- slots ----------------------------------------------------------------------------- */

int
_payam_dup_index_compare_weight_desc (gconstpointer a,
                     gconstpointer b)
{
  const WeightedId *x = a, *y = b;

  if (x->weight != y->weight)
    return x->weight > y->weight ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* The sketch of @text from its signature with the model's current weights: its rarest
 * words first (heaviest), up to SKETCH_WORDS, then a bottom-k sample of its trigrams by a
 * mixed hash (two texts pick the same shared grams alike). Features are folded mixed ids;
 * the query folds the same (query_prepare). */
static void
make_sketch (const PayamSimilarityModel *model,
             const char                 *text,
             guint16                     out[SKETCH_LEN])
{
  g_autoptr(PayamTextSignature) sig = payam_text_signature_new (model, text);
  const PayamSignatureGram *grams;
  WeightedId words[64];
  guint32 chars[256];
  guint n_grams, n_words = 0, n_chars = 0, n = 0;

  memset (out, 0, SKETCH_LEN * sizeof (guint16));
  grams = payam_text_signature_get_word_grams (sig, &n_grams);
  for (guint i = 0; i < n_grams; i++)
    {
      WeightedId w = { mix32 (grams[i].id), grams[i].weight };

      if (n_words < G_N_ELEMENTS (words))
        words[n_words++] = w;
    }
  qsort (words, n_words, sizeof words[0], _payam_dup_index_compare_weight_desc);
  for (guint i = 0; i < n_words && n < SKETCH_WORDS; i++)
    out[n++] = fold_word (words[i].id);

  grams = payam_text_signature_get_char_grams (sig, &n_grams);
  for (guint i = 0; i < n_grams; i++)
    {
      guint32 m = mix32 (grams[i].id);

      /* Keep the smallest SKETCH_LEN mixed ids: insertion into a short sorted list. */
      if (n_chars == SKETCH_LEN && m >= chars[n_chars - 1])
        continue;
      if (n_chars < SKETCH_LEN)
        n_chars++;
      {
        guint j = n_chars - 1;

        while (j > 0 && chars[j - 1] > m)
          {
            chars[j] = chars[j - 1];
            j--;
          }
        chars[j] = m;
      }
    }
  for (guint i = 0; i < n_chars && n < SKETCH_LEN; i++)
    out[n++] = fold_char (chars[i]);
}

static gboolean
is_recent (PayamStatus status,
           guint32     changed,
           guint32     now)
{
  return payam_status_is_open (status) ||
         (gint64) changed >= (gint64) now - PAYAM_DUP_INDEX_RECENT_DAYS * 86400;
}

static void
slot_add_blocks (PayamDupIndex *self,
                 guint32        slot)
{
  guint cat = self->category[slot];

  if (self->lat[slot] < NO_LOCATION)
    block_add (self, block_key (BLOCK_GEO, cat, cell_payload (self->lat[slot],
                                                               self->lon[slot], 0, 0)), slot);
  else
    block_add (self, block_key (BLOCK_NB_NO_LOCATION, cat, self->nb[slot]), slot);
  if (self->street[slot] != 0)
    block_add (self, block_key (self->lat[slot] < NO_LOCATION ? BLOCK_STREET
                                                               : BLOCK_STREET_NO_LOCATION,
                                cat, self->street[slot]), slot);
  if (self->landmark[slot] != 0)
    block_add (self, block_key (self->lat[slot] < NO_LOCATION ? BLOCK_LANDMARK
                                                                 : BLOCK_LANDMARK_NO_LOCATION,
                                cat, self->landmark[slot]), slot);
  block_add (self, block_key (BLOCK_NB, cat, self->nb[slot]), slot);
  /* The rarest words, for messages that name nothing but the neighbourhood. */
  for (guint j = 0; j < POST_WORDS; j++)
    {
      guint16 f = self->sketch[(gsize) slot * SKETCH_LEN + j];

      if (!(f & 0x8000))
        break;
      block_add (self, block_key (BLOCK_WORD, cat, word_payload (self->nb[slot], f)), slot);
    }
}

/* Whether slot @slot holds @r's place and category (so a change can stay in place). */
static gboolean
slot_same_place (PayamDupIndex      *self,
                 guint32             slot,
                 const PayamRequest *r)
{
  float lat = r->has_location ? (float) r->lat : NO_LOCATION;
  float lon = r->has_location ? (float) r->lon : NO_LOCATION;

  return self->category[slot] == _payam_dup_index_category_id (self, r->category, TRUE) &&
         self->nb[slot] == _payam_dup_index_name_id (self, r->neighbourhood, TRUE) &&
         self->street[slot] == _payam_dup_index_name_id (self, r->street, TRUE) &&
         self->landmark[slot] == _payam_dup_index_name_id (self, r->landmark, TRUE) &&
         self->lat[slot] == lat && self->lon[slot] == lon;
}

/* Index @r in a new slot (its text counted in the model). */
static void
slot_append (PayamDupIndex      *self,
             const PayamRequest *r,
             const guint8        uuid[16])
{
  guint32 slot = self->n_slots;
  guint cat = _payam_dup_index_category_id (self, r->category, TRUE);

  if (slot == self->cap_slots)
    grow_slots (self, self->cap_slots < 1024 ? 1024 : self->cap_slots + self->cap_slots / 2);
  memcpy (uuid_at (self, slot), uuid, 16);
  self->lat[slot] = r->has_location ? (float) r->lat : NO_LOCATION;
  self->lon[slot] = r->has_location ? (float) r->lon : NO_LOCATION;
  self->created[slot] = seconds_of (r->created_at);
  self->changed[slot] = seconds_of (r->updated_at);
  self->category[slot] = (guint16) (cat == G_MAXUINT ? 0xfff : cat);
  self->status[slot] = (guint8) r->status;
  self->nb[slot] = (guint16) MIN (_payam_dup_index_name_id (self, r->neighbourhood, TRUE),
                                  G_MAXUINT16);
  self->street[slot] = _payam_dup_index_name_id (self, r->street, TRUE);
  self->landmark[slot] = _payam_dup_index_name_id (self, r->landmark, TRUE);
  self->stamp[slot] = 0;
  payam_similarity_model_add_document (self->model, r->text);
  make_sketch (self->model, r->text, self->sketch + (gsize) slot * SKETCH_LEN);
  self->n_slots++;
  self->n_live++;
  table_insert (self, slot);
  slot_add_blocks (self, slot);
}

static void
slot_kill (PayamDupIndex      *self,
           guint32             slot,
           const PayamRequest *r)
{
  if (self->status[slot] == DEAD)
    return;
  self->status[slot] = DEAD;
  self->n_live--;
  payam_similarity_model_remove_document (self->model, r->text);
}

/* Index, move or drop @r as its status and age say, @now in seconds. */
static void
index_request (PayamDupIndex      *self,
               const PayamRequest *r,
               guint32             now)
{
  guint8 uuid[16];
  gint64 slot;
  gboolean keep = is_recent (r->status, seconds_of (r->updated_at), now);

  if (!_payam_dup_index_uuid_parse (r->id, uuid))
    {
      gpointer old = g_hash_table_lookup (self->odd_ids, r->id);

      /* Another form of id (not made by Payam): a made-up uuid stands for it. */
      if (old != NULL)
        memcpy (uuid, uuid_at (self, GPOINTER_TO_UINT (old) - 1), 16);
      else
        {
          guint32 h = g_str_hash (r->id);

          memset (uuid, 0xff, 16);
          memcpy (uuid, &h, sizeof h);
          memcpy (uuid + 4, &self->n_slots, sizeof self->n_slots);
        }
    }

  slot = _payam_dup_index_table_lookup (self, uuid);
  if (slot >= 0 && slot_same_place (self, (guint32) slot, r))
    {
      gboolean was_live = self->status[slot] != DEAD;

      self->changed[slot] = seconds_of (r->updated_at);
      if (keep)
        {
          self->status[slot] = (guint8) r->status;
          if (!was_live)
            {
              self->n_live++;
              payam_similarity_model_add_document (self->model, r->text);
            }
        }
      else
        slot_kill (self, (guint32) slot, r);
      return;
    }
  if (slot >= 0)
    slot_kill (self, (guint32) slot, r);
  if (!keep)
    return;
  slot_append (self, r, uuid);
  if (!_payam_dup_index_uuid_parse (r->id, uuid))
    {
      char *id = g_strdup (r->id);

      g_hash_table_replace (self->odd_ids, id, GUINT_TO_POINTER (self->n_slots));
      g_hash_table_replace (self->odd_slots, GUINT_TO_POINTER (self->n_slots - 1), id);
    }
}

/* ---- object ---------------------------------------------------------------------------- */

static void
on_request_changed (PayamStore *store,
                    const char *request_id,
                    gpointer    user_data)
{
  PayamDupIndex *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!payam_dup_index_update (self, request_id, &error))
    g_warning ("duplicate index: request %s not updated: %s", request_id, error->message);
}

static void
payam_dup_index_dispose (GObject *object)
{
  PayamDupIndex *self = (PayamDupIndex *)object;

  if (self->store != NULL && self->changed_handler != 0)
    g_clear_signal_handler (&self->changed_handler, self->store);
  g_clear_pointer (&self->fetch, sqlite3_finalize);
  g_clear_pointer (&self->fetch_photos, sqlite3_finalize);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (payam_dup_index_parent_class)->dispose (object);
}

static void
payam_dup_index_finalize (GObject *object)
{
  PayamDupIndex *self = (PayamDupIndex *)object;

  g_clear_pointer (&self->model, payam_similarity_model_free);
  g_clear_pointer (&self->blocks, g_hash_table_unref);
  g_clear_pointer (&self->name_ids, g_hash_table_unref);
  g_clear_pointer (&self->raw_names, g_hash_table_unref);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_clear_pointer (&self->category_ids, g_hash_table_unref);
  g_clear_pointer (&self->odd_slots, g_hash_table_unref);
  g_clear_pointer (&self->odd_ids, g_hash_table_unref);
  g_clear_pointer (&self->related, g_free);
  g_clear_pointer (&self->query_weights, g_free);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->lat, g_free);
  g_clear_pointer (&self->lon, g_free);
  g_clear_pointer (&self->created, g_free);
  g_clear_pointer (&self->changed, g_free);
  g_clear_pointer (&self->category, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->nb, g_free);
  g_clear_pointer (&self->street, g_free);
  g_clear_pointer (&self->landmark, g_free);
  g_clear_pointer (&self->sketch, g_free);
  g_clear_pointer (&self->stamp, g_free);
  g_clear_pointer (&self->table, g_free);

  G_OBJECT_CLASS (payam_dup_index_parent_class)->finalize (object);
}

static void
payam_dup_index_class_init (PayamDupIndexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = payam_dup_index_dispose;
  object_class->finalize = payam_dup_index_finalize;
}

static void
payam_dup_index_init (PayamDupIndex *self)
{
  self->model = payam_similarity_model_new ();
  self->blocks = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, block_free);
  self->name_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->raw_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->names, NULL);
  self->categories = g_ptr_array_new_with_free_func (g_free);
  self->category_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->odd_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->odd_slots = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->query_weights = g_new0 (float, 65536);
  _payam_dup_index_init_log_tables ();
}

typedef struct {
  PayamDupIndex *self;
  guint32        now;
} BuildData;

static gboolean
build_one (const PayamRequest *request,
           gpointer            user_data)
{
  BuildData *data = user_data;

  index_request (data->self, request, data->now);
  return TRUE;
}

guint32
_payam_dup_index_store_now (PayamStore *store)
{
  g_autoptr(GDateTime) now = _payam_store_now (store);

  return seconds_of (now);
}

/* Fill @self from @store (one pass), as of @now; no signal is connected. */
static gboolean
build (PayamDupIndex  *self,
       PayamStore     *store,
       guint32         now,
       GError        **error)
{
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) local_error = NULL;
  BuildData data;
  const char *kinds[] = { "neighbourhood", "street", "landmark" };

  categories = payam_store_list_categories (store, &local_error);
  if (categories == NULL)
    {
      g_set_error (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_STORE,
                   "%s", local_error->message);
      return FALSE;
    }
  for (guint i = 0; i < categories->len; i++)
    _payam_dup_index_category_id (self, ((PayamCategory *) categories->pdata[i])->code, TRUE);
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GPtrArray) places = payam_store_list_places (store, kinds[k], NULL, NULL);

      for (guint i = 0; places != NULL && i < places->len; i++)
        payam_similarity_model_add_common_text (self->model,
                                                ((PayamPlace *) places->pdata[i])->name);
    }

  data.self = self;
  data.now = now;
  if (!payam_store_foreach_request (store, build_one, &data, &local_error))
    {
      g_set_error (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_STORE,
                   "%s", local_error->message);
      return FALSE;
    }
  if (self->n_slots > 0)
    grow_slots (self, self->n_slots);
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, self->blocks);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        Block *block = value;

        block->cap = block->len;
        block->slots = g_renew (guint32, block->slots, block->cap);
      }
  }
  return TRUE;
}

/**
 * payam_dup_index_new:
 *
 * See payam-dup-index.h. One pass over the store with payam_store_foreach_request(); the
 * place names of the gazetteer are marked common in the model, because place is weighed
 * apart from the text. The slot arrays are trimmed to their size after the pass.
 */
PayamDupIndex *
payam_dup_index_new (PayamStore  *store,
                     GError     **error)
{
  g_autoptr(PayamDupIndex) self = NULL;

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  self = g_object_new (PAYAM_TYPE_DUP_INDEX, NULL);
  self->store = g_object_ref (store);
  if (!build (self, store, _payam_dup_index_store_now (store), error))
    return NULL;
  self->changed_handler = g_signal_connect (store, "request-changed",
                                            G_CALLBACK (on_request_changed), self);
  return g_steal_pointer (&self);
}

/* ---- built in a worker thread ------------------------------------------------------------ */

typedef struct {
  PayamStore    *store;    /* the caller's, touched only in the caller's thread */
  char          *path;
  guint32        now;
  GHashTable    *changed;  /* ids the store signalled while the worker read */
  gulong         handler;
  PayamDupIndex *index;    /* built by the worker, its store its own connection */
} AsyncBuild;

static void
async_build_free (AsyncBuild *data)
{
  if (data->handler != 0)
    g_clear_signal_handler (&data->handler, data->store);
  g_clear_object (&data->store);
  g_free (data->path);
  g_clear_pointer (&data->changed, g_hash_table_unref);
  g_clear_object (&data->index);
  g_free (data);
}

static void
remember_changed (PayamStore *store,
                  const char *request_id,
                  gpointer    user_data)
{
  AsyncBuild *data = user_data;

  g_hash_table_add (data->changed, g_strdup (request_id));
}

/* For tests: builds in a worker wait at their start while held. */
static GMutex hold_mutex;
static GCond  hold_cond;
static gboolean held;

void
_payam_dup_index_hold_builds (gboolean hold)
{
  g_mutex_lock (&hold_mutex);
  held = hold;
  g_cond_broadcast (&hold_cond);
  g_mutex_unlock (&hold_mutex);
}

/* The worker: a read connection of its own on the store's file, one pass, then the
 * connection is closed here, in the thread that used it. Nothing of the caller's store
 * is touched. */
static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  AsyncBuild *data = task_data;
  g_autoptr(PayamStore) reader = NULL;
  g_autoptr(PayamDupIndex) index = NULL;
  g_autoptr(GError) local_error = NULL;

  g_mutex_lock (&hold_mutex);
  while (held)
    g_cond_wait (&hold_cond, &hold_mutex);
  g_mutex_unlock (&hold_mutex);
  reader = payam_store_open (data->path, &local_error);
  if (reader == NULL)
    {
      g_task_return_new_error (task, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_STORE,
                               "%s", local_error->message);
      return;
    }
  index = g_object_new (PAYAM_TYPE_DUP_INDEX, NULL);
  index->store = g_object_ref (reader);
  if (!build (index, reader, data->now, &local_error))
    {
      g_task_return_error (task, g_steal_pointer (&local_error));
      return;
    }
  /* The statements of the index belong to the reader: none is prepared by a build, but
   * let go of them before the reader closes all the same. */
  g_clear_pointer (&index->fetch, sqlite3_finalize);
  g_clear_pointer (&index->fetch_photos, sqlite3_finalize);
  g_clear_object (&index->store);
  g_clear_object (&reader);
  if (g_task_return_error_if_cancelled (task))
    return;
  data->index = g_steal_pointer (&index);
  g_task_return_boolean (task, TRUE);
}

/**
 * payam_dup_index_new_async:
 *
 * See payam-dup-index.h. A store in memory has no file for a second connection: it is
 * built at once, in this thread (such a store is a test's, and small).
 */
void
payam_dup_index_new_async (PayamStore          *store,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncBuild *data;
  const char *path;

  g_return_if_fail (PAYAM_IS_STORE (store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, payam_dup_index_new_async);
  data = g_new0 (AsyncBuild, 1);
  data->store = g_object_ref (store);
  data->now = _payam_dup_index_store_now (store);
  data->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) async_build_free);
  path = payam_store_get_path (store);
  if (path == NULL || path[0] == '\0' || g_str_equal (path, ":memory:"))
    {
      g_autoptr(GError) error = NULL;

      data->index = payam_dup_index_new (store, &error);
      if (data->index == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  data->path = g_strdup (path);
  /* Connected before the worker's first read: what is committed from now on is read
   * again once the index is handed over. */
  data->handler = g_signal_connect (store, "request-changed",
                                    G_CALLBACK (remember_changed), data);
  g_task_run_in_thread (task, build_thread);
}

PayamDupIndex *
payam_dup_index_new_finish (GAsyncResult  *result,
                            GError       **error)
{
  GTask *task = G_TASK (result);
  AsyncBuild *data;
  PayamDupIndex *self;
  GHashTableIter iter;
  gpointer id;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == payam_dup_index_new_async, NULL);

  if (!g_task_propagate_boolean (task, error))
    return NULL;
  data = g_task_get_task_data (task);
  self = g_steal_pointer (&data->index);
  if (self->store != NULL)    /* built at once, already current */
    return self;
  g_clear_signal_handler (&data->handler, data->store);
  self->store = g_object_ref (data->store);
  self->changed_handler = g_signal_connect (self->store, "request-changed",
                                            G_CALLBACK (on_request_changed), self);
  g_hash_table_iter_init (&iter, data->changed);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    {
      g_autoptr(GError) local_error = NULL;

      if (!payam_dup_index_update (self, id, &local_error) &&
          !g_error_matches (local_error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_NOT_FOUND))
        g_warning ("duplicate index: request %s not updated: %s", (const char *) id,
                   local_error->message);
    }
  return self;
}

gboolean
payam_dup_index_update (PayamDupIndex  *self,
                        const char     *request_id,
                        GError        **error)
{
  g_autoptr(PayamRequest) request = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PAYAM_IS_DUP_INDEX (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  request = payam_store_get_request (self->store, request_id, &local_error);
  if (request == NULL)
    {
      g_set_error (error, PAYAM_DUP_INDEX_ERROR,
                   g_error_matches (local_error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND)
                   ? PAYAM_DUP_INDEX_ERROR_NOT_FOUND : PAYAM_DUP_INDEX_ERROR_STORE,
                   "%s", local_error->message);
      return FALSE;
    }
  index_request (self, request, _payam_dup_index_store_now (self->store));
  return TRUE;
}

const PayamSimilarityModel *
payam_dup_index_get_model (PayamDupIndex *self)
{
  g_return_val_if_fail (PAYAM_IS_DUP_INDEX (self), NULL);
  return self->model;
}

void
payam_dup_index_get_stats (PayamDupIndex      *self,
                           PayamDupIndexStats *out)
{
  GHashTableIter iter;
  gpointer value;
  gsize bytes;

  g_return_if_fail (PAYAM_IS_DUP_INDEX (self));
  g_return_if_fail (out != NULL);

  /* Counted by capacity: the slot arrays, the uuid table, every block with its list and
   * its hash table entry (key, value and hash: three words), the names, the query table. */
  bytes = sizeof *self + (gsize) self->cap_slots * slot_bytes () +
          (gsize) self->table_cap * sizeof (guint32) + 65536 * sizeof (float) +
          self->name_bytes;
  g_hash_table_iter_init (&iter, self->blocks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    bytes += sizeof (Block) + ((Block *) value)->cap * sizeof (guint32) + 3 * sizeof (gpointer);
  bytes += g_hash_table_size (self->odd_ids) * 8 * sizeof (gpointer);

  out->n_requests = self->n_live;
  out->n_slots = self->n_slots;
  out->n_blocks = g_hash_table_size (self->blocks);
  out->memory_bytes = bytes;
}
