using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Why the graph did not come up: the resource that failed and its last log lines, or what was still waiting.</summary>
public sealed class GraphStartException(string message) : Exception(message);

/// <summary>
/// Watches the graph come up: a process that ends while starting is started again up to <c>RestMan:StartRetries</c>
/// times (2 by default; a taken port is replaced on the way, see <see cref="FreePorts"/>), then <see cref="Up"/> fails
/// with the resource's last log lines; if the graph is not healthy within <c>RestMan:StartTimeout</c> (5 minutes by
/// default), it fails with what is still waiting and on what. Once the graph is up it steps aside: stopping or
/// killing a resource later is someone's intent.
/// </summary>
/// <remarks>
/// Started from <see cref="BeforeStartEvent"/>, not as a hosted service: hosted services start one after the other,
/// and Aspire's orchestrator returns from its start only once every resource has been created, i.e. never when a
/// resource waits for one that cannot start.
/// </remarks>
public sealed class StartupWatcher(
    DistributedApplicationModel model, ResourceNotificationService notifications, ResourceCommandService commands,
    ResourceLoggerService logs, IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<StartupWatcher> logger)
{
    private const int LogLinesShown = 20;
    private const string Dashboard = "aspire-dashboard"; // Aspire's own resource: not part of RestMan's graph
    private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Every instance's latest state by its id: a resource with replicas is reported per replica ("orders-abcd1234").
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ResourceEvent> _instances = new();

    /// <summary>Completes when every resource is healthy; faults with <see cref="GraphStartException"/> when the graph cannot start.</summary>
    public Task Up => _up.Task;

    internal void Start()
    {
        _ = Task.Run(() => TrackInstancesAsync(lifetime.ApplicationStopping));
        _ = Task.Run(() => WatchAsync(lifetime.ApplicationStopping));
    }

    private async Task TrackInstancesAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(ct)) _instances[update.ResourceId] = update;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        var timeout = configuration.GetValue("RestMan:StartTimeout", TimeSpan.FromMinutes(5));
        var retries = configuration.GetValue("RestMan:StartRetries", 2);
        // Processes that start with the graph (not the hidden rebuilders Aspire adds per project, started on demand).
        var watched = model.Resources.Where(r => r is ExecutableResource or ProjectResource && r.Name != Dashboard
            && !r.Annotations.OfType<ExplicitStartupAnnotation>().Any()).ToList();
        using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        window.CancelAfter(timeout);
        try
        {
            var healthy = AllHealthyAsync(watched, window.Token);
            var failed = RetryFailuresAsync(watched, retries, window.Token);
            if (await Task.WhenAny(healthy, failed) == failed)
            {
                _up.TrySetException(new GraphStartException(await failed));
                return;
            }
            await healthy;
            _up.TrySetResult();
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            _up.TrySetException(new GraphStartException(await StillWaitingAsync(watched, timeout)));
        }
        catch (OperationCanceledException)
        {
            _up.TrySetCanceled(stoppingToken);
        }
        catch (Exception e)
        {
            _up.TrySetException(e); // a watcher that breaks must not leave the start waiting forever
        }
        finally
        {
            await window.CancelAsync(); // ends the failure watch
        }
    }

    private async Task AllHealthyAsync(List<IResource> watched, CancellationToken ct)
    {
        // All at once: one that was healthy and has ended since is not up.
        do await Task.WhenAll(watched.Select(r => notifications.WaitForResourceHealthyAsync(r.Name, WaitBehavior.WaitOnResourceUnavailable, ct)));
        while (!await AllHealthyNowAsync(watched, ct));
    }

    // A replica may be healthy before its siblings: wait a moment for them rather than for the next change.
    private async Task<bool> AllHealthyNowAsync(List<IResource> watched, CancellationToken ct)
    {
        if (watched.All(r => IsHealthy(r.Name))) return true;
        await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        return false;
    }

    /// <summary>Starts a resource again when its process ends; returns the report once one has used up its retries.</summary>
    private async Task<string> RetryFailuresAsync(List<IResource> watched, int retries, CancellationToken ct)
    {
        var names = watched.Select(r => r.Name).ToHashSet();
        var attempts = new Dictionary<string, int>();
        var ended = new HashSet<string>();
        await foreach (var update in notifications.WatchAsync(ct))
        {
            var name = update.Resource.Name;
            if (!names.Contains(name)) continue;
            var state = update.Snapshot.State?.Text;
            if (state is null || !KnownResourceStates.TerminalStates.Contains(state))
            {
                ended.Remove(name);
                continue;
            }
            if (!ended.Add(name)) continue; // the same end reported twice
            var attempt = attempts[name] = attempts.GetValueOrDefault(name) + 1;
            var why = update.Snapshot.ExitCode is { } code ? $"{state}, exit code {code}" : state;
            if (attempt > retries)
                return $"{name} failed to start ({why}; {attempt} attempts). Its last log lines:{Environment.NewLine}{await LastLogLinesAsync(update.Resource, ct)}";
            logger.LogWarning("{Resource} ended while starting ({Why}); starting it again ({Attempt} of {Retries})", name, why, attempt, retries);
            _ = StartAgainAsync(name, ct);
        }
        throw new OperationCanceledException(ct);
    }

    // Not awaited by the watch: a start command returns only once the resource's WaitFor dependencies are up.
    private async Task StartAgainAsync(string name, CancellationToken ct)
    {
        try
        {
            var result = await commands.ExecuteCommandAsync(name, KnownResourceCommands.StartCommand, ct);
            if (!result.Success) logger.LogWarning("Starting {Resource} again failed: {Message}", name, result.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<string> LastLogLinesAsync(IResource resource, CancellationToken ct, int count = LogLinesShown)
    {
        var lines = await logs.LastLinesAsync(resource, count, ct);
        return lines.Count == 0 ? "  (no output)" : string.Join(Environment.NewLine, lines.Select(line => "  " + line));
    }

    private async Task<string> StillWaitingAsync(List<IResource> watched, TimeSpan timeout)
    {
        List<string> lines = [$"RestMan did not come up within {timeout.TotalSeconds:0} s (RestMan:StartTimeout). Not up:"];
        foreach (var resource in watched.Where(r => !IsHealthy(r.Name)))
        {
            var waitsFor = resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Where(n => !IsHealthy(n)).Distinct().ToList();
            lines.Add($"  {resource.Name,-12} {Describe(resource.Name)}"
                      + (waitsFor.Count == 0 ? "" : $"; waits for {string.Join(", ", waitsFor.Select(n => $"{n} ({Describe(n)})"))}"));
            // What a process that runs but does not answer said last.
            if (waitsFor.Count == 0 && notifications.TryGetCurrentState(resource.Name, out var e) && e.Snapshot.State?.Text == KnownResourceStates.Running)
                lines.Add(await LastLogLinesAsync(resource, CancellationToken.None, count: 5));
        }
        return string.Join(Environment.NewLine, lines);
    }

    // Up when every replica is (one replica: the resource's own state).
    private bool IsHealthy(string name)
    {
        var replicas = _instances.Values.Where(e => e.Resource.Name == name && e.ResourceId != name).ToList();
        if (replicas.Count > 0) return replicas.All(IsHealthy);
        return notifications.TryGetCurrentState(name, out var e) && IsHealthy(e);
    }

    private static bool IsHealthy(ResourceEvent e) =>
        e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus is null or HealthStatus.Healthy;

    // "Running, Unhealthy: kafka_check: Connection refused" or "Exited, exit code 1".
    private string Describe(string name)
    {
        if (!notifications.TryGetCurrentState(name, out var e)) return "not started";
        var text = e.Snapshot.State?.Text is { Length: > 0 } state ? state : "not started";
        if (e.Snapshot.ExitCode is { } code && KnownResourceStates.TerminalStates.Contains(text)) text += $", exit code {code}";
        if (e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus is { } health && health != HealthStatus.Healthy)
            text += $", {health}" + string.Concat(e.Snapshot.HealthReports.Where(r => r.Status != HealthStatus.Healthy)
                .Select(r => $": {r.Name}: {r.Description ?? r.ExceptionText?.Split('\n')[0] ?? "no answer yet"}"));
        return text;
    }
}

/// <summary>
/// ./run.sh's console: once <see cref="StartupWatcher.Up"/>, the dashboard URL, the gateway URL and one
/// <c>&lt;resource&gt; Running &lt;endpoint&gt;</c> line per named resource (newcomers and our scripts read these lines);
/// if the graph cannot start, why, and the AppHost exits with code 1.
/// </summary>
internal sealed class StartupSummary(
    ProjectResource gateway, IResource[] resources, StartupWatcher watcher, IConfiguration configuration, IHostApplicationLifetime lifetime)
{
    internal void Start() => _ = Task.Run(() => ReportAsync(lifetime.ApplicationStopping));

    private async Task ReportAsync(CancellationToken ct)
    {
        try
        {
            await watcher.Up.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (GraphStartException e)
        {
            await Console.Error.WriteLineAsync($"{Environment.NewLine}RestMan could not start: {e.Message}");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
            return;
        }
        var lines = new List<string> { "", $"RestMan is up. Dashboard: {DashboardUrl()}", $"Gateway:   {new EndpointReference(gateway, "http").Url}", "" };
        foreach (var resource in resources)
            lines.Add($"{resource.Name,-12} Running  {await TargetAsync(resource, ct)}");
        lines.Add("(Ctrl+C to stop)");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }

    private string DashboardUrl()
    {
        var url = (configuration["ASPNETCORE_URLS"] ?? "http://localhost:18888").Split(';')[0].TrimEnd('/');
        var anonymous = configuration.GetValue<bool>("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS");
        return !anonymous && configuration["AppHost:BrowserToken"] is { Length: > 0 } token ? $"{url}/login?t={token}" : url;
    }

    // Projects show their URL; engines the host:port their connection string points at.
    private static async Task<string> TargetAsync(IResource resource, CancellationToken ct)
    {
        if (resource is ProjectResource project) return new EndpointReference(project, "http").Url;
        if (resource is not IResourceWithConnectionString withConnection) return "";
        var connection = await withConnection.GetConnectionStringAsync(ct) ?? "";
        var parts = new DbConnectionStringBuilder();
        try
        {
            parts.ConnectionString = connection;
        }
        catch (ArgumentException)
        {
            return connection; // host:port forms (Kafka, Redis) are not key=value lists
        }
        return parts.TryGetValue("Host", out var host) && parts.TryGetValue("Port", out var port) ? $"{host}:{port}" : connection.Split(',')[0];
    }
}

public static class StartupWatcherExtensions
{
    /// <summary>
    /// In run mode, watches the graph come up (<see cref="StartupWatcher"/>); ./run.sh (not tests) then prints the
    /// gateway's URL and the summary lines for <paramref name="summary"/> and the gateway, or why the graph could not
    /// start and exits with code 1.
    /// </summary>
    public static IDistributedApplicationBuilder WatchStartup(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> gateway, params IResourceBuilder<IResource>[] summary)
    {
        if (!builder.ExecutionContext.IsRunMode) return builder;
        // A dependant keeps waiting while what it waits for is started again; the watcher bounds the whole start.
        builder.Services.Configure<ResourceNotificationServiceOptions>(o => o.DefaultWaitBehavior = WaitBehavior.WaitOnResourceUnavailable);
        builder.Services.AddSingleton<StartupWatcher>();
        IResource[] resources = [.. summary.Select(r => r.Resource), gateway.Resource];
        var printSummary = !LocalInfrastructure.IsEphemeral(builder);
        StartupWatcher? watcher = null;
        // Once the watcher has said why the graph could not start, the host's "failed to start" stack trace adds nothing.
        builder.Services.AddLogging(l => l.AddFilter("Microsoft.Extensions.Hosting.Internal.Host",
            level => level >= LogLevel.Warning && watcher?.Up.IsFaulted != true));
        builder.Eventing.Subscribe<BeforeStartEvent>((start, _) =>
        {
            watcher = start.Services.GetRequiredService<StartupWatcher>();
            watcher.Start();
            if (printSummary) ActivatorUtilities.CreateInstance<StartupSummary>(start.Services, gateway.Resource, resources, watcher).Start();
            return Task.CompletedTask;
        });
        return builder;
    }
}
