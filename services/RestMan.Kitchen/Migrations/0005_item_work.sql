-- Item-level work (issue 26): each ticket line is started and bumped on its own; the ticket is READY when all are.
ALTER TABLE kitchen.kitchen_ticket_items ADD COLUMN IF NOT EXISTS started_at TIMESTAMPTZ NULL;
ALTER TABLE kitchen.kitchen_ticket_items ADD COLUMN IF NOT EXISTS bumped_at TIMESTAMPTZ NULL;
