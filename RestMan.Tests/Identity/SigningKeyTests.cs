using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RestMan.Tests.Identity;

/// <summary>A service without the identity signing key refuses to start, naming the setting and the deployment's parameter.</summary>
[Trait("Category", "Identity")]
public sealed class SigningKeyTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("not base64!")]
    public async Task A_service_without_a_usable_signing_key_does_not_start(string? key)
    {
        using var host = HostWith(key);

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());
        error.Message.ShouldContain("Identity:SigningKey");
        error.Message.ShouldContain("identity-signing-key");
    }

    [Fact]
    public async Task A_service_with_the_key_starts()
    {
        using var host = HostWith(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        await host.StartAsync();
        await host.StopAsync();
    }

    private static IHost HostWith(string? key)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Identity:SigningKey"] = key });
        builder.Services.AddLogging();
        builder.Services.AddForwardedIdentity();
        return builder.Build();
    }
}
