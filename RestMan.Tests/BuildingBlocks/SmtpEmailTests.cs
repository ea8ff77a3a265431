using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RestMan.Tests.Infrastructure;
using RestMan.Email;

namespace RestMan.Tests.BuildingBlocks;

/// <summary>With <c>Smtp:Host</c> configured, mail goes out over SMTP (MailKit); a relay that is not there, or none configured outside Development, is a clear failure.</summary>
[Trait("Category", "BuildingBlocks")]
public sealed class SmtpEmailTests
{
    [Fact]
    public async Task A_message_is_handed_to_the_configured_relay()
    {
        using var relay = new SmtpRelay();
        var sender = SenderFor(relay.Port);

        await sender.SendAsync(new EmailMessage("guest@example.com", "Your code", "123456 is your code."), CancellationToken.None);

        var session = await relay.FirstSession.WaitAsync(TimeSpan.FromSeconds(10));
        session.ShouldContain("RCPT TO:<guest@example.com>");
        session.ShouldContain("Subject: Your code");
        session.ShouldContain("123456 is your code.");
        var message = relay.Messages.ShouldHaveSingleItem();
        (message.Username, message.Password).ShouldBe(("restman", "relay-secret"));
    }

    [Fact]
    public async Task Outside_Development_a_service_without_a_relay_refuses_to_start_and_names_the_setting()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Services.AddLogging();
        builder.AddEmail();
        using var host = builder.Build();

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());
        error.Message.ShouldContain("Smtp:Host");
        error.Message.ShouldContain("smtp-host");
    }

    [Fact]
    public async Task A_relay_that_does_not_answer_is_an_email_unavailable_failure()
    {
        var closedPort = FreePort();
        var sender = SenderFor(closedPort);

        await Should.ThrowAsync<EmailUnavailableException>(() =>
            sender.SendAsync(new EmailMessage("guest@example.com", "Your code", "123456"), CancellationToken.None));
    }

    private static IEmailSender SenderFor(int port)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = port.ToString(),
            ["Smtp:EnableSsl"] = "false",
            ["Smtp:Timeout"] = "00:00:05",
            ["Smtp:Username"] = "restman",
            ["Smtp:Password"] = "relay-secret",
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddEmail();
        return builder.Build().Services.GetRequiredService<IEmailSender>();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
