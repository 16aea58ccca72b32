/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamDupIndex: the in-memory candidate index that finds likely duplicates of a new message. */
#pragma once

#include <gio/gio.h>

#include "payam-pair-parts.h"
#include "payam-request.h"
#include "payam-similarity.h"
#include "payam-store.h"

G_BEGIN_DECLS

#define PAYAM_DUP_INDEX_ERROR (payam_dup_index_error_quark ())

typedef enum {
  PAYAM_DUP_INDEX_ERROR_INVALID,   /* bad query input; the message says what to fix */
  PAYAM_DUP_INDEX_ERROR_NOT_FOUND, /* no such request */
  PAYAM_DUP_INDEX_ERROR_STORE,     /* the store failed (its message is kept) */
} PayamDupIndexError;

GQuark payam_dup_index_error_quark (void);

/* Requests closed (done, not possible, rejected, notified, closed) longer ago than this are
 * no longer candidates; open requests always are, however old. */
#define PAYAM_DUP_INDEX_RECENT_DAYS 30

/* Candidates whose text scores below this against the message share no more than a
 * stray gram with it and are left out, however near. */
#define PAYAM_DUP_INDEX_MIN_TEXT_SCORE 0.01

/* How the place of a candidate compares with the message's. */
typedef enum {
  PAYAM_DUP_PLACE_NONE,          /* another neighbourhood */
  PAYAM_DUP_PLACE_NEIGHBOURHOOD, /* same neighbourhood only */
  PAYAM_DUP_PLACE_STREET,        /* same street or same landmark */
  PAYAM_DUP_PLACE_DISTANCE,      /* both have coordinates: see distance_m */
} PayamDupPlaceMatch;

/* A new message to find duplicates for. Borrowed strings; NULL or "" means not given. */
typedef struct {
  const char *text;           /* as written; required */
  const char *category;       /* NULL: every category */
  const char *neighbourhood;
  const char *street;
  const char *landmark;
  gboolean    has_location;
  double      lat;
  double      lon;
  GDateTime  *at;             /* when it was written; NULL: now by the store's clock */
  const char *exclude_id;     /* a request never returned (the message itself) */
  guint       limit;          /* at most this many candidates; 0: 5 */
  const guint64 *photo_hashes; /* dHash of the message's photos (payam_photo_dhash()) */
  guint       n_photo_hashes;
} PayamDupQuery;

/* One candidate: what a kiosk may show to any citizen. No phone, no name. */
typedef struct {
  char               *id;
  char               *tracking_code;
  char               *text;           /* as the citizen wrote it */
  char               *category;
  PayamStatus         status;
  char               *group_id;       /* its duplicate group, or NULL */
  char               *thumbnail_sha256; /* its first photo, or NULL (suggestions only) */
  PayamDupPlaceMatch  place_match;
  double              distance_m;     /* haversine metres when both have coordinates, else -1 */
  double              text_score;     /* payam_text_signature_score() against the message */
  double              score;          /* the pair model's logistic score, which ranks, in (0, 1) */
  double              probability;    /* calibrated: the chance that it is the same problem */
} PayamDupCandidate;

PayamDupCandidate *payam_dup_candidate_copy (const PayamDupCandidate *candidate);
void               payam_dup_candidate_free (PayamDupCandidate       *candidate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayamDupCandidate, payam_dup_candidate_free)

/* Figures of the index, for the benchmark and diagnostics. */
typedef struct {
  guint  n_requests;      /* indexed (open or recently closed) requests, live */
  guint  n_slots;         /* slots in use, including ones whose request moved or aged out */
  guint  n_blocks;
  gsize  memory_bytes;    /* every allocation of the index itself, counted by capacity */
} PayamDupIndexStats;

#define PAYAM_TYPE_DUP_INDEX (payam_dup_index_get_type ())
G_DECLARE_FINAL_TYPE (PayamDupIndex, payam_dup_index, PAYAM, DUP_INDEX, GObject)

/* Build the index of @store's open and recently closed requests (one pass over the store)
 * and keep it current through the store's "request-changed" signal: every insert, status
 * change, group change and synced change committed through @store updates it. Changes
 * that another connection commits to the same file (another process) are not seen: call
 * payam_dup_index_update() for them. Holds a reference on @store. */
PayamDupIndex      *payam_dup_index_new            (PayamStore           *store,
                                                    GError              **error);

/* The same index built in a worker thread, so that the caller's main loop runs on: the
 * worker reads through a connection of its own to the store's file (never @store's), and
 * @callback (in the caller's thread) gets the index, current with every change @store
 * signalled while the worker read, and kept current from then on like
 * payam_dup_index_new()'s. Holds a reference on @store until @callback. */
