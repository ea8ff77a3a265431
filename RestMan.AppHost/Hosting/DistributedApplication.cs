using System.Runtime.InteropServices;
using RestMan.Hosting.Processes;
using RestMan.Hosting.Resources;
using RestMan.Hosting.Testing;

namespace RestMan.Hosting;

/// <summary>
/// The running graph: starts resources in dependency order gated by health, reports failures with their last log
/// lines, and stops every child process on Ctrl+C, SIGTERM or dispose.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly DistributedApplicationContext _context;
    private readonly bool _deleteDataOnDispose;
    private int _stopped;

    internal DistributedApplication(DistributedApplicationContext context, IReadOnlyList<Resource> resources, bool deleteDataOnDispose)
    {
        _context = context;
        Resources = resources;
        _deleteDataOnDispose = deleteDataOnDispose;
        foreach (var resource in resources) resource.AttachLog(new ResourceLog(resource.Name, context.EchoLogs));
    }

    public IReadOnlyList<Resource> Resources { get; }
    public DistributedApplicationContext Context => _context;

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args, TestingHook.Current);

    public T GetResource<T>(string name) where T : Resource =>
        Resources.OfType<T>().FirstOrDefault(r => r.Name == name)
        ?? throw new ArgumentException($"no {typeof(T).Name} named '{name}' in this application");

    public string GetConnectionString(string name) => GetResource<InfrastructureResource>(name).ConnectionString;

    /// <summary>An HttpClient whose base address is the project resource's endpoint.</summary>
    public HttpClient CreateHttpClient(string name) => new() { BaseAddress = GetResource<ProjectResource>(name).Url };

    /// <summary>Starts every resource once its dependencies are healthy; throws naming the first resource that failed.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(_context.DataRoot);
        var starts = Resources.Select(r => StartResourceAsync(r, ct)).ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            var failure = Resources.Where(r => r.State == ResourceState.Failed)
                .Select(r => r.Ready.Exception?.InnerException).OfType<ResourceFailedException>()
                .FirstOrDefault(e => e.InnerException is not DependencyFailedException);
            await StopAsync();
            if (failure is not null) throw failure;
            throw;
        }
    }

    private async Task StartResourceAsync(Resource resource, CancellationToken ct)
    {
        try
        {
            foreach (var dependency in resource.Dependencies)
            {
                try { await dependency.Ready; }
                catch (Exception) { throw new DependencyFailedException(dependency.Name); }
            }
            resource.State = ResourceState.Starting;
            await resource.StartAsync(_context, ct);
            await resource.WaitHealthyAsync(ct);
            resource.MarkReady();
        }
        catch (Exception error)
        {
            resource.MarkFailed(error);
            throw;
        }
    }

    /// <summary>Stops projects first, then infrastructure, each group in parallel; kills what will not stop.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        await Task.WhenAll(Resources.OfType<ProjectResource>().Select(StopQuietlyAsync));
        await Task.WhenAll(Resources.Where(r => r is not ProjectResource).Select(StopQuietlyAsync));
        if (_deleteDataOnDispose)
        {
            try { Directory.Delete(_context.DataRoot, recursive: true); }
            catch (IOException) { } // a straggling file handle only leaves a temp folder behind
        }
    }

    private static async Task StopQuietlyAsync(Resource resource)
    {
        try
        {
            await resource.StopAsync();
        }
        finally
        {
            resource.State = ResourceState.Stopped;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>Runs until Ctrl+C or SIGTERM; a failed start sets a non-zero exit code.</summary>
    public void Run() => RunAsync().GetAwaiter().GetResult();

    public async Task RunAsync()
    {
        if (TestingHook.Current is not null) return; // a test drives StartAsync/DisposeAsync itself

        using var shutdown = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; shutdown.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; shutdown.Cancel(); });
        try
        {
            Console.WriteLine($"RestMan AppHost: starting {Resources.Count} resources (data in {_context.DataRoot})");
            await StartAsync(shutdown.Token);
            PrintSummary();
            await Task.Delay(Timeout.Infinite, shutdown.Token);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
        }
        catch (ResourceFailedException failure)
        {
            Console.Error.WriteLine(failure.Message);
            Environment.ExitCode = 1;
        }
        finally
        {
            Console.WriteLine("RestMan AppHost: stopping...");
            await StopAsync();
            Console.WriteLine("RestMan AppHost: stopped.");
        }
    }

    private void PrintSummary()
    {
        Console.WriteLine();
        Console.WriteLine($"{"RESOURCE",-12} {"STATE",-9} URL");
        foreach (var resource in Resources)
            Console.WriteLine($"{resource.Name,-12} {resource.State,-9} {resource.DisplayUrl}");
        if (Resources.OfType<ProjectResource>().FirstOrDefault(p => p.IsExternalHttpEndpoint) is { } gateway)
            Console.WriteLine($"{Environment.NewLine}RestMan is up: {gateway.Url}  (Ctrl+C to stop)");
        Console.WriteLine();
    }
}

internal sealed class DependencyFailedException(string dependency) : Exception($"its dependency '{dependency}' failed");
