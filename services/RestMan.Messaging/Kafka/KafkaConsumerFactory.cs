using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RestMan.Messaging;

/// <summary>
/// Builds the consumer of a consumer group, for the library's event consumer and for a service's own consumer loop
/// alike: manual offset commits, fast failure detection, librdkafka's logs in ILogger, and a loud error (plus a counter)
/// when the broker no longer had the group's position. Also reports the group's <c>restman.kafka.consumer.lag</c>.
/// Registered by <c>AddEventConsumer</c> and <c>AddKafkaConsumerFactory</c>.
/// </summary>
public sealed class KafkaConsumerFactory
{
    private readonly IOptions<KafkaOptions> _kafkaOptions;
    private readonly IOptions<MessagingOptions> _messagingOptions;
    private readonly MessagingMetrics _metrics;
    private readonly ILogger<KafkaConsumerFactory> _logger;

    internal KafkaConsumerFactory(
        IOptions<KafkaOptions> kafkaOptions,
        IOptions<MessagingOptions> messagingOptions,
        MessagingMetrics metrics,
        ILogger<KafkaConsumerFactory> logger)
    {
        _kafkaOptions = kafkaOptions;
        _messagingOptions = messagingOptions;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>
    /// A consumer of <paramref name="groupId"/>, not yet subscribed. It commits only what the loop commits or stores
    /// (<c>StoreOffset</c>: committed in the background every <see cref="KafkaOptions.ConsumerCommitInterval"/>), starts a new group at
    /// the earliest offset, and reports reaching the end of a partition (<see cref="ConsumeResult{TKey,TValue}.IsPartitionEOF"/>).
    /// </summary>
    /// <param name="onPartitionsRevoked">
    /// Called, on the consuming thread inside <c>Consume</c>, with the partitions this consumer no longer owns (revoked
    /// in a rebalance, or lost): their offsets are no longer its to commit.
    /// </param>
    /// <param name="startAtEnd">A group with no committed position starts at the end, not the beginning (live screens).</param>
    public IConsumer<string, string> Create(string groupId, Action<IReadOnlyList<TopicPartition>>? onPartitionsRevoked = null, bool startAtEnd = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        var kafka = _kafkaOptions.Value;
        var config = new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = groupId,
            ClientId = $"{_messagingOptions.Value.Source}-consumer",
            // Only offsets the loop stored after the effect are committed, in the background, and on close or revocation.
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            AutoCommitIntervalMs = (int)kafka.ConsumerCommitInterval.TotalMilliseconds,
            AutoOffsetReset = startAtEnd ? AutoOffsetReset.Latest : AutoOffsetReset.Earliest,
            // Incremental rebalances: a member joining or leaving moves only the partitions that must move; the others
            // keep being consumed (the eager assignor stopped the whole group on every deploy).
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            // Static membership: a replica restarting within the session timeout takes its partitions back, no rebalance.
            GroupInstanceId = string.IsNullOrWhiteSpace(kafka.ReplicaId) ? null : $"{groupId}-{kafka.ReplicaId}",
            EnablePartitionEof = true, // reaching the end is when lag is known to be zero
            ReconnectBackoffMaxMs = (int)kafka.ReconnectBackoffMax.TotalMilliseconds,
            SessionTimeoutMs = (int)kafka.ConsumerSessionTimeout.TotalMilliseconds,
            HeartbeatIntervalMs = (int)(kafka.ConsumerSessionTimeout.TotalMilliseconds / 3),
            // Latency first: a fetch returns at once when data is there; batches form from what piled up meanwhile.
            FetchWaitMaxMs = (int)kafka.FetchWaitMax.TotalMilliseconds,
            SocketNagleDisable = true, // as the producer: no fetch waits behind a delayed ACK
            Debug = kafka.Debug,
        };

        return new ConsumerBuilder<string, string>(config)
            .SetLogHandler((_, message) => OnLog(groupId, message))
            .SetErrorHandler((_, error) => KafkaLogging.ForwardError(_logger, error))
            .SetPartitionsAssignedHandler((_, partitions) =>
                _logger.LogInformation("Consumer group {Group} assigned {Partitions}", groupId, partitions))
            .SetPartitionsRevokedHandler((_, partitions) => Revoked(groupId, partitions, onPartitionsRevoked))
            .SetPartitionsLostHandler((_, partitions) => Revoked(groupId, partitions, onPartitionsRevoked))
            .Build();
    }

    /// <summary>
    /// Reports the lag of <paramref name="groupId"/> on <paramref name="partition"/>: the messages from
    /// <paramref name="nextUnhandled"/> (the first one whose effect is not yet committed) to the partition's end, as
    /// known from the consumer's last fetch (no broker round trip). Nothing is reported while the end is unknown.
    /// </summary>
    public void RecordLag(IConsumer<string, string> consumer, string groupId, TopicPartition partition, Offset nextUnhandled)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        var high = consumer.GetWatermarkOffsets(partition).High;
        if (high.Value >= 0) _metrics.RecordLag(groupId, partition, high.Value - nextUnhandled.Value);
    }

    private void Revoked(string groupId, List<TopicPartitionOffset> partitions, Action<IReadOnlyList<TopicPartition>>? onPartitionsRevoked)
    {
        var revoked = partitions.Select(p => p.TopicPartition).ToList();
        foreach (var partition in revoked) _metrics.ForgetLag(groupId, partition);
        onPartitionsRevoked?.Invoke(revoked);
    }

    private void OnLog(string groupId, LogMessage message)
    {
        if (KafkaLogging.IsOffsetReset(message))
        {
            // Messages between the lost position and the reset one were never consumed: say so loudly.
            _metrics.OffsetReset(groupId);
            _logger.LogError("Consumer group {Group} lost its position, messages were skipped: {Message}", groupId, message.Message);
            return;
        }
        KafkaLogging.Forward(_logger, message);
    }
}
