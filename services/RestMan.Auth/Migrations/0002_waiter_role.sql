-- Waiters (issue 25) are staff bound to one restaurant like kitchen staff. The role check was unnamed: PostgreSQL
-- calls it users_role_check, CockroachDB check_role; both names are dropped so either database takes the new rule.
ALTER TABLE auth.users DROP CONSTRAINT IF EXISTS users_role_check;
ALTER TABLE auth.users DROP CONSTRAINT IF EXISTS check_role;
ALTER TABLE auth.users DROP CONSTRAINT IF EXISTS users_role_known;
ALTER TABLE auth.users ADD CONSTRAINT users_role_known CHECK (role IN ('user', 'rest', 'kitch', 'waiter'));
ALTER TABLE auth.users DROP CONSTRAINT IF EXISTS users_restaurant_only_for_staff;
ALTER TABLE auth.users ADD CONSTRAINT users_restaurant_only_for_staff CHECK (role IN ('kitch', 'waiter') OR restaurant_id IS NULL);
