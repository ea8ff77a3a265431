-- Refunds (issue 27): the owner gives money back to the payments it came from, in full or in part. A bill whose
-- refunds give back part of what was paid is PARTIALLY_REFUNDED, all of it REFUNDED; amount_refunded is their sum.
ALTER TABLE billing.bills DROP CONSTRAINT IF EXISTS bills_status_known;
ALTER TABLE billing.bills ADD CONSTRAINT bills_status_known
    CHECK (status IN ('PENDING', 'PARTIALLY_PAID', 'PAID', 'VOID', 'PARTIALLY_REFUNDED', 'REFUNDED'));
ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS amount_refunded DECIMAL(12,2) NOT NULL DEFAULT 0;

-- One refund asked for: its amount, why, who; pending until every payment it takes from has answered.
-- idempotency_key is the caller's, one refund per key per bill.
CREATE TABLE IF NOT EXISTS billing.refunds (
    id              UUID PRIMARY KEY,
    bill_id         UUID NOT NULL REFERENCES billing.bills (id),
    order_id        UUID NOT NULL,
    restaurant_id   UUID NOT NULL,
    amount          DECIMAL(12,2) NOT NULL CHECK (amount > 0),
    status          VARCHAR(20) NOT NULL CHECK (status IN ('pending', 'issued', 'failed')),
    reason          VARCHAR(200) NULL,
    idempotency_key VARCHAR(255) NULL,
    fingerprint     VARCHAR(64) NULL,
    refunded_by     UUID NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    issued_at       TIMESTAMPTZ NULL,
    CONSTRAINT refunds_one_per_key UNIQUE (bill_id, idempotency_key)
);
CREATE INDEX IF NOT EXISTS refunds_bill_idx ON billing.refunds (bill_id, created_at);
CREATE INDEX IF NOT EXISTS refunds_pending_idx ON billing.refunds (status, updated_at);

-- What a refund gives back through one payment: by the provider (provider_reference, RestMan's key for the refund at
-- the provider, so a repeated call refunds once) or by hand (cash, money taken outside RestMan: refunded as recorded).
CREATE TABLE IF NOT EXISTS billing.refund_payments (
    refund_id          UUID NOT NULL REFERENCES billing.refunds (id),
    payment_id         UUID NOT NULL REFERENCES billing.payments (id),
    method             VARCHAR(20) NOT NULL,
    amount             DECIMAL(12,2) NOT NULL CHECK (amount > 0),
    status             VARCHAR(20) NOT NULL CHECK (status IN ('pending', 'refunded', 'failed')),
    provider_reference VARCHAR(64) NULL,
    failure_reason     VARCHAR(200) NULL,
    PRIMARY KEY (refund_id, payment_id)
);
CREATE INDEX IF NOT EXISTS refund_payments_payment_idx ON billing.refund_payments (payment_id);
