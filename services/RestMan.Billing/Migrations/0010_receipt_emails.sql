-- Receipts emailed on request (issue 27): one row per request, written before the answer and sent after it by the
-- receipt email sender, retried with backoff while the mail relay is away. idempotency_key is the caller's: one
-- email per key per bill, however often the request is repeated.
CREATE TABLE IF NOT EXISTS billing.receipt_emails (
    id              UUID PRIMARY KEY,
    bill_id         UUID NOT NULL REFERENCES billing.bills (id),
    email           VARCHAR(254) NOT NULL,
    idempotency_key VARCHAR(255) NULL,
    fingerprint     VARCHAR(64) NULL,
    requested_by    UUID NULL,
    attempts        INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      VARCHAR(500) NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ NULL,
    abandoned_at    TIMESTAMPTZ NULL,
    CONSTRAINT receipt_emails_one_per_key UNIQUE (bill_id, idempotency_key)
);
CREATE INDEX IF NOT EXISTS receipt_emails_due_idx ON billing.receipt_emails (next_attempt_at) WHERE sent_at IS NULL AND abandoned_at IS NULL;
