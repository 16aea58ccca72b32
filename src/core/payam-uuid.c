/* SPDX-License-Identifier: GPL-3.0-or-later */
/* UUIDv7 identifiers (RFC 9562 §5.7) that sort in creation order within one process. */
#define G_LOG_DOMAIN "payam-uuid"
#include "config.h"

#include <string.h>

#include "payam-uuid.h"

#define UNIX_MS_MAX   ((G_GINT64_CONSTANT (1) << 48) - 1)
#define UUID_TEXT_LEN 36
#define RAND_A_MAX    0xFFF
/* A fresh millisecond seeds rand_a with 11 random bits, leaving the top bit as headroom:
 * at least 2048 more ids fit in the same millisecond before the counter rolls over
 * (RFC 9562 §6.2, method 1, "counter seeding"). */
#define RAND_A_SEED_LIMIT 0x800

static const char hex_digits[] = "0123456789abcdef";

/**
 * payam_uuid7_from_parts:
 * @unix_ms: Unix time in milliseconds, 0 … 2^48 − 1
 * @random: 10 bytes of which 74 bits are used
 *
 * Lays out a UUIDv7: unix_ts_ms (48 bits, big-endian), version 0b0111, rand_a (the low 4
 * bits of random[0] and all of random[1]), variant 0b10, rand_b (the low 6 bits of
 * random[2] and random[3 … 9]). The bits of @random that the version and variant replace
 * are ignored. Returns (transfer full) the lower-case 36-character form, or NULL (with a
 * critical warning) when @unix_ms is out of range or @random is NULL.
 */
char *
payam_uuid7_from_parts (gint64       unix_ms,
                        const guint8 random[10])
{
  guint8 bytes[16];
  char *text;
  char *p;

  g_return_val_if_fail (unix_ms >= 0 && unix_ms <= UNIX_MS_MAX, NULL);
  g_return_val_if_fail (random != NULL, NULL);

  for (guint i = 0; i < 6; i++)
    bytes[i] = (guint8) (((guint64) unix_ms >> (8 * (5 - i))) & 0xFF);
  bytes[6] = 0x70 | (random[0] & 0x0F);
  bytes[7] = random[1];
  bytes[8] = 0x80 | (random[2] & 0x3F);
  memcpy (bytes + 9, random + 3, 7);

  text = g_malloc (UUID_TEXT_LEN + 1);
  p = text;
  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *p++ = '-';
      *p++ = hex_digits[bytes[i] >> 4];
      *p++ = hex_digits[bytes[i] & 0x0F];
    }
  *p = '\0';

  return text;
}

/* State of the process-wide generator: the millisecond of the last id and the counter
 * kept in its rand_a. Guarded by generator_lock. */
static GMutex generator_lock;
static gint64 generator_ms = -1;
static guint generator_counter;

/* Picks the timestamp and the 12-bit rand_a of the next id so that ids made in this
 * process sort strictly in creation order (RFC 9562 §6.2 method 1): a new millisecond
 * seeds the counter randomly; the same (or an earlier, when the wall clock steps back)
 * millisecond reuses the last timestamp with the counter plus one; when the counter
 * would pass 12 bits, the timestamp moves one millisecond ahead and the counter is
 * reseeded (§6.2 "counter rollover"). */
static void
generator_next (gint64  now_ms,
                gint64 *out_ms,
                guint  *out_counter)
{
  g_mutex_lock (&generator_lock);

  if (now_ms > generator_ms)
    {
      generator_ms = now_ms;
      generator_counter = (guint) g_random_int_range (0, RAND_A_SEED_LIMIT);
    }
  else if (generator_counter < RAND_A_MAX)
    {
      generator_counter++;
    }
  else
    {
      generator_ms = MIN (generator_ms + 1, UNIX_MS_MAX);
      generator_counter = (guint) g_random_int_range (0, RAND_A_SEED_LIMIT);
    }

  *out_ms = generator_ms;
  *out_counter = generator_counter;

  g_mutex_unlock (&generator_lock);
}

/**
 * payam_uuid7_new:
 *
 * Returns: (transfer full): a fresh UUIDv7 from g_get_real_time() and g_random_int():
 * 12 bits of monotonic counter in rand_a and 62 random bits in rand_b. Thread-safe; ids
 * from one process are strictly increasing as strings.
 */
char *
payam_uuid7_new (void)
{
  gint64 now_ms = CLAMP (g_get_real_time () / 1000, 0, UNIX_MS_MAX);
  gint64 ms;
  guint counter;
  guint8 random[10];

  generator_next (now_ms, &ms, &counter);

  random[0] = (guint8) (counter >> 8);
  random[1] = (guint8) (counter & 0xFF);
  for (guint i = 2; i < 10; i += 4)
    {
      guint32 r = g_random_int ();
      guint n = MIN (4, 10 - i);

      for (guint j = 0; j < n; j++)
        random[i + j] = (guint8) (r >> (8 * j));
    }

  return payam_uuid7_from_parts (ms, random);
}

/* Value of a lower-case hex digit, or -1. */
static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/**
 * payam_uuid7_is_valid:
 * @text: (nullable): a string
 *
 * Returns: TRUE when @text is exactly the canonical form Payam writes: 36 characters,
 * 8-4-4-4-12 lower-case hex digits, version 7 and the RFC variant (0b10). Upper case is
 * refused so that one id has one spelling in the store.
 */
gboolean
payam_uuid7_is_valid (const char *text)
{
  if (text == NULL || strlen (text) != UUID_TEXT_LEN)
    return FALSE;

  for (guint i = 0; i < UUID_TEXT_LEN; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (hex_value (text[i]) < 0)
        {
          return FALSE;
        }
    }

  /* Version nibble, then the two variant bits (8, 9, a or b). */
  return text[14] == '7' && (hex_value (text[19]) & 0xC) == 0x8;
}

/**
 * payam_uuid7_unix_ms:
 * @text: (nullable): a UUIDv7 string
 *
 * Returns: the 48-bit timestamp of @text in Unix milliseconds, or -1 when
 * payam_uuid7_is_valid() refuses @text.
 */
gint64
payam_uuid7_unix_ms (const char *text)
{
  gint64 ms = 0;

  if (!payam_uuid7_is_valid (text))
    return -1;

  /* "xxxxxxxx-xxxx-…": the first 12 hex digits, around the first dash. */
  for (guint i = 0; i < 13; i++)
    if (i != 8)
      ms = (ms << 4) | hex_value (text[i]);

  return ms;
}
