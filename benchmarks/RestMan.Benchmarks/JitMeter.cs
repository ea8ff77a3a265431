namespace RestMan.Benchmarks;

/// <summary>
/// CPU time the graph's .NET processes spend in the runtime's background tier-1 JIT (threads ".NET Tiered Compilation
/// Worker"). Such a thread exits when it has nothing to do, taking its counters with it, so the meter samples every
/// half second and adds up each thread's growth.
/// </summary>
public sealed class JitMeter : IAsyncDisposable
{
    private const string ThreadName = ".NET Tiered Com"; // comm is cut at 15 characters
    private readonly IReadOnlyList<int> _processes;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _ticks;

    /// <param name="processes">The graph's processes (found once: they live as long as the graph); only .NET ones have such threads.</param>
    public JitMeter(IReadOnlyList<int> processes)
    {
        _processes = processes;
        _sampling = SampleAsync();
    }

    public double Seconds => Interlocked.Read(ref _ticks) / 100.0; // USER_HZ

    private async Task SampleAsync()
    {
        var last = ProcessCpu.ThreadTicks(_processes, ThreadName);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var now = ProcessCpu.ThreadTicks(_processes, ThreadName);
                foreach (var (thread, ticks) in now) Interlocked.Add(ref _ticks, ticks - last.GetValueOrDefault(thread));
                last = now;
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
