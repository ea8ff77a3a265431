using System.Diagnostics;

namespace RestMan.Benchmarks;

/// <summary>Latencies (ms) and outcomes of one load phase.</summary>
public sealed class LoadResult
{
    private readonly List<double> _latencies = [];
    private readonly Dictionary<int, int> _statuses = [];

    public TimeSpan Elapsed { get; set; }
    public int Succeeded { get; private set; }
    public int Failed { get; private set; }
    public IReadOnlyDictionary<int, int> Statuses => _statuses;
    public List<string> FailureSamples { get; } = [];
    public double PerSecond => Succeeded / Elapsed.TotalSeconds;

    public void Record(int status, double milliseconds, bool success)
    {
        lock (_latencies)
        {
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
            if (!success) { Failed++; return; }
            Succeeded++;
            _latencies.Add(milliseconds);
        }
    }

    public double Percentile(double p)
    {
        lock (_latencies)
        {
            if (_latencies.Count == 0) return double.NaN;
            _latencies.Sort();
            return _latencies[Math.Min(_latencies.Count - 1, (int)Math.Ceiling(p * _latencies.Count) - 1)];
        }
    }
}

/// <summary>Closed-loop (N clients as fast as answers come) and open-loop (a fixed arrival rate) load on loopback.</summary>
public static class Load
{
    /// <summary><paramref name="clients"/> loops, each sending its next request as soon as the last one is answered.</summary>
    public static async Task<LoadResult> ClosedAsync(HttpClient http, int clients, TimeSpan duration, Func<int, int, HttpRequestMessage> request, int successStatus)
    {
        var result = new LoadResult();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            for (var sequence = 0; clock.Elapsed < duration; sequence++)
                await SendAsync(http, request(client, sequence), successStatus, result);
        }));
        result.Elapsed = clock.Elapsed;
        return result;
    }

    /// <summary>Requests started at <paramref name="perSecond"/>, whether or not earlier ones were answered.</summary>
    public static async Task<LoadResult> OpenAsync(HttpClient http, double perSecond, TimeSpan duration, Func<int, int, HttpRequestMessage> request, int successStatus)
    {
        var result = new LoadResult();
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        for (var sequence = 0; clock.Elapsed < duration; sequence++)
        {
            var due = interval * sequence;
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            inFlight.Add(SendAsync(http, request(sequence, sequence), successStatus, result));
        }
        await Task.WhenAll(inFlight);
        result.Elapsed = clock.Elapsed;
        return result;
    }

    private static async Task SendAsync(HttpClient http, HttpRequestMessage request, int successStatus, LoadResult result)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using (request)
            using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead))
            {
                var success = (int)response.StatusCode == successStatus;
                result.Record((int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, success);
                if (!success && result.FailureSamples.Count < 3)
                    result.FailureSamples.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        catch (HttpRequestException ex)
        {
            if (result.FailureSamples.Count < 3) result.FailureSamples.Add(ex.Message);
            result.Record(0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, success: false);
        }
    }
}
