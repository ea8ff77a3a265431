-- Issue 26: when the kitchen said, on accepting the order's tickets, it expects the order ready (the latest of its
-- stations' estimates). Orders from before have none.
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS estimated_ready_at TIMESTAMPTZ NULL;
