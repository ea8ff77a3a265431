namespace RestMan.Analytics.Schema;

/// <summary>
/// The tables of <c>restman_analytics</c>. Every table is a ReplacingMergeTree whose sorting key identifies one fact,
/// so a redelivered event rewrites its own row instead of adding one; queries read them with <c>FINAL</c>.
/// Written for ClickHouse 18.16, so the same DDL runs on current versions.
/// </summary>
public static class AnalyticsSchema
{
    public const string Orders = "orders_analytics";
    public const string OrderItems = "order_items_analytics";
    public const string OrderStatuses = "order_status_analytics";
    public const string OrderPayments = "order_payments_analytics";
    public const string MenuFoods = "menu_foods_analytics";
    public const string MenuCategories = "menu_categories_analytics";
    public const string TableVisits = "table_visits_analytics";
    public const string Reservations = "reservations_analytics";
    public const string Payments = "payments_analytics";
    public const string Refunds = "refunds_analytics";
    public const string OrderItemOptions = "order_item_options_analytics";
    public const string KitchenDelays = "kitchen_delays_analytics";

    /// <summary>
    /// Columns added to a table after it first shipped, applied when missing (18.16 has no <c>ADD COLUMN IF NOT
    /// EXISTS</c>); rows written before read the type's default.
    /// </summary>
    public static IReadOnlyList<AddedColumn> AddedColumns { get; } =
    [
        // The reservation a party was seated from (zero for a walk-in); visits recorded before it read as walk-ins.
        new(TableVisits, "reservation_id", "UUID"),
    ];

