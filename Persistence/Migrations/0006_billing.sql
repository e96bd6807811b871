-- Stripe's webhook events and the customer <-> user map (Grains/Billing/IBillingEventStore.cs). The webhook inserts
-- each verified event once by Stripe's event id (a repeated delivery hits the primary key and changes nothing) before
-- answering 200; the processor of every silo claims pending rows with a lease (FOR UPDATE SKIP LOCKED, then
-- locked_until), so one instance at a time applies an event.

CREATE TABLE billing_events (
    id               text        PRIMARY KEY,
    type             text        NOT NULL,
    -- Stripe's "created" of the event: the claim takes older events first.
    created          timestamptz NOT NULL,
    -- The raw body Stripe signed.
    payload          text        NOT NULL,
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processed', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    received_at      timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    locked_until     timestamptz,
    processed_at     timestamptz,
    last_error       text
);

CREATE INDEX billing_events_due ON billing_events (next_attempt_at, created, id) WHERE status = 'pending';
CREATE INDEX billing_events_failed ON billing_events (received_at DESC) WHERE status = 'failed';

CREATE TABLE billing_customers (
    customer_id  text        PRIMARY KEY,
    user_id      uuid        NOT NULL,
    linked_at    timestamptz NOT NULL
);

CREATE INDEX billing_customers_user ON billing_customers (user_id);
