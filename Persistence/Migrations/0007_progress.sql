-- Learning progress (issue 16): one row per user and lesson, written behind by the user's grain, which holds only
-- lessons being played. Upserts keep the newer record by (updated_at, revision), so a repeated or late write never
-- replaces a newer one; completion never reverts. No foreign key to users: a row may arrive before its user's snapshot.

CREATE TABLE lesson_progress (
    user_id           uuid             NOT NULL,
    lesson_id         uuid             NOT NULL,
    course_id         uuid             NOT NULL,
    lesson_seconds    integer          NOT NULL,
    -- Where the learner last was (resume position) and the furthest credited position.
    position_seconds  double precision NOT NULL,
    furthest_seconds  double precision NOT NULL,
    -- The merged watched spans ([{start, end}], seconds) and their total.
    watched_spans     jsonb            NOT NULL,
    watched_seconds   double precision NOT NULL,
    completed_at      timestamptz,
    updated_at        timestamptz      NOT NULL,
    revision          bigint           NOT NULL,
    PRIMARY KEY (user_id, lesson_id)
);
-- GET /api/progress and the course detail: one user's rows, most recent first (optionally one course's).
CREATE INDEX lesson_progress_recent ON lesson_progress (user_id, updated_at DESC);
