using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RestMan.Messaging;

/// <summary>
/// Builds the consumer of a consumer group: manual offset commits, fast failure detection, librdkafka's logs in
/// ILogger, and a loud error (plus a counter) when the broker no longer had the group's position.
/// </summary>
internal sealed class KafkaConsumerFactory(
    IOptions<KafkaOptions> kafkaOptions,
    IOptions<MessagingOptions> messagingOptions,
    MessagingMetrics metrics,
    ILogger<KafkaConsumerFactory> logger)
{
    public IConsumer<string, string> Create(string groupId)
    {
        var kafka = kafkaOptions.Value;
        var config = new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = groupId,
            ClientId = $"{messagingOptions.Value.Source}-consumer",
            EnableAutoCommit = false, // offsets are committed after the effect, by the consumer loop
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = true, // reaching the end is when lag is known to be zero
            ReconnectBackoffMaxMs = (int)kafka.ReconnectBackoffMax.TotalMilliseconds,
            SessionTimeoutMs = (int)kafka.ConsumerSessionTimeout.TotalMilliseconds,
            HeartbeatIntervalMs = (int)(kafka.ConsumerSessionTimeout.TotalMilliseconds / 3),
            // Events are small and few per second: latency matters more than fetch batching.
            FetchWaitMaxMs = 100,
            Debug = kafka.Debug,
        };

        return new ConsumerBuilder<string, string>(config)
            .SetLogHandler((_, message) => OnLog(groupId, message))
            .SetErrorHandler((_, error) => KafkaLogging.ForwardError(logger, error))
            .SetPartitionsAssignedHandler((_, partitions) =>
                logger.LogInformation("Consumer group {Group} assigned {Partitions}", groupId, partitions))
            .SetPartitionsRevokedHandler((_, partitions) => ForgetLag(groupId, partitions.Select(p => p.TopicPartition)))
            .SetPartitionsLostHandler((_, partitions) => ForgetLag(groupId, partitions.Select(p => p.TopicPartition)))
            .Build();
    }

    private void ForgetLag(string groupId, IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions) metrics.ForgetLag(groupId, partition);
    }

    private void OnLog(string groupId, LogMessage message)
    {
        if (KafkaLogging.IsOffsetReset(message))
        {
            // Messages between the lost position and the reset one were never consumed: say so loudly.
            metrics.OffsetReset(groupId);
            logger.LogError("Consumer group {Group} lost its position, messages were skipped: {Message}", groupId, message.Message);
            return;
        }
        KafkaLogging.Forward(logger, message);
    }
}
