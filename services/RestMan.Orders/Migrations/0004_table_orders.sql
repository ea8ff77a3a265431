-- Table orders (issue 25): an order may be a table's, with its guests (covers) and the reservation it seated; lines come
-- in rounds and a line the kitchen has not started can be taken off (removed_at). Every order gets a short number per
-- restaurant per day. Existing orders keep working: every new column is NULL or defaults to their single round.
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS table_id UUID NULL;
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS covers INT NULL;
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS reservation_id UUID NULL;
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS order_number VARCHAR(12) NULL;
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS service_day DATE NULL;
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS rounds INT NOT NULL DEFAULT 1;
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS merged_into_order_id UUID NULL;

ALTER TABLE orders.order_items ADD COLUMN IF NOT EXISTS round INT NOT NULL DEFAULT 1;
ALTER TABLE orders.order_items ADD COLUMN IF NOT EXISTS removed_at TIMESTAMPTZ NULL;
