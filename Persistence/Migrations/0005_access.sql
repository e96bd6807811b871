-- 0005: paid access in the operators' tables. The user grains stay the source of truth: each snapshot that
-- publish_user_snapshot() applies carries the user's subscription and grants, and publish_user_access() writes
-- them in the same batch (one transaction), only when that very snapshot version was applied.

-- One row per user who ever had a subscription: the newest state Stripe's events reported.
CREATE TABLE subscriptions (
    user_id               uuid        PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    subscription_id       text        NOT NULL,
    customer_id           text        NOT NULL,
    -- As the contract shows it: a deleted subscription is 'canceled'.
    status                text        NOT NULL,
    plan_id               text,
    current_period_end    timestamptz,
    cancel_at_period_end  boolean     NOT NULL,
    trial_end             timestamptz,
    past_due_since        timestamptz,
    -- When the grain applied the newest event (the listing's order and cursor).
    updated_at            timestamptz NOT NULL
);
CREATE INDEX subscriptions_newest ON subscriptions (updated_at DESC, user_id DESC);
CREATE INDEX subscriptions_by_status ON subscriptions (status, updated_at DESC, user_id DESC);

-- Operators' grants still held by the user (revoked and expired ones leave with the next snapshot; the audit log keeps
-- access_granted / access_revoked for history).
CREATE TABLE access_grants (
    id          uuid        PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    until       timestamptz NOT NULL,
    reason      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    actor_id    uuid        NOT NULL
);
CREATE INDEX access_grants_by_user ON access_grants (user_id, until);

-- Writes one user's access as of snapshot p_version. Does nothing (false) unless the users row holds exactly that
-- version, i.e. the snapshot itself was applied (now, or by an earlier delivery of the same snapshot: a replay writes
-- the same rows again). p_subscription is a JSON array of no or one subscription; p_grants a JSON array.
CREATE FUNCTION publish_user_access(p_id uuid, p_version bigint, p_subscription jsonb, p_grants jsonb)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM users WHERE id = p_id AND state_version = p_version;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    IF jsonb_array_length(p_subscription) = 0 THEN
        DELETE FROM subscriptions WHERE user_id = p_id;
    ELSE
        INSERT INTO subscriptions AS s (user_id, subscription_id, customer_id, status, plan_id, current_period_end,
                                        cancel_at_period_end, trial_end, past_due_since, updated_at)
        SELECT p_id, x.subscription_id, x.customer_id, x.status, x.plan_id, x.current_period_end,
               x.cancel_at_period_end, x.trial_end, x.past_due_since, x.updated_at
        FROM jsonb_to_recordset(p_subscription) AS x(
            subscription_id text, customer_id text, status text, plan_id text, current_period_end timestamptz,
            cancel_at_period_end boolean, trial_end timestamptz, past_due_since timestamptz, updated_at timestamptz)
        ON CONFLICT (user_id) DO UPDATE
            SET subscription_id = excluded.subscription_id, customer_id = excluded.customer_id, status = excluded.status,
                plan_id = excluded.plan_id, current_period_end = excluded.current_period_end,
                cancel_at_period_end = excluded.cancel_at_period_end, trial_end = excluded.trial_end,
                past_due_since = excluded.past_due_since, updated_at = excluded.updated_at;
    END IF;

    DELETE FROM access_grants g
    WHERE g.user_id = p_id
      AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(p_grants) AS x(id uuid) WHERE x.id = g.id);

    INSERT INTO access_grants AS g (id, user_id, until, reason, created_at, actor_id)
    SELECT x.id, p_id, x.until, x.reason, x.created_at, x.actor_id
    FROM jsonb_to_recordset(p_grants) AS x(id uuid, until timestamptz, reason text, created_at timestamptz, actor_id uuid)
    ON CONFLICT (id) DO UPDATE SET until = excluded.until, reason = excluded.reason;

    RETURN true;
END;
$$;
