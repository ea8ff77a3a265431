-- Issue 27: the bill's lines (from the order's events) so it can be split by items; parts of a split bill; the service
-- charge and tax per restaurant; discounts by code or by the staff with a reason. Existing bills keep their amounts:
-- no service charge, no discount, the tax rate they were made with.
CREATE TABLE IF NOT EXISTS billing.bill_lines (
    bill_id     UUID NOT NULL REFERENCES billing.bills (id),
    line_no     INT NOT NULL,
    food_id     UUID NOT NULL,
    food_name   VARCHAR(200) NOT NULL,
    quantity    INT NOT NULL,
    line_total  DECIMAL(12,2) NOT NULL,
    removed     BOOL NOT NULL DEFAULT false,
    PRIMARY KEY (bill_id, line_no)
);

-- One part of a split bill: its share of the total, and the lines it pays for when split by items.
CREATE TABLE IF NOT EXISTS billing.bill_parts (
    bill_id     UUID NOT NULL REFERENCES billing.bills (id),
    part_no     INT NOT NULL,
    amount      DECIMAL(12,2) NOT NULL CHECK (amount >= 0),
    line_nos    INT[] NULL,
    PRIMARY KEY (bill_id, part_no)
);
ALTER TABLE billing.payments ADD COLUMN IF NOT EXISTS part_no INT NULL;

ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS covers INT NULL;
ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS service_charge_rate DECIMAL(6,4) NOT NULL DEFAULT 0;
ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS service_charge_min_covers INT NULL;
ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS service_charge_amount DECIMAL(12,2) NOT NULL DEFAULT 0;
ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS discount_code VARCHAR(40) NULL;
ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS discount_kind VARCHAR(10) NULL;
ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS discount_value DECIMAL(12,2) NULL;
ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS discount_reason VARCHAR(200) NULL;
ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS split_kind VARCHAR(10) NULL;

-- The owner's rates for new bills; a restaurant without a row has the configured tax rate (Billing:TaxRate) and no
-- service charge.
CREATE TABLE IF NOT EXISTS billing.restaurant_charges (
    restaurant_id              UUID PRIMARY KEY,
    tax_rate                   DECIMAL(6,4) NOT NULL CHECK (tax_rate >= 0 AND tax_rate < 1),
    service_charge_rate        DECIMAL(6,4) NOT NULL DEFAULT 0 CHECK (service_charge_rate >= 0 AND service_charge_rate < 1),
    service_charge_min_covers  INT NULL,
    updated_at                 TIMESTAMPTZ NOT NULL
);

-- Discount codes of a restaurant; uses never passes max_uses (the row is locked while a use is counted).
CREATE TABLE IF NOT EXISTS billing.discount_codes (
    id            UUID PRIMARY KEY,
    restaurant_id UUID NOT NULL,
    code          VARCHAR(40) NOT NULL,
    kind          VARCHAR(10) NOT NULL CHECK (kind IN ('percent', 'fixed')),
    value         DECIMAL(12,2) NOT NULL CHECK (value > 0),
    valid_from    TIMESTAMPTZ NULL,
    valid_until   TIMESTAMPTZ NULL,
    min_spend     DECIMAL(12,2) NOT NULL DEFAULT 0,
    max_uses      INT NULL,
    uses          INT NOT NULL DEFAULT 0,
    created_at    TIMESTAMPTZ NOT NULL,
    CONSTRAINT discount_codes_one_per_restaurant UNIQUE (restaurant_id, code),
    CONSTRAINT discount_codes_uses_within_max CHECK (max_uses IS NULL OR uses <= max_uses)
);
