/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamDupIndex: compact per-request fields in blocks of place and category, a text sketch, exact rescoring. */
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

#define SKETCH_LEN       24
#define SKETCH_WORDS     8
#define CELL_M           200.0
#define LAT_M_PER_DEG    111195.0
/* Cells are laid out for the district's latitude (about 35.7°). */
#define CELL_DEG_LAT     (CELL_M / LAT_M_PER_DEG)
#define CELL_DEG_LON     (CELL_M / (LAT_M_PER_DEG * 0.8121))
/* A neighbourhood's block this small is scanned whole, so that a small store misses
 * nothing whatever place each message names. */
#define NB_SCAN_MAX      4096
/* Words of each request listed in word blocks, and words of a message looked up. */
#define POST_WORDS       4
#define QUERY_WORDS      6
#define STAGE2_MIN       10
#define STAGE2_MAX       64
#define DEFAULT_LIMIT    5
#define MAX_TEXT_CHARS   4000
#define CHAR_SHARE       0.6f
#define DEAD             0xff
#define NO_LOCATION      1000.0f

/* The district and its edges, as the store validates coordinates (payam-store-requests.c). */
#define DISTRICT_LAT_MIN 35.5
#define DISTRICT_LAT_MAX 35.9
#define DISTRICT_LON_MIN 51.1
#define DISTRICT_LON_MAX 51.7

typedef enum {
  BLOCK_GEO = 1,
  BLOCK_NB_NO_LOCATION,
  BLOCK_STREET,                /* with coordinates */
  BLOCK_LANDMARK,
  BLOCK_STREET_NO_LOCATION,    /* without: what a message with coordinates looks at */
  BLOCK_LANDMARK_NO_LOCATION,
  BLOCK_NB,
  BLOCK_WORD,
} BlockKind;

typedef struct {
  guint64  key;
  guint32 *slots;
  guint32  len;
  guint32  cap;
} Block;

struct _PayamDupIndex
{
  GObject      parent_instance;

  /* owned */
  PayamStore           *store;
  PayamSimilarityModel *model;
  sqlite3_stmt         *fetch;        /* on the store's connection, finalized before it */
  GHashTable           *blocks;       /* &Block.key → Block */
  GHashTable           *name_ids;     /* place name, normalised → id (1 …) */
  GHashTable           *raw_names;    /* place name as given → id: normalise each once */
  GPtrArray            *names;        /* id → name; [0] is NULL */
  GPtrArray            *categories;   /* category id → code */
  GHashTable           *category_ids; /* code → category id + 1 */
  GHashTable           *odd_ids;      /* ids that are not UUIDs: id → slot + 1 */
  GHashTable           *odd_slots;    /* slot → id (borrowed from odd_ids' keys) */
  guint64              *related;      /* per category id: mask of related category ids */
  float                *query_weights; /* 65,536 entries, zero between queries */

  /* per slot, structure of arrays */
  guint8     *uuid;          /* 16 bytes a slot */
  float      *lat;
  float      *lon;
  guint32    *created;
  guint32    *changed;
  guint16    *category;
  guint8     *status;
  guint16    *nb;
  guint32    *street;
  guint32    *landmark;
  guint16    *sketch;
  guint32    *stamp;
  guint32     n_slots;
  guint32     cap_slots;
  guint32     n_live;
  guint32     epoch;

  /* uuid → slot + 1, open addressing */
  guint32    *table;
  guint32     table_cap;
  guint32     table_used;

  gsize       name_bytes;
  gulong      changed_handler;
  PayamDupFormula formula;
};

G_DEFINE_FINAL_TYPE (PayamDupIndex, payam_dup_index, G_TYPE_OBJECT)

static void init_log_tables (void);

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

