-- Contract 9.4: Vapi's server messages pushed to a per-user webhook. The same as on PostgreSQL.

ALTER TABLE usage_call ADD COLUMN status_at TIMESTAMP WITH TIME ZONE;

CREATE TABLE webhook_endpoint (
  user_id          VARCHAR(128)             PRIMARY KEY,
  webhook_id       VARCHAR(64)              NOT NULL UNIQUE,
  encrypted_secret VARCHAR,
  key_id           VARCHAR(32),
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT webhook_endpoint_sealed_whole CHECK ((encrypted_secret IS NULL) = (key_id IS NULL))
);
CREATE INDEX webhook_endpoint_key_id ON webhook_endpoint (key_id);
