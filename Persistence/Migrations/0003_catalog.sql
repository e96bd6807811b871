-- The catalog operators manage. The catalog grain is its only writer: each change moves catalog_version from
-- the version it read to the next in the same transaction as its rows and audit entries, so a second activation
-- during fail-over cannot overwrite a newer catalog.

-- At most one row. Its existence marks that a catalog was stored here, so an emptied catalog is never seeded again.
CREATE TABLE catalog_version (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    version     bigint      NOT NULL CHECK (version > 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE courses (
    id           uuid        PRIMARY KEY,
    -- The order courses were first stored in, which snapshots keep (new courses last); created_at alone ties,
    -- e.g. for the demo catalog's courses, all made at one instant.
    created_seq  bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    title        text        NOT NULL,
    description  text        NOT NULL,
    published    boolean     NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
-- No index for the admin listing and its filters: every process answers those from its snapshot of the catalog.

CREATE TABLE lessons (
    id                      uuid             PRIMARY KEY,
    -- No cascade: the grain refuses to delete a course that still has lessons, and so does the table.
    course_id               uuid             NOT NULL REFERENCES courses (id),
    title                   text             NOT NULL,
    duration_minutes        integer          NOT NULL CHECK (duration_minutes > 0),
    sort_order              integer          NOT NULL CHECK (sort_order > 0),
    free_preview            boolean          NOT NULL,
    -- The uploaded file; all null until the first upload (duration_seconds also when the container states none).
    media_file_name         text,
    media_content_type      text,
    media_bytes             bigint,
    media_sha256            text,
    media_duration_seconds  double precision,
    media_uploaded_at       timestamptz,
    created_at              timestamptz      NOT NULL,
    updated_at              timestamptz      NOT NULL,
    CONSTRAINT lessons_media_whole CHECK (
        (media_file_name IS NULL AND media_content_type IS NULL AND media_bytes IS NULL AND media_sha256 IS NULL
            AND media_duration_seconds IS NULL AND media_uploaded_at IS NULL)
        OR (media_file_name IS NOT NULL AND media_content_type IS NOT NULL AND media_bytes IS NOT NULL
            AND media_sha256 IS NOT NULL AND media_uploaded_at IS NOT NULL)),
    -- Checked at commit: a reorder renumbers every lesson of the course in one transaction, and swapping two
    -- lessons must not need a free number in between. Also serves lookups of a course's lessons.
    CONSTRAINT lessons_order_unique UNIQUE (course_id, sort_order) DEFERRABLE INITIALLY DEFERRED
);

-- Deleting a lesson ends its live sessions: find them without scanning the session history.
CREATE INDEX video_sessions_open_by_lesson ON video_sessions (lesson_id) WHERE ended_at IS NULL;
