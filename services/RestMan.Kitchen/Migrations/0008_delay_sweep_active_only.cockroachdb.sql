-- CockroachDB's variant of 0008_delay_sweep_active_only.sql: it names an index by its table.
CREATE INDEX IF NOT EXISTS kitchen_tickets_in_kitchen_unflagged_idx ON kitchen.kitchen_tickets (created_at)
    WHERE delayed_at IS NULL AND status IN ('NEW', 'ACCEPTED', 'IN_PROGRESS');
DROP INDEX IF EXISTS kitchen.kitchen_tickets@kitchen_tickets_delay_sweep_idx;
