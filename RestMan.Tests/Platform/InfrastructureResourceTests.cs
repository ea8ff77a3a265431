using System.Data.Common;
using Npgsql;
using RestMan.Tests.Infrastructure;
using StackExchange.Redis;

namespace RestMan.Tests.Platform;

[Trait("Category", "Platform")]
[Collection(InfrastructureCollection.Name)]
public sealed class InfrastructureResourceTests(InfrastructureFixture infra)
{
    [Fact]
    public async Task Cockroach_resource_serves_the_restman_database()
    {
        await using var connection = new NpgsqlConnection(infra.CockroachConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_database()", connection);
        (await command.ExecuteScalarAsync()).ShouldBe("restman");
    }

    [Fact]
    public async Task ClickHouse_resource_has_the_analytics_database()
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = infra.ClickHouseConnectionString };
        using var http = new HttpClient();
        var body = await http.GetStringAsync(
            $"http://{parts["Host"]}:{parts["Port"]}/?query={Uri.EscapeDataString("SELECT name FROM system.databases FORMAT TSV")}");
        body.Split('\n').ShouldContain("restman_analytics");
    }

    [Fact]
    public async Task Redis_resource_answers()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(infra.RedisConnectionString);
        var key = "platform:" + Guid.NewGuid();
        await redis.GetDatabase().StringSetAsync(key, "ready");
        ((string?)await redis.GetDatabase().StringGetAsync(key)).ShouldBe("ready");
    }
}
