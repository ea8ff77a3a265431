namespace Aspire.Hosting;

/// <summary>The last lines a resource wrote: what a failed start or a failed test shows of it.</summary>
public static class ResourceLogTail
{
    /// <summary>Up to <paramref name="count"/> of the resource's last lines (its replicas' included).</summary>
    public static async Task<IReadOnlyList<string>> LastLinesAsync(this ResourceLoggerService logs, IResource resource, int count, CancellationToken ct = default)
    {
        var lines = new Queue<string>();
        // The backlog may be followed by a live tail that never ends: read for a moment at most.
        using var read = CancellationTokenSource.CreateLinkedTokenSource(ct);
        read.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await foreach (var batch in logs.GetAllAsync(resource).WithCancellation(read.Token))
                foreach (var line in batch)
                {
                    lines.Enqueue(line.Content);
                    if (lines.Count > count) lines.Dequeue();
                }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
        return [.. lines];
    }
}
