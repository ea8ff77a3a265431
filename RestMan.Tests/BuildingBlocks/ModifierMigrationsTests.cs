using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RestMan.Data;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.BuildingBlocks;

/// <summary>
/// Issue 26's migrations over a database written by the schema before them: menus, order lines, ticket lines and bill
/// lines without options read as "none", and the previous code's inserts (a service not yet upgraded) still succeed.
/// </summary>
[Trait("Category", "BuildingBlocks")]
[Collection("infrastructure")]
public sealed class ModifierMigrationsTests(InfrastructureFixture infra)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    // Each service's schema and the first migration of issue 26 in it.
    private static readonly (string Service, string Schema, string FirstNew)[] Services =
    [
        ("RestMan.Restaurants", "restaurant", "0003"),
        ("RestMan.Orders", "orders", "0011"),
        ("RestMan.Kitchen", "kitchen", "0004"),
        ("RestMan.Billing", "billing", "0008"),
    ];

    [Fact]
    public async Task Data_from_before_modifiers_reads_as_having_none_and_old_writers_keep_working()
    {
        await using var dataSource = NpgsqlDataSource.Create(await infra.CreateDatabaseAsync());
        foreach (var (service, schema, firstNew) in Services)
            await SchemaMigrator.MigrateAsync(dataSource, schema, MigrationsOf(service).Where(m => string.CompareOrdinal(m.Version, firstNew) < 0), NullLogger.Instance, Ct);

        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        var (restaurantId, foodId, orderId, ticketId, billId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await WriteAsThePreviousCodeDidAsync(connection, restaurantId, foodId, orderId, ticketId, billId, lineNo: 1);

        foreach (var (service, schema, firstNew) in Services)
        {
            var applied = await SchemaMigrator.MigrateAsync(dataSource, schema, MigrationsOf(service), NullLogger.Instance, Ct);
            applied.ShouldNotBeEmpty();
            applied.ShouldAllBe(version => string.CompareOrdinal(version, firstNew) >= 0);
        }

        // The previous code, still running during a rolling upgrade, writes as it did.
        await WriteAsThePreviousCodeDidAsync(connection, restaurantId, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), billId, lineNo: 2, newRestaurant: false);

        var food = await connection.QuerySingleAsync<(string Groups, string[] Allergens, string[] Diets)>(
            "SELECT modifier_groups::TEXT, allergens, diets FROM restaurant.foods WHERE id = @foodId", new { foodId });
        food.Groups.ShouldBe("[]");
        food.Allergens.ShouldBeEmpty();
        food.Diets.ShouldBeEmpty();
        (await connection.QuerySingleAsync<long>(
            "SELECT count(*) FROM orders.order_items WHERE order_id = @orderId AND options IS NULL AND note IS NULL", new { orderId })).ShouldBe(1);
        (await connection.QuerySingleAsync<long>(
            "SELECT count(*) FROM kitchen.kitchen_ticket_items WHERE ticket_id = @ticketId AND options IS NULL AND note IS NULL AND allergens IS NULL",
            new { ticketId })).ShouldBe(1);
        // Priority, estimates and delays (Kitchen 0007, Orders 0012): old tickets are normal, unestimated, never flagged late.
        (await connection.QuerySingleAsync<long>(
            "SELECT count(*) FROM kitchen.kitchen_tickets WHERE id = @ticketId AND priority = 'normal' AND estimated_ready_at IS NULL AND delayed_at IS NULL",
            new { ticketId })).ShouldBe(1);
        (await connection.QuerySingleAsync<long>(
            "SELECT count(*) FROM orders.orders WHERE id = @orderId AND estimated_ready_at IS NULL", new { orderId })).ShouldBe(1);
        (await connection.QueryAsync<(int LineNo, decimal? UnitPrice, string? Options)>(
                "SELECT line_no, unit_price, options::TEXT FROM billing.bill_lines WHERE bill_id = @billId ORDER BY line_no", new { billId }))
            .ShouldBe([(1, null, null), (2, null, null)]);

        // And the new code writes options beside the old lines.
        await connection.ExecuteAsync(
            """
            INSERT INTO billing.bill_lines (bill_id, line_no, food_id, food_name, quantity, line_total, removed, unit_price, options, note)
            VALUES (@billId, 3, @foodId, 'Pizza', 1, 13.00, false, 13.00, '[{"group":"Size","name":"Large","price_delta":3.00}]'::JSONB, 'well done')
            """, new { billId, foodId });
        (await connection.QuerySingleAsync<string>("SELECT options->0->>'name' FROM billing.bill_lines WHERE bill_id = @billId AND line_no = 3", new { billId }))
            .ShouldBe("Large");
    }

    /// <summary>The inserts of the code before issue 26 (their column lists as they were).</summary>
    private static async Task WriteAsThePreviousCodeDidAsync(
        NpgsqlConnection connection, Guid restaurantId, Guid foodId, Guid orderId, Guid ticketId, Guid billId, int lineNo, bool newRestaurant = true)
    {
        var at = DateTimeOffset.UtcNow;
        if (newRestaurant)
            await connection.ExecuteAsync("INSERT INTO restaurant.restaurants (id, owner_user_id, name) VALUES (@restaurantId, @owner, 'Old Trattoria')",
                new { restaurantId, owner = Guid.NewGuid() });
        await connection.ExecuteAsync(
            """
            INSERT INTO restaurant.foods (id, restaurant_id, category_id, name, description, price, is_available, created_at, updated_at)
            VALUES (@foodId, @restaurantId, NULL, 'Margherita', NULL, 12.50, true, @at, @at)
            """, new { foodId, restaurantId, at });
        await connection.ExecuteAsync(
            """
            INSERT INTO orders.orders (id, user_id, restaurant_id, order_type, status, total_price, placed_at)
            VALUES (@orderId, @user, @restaurantId, 'dine_in', 'PLACED', 12.50, @at)
            """, new { orderId, user = Guid.NewGuid(), restaurantId, at });
        await connection.ExecuteAsync(
            """
            INSERT INTO orders.order_items (order_id, line_no, food_id, food_name_snapshot, unit_price, quantity, line_total, round, created_at)
            VALUES (@orderId, 1, @foodId, 'Margherita', 12.50, 1, 12.50, 1, @at)
            """, new { orderId, foodId, at });
        await connection.ExecuteAsync(
            """
            INSERT INTO kitchen.kitchen_tickets (id, order_id, restaurant_id, order_type, notes, status, placed_at, created_at, updated_at, round)
            VALUES (@ticketId, @orderId, @restaurantId, 'dine_in', NULL, 'NEW', @at, @at, @at, 1)
            """, new { ticketId, orderId, restaurantId, at });
        await connection.ExecuteAsync(
            """
            INSERT INTO kitchen.kitchen_ticket_items (ticket_id, line_no, food_id, food_name, quantity, order_line_no)
            VALUES (@ticketId, 1, @foodId, 'Margherita', 1, 1)
            """, new { ticketId, foodId });
        if (lineNo == 1)
            await connection.ExecuteAsync(
                """
                INSERT INTO billing.bills (id, order_id, user_id, restaurant_id, subtotal, tax_rate, total_amount, generated_at)
                VALUES (@billId, @orderId, @user, @restaurantId, 12.50, 0.1, 13.75, @at)
                """, new { billId, orderId, user = Guid.NewGuid(), restaurantId, at });
        await connection.ExecuteAsync(
            """
            INSERT INTO billing.bill_lines (bill_id, line_no, food_id, food_name, quantity, line_total, removed)
            VALUES (@billId, @lineNo, @foodId, 'Margherita', 1, 12.50, false)
            """, new { billId, lineNo, foodId });
    }

    /// <summary>A service's migrations from its source folder, with their CockroachDB variants.</summary>
    private static IReadOnlyList<Migration> MigrationsOf(string service)
    {
        var folder = Path.Combine(Aspire.Hosting.LocalInfrastructure.RepositoryRoot, "services", service, "Migrations");
        var files = Directory.GetFiles(folder, "*.sql").Select(f => Path.GetFileNameWithoutExtension(f)).ToList();
        return files.Where(f => !f.EndsWith(EmbeddedMigrations.CockroachVariant, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(version => new Migration(version, File.ReadAllText(Path.Combine(folder, version + ".sql")),
                files.Contains(version + EmbeddedMigrations.CockroachVariant)
                    ? File.ReadAllText(Path.Combine(folder, version + EmbeddedMigrations.CockroachVariant + ".sql"))
                    : null))
            .ToList();
    }
}
