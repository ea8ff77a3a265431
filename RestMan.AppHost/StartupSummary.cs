using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

/// <summary>
/// Prints the dashboard URL, the gateway URL and one <c>&lt;resource&gt; Running &lt;endpoint&gt;</c> line per named resource
/// once all of them are healthy: newcomers and our scripts read these lines (./run.sh).
/// </summary>
internal sealed class StartupSummary(
    string[] resources, DistributedApplicationModel model, ResourceNotificationService notifications,
    IConfiguration configuration) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        try
        {
            await Task.WhenAll(resources.Select(r => notifications.WaitForResourceHealthyAsync(r, ct)));
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var lines = new List<string> { "", $"RestMan is up. Dashboard: {DashboardUrl()}" };
        if (model.Resources.OfType<IResourceWithEndpoints>().FirstOrDefault(r => r.Name == "gateway") is { } gateway)
            lines.Add($"Gateway:   {new EndpointReference(gateway, "http").Url}");
        lines.Add("");
        foreach (var name in resources)
            lines.Add($"{name,-12} Running  {await TargetAsync(model.Resources.First(r => r.Name == name), ct)}");
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

public static class StartupSummaryExtensions
{
    /// <summary>In run mode, prints the summary lines once <paramref name="resources"/> are all healthy.</summary>
    public static IDistributedApplicationBuilder PrintSummaryWhenHealthy(this IDistributedApplicationBuilder builder, params string[] resources)
    {
        if (builder.ExecutionContext.IsRunMode && !LocalInfrastructure.IsEphemeral(builder))
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<StartupSummary>(sp, [resources]));
        return builder;
    }
}
