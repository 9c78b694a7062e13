-- Contract 9.1: Vapi's cost items of each call, the list of calls, assistant names, and signing
-- keys. The same tables as on PostgreSQL, without the rollups.

ALTER TABLE usage_call ADD COLUMN cost_items_digest VARCHAR(32);

CREATE TABLE usage_cost_item (
  user_id           VARCHAR(128) NOT NULL,
  call_id           VARCHAR      NOT NULL,
  item_no           INTEGER      NOT NULL,
  item_type         VARCHAR      NOT NULL,
  cost              DECFLOAT     NOT NULL,
  provider          VARCHAR,
  model             VARCHAR,
  voice_id          VARCHAR,
  minutes           DECFLOAT,
  characters        BIGINT,
  prompt_tokens     BIGINT,
  completion_tokens BIGINT,
  PRIMARY KEY (user_id, call_id, item_no)
);

CREATE INDEX usage_call_list ON usage_call (user_id, created_at DESC, call_id DESC);
DROP INDEX usage_call_created;

-- H2 has no partial indexes: the status leads, so the unfinished calls are one index range.
CREATE INDEX usage_call_unfinished ON usage_call (user_id, status, created_at);

CREATE TABLE assistant_roster (
  user_id VARCHAR(128)             PRIMARY KEY,
  read_at TIMESTAMP WITH TIME ZONE
);
CREATE TABLE assistant_name (
  user_id      VARCHAR(128) NOT NULL,
  assistant_id VARCHAR      NOT NULL,
  name         VARCHAR,
  known        BOOLEAN      NOT NULL,
  PRIMARY KEY (user_id, assistant_id)
);

CREATE TABLE signing_key (
  purpose    VARCHAR(64)              PRIMARY KEY,
  secret     VARCHAR(64)              NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
