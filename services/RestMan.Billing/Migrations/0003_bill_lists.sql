-- Bills by customer and by restaurant (GET /billing/users/{id}, GET /billing/restaurants/{id}), newest first.
CREATE INDEX IF NOT EXISTS bills_user_generated_idx ON billing.bills (user_id, generated_at DESC);
CREATE INDEX IF NOT EXISTS bills_restaurant_generated_idx ON billing.bills (restaurant_id, generated_at DESC);
