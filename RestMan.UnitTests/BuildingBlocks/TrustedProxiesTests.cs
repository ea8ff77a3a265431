using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace RestMan.UnitTests.BuildingBlocks;

/// <summary>Whose X-Forwarded-For a service believes: loopback by default, else exactly the configured proxies.</summary>
[Trait("Category", "Unit")]
public sealed class TrustedProxiesTests
{
    private static IConfiguration Config(string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TrustedProxies.ConfigurationKey] = value }).Build();

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.10.0.3", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.5", false)]
    [InlineData("2001:db8::1", false)]
    public void By_default_only_loopback_is_trusted(string peer, bool trusted) =>
        TrustedProxies.IsTrusted(IPAddress.Parse(peer), TrustedProxies.Networks(Config(null))).ShouldBe(trusted);

    [Theory]
    [InlineData("10.0.0.5", true)]
    [InlineData("10.1.200.7", true)]
    [InlineData("10.2.0.1", false)]
    [InlineData("127.0.0.1", false)]
    public void Configured_proxies_replace_loopback(string peer, bool trusted) =>
        TrustedProxies.IsTrusted(IPAddress.Parse(peer), TrustedProxies.Networks(Config("10.0.0.5, 10.1.0.0/16"))).ShouldBe(trusted);

    [Fact]
    public void No_peer_is_never_trusted() => TrustedProxies.IsTrusted(null, TrustedProxies.Networks(Config(null))).ShouldBeFalse();

    [Fact]
    public void Forwarded_headers_options_know_exactly_the_configured_proxies()
    {
        var options = new ForwardedHeadersOptions();
        options.Trust(Config("10.0.0.5"));

        options.KnownProxies.ShouldBeEmpty();
        options.KnownIPNetworks.Select(n => n.ToString()).ShouldBe(["10.0.0.5/32"]);
    }
}
