using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RestMan.Tests.Infrastructure;

/// <summary>What a test may change about the AppHost's graph.</summary>
public sealed class TestGraphOptions
{
    /// <summary>Start only these resources and what they reference or wait for; empty means the whole graph.</summary>
    public List<string> Resources { get; } = [];
    /// <summary>AppHost configuration, e.g. <c>ConnectionStrings:redis</c>, <c>Services:auth:Environment:X</c>, <c>RestMan:ServiceEnvironment</c>.</summary>
    public Dictionary<string, string?> Configuration { get; } = [];
    /// <summary>Last-minute changes to the declared graph (extra resources, references).</summary>
    public Action<IDistributedApplicationTestingBuilder>? ConfigureBuilder { get; set; }
    /// <summary>
    /// Each client <see cref="TestGraph.CreateHttpClient"/> makes says it is a client of its own (an X-Forwarded-For
    /// address of its own, believed from loopback), so per-client budgets count clients, not this test process.
    /// </summary>
    public bool EachClientItsOwnAddress { get; set; }
}

/// <summary>
/// The AppHost's own graph (<c>Projects.RestMan_AppHost</c>) started through Aspire's
/// <see cref="DistributedApplicationTestingBuilder"/>: random ports, throwaway data, no dashboard, telemetry off.
/// Everything a behaviour or fault test needs is one call away.
/// </summary>
public sealed class TestGraph : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private readonly Dictionary<string, string> _connectionStrings;
    private readonly string _dataRoot;

    private int _clients;

    private TestGraph(DistributedApplication app, string dataRoot, string signingKey, Dictionary<string, string> connectionStrings, IReadOnlyList<string> names)
    {
        App = app;
        _dataRoot = dataRoot;
        IdentitySigningKey = signingKey;
        _connectionStrings = connectionStrings;
        ResourceNames = names;
    }

    public DistributedApplication App { get; }
    /// <summary>The key the gateway signs forwarded identity with (fixed per graph, handed to every service).</summary>
    public string IdentitySigningKey { get; }
    /// <summary>The resources this graph started.</summary>
    public IReadOnlyList<string> ResourceNames { get; }

    /// <summary>Builds the AppHost's graph (or the <see cref="TestGraphOptions.Resources"/> subset), starts it, waits until every resource is healthy.</summary>
    public static async Task<TestGraph> StartAsync(Action<TestGraphOptions>? configure = null, CancellationToken ct = default)
    {
        var options = new TestGraphOptions();
        configure?.Invoke(options);
        var dataRoot = TestDataRoots.Create();
        var signingKey = options.Configuration.GetValueOrDefault("Identity:SigningKey") ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Dictionary<string, string?> configuration = new(options.Configuration)
        {
            ["RestMan:DataRoot"] = dataRoot,
            ["RestMan:Ephemeral"] = "true",
            ["RestMan:GatewayPort"] = options.Configuration.GetValueOrDefault("RestMan:GatewayPort") ?? "0", // a free port, not ./run.sh's 8000
            // The AppHost's watcher says what is not up before this class's own deadline would.
            ["RestMan:StartTimeout"] = options.Configuration.GetValueOrDefault("RestMan:StartTimeout") ?? (StartTimeout - TimeSpan.FromSeconds(15)).ToString(),
            ["Identity:SigningKey"] = signingKey,
        };
        string[] args = [.. configuration.Select(c => $"--{c.Key}={c.Value}")];

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.RestMan_AppHost>(args, timeout.Token);
        // Every resource's console output would flood the test log; failures name the unhealthy resources instead.
        builder.Services.AddLogging(l => l.AddFilter((provider, _, level) => provider?.Contains("Console", StringComparison.Ordinal) != true || level >= LogLevel.Critical));
        if (Environment.GetEnvironmentVariable("RESTMAN_TEST_APPHOST_LOG") is { Length: > 0 } log)
            builder.Services.AddLogging(l => l.AddProvider(new FileLoggerProvider(log)));
        options.ConfigureBuilder?.Invoke(builder);
        KeepOnly(builder, options.Resources);
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            // A dead OTLP endpoint makes every service's shutdown slow; a test that wants telemetry configures it.
            if (!configuration.ContainsKey($"Services:{project.Name}:Environment:OTEL_SDK_DISABLED"))
                project.Annotations.Add(new EnvironmentCallbackAnnotation("OTEL_SDK_DISABLED", () => "true"));
        }
        var names = builder.Resources.Where(r => r is IResourceWithConnectionString or ProjectResource).Select(r => r.Name).ToList();

        var app = await builder.BuildAsync(timeout.Token);
        try
        {
            // A resource that cannot start fails the graph at once with its last log lines (GraphStartException), even
            // while StartAsync still waits for resources that wait for it.
            var up = app.Services.GetRequiredService<StartupWatcher>().Up;
            var start = app.StartAsync(timeout.Token);
            await Task.WhenAny(start, up);
            if (up.IsFaulted) await up;
            await start;
            await up.WaitAsync(timeout.Token);
            await Task.WhenAll(names.Select(n => app.ResourceNotifications.WaitForResourceHealthyAsync(n, timeout.Token)));
            var connectionStrings = new Dictionary<string, string>();
            foreach (var resource in builder.Resources.OfType<IResourceWithConnectionString>())
                connectionStrings[resource.Name] = await resource.GetConnectionStringAsync(timeout.Token) ?? "";
            return new TestGraph(app, dataRoot, signingKey, connectionStrings, names) { EachClientItsOwnAddress = options.EachClientItsOwnAddress };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            var states = names.Select(n => app.ResourceNotifications.TryGetCurrentState(n, out var e)
                ? $"{n}: {e.Snapshot.State?.Text} {e.Snapshot.HealthStatus}" : $"{n}: (no state)");
            await app.DisposeAsync();
            TestDataRoots.Delete(dataRoot);
            throw new TimeoutException($"the graph was not healthy within {StartTimeout.TotalSeconds:0} s: {string.Join("; ", states)}");
        }
        catch
        {
            await app.DisposeAsync();
            TestDataRoots.Delete(dataRoot);
            throw;
        }
    }

    /// <summary>See <see cref="TestGraphOptions.EachClientItsOwnAddress"/>.</summary>
    public bool EachClientItsOwnAddress { get; private init; }

    /// <summary>A new client whose base address is the resource's http endpoint.</summary>
    public HttpClient CreateHttpClient(string resource)
    {
        var client = App.CreateHttpClient(resource, "http");
        if (EachClientItsOwnAddress)
        {
            var n = Interlocked.Increment(ref _clients);
            client.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.18.{n / 250 % 250}.{n % 250 + 1}");
        }
        return client;
    }

    /// <summary>The gateway's base URL (its public endpoint).</summary>
    public Uri GatewayUrl => App.GetEndpoint("gateway", "http");

    /// <summary>The connection string a service gets for cockroach, clickhouse, redis or kafka.</summary>
    public string GetConnectionString(string resource) => _connectionStrings.TryGetValue(resource, out var value)
        ? value : throw new ArgumentException($"no resource with a connection string named '{resource}' in this graph");

    /// <summary>The Kafka dev broker's control API: POST /brokers/down, /brokers/up, /brokers/{id}/down|up, /topics; GET /brokers.</summary>
    public Uri KafkaControlUrl => App.GetEndpoint("kafka", "control");

    /// <summary>Takes every Kafka broker down (clients cut off, data kept) or brings them back.</summary>
    public async Task SetKafkaBrokersAsync(bool up, CancellationToken ct = default)
    {
        using var http = new HttpClient { BaseAddress = KafkaControlUrl };
        (await http.PostAsync(up ? "/brokers/up" : "/brokers/down", null, ct)).EnsureSuccessStatusCode();
    }

    /// <summary>Creates a topic on the Kafka dev broker.</summary>
    public async Task CreateKafkaTopicAsync(string topic, int partitions, CancellationToken ct = default)
    {
        using var http = new HttpClient { BaseAddress = KafkaControlUrl };
        (await http.PostAsJsonAsync("/topics", new { name = topic, partitions }, ct)).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// The PID DCP reports for the resource (snapshot property <c>executable.pid</c>): the engine's launcher (sh for
    /// PostgreSQL) or, for a project, its <c>dotnet run</c>. <see cref="GetProcessTree"/> adds the descendants.
    /// </summary>
    public int? GetProcessId(string resource)
    {
        if (!App.ResourceNotifications.TryGetCurrentState(resource, out var state)) return null;
        var pid = state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value;
        return pid switch
        {
            int i => i,
            long l => (int)l,
            string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    /// <summary>The resource's process and all its descendants (e.g. to SIGSTOP/SIGCONT a service or PostgreSQL).</summary>
    public HashSet<int> GetProcessTree(string resource) =>
        GetProcessId(resource) is { } pid ? ProcessTable.WithDescendants([pid]) : [];

    /// <summary>The last lines a resource wrote (its replicas' included): evidence for a test that failed on it.</summary>
    public Task<IReadOnlyList<string>> LastLogLinesAsync(string resource, int count) =>
        App.Services.GetRequiredService<ResourceLoggerService>().LastLinesAsync(
            App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource), count);

    /// <summary>Stops a resource as the dashboard's Stop button does (DCP sends SIGTERM) and waits until it has exited.</summary>
    public async Task StopResourceAsync(string resource, CancellationToken ct = default)
    {
        await ExecuteAsync(resource, KnownResourceCommands.StopCommand, ct);
        await App.ResourceNotifications.WaitForResourceAsync(resource,
            e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), ct);
    }

    /// <summary>Starts a stopped resource again (same ports: engines bind fixed ones) and waits until it is healthy.</summary>
    public async Task StartResourceAsync(string resource, CancellationToken ct = default)
    {
        await ExecuteAsync(resource, KnownResourceCommands.StartCommand, ct);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, ct);
    }

    /// <summary>
    /// Kills the resource's whole process tree with SIGKILL, as a crash or the OOM killer would (no shutdown hooks, no
    /// leaving the consumer group), and waits until DCP reports it ended. <see cref="StartResourceAsync"/> brings it back.
    /// </summary>
    public async Task KillResourceAsync(string resource, CancellationToken ct = default)
    {
        var pids = GetProcessTree(resource);
        if (pids.Count == 0) throw new InvalidOperationException($"the {resource} resource has no process to kill");
        foreach (var pid in pids) ProcessTable.Kill(pid, ProcessTable.SigKill);
        await App.ResourceNotifications.WaitForResourceAsync(resource,
            e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), ct);
    }

    /// <summary>Stop, then start: e.g. restart PostgreSQL (<c>cockroach</c>) under the running services.</summary>
    public async Task RestartResourceAsync(string resource, CancellationToken ct = default)
    {
        await StopResourceAsync(resource, ct);
        await StartResourceAsync(resource, ct);
    }

    private async Task ExecuteAsync(string resource, string command, CancellationToken ct)
    {
        var result = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command, ct);
        if (!result.Success) throw new InvalidOperationException($"{command} on '{resource}' failed: {result.Message}");
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        TestDataRoots.Delete(_dataRoot);
    }

    /// <summary>Removes every resource that the wanted ones neither reference nor wait for.</summary>
    private static void KeepOnly(IDistributedApplicationTestingBuilder builder, List<string> wanted)
    {
        if (wanted.Count == 0) return;
        var keep = new HashSet<IResource>();
        void Visit(IResource resource)
        {
            if (!keep.Add(resource)) return;
            foreach (var wait in resource.Annotations.OfType<WaitAnnotation>()) Visit(wait.Resource);
            foreach (var reference in resource.Annotations.OfType<ResourceRelationshipAnnotation>()) Visit(reference.Resource);
        }
        foreach (var name in wanted)
            Visit(builder.Resources.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"no resource named '{name}' in the graph"));
        foreach (var resource in builder.Resources.Where(r => !keep.Contains(r) && r is IResourceWithConnectionString or ProjectResource).ToList())
            builder.Resources.Remove(resource);
    }
}