    public static IReadOnlyList<string> CreateStatements { get; } =
    [
        // An order as placed: facts that never change afterwards.
        $"""
        CREATE TABLE IF NOT EXISTS {Orders} (
            event_date Date,
            event_timestamp DateTime('UTC'),
            order_id UUID,
            user_id UUID,
            restaurant_id UUID,
            order_type String,
            total_price Decimal(12, 2),
            placed_at DateTime('UTC')
        ) ENGINE = ReplacingMergeTree
        PARTITION BY toYYYYMM(event_date)
        ORDER BY (event_date, restaurant_id, order_id)
        """,

        // One row per order line; line_number (the item's position in order.placed) keeps two lines of one food apart.
        $"""
        CREATE TABLE IF NOT EXISTS {OrderItems} (
            event_date Date,
            event_timestamp DateTime('UTC'),
            order_id UUID,
            line_number UInt16,
            restaurant_id UUID,
            food_id UUID,
            food_name String,
            quantity UInt32,
            unit_price Decimal(12, 2),
            line_total Decimal(12, 2),
            order_type String,
            placed_at DateTime('UTC')
        ) ENGINE = ReplacingMergeTree
        PARTITION BY toYYYYMM(event_date)
        ORDER BY (event_date, restaurant_id, food_id, order_id, line_number)
        """,

        // Latest status per order: the row with the highest version (the change's time in microseconds) wins.
        $"""
        CREATE TABLE IF NOT EXISTS {OrderStatuses} (
            order_id UUID,
            status String,
            status_at DateTime('UTC'),
            version UInt64
        ) ENGINE = ReplacingMergeTree(version)
        ORDER BY order_id
        """,

        $"""
        CREATE TABLE IF NOT EXISTS {OrderPayments} (
            order_id UUID,
            bill_id UUID,
            restaurant_id UUID,
            payment_status String,
            payment_method String,
            paid_amount Decimal(12, 2),
            paid_at DateTime('UTC'),
            version UInt64
        ) ENGINE = ReplacingMergeTree(version)
        ORDER BY order_id
        """,

        // The menu as last announced, for category names; versioned by the event's timestamp.
        $"""
        CREATE TABLE IF NOT EXISTS {MenuFoods} (
            restaurant_id UUID,
            food_id UUID,
            category_id UUID,
            category_name String,
            name String,
            price Decimal(12, 2),
            is_available UInt8,
            is_deleted UInt8,
            version UInt64
        ) ENGINE = ReplacingMergeTree(version)
        ORDER BY (restaurant_id, food_id)
        """,

        $"""
        CREATE TABLE IF NOT EXISTS {MenuCategories} (
            restaurant_id UUID,
            category_id UUID,
            name String,
            is_deleted UInt8,
            version UInt64
        ) ENGINE = ReplacingMergeTree(version)
        ORDER BY (restaurant_id, category_id)
        """,

        // A party seated at a table (a table order opened): its guests and when; paid_at comes from the payments.
        $"""
        CREATE TABLE IF NOT EXISTS {TableVisits} (
            event_date Date,
            restaurant_id UUID,
            order_id UUID,
            table_id UUID,
            covers UInt16,
            seated_at DateTime('UTC'),
            reservation_id UUID
        ) ENGINE = ReplacingMergeTree
        PARTITION BY toYYYYMM(event_date)
        ORDER BY (event_date, restaurant_id, order_id)
        """,

        // A reservation by the day it is for, in its latest state: each event's own time is its version, so the
        // outcome (seated, cancelled, no-show) replaces the booking and a redelivery rewrites its own row.
        $"""
        CREATE TABLE IF NOT EXISTS {Reservations} (
            event_date Date,
            restaurant_id UUID,
            reservation_id UUID,
            status String,
            party_size UInt16,
            version UInt64
        ) ENGINE = ReplacingMergeTree(version)
        PARTITION BY toYYYYMM(event_date)
        ORDER BY (event_date, restaurant_id, reservation_id)
        """,

        // A payment captured towards a bill (payment.completed): its method, the amount towards the bill and the tip.
        $"""
        CREATE TABLE IF NOT EXISTS {Payments} (
            event_date Date,
            restaurant_id UUID,
            order_id UUID,
            payment_id UUID,
            method String,
            amount Decimal(12, 2),
            tip Decimal(12, 2),
            completed_at DateTime('UTC')
        ) ENGINE = ReplacingMergeTree
        PARTITION BY toYYYYMM(event_date)
        ORDER BY (event_date, restaurant_id, payment_id)
        """,

        // Money given back through one payment by a refund (refund.issued), by the day it was refunded.
        $"""
        CREATE TABLE IF NOT EXISTS {Refunds} (
            event_date Date,
            restaurant_id UUID,
            order_id UUID,
            refund_id UUID,
            payment_id UUID,
            method String,
            amount Decimal(12, 2),
            refunded_at DateTime('UTC')
        ) ENGINE = ReplacingMergeTree
        PARTITION BY toYYYYMM(event_date)
        ORDER BY (event_date, restaurant_id, refund_id, payment_id)
        """,

        // A modifier option chosen on an order line (order.placed): how many were ordered, and what it added in all.
        $"""
        CREATE TABLE IF NOT EXISTS {OrderItemOptions} (
            event_date Date,
            restaurant_id UUID,
            order_id UUID,
            line_number UInt16,
            option_id UUID,
            group_name String,
            option_name String,
            quantity UInt32,
            delta_total Decimal(12, 2)
        ) ENGINE = ReplacingMergeTree
        PARTITION BY toYYYYMM(event_date)
        ORDER BY (event_date, restaurant_id, order_id, line_number, option_id)
        """,

        // A kitchen ticket found late (kitchen.ticket_delayed): one row per ticket, by the day it became late.
        $"""
        CREATE TABLE IF NOT EXISTS {KitchenDelays} (
            event_date Date,
            restaurant_id UUID,
            ticket_id UUID,
            order_id UUID,
            station_id UUID,
            station_name String,
            threshold_seconds UInt32,
            opened_at DateTime('UTC'),
            delayed_at DateTime('UTC')
        ) ENGINE = ReplacingMergeTree
        PARTITION BY toYYYYMM(event_date)
        ORDER BY (event_date, restaurant_id, ticket_id)
        """,
    ];
}

/// <summary>A column a table gained after it first shipped.</summary>
public sealed record AddedColumn(string Table, string Column, string Type);
