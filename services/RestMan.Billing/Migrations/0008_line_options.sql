-- Issue 26: a bill line shows the unit price and the modifier options it was ordered with (group, name, price delta, as
-- JSON) and the guest's note. Lines from before have none (NULL).
ALTER TABLE billing.bill_lines ADD COLUMN IF NOT EXISTS unit_price DECIMAL(12,2) NULL;
ALTER TABLE billing.bill_lines ADD COLUMN IF NOT EXISTS options JSONB NULL;
ALTER TABLE billing.bill_lines ADD COLUMN IF NOT EXISTS note VARCHAR(200) NULL;
