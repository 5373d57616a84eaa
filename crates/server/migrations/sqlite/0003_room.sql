-- Room control: a locked session takes no new joins; a removed participant's token stops working
-- and its answers leave the board and the evidence (their rows stay, for the record).
ALTER TABLE live_sessions ADD COLUMN locked BIGINT NOT NULL DEFAULT 0;
ALTER TABLE live_participants ADD COLUMN removed_at TEXT;
