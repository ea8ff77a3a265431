using Confluent.Kafka;
using RestMan.Hosting.Kafka;

namespace RestMan.Hosting.Resources;

/// <summary>
/// The event bus. Deployed as Apache Kafka; run locally as librdkafka's mock cluster inside the AppHost process
/// (real Kafka wire protocol, in memory, not durable) because no Kafka broker exists in this machine's registries.
/// </summary>
public sealed class KafkaResource(string name) : InfrastructureResource(name, "apache/kafka", "3.8.0")
{
    private readonly List<string> _topics = [];

    public const int PartitionsPerTopic = 3;

    /// <summary>The in-process dev cluster (null when external): tests use it to inject broker faults.</summary>
    public KafkaDevCluster? DevCluster { get; private set; }
    public IReadOnlyList<string> Topics => _topics;

    public override string ConnectionString => ExternalConnectionString ?? DevCluster?.BootstrapServers ?? "";

    /// <summary>Topics created at start-up, each with its dead-letter twin <c>&lt;topic&gt;.dlq</c>.</summary>
    public KafkaResource WithTopics(params string[] topics)
    {
        foreach (var topic in topics) _topics.AddRange([topic, topic + ".dlq"]);
        return this;
    }

    protected override Task StartLocalAsync(DistributedApplicationContext context, CancellationToken ct)
    {
        DevCluster = KafkaDevCluster.Start();
        Log.Write($"dev cluster (librdkafka mock) listening on {DevCluster.BootstrapServers}");
        return Task.CompletedTask;
    }

    protected override Task CheckHealthyAsync(CancellationToken ct) => Task.Run(() =>
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = ConnectionString }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(3));
        if (metadata.Brokers.Count == 0) throw new InvalidOperationException("no Kafka broker answered");
    }, ct);

    protected override Task PrepareAsync(CancellationToken ct)
    {
        foreach (var topic in _topics) DevCluster!.CreateTopic(topic, PartitionsPerTopic);
        Log.Write($"topics: {string.Join(", ", _topics)}");
        return Task.CompletedTask;
    }

    protected override Task StopLocalAsync()
    {
        DevCluster?.Dispose();
        DevCluster = null;
        return Task.CompletedTask;
    }
}
