-- A bill PAID before Billing learnt its order was cancelled: the money is owed back, so the bill says so (refund_due).
ALTER TABLE billing.bills ADD COLUMN IF NOT EXISTS refund_due BOOL NOT NULL DEFAULT false;
