-- Kitchen tickets (seed 000) with what the kitchen cooks from: the order's type and notes, and its lines below.
-- One ticket per order, whatever the redeliveries: the unique order_id is the last word even if an event id differs.
CREATE TABLE IF NOT EXISTS kitchen.kitchen_tickets (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id      UUID NOT NULL,
    restaurant_id UUID NOT NULL,
    order_type    VARCHAR(20) NOT NULL,
    notes         VARCHAR(500) NULL,
    status        VARCHAR(30) NOT NULL DEFAULT 'NEW'
                  CHECK (status IN ('NEW', 'ACCEPTED', 'IN_PROGRESS', 'READY', 'DELIVERED_TO_SERVICE', 'CANCELLED')),
    placed_at     TIMESTAMPTZ NOT NULL,
    cancelled_at  TIMESTAMPTZ NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT kitchen_tickets_one_per_order UNIQUE (order_id)
);

-- A kitchen's screen: its restaurant's tickets by status, oldest first.
CREATE INDEX IF NOT EXISTS kitchen_tickets_restaurant_idx ON kitchen.kitchen_tickets (restaurant_id, status, created_at);

CREATE TABLE IF NOT EXISTS kitchen.kitchen_ticket_items (
    ticket_id UUID NOT NULL REFERENCES kitchen.kitchen_tickets (id),
    line_no   INT NOT NULL,
    food_id   UUID NOT NULL,
    food_name VARCHAR(255) NOT NULL,
    quantity  INT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (ticket_id, line_no)
);
