-- Priority, estimates and delay alerts (issue 26). Only additions: tickets from before are normal, without an
-- estimate, never flagged late after the fact (a sweep flags only tickets still in the kitchen).
ALTER TABLE kitchen.kitchen_tickets ADD COLUMN IF NOT EXISTS priority VARCHAR(10) NOT NULL DEFAULT 'normal';
ALTER TABLE kitchen.kitchen_tickets ADD COLUMN IF NOT EXISTS estimated_ready_at TIMESTAMPTZ NULL;
-- Set once, by the sweep that raised kitchen.ticket_delayed: the guard that makes the alert one per ticket.
ALTER TABLE kitchen.kitchen_tickets ADD COLUMN IF NOT EXISTS delayed_at TIMESTAMPTZ NULL;

-- A station's own delay threshold (seconds); null: the restaurant's.
ALTER TABLE kitchen.stations ADD COLUMN IF NOT EXISTS delay_threshold_seconds INT NULL;

-- A restaurant's kitchen settings: its default delay threshold (seconds).
CREATE TABLE IF NOT EXISTS kitchen.settings (
    restaurant_id           UUID PRIMARY KEY,
    delay_threshold_seconds INT NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The sweep's look-up: tickets not yet flagged, oldest first.
CREATE INDEX IF NOT EXISTS kitchen_tickets_delay_sweep_idx ON kitchen.kitchen_tickets (created_at) WHERE delayed_at IS NULL;
