-- Item-level work (issue 26): each ticket line is started and bumped on its own; the ticket is READY when all are.
ALTER TABLE kitchen.kitchen_ticket_items ADD COLUMN IF NOT EXISTS started_at TIMESTAMPTZ NULL;
ALTER TABLE kitchen.kitchen_ticket_items ADD COLUMN IF NOT EXISTS bumped_at TIMESTAMPTZ NULL;

-- Stations (issue 26): an order's round is split into one ticket per station. Tickets from before, and tickets of a
-- restaurant without stations, are the whole kitchen's: the nil station.
ALTER TABLE kitchen.kitchen_tickets ADD COLUMN IF NOT EXISTS station_id UUID NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
ALTER TABLE kitchen.kitchen_tickets ADD COLUMN IF NOT EXISTS station_name VARCHAR(60) NULL;
