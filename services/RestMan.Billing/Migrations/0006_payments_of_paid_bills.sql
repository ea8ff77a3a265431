-- Separate from 0005: CockroachDB fills columns added in an earlier transaction, not the same one.
-- Bills paid before payments existed: one captured payment each for their total, so their sums agree.
INSERT INTO billing.payments (id, bill_id, order_id, restaurant_id, amount, tip, method, status, created_at, updated_at, captured_at)
SELECT gen_random_uuid(), b.id, b.order_id, b.restaurant_id, b.total_amount, 0, b.payment_method, 'captured', b.paid_at, b.paid_at, b.paid_at
FROM billing.bills b
WHERE b.status = 'PAID' AND b.total_amount > 0 AND NOT EXISTS (SELECT 1 FROM billing.payments p WHERE p.bill_id = b.id);
UPDATE billing.bills SET amount_paid = total_amount WHERE status = 'PAID' AND amount_paid = 0;
