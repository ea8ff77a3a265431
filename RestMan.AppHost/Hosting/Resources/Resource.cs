using RestMan.Hosting.Processes;

namespace RestMan.Hosting.Resources;

public enum ResourceState { Pending, Starting, Running, Failed, Stopped }

/// <summary>A node of the application graph: infrastructure or a project, with what it waits for.</summary>
public abstract class Resource(string name)
{
    private readonly List<Resource> _waitsFor = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;
    public ResourceState State { get; internal set; } = ResourceState.Pending;
    public string? FailureReason { get; internal set; }
    public IReadOnlyList<Resource> WaitsForResources => _waitsFor;
    public virtual IEnumerable<Resource> Dependencies => _waitsFor;
    public ResourceLog Log { get; private set; } = new(name, echoToConsole: false);

    /// <summary>The URL a person would open or a client would use, for the start-up summary.</summary>
    public abstract string? DisplayUrl { get; }

    internal Task Ready => _ready.Task;

    internal void AttachLog(ResourceLog log) => Log = log;

    internal void AddWaitFor(Resource other)
    {
        if (!_waitsFor.Contains(other)) _waitsFor.Add(other);
    }

    internal abstract Task StartAsync(DistributedApplicationContext context, CancellationToken ct);
    internal abstract Task WaitHealthyAsync(CancellationToken ct);
    /// <summary>Stops this one resource (tests use it to take a dependency away).</summary>
    public abstract Task StopAsync();

    internal void MarkReady() { State = ResourceState.Running; _ready.TrySetResult(); }
    internal void MarkFailed(Exception error)
    {
        State = ResourceState.Failed;
        FailureReason = error.Message;
        _ready.TrySetException(new ResourceFailedException(this, error));
    }
}

/// <summary>Infrastructure a project can reference: hands out a connection string; may be external.</summary>
public abstract class InfrastructureResource(string name, string containerImage, string containerTag) : Resource(name)
{
    /// <summary>The image a cloud deployment runs for this resource (kept for manifest publishing).</summary>
    public string ContainerImage { get; } = containerImage;
    public string ContainerTag { get; } = containerTag;

    /// <summary>Set when <c>ConnectionStrings:&lt;name&gt;</c> is configured: nothing is started for it.</summary>
    public string? ExternalConnectionString { get; internal set; }
    public bool IsExternal => ExternalConnectionString is not null;

    public abstract string ConnectionString { get; }
    public override string? DisplayUrl => ConnectionString;

    internal sealed override async Task StartAsync(DistributedApplicationContext context, CancellationToken ct)
    {
        if (IsExternal)
        {
            Log.Write($"external: {ConnectionString}");
            return;
        }
        await StartLocalAsync(context, ct);
    }

    internal sealed override async Task WaitHealthyAsync(CancellationToken ct)
    {
        await Health.PollUntilAsync(Name, CheckHealthyAsync, LocalProcessExited, context: this, ct);
        if (!IsExternal) await PrepareAsync(ct);
    }

    public sealed override Task StopAsync() => IsExternal ? Task.CompletedTask : StopLocalAsync();

    protected abstract Task StartLocalAsync(DistributedApplicationContext context, CancellationToken ct);
    protected abstract Task StopLocalAsync();
    /// <summary>A real round trip: a connection and a query.</summary>
    protected abstract Task CheckHealthyAsync(CancellationToken ct);
    /// <summary>One-time set-up once healthy (database, topics).</summary>
    protected virtual Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;
    protected virtual ChildProcess? LocalProcess => null;

    /// <summary>The process group of the local process, when one runs (tests check it is gone after a stop).</summary>
    public int? LocalProcessId => LocalProcess?.Pid;

    private Task? LocalProcessExited => LocalProcess?.Exited;
}

public sealed class ResourceFailedException(Resource resource, Exception inner)
    : Exception(Describe(resource, inner), inner)
{
    public Resource Resource { get; } = resource;

    private static string Describe(Resource resource, Exception inner)
    {
        // Stack frames crowd out the message that says what went wrong; keep the lines a person reads.
        var tail = resource.Log.Tail(200).Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).TakeLast(20).ToList();
        var lines = tail.Count == 0 ? "  (no output)" : string.Join(Environment.NewLine, tail.Select(l => "  " + l));
        return $"Resource '{resource.Name}' failed: {inner.Message}{Environment.NewLine}Last log lines of '{resource.Name}':{Environment.NewLine}{lines}";
    }
}
