/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of contact sealing: seal and open (wrong key, cut, changed), a kiosk's request, the
 * purge on acknowledgement and the server opening or refusing pushed contacts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>
#include <sodium.h>

#include "payam-seal.h"
#include "payam-store-contact.h"
#include "payam-store-devices.h"
#include "payam-store-private.h"
#include "payam-store-sync.h"

#define T0 G_GINT64_CONSTANT (1795000000000)

typedef struct {
  char *public_key;
  char *secret_key;
} KeyPair;

static void
key_pair_make (KeyPair *pair)
{
  guint8 pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];

  assert_true (sodium_init () >= 0);
  crypto_box_keypair (pk, sk);
  pair->public_key = g_base64_encode (pk, sizeof pk);
  pair->secret_key = g_base64_encode (sk, sizeof sk);
}

static void
key_pair_clear (KeyPair *pair)
{
  g_clear_pointer (&pair->public_key, g_free);
  g_clear_pointer (&pair->secret_key, g_free);
}

/* ---- seal and open ---------------------------------------------------------------------- */

static void
test_round_trip (void **state)
{
  static const struct {
    const char *phone;
    const char *name;
  } contacts[] = {
    { "09121234567", "مریم احمدی" },
    { "09121234567", NULL },
    { NULL, "علی \"رضایی\"\\\n" },
  };
  KeyPair pair = { 0 };

  key_pair_make (&pair);
  for (gsize i = 0; i < G_N_ELEMENTS (contacts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sealed = payam_seal_contact (pair.public_key, contacts[i].phone,
                                                    contacts[i].name, &error);
      g_autofree char *again = payam_seal_contact (pair.public_key, contacts[i].phone,
                                                   contacts[i].name, &error);
      g_autofree char *phone = NULL;
      g_autofree char *name = NULL;

      assert_non_null (sealed);
      /* A fresh key for every box: the same contact never seals to the same text. */
      assert_string_not_equal (sealed, again);
      if (contacts[i].phone != NULL)
        assert_null (strstr (sealed, contacts[i].phone));
      assert_true (payam_seal_open (pair.public_key, pair.secret_key, sealed, &phone, &name,
                                    &error));
      assert_null (error);
      if (contacts[i].phone != NULL)
        assert_string_equal (phone, contacts[i].phone);
      else
        assert_null (phone);
      if (contacts[i].name != NULL)
        assert_string_equal (name, contacts[i].name);
      else
        assert_null (name);
    }
  key_pair_clear (&pair);
}

/* Opening fails with OPEN and sets nothing. */
static void
assert_does_not_open (const KeyPair *pair,
                      const char    *sealed)
{
  g_autoptr(GError) error = NULL;
  char *phone = (char *) "untouched";
  char *name = (char *) "untouched";

  assert_false (payam_seal_open (pair->public_key, pair->secret_key, sealed, &phone, &name,
                                 &error));
  assert_true (g_error_matches (error, PAYAM_SEAL_ERROR, PAYAM_SEAL_ERROR_OPEN));
  assert_string_equal (phone, "untouched");
  assert_string_equal (name, "untouched");
}

static void
test_wrong_key (void **state)
{
  KeyPair pair = { 0 }, other = { 0 }, mixed;
  g_autoptr(GError) error = NULL;
  g_autofree char *sealed = NULL;

  key_pair_make (&pair);
  key_pair_make (&other);
  sealed = payam_seal_contact (pair.public_key, "09121234567", "مریم", &error);
  assert_non_null (sealed);
  assert_does_not_open (&other, sealed);
  /* The right secret key with another public key: the box names the key it was sealed to. */
  mixed.public_key = other.public_key;
  mixed.secret_key = pair.secret_key;
  assert_does_not_open (&mixed, sealed);
  key_pair_clear (&pair);
  key_pair_clear (&other);
}

static void
test_truncated (void **state)
{
  KeyPair pair = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *sealed = NULL;
  g_autofree guint8 *box = NULL;
  gsize length = 0;
  /* Cuts of the box: everything but one byte, the MAC and key only, less, nothing. */
  const gssize cuts[] = { -1, crypto_box_SEALBYTES, crypto_box_SEALBYTES - 1, 1, 0 };

  key_pair_make (&pair);
  sealed = payam_seal_contact (pair.public_key, "09121234567", "مریم", &error);
  assert_non_null (sealed);
  box = g_base64_decode (sealed, &length);
  assert_int_equal (length, crypto_box_SEALBYTES + strlen ("{\"phone\":\"09121234567\","
                                                           "\"name\":\"مریم\"}"));
  for (gsize i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      gsize keep = cuts[i] < 0 ? length - 1 : (gsize) cuts[i];
      g_autofree char *cut = g_base64_encode (box, keep);

      assert_does_not_open (&pair, cut);
    }
  /* Cut in the base64 text itself. */
  sealed[strlen (sealed) - 3] = '\0';
  assert_does_not_open (&pair, sealed);
  key_pair_clear (&pair);
}

static void
test_tampered (void **state)
{
  KeyPair pair = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *sealed = NULL;
  g_autofree guint8 *box = NULL;
  gsize length = 0;

  key_pair_make (&pair);
  sealed = payam_seal_contact (pair.public_key, "09121234567", "مریم", &error);
  assert_non_null (sealed);
  box = g_base64_decode (sealed, &length);
  /* One flipped bit anywhere: the ephemeral key, the MAC, the text. */
  for (gsize at = 0; at < length; at++)
    {
      g_autofree char *changed = NULL;

      box[at] ^= 0x04;
      changed = g_base64_encode (box, length);
      assert_does_not_open (&pair, changed);
      box[at] ^= 0x04;
    }
  /* Not base64, empty, nothing. */
  assert_does_not_open (&pair, "not base64 at all!");
  assert_does_not_open (&pair, "");
  assert_does_not_open (&pair, NULL);
  key_pair_clear (&pair);
}

/* A box that opens but holds no contact: refused all the same. */
static void
test_not_a_contact (void **state)
{
  static const char *const plains[] = {
    "[\"09121234567\"]", "{\"phone\":1}", "{\"phone\":\"\"}", "{}", "{\"phone\":\"0912\","
    "\"city\":\"x\"}", "not json", "{\"name\":null}",
  };
  KeyPair pair = { 0 };
  guint8 pk[crypto_box_PUBLICKEYBYTES];
  gsize pk_length = 0;
  g_autofree guint8 *decoded = NULL;

  key_pair_make (&pair);
  decoded = g_base64_decode (pair.public_key, &pk_length);
  memcpy (pk, decoded, sizeof pk);
  for (gsize i = 0; i < G_N_ELEMENTS (plains); i++)
    {
      gsize length = strlen (plains[i]);
      g_autofree guint8 *box = g_malloc (length + crypto_box_SEALBYTES);
      g_autofree char *sealed = NULL;

      assert_int_equal (crypto_box_seal (box, (const guint8 *) plains[i], length, pk), 0);
      sealed = g_base64_encode (box, length + crypto_box_SEALBYTES);
      assert_does_not_open (&pair, sealed);
    }
  key_pair_clear (&pair);
}

static void
test_bad_keys (void **state)
{
  static const char *const keys[] = { "", "short", "QUJD", "!!!!", NULL };
  KeyPair pair = { 0 };
  g_autofree char *sealed = NULL;

  key_pair_make (&pair);
  sealed = payam_seal_contact (pair.public_key, "09121234567", NULL, NULL);
  assert_non_null (sealed);
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *phone = NULL;
      g_autofree char *name = NULL;

      assert_null (payam_seal_contact (keys[i], "09121234567", NULL, &error));
      assert_true (g_error_matches (error, PAYAM_SEAL_ERROR, PAYAM_SEAL_ERROR_KEY));
      g_clear_error (&error);
      assert_false (payam_seal_open (pair.public_key, keys[i], sealed, &phone, &name, &error));
      assert_true (g_error_matches (error, PAYAM_SEAL_ERROR, PAYAM_SEAL_ERROR_KEY));
      g_clear_error (&error);
      assert_false (payam_seal_open (keys[i], pair.secret_key, sealed, &phone, &name, &error));
      assert_true (g_error_matches (error, PAYAM_SEAL_ERROR, PAYAM_SEAL_ERROR_KEY));
    }
  key_pair_clear (&pair);
}

