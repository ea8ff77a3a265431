using Npgsql;

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
    public TestGraph App { get; private set; } = null!;

    public string CockroachConnectionString => App.GetConnectionString("cockroach");
    public string RedisConnectionString => App.GetConnectionString("redis");
    public string ClickHouseConnectionString => App.GetConnectionString("clickhouse");
    public string KafkaBootstrapServers => App.GetConnectionString("kafka");
    /// <summary>The Kafka dev broker's control API (topics, broker faults).</summary>
    public KafkaBrokerControl Kafka => new(App.KafkaControlUrl);

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

    private static readonly Lazy<Task<TestGraph>> Instance = new(StartAsync);

    public static Task<TestGraph> GetAsync() => Instance.Value;

    private static async Task<TestGraph> StartAsync()
    {
        var graph = await TestGraph.StartAsync(o => o.Resources.AddRange(Resources));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => graph.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(20));
        return graph;
    }
}
