-- The restaurant's tables (issue 25): where dine-in orders are served. current_order_id is the open order seated there.
CREATE TABLE IF NOT EXISTS orders.dining_tables (
    id               UUID PRIMARY KEY,
    restaurant_id    UUID NOT NULL,
    number           INT NOT NULL CHECK (number BETWEEN 1 AND 9999),
    capacity         INT NOT NULL CHECK (capacity BETWEEN 1 AND 100),
    section          VARCHAR(50) NOT NULL,
    status           VARCHAR(20) NOT NULL DEFAULT 'AVAILABLE'
                     CHECK (status IN ('AVAILABLE', 'OCCUPIED', 'NEEDS_CLEANING', 'RESERVED')),
    current_order_id UUID NULL,
    removed_at       TIMESTAMPTZ NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);

-- A number names one table of a restaurant at a time; a removed table frees its number.
CREATE UNIQUE INDEX IF NOT EXISTS dining_tables_number_key ON orders.dining_tables (restaurant_id, number) WHERE removed_at IS NULL;