/* ---- on the store ------------------------------------------------------------------------ */

typedef struct {
  gint64      now_ms;
  KeyPair     office;
  PayamStore *server;
  PayamStore *kiosk;
  PayamStore *desk;    /* enrolled as an office device */
} Fixture;

static GDateTime *
clock_of (gpointer data)
{
  const gint64 *ms = data;

  return g_date_time_new_from_unix_utc (*ms / 1000);
}

static PayamStore *
open_store (Fixture   *f,
            guint      prefix,
            PayamRole  role)
{
  g_autoptr(GError) error = NULL;
  PayamStore *store = payam_store_open (":memory:", &error);
  PayamEnrolment enrolment = {
    .server_url = (char *) "https://127.0.0.1:1",
    .fingerprint = (char *) "00",
    .credential = (char *) "secret",
    .role = role,
    .office_public_key = f->office.public_key,
  };

  assert_non_null (store);
  payam_store_set_now_func (store, clock_of, &f->now_ms);
  assert_true (payam_store_load_defaults (store, &error));
  assert_true (payam_store_set_device_prefix (store, prefix, &error));
  if (role != PAYAM_ROLE_OFFICE || prefix != 1)
    assert_true (payam_store_save_enrolment (store, &enrolment, prefix, &error));
  return store;
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->now_ms = T0;
  key_pair_make (&f->office);
  f->server = open_store (f, 1, PAYAM_ROLE_OFFICE);
  payam_store_set_office_key (f->server, f->office.public_key, f->office.secret_key);
  f->kiosk = open_store (f, 2, PAYAM_ROLE_KIOSK);
  f->desk = open_store (f, 3, PAYAM_ROLE_OFFICE);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  g_clear_object (&f->server);
  g_clear_object (&f->kiosk);
  g_clear_object (&f->desk);
  key_pair_clear (&f->office);
  g_free (f);
  return 0;
}

