-- Separate from 0002: CockroachDB indexes and fills columns added in an earlier transaction, not the same one.
UPDATE kitchen.kitchen_ticket_items SET order_line_no = line_no WHERE order_line_no IS NULL;

-- The one-ticket-per-order rule becomes one ticket per round. The new key first, so no moment is without a guard.
CREATE UNIQUE INDEX IF NOT EXISTS kitchen_tickets_order_round_key ON kitchen.kitchen_tickets (order_id, round);
-- PostgreSQL drops a table's UNIQUE constraint (and its index) with DROP CONSTRAINT; the DROP INDEX after it then finds
-- nothing. Where DROP CONSTRAINT does not take a UNIQUE constraint (older CockroachDB), DROP INDEX … CASCADE is the way.
ALTER TABLE kitchen.kitchen_tickets DROP CONSTRAINT IF EXISTS kitchen_tickets_one_per_order;
DROP INDEX IF EXISTS kitchen.kitchen_tickets_one_per_order CASCADE;