void                payam_dup_index_new_async      (PayamStore           *store,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
PayamDupIndex      *payam_dup_index_new_finish     (GAsyncResult         *result,
                                                    GError              **error);

/* Re-read request @request_id from the store and index it (or drop it when it is closed
 * and too old). What the signal handler does; NOT_FOUND for an unknown request. */
gboolean            payam_dup_index_update         (PayamDupIndex        *self,
                                                    const char           *request_id,
                                                    GError              **error);

/* The best candidates for @query, best first: open or recently closed requests of the
 * same or a related category or "other" (every category when @query has none or is
 * "other"), near the message:
 * within a few hundred metres when both have coordinates, else on the same street or at
 * the same landmark, else (in a small store, or when the message names only its
 * neighbourhood) in the same neighbourhood, among those sharing one of its rarer words in a
 * big one; the most specific places first, up to about 16,000 requests read (a bound that
 * only a very dense store reaches). The index keeps the best few by the weighted geometric
 * mean that bench-duplicates-quality fitted (T^0.15 · P^0.30 · C^0.25 · A^0.30, see
 * bench/duplicates/README.md), then reads them and ranks them by the pair model
 * (payam-pair-model.h: text, numbers, negation, place, category, time gap and photos):
 * score is its logistic score, probability its calibrated probability.  Candidates whose text score is below
 * PAYAM_DUP_INDEX_MIN_TEXT_SCORE are left out. INVALID (translated) for an empty or
 * too long text (over 4,000 characters, the store's limit) or coordinates outside the
 * district. Returns a GPtrArray of PayamDupCandidate (caller owns it), possibly empty, or
 * NULL on error. */
GPtrArray          *payam_dup_index_query          (PayamDupIndex        *self,
                                                    const PayamDupQuery  *query,
                                                    GError              **error);

/* The same ranking computed by scanning every indexed request, without the index's
 * blocks: the benchmark's reference for speed and for what blocking misses. */
GPtrArray          *payam_dup_index_query_full_scan (PayamDupIndex       *self,
                                                    const PayamDupQuery  *query,
                                                    GError              **error);

/* For the kiosk's "is it one of these?" step: the best candidates for a draft being
 * written (its text, category and place; the draft's time or now), at most @limit (0: 3),
 * whatever their probability (the citizen decides), each with thumbnail_sha256 set when
 * the request has a photo (payam_store_dup_photo_bytes() with thumbnail TRUE gives the
 * picture). A citizen who picks one registers the draft with group_id from
 * payam_store_ensure_group() of the candidate. Same errors as payam_dup_index_query(). */
GPtrArray          *payam_dup_index_suggest_for_draft (PayamDupIndex     *self,
                                                    const PayamRequestDraft *draft,
                                                    guint                 limit,
                                                    GError              **error);

/* For the office's duplicate review of request @request_id: the candidates whose pair
 * probability is in the review band [payam_pair_model_get_review_threshold(),
 * payam_pair_model_get_auto_threshold()) — maybe the same, never grouped automatically —
 * excluding the request itself and members of its own group, best first, at most @limit
 * (0: 10), ranked as of the request's own creation time (its age term compares it with
 * what was reported around it). Pairs at or above the automatic threshold come with
 * @sure (may be NULL), a second GPtrArray. NOT_FOUND for an unknown request. */
GPtrArray          *payam_dup_index_review_for_request (PayamDupIndex    *self,
                                                    const char           *request_id,
                                                    guint                 limit,
                                                    GPtrArray           **sure,
                                                    GError              **error);

/* Why requests @a_id and @b_id would be called the same problem, or not: the pair
 * model's features, score, probability and their parts (payam-pair-parts.h), with @a_id
 * as the message and @b_id as the candidate, as payam_dup_index_review_for_request()
 * scores them (text against the index's corpus, photos' hashes, place names normalised).
 * NOT_FOUND when either request is unknown. */
gboolean            payam_dup_index_pair_parts     (PayamDupIndex        *self,
                                                    const char           *a_id,
                                                    const char           *b_id,
                                                    PayamPairParts       *out,
                                                    GError              **error);

/* The corpus model of the indexed texts (document frequencies), borrowed. */
const PayamSimilarityModel *payam_dup_index_get_model (PayamDupIndex     *self);
void                payam_dup_index_get_stats      (PayamDupIndex        *self,
                                                    PayamDupIndexStats   *out);

G_END_DECLS