static char *
query_text (PayamStore *store,
            const char *sql,
            const char *id)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  assert_int_equal (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL), SQLITE_OK);
  if (id != NULL)
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static PayamRequest *
add (PayamStore  *store,
     const char  *phone,
     const char  *name,
     GError     **error)
{
  PayamRequestDraft draft = {
    .text = "چاله بزرگ جلوی مدرسه", .category = "asphalt", .neighbourhood = "tohid",
    .phone = phone, .name = name, .channel = PAYAM_CHANNEL_KIOSK,
  };

  return payam_store_add_request (store, &draft, error);
}

/* The whole outbox of @store, pushed as @role to the server. */
static PayamSyncPushReply *
push (Fixture    *f,
      PayamStore *store,
      PayamRole   role,
      GPtrArray  *ops)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = ops == NULL ? payam_store_sync_list_outbox (store, 0, 0, &error)
                                            : g_ptr_array_ref (ops);
  PayamSyncPushReply *reply = NULL;

  assert_non_null (outbox);
  if (!payam_store_sync_push (f->server, payam_store_get_device_id (store), role, NULL, outbox,
                              f->now_ms, &reply, &error))
    fail_msg ("push: %s", error->message);
  return reply;
}

static const PayamSyncOpResult *
result_at (PayamSyncPushReply *reply,
           guint               i)
{
  assert_true (i < reply->results->len);
  return &g_array_index (reply->results, PayamSyncOpResult, i);
}

