-- A counter per user, raised in the transaction of every change to the user's integration or
-- stored calls. A server keeps what it computed for a dashboard while the counter stays put, so a
-- view costs one key read, and a change made by any process (another server, a CLI sync) shows at
-- the next view.
CREATE TABLE data_version (
  user_id VARCHAR(128) PRIMARY KEY,
  version BIGINT       NOT NULL
);

INSERT INTO data_version (user_id, version)
SELECT user_id, 1 FROM vapi_integration UNION SELECT DISTINCT user_id, 1 FROM usage_call;
