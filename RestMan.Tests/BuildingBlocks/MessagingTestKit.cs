using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using RestMan.Data;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RestMan.Tests.BuildingBlocks;

/// <summary>
/// One messaging test's own world on the shared infrastructure: a fresh database, and its own topics on the shared
/// Kafka dev cluster (every topic of the catalog under a unique prefix, each with its dead-letter twin).
/// </summary>
internal sealed class MessagingScenario
{
    private const int Partitions = 3;

    private MessagingScenario(InfrastructureFixture infra, string databaseConnectionString, string topicPrefix, ITestOutputHelper output)
    {
        Infra = infra;
        DatabaseConnectionString = databaseConnectionString;
        TopicPrefix = topicPrefix;
        Output = output;
    }

    public InfrastructureFixture Infra { get; }
    public string DatabaseConnectionString { get; }
    public string TopicPrefix { get; }
    public ITestOutputHelper Output { get; }

    /// <summary>Unique per scenario, so tests never share a consumer group's offsets.</summary>
    public string ConsumerGroup => $"{TopicPrefix}kitchen";

    public static async Task<MessagingScenario> CreateAsync(InfrastructureFixture infra, ITestOutputHelper output)
    {
        var prefix = $"t{Guid.NewGuid():N}"[..13] + ".";
        foreach (var topic in Topics.All)
        {
            infra.Kafka.CreateTopic(prefix + topic, Partitions);
            infra.Kafka.CreateTopic(prefix + Topics.DeadLetterOf(topic), Partitions);
        }

        var scenario = new MessagingScenario(infra, await infra.CreateDatabaseAsync(), prefix, output);
        await using var connection = new NpgsqlConnection(scenario.DatabaseConnectionString);
        await connection.ExecuteAsync(TestServices.Schema);
        return scenario;
    }

    public string TopicOf(string topic) => TopicPrefix + topic;

    /// <summary>A host wired as a RestMan service wires it: Cockroach data source plus what <paramref name="configure"/> adds.</summary>
    public async Task<MessagingTestHost> StartHostAsync(string name, Action<HostApplicationBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cockroach"] = DatabaseConnectionString,
            ["ConnectionStrings:kafka"] = Infra.KafkaBootstrapServers,
            ["Messaging:TopicPrefix"] = TopicPrefix,
            ["Messaging:Source"] = name,
            // Fail fast in tests: two attempts, short waits.
            ["Messaging:Consumer:MaxAttempts"] = "2",
            ["Messaging:Consumer:RetryDelay"] = "00:00:00.050",
            ["Messaging:Outbox:RetryDelay"] = "00:00:00.100",
            ["Messaging:Outbox:MaxRetryDelay"] = "00:00:01",
            ["Messaging:Kafka:Debug"] = Environment.GetEnvironmentVariable("RESTMAN_KAFKA_DEBUG"),
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
        builder.Logging.AddProvider(new TestOutputLoggerProvider(Output, name));
        builder.AddCockroachDataSource("cockroach");
        configure(builder);

        var host = builder.Build();
        await host.StartAsync();
        return new MessagingTestHost(host);
    }

    /// <summary>Every message now on <paramref name="topic"/>, read from the beginning up to the end of each partition.</summary>
    public IReadOnlyList<ConsumeResult<string, string>> ReadTopic(string topic)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = Infra.KafkaBootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));

        var messages = new List<ConsumeResult<string, string>>();
        var partitionsAtEnd = new HashSet<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (partitionsAtEnd.Count < Partitions)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Could not read {topic} to its end.");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null) continue;
            if (result.IsPartitionEOF) partitionsAtEnd.Add(result.Partition.Value);
            else messages.Add(result);
        }
        consumer.Close();
        return messages;
    }

    /// <summary>Publishes an envelope straight to a topic, bypassing the outbox, as a foreign or repeating producer would.</summary>
    public async Task PublishRawAsync(string topic, string key, string value)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Infra.KafkaBootstrapServers }).Build();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = key, Value = value });
    }

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(DatabaseConnectionString);
}

/// <summary>A started service host; stopping it is a graceful shutdown, like Ctrl+C.</summary>
internal sealed class MessagingTestHost(IHost host) : IAsyncDisposable
{
    public IServiceProvider Services => host.Services;

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}

/// <summary>
/// The two sides of the tests, written the way services use RestMan.Messaging: an "orders" side that changes an
/// order and records its event in one transaction, and a "kitchen" side whose handlers leave visible effects.
/// </summary>
internal static class TestServices
{
    public const string PoisonNote = "poison";

    public const string Schema = """
        CREATE SCHEMA orders;
        CREATE TABLE orders.orders (order_id UUID PRIMARY KEY, status TEXT NOT NULL, version INT8 NOT NULL);
        CREATE SCHEMA kitchen;
        -- No uniqueness on event_id on purpose: a second effect of one event would show up as a second row.
        CREATE TABLE kitchen.effects (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            event_id UUID NOT NULL,
            order_id UUID NOT NULL,
            detail TEXT NOT NULL,
            position INT8 NOT NULL,
            trace_id TEXT NULL);
        """;

