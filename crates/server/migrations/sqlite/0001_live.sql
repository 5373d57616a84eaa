-- Live sessions, their participants and every answer stored once (SQLite).
CREATE TABLE live_sessions (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    teacher_key_hash TEXT NOT NULL,
    spec TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    records TEXT
);
CREATE UNIQUE INDEX live_sessions_open_code ON live_sessions (code) WHERE closed_at IS NULL;

CREATE TABLE live_participants (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES live_sessions (id),
    token_hash TEXT NOT NULL UNIQUE,
    student_id TEXT,
    joined_at TEXT NOT NULL
);
CREATE INDEX live_participants_session ON live_participants (session_id);

CREATE TABLE live_answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES live_sessions (id),
    participant_id TEXT NOT NULL REFERENCES live_participants (id),
    seq BIGINT NOT NULL,
    response TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (participant_id, seq)
);
CREATE INDEX live_answers_session ON live_answers (session_id, id);
