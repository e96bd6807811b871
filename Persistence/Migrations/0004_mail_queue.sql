-- The durable mail queue between users' grains and SMTP (Grains/Email/IMailQueue.cs). Grains insert, idempotent by
-- id; the dispatcher of every silo claims due rows with a lease (FOR UPDATE SKIP LOCKED, then locked_until), so
-- one silo at a time sends a message. Sent rows keep no body and are deleted after Email:SentRetention; failed
-- rows stay for operators.

CREATE TABLE mail_queue (
    id               uuid        PRIMARY KEY,
    user_id          uuid        NOT NULL,
    recipient        text        NOT NULL,
    kind             text        NOT NULL,
    subject          text        NOT NULL,
    -- The rendered message, tokens and codes included: set to NULL once the mail is sent or given up.
    text_body        text,
    html_body        text,
    status           text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    -- Claims so far; a dispatcher's later update applies only while its claim is still the latest.
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    locked_until     timestamptz,
    last_error       text,
    created_at       timestamptz NOT NULL,
    sent_at          timestamptz,
    failed_at        timestamptz
);

-- The claim reads queued mail by due time: a small, hot part of the table.
CREATE INDEX mail_queue_due ON mail_queue (next_attempt_at, id) WHERE status = 'queued';
-- Operators' listings, newest first: all mail, or one status (failed mail above all).
CREATE INDEX mail_queue_newest ON mail_queue (created_at DESC, id DESC);
CREATE INDEX mail_queue_by_status ON mail_queue (status, created_at DESC, id DESC);
-- Deleting sent mail past its retention.
CREATE INDEX mail_queue_sent ON mail_queue (sent_at) WHERE status = 'sent';
