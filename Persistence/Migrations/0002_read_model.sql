-- The tables operators query. The user grains are the source of truth; these are kept in step by
-- publish_user_snapshot() (newer state versions only) and idempotent audit inserts, so replays are harmless.

CREATE TABLE users (
    id             uuid        PRIMARY KEY,
    email          text        NOT NULL UNIQUE,
    full_name      text        NOT NULL,
    role           text        NOT NULL CHECK (role IN ('student', 'admin')),
    created_at     timestamptz NOT NULL,
    -- The grain's state version of the last snapshot applied; older snapshots are ignored.
    state_version  bigint      NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_newest ON users (created_at DESC, id DESC);

CREATE TABLE devices (
    id             uuid        PRIMARY KEY,
    user_id        uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id      text        NOT NULL,
    device_name    text        NOT NULL,
    platform       text        NOT NULL CHECK (platform IN ('web', 'android', 'ios')),
    is_active      boolean     NOT NULL,
    created_at     timestamptz NOT NULL,
    last_accessed  timestamptz NOT NULL
);
CREATE INDEX devices_by_user ON devices (user_id);
CREATE INDEX devices_newest ON devices (created_at DESC, id DESC);
CREATE INDEX devices_by_platform ON devices (platform, is_active, created_at DESC);

CREATE TABLE video_sessions (
    id                  uuid             PRIMARY KEY,
    user_id             uuid             NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id           text             NOT NULL,
    device_name         text             NOT NULL,
    lesson_id           uuid             NOT NULL,
    lesson_title        text             NOT NULL,
    started_at          timestamptz      NOT NULL,
    last_heartbeat      timestamptz      NOT NULL,
    expires_at          timestamptz      NOT NULL,
    ended_at            timestamptz,
    end_reason          text,
    watch_time_seconds  double precision NOT NULL
);
CREATE INDEX video_sessions_by_user ON video_sessions (user_id, started_at DESC, id DESC);
CREATE INDEX video_sessions_newest ON video_sessions (started_at DESC, id DESC);
-- Live sessions are a small, hot subset of an ever-growing table.
CREATE INDEX video_sessions_open ON video_sessions (started_at DESC, id DESC) WHERE ended_at IS NULL;

CREATE TABLE audit_logs (
    id          uuid        PRIMARY KEY,
    -- No foreign key: failed logins for unknown emails have no user, and an entry may arrive before its user's row.
    user_id     uuid,
    user_email  text,
    action      text        NOT NULL,
    ip_address  text,
    user_agent  text,
    metadata    jsonb       NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL
);
CREATE INDEX audit_logs_newest ON audit_logs (created_at DESC, id DESC);
CREATE INDEX audit_logs_by_user ON audit_logs (user_id, created_at DESC, id DESC);
CREATE INDEX audit_logs_by_action ON audit_logs (action, created_at DESC, id DESC);
CREATE INDEX audit_logs_by_ip ON audit_logs (ip_address, created_at DESC, id DESC);

-- Applies one user's snapshot in one round trip. Returns false (and changes nothing) when the stored row is
-- already at this version or newer: a stale activation or a replay.
CREATE FUNCTION publish_user_snapshot(
    p_id uuid, p_version bigint, p_email text, p_full_name text, p_role text, p_created_at timestamptz,
    p_devices jsonb, p_sessions jsonb)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO users AS u (id, email, full_name, role, created_at, state_version)
    VALUES (p_id, p_email, p_full_name, p_role, p_created_at, p_version)
    ON CONFLICT (id) DO UPDATE
        SET email = excluded.email, full_name = excluded.full_name, role = excluded.role,
            state_version = excluded.state_version, updated_at = now()
        WHERE u.state_version < excluded.state_version;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    -- A user's devices are exactly those of the snapshot: revoked and dropped ones disappear.
    DELETE FROM devices d
    WHERE d.user_id = p_id
      AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(p_devices) AS x(id uuid) WHERE x.id = d.id);

    INSERT INTO devices AS d (id, user_id, device_id, device_name, platform, is_active, created_at, last_accessed)
    SELECT x.id, p_id, x.device_id, x.device_name, x.platform, x.is_active, x.created_at, x.last_accessed
    FROM jsonb_to_recordset(p_devices) AS x(
        id uuid, device_id text, device_name text, platform text, is_active boolean, created_at timestamptz, last_accessed timestamptz)
    ON CONFLICT (id) DO UPDATE
        SET device_name = excluded.device_name, platform = excluded.platform,
            is_active = excluded.is_active, last_accessed = excluded.last_accessed;

    -- Sessions are history: the grain forgets old ones, the table keeps them.
    INSERT INTO video_sessions AS s (id, user_id, device_id, device_name, lesson_id, lesson_title, started_at,
                                     last_heartbeat, expires_at, ended_at, end_reason, watch_time_seconds)
    SELECT x.id, p_id, x.device_id, x.device_name, x.lesson_id, x.lesson_title, x.started_at,
           x.last_heartbeat, x.expires_at, x.ended_at, x.end_reason, x.watch_time_seconds
    FROM jsonb_to_recordset(p_sessions) AS x(
        id uuid, device_id text, device_name text, lesson_id uuid, lesson_title text, started_at timestamptz,
        last_heartbeat timestamptz, expires_at timestamptz, ended_at timestamptz, end_reason text, watch_time_seconds double precision)
    ON CONFLICT (id) DO UPDATE
        SET last_heartbeat = excluded.last_heartbeat, ended_at = excluded.ended_at,
            end_reason = excluded.end_reason, watch_time_seconds = excluded.watch_time_seconds;

    RETURN true;
END;
$$;
