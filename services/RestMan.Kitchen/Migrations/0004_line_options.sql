-- Issue 26: what the cook must see on a line: the options chosen (group and name, as JSON), the guest's note and the
-- food's allergens (JSON list). Lines from before have none.
ALTER TABLE kitchen.kitchen_ticket_items ADD COLUMN IF NOT EXISTS options JSONB NULL;
ALTER TABLE kitchen.kitchen_ticket_items ADD COLUMN IF NOT EXISTS note VARCHAR(200) NULL;
ALTER TABLE kitchen.kitchen_ticket_items ADD COLUMN IF NOT EXISTS allergens JSONB NULL;
