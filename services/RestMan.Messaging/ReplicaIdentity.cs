using Microsoft.Extensions.Configuration;

namespace RestMan.Messaging;

/// <summary>
/// Which replica of a service this process is: <c>RestMan:ReplicaId</c> (the AppHost sets it; a deployment sets it to
/// something stable per replica, e.g. the pod's name), else the host name. Unique among a service's replicas and the
/// same after that replica restarts.
/// </summary>
public static class ReplicaIdentity
{
    public const string ConfigurationKey = "RestMan:ReplicaId";

    public static string Of(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[ConfigurationKey] is { Length: > 0 } id ? id : Environment.MachineName;
    }
}
