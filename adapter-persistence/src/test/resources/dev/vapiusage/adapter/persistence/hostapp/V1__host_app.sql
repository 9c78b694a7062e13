-- A host application's own schema, migrated by its own Flyway into public: tables whose names the
-- product also uses (app_user, api_token) with other shapes, and rows that must stay as they are.
CREATE TABLE users (
  id    BIGSERIAL PRIMARY KEY,
  email TEXT      NOT NULL UNIQUE
);
CREATE TABLE app_user (
  id      BIGSERIAL PRIMARY KEY,
  user_id BIGINT    NOT NULL REFERENCES users (id),
  role    TEXT      NOT NULL
);
CREATE TABLE api_token (
  token   TEXT   PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id)
);
CREATE INDEX api_token_user ON api_token (user_id);

INSERT INTO users (email) VALUES ('ada@example.com'), ('grace@example.com');
INSERT INTO app_user (user_id, role) VALUES (1, 'admin'), (2, 'viewer');
INSERT INTO api_token (token, user_id) VALUES ('host-token-1', 1), ('host-token-2', 2);
