using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RestMan.Caching;
using RestMan.Data;
using StackExchange.Redis;

namespace RestMan.UnitTests.BuildingBlocks;

/// <summary>Migration names, schema names, the CockroachDB check and missing connection strings: decided before any server answers.</summary>
[Trait("Category", "Unit")]
public sealed class DatabaseRulesTests
{
    [Theory]
    [InlineData("RestMan.Orders.Migrations.0001_init.sql", "0001_init")]
    [InlineData("RestMan.Orders.Migrations.0002_outbox.SQL", "0002_outbox")]
    [InlineData("RestMan.Orders.Resources.Migrations.txt", null)]
    [InlineData("RestMan.Orders.queries.sql", null)]
    public void Migration_versions_come_from_resource_names(string resourceName, string? expectedVersion) =>
        EmbeddedMigrations.VersionOf(resourceName).ShouldBe(expectedVersion);

    [Theory]
    [InlineData("CockroachDB CCL v25.2.1 (x86_64-pc-linux-gnu, built 2025/06/10 18:46:42, go1.23.7 X:nocoverageredesign)", true)]
    [InlineData("CockroachDB OSS v23.1.11 (aarch64-unknown-linux-gnu, built 2023/09/27 01:53:43, go1.19.13)", true)]
    [InlineData("PostgreSQL 16.4 (Debian 16.4-1.pgdg120+2) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit", false)]
    public void CockroachDB_is_told_apart_from_PostgreSQL_by_its_version_string(string version, bool isCockroach) =>
        SchemaMigrator.IsCockroachDb(version).ShouldBe(isCockroach);

    [Theory]
    [InlineData("orders", true)]
    [InlineData("_kitchen_2", true)]
    [InlineData("Orders", false)]
    [InlineData("orders; DROP TABLE x", false)]
    public void Schema_names_are_checked_before_they_reach_SQL(string schema, bool valid)
    {
        if (valid) SchemaMigrator.ValidateSchemaName(schema).ShouldBe(schema);
        else Should.Throw<ArgumentException>(() => SchemaMigrator.ValidateSchemaName(schema));
    }

    [Fact]
    public void A_missing_connection_string_names_its_configuration_key()
    {
        var builder = Host.CreateEmptyApplicationBuilder(settings: null);
        builder.AddCockroachDataSource("orders_db");
        using var host = builder.Build();

        var error = Should.Throw<InvalidOperationException>(() => host.Services.GetRequiredService<NpgsqlDataSource>());

        error.Message.ShouldContain("ConnectionStrings:orders_db");
    }

    [Fact]
    public void A_missing_redis_connection_string_names_its_configuration_key()
    {
        var builder = Host.CreateEmptyApplicationBuilder(settings: null);
        builder.AddRedis();
        using var host = builder.Build();

        var error = Should.Throw<InvalidOperationException>(() => host.Services.GetRequiredService<IConnectionMultiplexer>());

        error.Message.ShouldContain("ConnectionStrings:redis");
    }
}
