using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace RestMan.Messaging;

/// <summary>
/// The calls every consumer loop makes around a <see cref="KafkaConsumerFactory"/> consumer the same way: what is not
/// the loop's to handle (a transient consume error, a failed commit, an unclean close) is logged, not thrown.
/// </summary>
public static class KafkaConsumerExtensions
{
    /// <summary>
    /// The next message or end-of-partition marker; null after a non-fatal error (logged: librdkafka recovers by
    /// itself). A fatal error throws: the consumer must be built anew.
    /// </summary>
    public static ConsumeResult<string, string>? TryConsume(this IConsumer<string, string> consumer, ILogger logger, CancellationToken ct) =>
        TryConsume(consumer, logger, c => c.Consume(ct));

    /// <summary>As <see cref="TryConsume(IConsumer{string, string}, ILogger, CancellationToken)"/>; also null when nothing came within <paramref name="timeout"/>.</summary>
    public static ConsumeResult<string, string>? TryConsume(this IConsumer<string, string> consumer, ILogger logger, TimeSpan timeout) =>
        TryConsume(consumer, logger, c => c.Consume(timeout));

    /// <summary>
    /// Commits <paramref name="offsets"/> (each the next offset to read) once their effects are durable. A failure is
    /// logged, not thrown: whoever reads those messages again finds their effects already there (inbox, or rows that a
    /// rewrite replaces).
    /// </summary>
    public static void TryCommit(this IConsumer<string, string> consumer, IReadOnlyList<TopicPartitionOffset> offsets, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        if (offsets.Count == 0) return;
        try
        {
            consumer.Commit(offsets);
        }
        catch (KafkaException ex)
        {
            logger.LogWarning("Kafka consumer {Consumer} could not commit {Offsets}: {Reason}", consumer.Name, offsets, ex.Error.Reason);
        }
    }

    /// <summary>
    /// Marks <paramref name="handled"/> done: the consumer commits it in the background (<see cref="KafkaOptions.ConsumerCommitInterval"/>,
    /// and on close or revocation). A partition that moved to another member meanwhile keeps nothing; it resumes from its
    /// last commit, and whoever reads the repeats finds their effects already there.
    /// </summary>
    public static void TryStoreOffset(this IConsumer<string, string> consumer, ConsumeResult<string, string> handled, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(handled);
        try
        {
            consumer.StoreOffset(new TopicPartitionOffset(handled.TopicPartition, handled.Offset + 1));
        }
        catch (KafkaException ex)
        {
            logger.LogDebug("Kafka consumer {Consumer} kept no offset for {Partition}: {Reason}", consumer.Name, handled.TopicPartition, ex.Error.Reason);
        }
    }

    /// <summary>Leaves the group now, so its partitions move to another instance without a session timeout; a failure is logged.</summary>
    public static void CloseQuietly(this IConsumer<string, string> consumer, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        try
        {
            consumer.Close();
        }
        catch (KafkaException ex)
        {
            logger.LogWarning("Kafka consumer {Consumer} did not close cleanly: {Reason}", consumer.Name, ex.Error.Reason);
        }
    }

    private static ConsumeResult<string, string>? TryConsume(
        IConsumer<string, string> consumer, ILogger logger, Func<IConsumer<string, string>, ConsumeResult<string, string>?> consume)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        try
        {
            return consume(consumer);
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            logger.LogWarning("Kafka consumer {Consumer} could not consume: {Code} {Reason}", consumer.Name, ex.Error.Code, ex.Error.Reason);
            return null;
        }
    }
}
