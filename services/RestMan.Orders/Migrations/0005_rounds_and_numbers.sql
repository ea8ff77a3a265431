-- Separate from 0004: CockroachDB builds indexes on columns added in an earlier transaction, not the same one.

-- The guard under the number blocks: two orders of one restaurant never share a number on one day.
CREATE UNIQUE INDEX IF NOT EXISTS orders_number_key ON orders.orders (restaurant_id, service_day, order_number)
    WHERE order_number IS NOT NULL;

-- A table's open order is found by its table (the floor view, merges).
CREATE INDEX IF NOT EXISTS orders_table_idx ON orders.orders (table_id, placed_at DESC) WHERE table_id IS NOT NULL;

-- Order numbers are handed out in blocks: an instance takes the next block of a restaurant's day here (one row touched
-- per block, not per order), then numbers its orders from memory.
CREATE TABLE IF NOT EXISTS orders.order_number_counters (
    restaurant_id UUID NOT NULL,
    service_day   DATE NOT NULL,
    next_number   INT NOT NULL,
    PRIMARY KEY (restaurant_id, service_day)
);

-- Each round of a table order with its kitchen ticket's status as the kitchen last announced it: a line may be removed
-- only while its round's ticket is NEW.
CREATE TABLE IF NOT EXISTS orders.order_rounds (
    order_id       UUID NOT NULL REFERENCES orders.orders (id),
    round          INT NOT NULL,
    kitchen_status VARCHAR(30) NOT NULL DEFAULT 'NEW',
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (order_id, round)
);

-- A waiter's Idempotency-Key on a change of a table order (a round, a removal, a move, a merge): a retry answers as the
-- first request did instead of changing the order twice.
CREATE TABLE IF NOT EXISTS orders.table_order_requests (
    order_id        UUID NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    request_hash    VARCHAR(64) NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (order_id, idempotency_key)
);
