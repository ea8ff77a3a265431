-- Table orders come in rounds (issue 25): one ticket per (order, round), with the order's number and table on it, and
-- each ticket line knows its order line so a line removed from the order can be voided here. Existing tickets are
-- round 1 of their order; their lines are the order's lines in the same order.
ALTER TABLE kitchen.kitchen_tickets ADD COLUMN IF NOT EXISTS round INT NOT NULL DEFAULT 1;
ALTER TABLE kitchen.kitchen_tickets ADD COLUMN IF NOT EXISTS order_number VARCHAR(12) NULL;
ALTER TABLE kitchen.kitchen_tickets ADD COLUMN IF NOT EXISTS table_id UUID NULL;
ALTER TABLE kitchen.kitchen_tickets ADD COLUMN IF NOT EXISTS table_number INT NULL;

ALTER TABLE kitchen.kitchen_ticket_items ADD COLUMN IF NOT EXISTS order_line_no INT NULL;
ALTER TABLE kitchen.kitchen_ticket_items ADD COLUMN IF NOT EXISTS voided_at TIMESTAMPTZ NULL;