static gboolean
uuid_parse (const char *text,
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

static void
uuid_format (const guint8 in[16],
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

/* 32-bit gram ids to the 16-bit features of sketches; words and trigrams apart. 0 is
 * never a feature (an unused sketch entry). */
static inline guint16
fold_char (guint32 id)
{
  guint16 f = (guint16) ((id ^ (id >> 16)) & 0x7fff);

  return f == 0 ? 1 : f;
}

static inline guint16
fold_word (guint32 id)
{
  return (guint16) (0x8000 | ((id ^ (id >> 16)) & 0x7fff));
}

static inline guint32
mix32 (guint32 x)
{
  x ^= x >> 16;
  x *= 0x7feb352d;
  x ^= x >> 15;
  x *= 0x846ca68b;
  x ^= x >> 16;
  return x;
}

static guint32
seconds_of (GDateTime *when)
{
  gint64 s = when != NULL ? g_date_time_to_unix (when) : 0;

  return (guint32) CLAMP (s, 0, (gint64) G_MAXUINT32);
}

static double
haversine_m (double lat1,
             double lon1,
             double lat2,
             double lon2)
{
  const double r = 6371008.8;
  double p1 = lat1 * G_PI / 180.0, p2 = lat2 * G_PI / 180.0;
  double dp = p2 - p1, dl = (lon2 - lon1) * G_PI / 180.0;
  double h = sin (dp / 2) * sin (dp / 2) + cos (p1) * cos (p2) * sin (dl / 2) * sin (dl / 2);

  return 2.0 * r * asin (MIN (1.0, sqrt (h)));
}

static inline guint8 *
uuid_at (const PayamDupIndex *self,
         guint32              slot)
{
  return self->uuid + (gsize) slot * 16;
}

static gboolean
has_text (const char *s)
{
  return s != NULL && s[0] != '\0';
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
static gint64
table_lookup (PayamDupIndex *self,
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

static Block *
block_get (PayamDupIndex *self,
           guint64        key)
{
  return g_hash_table_lookup (self->blocks, &key);
}

static void
block_add (PayamDupIndex *self,
           guint64        key,
           guint32        slot)
{
  Block *block = block_get (self, key);

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

static inline guint64
block_key (BlockKind kind,
           guint     category,
           guint64   payload)
{
  return (guint64) kind << 60 | (guint64) (category & 0xfff) << 48 |
         (payload & G_GUINT64_CONSTANT (0xffffffffffff));
}

static inline guint64
word_payload (guint32 nb,
              guint16 feature)
{
  return (guint64) nb << 16 | feature;
}

static inline guint64
cell_payload (double lat,
              double lon,
              int    dlat,
              int    dlon)
{
  guint64 y = (guint64) (gint64) (floor ((lat + 90.0) / CELL_DEG_LAT) + dlat);
  guint64 x = (guint64) (gint64) (floor ((lon + 180.0) / CELL_DEG_LON) + dlon);

  return (y & 0xffffff) << 24 | (x & 0xffffff);
}

/* The id of place name @name (normalised, so that letter and digit forms agree), 0 for none. */
static guint32
name_id (PayamDupIndex *self,
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
static guint
category_id (PayamDupIndex *self,
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
      guint other = category_id (self, category->related[i], TRUE);

      if (other < 64 && id < 64)
        {
          self->related[id] |= G_GUINT64_CONSTANT (1) << other;
          self->related[other] |= G_GUINT64_CONSTANT (1) << id;
        }
    }
  return id;
}

/* ---- slots ----------------------------------------------------------------------------- */

typedef struct {
  guint32 id;
  float   weight;
} WeightedId;

static int
compare_weight_desc (gconstpointer a,
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
  qsort (words, n_words, sizeof words[0], compare_weight_desc);
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

  return self->category[slot] == category_id (self, r->category, TRUE) &&
         self->nb[slot] == name_id (self, r->neighbourhood, TRUE) &&
         self->street[slot] == name_id (self, r->street, TRUE) &&
         self->landmark[slot] == name_id (self, r->landmark, TRUE) &&
         self->lat[slot] == lat && self->lon[slot] == lon;
}

/* Index @r in a new slot (its text counted in the model). */
static void
slot_append (PayamDupIndex      *self,
             const PayamRequest *r,
             const guint8        uuid[16])
{
  guint32 slot = self->n_slots;
  guint cat = category_id (self, r->category, TRUE);

  if (slot == self->cap_slots)
    grow_slots (self, self->cap_slots < 1024 ? 1024 : self->cap_slots + self->cap_slots / 2);
  memcpy (uuid_at (self, slot), uuid, 16);
  self->lat[slot] = r->has_location ? (float) r->lat : NO_LOCATION;
  self->lon[slot] = r->has_location ? (float) r->lon : NO_LOCATION;
  self->created[slot] = seconds_of (r->created_at);
  self->changed[slot] = seconds_of (r->updated_at);
  self->category[slot] = (guint16) (cat == G_MAXUINT ? 0xfff : cat);
  self->status[slot] = (guint8) r->status;
  self->nb[slot] = (guint16) MIN (name_id (self, r->neighbourhood, TRUE), G_MAXUINT16);
  self->street[slot] = name_id (self, r->street, TRUE);
  self->landmark[slot] = name_id (self, r->landmark, TRUE);
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

  if (!uuid_parse (r->id, uuid))
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

  slot = table_lookup (self, uuid);
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
  if (!uuid_parse (r->id, uuid))
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
  init_log_tables ();
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

static guint32
store_now (PayamStore *store)
{
  g_autoptr(GDateTime) now = _payam_store_now (store);

  return seconds_of (now);
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
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) local_error = NULL;
  BuildData data;
  const char *kinds[] = { "neighbourhood", "street", "landmark" };

  g_return_val_if_fail (PAYAM_IS_STORE (store), NULL);

  self = g_object_new (PAYAM_TYPE_DUP_INDEX, NULL);
  self->store = g_object_ref (store);

  categories = payam_store_list_categories (store, &local_error);
  if (categories == NULL)
    {
      g_set_error (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_STORE,
                   "%s", local_error->message);
      return NULL;
    }
  for (guint i = 0; i < categories->len; i++)
    category_id (self, ((PayamCategory *) categories->pdata[i])->code, TRUE);
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GPtrArray) places = payam_store_list_places (store, kinds[k], NULL, NULL);

      for (guint i = 0; places != NULL && i < places->len; i++)
        payam_similarity_model_add_common_text (self->model,
                                                ((PayamPlace *) places->pdata[i])->name);
    }

  data.self = self;
  data.now = store_now (store);
  if (!payam_store_foreach_request (store, build_one, &data, &local_error))
    {
      g_set_error (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_STORE,
                   "%s", local_error->message);
      return NULL;
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

  self->changed_handler = g_signal_connect (store, "request-changed",
                                            G_CALLBACK (on_request_changed), self);
  return g_steal_pointer (&self);
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
  index_request (self, request, store_now (self->store));
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

/* ---- queries --------------------------------------------------------------------------- */

typedef struct {
  /* the message */
  PayamTextSignature *signature;
  guint64             categories;    /* mask of wanted category ids; all ones: every one */
  guint               category;      /* its own category id, or G_MAXUINT */
  guint32             nb;
  guint16             words[QUERY_WORDS]; /* its rarest words, folded as in sketches */
  guint               n_words;
  guint32             street;
  guint32             landmark;
  gboolean            has_location;
  double              lat;
  double              lon;
  float               cos_lat;
  guint32             now;
  gint64              exclude_slot;
  GArray             *touched;       /* of guint16: query_weights entries set */
  /* stage 1: the best slots so far, a min-heap on score */
  guint               keep;
  GArray             *heap;          /* of Hit */
} Query;

typedef struct {
  float   score;
  guint32 slot;
} Hit;

static void
query_clear (Query *q)
{
  g_clear_pointer (&q->signature, payam_text_signature_free);
  g_clear_pointer (&q->touched, g_array_unref);
  g_clear_pointer (&q->heap, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Query, query_clear)

static void
heap_push (Query *q,
           float  score,
           guint32 slot)
{
  Hit *h;
  guint i;

  if (q->heap->len == q->keep)
    {
      h = &g_array_index (q->heap, Hit, 0);
      if (score <= h[0].score)
        return;
      /* Replace the root and sift down. */
      i = 0;
      for (;;)
        {
          guint c = 2 * i + 1;

          if (c >= q->heap->len)
            break;
          if (c + 1 < q->heap->len && h[c + 1].score < h[c].score)
            c++;
          if (h[c].score >= score)
            break;
          h[i] = h[c];
          i = c;
        }
      h[i].score = score;
      h[i].slot = slot;
      return;
    }
  g_array_set_size (q->heap, q->heap->len + 1);
  h = &g_array_index (q->heap, Hit, 0);
  for (i = q->heap->len - 1; i > 0 && h[(i - 1) / 2].score > score; i = (i - 1) / 2)
    h[i] = h[(i - 1) / 2];
  h[i].score = score;
  h[i].slot = slot;
}

static inline float
place_factor_for (const PayamDupIndex *self,
                  const Query         *q,
                  guint32              slot,
                  PayamDupPlaceMatch  *match,
                  float               *d2_m)
{
  *d2_m = -1.0f;
  if (q->has_location && self->lat[slot] < NO_LOCATION)
    {
      float dy = (float) ((self->lat[slot] - q->lat) * LAT_M_PER_DEG);
      float dx = (float) ((self->lon[slot] - q->lon) * LAT_M_PER_DEG) * q->cos_lat;
      float r2 = (dx * dx + dy * dy) / (100.0f * 100.0f);

      *match = PAYAM_DUP_PLACE_DISTANCE;
      *d2_m = dx * dx + dy * dy;
      return 1.0f / (1.0f + r2);
    }
  if ((q->street != 0 && self->street[slot] == q->street) ||
      (q->landmark != 0 && self->landmark[slot] == q->landmark))
    {
      *match = PAYAM_DUP_PLACE_STREET;
      return 0.6f;
    }
  if (q->nb != 0 && self->nb[slot] == q->nb)
    {
      *match = PAYAM_DUP_PLACE_NEIGHBOURHOOD;
      return 0.25f;
    }
  *match = PAYAM_DUP_PLACE_NONE;
  return 0.0f;
}

static inline float
category_factor_for (const Query *q,
                     guint        category)
{
  if (q->category == G_MAXUINT)
    return 1.0f;
  return category == q->category ? 1.0f : 0.7f;
}

/* 1 for an open request; a closed one counts 0.8, fading to 0.5 as it ages out. */
static inline float
closed_factor (const PayamDupIndex *self,
               const Query         *q,
               guint32              slot)
{
  float since;

  if (self->status[slot] <= PAYAM_STATUS_IN_PROGRESS)
    return 1.0f;
  since = ((float) q->now - (float) self->changed[slot]) / 86400.0f;
  return 0.8f - 0.3f * CLAMP (since / PAYAM_DUP_INDEX_RECENT_DAYS, 0.0f, 1.0f);
}

static inline float
age_factor_for (const PayamDupIndex *self,
                const Query         *q,
                guint32              slot)
{
  float days = ((float) q->now - (float) self->created[slot]) / 86400.0f;
  float a = days <= 7.0f ? 1.0f : MAX (0.6f, 1.0f - 0.4f * (days - 7.0f) / 83.0f);

  return a * closed_factor (self, q, slot);
}

/* Place in the geometric form: exp(−d / 150 m) with coordinates, else 0.6 for the same
 * street (0.05 for two different streets), else 0.6 for the same landmark, else 0.25 in
 * the same neighbourhood (unknown), 0 elsewhere. */
static inline float
geometric_place (const PayamDupIndex *self,
                 const Query         *q,
                 guint32              slot,
                 PayamDupPlaceMatch   match,
                 float                d2)
{
  if (match == PAYAM_DUP_PLACE_DISTANCE)
    return expf (-sqrtf (d2) / 150.0f);
  if (q->street != 0 && self->street[slot] == q->street)
    return 0.6f;
  if (q->street != 0 && self->street[slot] != 0)
    return 0.05f;
  if (q->landmark != 0 && self->landmark[slot] == q->landmark)
    return 0.6f;
  if (match == PAYAM_DUP_PLACE_NONE)
    return 0.0f;
  return 0.25f;
}

/* The geometric form proposed by bench-duplicates-quality (bench/duplicates/README.md):
 * a weighted geometric mean of text, place, category and age with floors. */
static inline float
geometric_score (const PayamDupIndex *self,
                 const Query         *q,
                 guint32              slot,
                 float                t,
                 PayamDupPlaceMatch   match,
                 float                d2)
{
  float p = geometric_place (self, q, slot, match, d2), c, a, dt;

  c = q->category == G_MAXUINT || self->category[slot] == q->category ? 1.0f : 0.5f;
  dt = fabsf ((float) q->now - (float) self->created[slot]) / (7.0f * 86400.0f);
  a = expf (-dt);
  return expf (0.15f * logf ((t + 0.01f) / 1.01f) + 0.30f * logf ((p + 0.02f) / 1.02f) +
               0.25f * logf ((c + 0.2f) / 1.2f) + 0.30f * logf ((a + 0.05f) / 1.05f)) *
         closed_factor (self, q, slot);
}

/* The combined score of slot @slot for a text score @t (estimated or exact). */
static inline float
combine (const PayamDupIndex *self,
         const Query         *q,
         guint32              slot,
         float                t,
         PayamDupPlaceMatch  *match,
         float               *d2)
{
  float p = place_factor_for (self, q, slot, match, d2);

  if (self->formula == PAYAM_DUP_FORMULA_GEOMETRIC)
    return geometric_score (self, q, slot, t, *match, *d2);
  if (self->formula == PAYAM_DUP_FORMULA_TEXT)
    return t;
  return t * (0.4f + 0.6f * p) * category_factor_for (q, self->category[slot]) *
         age_factor_for (self, q, slot);
}

/* Stage 1 ranks by a key that orders like the score: the score itself, or for the
 * geometric form its logarithm from tables (no exp or log per slot). */
#define LOG_TEXT_STEPS  1000   /* text score in steps of 0.001 */
#define LOG_DIST_STEP_M 5.0f   /* distance in steps of 5 m … */
#define LOG_DIST_STEPS  1000   /* … up to 5 km */
#define LOG_AGE_STEPS   2160   /* age in hours up to 90 days */

static float log_text[LOG_TEXT_STEPS + 1];
static float log_dist[LOG_DIST_STEPS + 1];
static float log_age[LOG_AGE_STEPS + 1];

static void
init_log_tables (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
  for (guint i = 0; i <= LOG_TEXT_STEPS; i++)
    log_text[i] = 0.15f * logf (((float) i / LOG_TEXT_STEPS + 0.01f) / 1.01f);
  for (guint i = 0; i <= LOG_DIST_STEPS; i++)
    log_dist[i] = 0.30f * logf ((expf (-(float) i * LOG_DIST_STEP_M / 150.0f) + 0.02f) / 1.02f);
  for (guint i = 0; i <= LOG_AGE_STEPS; i++)
    log_age[i] = 0.30f * logf ((expf (-(float) i / (7.0f * 24.0f)) + 0.05f) / 1.05f);
  g_once_init_leave (&done, 1);
}

static inline float
log_text_of (float t)
{
  return log_text[(guint) (CLAMP (t, 0.0f, 1.0f) * LOG_TEXT_STEPS + 0.5f)];
}

/* The stage-1 key of slot @slot for an estimated text score @t. */
static inline float
stage1_key (const PayamDupIndex *self,
            const Query         *q,
            guint32              slot,
            float                t)
{
  PayamDupPlaceMatch match;
  float d2, key, hours;

  if (self->formula != PAYAM_DUP_FORMULA_GEOMETRIC)
    return combine (self, q, slot, t, &match, &d2);

  place_factor_for (self, q, slot, &match, &d2);
  key = log_text_of (t);
  if (match == PAYAM_DUP_PLACE_DISTANCE)
    key += log_dist[MIN ((guint) (sqrtf (d2) / LOG_DIST_STEP_M + 0.5f), LOG_DIST_STEPS)];
  else
    key += 0.30f * logf ((geometric_place (self, q, slot, match, d2) + 0.02f) / 1.02f);
  if (q->category != G_MAXUINT && self->category[slot] != q->category)
    key += 0.25f * logf ((0.5f + 0.2f) / 1.2f);
  hours = fabsf ((float) q->now - (float) self->created[slot]) / 3600.0f;
  key += log_age[MIN ((guint) (hours + 0.5f), LOG_AGE_STEPS)];
  if (self->status[slot] > PAYAM_STATUS_IN_PROGRESS)
    key += logf (closed_factor (self, q, slot));
  return key;
}

/* The highest stage-1 key a slot with estimated text score @t can have. */
static inline float
upper_bound (const PayamDupIndex *self,
             float                t)
{
  if (self->formula == PAYAM_DUP_FORMULA_GEOMETRIC)
    return log_text_of (t);
  return t;
}

void
_payam_dup_index_set_formula (PayamDupIndex   *self,
                              PayamDupFormula  formula)
{
  g_return_if_fail (PAYAM_IS_DUP_INDEX (self));
  self->formula = formula;
}

/* Stage 1 for one slot: skip what cannot be a candidate, estimate the rest. */
static inline void
visit_slot (PayamDupIndex *self,
            Query         *q,
            guint32        slot)
{
  const guint16 *sk;
  float t = 0.0f;
  guint cat;

  if (self->stamp[slot] == self->epoch)
    return;
  self->stamp[slot] = self->epoch;
  if (self->status[slot] == DEAD || (gint64) slot == q->exclude_slot)
    return;
  cat = self->category[slot];
  if (cat >= 64 ? q->categories != G_MAXUINT64 : !(q->categories >> cat & 1))
    return;
  /* The open statuses are the first four (payam-types.h); others count while recent. */
  if (self->status[slot] > PAYAM_STATUS_IN_PROGRESS &&
      (gint64) self->changed[slot] < (gint64) q->now - PAYAM_DUP_INDEX_RECENT_DAYS * 86400)
    return;
  sk = self->sketch + (gsize) slot * SKETCH_LEN;
  for (guint j = 0; j < SKETCH_LEN && sk[j] != 0; j++)
    t += self->query_weights[sk[j]];
  /* A slot that cannot enter the heap whatever its place, category and age stops here. */
  if (t <= 0.0f ||
      (q->heap->len == q->keep && upper_bound (self, t) <= g_array_index (q->heap, Hit, 0).score))
    return;
  heap_push (q, stage1_key (self, q, slot, t), slot);
}

static void
visit_block (PayamDupIndex *self,
             Query         *q,
             guint64        key)
{
  Block *block = block_get (self, key);

  for (guint32 i = 0; block != NULL && i < block->len; i++)
    visit_slot (self, q, block->slots[i]);
}

/* Visit the blocks near the message in each wanted category (see payam-dup-index.h). */
static void
visit_blocks (PayamDupIndex *self,
              Query         *q)
{
  for (guint cat = 0; cat < self->categories->len; cat++)
    {
      Block *nb_block;
      gboolean placed = q->has_location || q->street != 0 || q->landmark != 0;

      if (cat < 64 && !(q->categories >> cat & 1))
        continue;
      nb_block = q->nb != 0 ? block_get (self, block_key (BLOCK_NB, cat, q->nb)) : NULL;
      if (nb_block != NULL && nb_block->len <= NB_SCAN_MAX)
        visit_block (self, q, nb_block->key);
      else if (nb_block != NULL && !placed)
        {
          /* A big neighbourhood and no other place: the requests there that share one of
           * the message's rarest words. A word in a quarter of them says little; when
           * every word is that common, the shortest list is read all the same. */
          Block *shortest = NULL;
          gboolean visited = FALSE;

          for (guint w = 0; w < q->n_words; w++)
            {
              Block *b = block_get (self, block_key (BLOCK_WORD, cat,
                                                     word_payload (q->nb, q->words[w])));

              if (b == NULL)
                continue;
              if (b->len <= nb_block->len / 4)
                {
                  visit_block (self, q, b->key);
                  visited = TRUE;
                }
              else if (shortest == NULL || b->len < shortest->len)
                shortest = b;
            }
          if (!visited && shortest != NULL)
            visit_block (self, q, shortest->key);
        }
      if (q->has_location)
        for (int dy = -1; dy <= 1; dy++)
          for (int dx = -1; dx <= 1; dx++)
            visit_block (self, q, block_key (BLOCK_GEO, cat,
                                             cell_payload (q->lat, q->lon, dy, dx)));
      if (q->street != 0)
        {
          /* Requests with coordinates on the street are in the cells already. */
          if (!q->has_location)
            visit_block (self, q, block_key (BLOCK_STREET, cat, q->street));
          visit_block (self, q, block_key (BLOCK_STREET_NO_LOCATION, cat, q->street));
        }
      if (q->landmark != 0)
        {
          if (!q->has_location)
            visit_block (self, q, block_key (BLOCK_LANDMARK, cat, q->landmark));
          visit_block (self, q, block_key (BLOCK_LANDMARK_NO_LOCATION, cat, q->landmark));
        }
      /* Nothing but the text: every neighbourhood. */
      if (q->nb == 0 && !placed)
        for (guint n = 1; n < self->names->len; n++)
          visit_block (self, q, block_key (BLOCK_NB, cat, n));
    }
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
only_space (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && c != 0x200c && c != 0x200d && c != 0x200e &&
          c != 0x200f && c != 0xfeff && !g_unichar_iscntrl (c))
        return FALSE;
    }
  return TRUE;
}

/* Check @in and prepare @q: the signature, the weight table, what place and category mean. */
static gboolean
query_prepare (PayamDupIndex       *self,
               const PayamDupQuery *in,
               Query               *q,
               GError             **error)
{
  const PayamSignatureGram *grams;
  guint n;

  if (in->text == NULL || !g_utf8_validate (in->text, -1, NULL) || only_space (in->text))
    return invalid (error, _("Write the message first: there is no text to compare."));
  if (g_utf8_strlen (in->text, -1) > MAX_TEXT_CHARS)
    {
      g_autofree char *max = payam_format_integer (MAX_TEXT_CHARS);
      g_autofree char *message = NULL;

      /* Translators: %s is the largest number of characters allowed, in Persian digits. */
      message = g_strdup_printf (_("The text of the message is too long; shorten it to at "
                                   "most %s characters."), max);
      return invalid (error, message);
    }
  if (in->has_location &&
      (!isfinite (in->lat) || !isfinite (in->lon) ||
       in->lat < DISTRICT_LAT_MIN || in->lat > DISTRICT_LAT_MAX ||
       in->lon < DISTRICT_LON_MIN || in->lon > DISTRICT_LON_MAX))
    return invalid (error, _("The location is outside the district; check the coordinates "
                             "or leave them out."));

  q->signature = payam_text_signature_new (self->model, in->text);
  q->touched = g_array_new (FALSE, FALSE, sizeof (guint16));
  q->heap = g_array_new (FALSE, FALSE, sizeof (Hit));
  q->keep = CLAMP (2 * (in->limit == 0 ? DEFAULT_LIMIT : in->limit), STAGE2_MIN, STAGE2_MAX);

  /* Query grams as the sketches fold them (the mixed id, see make_sketch). */
  grams = payam_text_signature_get_char_grams (q->signature, &n);
  for (guint i = 0; i < n; i++)
    {
      guint16 f = fold_char (mix32 (grams[i].id));

      self->query_weights[f] += CHAR_SHARE * grams[i].weight;
      g_array_append_val (q->touched, f);
    }
  grams = payam_text_signature_get_word_grams (q->signature, &n);
  {
    g_autofree WeightedId *words = g_new (WeightedId, MAX (n, 1));

    for (guint i = 0; i < n; i++)
      {
        guint16 f = fold_word (mix32 (grams[i].id));

        self->query_weights[f] += (1.0f - CHAR_SHARE) * grams[i].weight;
        g_array_append_val (q->touched, f);
        words[i].id = f;
        words[i].weight = grams[i].weight;
      }
    qsort (words, n, sizeof words[0], compare_weight_desc);
    for (guint i = 0; i < n && q->n_words < QUERY_WORDS; i++)
      q->words[q->n_words++] = (guint16) words[i].id;
  }

  q->category = category_id (self, in->category, FALSE);
  if (has_text (in->category) && q->category == G_MAXUINT)
    {
      /* A category the index has not seen: nothing can match it. */
      q->categories = 0;
    }
  else if (q->category == G_MAXUINT)
    q->categories = G_MAXUINT64;
  else
    q->categories = (q->category < 64 ? G_GUINT64_CONSTANT (1) << q->category : 0) |
                    (q->category < 64 ? self->related[q->category] : 0);

  q->nb = name_id (self, in->neighbourhood, FALSE);
  q->street = name_id (self, in->street, FALSE);
  q->landmark = name_id (self, in->landmark, FALSE);
  /* A name the index has never seen matches nothing, but still says the message is placed. */
  if (has_text (in->street) && q->street == 0)
    q->street = G_MAXUINT32;
  if (has_text (in->landmark) && q->landmark == 0)
    q->landmark = G_MAXUINT32;
  if (has_text (in->neighbourhood) && q->nb == 0)
    q->nb = G_MAXUINT16 + 1u;
  q->has_location = in->has_location;
  q->lat = in->lat;
  q->lon = in->lon;
  q->cos_lat = (float) cos (in->lat * G_PI / 180.0);
  q->now = in->at != NULL ? seconds_of (in->at) : store_now (self->store);
  q->exclude_slot = -1;
  if (has_text (in->exclude_id))
    {
      guint8 uuid[16];

      if (uuid_parse (in->exclude_id, uuid))
        q->exclude_slot = table_lookup (self, uuid);
      else if (g_hash_table_contains (self->odd_ids, in->exclude_id))
        q->exclude_slot = GPOINTER_TO_UINT (g_hash_table_lookup (self->odd_ids,
                                                                 in->exclude_id)) - 1;
    }

  if (++self->epoch == 0)
    {
      memset (self->stamp, 0, (gsize) self->n_slots * sizeof (guint32));
      self->epoch = 1;
    }
  return TRUE;
}

static void
query_reset_weights (PayamDupIndex *self,
                     Query         *q)
{
  for (guint i = 0; q->touched != NULL && i < q->touched->len; i++)
    self->query_weights[g_array_index (q->touched, guint16, i)] = 0.0f;
}

static char *
slot_id (PayamDupIndex *self,
         guint32        slot)
{
  char text[37];
  const char *odd = g_hash_table_lookup (self->odd_slots, GUINT_TO_POINTER (slot));

  if (odd != NULL)
    return g_strdup (odd);
  uuid_format (uuid_at (self, slot), text);
  return g_strdup (text);
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const PayamDupCandidate *x = *(PayamDupCandidate * const *) a;
  const PayamDupCandidate *y = *(PayamDupCandidate * const *) b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

/* Read what a candidate shows of request c->id (no phone, no name) with the index's own
 * statement: a handful of columns instead of payam_store_get_request()'s every column and
 * three parsed times. *found is FALSE when the request is gone. */
static gboolean
fetch_candidate (PayamDupIndex     *self,
                 PayamDupCandidate *c,
                 gboolean          *found,
                 gboolean          *located,
                 double            *lat,
                 double            *lon,
                 GError           **error)
{
  int rc;

  *found = FALSE;
  if (self->fetch == NULL)
    {
      rc = sqlite3_prepare_v3 (self->store->db,
                               "SELECT tracking_code, text, category_id, status, group_id, "
                               "lat, lon FROM request WHERE id = ?1",
                               -1, SQLITE_PREPARE_PERSISTENT, &self->fetch, NULL);
      if (rc != SQLITE_OK)
        {
          g_set_error (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_STORE,
                       "%s", sqlite3_errmsg (self->store->db));
          return FALSE;
        }
    }
  sqlite3_bind_text (self->fetch, 1, c->id, -1, SQLITE_STATIC);
  rc = sqlite3_step (self->fetch);
  if (rc == SQLITE_ROW)
    {
      PayamStatus status = PAYAM_STATUS_REGISTERED;

      *found = TRUE;
      c->tracking_code = g_strdup ((const char *) sqlite3_column_text (self->fetch, 0));
      c->text = g_strdup ((const char *) sqlite3_column_text (self->fetch, 1));
      c->category = g_strdup ((const char *) sqlite3_column_text (self->fetch, 2));
      payam_status_from_string ((const char *) sqlite3_column_text (self->fetch, 3), &status);
      c->status = status;
      c->group_id = g_strdup ((const char *) sqlite3_column_text (self->fetch, 4));
      *located = sqlite3_column_type (self->fetch, 5) != SQLITE_NULL;
      *lat = sqlite3_column_double (self->fetch, 5);
      *lon = sqlite3_column_double (self->fetch, 6);
    }
  sqlite3_reset (self->fetch);
  sqlite3_clear_bindings (self->fetch);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_set_error (error, PAYAM_DUP_INDEX_ERROR, PAYAM_DUP_INDEX_ERROR_STORE,
                   "%s", sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

/* Stage 2: read each kept slot's request, score its text exactly, combine, sort. */
static GPtrArray *
query_finish (PayamDupIndex *self,
              Query         *q,
              guint          limit,
              GError       **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               payam_dup_candidate_free);

  for (guint i = 0; i < q->heap->len; i++)
    {
      guint32 slot = g_array_index (q->heap, Hit, i).slot;
      g_autoptr(PayamDupCandidate) c = g_new0 (PayamDupCandidate, 1);
      g_autoptr(PayamTextSignature) sig = NULL;
      PayamDupPlaceMatch match;
      gboolean found, located;
      double lat, lon;
      float d2;
      double t;

      c->id = slot_id (self, slot);
      if (!fetch_candidate (self, c, &found, &located, &lat, &lon, error))
        return NULL;
      if (!found)
        continue;
      sig = payam_text_signature_new (self->model, c->text);
      t = payam_text_signature_score (q->signature, sig);
      if (t < PAYAM_DUP_INDEX_MIN_TEXT_SCORE)
        continue;
      c->score = CLAMP (combine (self, q, slot, (float) t, &match, &d2), 0.0, 1.0);
      c->place_match = match;
      c->distance_m = match == PAYAM_DUP_PLACE_DISTANCE && located
                      ? haversine_m (q->lat, q->lon, lat, lon) : -1.0;
      c->text_score = t;
      g_ptr_array_add (out, g_steal_pointer (&c));
    }
  g_ptr_array_sort (out, compare_candidates);
  if (out->len > limit)
    g_ptr_array_set_size (out, limit);
  return g_steal_pointer (&out);
}

static GPtrArray *
run_query (PayamDupIndex       *self,
           const PayamDupQuery *query,
           gboolean             full_scan,
           GError             **error)
{
  g_auto(Query) q = { 0 };
  GPtrArray *out;

  if (!query_prepare (self, query, &q, error))
    {
      query_reset_weights (self, &q);
      return NULL;
    }
  if (full_scan)
    for (guint32 slot = 0; slot < self->n_slots; slot++)
      visit_slot (self, &q, slot);
  else
    visit_blocks (self, &q);
  query_reset_weights (self, &q);
  out = query_finish (self, &q, query->limit == 0 ? DEFAULT_LIMIT : query->limit, error);
  return out;
}

/**
 * payam_dup_index_query:
 *
 * See payam-dup-index.h. Stage 1 walks only the blocks near the message; stage 2 reads the
 * best few requests from the store (payam_store_get_request()) and keeps only what a
 * candidate may show: no phone, no name.
 */
GPtrArray *
payam_dup_index_query (PayamDupIndex        *self,
                       const PayamDupQuery  *query,
                       GError              **error)
{
  g_return_val_if_fail (PAYAM_IS_DUP_INDEX (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  return run_query (self, query, FALSE, error);
}

GPtrArray *
payam_dup_index_query_full_scan (PayamDupIndex        *self,
                                 const PayamDupQuery  *query,
                                 GError              **error)
{
  g_return_val_if_fail (PAYAM_IS_DUP_INDEX (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  return run_query (self, query, TRUE, error);
}

/**
 * payam_dup_index_suggest_for_draft:
 *
 * See payam-dup-index.h. Asks for more candidates than shown, keeps those whose text
 * score reaches the review threshold and adds the first photo's hash of each.
 */
GPtrArray *
payam_dup_index_suggest_for_draft (PayamDupIndex            *self,
                                   const PayamRequestDraft  *draft,
                                   guint                     limit,
                                   GError                  **error)
{
  PayamDupQuery query = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               payam_dup_candidate_free);

  g_return_val_if_fail (PAYAM_IS_DUP_INDEX (self), NULL);
  g_return_val_if_fail (draft != NULL, NULL);

  if (limit == 0)
    limit = 3;
  query.text = draft->text;
  query.category = draft->category;
  query.neighbourhood = draft->neighbourhood;
  query.street = draft->street;
  query.landmark = draft->landmark;
  query.has_location = draft->has_location;
  query.lat = draft->lat;
  query.lon = draft->lon;
  query.at = draft->created_at;
  query.limit = 2 * limit;
  all = payam_dup_index_query (self, &query, error);
  if (all == NULL)
    return NULL;

  for (guint i = 0; i < all->len && out->len < limit; i++)
    {
      PayamDupCandidate *c = all->pdata[i];
      g_auto(GStrv) photos = NULL;

      if (c->text_score < PAYAM_SIMILARITY_REVIEW_THRESHOLD)
        continue;
      photos = payam_store_list_request_photos (self->store, c->id, NULL);
      if (photos != NULL && photos[0] != NULL)
        c->thumbnail_sha256 = g_strdup (photos[0]);
      g_ptr_array_add (out, g_steal_pointer (&all->pdata[i]));
    }
  return g_steal_pointer (&out);
}

/**
 * payam_dup_index_review_for_request:
 *
 * See payam-dup-index.h. The request's own text, category and place make the query; its
 * creation time is the query's time, so an old request is compared with its own era.
 */
GPtrArray *
payam_dup_index_review_for_request (PayamDupIndex  *self,
                                    const char     *request_id,
                                    guint           limit,
                                    GPtrArray     **sure,
                                    GError        **error)
{
  g_autoptr(PayamRequest) r = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) band = NULL;
  g_autoptr(GPtrArray) sure_list = NULL;
  PayamDupQuery query = { 0 };

  g_return_val_if_fail (PAYAM_IS_DUP_INDEX (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  r = payam_store_get_request (self->store, request_id, &local_error);
  if (r == NULL)
    {
      g_set_error (error, PAYAM_DUP_INDEX_ERROR,
                   g_error_matches (local_error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND)
                   ? PAYAM_DUP_INDEX_ERROR_NOT_FOUND : PAYAM_DUP_INDEX_ERROR_STORE,
                   "%s", local_error->message);
      return NULL;
    }
  if (limit == 0)
    limit = 10;
  query.text = r->text;
  query.category = r->category;
  query.neighbourhood = r->neighbourhood;
  query.street = r->street;
  query.landmark = r->landmark;
  query.has_location = r->has_location;
  query.lat = r->lat;
  query.lon = r->lon;
  query.exclude_id = r->id;
  query.limit = MIN (3 * limit, STAGE2_MAX);
  /* A stored text is within the store's limits; coordinates too. */
  all = payam_dup_index_query (self, &query, error);
  if (all == NULL)
    return NULL;

  band = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_dup_candidate_free);
  sure_list = g_ptr_array_new_with_free_func ((GDestroyNotify) payam_dup_candidate_free);
  for (guint i = 0; i < all->len; i++)
    {
      PayamDupCandidate *c = all->pdata[i];

      if (r->group_id != NULL && g_strcmp0 (c->group_id, r->group_id) == 0)
        continue;
      if (c->text_score >= PAYAM_SIMILARITY_THRESHOLD)
        {
          if (sure_list->len < limit)
            g_ptr_array_add (sure_list, g_steal_pointer (&all->pdata[i]));
        }
      else if (c->text_score >= PAYAM_SIMILARITY_REVIEW_THRESHOLD && band->len < limit)
        g_ptr_array_add (band, g_steal_pointer (&all->pdata[i]));
    }
  if (sure != NULL)
    *sure = g_steal_pointer (&sure_list);
  return g_steal_pointer (&band);
}
