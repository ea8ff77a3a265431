using System.Globalization;

namespace RestMan.Benchmarks;

/// <summary>
/// CPU time of one graph's processes from /proc, grouped by resource. DCP detaches what it starts, so a process is the
/// graph's when its command line or environment (or an ancestor's) names one of the graph's own ports or folders.
/// </summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    private static readonly (string Marker, string Resource)[] Markers =
    [
        ("RestMan.Gateway", "gateway"), ("RestMan.Auth", "auth"), ("RestMan.Scheduler", "scheduler"),
        ("RestMan.Restaurants", "restaurants"), ("RestMan.Orders", "orders"), ("RestMan.Kitchen", "kitchen"),
        ("RestMan.Billing", "billing"), ("RestMan.Analytics", "analytics"), ("RestMan.Inventory", "inventory"), ("RestMan.Web", "web"), ("RestMan.KafkaDevBroker", "kafka"),
        ("postgres", "cockroach"), ("redis-server", "redis"), ("clickhouse", "clickhouse"), ("Aspire.Dashboard", "dashboard"),
        ("dcp", "dcp"), ("RestMan.AppHost", "apphost"),
    ];

    /// <summary>CPU seconds so far of each of the graph's processes, by pid, with its resource.</summary>
    public sealed record Sample(IReadOnlyDictionary<int, (string Resource, double Seconds)> Processes)
    {
        /// <summary>
        /// CPU seconds per resource since <paramref name="earlier"/>, process by process: a process that ended meanwhile
        /// (a database backend closed by a pool) takes only its own time with it, not its resource's.
        /// </summary>
        public IReadOnlyDictionary<string, double> Since(Sample earlier)
        {
            var used = new Dictionary<string, double>();
            foreach (var (pid, (resource, seconds)) in Processes)
            {
                var before = earlier.Processes.TryGetValue(pid, out var then) && then.Resource == resource ? then.Seconds : 0;
                used[resource] = used.GetValueOrDefault(resource) + seconds - before;
            }
            return used;
        }
    }

    public static Sample Take(IReadOnlyCollection<string> graphMarkers)
    {
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // Fields after the command name: state ppid ... utime(14) stime(15), counted from the pid.
                var fields = StatFields(stat);
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                ticks[pid] = Ticks(fields);
            }
            catch (IOException) { } // gone meanwhile
        }

        var result = new Dictionary<int, (string, double)>();
        foreach (var (pid, cpu) in ticks)
        {
            if (!BelongsToGraph(pid, graphMarkers, parents)) continue;
            result[pid] = (Resource(pid, parents), cpu / TicksPerSecond);
        }
        return new Sample(result);
    }

    /// <summary>CPU ticks of each thread of <paramref name="pids"/> whose name starts with <paramref name="threadName"/>.</summary>
    public static Dictionary<(int Pid, int Tid), long> ThreadTicks(IEnumerable<int> pids, string threadName)
    {
        var ticks = new Dictionary<(int, int), long>();
        foreach (var pid in pids)
        {
            try
            {
                foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                {
                    if (!Read(Path.Combine(task, "comm")).StartsWith(threadName, StringComparison.Ordinal)) continue;
                    var stat = Read(Path.Combine(task, "stat"));
                    if (stat.Length == 0) continue;
                    ticks[(pid, int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture))] = Ticks(StatFields(stat));
                }
            }
            catch (IOException) { } // gone meanwhile
        }
        return ticks;
    }

    // /proc/<pid>/stat after the command name: state ppid ... utime(14) stime(15), counted from the pid.
    private static string[] StatFields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

    private static long Ticks(string[] fields) =>
        long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);

    private static bool BelongsToGraph(int pid, IReadOnlyCollection<string> graphMarkers, Dictionary<int, int> parents)
    {
        for (var current = pid; current > 1; current = parents.GetValueOrDefault(current))
        {
            var text = Read($"/proc/{current}/cmdline") + Read($"/proc/{current}/environ");
            if (graphMarkers.Any(marker => text.Contains(marker, StringComparison.Ordinal))) return true;
        }
        return false;
    }

    private static string Read(string path)
    {
        try { return File.ReadAllText(path).Replace('\0', ' '); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    // A process without a marker (sh, setpriv) belongs to the nearest ancestor that has one.
    private static string Resource(int pid, Dictionary<int, int> parents)
    {
        for (var current = pid; current > 1; current = parents.GetValueOrDefault(current))
        {
            var commandLine = Read($"/proc/{current}/cmdline");
            foreach (var (marker, resource) in Markers)
                if (commandLine.Contains(marker, StringComparison.Ordinal)) return resource;
        }
        return "other";
    }
}
