using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace RestMan.Benchmarks;

/// <summary>
/// The AppHost started the way ./run.sh starts it (Release build, durable data in a fresh folder, dashboard and
/// telemetry on), with the gateway's per-client rate limit raised and services logging at Warning; the services'
/// telemetry goes to the dashboard or to a sink given by the caller.
/// </summary>
public sealed partial class RunningGraph : IAsyncDisposable
{
    private static readonly string[] Services = ["gateway", "auth", "scheduler", "restaurants", "orders", "kitchen", "billing", "analytics", "inventory", "web"];

    private readonly Process _appHost;
    private readonly Dictionary<string, string> _endpoints = new();

    private readonly string _dataRoot;
    private readonly string _otlp;

    private RunningGraph(Process appHost, string dataRoot, string otlp) => (_appHost, _dataRoot, _otlp) = (appHost, dataRoot, otlp);

    public int AppHostPid => _appHost.Id;
    public Uri Gateway => new(_endpoints["gateway"]);
    public int Port(string resource) => int.Parse(_endpoints[resource].Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
    public string Postgres => $"Host=127.0.0.1;Port={Port("cockroach")};Database=restman;Username=postgres;Pooling=true;Maximum Pool Size=4";

    /// <param name="telemetrySink">Where the services export their telemetry (OTLP/HTTP); null: to Aspire's dashboard, as ./run.sh does.</param>
    public static async Task<RunningGraph> StartAsync(string repositoryRoot, string dataRoot, TimeSpan timeout, Uri? telemetrySink)
    {
        var appHostDirectory = Path.Combine(repositoryRoot, "RestMan.AppHost");
        var start = new ProcessStartInfo(Path.Combine(appHostDirectory, "bin", "Release", "net10.0", "RestMan.AppHost"))
        {
            WorkingDirectory = appHostDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        // Own ports: the benchmark may run beside ./run.sh.
        start.Environment["ASPNETCORE_URLS"] = $"http://localhost:{FreePort()}";
        var otlp = $"http://localhost:{FreePort()}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = otlp;
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{FreePort()}";
        start.ArgumentList.Add($"--RestMan:DataRoot={dataRoot}");
        start.ArgumentList.Add($"--RestMan:GatewayPort={FreePort()}");
        start.ArgumentList.Add("--Services:gateway:Environment:Gateway__RateLimit__PermitsPerMinute=100000000");
        start.ArgumentList.Add("--RestMan:PostgresStatementStats=true");
        // RESTMAN_BENCH_REPLICAS="2" runs two replicas of every service; "gateway=2,orders=3" names them one by one.
        foreach (var setting in ReplicaSettings(Environment.GetEnvironmentVariable("RESTMAN_BENCH_REPLICAS")))
            start.ArgumentList.Add(setting);
        // RESTMAN_BENCH_SERVICE_ENV="VAR=value;VAR2=value" adds variables to every service, for experiments.
        var extra = (Environment.GetEnvironmentVariable("RESTMAN_BENCH_SERVICE_ENV") ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var service in Services)
        {
            start.ArgumentList.Add($"--Services:{service}:Environment:Logging__LogLevel__Default=Warning");
            if (telemetrySink is not null)
            {
                start.ArgumentList.Add($"--Services:{service}:Environment:OTEL_EXPORTER_OTLP_ENDPOINT={telemetrySink}");
                start.ArgumentList.Add($"--Services:{service}:Environment:OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
            }
            foreach (var variable in extra) start.ArgumentList.Add($"--Services:{service}:Environment:{variable}");
        }

        var graph = new RunningGraph(Process.Start(start) ?? throw new InvalidOperationException("the AppHost did not start"), dataRoot, otlp);
        var up = new TaskCompletionSource();
        graph._appHost.OutputDataReceived += (_, line) => graph.OnLine(line.Data, up);
        graph._appHost.ErrorDataReceived += (_, line) => { if (line.Data is { Length: > 0 } l) Console.Error.WriteLine($"  apphost: {l}"); };
        graph._appHost.BeginOutputReadLine();
        graph._appHost.BeginErrorReadLine();

        var finished = await Task.WhenAny(up.Task, graph._appHost.WaitForExitAsync(), Task.Delay(timeout));
        if (finished != up.Task)
        {
            await graph.DisposeAsync();
            throw new InvalidOperationException("the graph did not come up (see the AppHost's output above)");
        }
        return graph;
    }

    private void OnLine(string? line, TaskCompletionSource up)
    {
        if (line is null) return;
        var match = SummaryLine().Match(line);
        if (!match.Success) return;
        lock (_endpoints) _endpoints[match.Groups[1].Value] = match.Groups[2].Value;
        if (match.Groups[1].Value == "gateway") up.TrySetResult();
    }

    /// <summary>Every process the AppHost started, by resource (postgres backends count for cockroach).</summary>
    public ProcessCpu.Sample Cpu() => ProcessCpu.Take(Markers);

    /// <summary>Measures, from now on, the CPU the services spend in background tier-1 JIT.</summary>
    public JitMeter MeasureJit() => new([.. Cpu().Processes.Keys]);

    private string[] Markers =>
    [
        _dataRoot, _otlp, $"Port={Port("cockroach")};", $"127.0.0.1:{Port("redis")}",
        $"Port={Port("clickhouse")};", $"127.0.0.1:{Port("kafka")}", $"-p {Port("cockroach")}",
    ];

    public async ValueTask DisposeAsync()
    {
        // SIGTERM: the AppHost stops DCP, which stops every resource; only then is it gone.
        if (!_appHost.HasExited) _ = Kill(_appHost.Id, 15);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        try { await _appHost.WaitForExitAsync(wait.Token); }
        catch (OperationCanceledException) { _appHost.Kill(entireProcessTree: true); }
        _appHost.Dispose();
    }

    /// <summary>The AppHost arguments for RESTMAN_BENCH_REPLICAS ("2", or "gateway=2,orders=3"); none when unset.</summary>
    public static IEnumerable<string> ReplicaSettings(string? value)
    {
        foreach (var part in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            yield return pair.Length == 1 ? $"--RestMan:Replicas={pair[0]}" : $"--RestMan:Replicas:{pair[0]}={pair[1]}";
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"^(\w+)\s+Running\s+(\S+)\s*$")]
    private static partial Regex SummaryLine();
}
