using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RestMan.Email;

namespace RestMan.UnitTests.BuildingBlocks;

/// <summary>With <c>Smtp:Host</c> configured, mail goes out over SMTP (MailKit); a relay that is not there is a clear failure.</summary>
[Trait("Category", "Unit")]
public sealed class SmtpEmailTests
{
    [Fact]
    public async Task A_message_is_handed_to_the_configured_relay()
    {
        using var relay = new FakeSmtpRelay();
        var sender = SenderFor(relay.Port);

        await sender.SendAsync(new EmailMessage("guest@example.com", "Your code", "123456 is your code."), CancellationToken.None);

        var session = await relay.Session.WaitAsync(TimeSpan.FromSeconds(10));
        session.ShouldContain("RCPT TO:<guest@example.com>");
        session.ShouldContain("Subject: Your code");
        session.ShouldContain("123456 is your code.");
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

    /// <summary>Just enough of an SMTP server for one plain-text message; keeps the whole session's text.</summary>
    private sealed class FakeSmtpRelay : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly TaskCompletionSource<string> _session = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public FakeSmtpRelay()
        {
            _listener.Start();
            _ = ServeOneAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public Task<string> Session => _session.Task;

        private async Task ServeOneAsync()
        {
            try
            {
                using var client = await _listener.AcceptTcpClientAsync();
                await using var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                var transcript = new StringBuilder();
                await writer.WriteLineAsync("220 fake ESMTP");
                var inData = false;
                while (await reader.ReadLineAsync() is { } line)
                {
                    transcript.AppendLine(line);
                    if (inData)
                    {
                        if (line == ".") { inData = false; await writer.WriteLineAsync("250 queued"); }
                        continue;
                    }
                    var verb = line.Split(' ', ':')[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "DATA": inData = true; await writer.WriteLineAsync("354 go ahead"); break;
                        case "QUIT": await writer.WriteLineAsync("221 bye"); _session.TrySetResult(transcript.ToString()); return;
                        default: await writer.WriteLineAsync("250 ok"); break;
                    }
                }
                _session.TrySetResult(transcript.ToString());
            }
            catch (Exception ex)
            {
                _session.TrySetException(ex);
            }
        }

        public void Dispose() => _listener.Stop();
    }
}
