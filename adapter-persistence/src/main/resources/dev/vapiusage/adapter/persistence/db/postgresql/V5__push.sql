-- Contract 9.4: Vapi's server messages pushed to a per-user webhook.

-- When the stored status came from a status-update message (null when the call row came from a
-- sync or an end-of-call report), so that a late status message never overwrites a newer one.
ALTER TABLE usage_call ADD COLUMN status_at TIMESTAMPTZ;

-- One webhook per user: the random id in its URL, and the webhook secret sealed by the key vault
-- like a Vapi key (null until the user makes one).
CREATE TABLE webhook_endpoint (
  user_id          VARCHAR(128) PRIMARY KEY,
  webhook_id       VARCHAR(64)  NOT NULL UNIQUE,
  encrypted_secret TEXT,
  key_id           VARCHAR(32),
  created_at       TIMESTAMPTZ  NOT NULL,
  CONSTRAINT webhook_endpoint_sealed_whole CHECK ((encrypted_secret IS NULL) = (key_id IS NULL))
);
-- rotate-key finds the secrets still sealed under the old master key.
CREATE INDEX webhook_endpoint_key_id ON webhook_endpoint (key_id);
