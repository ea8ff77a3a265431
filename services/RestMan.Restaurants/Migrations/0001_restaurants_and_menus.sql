-- Restaurants and their menus (seed 000), with money as DECIMAL(12,2) and soft deletes so orders keep their history.
CREATE TABLE IF NOT EXISTS restaurant.restaurants (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_user_id UUID NOT NULL,
    name          VARCHAR(255) NOT NULL,
    address       TEXT NULL,
    phone         VARCHAR(20) NULL,
    -- An inactive restaurant is hidden from the public and cannot take orders; its owner still manages it.
    is_active     BOOLEAN NOT NULL DEFAULT true,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS restaurants_owner_idx ON restaurant.restaurants (owner_user_id);
CREATE INDEX IF NOT EXISTS restaurants_active_name_idx ON restaurant.restaurants (name, id) WHERE is_active;

CREATE TABLE IF NOT EXISTS restaurant.food_categories (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    restaurant_id UUID NOT NULL REFERENCES restaurant.restaurants (id),
    name          VARCHAR(255) NOT NULL,
    description   TEXT NULL,
    display_order INT4 NOT NULL DEFAULT 0,
    -- Soft delete: deleted foods still point at their category, and analytics still knows its name.
    deleted_at    TIMESTAMPTZ NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS food_categories_restaurant_idx ON restaurant.food_categories (restaurant_id, display_order);

CREATE TABLE IF NOT EXISTS restaurant.foods (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    restaurant_id UUID NOT NULL REFERENCES restaurant.restaurants (id),
    category_id   UUID NULL REFERENCES restaurant.food_categories (id),
    name          VARCHAR(255) NOT NULL,
    description   TEXT NULL,
    price         DECIMAL(12, 2) NOT NULL CHECK (price > 0),
    is_available  BOOLEAN NOT NULL DEFAULT true,
    -- Soft delete: orders placed earlier still resolve the food; it is never available again.
    deleted_at    TIMESTAMPTZ NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS foods_restaurant_idx ON restaurant.foods (restaurant_id);
CREATE INDEX IF NOT EXISTS foods_category_idx ON restaurant.foods (category_id) WHERE deleted_at IS NULL;
