using System.Diagnostics;
using Confluent.Kafka;

namespace RestMan.Analytics.Ingestion;

/// <summary>
/// Rows gathered from consumed messages, and where each partition may be committed to once ClickHouse has them.
/// Rows are order-independent (ReplacingMergeTree keys and versions), so a batch may be written more than once.
/// </summary>
public sealed class IngestionBatch
{
    // Per partition: the first message taken into the batch, and the offset after the last one.
    private readonly Dictionary<TopicPartition, (Offset First, Offset Next)> _pending = [];

    public List<OrderRow> Orders { get; } = [];
    public List<OrderItemRow> OrderItems { get; } = [];
    public List<OrderStatusRow> OrderStatuses { get; } = [];
    public List<OrderPaymentRow> OrderPayments { get; } = [];
    public List<MenuFoodRow> MenuFoods { get; } = [];
    public List<MenuCategoryRow> MenuCategories { get; } = [];

    /// <summary>The producers' traces of the messages, for the batch span's links.</summary>
    public List<ActivityContext> Traces { get; } = [];

    /// <summary>Messages taken into the batch, rows or not (ignored and dead-lettered ones are committed too).</summary>
    public int MessageCount { get; private set; }

    /// <summary>Messages that contributed rows.</summary>
    public int EventCount { get; private set; }

    public bool IsEmpty => MessageCount == 0;

    public void Consumed(TopicPartitionOffset message, ActivityContext? trace)
    {
        MessageCount++;
        var first = _pending.TryGetValue(message.TopicPartition, out var pending) ? pending.First : message.Offset;
        _pending[message.TopicPartition] = (first, message.Offset + 1);
        if (trace is { } context)
        {
            Traces.Add(context);
        }
    }

    public void Mapped() => EventCount++;

    /// <summary>Partitions handed to another consumer are not ours to commit; their new owner rewrites the same rows.</summary>
    public void Revoke(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _pending.Remove(partition);
        }
    }

    /// <summary>The first message of <paramref name="partition"/> the batch holds, or null when it holds none.</summary>
    public Offset? FirstOffsetOf(TopicPartition partition) => _pending.TryGetValue(partition, out var pending) ? pending.First : null;

    public IReadOnlyList<TopicPartitionOffset> OffsetsToCommit() =>
        _pending.Select(entry => new TopicPartitionOffset(entry.Key, entry.Value.Next)).ToList();
}
