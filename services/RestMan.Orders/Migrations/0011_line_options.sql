-- Issue 26: a line's chosen modifier options (id, group, name, price delta, as JSON) and the guest's note for the kitchen.
-- Lines from before have neither: NULL reads as no options.
ALTER TABLE orders.order_items ADD COLUMN IF NOT EXISTS options JSONB NULL;
ALTER TABLE orders.order_items ADD COLUMN IF NOT EXISTS note VARCHAR(200) NULL;
