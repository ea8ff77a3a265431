using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Aspire-style service discovery without the package: <c>http://orders</c> resolves to the address the AppHost gave in
/// <c>services:orders:http:0</c>. Unknown hosts pass through untouched.
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    public Uri? Resolve(string serviceName, string scheme = "http")
    {
        var section = configuration.GetSection($"services:{serviceName}:{scheme}");
        var first = section.GetChildren().OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        return first is null ? null : new Uri(first);
    }
}

internal sealed class ServiceDiscoveryHandler(ServiceEndpointResolver resolver) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri && resolver.Resolve(uri.Host, uri.Scheme) is { } endpoint)
        {
            request.RequestUri = new UriBuilder(uri) { Scheme = endpoint.Scheme, Host = endpoint.Host, Port = endpoint.Port }.Uri;
        }
        return base.SendAsync(request, ct);
    }
}

public static class ServiceDiscoveryExtensions
{
    public static IServiceCollection AddServiceDiscovery(this IServiceCollection services)
    {
        services.AddSingleton<ServiceEndpointResolver>();
        return services;
    }

    public static IHttpClientBuilder AddServiceDiscovery(this IHttpClientBuilder http) =>
        http.AddHttpMessageHandler(sp => new ServiceDiscoveryHandler(sp.GetRequiredService<ServiceEndpointResolver>()));
}
