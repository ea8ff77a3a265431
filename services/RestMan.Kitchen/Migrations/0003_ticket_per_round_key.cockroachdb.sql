-- CockroachDB's variant of 0003_ticket_per_round_key.sql. Separate from 0002: CockroachDB indexes and fills columns added in an earlier transaction, not the same one.
UPDATE kitchen.kitchen_ticket_items SET order_line_no = line_no WHERE order_line_no IS NULL;

-- The one-ticket-per-order rule becomes one ticket per round. The new key first, so no moment is without a guard.
CREATE UNIQUE INDEX IF NOT EXISTS kitchen_tickets_order_round_key ON kitchen.kitchen_tickets (order_id, round);
-- CockroachDB refuses DROP CONSTRAINT for a UNIQUE constraint: its index goes, and the constraint with it.
DROP INDEX IF EXISTS kitchen.kitchen_tickets@kitchen_tickets_one_per_order CASCADE;
