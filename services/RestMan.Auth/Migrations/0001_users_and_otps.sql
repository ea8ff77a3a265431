-- Accounts (seed 000), plus the restaurant a kitchen-staff account is bound to.
CREATE TABLE IF NOT EXISTS auth.users (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email            VARCHAR(255) NOT NULL UNIQUE,
    role             VARCHAR(20) NOT NULL CHECK (role IN ('user', 'rest', 'kitch')),
    is_active        BOOLEAN NOT NULL DEFAULT false,
    restaurant_id    UUID NULL,
    last_verified_at TIMESTAMPTZ NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Only kitchen staff belong to a restaurant; owners own theirs in the Restaurants service.
    CONSTRAINT users_restaurant_only_for_staff CHECK (role = 'kitch' OR restaurant_id IS NULL)
);

-- The scheduler's idle-customer sweep reads exactly these rows.
CREATE INDEX IF NOT EXISTS users_active_customers_idx ON auth.users (last_verified_at) WHERE role = 'user' AND is_active;
CREATE INDEX IF NOT EXISTS users_restaurant_idx ON auth.users (restaurant_id) WHERE restaurant_id IS NOT NULL;

-- Every code ever issued, for audit: only its keyed hash is kept, never the code.
CREATE TABLE IF NOT EXISTS auth.otps (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email          VARCHAR(255) NOT NULL,
    code_hash      VARCHAR(64) NOT NULL,
    requested_role VARCHAR(20) NOT NULL,
    client_address VARCHAR(64) NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    consumed       BOOLEAN NOT NULL DEFAULT false,
    consumed_at    TIMESTAMPTZ NULL,
    purpose        VARCHAR(50) NOT NULL DEFAULT 'login',
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS otps_email_idx ON auth.otps (email, created_at);
