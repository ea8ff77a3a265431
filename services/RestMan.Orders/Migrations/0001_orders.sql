-- Orders (seed 000) with money as DECIMAL(12,2) and the notes and delivery address the order was placed with.
CREATE TABLE IF NOT EXISTS orders.orders (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          UUID NOT NULL,
    restaurant_id    UUID NOT NULL,
    order_type       VARCHAR(20) NOT NULL CHECK (order_type IN ('dine_in', 'takeaway', 'delivery')),
    status           VARCHAR(20) NOT NULL DEFAULT 'PLACED'
                     CHECK (status IN ('PLACED', 'ACCEPTED', 'IN_PROGRESS', 'READY', 'COMPLETED', 'CANCELLED')),
    total_price      DECIMAL(12,2) NOT NULL CHECK (total_price >= 0),
    notes            VARCHAR(500) NULL,
    delivery_address VARCHAR(500) NULL,
    placed_at        TIMESTAMPTZ NOT NULL,
    completed_at     TIMESTAMPTZ NULL,
    cancelled_at     TIMESTAMPTZ NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT orders_delivery_has_address CHECK (order_type <> 'delivery' OR delivery_address IS NOT NULL)
);

-- Orders are listed per customer, or per restaurant (an owner's, a kitchen's); newest first.
CREATE INDEX IF NOT EXISTS orders_user_idx ON orders.orders (user_id, placed_at DESC);
CREATE INDEX IF NOT EXISTS orders_restaurant_idx ON orders.orders (restaurant_id, placed_at DESC);

-- Lines with the food's name and price as they were when ordered; line_no keeps the customer's order of lines.
CREATE TABLE IF NOT EXISTS orders.order_items (
    order_id           UUID NOT NULL REFERENCES orders.orders (id),
    line_no            INT NOT NULL,
    food_id            UUID NOT NULL,
    food_name_snapshot VARCHAR(255) NOT NULL,
    unit_price         DECIMAL(12,2) NOT NULL CHECK (unit_price >= 0),
    quantity           INT NOT NULL CHECK (quantity BETWEEN 1 AND 100),
    line_total         DECIMAL(12,2) NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, line_no)
);

-- Every status an order went through; (order_id, step) makes two concurrent changes of one order conflict.
CREATE TABLE IF NOT EXISTS orders.order_status_history (
    order_id           UUID NOT NULL REFERENCES orders.orders (id),
    step               INT NOT NULL,
    old_status         VARCHAR(20) NULL,
    new_status         VARCHAR(20) NOT NULL,
    changed_by         VARCHAR(20) NOT NULL,
    changed_by_user_id UUID NULL,
    changed_at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (order_id, step)
);

-- A customer's Idempotency-Key and the request it first came with: a replay returns that order.
CREATE TABLE IF NOT EXISTS orders.idempotency_keys (
    user_id         UUID NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    request_hash    VARCHAR(64) NOT NULL,
    order_id        UUID NOT NULL REFERENCES orders.orders (id),
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);
