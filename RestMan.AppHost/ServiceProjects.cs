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
        // Run mode: each service listens on its own port with no DCP proxy in front of it (one process hop less on
        // every call; the proxy cost ~45 µs of CPU per request). A restarted service gets the same port again unless
        // another process took it meanwhile.
        project = builder.ExecutionContext.IsRunMode
            ? project.WithFreePortEndpoint("http", "http")
            : project.WithHttpEndpoint();
        project = project
            .WithHttpHealthCheck("/health")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", environment)
            .WithEnvironment("DOTNET_ENVIRONMENT", environment)
            // A dozen processes share the cores: idle thread-pool workers block at once instead of spinning on CPU another needs.
            .WithEnvironment("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "0")
            .WithEnvironment(context => context.EnvironmentVariables["Identity__SigningKey"] = signingKey);
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