/* A kiosk keeps no contact in clear: not in the row, the returned request, the op or the
 * audit; the op carries it sealed to the office, and a bad phone is still a clear error. */
static void
test_kiosk_seals (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) request = add (f->kiosk, "۰۹۱۲ ۱۲۳ ۴۵۶۷", "مریم احمدی", &error);
  g_autoptr(PayamRequest) read = NULL;
  g_autoptr(PayamRequest) bare = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *name = NULL;
  g_autofree char *row_phone = NULL;
  g_autofree char *audit = NULL;

  assert_non_null (request);
  assert_null (request->phone);
  assert_null (request->name);
  read = payam_store_get_request (f->kiosk, request->id, &error);
  assert_null (read->phone);
  assert_null (read->name);
  row_phone = query_text (f->kiosk, "SELECT coalesce (phone, name) FROM request WHERE id = ?1",
                          request->id);
  assert_null (row_phone);
  sealed = query_text (f->kiosk, "SELECT contact_sealed FROM request WHERE id = ?1",
                       request->id);
  assert_non_null (sealed);

  ops = payam_store_sync_list_outbox (f->kiosk, 0, 0, &error);
  assert_int_equal (ops->len, 1);
  value = json_from_string (((PayamOp *) ops->pdata[0])->value, &error);
  assert_non_null (value);
  assert_false (json_object_has_member (json_node_get_object (value), "phone"));
  assert_false (json_object_has_member (json_node_get_object (value), "name"));
  assert_string_equal (json_object_get_string_member (json_node_get_object (value),
                                                      "contact_sealed"), sealed);
  assert_null (strstr (((PayamOp *) ops->pdata[0])->value, "1234567"));
  audit = query_text (f->kiosk, "SELECT group_concat (coalesce (detail, ''), ' ') FROM audit",
                      NULL);
  assert_true (audit == NULL || strstr (audit, "1234567") == NULL);

  /* Only the office key opens it: the normalised phone and the name. */
  assert_true (payam_seal_open (f->office.public_key, f->office.secret_key, sealed, &phone,
                                &name, &error));
  assert_string_equal (phone, "09121234567");
  assert_string_equal (name, "مریم احمدی");

  /* No contact, nothing sealed; a bad phone is refused before anything is sealed. */
  bare = add (f->kiosk, NULL, NULL, &error);
  assert_non_null (bare);
  g_free (sealed);
  sealed = query_text (f->kiosk, "SELECT contact_sealed FROM request WHERE id = ?1", bare->id);
  assert_null (sealed);
  assert_null (add (f->kiosk, "12", "مریم", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  assert_true (g_str_has_prefix (error->message, "Phone number: "));
  g_clear_error (&error);

  /* Nor can a contact be put in clear on an existing request; other fields can. */
  assert_false (payam_store_sync_set_field (f->kiosk, "request", bare->id, "phone",
                                            "\"09121234567\"", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_false (payam_store_sync_set_field (f->kiosk, "request", bare->id, "name", "\"مریم\"",
                                            &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_true (payam_store_sync_set_field (f->kiosk, "request", bare->id, "street",
                                           "\"توحید\"", &error));
  g_free (row_phone);
  row_phone = query_text (f->kiosk, "SELECT count(*) FROM request WHERE phone IS NOT NULL OR "
                          "name IS NOT NULL", NULL);
  assert_string_equal (row_phone, "0");
  /* An office desk edits a contact as before. */
  {
    g_autoptr(PayamRequest) desk = add (f->desk, NULL, NULL, &error);

    assert_non_null (desk);
    assert_true (payam_store_sync_set_field (f->desk, "request", desk->id, "phone",
                                             "\"09121234567\"", &error));
  }
}

/* An office desk (and a store never enrolled) keeps the contact in clear, as before. */
static void
test_others_keep_clear (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  PayamStore *stores[] = { f->desk, f->server };

  for (gsize i = 0; i < G_N_ELEMENTS (stores); i++)
    {
      g_autoptr(PayamRequest) request = add (stores[i], "09121234567", "مریم", &error);
      g_autofree char *sealed = NULL;
      g_autoptr(GPtrArray) ops = payam_store_sync_list_outbox (stores[i], 0, 0, &error);

      assert_non_null (request);
      assert_string_equal (request->phone, "09121234567");
      assert_string_equal (request->name, "مریم");
      sealed = query_text (stores[i], "SELECT contact_sealed FROM request WHERE id = ?1",
                           request->id);
      assert_null (sealed);
      assert_non_null (strstr (((PayamOp *) ops->pdata[ops->len - 1])->value,
                               "\"phone\":\"09121234567\""));
    }
}

/* The server opens the sealed contact: its row and its log (what office desks pull) hold
 * phone and name in clear; acknowledging the push purges the kiosk's sealed copy. */
/* How many ops of @page are of @entity. */
static guint
count_entity (GPtrArray  *page,
              const char *entity)
{
  guint n = 0;

  for (guint i = 0; i < page->len; i++)
    n += g_strcmp0 (((PayamOp *) page->pdata[i])->entity, entity) == 0;
  return n;
}

static void
test_server_opens_and_kiosk_purges (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamRequest) first = add (f->kiosk, "09121234567", "مریم", &error);
  g_autoptr(PayamRequest) second = add (f->kiosk, "09351112233", NULL, &error);
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autoptr(PayamRequest) on_server = NULL;
  g_autoptr(GPtrArray) first_only = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                     payam_op_free);
  g_autoptr(GPtrArray) outbox = payam_store_sync_list_outbox (f->kiosk, 0, 0, &error);
  g_autofree char *logged = NULL;
  g_autofree char *left = NULL;
  gint64 next = 0;
  gboolean more = FALSE;
  g_autoptr(GPtrArray) desk_page = NULL;
  g_autoptr(GPtrArray) kiosk_page = NULL;

  g_ptr_array_add (first_only, payam_op_copy (outbox->pdata[0]));
  reply = push (f, f->kiosk, PAYAM_ROLE_KIOSK, first_only);
  assert_int_equal (result_at (reply, 0)->result, PAYAM_SYNC_RESULT_APPLIED);
  on_server = payam_store_get_request (f->server, first->id, &error);
  assert_non_null (on_server);
  assert_string_equal (on_server->phone, "09121234567");
  assert_string_equal (on_server->name, "مریم");
  logged = query_text (f->server, "SELECT value FROM sync_log WHERE row_id = ?1", first->id);
  assert_non_null (strstr (logged, "\"phone\":\"09121234567\""));
  assert_null (strstr (logged, "contact_sealed"));

  /* The ack of the first op purges the first request only. */
  assert_true (payam_store_sync_ack (f->kiosk, reply->acked_through, reply->results, reply->server_hlc, &error));
  left = query_text (f->kiosk, "SELECT group_concat (id) FROM request "
                     "WHERE contact_sealed IS NOT NULL", NULL);
  assert_string_equal (left, second->id);
  g_clear_pointer (&reply, payam_sync_push_reply_free);
  reply = push (f, f->kiosk, PAYAM_ROLE_KIOSK, NULL);
  assert_int_equal (result_at (reply, 0)->result, PAYAM_SYNC_RESULT_APPLIED);
  assert_true (payam_store_sync_ack (f->kiosk, reply->acked_through, reply->results, reply->server_hlc, &error));
  g_free (left);
  left = query_text (f->kiosk, "SELECT count(*) FROM request WHERE contact_sealed IS NOT NULL "
                     "OR phone IS NOT NULL OR name IS NOT NULL", NULL);
  assert_string_equal (left, "0");

  /* An office desk pulls the contact in clear; the kiosk pulls nothing personal. */
  desk_page = payam_store_sync_pull (f->server, PAYAM_ROLE_OFFICE, NULL, 0, 100, &next, &more,
                                     &error);
  /* The two requests, and the server's 'registered' notice for each phone. */
  assert_int_equal (count_entity (desk_page, "request"), 2);
  assert_int_equal (count_entity (desk_page, "notice"), 2);
  assert_true (payam_store_sync_apply_page (f->desk, desk_page, next, 0, &error));
  g_clear_pointer (&on_server, payam_request_free);
  on_server = payam_store_get_request (f->desk, second->id, &error);
  assert_string_equal (on_server->phone, "09351112233");
  assert_null (on_server->name);
  kiosk_page = payam_store_sync_pull (f->server, PAYAM_ROLE_KIOSK, NULL, 0, 100, &next, &more,
                                      &error);
  assert_int_equal (kiosk_page->len, 2);
  for (guint i = 0; i < kiosk_page->len; i++)
    {
      const char *value = ((PayamOp *) kiosk_page->pdata[i])->value;

      assert_null (strstr (value, "0912"));
      assert_null (strstr (value, "0935"));
      assert_null (strstr (value, "مریم"));
      assert_null (strstr (value, "contact"));
    }
}

/* @op's value with member @name set to the JSON @json (NULL: removed). */
static void
rewrite_member (PayamOp    *op,
                const char *name,
                const char *json)
{
  g_autoptr(JsonNode) root = json_from_string (op->value, NULL);
  JsonObject *object = json_node_get_object (root);

  if (json == NULL)
    json_object_remove_member (object, name);
  else
    json_object_set_member (object, name, json_from_string (json, NULL));
  g_free (op->value);
  op->value = json_to_string (root, FALSE);
}

/* Each bad contact rejects its own op with its reason; the rest of the batch goes on. */
static void
test_server_refuses (void **state)
{
  Fixture *f = *state;
  KeyPair stranger = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *foreign = NULL;
  g_autofree char *bad_phone = NULL;
  g_autofree char *long_name = NULL;
  g_autofree char *foreign_json = NULL;
  g_autofree char *bad_phone_json = NULL;
  g_autofree char *long_name_json = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(PayamSyncPushReply) reply = NULL;
  g_autofree char *count = NULL;
  GString *name = g_string_new (NULL);
  struct {
    gboolean    drop_sealed;  /* remove contact_sealed */
    const char *member;       /* then set this member … */
    const char *json;         /* … to this JSON */
    const char *reason;       /* NULL: applied */
  } cases[] = {
    { TRUE, "phone", "\"09121234567\"", "contact-not-sealed" },
    { TRUE, "name", "\"مریم\"", "contact-not-sealed" },
    { TRUE, NULL, NULL, NULL },                              /* no contact at all */
    { FALSE, "contact_sealed", "\"AAAA\"", "contact-unreadable" },
    { FALSE, "contact_sealed", NULL, "contact-unreadable" },  /* sealed to another key */
    { FALSE, "phone", "\"09121234567\"", "invalid-value" },  /* sealed and plain */
    { FALSE, "contact_sealed", "42", "invalid-value" },
    { FALSE, "contact_sealed", NULL, "invalid-value" },       /* a bad phone inside */
    { FALSE, "contact_sealed", NULL, "invalid-value" },       /* a name too long */
    { FALSE, NULL, NULL, NULL },                              /* as the kiosk sealed it */
  };

  key_pair_make (&stranger);
  foreign = payam_seal_contact (stranger.public_key, "09121234567", NULL, &error);
  bad_phone = payam_seal_contact (f->office.public_key, "12345", NULL, &error);
  for (int i = 0; i < 101; i++)
    g_string_append (name, "م");
  long_name = payam_seal_contact (f->office.public_key, NULL, name->str, &error);
  g_string_free (name, TRUE);
  foreign_json = g_strdup_printf ("\"%s\"", foreign);
  bad_phone_json = g_strdup_printf ("\"%s\"", bad_phone);
  long_name_json = g_strdup_printf ("\"%s\"", long_name);
  cases[4].json = foreign_json;
  cases[7].json = bad_phone_json;
  cases[8].json = long_name_json;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PayamRequest) r = add (f->kiosk, "09121234567", "مریم", &error);

      assert_non_null (r);
    }
  ops = payam_store_sync_list_outbox (f->kiosk, 0, 0, &error);
  assert_int_equal (ops->len, G_N_ELEMENTS (cases));
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PayamOp *op = ops->pdata[i];

      if (cases[i].drop_sealed)
        rewrite_member (op, "contact_sealed", NULL);
      if (cases[i].member != NULL)
        rewrite_member (op, cases[i].member, cases[i].json);
    }
  reply = push (f, f->kiosk, PAYAM_ROLE_KIOSK, ops);
  assert_int_equal (reply->acked_through, G_N_ELEMENTS (cases));
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const PayamSyncOpResult *r = result_at (reply, i);

      if (cases[i].reason == NULL)
        assert_int_equal (r->result, PAYAM_SYNC_RESULT_APPLIED);
      else
        {
          if (r->result != PAYAM_SYNC_RESULT_REJECTED || g_strcmp0 (r->reason, cases[i].reason))
            fail_msg ("case %zu: %s (%s), expected %s", i,
                      payam_sync_result_to_string (r->result), r->reason, cases[i].reason);
        }
    }
  /* Case 2 (no contact at all) and the untouched last one reached the request table; each
   * refused one is a conflict row for the office to see. */
  count = query_text (f->server, "SELECT count(*) FROM request", NULL);
  assert_string_equal (count, "2");
  g_free (count);
  count = query_text (f->server, "SELECT count(*) FROM conflict WHERE kind = 'rejected' AND "
                      "entity = 'request' AND field = '*'", NULL);
  assert_string_equal (count, "8");
  /* The kiosk takes the answer: pushing its own (unaltered) ops under the same seqs again
   * would be a reused seq. */
  assert_true (payam_store_sync_ack (f->kiosk, reply->acked_through, reply->results,
                                     reply->server_hlc, &error));

  /* The same contact in clear from an office desk is fine: only kiosks must seal. */
  {
    g_autoptr(PayamSyncPushReply) desk = NULL;
    g_autoptr(PayamRequest) r = add (f->desk, "09121234567", "مریم", &error);

    assert_non_null (r);
    desk = push (f, f->desk, PAYAM_ROLE_OFFICE, NULL);
    assert_int_equal (result_at (desk, 0)->result, PAYAM_SYNC_RESULT_APPLIED);
  }

  /* A server without the office key cannot open anything. */
  {
    g_autoptr(PayamRequest) r = add (f->kiosk, "09121234567", "مریم", &error);
    g_autoptr(PayamSyncPushReply) keyless = NULL;

    payam_store_set_office_key (f->server, NULL, NULL);
    keyless = push (f, f->kiosk, PAYAM_ROLE_KIOSK, NULL);
    assert_string_equal (result_at (keyless, keyless->results->len - 1)->reason,
                         "contact-unreadable");
  }
  key_pair_clear (&stranger);
}