    public static void AddOrdersSide(HostApplicationBuilder builder) => builder.AddOutbox(schema: "orders");

    public const string WaitNote = "wait for the gate";
    public const string DatabaseOutageNote = "database outage";

    public static void AddKitchenSide(HostApplicationBuilder builder, string consumerGroup, KitchenGate? gate = null)
    {
        if (gate is not null) builder.Services.AddSingleton(gate);
        builder.AddEventConsumer(consumerGroup, schema: "kitchen")
            .Handle<OrderPlaced, RecordOrderPlaced>()
            .Handle<OrderStatusUpdated, RecordStatusUpdated>();
    }

    /// <summary>Inserts the order and records <see cref="OrderPlaced"/> in the same transaction; returns the event id.</summary>
    public static async Task<Guid> PlaceOrderAsync(MessagingTestHost orders, Guid orderId, string? notes = null)
    {
        return await orders.Services.GetRequiredService<Database>().InTransactionAsync(async tx =>
        {
            await tx.Connection.ExecuteAsync(
                "INSERT INTO orders.orders (order_id, status, version) VALUES (@orderId, 'PLACED', 0)", new { orderId }, tx.Transaction);
            return tx.Publish(NewOrderPlaced(orderId, notes));
        }, CancellationToken.None);
    }

    /// <summary>Bumps the order's version (the aggregate's row lock orders concurrent changes) and records the change.</summary>
    public static async Task ChangeStatusAsync(MessagingTestHost orders, Guid orderId)
    {
        await orders.Services.GetRequiredService<Database>().InTransactionAsync(async tx =>
        {
            var version = await tx.Connection.ExecuteScalarAsync<long>(
                "UPDATE orders.orders SET version = version + 1, status = 'v' || (version + 1) WHERE order_id = @orderId RETURNING version",
                new { orderId }, tx.Transaction);
            tx.Publish(new OrderStatusUpdated(orderId, $"v{version - 1}", $"v{version}", "kitch", null, DateTimeOffset.UtcNow));
        }, CancellationToken.None);
    }

    public static OrderPlaced NewOrderPlaced(Guid orderId, string? notes = null) => new(
        OrderId: orderId,
        UserId: Guid.NewGuid(),
        RestaurantId: Guid.NewGuid(),
        OrderType: "dine_in",
        TotalPrice: 400.00m,
        Items: [new OrderPlacedItem(Guid.NewGuid(), "Margherita Pizza", 2, 200.00m, 400.00m)],
        PlacedAt: DateTimeOffset.UtcNow,
        Notes: notes);

    /// <summary>The kitchen's effects of one order, in the order the consumer applied them.</summary>
    public static async Task<IReadOnlyList<Effect>> EffectsAsync(NpgsqlDataSource dataSource, Guid orderId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var effects = await connection.QueryAsync<Effect>(
            "SELECT event_id AS EventId, detail AS Detail FROM kitchen.effects WHERE order_id = @orderId ORDER BY position",
            new { orderId });
        return effects.ToList();
    }

    public sealed record Effect(Guid EventId, string Detail);

    /// <summary>The trace each effect of the order was applied in (null where no trace was recorded).</summary>
    public static async Task<IReadOnlyList<string?>> EffectTraceIdsAsync(NpgsqlDataSource dataSource, Guid orderId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var traceIds = await connection.QueryAsync<string?>(
            "SELECT trace_id FROM kitchen.effects WHERE order_id = @orderId ORDER BY position", new { orderId });
        return traceIds.ToList();
    }

    private static Task RecordEffectAsync(EventContext context, Guid orderId, string detail) =>
        context.Tx.Connection.ExecuteAsync(
            """
            INSERT INTO kitchen.effects (event_id, order_id, detail, position, trace_id)
            SELECT @eventId, @orderId, @detail, COALESCE(MAX(position), 0) + 1, @traceId FROM kitchen.effects WHERE order_id = @orderId
            """,
            new { eventId = context.Envelope.EventId, orderId, detail, traceId = Activity.Current?.TraceId.ToHexString() },
            context.Tx.Transaction);

    private sealed class RecordOrderPlaced(KitchenGate? gate = null) : IIntegrationEventHandler<OrderPlaced>
    {
        public async Task HandleAsync(OrderPlaced integrationEvent, EventContext context, CancellationToken ct)
        {
            if (integrationEvent.Notes == PoisonNote)
                throw new InvalidOperationException($"The kitchen cannot cook order {integrationEvent.OrderId}.");
            if (integrationEvent.Notes == WaitNote && gate is not null)
                await gate.Opened.Task.WaitAsync(ct);
            if (integrationEvent.Notes == DatabaseOutageNote)
                gate?.ThrowIfDatabaseDown();
            await RecordEffectAsync(context, integrationEvent.OrderId, integrationEvent.Notes ?? "placed");
        }
    }

