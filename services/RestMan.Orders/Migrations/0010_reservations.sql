-- Reservations: a party booked at a table from starts_at for one slot (two hours). user_id is the customer's account,
-- null when staff booked for a guest by name. order_id is the table order opened when the party was seated.
CREATE TABLE IF NOT EXISTS orders.reservations (
    id              UUID PRIMARY KEY,
    restaurant_id   UUID NOT NULL,
    table_id        UUID NOT NULL,
    user_id         UUID NULL,
    guest_name      VARCHAR(100) NULL,
    party_size      INT NOT NULL CHECK (party_size BETWEEN 1 AND 50),
    starts_at       TIMESTAMPTZ NOT NULL,
    status          VARCHAR(20) NOT NULL DEFAULT 'BOOKED' CHECK (status IN ('BOOKED', 'SEATED', 'CANCELLED', 'NO_SHOW')),
    notes           VARCHAR(500) NULL,
    booked_by       VARCHAR(20) NOT NULL,
    order_id        UUID NULL,
    -- When the reserved-soon sweep marked the table RESERVED; null until then.
    table_marked_at TIMESTAMPTZ NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- A table's reservations around a time (availability, the double-booking check), the day's book, a customer's own.
CREATE INDEX IF NOT EXISTS reservations_table_idx ON orders.reservations (table_id, starts_at);
CREATE INDEX IF NOT EXISTS reservations_restaurant_idx ON orders.reservations (restaurant_id, starts_at);
CREATE INDEX IF NOT EXISTS reservations_user_idx ON orders.reservations (user_id, starts_at DESC);

-- A booking's Idempotency-Key and the request it first came with: a replay returns that reservation.
CREATE TABLE IF NOT EXISTS orders.reservation_idempotency_keys (
    user_id         UUID NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    request_hash    VARCHAR(64) NOT NULL,
    reservation_id  UUID NOT NULL REFERENCES orders.reservations (id),
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);

-- Confirmation emails owed to customers, written with the reservation and sent after it commits, like ready_emails.
CREATE TABLE IF NOT EXISTS orders.reservation_emails (
    reservation_id  UUID PRIMARY KEY REFERENCES orders.reservations (id),
    user_id         UUID NOT NULL,
    attempts        INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      VARCHAR(500) NULL,
    sent_at         TIMESTAMPTZ NULL,
    abandoned_at    TIMESTAMPTZ NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE INDEX IF NOT EXISTS reservation_emails_due_idx ON orders.reservation_emails (next_attempt_at) WHERE sent_at IS NULL AND abandoned_at IS NULL;
