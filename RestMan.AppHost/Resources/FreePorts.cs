using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// Run-mode endpoints on ports from <see cref="PortAllocator.Shared"/>, with no DCP proxy: the process binds the port
/// itself. Each time the resource starts (after what it waits for), a port another process took in the meantime is
/// replaced, and resources already running that reference it are restarted so they read the new address.
/// </summary>
public static class FreePorts
{
    /// <summary>An endpoint <paramref name="name"/> on a free port; args, health checks and connection strings read its port from the endpoint.</summary>
    public static IResourceBuilder<T> WithFreePortEndpoint<T>(this IResourceBuilder<T> resource, string name, string scheme)
        where T : IResourceWithEndpoints
    {
        var port = PortAllocator.Shared.Allocate();
        var checkedAtStart = resource.Resource.Annotations.OfType<ReplaceablePortAnnotation>().Any();
        resource.WithEndpoint(port: port, targetPort: port, scheme: scheme, name: name, isProxied: false)
            .WithAnnotation(new ReplaceablePortAnnotation(name));
        if (!checkedAtStart)
        {
            // Subscribed once endpoints are allocated, i.e. after Aspire's own WaitFor handler: the check runs right
            // before the process starts, not before a wait of a minute.
            var subscribed = false;
            resource.OnResourceEndpointsAllocated((r, allocated, _) =>
            {
                if (subscribed) return Task.CompletedTask;
                subscribed = true;
                allocated.Services.GetRequiredService<Eventing.IDistributedApplicationEventing>()
                    .Subscribe<BeforeResourceStartedEvent>(r, (start, _) => ReplaceTakenPorts(r, start.Services));
                return Task.CompletedTask;
            });
        }
        return resource;
    }

    /// <summary>Pins endpoint <paramref name="name"/> to <paramref name="port"/>: the user chose it, it is never replaced.</summary>
    public static IResourceBuilder<T> WithFixedPort<T>(this IResourceBuilder<T> resource, string name, int port)
        where T : IResourceWithEndpoints
    {
        foreach (var replaceable in resource.Resource.Annotations.OfType<ReplaceablePortAnnotation>().Where(a => a.EndpointName == name).ToList())
            resource.Resource.Annotations.Remove(replaceable);
        return resource.WithEndpoint(name, endpoint =>
        {
            endpoint.Port = port;
            if (!endpoint.IsProxied) endpoint.TargetPort = port;
        });
    }

    /// <summary>The port the endpoint's process binds now (replaced ports included).</summary>
    public static int CurrentPort(this EndpointReference endpoint) =>
        endpoint.EndpointAnnotation.AllocatedEndpoint?.Port ?? endpoint.EndpointAnnotation.Port
        ?? throw new InvalidOperationException($"endpoint '{endpoint.EndpointName}' of '{endpoint.Resource.Name}' has no port");

    private static Task ReplaceTakenPorts(IResource resource, IServiceProvider services)
    {
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        var replaced = false;
        foreach (var name in resource.Annotations.OfType<ReplaceablePortAnnotation>().Select(a => a.EndpointName).ToList())
        {
            var endpoint = resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == name);
            var port = endpoint.AllocatedEndpoint?.Port ?? endpoint.Port!.Value;
            if (PortAllocator.IsFree(port)) continue;
            var replacement = PortAllocator.Shared.Allocate();
            endpoint.Port = replacement;
            endpoint.TargetPort = replacement;
            // The target port is the literal port too: DCP's own record of the endpoint still holds the old one.
            endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, endpoint.AllocatedEndpoint?.Address ?? "localhost", replacement,
                endpoint.AllocatedEndpoint?.BindingMode ?? EndpointBindingMode.SingleAddress, $"{replacement}", KnownNetworkIdentifiers.LocalhostNetwork);
            logger.LogWarning("Port {Port} of endpoint '{Endpoint}' is taken by another process; using {Replacement}", port, name, replacement);
            replaced = true;
        }
        if (!replaced) return Task.CompletedTask;

        // Resources that started before this one read its old address: restart them once it runs.
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var model = services.GetRequiredService<DistributedApplicationModel>();
        var started = model.Resources
            .Where(r => r.Annotations.OfType<ResourceRelationshipAnnotation>().Any(a => a.Resource == resource && a.Type == "Reference"))
            .Where(r => notifications.TryGetCurrentState(r.Name, out var state)
                && state.Snapshot.State?.Text is { } text && text != KnownResourceStates.NotStarted && text != KnownResourceStates.Waiting)
            .ToList();
        if (started.Count == 0) return Task.CompletedTask;
        var commands = services.GetRequiredService<ResourceCommandService>();
        var ct = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        _ = Task.Run(async () =>
        {
            await notifications.WaitForResourceAsync(resource.Name, KnownResourceStates.Running, ct);
            foreach (var dependant in started)
            {
                logger.LogWarning("Restarting '{Dependant}' so it reads the new port", dependant.Name);
                await commands.ExecuteCommandAsync(dependant.Name, KnownResourceCommands.RestartCommand, ct);
            }
        }, ct);
        return Task.CompletedTask;
    }

    /// <summary>Marks an endpoint whose port came from the allocator (and may be replaced) rather than from the user.</summary>
    private sealed record ReplaceablePortAnnotation(string EndpointName) : IResourceAnnotation;
}
