-- Payments (issue 27): a bill is paid by one or more payments, each its own record; PARTIALLY_PAID while some of it is.
-- The methods are cash, card, qr and e_wallet: the first implementation's upi and wallet are moved to qr and e_wallet.
ALTER TABLE billing.bills DROP CONSTRAINT IF EXISTS bills_status_check;
ALTER TABLE billing.bills DROP CONSTRAINT IF EXISTS check_status;
ALTER TABLE billing.bills DROP CONSTRAINT IF EXISTS bills_payment_method_check;
ALTER TABLE billing.bills DROP CONSTRAINT IF EXISTS check_payment_method;
UPDATE billing.bills SET payment_method = 'qr' WHERE payment_method = 'upi';
UPDATE billing.bills SET payment_method = 'e_wallet' WHERE payment_method = 'wallet';
ALTER TABLE billing.bills ADD CONSTRAINT bills_status_known CHECK (status IN ('PENDING', 'PARTIALLY_PAID', 'PAID', 'VOID'));
ALTER TABLE billing.bills ADD CONSTRAINT bills_payment_method_known CHECK (payment_method IN ('cash', 'card', 'qr', 'e_wallet'));
-- What the captured payments paid towards the total, and their tips on top. A bill paid before payments existed was
-- paid whole: it gets its amount here, and its payment below.
ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS amount_paid DECIMAL(12,2) NOT NULL DEFAULT 0;
ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS tip_amount DECIMAL(12,2) NOT NULL DEFAULT 0;

-- One payment towards a bill. provider_reference is RestMan's reference for the charge at the payment provider (null
-- for cash): the provider charges at most once per reference and answers its status by it, so a timed-out charge is
-- reconciled, never repeated. idempotency_key is the caller's key, one payment per key per bill.
CREATE TABLE IF NOT EXISTS billing.payments (
    id                  UUID PRIMARY KEY,
    bill_id             UUID NOT NULL REFERENCES billing.bills (id),
    order_id            UUID NOT NULL,
    restaurant_id       UUID NOT NULL,
    amount              DECIMAL(12,2) NOT NULL CHECK (amount > 0),
    tip                 DECIMAL(12,2) NOT NULL DEFAULT 0 CHECK (tip >= 0),
    method              VARCHAR(20) NOT NULL CHECK (method IN ('cash', 'card', 'qr', 'e_wallet')),
    status              VARCHAR(20) NOT NULL CHECK (status IN ('pending', 'authorized', 'captured', 'failed', 'refunded')),
    provider_reference  VARCHAR(64) NULL,
    failure_reason      VARCHAR(200) NULL,
    idempotency_key     VARCHAR(255) NULL,
    fingerprint         VARCHAR(64) NULL,
    capture_key         VARCHAR(255) NULL,
    capture_requested_at TIMESTAMPTZ NULL,
    taken_by            UUID NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    captured_at         TIMESTAMPTZ NULL,
    CONSTRAINT payments_one_per_key UNIQUE (bill_id, idempotency_key),
    CONSTRAINT payments_one_per_reference UNIQUE (provider_reference)
);
CREATE INDEX IF NOT EXISTS payments_bill_idx ON billing.payments (bill_id, created_at);
-- The reconciler's look: payments still waiting on the provider.
CREATE INDEX IF NOT EXISTS payments_unsettled_idx ON billing.payments (status, updated_at);
