using System.Net;
using System.Net.Sockets;

namespace RestMan.KafkaDevBroker;

/// <summary>
/// Listens on the port the AppHost assigned and pipes each connection to the mock broker's own ephemeral port:
/// librdkafka picks that port itself, Aspire needs a known one.
/// </summary>
public sealed class TcpRelay(int listenPort, string upstreamHost, int upstreamPort, ILogger logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var listener = new TcpListener(IPAddress.Loopback, listenPort);
        listener.Start();
        logger.LogInformation("kafka relay listening on 127.0.0.1:{Port} -> {Host}:{Upstream}", listenPort, upstreamHost, upstreamPort);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(ct);
                _ = PipeAsync(client, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task PipeAsync(TcpClient client, CancellationToken ct)
    {
        using var _ = client;
        using var upstream = new TcpClient();
        try
        {
            client.NoDelay = upstream.NoDelay = true;
            await upstream.ConnectAsync(upstreamHost, upstreamPort, ct);
            await using var a = client.GetStream();
            await using var b = upstream.GetStream();
            // Whichever side closes first ends the pair: a broker set down closes its side, and the client sees it.
            await Task.WhenAny(a.CopyToAsync(b, ct), b.CopyToAsync(a, ct));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug("relay connection ended: {Message}", e.Message);
        }
    }
}
