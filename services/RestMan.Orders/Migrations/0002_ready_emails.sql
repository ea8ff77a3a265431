-- Customers' email addresses, learnt from user.login_success: Orders owns no accounts but must mail its customers.
CREATE TABLE IF NOT EXISTS orders.customer_contacts (
    user_id    UUID PRIMARY KEY,
    email      VARCHAR(255) NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- "Your order is ready" emails owed to customers: written in the transaction that makes the order READY, sent after
-- it commits, retried until sent. next_attempt_at doubles as the lease of the instance sending it.
CREATE TABLE IF NOT EXISTS orders.ready_emails (
    order_id        UUID PRIMARY KEY REFERENCES orders.orders (id),
    user_id         UUID NOT NULL,
    attempts        INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      VARCHAR(500) NULL,
    sent_at         TIMESTAMPTZ NULL,
    abandoned_at    TIMESTAMPTZ NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE INDEX IF NOT EXISTS ready_emails_due_idx ON orders.ready_emails (next_attempt_at) WHERE sent_at IS NULL AND abandoned_at IS NULL;
