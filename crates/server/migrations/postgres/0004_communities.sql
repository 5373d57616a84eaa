-- ПОС mailboxes: a community (its plan's id) a leader opened on this server for its members'
-- data, and the latest exported file each member sent to it (a later one replaces it).
CREATE TABLE communities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    owner TEXT NOT NULL REFERENCES accounts (id),
    created_at TEXT NOT NULL
);

CREATE TABLE community_bundles (
    community_id TEXT NOT NULL REFERENCES communities (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    body TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (community_id, account_id)
);
