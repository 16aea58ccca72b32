/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals of PayamDupIndex shared by its two files and the benchmark: slots, blocks, forms. */
#pragma once

#include <math.h>
#include <sqlite3.h>

#include "payam-dup-index.h"

G_BEGIN_DECLS

/* How candidates are ranked, compared by bench-dup-index --intake. GEOMETRIC is the
 * product's (payam-dup-index.h), the weighted geometric mean proposed by
 * bench-duplicates-quality; MULTIPLICATIVE was the index's first design. */
typedef enum {
  PAYAM_DUP_FORMULA_GEOMETRIC,
  PAYAM_DUP_FORMULA_MULTIPLICATIVE, /* text · (0.4 + 0.6 · place) · category · age */
  PAYAM_DUP_FORMULA_TEXT,           /* the text score alone */
} PayamDupFormula;

void _payam_dup_index_set_formula (PayamDupIndex   *self,
                                   PayamDupFormula  formula);

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
/* Slots a query reads at most in stage 1 (the first block is always read whole). */
#define VISIT_BUDGET     16384
/* Words of each request listed in word blocks, and words of a message looked up. */
#define POST_WORDS       4
#define QUERY_WORDS      6
#define STAGE2_MIN       10
#define STAGE2_MAX       64
#define DEFAULT_LIMIT    5
#define MAX_TEXT_CHARS   4000
#define CHAR_SHARE       0.6f
#define DEAD             0xff
/* The category code that relates to every other (categories.json). */
#define PAYAM_DUP_INDEX_OTHER_CATEGORY "other"
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
  sqlite3_stmt         *fetch_photos; /* the same */
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

typedef struct {
  guint32 id;
  float   weight;
} WeightedId;

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

static inline guint32
seconds_of (GDateTime *when)
{
  gint64 s = when != NULL ? g_date_time_to_unix (when) : 0;

  return (guint32) CLAMP (s, 0, (gint64) G_MAXUINT32);
}

static inline guint8 *
uuid_at (const PayamDupIndex *self,
         guint32              slot)
{
  return self->uuid + (gsize) slot * 16;
}

static inline gboolean
has_text (const char *s)
{
  return s != NULL && s[0] != '\0';
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

/* payam-dup-index.c */
gboolean  _payam_dup_index_uuid_parse          (const char          *text,
                                                guint8               out[16]);
void      _payam_dup_index_uuid_format         (const guint8         in[16],
                                                char                 out[37]);
gint64    _payam_dup_index_table_lookup        (PayamDupIndex       *self,
                                                const guint8         uuid[16]);
Block    *_payam_dup_index_block_get           (PayamDupIndex       *self,
                                                guint64              key);
guint32   _payam_dup_index_name_id             (PayamDupIndex       *self,
                                                const char          *name,
                                                gboolean             create);
guint     _payam_dup_index_category_id         (PayamDupIndex       *self,
                                                const char          *code,
                                                gboolean             create);
/* For tests: while held, builds in a worker thread (payam_dup_index_new_async()) wait
 * before they read anything, so a test can see the caller's loop run meanwhile. */
void      _payam_dup_index_hold_builds         (gboolean             hold);
guint32   _payam_dup_index_store_now           (PayamStore          *store);
int       _payam_dup_index_compare_weight_desc (gconstpointer        a,
                                                gconstpointer        b);

/* payam-dup-index-query.c */
void      _payam_dup_index_init_log_tables     (void);
/* payam_dup_index_query() that also appends each candidate's pair-model features
 * (PAYAM_PAIR_N_FEATURES doubles a candidate, in the output order) to @features_out:
 * what bench-pair-features dumps for training, from the product's own path. */
/* Append the dHash of each photo of request @id to @hashes (guint64). */
gboolean   _payam_dup_index_fetch_photo_hashes (PayamDupIndex       *self,
                                                const char          *id,
                                                GArray              *hashes,
                                                GError             **error);
gboolean   _payam_dup_index_request_query      (PayamDupIndex       *self,
                                                const PayamRequest  *r,
                                                PayamDupQuery       *query,
                                                GArray              *hashes,
                                                GError             **error);
GPtrArray *_payam_dup_index_query_features     (PayamDupIndex       *self,
                                                const PayamDupQuery *query,
                                                GArray              *features_out,
                                                GError             **error);

G_END_DECLS
