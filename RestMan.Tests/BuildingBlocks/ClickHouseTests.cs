using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using RestMan.ClickHouse;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.BuildingBlocks;

[Trait("Category", "BuildingBlocks")]
[Collection("infrastructure")]
public sealed class ClickHouseTests(InfrastructureFixture infra) : IAsyncLifetime, IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static readonly string[] Hostile =
    [
        "it's \"quoted\"",
        @"back\slash, double \\ and trailing \",
        "line one\nline two\r\nline three",
        "tab\tseparated\tvalues",
        "café 日本語 Ünïcödé 🍕🧑‍🍳",
        "nul\0byte and \u0001\u001f\u007f controls",
        "' OR 1=1 --",
        @"\'; DROP TABLE x; --",
        "'); DROP TABLE orders_analytics; --",
        "",
    ];

    public static TheoryData<string> HostileStrings => new(Hostile);

    private readonly HttpClient _http = new();
    private readonly List<string> _tables = [];
    private ClickHouseClient _clickHouse = null!;

    private sealed record TextRow(uint Id, string Text);

    private sealed record OrderRow(
        Guid OrderId, DateTime PlacedAt, DateOnly OrderDay, decimal Total, long Adjustment, ulong Sequence, bool IsDelivery, string? Notes);

    private sealed record CountRow(ulong Matches);

    private sealed record EchoRow(string Echo);

    public Task InitializeAsync()
    {
        _clickHouse = new ClickHouseClient(_http, ClickHouseConnectionSettings.Parse(infra.ClickHouseConnectionString));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var table in _tables)
        {
            await _clickHouse.ExecuteAsync($"DROP TABLE IF EXISTS {table}", Ct);
        }
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Strings_round_trip_unchanged_through_insert_and_query()
    {
        var table = await CreateTextTableAsync();
        var rows = Hostile.Select((text, index) => new TextRow((uint)index, text)).ToList();

        await _clickHouse.InsertAsync(table, rows, Ct);
        var readBack = await _clickHouse.QueryAsync<TextRow>($"SELECT id, text FROM {table} ORDER BY id", Ct);

        readBack.ShouldBe(rows);
    }

    [Theory]
    [MemberData(nameof(HostileStrings))]
    public async Task A_string_literal_is_one_value_whatever_it_contains(string value)
    {
        var table = await CreateTextTableAsync();
        await _clickHouse.InsertAsync(table, [new TextRow(1, value), new TextRow(2, "someone else's row")], Ct);

        var echo = await _clickHouse.QueryAsync<EchoRow>($"SELECT {ClickHouseSql.Literal(value)} AS echo", Ct);
        var matches = await _clickHouse.QueryAsync<CountRow>(
            $"SELECT count() AS matches FROM {table} WHERE text = {ClickHouseSql.Literal(value)}", Ct);

        echo.Single().Echo.ShouldBe(value);
        matches.Single().Matches.ShouldBe(1UL, "the literal matched exactly its own row, not every row");
    }

    [Fact]
    public async Task Injection_through_a_value_stays_a_value_and_the_table_survives()
    {
        var table = await CreateTextTableAsync();
        await _clickHouse.InsertAsync(table, [new TextRow(1, "Margherita")], Ct);
        string[] attacks = ["' OR 1=1 --", @"\'; DROP TABLE " + table + "; --", "x' OR '1'='1", "'; DROP TABLE " + table + "; SELECT '"];

        foreach (var attack in attacks)
        {
            var found = await _clickHouse.QueryAsync<TextRow>(
                $"SELECT id, text FROM {table} WHERE text = {ClickHouseSql.Literal(attack)}", Ct);
            found.ShouldBeEmpty($"'{attack}' must be compared as a value, never run as SQL");
            await _clickHouse.ExecuteAsync($"INSERT INTO {table} (id, text) VALUES (2, {ClickHouseSql.Literal(attack)})", Ct);
        }

        var stored = await _clickHouse.QueryAsync<TextRow>($"SELECT id, text FROM {table} WHERE id = 2 ORDER BY text", Ct);
        stored.Select(row => row.Text).ShouldBe(attacks, ignoreOrder: true);
        var exists = await _clickHouse.QueryAsync<CountRow>($"SELECT count() AS matches FROM system.tables WHERE database = currentDatabase() AND name = {ClickHouseSql.Literal(table)}", Ct);
        exists.Single().Matches.ShouldBe(1UL);
    }

    [Fact]
    public async Task Typed_values_round_trip_and_their_literals_match_them()
    {
        var table = NewTableName();
        await _clickHouse.ExecuteAsync($"""
            CREATE TABLE {table} (
                order_id UUID, placed_at DateTime('UTC'), order_day Date, total Decimal(12, 2),
                adjustment Int64, sequence UInt64, is_delivery UInt8, notes Nullable(String)
            ) ENGINE = MergeTree ORDER BY order_id
            """, Ct);
        var row = new OrderRow(Guid.NewGuid(), new DateTime(2024, 12, 31, 23, 59, 58, DateTimeKind.Utc), new DateOnly(2024, 12, 31),
            1234.50m, -42, ulong.MaxValue - 1, true, null);

        await _clickHouse.InsertAsync(table, [row], Ct);
        var readBack = await _clickHouse.QueryAsync<OrderRow>($"""
            SELECT * FROM {table}
            WHERE order_id = {ClickHouseSql.Literal(row.OrderId)}
              AND placed_at = {ClickHouseSql.Literal(row.PlacedAt)}
              AND order_day = {ClickHouseSql.Literal(row.OrderDay)}
              AND total = {ClickHouseSql.Literal(row.Total)}
              AND adjustment = {ClickHouseSql.Literal(row.Adjustment)}
              AND adjustment-{ClickHouseSql.Literal(-8L)} = -34
              AND is_delivery = {ClickHouseSql.Literal(row.IsDelivery)}
            """, Ct);

        readBack.ShouldBe([row]);
        readBack.Single().PlacedAt.Kind.ShouldBe(DateTimeKind.Utc);
    }

    [Fact]
    public async Task A_large_batch_is_inserted_in_one_statement()
    {
        var table = await CreateTextTableAsync();
        var rows = Enumerable.Range(0, 20_000).Select(i => new TextRow((uint)i, $"row {i}")).ToList();

        await _clickHouse.InsertAsync(table, rows, Ct);

        (await _clickHouse.QueryAsync<CountRow>($"SELECT count() AS matches FROM {table}", Ct)).Single().Matches.ShouldBe(20_000UL);
    }

    [Fact]
    public async Task A_syntax_error_surfaces_as_ClickHouseException_with_ClickHouses_message()
    {
        var error = await Should.ThrowAsync<ClickHouseException>(() => _clickHouse.QueryAsync<CountRow>("SELEC count() FROM numbers(3)", Ct));

        error.ErrorCode.ShouldBe(62);
        error.Message.ShouldContain("Syntax error");
        error.StatusCode.ShouldNotBeNull();
    }

    [Fact]
    public async Task An_unknown_table_surfaces_as_ClickHouseException_naming_it()
    {
        var table = NewTableName();

        var error = await Should.ThrowAsync<ClickHouseException>(() => _clickHouse.InsertAsync(table, [new TextRow(1, "x")], Ct));

        error.Message.ShouldContain(table);
        error.ErrorCode.ShouldBe(60);
    }

    [Fact]
    public async Task An_unreachable_server_surfaces_as_ClickHouseException()
    {
        var nowhere = new ClickHouseClient(_http, ClickHouseConnectionSettings.Parse("Host=127.0.0.1;Port=1;Database=restman_analytics"));

        var error = await Should.ThrowAsync<ClickHouseException>(() => nowhere.ExecuteAsync("SELECT 1", Ct));

        error.StatusCode.ShouldBeNull();
        error.InnerException.ShouldBeOfType<HttpRequestException>();
    }

    [Fact]
    public async Task EnsureDatabaseAsync_creates_the_configured_database()
    {
        var settings = ClickHouseConnectionSettings.Parse(infra.ClickHouseConnectionString);
        var database = NewTableName();
        var client = new ClickHouseClient(_http, new ClickHouseConnectionSettings
        {
            Host = settings.Host, Port = settings.Port, Username = settings.Username, Password = settings.Password, Database = database,
        });
        try
        {
            await client.EnsureDatabaseAsync(Ct);
            await client.EnsureDatabaseAsync(Ct);

            var current = await client.QueryAsync<EchoRow>("SELECT currentDatabase() AS echo", Ct);
            current.Single().Echo.ShouldBe(database);
        }
        finally
        {
            await _clickHouse.ExecuteAsync($"DROP DATABASE IF EXISTS {database}", Ct);
        }
    }

    [Fact]
    public async Task AddClickHouse_registers_the_client_and_a_healthy_clickhouse_check()
    {
        using var host = HostWithClickHouse(infra.ClickHouseConnectionString);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
        var client = host.Services.GetRequiredService<ClickHouseClient>();

        report.Entries["clickhouse"].Status.ShouldBe(HealthStatus.Healthy);
        report.Entries["clickhouse"].Tags.ShouldContain("ready");
        (await client.QueryAsync<CountRow>("SELECT count() AS matches FROM numbers(5)", Ct)).Single().Matches.ShouldBe(5UL);
    }

    [Fact]
    public async Task The_clickhouse_check_is_unhealthy_when_the_server_is_unreachable()
    {
        using var host = HostWithClickHouse("Host=127.0.0.1;Port=1;Database=restman_analytics");

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        report.Entries["clickhouse"].Status.ShouldBe(HealthStatus.Unhealthy);
    }

    private async Task<string> CreateTextTableAsync()
    {
        var table = NewTableName();
        await _clickHouse.ExecuteAsync($"CREATE TABLE {table} (id UInt32, text String) ENGINE = MergeTree ORDER BY id", Ct);
        return table;
    }

    private string NewTableName()
    {
        var table = "t_" + Guid.NewGuid().ToString("N");
        _tables.Add(table);
        return table;
    }

    private static IHost HostWithClickHouse(string connectionString)
    {
        var builder = Host.CreateEmptyApplicationBuilder(settings: null);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:clickhouse"] = connectionString });
        builder.AddClickHouse();
        return builder.Build();
    }
}
