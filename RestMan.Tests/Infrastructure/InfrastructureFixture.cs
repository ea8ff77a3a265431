using Npgsql;
using RestMan.Hosting;
using RestMan.Hosting.Kafka;
using RestMan.Hosting.Resources;
using RestMan.Hosting.Testing;

namespace RestMan.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class InfrastructureCollection : ICollectionFixture<InfrastructureFixture>
{
    public const string Name = "infrastructure";
}

/// <summary>
/// The four infrastructure resources of the AppHost's own graph, started once per test run on random ports with
/// throwaway data, shared by every test that needs only infrastructure.
/// </summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    public DistributedApplication App { get; private set; } = null!;

    public string CockroachConnectionString => App.GetConnectionString("cockroach");
    public string RedisConnectionString => App.GetConnectionString("redis");
    public string ClickHouseConnectionString => App.GetConnectionString("clickhouse");
    public string KafkaBootstrapServers => App.GetConnectionString("kafka");
    public KafkaDevCluster Kafka => App.GetResource<KafkaResource>("kafka").DevCluster!;

    public async Task InitializeAsync() => App = await SharedInfrastructure.GetAsync();

    public Task DisposeAsync() => Task.CompletedTask; // shared: stopped when the test run ends

    /// <summary>A fresh, empty database on the shared server, for tests that must not see each other's tables.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(CockroachConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(CockroachConnectionString) { Database = name }.ConnectionString;
    }
}

/// <summary>One infrastructure graph per test process; stopped (every child process) when the process exits.</summary>
public static class SharedInfrastructure
{
    public static readonly string[] Resources = ["cockroach", "redis", "clickhouse", "kafka"];

    private static readonly Lazy<Task<DistributedApplication>> Instance = new(StartAsync);

    public static Task<DistributedApplication> GetAsync() => Instance.Value;

    private static async Task<DistributedApplication> StartAsync()
    {
        var app = await DistributedApplicationTestingBuilder.StartAsync<Program>(o => o.Resources.AddRange(Resources));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => app.StopAsync().Wait(TimeSpan.FromSeconds(15));
        return app;
    }
}
