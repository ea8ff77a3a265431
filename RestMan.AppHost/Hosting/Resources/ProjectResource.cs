using RestMan.Hosting.Processes;

namespace RestMan.Hosting.Resources;

/// <summary>
/// One of our services, started from its built output (<c>dotnet &lt;Service&gt;.dll</c>) and configured exactly as
/// Aspire would configure it: connection strings, service discovery entries, OTEL and ASP.NET Core variables.
/// </summary>
public sealed class ProjectResource(string name, string projectPath) : Resource(name)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly List<Resource> _references = [];
    private readonly Dictionary<string, string> _environment = [];
    private ChildProcess? _process;
    private int? _fixedPort;
    private int _port;

    public string ProjectPath { get; } = projectPath;
    public IReadOnlyList<Resource> References => _references;
    public IReadOnlyDictionary<string, string> Environment => _environment;
    public bool IsExternalHttpEndpoint { get; private set; }
    public Uri Url => new($"http://localhost:{_port}");
    public override string? DisplayUrl => _port == 0 ? null : Url.ToString();
    public override IEnumerable<Resource> Dependencies => WaitsForResources.Union(_references);

    public string AssemblyPath
    {
        get
        {
            var directory = Path.GetDirectoryName(ProjectPath)!;
            var assemblyName = Path.GetFileNameWithoutExtension(ProjectPath);
            return Path.Combine(directory, "bin", RepositoryLayout.Configuration, "net10.0", assemblyName + ".dll");
        }
    }

    /// <summary>Hands the other resource's connection string (infrastructure) or URL (project) to this one.</summary>
    public ProjectResource WithReference(Resource other)
    {
        if (!_references.Contains(other)) _references.Add(other);
        return this;
    }

    public ProjectResource WaitFor(Resource other)
    {
        AddWaitFor(other);
        return this;
    }

    /// <summary>Listen on a fixed port (outside tests); otherwise a free one is chosen.</summary>
    public ProjectResource WithHttpEndpoint(int port)
    {
        _fixedPort = port;
        return this;
    }

    public ProjectResource WithExternalHttpEndpoints()
    {
        IsExternalHttpEndpoint = true;
        return this;
    }

    public ProjectResource WithEnvironment(string name, string value)
    {
        _environment[name] = value;
        return this;
    }

    internal override Task StartAsync(DistributedApplicationContext context, CancellationToken ct)
    {
        if (!File.Exists(AssemblyPath))
            throw new FileNotFoundException($"'{AssemblyPath}' is not built; run 'dotnet build RestMan.sln' first");

        var configuredPort = context.Configuration[$"Ports:{Name}"];
        _port = configuredPort is not null ? int.Parse(configuredPort)
            : _fixedPort is { } port && !context.IsTesting ? port : FreePort.Next();

        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = IsExternalHttpEndpoint ? $"http://localhost:{_port}" : $"http://127.0.0.1:{_port}",
            ["ASPNETCORE_ENVIRONMENT"] = context.ServiceEnvironment,
            ["DOTNET_ENVIRONMENT"] = context.ServiceEnvironment,
            ["OTEL_SERVICE_NAME"] = Name,
            ["Identity__SigningKey"] = context.IdentitySigningKey,
            // Children print plain lines; the AppHost adds the resource name.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["DOTNET_NOLOGO"] = "1",
        };
        if (context.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } otlp)
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
        foreach (var reference in _references)
        {
            switch (reference)
            {
                case InfrastructureResource infrastructure:
                    environment[$"ConnectionStrings__{infrastructure.Name}"] = infrastructure.ConnectionString;
                    break;
                case ProjectResource project:
                    environment[$"services__{project.Name}__http__0"] = $"http://127.0.0.1:{project._port}";
                    break;
            }
        }
        foreach (var (key, value) in _environment) environment[key] = value;
        // Per-run overrides from the AppHost's configuration: Services:<name>:Environment:<VAR>=value.
        foreach (var setting in context.Configuration.GetSection($"Services:{Name}:Environment").GetChildren())
            environment[setting.Key] = setting.Value;

        var dotnet = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        _process = ChildProcess.Start(dotnet, [AssemblyPath], Log, environment, Path.GetDirectoryName(AssemblyPath));
        return Task.CompletedTask;
    }

    internal override Task WaitHealthyAsync(CancellationToken ct) =>
        Health.PollUntilAsync(Name, async token =>
        {
            using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{_port}/health"), token);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"/health answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(token)}");
        }, _process?.Exited, this, ct);

    public override Task StopAsync() => _process?.StopAsync(TimeSpan.FromSeconds(5)) ?? Task.CompletedTask;

    /// <summary>The live process, for tests that stop or inspect one service.</summary>
    public ChildProcess? Process => _process;
}
