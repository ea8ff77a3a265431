using System.Buffers.Binary;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RestMan.Messaging;

namespace Aspire.Hosting;

/// <summary>
/// The event bus. Deployed as Apache Kafka (KRaft); run locally as the Kafka dev broker: librdkafka's mock cluster in
/// its own process (services/RestMan.KafkaDevBroker), in memory, not durable — no Kafka broker exists in this
/// machine's registries. Its HTTP control endpoint takes brokers down and up.
/// </summary>
public sealed class KafkaDevBrokerResource(string name, string workingDirectory)
    : ExecutableResource(name, "dotnet", workingDirectory), IResourceWithConnectionString
{
    public EndpointReference Endpoint => new(this, "tcp");
    public EndpointReference Control => new(this, "control");

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{Endpoint.Property(EndpointProperty.Port)}");
}

public static class KafkaBuilderExtensions
{
    /// <summary>
    /// Partitions of each topic unless <c>RestMan:Kafka:Partitions</c> says otherwise: a consumer group has at most this
    /// many active members (6: two replicas of a service with room for three each).
    /// </summary>
    public const int PartitionsPerTopic = 6;
    private const string DevBrokerFetchWaitMax = "00:00:00.020";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Kafka with <paramref name="topics"/> created at start, each with its dead-letter twin <c>&lt;topic&gt;.dlq</c>.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddKafka(
        this IDistributedApplicationBuilder builder, string name, IEnumerable<string> topics)
    {
        if (builder.Configuration.GetConnectionString(name) is { Length: > 0 }) return builder.AddConnectionString(name);
        string[] all = [.. topics.SelectMany(t => new[] { t, Topics.DeadLetterOf(t) })];
        var partitions = builder.Configuration.GetValue("RestMan:Kafka:Partitions", PartitionsPerTopic);
        if (partitions < 1) throw new InvalidOperationException($"RestMan:Kafka:Partitions is {partitions}: a topic needs at least one partition");
        if (LocalInfrastructure.UseContainers(builder))
        {
            var container = new ServerContainerResource(name, "tcp", e => ReferenceExpression.Create(
                $"{e.Property(EndpointProperty.Host)}:{e.Property(EndpointProperty.Port)}"));
            var containerCheck = $"{name}_check";
            builder.Services.AddHealthChecks().AddAsyncCheck(containerCheck, ct => MetadataAsync(container.PrimaryEndpoint.Host, container.PrimaryEndpoint.Port, ct));
            return builder.AddResource(container)
                .WithImage("apache/kafka", "3.8.0")
                .WithEnvironment("KAFKA_NODE_ID", "1")
                .WithEnvironment("KAFKA_PROCESS_ROLES", "broker,controller")
                .WithEnvironment("KAFKA_LISTENERS", "PLAINTEXT://:9092,CONTROLLER://:9093")
                .WithEnvironment("KAFKA_ADVERTISED_LISTENERS", $"PLAINTEXT://{name}:9092")
                .WithEnvironment("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
                .WithEnvironment("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093")
                .WithEnvironment("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .WithEnvironment("KAFKA_NUM_PARTITIONS", partitions.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithEnvironment("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")
                .WithEndpoint(targetPort: 9092, name: "tcp", scheme: "tcp")
                .WithVolume("restman-kafka-data", "/var/lib/kafka/data")
                .WithHealthCheck(containerCheck);
        }

        var broker = LocalInfrastructure.Metadata("RestManKafkaDevBroker");
        var devBroker = new KafkaDevBrokerResource(name, Path.GetDirectoryName(broker)!);
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, ct => MetadataAsync("127.0.0.1", devBroker.Endpoint.CurrentPort(), ct));
        // The mock answers an empty fetch only when its max wait is up, never when data arrives: every event would wait
        // up to that long (100 ms by default) on its way to a consumer. Its clients poll with a short wait instead.
        builder.Eventing.Subscribe<BeforeStartEvent>((start, _) =>
        {
            foreach (var client in start.Model.Resources.OfType<ProjectResource>().Where(r => r.Annotations
                         .OfType<ResourceRelationshipAnnotation>().Any(a => a.Resource == devBroker)))
                client.Annotations.Add(new EnvironmentCallbackAnnotation("Messaging__Kafka__FetchWaitMax", () => DevBrokerFetchWaitMax));
            return Task.CompletedTask;
        });
        return builder.AddResource(devBroker)
            .WithFreePortEndpoint("tcp", "tcp")
            .WithFreePortEndpoint("control", "http")
            .WithArgs(broker, "--port", devBroker.Endpoint.Property(EndpointProperty.Port),
                "--urls", ReferenceExpression.Create($"http://127.0.0.1:{devBroker.Control.Property(EndpointProperty.Port)}"),
                "--topics", string.Join(',', all), "--partitions", $"{partitions}")
            .WithEnvironment("DOTNET_NOLOGO", "1")
            // Debug logs the life of every relayed connection (what a stuck client was left holding).
            .WithEnvironment("Logging__LogLevel__relay", builder.Configuration["RestMan:Kafka:RelayLogLevel"] ?? "Information")
            .WithHealthCheck(healthCheck)
            .WithBrokerCommand("brokers-down", "Take brokers down", "/brokers/down")
            .WithBrokerCommand("brokers-up", "Bring brokers up", "/brokers/up");
    }

    // A dashboard button for a fault: clients are cut off, the data stays.
    private static IResourceBuilder<KafkaDevBrokerResource> WithBrokerCommand(this IResourceBuilder<KafkaDevBrokerResource> kafka,
        string name, string displayName, string path) =>
        kafka.WithCommand(name, displayName, async context =>
        {
            using var response = await Http.PostAsync($"http://127.0.0.1:{kafka.Resource.Control.CurrentPort()}{path}", null, context.CancellationToken);
            return response.IsSuccessStatusCode
                ? CommandResults.Success()
                : CommandResults.Failure($"dev broker answered {(int)response.StatusCode}");
        }, new CommandOptions
        {
            UpdateState = c => c.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
        });

    /// <summary>A Kafka Metadata request (v0) over the wire: healthy when a broker answers with at least one broker.</summary>
    private static async Task<HealthCheckResult> MetadataAsync(string host, int port, CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(host, port, ct);
            await using var stream = client.GetStream();
            // size, api_key=3 (Metadata), api_version=0, correlation_id=1, client_id="apphost", topics=[] (all)
            var clientId = "apphost"u8;
            var request = new byte[4 + 2 + 2 + 4 + 2 + clientId.Length + 4];
            BinaryPrimitives.WriteInt32BigEndian(request, request.Length - 4);
            BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(4), 3);
            BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(8), 1);
            BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(12), (short)clientId.Length);
            clientId.CopyTo(request.AsSpan(14));
            await stream.WriteAsync(request, ct);
            var header = new byte[12]; // size, correlation_id, broker count
            await stream.ReadExactlyAsync(header, ct);
            var brokers = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
            return brokers > 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("no Kafka broker in the metadata");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
