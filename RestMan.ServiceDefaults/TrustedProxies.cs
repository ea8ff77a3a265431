using System.Net;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Whose <c>X-Forwarded-For</c> a service believes: <c>RestMan:TrustedProxies</c>, a comma-separated list of addresses
/// and networks (<c>10.0.0.5, 10.1.0.0/16</c>) of the proxies in front of it — the load balancer before the gateway, the
/// web app and the gateway before the services. Unset: loopback only (run mode, where everything is on this machine).
/// A header from anyone else is ignored: a client cannot choose the address its budget is counted on.
/// </summary>
public static class TrustedProxies
{
    public const string ConfigurationKey = "RestMan:TrustedProxies";

    private static readonly IPNetwork[] Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    /// <summary>The configured networks (a bare address is a network of one), else loopback.</summary>
    public static IReadOnlyList<IPNetwork> Networks(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(configured)) return Loopback;
        return [.. configured.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse)];
    }

    /// <summary>Whether <paramref name="peer"/> (the connection's remote address) is a trusted proxy.</summary>
    public static bool IsTrusted(IPAddress? peer, IReadOnlyList<IPNetwork> networks)
    {
        if (peer is null) return false;
        if (peer.IsIPv4MappedToIPv6) peer = peer.MapToIPv4();
        return networks.Any(n => n.Contains(peer));
    }

    /// <summary>Forwarded headers are read from trusted proxies only (the options' loopback defaults are replaced).</summary>
    public static void Trust(this ForwardedHeadersOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in Networks(configuration)) options.KnownIPNetworks.Add(network);
    }

    private static IPNetwork Parse(string entry) =>
        entry.Contains('/', StringComparison.Ordinal) ? IPNetwork.Parse(entry)
        : IPAddress.Parse(entry) is var address && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? new IPNetwork(address, 32) : new IPNetwork(address, 128);
}
