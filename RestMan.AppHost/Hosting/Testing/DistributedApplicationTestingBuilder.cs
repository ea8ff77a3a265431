using System.Reflection;

namespace RestMan.Hosting.Testing;

/// <summary>What a test may change about the graph its AppHost declares.</summary>
public sealed class DistributedApplicationTestingOptions
{
    /// <summary>Start only these resources (and what they depend on); empty means the whole graph.</summary>
    public List<string> Resources { get; } = [];
    /// <summary>AppHost configuration overrides, e.g. <c>ConnectionStrings:redis</c> or <c>Services:auth:Environment:X</c>.</summary>
    public Dictionary<string, string?> Configuration { get; } = [];
    /// <summary>Last-minute changes to the declared resources (environment, references).</summary>
    public Action<DistributedApplicationBuilder>? ConfigureBuilder { get; set; }
}

/// <summary>
/// The role of Aspire's <c>DistributedApplicationTestingBuilder</c>: runs the AppHost's own <c>Program</c> so a test
/// gets the same graph, but on random ports with throwaway data, and drives its start and disposal.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>Builds the graph declared by <typeparamref name="TEntryPoint"/>'s assembly, starts it and waits until healthy.</summary>
    public static async Task<DistributedApplication> StartAsync<TEntryPoint>(
        Action<DistributedApplicationTestingOptions>? configure = null, CancellationToken ct = default)
    {
        var options = new DistributedApplicationTestingOptions();
        configure?.Invoke(options);
        var app = await BuildAsync(typeof(TEntryPoint).Assembly, options);
        await app.StartAsync(ct);
        return app;
    }

    private static async Task<DistributedApplication> BuildAsync(Assembly appHost, DistributedApplicationTestingOptions options)
    {
        var entryPoint = appHost.EntryPoint ?? throw new InvalidOperationException($"{appHost.GetName().Name} has no entry point");
        await OneAtATime.WaitAsync();
        try
        {
            var hook = new TestingHook(options);
            TestingHook.Current = hook;
            // Program's top-level statements: CreateBuilder picks up the hook, Build() hands the app back, Run() returns.
            var result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
            if (result is Task task) await task;
            return hook.App ?? throw new InvalidOperationException("the AppHost's Program never called Build()");
        }
        finally
        {
            TestingHook.Current = null;
            OneAtATime.Release();
        }
    }
}

internal sealed class TestingHook(DistributedApplicationTestingOptions options)
{
    private static readonly AsyncLocal<TestingHook?> CurrentHook = new();

    public static TestingHook? Current
    {
        get => CurrentHook.Value;
        set => CurrentHook.Value = value;
    }

    public DistributedApplicationTestingOptions Options { get; } = options;
    public DistributedApplication? App { get; private set; }

    public void Built(DistributedApplication app) => App = app;
}