/* ---- an Open311 filing's email (issue #15) ---------------------------------------------- */

/* An email seals and opens like a contact, and neither opens as the other. */
static void
test_email_round_trip (void **state)
{
  KeyPair pair, other;
  g_autoptr(GError) error = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *name = NULL;

  (void) state;
  key_pair_make (&pair);
  key_pair_make (&other);
  sealed = payam_seal_email (pair.public_key, "zhaleh@example.org", &error);
  assert_non_null (sealed);
  assert_null (strstr (sealed, "example"));
  email = payam_seal_open_email (pair.public_key, pair.secret_key, sealed, &error);
  assert_string_equal (email, "zhaleh@example.org");
  assert_null (payam_seal_open_email (other.public_key, other.secret_key, sealed, &error));
  assert_true (g_error_matches (error, PAYAM_SEAL_ERROR, PAYAM_SEAL_ERROR_OPEN));
  g_clear_error (&error);
  assert_false (payam_seal_open (pair.public_key, pair.secret_key, sealed, &phone, &name,
                                 &error));
  g_clear_error (&error);
  contact = payam_seal_contact (pair.public_key, "09121234567", NULL, &error);
  assert_null (payam_seal_open_email (pair.public_key, pair.secret_key, contact, &error));
  assert_true (g_error_matches (error, PAYAM_SEAL_ERROR, PAYAM_SEAL_ERROR_OPEN));
  key_pair_clear (&pair);
  key_pair_clear (&other);
}

