namespace RestMan.Hosting.Resources;

internal static class Health
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Polls a real check until it passes, the process dies, or the start-up timeout passes.</summary>
    public static async Task PollUntilAsync(string name, Func<CancellationToken, Task> check, Task? processExited,
        Resource context, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StartupTimeout);
        Exception? last = null;
        while (true)
        {
            if (processExited is { IsCompleted: true })
                throw new InvalidOperationException($"the process of '{name}' exited during start-up");
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                await check(attempt.Token);
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                last = e;
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"'{context.Name}' was not healthy within {StartupTimeout.TotalSeconds:0} s (last check: {last?.Message})");
            }
        }
    }
}
