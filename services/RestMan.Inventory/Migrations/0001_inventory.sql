-- What a restaurant keeps in its store room, and every movement of it: on_hand and reserved are the ledger's sums,
-- kept beside it in the same transaction so a read needs no aggregation.
CREATE TABLE IF NOT EXISTS inventory.stock_items (
    id             UUID PRIMARY KEY,
    restaurant_id  UUID NOT NULL,
    name           VARCHAR(120) NOT NULL,
    sku            VARCHAR(60) NOT NULL,
    unit           VARCHAR(10) NOT NULL,
    on_hand        NUMERIC(14,3) NOT NULL DEFAULT 0,
    reserved       NUMERIC(14,3) NOT NULL DEFAULT 0,
    minimum        NUMERIC(14,3) NOT NULL DEFAULT 0,
    reorder_level  NUMERIC(14,3) NOT NULL DEFAULT 0,
    unit_cost      NUMERIC(12,4) NOT NULL DEFAULT 0,
    supplier_id    UUID NULL,
    lead_time_days INT NOT NULL DEFAULT 2,
    low_alerted    BOOLEAN NOT NULL DEFAULT false,
    depleted       BOOLEAN NOT NULL DEFAULT false,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    CONSTRAINT stock_items_sku_per_restaurant UNIQUE (restaurant_id, sku)
);

CREATE TABLE IF NOT EXISTS inventory.stock_movements (
    id                UUID PRIMARY KEY,
    stock_item_id     UUID NOT NULL,
    restaurant_id     UUID NOT NULL,
    kind              VARCHAR(20) NOT NULL,
    on_hand_change    NUMERIC(14,3) NOT NULL,
    reserved_change   NUMERIC(14,3) NOT NULL,
    unit_cost         NUMERIC(12,4) NOT NULL,
    reason            VARCHAR(200) NULL,
    order_id          UUID NULL,
    food_id           UUID NULL,
    purchase_order_id UUID NULL,
    actor_user_id     UUID NULL,
    at                TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS stock_movements_item_at ON inventory.stock_movements (stock_item_id, at);
CREATE INDEX IF NOT EXISTS stock_movements_restaurant_at ON inventory.stock_movements (restaurant_id, at);

-- A food's recipe (option_id nil) and what each modifier option adds, per portion.
CREATE TABLE IF NOT EXISTS inventory.recipe_lines (
    food_id       UUID NOT NULL,
    option_id     UUID NOT NULL,
    stock_item_id UUID NOT NULL,
    restaurant_id UUID NOT NULL,
    quantity      NUMERIC(14,3) NOT NULL,
    PRIMARY KEY (food_id, option_id, stock_item_id)
);
CREATE INDEX IF NOT EXISTS recipe_lines_stock_item ON inventory.recipe_lines (stock_item_id);

-- What each order line holds of each item: reserved when placed, consumed when completed, released when cancelled.
CREATE TABLE IF NOT EXISTS inventory.order_stock (
    order_id      UUID NOT NULL,
    line_no       INT NOT NULL,
    stock_item_id UUID NOT NULL,
    restaurant_id UUID NOT NULL,
    food_id       UUID NOT NULL,
    quantity      NUMERIC(14,3) NOT NULL,
    state         VARCHAR(10) NOT NULL,
    PRIMARY KEY (order_id, line_no, stock_item_id)
);

-- Whether each food with a recipe was last announced sold out, so a change is announced once.
CREATE TABLE IF NOT EXISTS inventory.food_availability (
    food_id       UUID PRIMARY KEY,
    restaurant_id UUID NOT NULL,
    sold_out      BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS inventory.suppliers (
    id            UUID PRIMARY KEY,
    restaurant_id UUID NOT NULL,
    name          VARCHAR(120) NOT NULL,
    contact_name  VARCHAR(120) NULL,
    email         VARCHAR(254) NULL,
    phone         VARCHAR(40) NULL,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS inventory.purchase_orders (
    id            UUID PRIMARY KEY,
    restaurant_id UUID NOT NULL,
    supplier_id   UUID NOT NULL,
    status        VARCHAR(20) NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    sent_at       TIMESTAMPTZ NULL,
    received_at   TIMESTAMPTZ NULL
);

CREATE TABLE IF NOT EXISTS inventory.purchase_order_lines (
    purchase_order_id UUID NOT NULL,
    stock_item_id     UUID NOT NULL,
    quantity          NUMERIC(14,3) NOT NULL,
    unit_cost         NUMERIC(12,4) NOT NULL,
    received          NUMERIC(14,3) NOT NULL DEFAULT 0,
    PRIMARY KEY (purchase_order_id, stock_item_id)
);