/* The office server keeps an email sealed: not in clear in its database, opened only with
 * the office key; elsewhere and for a malformed address it is refused. */
static void
test_store_keeps_email (void **state)
{
  KeyPair pair;
  g_autoptr(GError) error = NULL;
  g_autoptr(PayamStore) store = payam_store_open (":memory:", &error);
  g_autoptr(PayamRequest) request = NULL;
  g_autofree char *email = NULL;
  PayamRequestDraft draft = { .text = "چاله", .category = "asphalt", .neighbourhood = "tohid",
                              .channel = PAYAM_CHANNEL_OPEN311 };
  const char *bad[] = { "", "no-at-sign", "@example.org", "name@", "a@b@c",
                        "name @example.org", "name@exa\tmple.org" };
  sqlite3_stmt *stmt = NULL;

  (void) state;
  assert_true (payam_store_load_defaults (store, &error));
  request = payam_store_add_request (store, &draft, &error);
  assert_non_null (request);
  /* Without the office key: refused, nothing kept. */
  assert_false (payam_store_keep_email (store, request->id, "kaveh@example.org", &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
  g_clear_error (&error);

  key_pair_make (&pair);
  payam_store_set_office_key (store, pair.public_key, pair.secret_key);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      assert_false (payam_email_valid (bad[i]));
      assert_false (payam_store_keep_email (store, request->id, bad[i], &error));
      assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_INVALID));
      g_clear_error (&error);
    }
  assert_null (payam_store_open_email (store, request->id, &error));
  assert_true (g_error_matches (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);

  assert_true (payam_store_keep_email (store, request->id, "kaveh@example.org", &error));
  assert_int_equal (sqlite3_prepare_v2 (store->db, "SELECT count (*) FROM request_email WHERE "
                                        "sealed LIKE '%example%'", -1, &stmt, NULL), SQLITE_OK);
  assert_int_equal (sqlite3_step (stmt), SQLITE_ROW);
  assert_int_equal (sqlite3_column_int (stmt, 0), 0);
  sqlite3_finalize (stmt);
  email = payam_store_open_email (store, request->id, &error);
  assert_string_equal (email, "kaveh@example.org");
  key_pair_clear (&pair);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_wrong_key),
    cmocka_unit_test (test_truncated),
    cmocka_unit_test (test_tampered),
    cmocka_unit_test (test_not_a_contact),
    cmocka_unit_test (test_bad_keys),
    cmocka_unit_test (test_email_round_trip),
    cmocka_unit_test (test_store_keeps_email),
    cmocka_unit_test_setup_teardown (test_kiosk_seals, setup, teardown),
    cmocka_unit_test_setup_teardown (test_others_keep_clear, setup, teardown),
    cmocka_unit_test_setup_teardown (test_server_opens_and_kiosk_purges, setup, teardown),
    cmocka_unit_test_setup_teardown (test_server_refuses, setup, teardown),
  };

  return cmocka_run_group_tests_name ("seal", tests, NULL, NULL);
}