    private sealed class RecordStatusUpdated : IIntegrationEventHandler<OrderStatusUpdated>
    {
        public Task HandleAsync(OrderStatusUpdated integrationEvent, EventContext context, CancellationToken ct) =>
            RecordEffectAsync(context, integrationEvent.OrderId, integrationEvent.NewStatus);
    }
}

/// <summary>
/// What a test can do to the kitchen's handler: hold it on an order marked <see cref="TestServices.WaitNote"/> until
/// <see cref="Opened"/>, or make the database look unreachable for the next few orders marked
/// <see cref="TestServices.DatabaseOutageNote"/>.
/// </summary>
internal sealed class KitchenGate
{
    private int _outagesLeft;

    public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int OutagesLeft => Volatile.Read(ref _outagesLeft);

    public void SimulateDatabaseOutages(int times) => Volatile.Write(ref _outagesLeft, times);

    public void ThrowIfDatabaseDown()
    {
        if (Interlocked.Decrement(ref _outagesLeft) >= 0)
            throw new NpgsqlException("Failed to connect to 127.0.0.1", new System.Net.Sockets.SocketException(111));
    }
}

/// <summary>Reads the "restman.kafka.consumer.lag" gauge of one consumer group, per partition.</summary>
internal sealed class ConsumerLagProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _lag = [];

    public ConsumerLagProbe(string consumerGroup)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is { Name: "restman.kafka.consumer.lag", Meter.Name: MessagingTelemetry.Name })
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? group = null, partition = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "messaging.consumer.group.name") group = tag.Value as string;
                if (tag.Key == "messaging.destination.partition.id") partition = tag.Value as string;
            }
            if (group == consumerGroup && partition is not null) _lag[partition] = value;
        });
        _listener.Start();
    }

    public Task<IReadOnlyDictionary<string, long>> ReadAsync()
    {
        lock (_lag)
        {
            _lag.Clear();
            _listener.RecordObservableInstruments();
            return Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>(_lag));
        }
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>What the messaging tests check and prepare, beyond the services themselves.</summary>
internal static class MessagingProbes
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>One order through the whole path, so producer and consumer group are connected before a fault.</summary>
    public static async Task WarmUpAsync(MessagingTestHost orders, NpgsqlDataSource db)
    {
        var orderId = Guid.NewGuid();
        await TestServices.PlaceOrderAsync(orders, orderId);
        await Eventually.MatchesAsync(() => TestServices.EffectsAsync(db, orderId), e => e.Count > 0, Patience, "the warm-up order to be handled");
    }

    /// <summary>An envelope as a producer other than the outbox would write it.</summary>
    public static EventEnvelope Envelope<TEvent>(TEvent payload) where TEvent : IIntegrationEvent<TEvent> => new(
        TEvent.EventType, Guid.NewGuid(), DateTimeOffset.UtcNow, JsonSerializer.SerializeToElement(payload, MessagingJson.Options), "tests", 1);

    public static string Header(Headers headers, string name) => Encoding.UTF8.GetString(headers.GetLastBytes(name));

    public static async Task<bool> IsSentAsync(NpgsqlDataSource db, Guid eventId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT sent_at IS NOT NULL FROM orders.outbox WHERE event_id = @eventId", new { eventId });
    }

    public static async Task<long> UnsentCountAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM orders.outbox WHERE sent_at IS NULL");
    }

    /// <summary>Outbox rows plus stream counters: zero once everything sent has been cleaned up.</summary>
    public static async Task<long> OutboxRowsAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT (SELECT COUNT(*) FROM orders.outbox) + (SELECT COUNT(*) FROM orders.outbox_streams)");
    }
}

/// <summary>Polls a condition until it holds or the patience runs out: no fixed sleeps.</summary>
internal static class Eventually
{
    public static async Task<T> MatchesAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan patience, string what)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {patience.TotalSeconds:0}s for {what}; last saw: {Describe(value)}");
            await Task.Delay(50);
        }
    }

    private static string Describe<T>(T value) => value is System.Collections.IEnumerable items and not string
        ? "[" + string.Join(", ", items.Cast<object>()) + "]"
        : value?.ToString() ?? "null";
}

/// <summary>Sends a host's logs to the test's output, so a failing run shows what the relay and consumer did.</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper output, string hostName) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, hostName, categoryName);

    public void Dispose()
    {
    }

    private static readonly LogLevel MinimumLevel =
        Environment.GetEnvironmentVariable("RESTMAN_KAFKA_DEBUG") is { Length: > 0 } ? LogLevel.Debug : LogLevel.Information;

    private sealed class TestOutputLogger(ITestOutputHelper output, string hostName, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder($"{DateTime.UtcNow:HH:mm:ss.fff} [{hostName}] {logLevel} {category.Split('.')[^1]}: {formatter(state, exception)}");
            if (exception is not null) line.Append(" | ").Append(exception.GetType().Name).Append(": ").Append(exception.Message);
            try
            {
                output.WriteLine(line.ToString());
            }
            catch (InvalidOperationException)
            {
                // The test already finished; its output is closed.
            }
        }
    }
}
