-- Contract 9.1: Vapi's cost items of each call, the list of calls, assistant names, and signing
-- keys.

-- A digest of the call's cost items (null when it has none), so that storing a call again compares
-- one column to know whether its items changed, and rewrites them only then.
ALTER TABLE usage_call ADD COLUMN cost_items_digest VARCHAR(32);

-- One row per cost item of a call, in Vapi's order (item_no from 0), every field as Vapi sent it.
CREATE TABLE usage_cost_item (
  user_id           VARCHAR(128) NOT NULL,
  call_id           TEXT         NOT NULL,
  item_no           INTEGER      NOT NULL,
  item_type         TEXT         NOT NULL,
  cost              NUMERIC      NOT NULL,
  provider          TEXT,
  model             TEXT,
  voice_id          TEXT,
  minutes           NUMERIC,
  characters        BIGINT,
  prompt_tokens     BIGINT,
  completion_tokens BIGINT,
  PRIMARY KEY (user_id, call_id, item_no)
);

-- Sums per UTC day and byModel group (component, provider, model), rebuilt with the other rollups
-- of a dirty day. The usage counts are null when no item of the group had them.
CREATE TABLE usage_day_model (
  user_id           VARCHAR(128) NOT NULL,
  day               DATE         NOT NULL,
  component         TEXT         NOT NULL,
  provider          TEXT,
  model             TEXT,
  calls             BIGINT       NOT NULL,
  cost              NUMERIC      NOT NULL,
  prompt_tokens     NUMERIC,
  completion_tokens NUMERIC,
  characters        NUMERIC,
  minutes           NUMERIC
);
CREATE INDEX usage_day_model_day ON usage_day_model (user_id, day);

-- The list order (newest first, then id descending) as an index, so a page after any position is
-- one index range; it serves the range reads of the old (user_id, created_at) index too. Ids
-- compare bytewise ("C"), the same whatever the database's collation.
CREATE INDEX usage_call_list ON usage_call (user_id, created_at DESC, call_id COLLATE "C" DESC);
DROP INDEX usage_call_created;

-- The few calls not ended yet, for stuckCalls.
CREATE INDEX usage_call_unfinished ON usage_call (user_id, created_at)
  WHERE status IN ('queued', 'in-progress');

-- Each user's assistants as of the last read from Vapi: one row per known or named id.
CREATE TABLE assistant_roster (
  user_id VARCHAR(128) PRIMARY KEY,
  read_at TIMESTAMPTZ
);
CREATE TABLE assistant_name (
  user_id      VARCHAR(128) NOT NULL,
  assistant_id TEXT         NOT NULL,
  name         TEXT,
  known        BOOLEAN      NOT NULL,
  PRIMARY KEY (user_id, assistant_id)
);

-- Random keys of this installation, one per purpose (base64), shared by every process on the
-- database.
CREATE TABLE signing_key (
  purpose    VARCHAR(64) PRIMARY KEY,
  secret     VARCHAR(64) NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
