using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace RestMan.Hosting;

/// <summary>What every resource needs to know about this run: where data lives, whether it is a test, shared secrets.</summary>
public sealed class DistributedApplicationContext
{
    internal DistributedApplicationContext(IConfiguration configuration, bool isTesting, string dataRoot, bool echoLogs)
    {
        Configuration = configuration;
        IsTesting = isTesting;
        DataRoot = dataRoot;
        EchoLogs = echoLogs;
        IdentitySigningKey = configuration["Identity:SigningKey"]
            ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        ServiceEnvironment = configuration["ServiceEnvironment"] ?? "Development";
    }

    public IConfiguration Configuration { get; }
    /// <summary>Started by a test: random ports everywhere, throwaway data, no console echo.</summary>
    public bool IsTesting { get; }
    public string DataRoot { get; }
    public bool EchoLogs { get; }
    /// <summary>The HMAC key the gateway signs forwarded identity with; generated per run unless configured.</summary>
    public string IdentitySigningKey { get; }
    /// <summary>ASPNETCORE_ENVIRONMENT handed to every project.</summary>
    public string ServiceEnvironment { get; }

    public string DataDirectory(string resourceName)
    {
        var path = Path.Combine(DataRoot, resourceName);
        Directory.CreateDirectory(path);
        return path;
    }

    public static bool IsRoot => Environment.UserName == "root";
}

/// <summary>Where the repository and its built projects are (baked in at build time, like Aspire's project metadata).</summary>
public static class RepositoryLayout
{
    private static readonly Assembly AppHost = typeof(RepositoryLayout).Assembly;

    public static string Root { get; } = Metadata("RestManRepositoryRoot");
    public static string Configuration { get; } = Metadata("RestManConfiguration");

    public static string Path(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, relative));

    private static string Metadata(string key) =>
        AppHost.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"assembly metadata '{key}' missing from the AppHost build");
}
