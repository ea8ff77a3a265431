-- CockroachDB's variant of 0006_stations.sql: it names an index by its table (and drops it with CASCADE).
-- A restaurant's stations (grill, fryer, drinks…): the categories and foods routed to each; unrouted lines go to the
-- default station (or, without one, to the whole kitchen's ticket).
CREATE TABLE IF NOT EXISTS kitchen.stations (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    restaurant_id UUID NOT NULL,
    name          VARCHAR(60) NOT NULL,
    is_default    BOOLEAN NOT NULL DEFAULT false,
    category_ids  UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
    food_ids      UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT stations_name_per_restaurant UNIQUE (restaurant_id, name)
);

-- The menu's category of each food, from menu.events: what routes a line by its category (order lines carry the food only).
CREATE TABLE IF NOT EXISTS kitchen.menu_foods (
    food_id       UUID PRIMARY KEY,
    restaurant_id UUID NOT NULL,
    category_id   UUID NULL
);

-- One ticket per (order, round, station). The new key first, so no moment is without a guard.
CREATE UNIQUE INDEX IF NOT EXISTS kitchen_tickets_order_round_station_key ON kitchen.kitchen_tickets (order_id, round, station_id);
DROP INDEX IF EXISTS kitchen.kitchen_tickets@kitchen_tickets_order_round_key CASCADE;
