using System.Security.Cryptography;

namespace Aspire.Hosting;

/// <summary>How every RestMan service is added: its environment, the shared identity key, per-run overrides.</summary>
public static class ServiceProjects
{
    /// <summary>
    /// A service project with one http endpoint, <c>ASPNETCORE_ENVIRONMENT</c> (<c>RestMan:ServiceEnvironment</c>;
    /// Development in run mode, Production when publishing), the gateway's identity signing key (<c>Identity:SigningKey</c>, else one per run) and
    /// extra variables from <c>Services:&lt;name&gt;:Environment:&lt;VAR&gt;</c> (tests use it for one service).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
        var environment = ServiceEnvironment(builder);
        var signingKey = SigningKey(builder);
        var project = builder.AddProject<TProject>(name, launchProfileName: null);
        var replicas = Replicas(builder, name);
        // Run mode, one replica: the service listens on its own port with no DCP proxy in front of it (one process hop
        // less on every call; the proxy cost ~45 µs of CPU per request). A restarted service gets the same port again
        // unless another process took it meanwhile. Several replicas: Aspire refuses proxy-less endpoints with them, so
        // DCP's proxy listens on the service's port and spreads connections over the replicas (each on its own port).
        project = builder.ExecutionContext.IsRunMode && replicas == 1
            ? project.WithFreePortEndpoint("http", "http")
            : project.WithHttpEndpoint();
        // Run mode starts that many processes; the manifest carries the count (Aspire's project.v0 writer leaves it out).
        if (replicas > 1) project = project.WithReplicas(replicas).WithManifestPublishingCallback(context => WriteProjectAsync(context, project.Resource, replicas));
        project = project
            .WithHttpHealthCheck("/health")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", environment)
            .WithEnvironment("DOTNET_ENVIRONMENT", environment)
            // A dozen processes share the cores: idle thread-pool workers block at once instead of spinning on CPU another needs.
            .WithEnvironment("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "0")
            .WithEnvironment(context => context.EnvironmentVariables["Identity__SigningKey"] = signingKey);
        // Which replica a process is (Kafka static membership, the web app's own consumer group): in run mode the id
        // Aspire gives each replica (DCP fills it in per process; the same after that replica restarts). A deployment
        // sets RestMan__ReplicaId itself (e.g. the pod's name). A single process keeps dynamic membership: nothing to keep
        // apart, and it is what the fault suite's 10 s broker freeze has always recovered from (once, with static members
        // on every single-replica service, every producer stayed stuck after the freeze; not proven to be the cause).
        if (builder.ExecutionContext.IsRunMode && replicas > 1)
            project = project.WithEnvironment("RestMan__ReplicaId", ReplicaIdTemplate);
        foreach (var setting in builder.Configuration.GetSection($"Services:{name}:Environment").GetChildren())
            project.WithEnvironment(setting.Key, setting.Value ?? "");
        return project;
    }

    /// <summary>
    /// The service's http endpoint on <paramref name="port"/> (run mode: where the service itself listens); 0 keeps a
    /// free port chosen for it (tests, a second graph beside ./run.sh).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHttpPort(this IResourceBuilder<ProjectResource> project, int port) =>
        port == 0 ? project : project.WithFixedPort("http", port);

    // Aspire's own project.v0 entry (path, args, env, bindings) and "replicas".
    private static async Task WriteProjectAsync(Publishing.ManifestPublishingContext context, ProjectResource project, int replicas)
    {
        context.Writer.WriteString("type", "project.v0");
        context.Writer.WriteString("path", context.GetManifestRelativePath(project.GetProjectMetadata().ProjectPath));
        await context.WriteCommandLineArgumentsAsync(project);
        await context.WriteEnvironmentVariablesAsync(project);
        context.WriteBindings(project);
        context.Writer.WriteNumber("replicas", replicas);
    }

    // DCP's template for the replica's own instance id (the value Aspire gives OTEL_RESOURCE_ATTRIBUTES' service.instance.id).
    private const string ReplicaIdTemplate = "{{- index .Annotations \"otel-service-instance-id\" -}}";

    /// <summary>
    /// How many replicas of <paramref name="name"/> run: <c>RestMan:Replicas:&lt;name&gt;</c>, else <c>RestMan:Replicas</c>
    /// (every service), else one.
    /// </summary>
    public static int Replicas(IDistributedApplicationBuilder builder, string name)
    {
        var configured = builder.Configuration[$"RestMan:Replicas:{name}"] is { Length: > 0 } own ? own : builder.Configuration["RestMan:Replicas"];
        if (string.IsNullOrWhiteSpace(configured)) return 1;
        return int.TryParse(configured, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var replicas) && replicas is >= 1 and <= 64
            ? replicas
            : throw new InvalidOperationException($"RestMan:Replicas for '{name}' is '{configured}': a whole number from 1 to 64");
    }

    // A deployment is Production: the dev mailbox and every other Development-only endpoint must not exist there.
    private static string ServiceEnvironment(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration["RestMan:ServiceEnvironment"];
        if (!builder.ExecutionContext.IsPublishMode) return configured ?? "Development";
        if (string.Equals(configured, "Development", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException("RestMan:ServiceEnvironment=Development cannot be published: Development maps the dev mailbox, which hands anyone every user's sign-in code.");
        return configured ?? "Production";
    }

    // Publishing: a secret parameter the deployment supplies, never a key baked into the manifest.
    private static object SigningKey(IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsPublishMode)
            return builder.Configuration["Identity:SigningKey"] ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == "identity-signing-key")
            ?? builder.AddParameter("identity-signing-key", secret: true).Resource;
    }
}
