/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The schema of the store, one migration per version (PRAGMA user_version). */
#define G_LOG_DOMAIN "payam-store"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "payam-format.h"
#include "payam-store-private.h"

/* migrations[N] turns a version N-1 database into version N, and ends by setting
 * user_version to N. Each runs in its own BEGIN IMMEDIATE transaction. Never edit a
 * released step: add a new one (and a fixture in tests/data/ for the old version).
 *
 * Times are TEXT in UTC ISO 8601 with milliseconds ("2026-11-29T10:00:00.000Z"), so they
 * sort as text. Identifiers are UUIDv7 text. JSON columns hold json-glib output. */
static const char *migrations[] = {
  [0] = NULL,

  /* Version 1: every table of DESIGN §3, the outbox of §6 and the device's meta data. */
  [1] =
  "PRAGMA application_id = 1346459969;"  /* 0x50415941, "PAYA" */

  /* Key/value facts about this device: device_id, device_prefix, hlc, next_device_seq,
   * next_tracking_seq. */
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;"

  /* Configuration documents (JSON), e.g. key 'calendar' for the work calendar. */
  "CREATE TABLE config ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;"

  "CREATE TABLE category ("
  "  code             TEXT PRIMARY KEY,"
  "  name             TEXT NOT NULL,"
  "  icon             TEXT NOT NULL,"
  "  default_priority INTEGER NOT NULL CHECK (default_priority BETWEEN 1 AND 3),"
  "  urgent_hours     INTEGER NOT NULL CHECK (urgent_hours > 0),"
  "  high_hours       INTEGER NOT NULL CHECK (high_hours > 0),"
  "  normal_hours     INTEGER NOT NULL CHECK (normal_hours > 0),"
  "  guidance         TEXT NOT NULL DEFAULT '',"
  "  examples         TEXT NOT NULL DEFAULT '[]',"
  "  related          TEXT NOT NULL DEFAULT '[]',"
  "  position         INTEGER NOT NULL DEFAULT 0"
  ");"

  /* Gazetteer: neighbourhoods, and their streets and landmarks. */
  "CREATE TABLE place ("
  "  code     TEXT PRIMARY KEY,"
  "  kind     TEXT NOT NULL CHECK (kind IN ('neighbourhood', 'street', 'landmark')),"
  "  name     TEXT NOT NULL,"
  "  parent   TEXT REFERENCES place (code),"
  "  lat      REAL,"
  "  lon      REAL,"
  "  sample   INTEGER NOT NULL DEFAULT 0,"
  "  position INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX place_by_parent ON place (kind, parent, position);"

  "CREATE TABLE crew ("
  "  id            TEXT PRIMARY KEY,"
  "  name          TEXT NOT NULL,"
  "  neighbourhood TEXT REFERENCES place (code),"
  "  active        INTEGER NOT NULL DEFAULT 1"
  ");"

  "CREATE TABLE staff ("
  "  id       TEXT PRIMARY KEY,"
  "  name     TEXT NOT NULL,"
  "  role     TEXT NOT NULL CHECK (role IN ('kiosk', 'crew', 'office')),"
  "  crew_id  TEXT REFERENCES crew (id),"
  "  pin_hash TEXT,"
  "  active   INTEGER NOT NULL DEFAULT 1"
  ");"

  "CREATE TABLE device ("
  "  id          TEXT PRIMARY KEY,"
  "  prefix      INTEGER NOT NULL UNIQUE CHECK (prefix BETWEEN 1 AND 9999),"
  "  role        TEXT NOT NULL CHECK (role IN ('kiosk', 'crew', 'office')),"
  "  name        TEXT,"
  "  enrolled_at TEXT NOT NULL,"
  "  revoked_at  TEXT"
  ");"

  /* A duplicate group; its members are the requests with this group_id. The lead is
   * checked at commit because group and lead are made together. */
  "CREATE TABLE dup_group ("
  "  id              TEXT PRIMARY KEY,"
  "  lead_request_id TEXT REFERENCES request (id) DEFERRABLE INITIALLY DEFERRED,"
  "  state           TEXT NOT NULL DEFAULT 'proposed'"
  "                  CHECK (state IN ('proposed', 'confirmed', 'split')),"
  "  created_at      TEXT NOT NULL"
  ");"

  "CREATE TABLE request ("
  "  id               TEXT PRIMARY KEY,"
  "  tracking_code    TEXT NOT NULL UNIQUE,"
  "  channel          TEXT NOT NULL CHECK (channel IN ('kiosk', 'crew', 'office', 'phone')),"
  "  category_id      TEXT NOT NULL REFERENCES category (code),"
  "  text             TEXT NOT NULL,"
  "  text_norm        TEXT NOT NULL,"
  "  neighbourhood    TEXT NOT NULL REFERENCES place (code),"
  "  street           TEXT,"
  "  landmark         TEXT,"
  "  lat              REAL,"
  "  lon              REAL,"
  "  hazard           INTEGER NOT NULL DEFAULT 0,"
  "  danger_to_people INTEGER NOT NULL DEFAULT 0,"
  "  blocks_road      INTEGER NOT NULL DEFAULT 0,"
  "  utilities        INTEGER NOT NULL DEFAULT 0,"
  "  priority         INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),"
  "  status           TEXT NOT NULL DEFAULT 'registered',"
  "  status_reason    TEXT,"
  "  group_id         TEXT REFERENCES dup_group (id),"
  "  created_at       TEXT NOT NULL,"
  "  due_at           TEXT NOT NULL,"
  "  updated_at       TEXT NOT NULL,"
  "  phone            TEXT,"
  "  name             TEXT"
  ");"

  "CREATE TABLE worksheet ("
  "  id         TEXT PRIMARY KEY,"
  "  group_id   TEXT NOT NULL UNIQUE REFERENCES dup_group (id),"
  "  crew_id    TEXT REFERENCES crew (id),"
  "  status     TEXT NOT NULL DEFAULT 'open',"
  "  due_at     TEXT,"
  "  created_at TEXT NOT NULL"
  ");"

  /* Append-only log of what a crew did. */
  "CREATE TABLE worksheet_action ("
  "  id           TEXT PRIMARY KEY,"
  "  worksheet_id TEXT NOT NULL REFERENCES worksheet (id),"
  "  kind         TEXT NOT NULL,"
  "  note         TEXT,"
  "  actor        TEXT,"
  "  at           TEXT NOT NULL"
  ");"
  "CREATE INDEX worksheet_action_by_worksheet ON worksheet_action (worksheet_id, at);"

  /* Photos stored once by content address. */
  "CREATE TABLE photo ("
  "  sha256     TEXT PRIMARY KEY CHECK (length (sha256) = 64),"
  "  mime       TEXT NOT NULL,"
  "  width      INTEGER NOT NULL,"
  "  height     INTEGER NOT NULL,"
  "  bytes      BLOB,"
  "  thumbnail  BLOB,"
  "  created_at TEXT NOT NULL"
  ");"

  "CREATE TABLE request_photo ("
  "  request_id  TEXT NOT NULL REFERENCES request (id),"
  "  sha256      TEXT NOT NULL REFERENCES photo (sha256),"
  "  attached_at TEXT NOT NULL,"
  "  PRIMARY KEY (request_id, sha256)"
  ") WITHOUT ROWID;"

  "CREATE TABLE worksheet_action_photo ("
  "  action_id TEXT NOT NULL REFERENCES worksheet_action (id),"
  "  sha256    TEXT NOT NULL REFERENCES photo (sha256),"
  "  PRIMARY KEY (action_id, sha256)"
  ") WITHOUT ROWID;"

  /* The feedback outbox: one row per citizen per outcome. */
  "CREATE TABLE notice ("
  "  id         TEXT PRIMARY KEY,"
  "  request_id TEXT NOT NULL REFERENCES request (id),"
  "  kind       TEXT NOT NULL,"
  "  text       TEXT NOT NULL,"
  "  channel    TEXT NOT NULL CHECK (channel IN ('sms', 'tracking-code')),"
  "  state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),"
  "  attempts   INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL,"
  "  sent_at    TEXT"
  ");"

  "CREATE TABLE rating ("
  "  id         TEXT PRIMARY KEY,"
  "  request_id TEXT NOT NULL REFERENCES request (id),"
  "  score      INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),"
  "  comment    TEXT,"
  "  created_at TEXT NOT NULL"
  ");"

  "CREATE TABLE audit ("
  "  id      INTEGER PRIMARY KEY,"
  "  at      TEXT NOT NULL,"
  "  actor   TEXT NOT NULL,"
  "  action  TEXT NOT NULL,"
  "  entity  TEXT NOT NULL,"
  "  row_id  TEXT,"
  "  detail  TEXT"
  ");"

  /* Local changes waiting to sync (DESIGN §6); device_seq is contiguous per device. */
  "CREATE TABLE outbox ("
  "  device_seq INTEGER PRIMARY KEY,"
  "  op_id      TEXT NOT NULL UNIQUE,"
  "  entity     TEXT NOT NULL,"
  "  row_id     TEXT NOT NULL,"
  "  field      TEXT,"
  "  value      TEXT,"
  "  hlc        TEXT NOT NULL,"
  "  device_id  TEXT NOT NULL,"
  "  base_hlc   TEXT"
  ");"

  /* The version (HLC, device) of each field of each row: the base of the next edit. Field
   * '*' is the version of the whole row as created. */
  "CREATE TABLE field_version ("
  "  entity TEXT NOT NULL,"
  "  row_id TEXT NOT NULL,"
  "  field  TEXT NOT NULL,"
  "  hlc    TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  PRIMARY KEY (entity, row_id, field)"
  ") WITHOUT ROWID;"

  "PRAGMA user_version = 1;",

  /* Version 2: the status lattice (epoch), the conflict table of DESIGN §6 and the indexes
   * the office views and the feedback rule need. */
  [2] =
  "ALTER TABLE request ADD COLUMN status_epoch INTEGER NOT NULL DEFAULT 0;"

  "CREATE TABLE conflict ("
  "  id            TEXT PRIMARY KEY,"
  "  kind          TEXT NOT NULL CHECK (kind IN ('concurrent-edit', 'stale-status',"
  "                                             'edit-after-close', 'rejected')),"
  "  entity        TEXT NOT NULL,"
  "  row_id        TEXT NOT NULL,"
  "  field         TEXT,"
  "  kept_value    TEXT,"
  "  lost_value    TEXT,"
  "  kept_hlc      TEXT,"
  "  lost_hlc      TEXT,"
  "  lost_device   TEXT,"
  "  created_at    TEXT NOT NULL,"
  "  resolved_at   TEXT,"
  "  resolved_by   TEXT"
  ");"
  "CREATE INDEX conflict_open ON conflict (created_at) WHERE resolved_at IS NULL;"

  "CREATE INDEX request_by_created ON request (created_at);"
  "CREATE INDEX request_by_work ON request (status, priority, due_at, created_at);"
  "CREATE INDEX request_by_group ON request (group_id) WHERE group_id IS NOT NULL;"
  "CREATE INDEX notice_by_request ON notice (request_id, state);"

  "PRAGMA user_version = 2;",

  /* Version 3: a leaner intake path (bench-store, issue #2).
   * - request is rebuilt with its channel CHECK written as comparisons: SQLite evaluates
   *   "IN (list of more than two)" by building a temporary b-tree for every row inserted.
   * - request.hlc is the version (HLC, packed as an integer) of a row created by this
   *   device, with this device as its writer; such a row has no field_version '*' row,
   *   so a new request writes one row fewer. Rows created elsewhere (and every row of
   *   older versions) have hlc NULL and keep their '*' row.
   * - outbox.op_id loses its UNIQUE index: op ids are UUIDv7 made in the transaction that
   *   writes the op, nothing looks an op up by its id, and sync deduplicates by
   *   (device, device_seq), the primary key.
   * Tables are rebuilt with foreign keys off and checked before the commit
   * (_payam_store_migrate); the indexes of request are made again. */
  [3] =
  "CREATE TABLE request_v3 ("
  "  id               TEXT PRIMARY KEY,"
  "  tracking_code    TEXT NOT NULL UNIQUE,"
  "  channel          TEXT NOT NULL CHECK (channel = 'kiosk' OR channel = 'crew'"
  "                                        OR channel = 'office' OR channel = 'phone'),"
  "  category_id      TEXT NOT NULL REFERENCES category (code),"
  "  text             TEXT NOT NULL,"
  "  text_norm        TEXT NOT NULL,"
  "  neighbourhood    TEXT NOT NULL REFERENCES place (code),"
  "  street           TEXT,"
  "  landmark         TEXT,"
  "  lat              REAL,"
  "  lon              REAL,"
  "  hazard           INTEGER NOT NULL DEFAULT 0,"
  "  danger_to_people INTEGER NOT NULL DEFAULT 0,"
  "  blocks_road      INTEGER NOT NULL DEFAULT 0,"
  "  utilities        INTEGER NOT NULL DEFAULT 0,"
  "  priority         INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),"
  "  status           TEXT NOT NULL DEFAULT 'registered',"
  "  status_reason    TEXT,"
  "  group_id         TEXT REFERENCES dup_group (id),"
  "  created_at       TEXT NOT NULL,"
  "  due_at           TEXT NOT NULL,"
  "  updated_at       TEXT NOT NULL,"
  "  phone            TEXT,"
  "  name             TEXT,"
  "  status_epoch     INTEGER NOT NULL DEFAULT 0,"
  "  hlc              INTEGER"
  ");"
  "INSERT INTO request_v3 (id, tracking_code, channel, category_id, text, text_norm,"
  "  neighbourhood, street, landmark, lat, lon, hazard, danger_to_people, blocks_road,"
  "  utilities, priority, status, status_reason, group_id, created_at, due_at, updated_at,"
  "  phone, name, status_epoch) "
  "SELECT id, tracking_code, channel, category_id, text, text_norm, neighbourhood, street,"
  "  landmark, lat, lon, hazard, danger_to_people, blocks_road, utilities, priority, status,"
  "  status_reason, group_id, created_at, due_at, updated_at, phone, name, status_epoch "
  "FROM request ORDER BY rowid;"
  "DROP TABLE request;"
  "ALTER TABLE request_v3 RENAME TO request;"
  "CREATE INDEX request_by_created ON request (created_at);"
  "CREATE INDEX request_by_work ON request (status, priority, due_at, created_at);"
  "CREATE INDEX request_by_group ON request (group_id) WHERE group_id IS NOT NULL;"

  "CREATE TABLE outbox_v3 ("
  "  device_seq INTEGER PRIMARY KEY,"
  "  op_id      TEXT NOT NULL,"
  "  entity     TEXT NOT NULL,"
  "  row_id     TEXT NOT NULL,"
  "  field      TEXT,"
  "  value      TEXT,"
  "  hlc        TEXT NOT NULL,"
  "  device_id  TEXT NOT NULL,"
  "  base_hlc   TEXT"
  ");"
  "INSERT INTO outbox_v3 SELECT device_seq, op_id, entity, row_id, field, value, hlc,"
  "  device_id, base_hlc FROM outbox;"
  "DROP TABLE outbox;"
  "ALTER TABLE outbox_v3 RENAME TO outbox;"

  "PRAGMA user_version = 3;",

  /* Version 4: duplicate groups and their worksheets (issue #4, payam-store-groups.c and
   * payam-store-worksheets.c).
   * - A request's timeline reads the audit rows of that request (status moves, joining
   *   and leaving a group): indexed by row for requests only.
   * - The photos of a worksheet action are looked up by photo too (evidence pending).
   * - dup_group.state 'split' now means dissolved: no members are left (all split off,
   *   or merged into another group); worksheet.status gains 'merged' for the worksheet of
   *   such a group whose actions moved to the surviving group's worksheet. */
  [4] =
  "CREATE INDEX audit_by_request ON audit (row_id, id) WHERE entity = 'request';"
  "CREATE INDEX worksheet_action_photo_by_photo ON worksheet_action_photo (sha256);"
  "PRAGMA user_version = 4;",

  /* Version 5: sync (issue #3, payam-store-sync*.c).
   * - sync_log: the office server's log of every op pushed to it, in the order it was
   *   accepted (server_seq, the pull cursor), with what became of it; (device, seq) and
   *   the op id each appear once. Rejected ops are logged and never sent on.
   * - sync_device: the last seq logged for each device (kept when the log is trimmed) and
   *   when its clock was found far ahead.
   * - tombstone: deleted rows (deletion is a state, rows stay). */
  [5] =
  "CREATE TABLE sync_log ("
  "  server_seq  INTEGER PRIMARY KEY,"
  "  device_id   TEXT NOT NULL,"
  "  device_seq  INTEGER NOT NULL,"
  "  op_id       TEXT NOT NULL UNIQUE,"
  "  entity      TEXT NOT NULL,"
  "  row_id      TEXT NOT NULL,"
  "  field       TEXT NOT NULL,"
  "  value       TEXT NOT NULL,"
  "  hlc         TEXT NOT NULL,"
  "  base_hlc    TEXT,"
  "  result      TEXT NOT NULL CHECK (result = 'applied' OR result = 'superseded'"
  "                                   OR result = 'conflict' OR result = 'rejected'),"
  "  reason      TEXT,"
  "  received_at TEXT NOT NULL,"
  "  UNIQUE (device_id, device_seq)"
  ");"
  "CREATE TABLE sync_device ("
  "  device_id        TEXT PRIMARY KEY,"
  "  last_seq         INTEGER NOT NULL,"
  "  clock_flagged_at TEXT"
  ") WITHOUT ROWID;"
  "CREATE TABLE tombstone ("
  "  entity TEXT NOT NULL,"
  "  row_id TEXT NOT NULL,"
  "  hlc    TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  PRIMARY KEY (entity, row_id)"
  ") WITHOUT ROWID;"
  "PRAGMA user_version = 5;",

  /* Version 6: enrolled devices (sync, issue #3, payam-store-devices.c).
   * - device gains its crew, the SHA-256 of its credential (a random 256-bit token, so a
   *   fast hash suffices), when it was last seen and flags (e.g. a clock found far ahead).
   * - enrol_code: one-time enrolment codes by the SHA-256 of their secret; used once,
   *   short-lived, bound to a role (and a crew for crew devices). */
  [6] =
  "ALTER TABLE device ADD COLUMN crew_id TEXT REFERENCES crew (id);"
  "ALTER TABLE device ADD COLUMN credential_hash TEXT;"
  "ALTER TABLE device ADD COLUMN last_seen TEXT;"
  "ALTER TABLE device ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;"
  "CREATE UNIQUE INDEX device_by_credential ON device (credential_hash)"
  "  WHERE credential_hash IS NOT NULL;"
  "CREATE TABLE enrol_code ("
  "  code_hash  TEXT PRIMARY KEY,"
  "  role       TEXT NOT NULL CHECK (role IN ('kiosk', 'crew', 'office')),"
  "  crew_id    TEXT REFERENCES crew (id),"
  "  created_at TEXT NOT NULL,"
  "  expires_at TEXT NOT NULL,"
  "  used_at    TEXT,"
  "  device_id  TEXT REFERENCES device (id)"
  ") WITHOUT ROWID;"
  "PRAGMA user_version = 6;",

  /* Version 7 (helper blobs): photo bytes travel apart from their ops (DESIGN §6).
   * - blob_chunk: the server's partial uploads, one row per received chunk at its offset,
   *   with the whole length announced by the first; a chunk is written in the same
   *   transaction as the offset it moves, so a cut never leaves a half-written chunk, and
   *   the finished blob moves into photo.bytes with its chunks deleted in one transaction.
   * - blob_sent: on a device, the photos whose bytes the server has confirmed holding. */
  [7] =
  "CREATE TABLE blob_chunk ("
  "  sha256 TEXT NOT NULL CHECK (length (sha256) = 64),"
  "  at     INTEGER NOT NULL CHECK (at >= 0),"
  "  total  INTEGER NOT NULL CHECK (total > 0),"
  "  bytes  BLOB NOT NULL,"
  "  UNIQUE (sha256, at)"
  ");"
  "CREATE TABLE blob_sent ("
  "  sha256 TEXT PRIMARY KEY REFERENCES photo (sha256)"
  ") WITHOUT ROWID;"
  "PRAGMA user_version = 7;",

  /* Version 8 (helper seal): on a kiosk a citizen's phone and name are never stored in
   * clear; request.contact_sealed holds them sealed to the office's public key until the
   * server has acknowledged the request (payam-store-contact.c). NULL everywhere else. */
  [8] =
  "ALTER TABLE request ADD COLUMN contact_sealed TEXT;"
  "PRAGMA user_version = 8;",

  /* Version 9 (helper wire): a pull sends only the logged ops that still count
   * (payam-store-sync-server.c). sync_log.live is 0 for an op that can change nothing on a
   * device that pulls it: a rejected op, or a last-writer-wins field op that is not, or no
   * longer, the version the server holds for its field (the op that is sits in the log too,
   * before or after it). Rows logged before this step stay live. The partial indexes let a
   * pull walk the live ops alone and let a new winner find the op it replaces. */
  [9] =
  "ALTER TABLE sync_log ADD COLUMN live INTEGER NOT NULL DEFAULT 1;"
  "CREATE INDEX sync_log_live ON sync_log (server_seq) WHERE live = 1;"
  "CREATE INDEX sync_log_live_cell ON sync_log (entity, row_id, field) WHERE live = 1;"
  "PRAGMA user_version = 9;",

  /* Version 10 (helper sync-core): no op is lost in silence (README, "Sync protocol").
   * - conflict.reason: why the server refused an op (a rejected conflict row keeps the
   *   op's value as lost_value and the value the server holds as kept_value).
   * - sync_refused: on a device, the ops the server refused and kept, with its reason,
   *   moved there from the outbox when the server's reply acknowledges them. */
  [10] =
  "ALTER TABLE conflict ADD COLUMN reason TEXT;"
  "CREATE TABLE sync_refused ("
  "  device_seq INTEGER PRIMARY KEY,"
  "  op_id      TEXT NOT NULL,"
  "  entity     TEXT NOT NULL,"
  "  row_id     TEXT NOT NULL,"
  "  field      TEXT,"
  "  value      TEXT,"
  "  hlc        TEXT NOT NULL,"
  "  reason     TEXT NOT NULL,"
  "  refused_at TEXT NOT NULL"
  ");"
  "PRAGMA user_version = 10;",

  /* Version 11 (helper sync-core): the server's log never hands out a server_seq twice,
   * even after a trim that emptied it (a device whose cursor is past reused numbers would
   * never see the ops that got them). sync_log is rebuilt with AUTOINCREMENT; its sequence
   * starts at the highest seq it ever held: the largest logged, or the last one trimmed. */
  [11] =
  "CREATE TABLE sync_log_v11 ("
  "  server_seq  INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  device_id   TEXT NOT NULL,"
  "  device_seq  INTEGER NOT NULL,"
  "  op_id       TEXT NOT NULL UNIQUE,"
  "  entity      TEXT NOT NULL,"
  "  row_id      TEXT NOT NULL,"
  "  field       TEXT NOT NULL,"
  "  value       TEXT NOT NULL,"
  "  hlc         TEXT NOT NULL,"
  "  base_hlc    TEXT,"
  "  result      TEXT NOT NULL CHECK (result = 'applied' OR result = 'superseded'"
  "                                   OR result = 'conflict' OR result = 'rejected'),"
  "  reason      TEXT,"
  "  received_at TEXT NOT NULL,"
  "  live        INTEGER NOT NULL DEFAULT 1,"
  "  UNIQUE (device_id, device_seq)"
  ");"
  "INSERT INTO sync_log_v11 (server_seq, device_id, device_seq, op_id, entity, row_id, field,"
  "  value, hlc, base_hlc, result, reason, received_at, live) "
  "SELECT server_seq, device_id, device_seq, op_id, entity, row_id, field, value, hlc,"
  "  base_hlc, result, reason, received_at, live FROM sync_log;"
  "DROP TABLE sync_log;"
  "ALTER TABLE sync_log_v11 RENAME TO sync_log;"
  "CREATE INDEX sync_log_live ON sync_log (server_seq) WHERE live = 1;"
  "CREATE INDEX sync_log_live_cell ON sync_log (entity, row_id, field) WHERE live = 1;"
  "DELETE FROM sqlite_sequence WHERE name = 'sync_log';"
  "INSERT INTO sqlite_sequence (name, seq) SELECT 'sync_log', max ("
  "  coalesce ((SELECT max (server_seq) FROM sync_log), 0),"
  "  coalesce ((SELECT CAST (value AS INTEGER) - 1 FROM meta WHERE key = 'sync_min_seq'), 0));"
  "PRAGMA user_version = 11;",

  /* Version 12 (helper sync-core): sync_log.op_hash, the SHA-256 of each pushed op as its
   * device sent it: a push that reuses a logged seq for other content (a device that lost
   * commits or was restored from a backup) is refused, not taken for a duplicate. Ops
   * logged before have none and count as duplicates as before. */
  [12] =
  "ALTER TABLE sync_log ADD COLUMN op_hash TEXT;"
  "PRAGMA user_version = 12;",

  /* Version 13 (helper sync-roles):
   * - request.public_text: the words the office writes for the public when it wants to
   *   (issue #10), the only free text /v1/track and kiosks ever show. Office only.
   * - an index of the server's log by row: whether a crew was once given a row that has
   *   left its view (payam-store-sync-roles.c) is read from the row's history. */
  [13] =
  "ALTER TABLE request ADD COLUMN public_text TEXT;"
  "CREATE INDEX sync_log_row ON sync_log (entity, row_id);"
  "PRAGMA user_version = 13;",

  /* Version 14 (helper server-hard): a photo upload belongs to the device that sent its
   * first chunk; another device may neither add to it nor learn of it (HTTP 403). The row
   * stays once the photo is complete, so its uploader may still ask how it went. */
  [14] =
  "CREATE TABLE blob_owner ("
  "  sha256    TEXT PRIMARY KEY CHECK (length (sha256) = 64),"
  "  device_id TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "PRAGMA user_version = 14;",

  /* Version 15 (helper dups, issue #11): the perceptual hash (dHash, 64 bits stored as a
   * signed integer) of each photo imported on this device, which the duplicate pair model
   * compares; NULL for photos imported before and for photos that arrived by sync. */
  [15] =
  "ALTER TABLE photo ADD COLUMN dhash INTEGER;"
  "PRAGMA user_version = 15;",

  /* Version 16 (helper crew, issue #12, payam-store-crews.c):
   * - crew_member: the people of a crew, each with a crypto_pwhash of the PIN that signs
   *   them in offline; synced to their own crew's devices only.
   * - crew_signin and route_order stay on the device and never sync: wrong PIN tries and
   *   the lock they earn, and the order the crew put the day's worksheets in. */
  [16] =
  "CREATE TABLE crew_member ("
  "  id         TEXT PRIMARY KEY,"
  "  crew_id    TEXT NOT NULL REFERENCES crew (id),"
  "  name       TEXT NOT NULL,"
  "  pin_hash   TEXT NOT NULL,"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE INDEX crew_member_by_crew ON crew_member (crew_id, name);"
  "CREATE TABLE crew_signin ("
  "  member_id    TEXT PRIMARY KEY,"
  "  failures     INTEGER NOT NULL DEFAULT 0,"
  "  locked_until TEXT"
  ") WITHOUT ROWID;"
  "CREATE TABLE route_order ("
  "  worksheet_id TEXT PRIMARY KEY,"
  "  position     INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "PRAGMA user_version = 16;",

  /* Version 17 (helper office, issue #13): the office's work.
   * - request_fts: a contentless FTS5 index of each request's normalised words and of its
   *   codes (the tracking code's digits, the phone's digits with and without the leading
   *   0), kept by triggers; its rowid is the request's. A contentless table deletes with
   *   the old values, which the triggers have. detail=column: the search never asks for
   *   phrases or nearness, so positions are not kept.
   * - indexes for the queues: new and to-assign by status and age, overdue by deadline
   *   among open work, proposed groups by age.
   * - request_tally: how many requests there are, kept by triggers, so the office's All
   *   queue opens without counting a million rows.
   * - staff.password_hash (crypto_pwhash string) and staff.supervisor for office staff;
   *   an office name is unique among office staff. */
  [17] =
  "CREATE VIRTUAL TABLE request_fts USING fts5 (words, codes, content = '', detail = column);"
  "CREATE TRIGGER request_fts_insert AFTER INSERT ON request BEGIN"
  "  INSERT INTO request_fts (rowid, words, codes) VALUES (new.rowid, new.text_norm,"
  "    replace (new.tracking_code, '-', '') || CASE WHEN new.phone GLOB '0[0-9]*'"
  "      AND NOT new.phone GLOB '*[^0-9]*' THEN ' ' || new.phone || ' ' || substr (new.phone, 2)"
  "      ELSE '' END);"
  "END;"
  "CREATE TRIGGER request_fts_delete AFTER DELETE ON request BEGIN"
  "  INSERT INTO request_fts (request_fts, rowid, words, codes) VALUES ('delete', old.rowid,"
  "    old.text_norm, replace (old.tracking_code, '-', '') || CASE WHEN old.phone GLOB '0[0-9]*'"
  "      AND NOT old.phone GLOB '*[^0-9]*' THEN ' ' || old.phone || ' ' || substr (old.phone, 2)"
  "      ELSE '' END);"
  "END;"
  "CREATE TRIGGER request_fts_update AFTER UPDATE OF text_norm, tracking_code, phone ON request "
  "BEGIN"
  "  INSERT INTO request_fts (request_fts, rowid, words, codes) VALUES ('delete', old.rowid,"
  "    old.text_norm, replace (old.tracking_code, '-', '') || CASE WHEN old.phone GLOB '0[0-9]*'"
  "      AND NOT old.phone GLOB '*[^0-9]*' THEN ' ' || old.phone || ' ' || substr (old.phone, 2)"
  "      ELSE '' END);"
  "  INSERT INTO request_fts (rowid, words, codes) VALUES (new.rowid, new.text_norm,"
  "    replace (new.tracking_code, '-', '') || CASE WHEN new.phone GLOB '0[0-9]*'"
  "      AND NOT new.phone GLOB '*[^0-9]*' THEN ' ' || new.phone || ' ' || substr (new.phone, 2)"
  "      ELSE '' END);"
  "END;"
  "INSERT INTO request_fts (rowid, words, codes) SELECT rowid, text_norm,"
  "  replace (tracking_code, '-', '') || CASE WHEN phone GLOB '0[0-9]*'"
  "    AND NOT phone GLOB '*[^0-9]*' THEN ' ' || phone || ' ' || substr (phone, 2)"
  "    ELSE '' END FROM request;"
  "CREATE TABLE request_tally ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  n  INTEGER NOT NULL"
  ");"
  "INSERT INTO request_tally (id, n) SELECT 1, count(*) FROM request;"
  "CREATE TRIGGER request_tally_insert AFTER INSERT ON request BEGIN"
  "  UPDATE request_tally SET n = n + 1 WHERE id = 1;"
  "END;"
  "CREATE TRIGGER request_tally_delete AFTER DELETE ON request BEGIN"
  "  UPDATE request_tally SET n = n - 1 WHERE id = 1;"
  "END;"
  "CREATE INDEX request_status_age ON request (status, created_at);"
  "CREATE INDEX request_open_by_due ON request (due_at) WHERE status = 'registered'"
  "  OR status = 'triaged' OR status = 'assigned' OR status = 'in_progress';"
  "CREATE INDEX dup_group_by_state ON dup_group (state, created_at);"
  "ALTER TABLE staff ADD COLUMN password_hash TEXT;"
  "ALTER TABLE staff ADD COLUMN supervisor INTEGER NOT NULL DEFAULT 0;"
  "CREATE UNIQUE INDEX staff_office_name ON staff (name) WHERE role = 'office';"
  "PRAGMA user_version = 17;",

  /* Version 18 (helper feedback, issue #14, payam-store-feedback.c, payam-store-delivery.c):
   * - notice_template: the office's notice templates per category ('*' for every one) and
   *   outcome; notices are rendered from them where they are made.
   * - notice_delivery: the server's SMS queue, one row per notice it handled; localid is
   *   the gateway's local id, so a resend after a crash is never sent twice. Stays on the
   *   server (never synced): the notice's own state (sent = told, failed) syncs.
   * - notice_pending serves the queue, notice_by_outcome the coverage figures. */
  [18] =
  "CREATE TABLE notice_template ("
  "  category   TEXT NOT NULL,"
  "  outcome    TEXT NOT NULL,"
  "  text       TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL,"
  "  PRIMARY KEY (category, outcome)"
  ") WITHOUT ROWID;"
  "CREATE TABLE notice_delivery ("
  "  localid     INTEGER PRIMARY KEY,"
  "  notice_id   TEXT NOT NULL UNIQUE REFERENCES notice (id),"
  "  state       TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'delivered',"
  "                                             'failed', 'looked-up')),"
  "  message_id  TEXT,"
  "  reason      TEXT,"
  "  attempts    INTEGER NOT NULL DEFAULT 0,"
  "  next_try_at TEXT,"
  "  updated_at  TEXT NOT NULL"
  ");"
  "CREATE INDEX notice_delivery_by_state ON notice_delivery (state, updated_at);"
  "CREATE INDEX notice_pending ON notice (created_at) WHERE state = 'pending' AND channel = 'sms';"
  "CREATE INDEX notice_by_outcome ON notice (request_id, kind, state);"
  "PRAGMA user_version = 18;",

  /* Version 19 (helper open311, issue #15).
   * - The office server's api keys, kept as BLAKE2b hashes; a name is unique among the keys
   *   in use, a revoked key stays for the record.
   * - request takes the channel 'open311' (requests filed by outside systems): the table is
   *   rebuilt as in version 3, keeping each rowid (request_fts is keyed by it; DROP TABLE
   *   fires no trigger, and the triggers are made again after the copy), then its indexes
   *   and triggers are made again as they were. */
  [19] =
  "CREATE TABLE request_v19 ("
  "  id               TEXT PRIMARY KEY,"
  "  tracking_code    TEXT NOT NULL UNIQUE,"
  "  channel          TEXT NOT NULL CHECK (channel = 'kiosk' OR channel = 'crew'"
  "                                        OR channel = 'office' OR channel = 'phone'"
  "                                        OR channel = 'open311'),"
  "  category_id      TEXT NOT NULL REFERENCES category (code),"
  "  text             TEXT NOT NULL,"
  "  text_norm        TEXT NOT NULL,"
  "  neighbourhood    TEXT NOT NULL REFERENCES place (code),"
  "  street           TEXT,"
  "  landmark         TEXT,"
  "  lat              REAL,"
  "  lon              REAL,"
  "  hazard           INTEGER NOT NULL DEFAULT 0,"
  "  danger_to_people INTEGER NOT NULL DEFAULT 0,"
  "  blocks_road      INTEGER NOT NULL DEFAULT 0,"
  "  utilities        INTEGER NOT NULL DEFAULT 0,"
  "  priority         INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),"
  "  status           TEXT NOT NULL DEFAULT 'registered',"
  "  status_reason    TEXT,"
  "  group_id         TEXT REFERENCES dup_group (id),"
  "  created_at       TEXT NOT NULL,"
  "  due_at           TEXT NOT NULL,"
  "  updated_at       TEXT NOT NULL,"
  "  phone            TEXT,"
  "  name             TEXT,"
  "  status_epoch     INTEGER NOT NULL DEFAULT 0,"
  "  hlc              INTEGER,"
  "  contact_sealed   TEXT,"
  "  public_text      TEXT"
  ");"
  "INSERT INTO request_v19 (rowid, id, tracking_code, channel, category_id, text, text_norm,"
  "  neighbourhood, street, landmark, lat, lon, hazard, danger_to_people, blocks_road,"
  "  utilities, priority, status, status_reason, group_id, created_at, due_at, updated_at,"
  "  phone, name, status_epoch, hlc, contact_sealed, public_text)"
  "SELECT rowid, id, tracking_code, channel, category_id, text, text_norm,"
  "  neighbourhood, street, landmark, lat, lon, hazard, danger_to_people, blocks_road,"
  "  utilities, priority, status, status_reason, group_id, created_at, due_at, updated_at,"
  "  phone, name, status_epoch, hlc, contact_sealed, public_text FROM request;"
  "DROP TABLE request;"
  "ALTER TABLE request_v19 RENAME TO request;"
  "CREATE INDEX request_by_created ON request (created_at);"
  "CREATE INDEX request_by_work ON request (status, priority, due_at, created_at);"
  "CREATE INDEX request_by_group ON request (group_id) WHERE group_id IS NOT NULL;"
  "CREATE INDEX request_status_age ON request (status, created_at);"
  "CREATE INDEX request_open_by_due ON request (due_at) WHERE status = 'registered'"
  "  OR status = 'triaged' OR status = 'assigned' OR status = 'in_progress';"
  "CREATE TRIGGER request_fts_insert AFTER INSERT ON request BEGIN"
  "  INSERT INTO request_fts (rowid, words, codes) VALUES (new.rowid, new.text_norm,"
  "    replace (new.tracking_code, '-', '') || CASE WHEN new.phone GLOB '0[0-9]*'"
  "      AND NOT new.phone GLOB '*[^0-9]*' THEN ' ' || new.phone || ' ' || substr (new.phone, 2)"
  "      ELSE '' END);"
  "END;"
  "CREATE TRIGGER request_fts_delete AFTER DELETE ON request BEGIN"
  "  INSERT INTO request_fts (request_fts, rowid, words, codes) VALUES ('delete', old.rowid,"
  "    old.text_norm, replace (old.tracking_code, '-', '') || CASE WHEN old.phone GLOB '0[0-9]*'"
  "      AND NOT old.phone GLOB '*[^0-9]*' THEN ' ' || old.phone || ' ' || substr (old.phone, 2)"
  "      ELSE '' END);"
  "END;"
  "CREATE TRIGGER request_fts_update AFTER UPDATE OF text_norm, tracking_code, phone ON request"
  "  BEGIN"
  "  INSERT INTO request_fts (request_fts, rowid, words, codes) VALUES ('delete', old.rowid,"
  "    old.text_norm, replace (old.tracking_code, '-', '') || CASE WHEN old.phone GLOB '0[0-9]*'"
  "      AND NOT old.phone GLOB '*[^0-9]*' THEN ' ' || old.phone || ' ' || substr (old.phone, 2)"
  "      ELSE '' END);"
  "  INSERT INTO request_fts (rowid, words, codes) VALUES (new.rowid, new.text_norm,"
  "    replace (new.tracking_code, '-', '') || CASE WHEN new.phone GLOB '0[0-9]*'"
  "      AND NOT new.phone GLOB '*[^0-9]*' THEN ' ' || new.phone || ' ' || substr (new.phone, 2)"
  "      ELSE '' END);"
  "END;"
  "CREATE TRIGGER request_tally_insert AFTER INSERT ON request BEGIN"
  "  UPDATE request_tally SET n = n + 1 WHERE id = 1;"
  "END;"
  "CREATE TRIGGER request_tally_delete AFTER DELETE ON request BEGIN"
  "  UPDATE request_tally SET n = n - 1 WHERE id = 1;"
  "END;"
  "CREATE TABLE open311_key ("
  "  name       TEXT NOT NULL,"
  "  key_hash   TEXT NOT NULL UNIQUE,"
  "  created_at TEXT NOT NULL,"
  "  revoked_at TEXT"
  ");"
  "CREATE UNIQUE INDEX open311_key_live ON open311_key (name) WHERE revoked_at IS NULL;"
  "PRAGMA user_version = 19;",

  /* Version 20 (helper feedback2, issue #14, payam-store-dashboard.c): indexes for the
   * dashboard's figures, so none of them reads every row of a big store.
   * - worksheet_overdue: unfinished worksheets by deadline (overdue, oldest first).
   * - worksheet_action_done, worksheet_group, request_group_time: time to done in a range
   *   from three covering indexes (done actions by time, a worksheet's group, a group's
   *   members' category and filing time), not from the tables' rows.
   * - rating_by_score, rating_by_created: the distribution and the latest comments.
   * - request_intake: intake in a time range by day, category or neighbourhood from the
   *   index alone. */
  [20] =
  "CREATE INDEX worksheet_overdue ON worksheet (due_at)"
  "  WHERE status IN ('open', 'assigned', 'in_progress');"
  "CREATE INDEX worksheet_action_done ON worksheet_action (at, worksheet_id, kind)"
  "  WHERE kind = 'done';"
  "CREATE INDEX worksheet_group ON worksheet (id, group_id);"
  "CREATE INDEX request_group_time ON request (group_id, category_id, created_at)"
  "  WHERE group_id IS NOT NULL;"
  "CREATE INDEX rating_by_score ON rating (score);"
  "CREATE INDEX rating_by_created ON rating (created_at);"
  "CREATE INDEX request_intake ON request (created_at, category_id, neighbourhood);"
  "PRAGMA user_version = 20;",

  /* Version 21 (issue #14, payam-store-feedback.c): feedback coverage without reading every
   * request. The dashboard counted where each citizen stands with a look-up of their
   * notices per request: 1.4 s on a million requests.
   * - request.feedback_standing: where the citizen stands (told, failed, queued, no-phone;
   *   NULL without an outcome notice), kept by triggers on notice.
   * - feedback_tally: how many requests with an outcome there are per status, category,
   *   neighbourhood and standing, kept by triggers on request; coverage sums its few rows.
   *   Missing category or neighbourhood is '' there; counts may reach 0 and stay.
   * - request_untold: the citizens owed an answer and not told, oldest first. */
#define OWED_STATUSES "('done', 'not_possible', 'rejected', 'notified', 'closed')"
#define TALLY_KEY(row) \
  row ".status, coalesce (" row ".category_id, ''), coalesce (" row ".neighbourhood, '')," \
  " coalesce (" row ".feedback_standing, 'no-notice')"
  [21] =
  "ALTER TABLE request ADD COLUMN feedback_standing TEXT;"
  "UPDATE request SET feedback_standing ="
  "  (SELECT CASE WHEN count (*) = 0 THEN NULL"
  "    WHEN max (n.state = 'sent') = 1 THEN 'told'"
  "    WHEN max (n.state = 'failed') = 1 THEN 'failed'"
  "    WHEN max (n.channel = 'sms') = 1 THEN 'queued' ELSE 'no-phone' END"
  "   FROM notice n WHERE n.request_id = request.id AND n.kind IN ('outcome', 'rejected'))"
  " WHERE id IN (SELECT request_id FROM notice);"
  "CREATE TRIGGER notice_standing_insert AFTER INSERT ON notice"
  "  WHEN NEW.kind IN ('outcome', 'rejected') BEGIN"
  "  UPDATE request SET feedback_standing ="
  "  (SELECT CASE WHEN count (*) = 0 THEN NULL"
  "    WHEN max (n.state = 'sent') = 1 THEN 'told'"
  "    WHEN max (n.state = 'failed') = 1 THEN 'failed'"
  "    WHEN max (n.channel = 'sms') = 1 THEN 'queued' ELSE 'no-phone' END"
  "   FROM notice n WHERE n.request_id = request.id AND n.kind IN ('outcome', 'rejected'))"
  "  WHERE id = NEW.request_id;"
  "END;"
  "CREATE TRIGGER notice_standing_update AFTER UPDATE OF request_id, kind, channel, state ON notice"
  "  BEGIN"
  "  UPDATE request SET feedback_standing ="
  "  (SELECT CASE WHEN count (*) = 0 THEN NULL"
  "    WHEN max (n.state = 'sent') = 1 THEN 'told'"
  "    WHEN max (n.state = 'failed') = 1 THEN 'failed'"
  "    WHEN max (n.channel = 'sms') = 1 THEN 'queued' ELSE 'no-phone' END"
  "   FROM notice n WHERE n.request_id = request.id AND n.kind IN ('outcome', 'rejected'))"
  "  WHERE id IN (OLD.request_id, NEW.request_id);"
  "END;"
  "CREATE TRIGGER notice_standing_delete AFTER DELETE ON notice"
  "  WHEN OLD.kind IN ('outcome', 'rejected') BEGIN"
  "  UPDATE request SET feedback_standing ="
  "  (SELECT CASE WHEN count (*) = 0 THEN NULL"
  "    WHEN max (n.state = 'sent') = 1 THEN 'told'"
  "    WHEN max (n.state = 'failed') = 1 THEN 'failed'"
  "    WHEN max (n.channel = 'sms') = 1 THEN 'queued' ELSE 'no-phone' END"
  "   FROM notice n WHERE n.request_id = request.id AND n.kind IN ('outcome', 'rejected'))"
  "  WHERE id = OLD.request_id;"
  "END;"
  "CREATE TABLE feedback_tally ("
  "  status        TEXT NOT NULL,"
  "  category_id   TEXT NOT NULL,"
  "  neighbourhood TEXT NOT NULL,"
  "  standing      TEXT NOT NULL,"
  "  n             INTEGER NOT NULL,"
  "  PRIMARY KEY (status, category_id, neighbourhood, standing)"
  ") WITHOUT ROWID;"
  "INSERT INTO feedback_tally SELECT status, coalesce (category_id, ''),"
  "  coalesce (neighbourhood, ''), coalesce (feedback_standing, 'no-notice'), count (*)"
  "  FROM request WHERE status IN " OWED_STATUSES " GROUP BY 1, 2, 3, 4;"
  "CREATE TRIGGER feedback_tally_insert AFTER INSERT ON request"
  "  WHEN NEW.status IN " OWED_STATUSES " BEGIN"
  "  INSERT INTO feedback_tally VALUES (" TALLY_KEY ("NEW") ", 1)"
  "    ON CONFLICT DO UPDATE SET n = n + 1;"
  "END;"
  "CREATE TRIGGER feedback_tally_delete AFTER DELETE ON request"
  "  WHEN OLD.status IN " OWED_STATUSES " BEGIN"
  "  UPDATE feedback_tally SET n = n - 1 WHERE status = OLD.status"
  "    AND category_id = coalesce (OLD.category_id, '')"
  "    AND neighbourhood = coalesce (OLD.neighbourhood, '')"
  "    AND standing = coalesce (OLD.feedback_standing, 'no-notice');"
  "END;"
  "CREATE TRIGGER feedback_tally_update"
  "  AFTER UPDATE OF status, category_id, neighbourhood, feedback_standing ON request"
  "  WHEN OLD.status IN " OWED_STATUSES " OR NEW.status IN " OWED_STATUSES " BEGIN"
  "  UPDATE feedback_tally SET n = n - 1 WHERE OLD.status IN " OWED_STATUSES
  "    AND status = OLD.status AND category_id = coalesce (OLD.category_id, '')"
  "    AND neighbourhood = coalesce (OLD.neighbourhood, '')"
  "    AND standing = coalesce (OLD.feedback_standing, 'no-notice');"
  "  INSERT INTO feedback_tally SELECT " TALLY_KEY ("NEW") ", 1"
  "    WHERE NEW.status IN " OWED_STATUSES
  "    ON CONFLICT DO UPDATE SET n = n + 1;"
  "END;"
  "CREATE INDEX request_untold ON request (created_at, id)"
  "  WHERE status IN " OWED_STATUSES " AND feedback_standing IS NOT 'told';"
  "PRAGMA user_version = 21;",
#undef TALLY_KEY
#undef OWED_STATUSES

  /* Version 22 (helper open311, issue #15, payam-store-contact.c): the email an outside
   * system gave with a request filed through Open311, kept on the office server only,
   * sealed to the office key like a kiosk's contact; never in a sync op or public answer. */
  [22] =
  "CREATE TABLE request_email ("
  "  request_id TEXT PRIMARY KEY REFERENCES request (id) ON DELETE CASCADE,"
  "  sealed     TEXT NOT NULL,"
  "  created_at TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "PRAGMA user_version = 22;",

  /* Version 23 (helper crewreason, issue #12): the office's reason for a change travels
   * with its ops (PayamOp.why: internal staff text, never public).
   * - outbox.why, sync_log.why: the reason of an op waiting to be sent, and as the server
   *   logged it (sent on to the office and the crews that see the op, never to kiosks).
   * - audit_office_why: the audit rows 'office-why' every replica writes when such an op
   *   lands, by the worksheet (or row) it changed, newest last: what a crew is told. */
  [23] =
  "ALTER TABLE outbox ADD COLUMN why TEXT;"
  "ALTER TABLE sync_log ADD COLUMN why TEXT;"
  "CREATE INDEX audit_office_why ON audit (entity, row_id, id) WHERE action = 'office-why';"
  "PRAGMA user_version = 23;",

  /* Version 24 (helper office, issue #13, payam-store-queues.c): the orders the office's
   * lists can be sorted in (PayamQueueSort), each an index range for New and To assign
   * (partial: their two statuses) and for All, so a sorted page never sorts the queue.
   * Registered time, priority and status have theirs already (request_status_age,
   * request_by_work, request_by_created).
   * - request_status_count: how many requests have each status, kept by triggers, so New
   *   and To assign are counted without reading a million index entries when every request
   *   is new (the window counts them as it opens). */
  [24] =
  "CREATE TABLE request_status_count ("
  "  status TEXT PRIMARY KEY,"
  "  n      INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "INSERT INTO request_status_count (status, n) SELECT status, count(*) FROM request"
  "  GROUP BY status;"
  "CREATE TRIGGER request_status_count_insert AFTER INSERT ON request BEGIN"
  "  INSERT INTO request_status_count (status, n) VALUES (new.status, 1)"
  "    ON CONFLICT (status) DO UPDATE SET n = n + 1;"
  "END;"
  "CREATE TRIGGER request_status_count_delete AFTER DELETE ON request BEGIN"
  "  UPDATE request_status_count SET n = n - 1 WHERE status = old.status;"
  "END;"
  "CREATE TRIGGER request_status_count_update AFTER UPDATE OF status ON request"
  "  WHEN old.status IS NOT new.status BEGIN"
  "  UPDATE request_status_count SET n = n - 1 WHERE status = old.status;"
  "  INSERT INTO request_status_count (status, n) VALUES (new.status, 1)"
  "    ON CONFLICT (status) DO UPDATE SET n = n + 1;"
  "END;"
  "CREATE INDEX request_triage_due ON request (status, due_at)"
  "  WHERE status = 'registered' OR status = 'triaged';"
  "CREATE INDEX request_triage_category ON request (status, category_id, created_at)"
  "  WHERE status = 'registered' OR status = 'triaged';"
  "CREATE INDEX request_triage_place ON request (status, neighbourhood, created_at)"
  "  WHERE status = 'registered' OR status = 'triaged';"
  "CREATE INDEX request_sort_priority ON request (priority, due_at, created_at);"
  "CREATE INDEX request_sort_due ON request (due_at);"
  "CREATE INDEX request_sort_category ON request (category_id, created_at);"
  "CREATE INDEX request_sort_place ON request (neighbourhood, created_at);"
  "PRAGMA user_version = 24;",

  /* Version 25 (helper member, issue #13 item 7): every op carries the member who made it
   * (PayamOp.member: the signed-in staff or crew member's id; NULL for none), so the server
   * checks a supervisor's moves against its own staff table and a conflict names the person.
   * - outbox.member, sync_log.member: the member of an op waiting to be sent, and as the
   *   server logged it (and sends it on).
   * - conflict.lost_member: the member whose change lost or was refused. */
  [25] =
  "ALTER TABLE outbox ADD COLUMN member TEXT;"
  "ALTER TABLE sync_log ADD COLUMN member TEXT;"
  "ALTER TABLE conflict ADD COLUMN lost_member TEXT;"
  "PRAGMA user_version = 25;",

  /* Version 26 (helper accounts2, issue #13 item 7, payam-store-crews.c): a crew member
   * can be disabled (and enabled again) at the office; a disabled member cannot sign in on
   * the crew's devices. Synced like the member's other fields (its crew and the office). */
  [26] =
  "ALTER TABLE crew_member ADD COLUMN active INTEGER NOT NULL DEFAULT 1;"
  "PRAGMA user_version = 26;",

  /* Version 27 (helper syncspeed, issue #9's speed): request_fts is brought up to date once
   * per transaction, just before it commits (_payam_store_fts_flush), not by each write. FTS5
   * writes what it holds in memory to disk at every savepoint and every statement that
   * opens one, so a write of a request's text cost a new index segment (and merges) per op.
   * - request_fts_pending: the requests whose index entry is out of date, each with what
   *   request_fts holds for it (held: words and codes as indexed; 0: nothing yet). The
   *   first change of a row in a transaction records it; later ones find it there.
   * - request_fts_insert/_delete/_update now only note the row there. */
  [27] =
  "CREATE TABLE request_fts_pending ("
  "  id     INTEGER PRIMARY KEY,"
  "  held   INTEGER NOT NULL,"
  "  words  TEXT,"
  "  codes  TEXT"
  ");"
  "DROP TRIGGER request_fts_insert;"
  "DROP TRIGGER request_fts_delete;"
  "DROP TRIGGER request_fts_update;"
  "CREATE TRIGGER request_fts_insert AFTER INSERT ON request BEGIN"
  "  INSERT OR IGNORE INTO request_fts_pending (id, held) VALUES (new.rowid, 0);"
  "END;"
  "CREATE TRIGGER request_fts_delete AFTER DELETE ON request BEGIN"
  "  INSERT OR IGNORE INTO request_fts_pending (id, held, words, codes) VALUES (old.rowid, 1,"
  "    old.text_norm, replace (old.tracking_code, '-', '') || CASE WHEN old.phone GLOB '0[0-9]*'"
  "      AND NOT old.phone GLOB '*[^0-9]*' THEN ' ' || old.phone || ' ' || substr (old.phone, 2)"
  "      ELSE '' END);"
  "END;"
  "CREATE TRIGGER request_fts_update AFTER UPDATE OF text_norm, tracking_code, phone ON request"
  "  BEGIN"
  "  INSERT OR IGNORE INTO request_fts_pending (id, held, words, codes) VALUES (old.rowid, 1,"
  "    old.text_norm, replace (old.tracking_code, '-', '') || CASE WHEN old.phone GLOB '0[0-9]*'"
  "      AND NOT old.phone GLOB '*[^0-9]*' THEN ' ' || old.phone || ' ' || substr (old.phone, 2)"
  "      ELSE '' END);"
  "END;"
  "PRAGMA user_version = 27;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == PAYAM_STORE_SCHEMA_VERSION + 1);

int
_payam_store_n_migrations (void)
{
  return G_N_ELEMENTS (migrations) - 1;
}

/* Whether PRAGMA foreign_key_check finds no row that breaks a foreign key; a SQL error
 * (naming the first offending table) when it does. */
static gboolean
foreign_keys_hold (PayamStore  *self,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, "PRAGMA foreign_key_check", -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      /* Translators: %s is the name of a database table. */
      g_set_error (error, PAYAM_STORE_ERROR, PAYAM_STORE_ERROR_SQL,
                   _("A row of table %s refers to a row that does not exist."),
                   (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _payam_store_set_sql_error (self, rc, error);
  return TRUE;
}

/* Apply every step after @from_version, each in its own transaction. On error the failed
 * step is rolled back, the earlier steps stay, and FALSE is returned with a SQL error. */
gboolean
_payam_store_migrate (PayamStore  *self,
                      int          from_version,
                      GError     **error)
{
  g_assert (from_version >= 0 && from_version <= PAYAM_STORE_SCHEMA_VERSION);

  for (int v = from_version + 1; v <= PAYAM_STORE_SCHEMA_VERSION; v++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *version = NULL;

      /* Rebuilding a table (drop, rename) must not cascade into its children: foreign keys
       * are off during a step (the pragma is a no-op inside a transaction) and checked as
       * a whole before it commits. */
      if (!_payam_store_exec_sql (self, "PRAGMA foreign_keys = OFF", error))
        return FALSE;
      if (!_payam_store_tx_begin (self, error))
        {
          _payam_store_exec_sql (self, "PRAGMA foreign_keys = ON", NULL);
          return FALSE;
        }
      if (!_payam_store_exec_sql (self, migrations[v], &local_error) ||
          !foreign_keys_hold (self, &local_error) ||
          !_payam_store_tx_commit (self, &local_error))
        {
          if (self->depth > 0)
            _payam_store_tx_rollback (self);
          _payam_store_exec_sql (self, "PRAGMA foreign_keys = ON", NULL);
          version = payam_format_integer (v);
          /* Translators: %s is the schema version a migration step leads to, already in
           * Persian digits. */
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Could not upgrade the database to version %s: "),
                                      version);
          return FALSE;
        }
      if (!_payam_store_exec_sql (self, "PRAGMA foreign_keys = ON", error))
        return FALSE;
      self->schema_version = v;
      g_debug ("migrated %s to schema version %d", self->path, v);
    }

  return TRUE;
}
