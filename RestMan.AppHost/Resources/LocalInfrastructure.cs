using System.Diagnostics;
using System.Reflection;

namespace Aspire.Hosting;

/// <summary>What the run-mode engines share: whether to run containers, where data lives, root.</summary>
internal static class LocalInfrastructure
{
    /// <summary>Containers in publish mode, and in run mode when <c>RestMan:UseContainers</c> is set (a machine with a runtime).</summary>
    public static bool UseContainers(IDistributedApplicationBuilder builder) =>
        builder.ExecutionContext.IsPublishMode || builder.Configuration.GetValue<bool>("RestMan:UseContainers");

    /// <summary>Tests hand a throwaway folder in <c>RestMan:DataRoot</c> and ask for no durability with <c>RestMan:Ephemeral</c>.</summary>
    public static bool IsEphemeral(IDistributedApplicationBuilder builder) => builder.Configuration.GetValue<bool>("RestMan:Ephemeral");

    /// <summary>The resource's data folder: git-ignored <c>.restman/&lt;name&gt;</c> in the checkout unless configured.</summary>
    public static string DataDirectory(IDistributedApplicationBuilder builder, string name)
    {
        var root = builder.Configuration["RestMan:DataRoot"] ?? Path.Combine(RepositoryRoot, ".restman");
        var path = Path.Combine(root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>An engine's password when publishing: generated once by the deployment (azd), like Aspire's Redis; no ';' to break a connection string.</summary>
    public static GenerateParameterDefault GeneratedPassword => new() { MinLength = 22, Special = false };

    public static bool IsRoot => Environment.UserName == "root";

    public static string RepositoryRoot => Metadata("RestManRepositoryRoot");

    public static string Metadata(string key) =>
        typeof(LocalInfrastructure).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"assembly metadata '{key}' missing from the AppHost build");

    /// <summary>Runs a short set-up command (chown, test -w) and returns its exit code.</summary>
    public static int Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        process.WaitForExit();
        return process.ExitCode;
    }
}

/// <summary>
/// A container resource that hands out a connection string to its primary endpoint, named for what it speaks
/// (<c>tcp</c>, <c>http</c>) (publish mode / container mode).
/// </summary>
public sealed class ServerContainerResource(string name, string primaryEndpointName, Func<EndpointReference, ReferenceExpression> connectionString)
    : ContainerResource(name), IResourceWithConnectionString
{
    public EndpointReference PrimaryEndpoint => new(this, primaryEndpointName);
    public ReferenceExpression ConnectionStringExpression => connectionString(PrimaryEndpoint);
}
