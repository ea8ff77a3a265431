-- Table orders (issue 25): a bill grows with each round and shrinks with a removed line while PENDING. total_as_of is the
-- order's time of the total last applied, so a late, older total never overwrites a newer one. order_number is the
-- short number the order is called by, printed on the bill.
ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS total_as_of TIMESTAMPTZ NULL;
ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS order_number VARCHAR(12) NULL;
