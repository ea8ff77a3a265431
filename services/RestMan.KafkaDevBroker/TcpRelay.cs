using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RestMan.KafkaDevBroker;

/// <summary>
/// Listens on the port the AppHost assigned and pipes each connection to the mock broker's own ephemeral port:
/// librdkafka picks that port itself, Aspire needs a known one.
/// </summary>
public sealed class TcpRelay(int listenPort, string upstreamHost, int upstreamPort, ILogger logger) : BackgroundService
{
    // The mock broker listens with a backlog of 5 and accepts one connection per turn of its loop: a burst of connects
    // (every client reconnecting once the broker is back) overflows it, and each SYN lost waits 1-7 s to be resent.
    private readonly SemaphoreSlim _connecting = new(4);

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
        var peer = client.Client.RemoteEndPoint;
        var started = Stopwatch.StartNew();
        try
        {
            client.NoDelay = upstream.NoDelay = true;
            await _connecting.WaitAsync(ct);
            try
            {
                await upstream.ConnectAsync(upstreamHost, upstreamPort, ct);
            }
            finally
            {
                _connecting.Release();
            }
            // At Debug, each connection's life: what the next stuck client was left holding.
            logger.LogDebug("relay {Peer}: upstream connected in {Ms} ms", peer, started.ElapsedMilliseconds);
            await using var a = client.GetStream();
            await using var b = upstream.GetStream();
            // Whichever side closes first ends the pair: a broker set down closes its side, and the client sees it.
            var up = a.CopyToAsync(b, ct);
            var down = b.CopyToAsync(a, ct);
            var first = await Task.WhenAny(up, down);
            logger.LogDebug("relay {Peer}: closed by the {Side} after {Ms} ms", peer, first == up ? "client" : "broker", started.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug("relay {Peer}: ended after {Ms} ms: {Message}", peer, started.ElapsedMilliseconds, e.Message);
        }
    }
}
