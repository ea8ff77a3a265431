-- Bills (seed 000) with money as DECIMAL(12,2), the tax rate they were computed with, and VOID for cancelled orders.
-- One bill per order, whatever the redeliveries: the unique order_id is the last word even if an event id differs.
CREATE TABLE IF NOT EXISTS billing.bills (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id        UUID NOT NULL,
    user_id         UUID NOT NULL,
    restaurant_id   UUID NOT NULL,
    subtotal        DECIMAL(12,2) NOT NULL CHECK (subtotal >= 0),
    tax_rate        DECIMAL(6,4) NOT NULL,
    tax_amount      DECIMAL(12,2) NOT NULL DEFAULT 0,
    discount_amount DECIMAL(12,2) NOT NULL DEFAULT 0,
    total_amount    DECIMAL(12,2) NOT NULL CHECK (total_amount >= 0),
    status          VARCHAR(20) NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'PAID', 'VOID')),
    payment_method  VARCHAR(20) NULL CHECK (payment_method IN ('cash', 'card', 'upi', 'wallet')),
    generated_at    TIMESTAMPTZ NOT NULL,
    paid_at         TIMESTAMPTZ NULL,
    voided_at       TIMESTAMPTZ NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT bills_one_per_order UNIQUE (order_id),
    CONSTRAINT bills_paid_has_payment CHECK (status <> 'PAID' OR (payment_method IS NOT NULL AND paid_at IS NOT NULL))
);
