/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PayamSyncRateLimit: a token bucket per client address, with a bounded table: buckets
 * that have filled up again are forgotten, and past the bound a new address waits. */
#define G_LOG_DOMAIN "payam-server"
#include "config.h"

#include "payam-sync-ratelimit.h"

#define MAX_BUCKETS 65536

struct _PayamSyncRateLimit
{
  double      per_us;     /* tokens gained per microsecond */
  double      burst;
  GHashTable *buckets;    /* key → Bucket */
};

typedef struct {
  double tokens;
  gint64 at_us;
} Bucket;

PayamSyncRateLimit *
payam_sync_rate_limit_new (guint per_minute,
                           guint burst)
{
  PayamSyncRateLimit *self = g_new0 (PayamSyncRateLimit, 1);

  self->per_us = per_minute / 60e6;
  self->burst = MAX (burst, 1);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
payam_sync_rate_limit_free (PayamSyncRateLimit *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->buckets);
  g_free (self);
}

static double
refilled (const PayamSyncRateLimit *self,
          const Bucket             *bucket,
          gint64                    now_us)
{
  return MIN (self->burst, bucket->tokens + (double) (now_us - bucket->at_us) * self->per_us);
}

static gboolean
bucket_is_full (gpointer key,
                gpointer value,
                gpointer user_data)
{
  const PayamSyncRateLimit *self = ((gpointer *) user_data)[0];
  gint64 now_us = *(gint64 *) ((gpointer *) user_data)[1];

  return refilled (self, value, now_us) >= self->burst;
}

gboolean
payam_sync_rate_limit_take (PayamSyncRateLimit *self,
                            const char         *key,
                            gint64              now_us,
                            guint              *retry_after)
{
  Bucket *bucket;
  double tokens;

  g_return_val_if_fail (self != NULL && key != NULL && retry_after != NULL, FALSE);

  *retry_after = 0;
  if (self->per_us <= 0)
    return TRUE;
  bucket = g_hash_table_lookup (self->buckets, key);
  if (bucket == NULL)
    {
      if (g_hash_table_size (self->buckets) >= MAX_BUCKETS)
        {
          gpointer data[2] = { self, &now_us };

          g_hash_table_foreach_remove (self->buckets, bucket_is_full, data);
        }
      if (g_hash_table_size (self->buckets) >= MAX_BUCKETS)
        {
          *retry_after = (guint) (1 / (self->per_us * 1e6)) + 1;
          return FALSE;
        }
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = self->burst;
      bucket->at_us = now_us;
      g_hash_table_insert (self->buckets, g_strdup (key), bucket);
    }
  tokens = refilled (self, bucket, now_us);
  bucket->at_us = now_us;
  if (tokens >= 1)
    {
      bucket->tokens = tokens - 1;
      return TRUE;
    }
  bucket->tokens = tokens;
  *retry_after = (guint) ((1 - tokens) / (self->per_us * 1e6)) + 1;
  return FALSE;
}
