using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RestMan.Tests.Infrastructure;

/// <summary>One message as the relay received it: who signed in to send it, the envelope and the mail itself.</summary>
public sealed record RelayedMessage(string? Username, string? Password, string Recipient, string Data)
{
    /// <summary>The mail's body: what follows the headers.</summary>
    public string Body => Data[(Data.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var i and >= 0 ? i + 4 : 0)..];
}

/// <summary>
/// Just enough of an SMTP server for plain-text mail, on a loopback port: any number of sessions, AUTH PLAIN, no TLS
/// (services reach it with <c>Smtp:EnableSsl=false</c>). Keeps each session's transcript and every message.
/// </summary>
public sealed class SmtpRelay : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RelayedMessage> _messages = new();
    private readonly TaskCompletionSource<string> _firstSession = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SmtpRelay()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    /// <summary>The whole text the client sent in the first session, once it ended.</summary>
    public Task<string> FirstSession => _firstSession.Task;
    public IReadOnlyCollection<RelayedMessage> Messages => _messages;

    /// <summary>The newest message to <paramref name="recipient"/>, waiting for it to arrive.</summary>
    public async Task<RelayedMessage> WaitForMessageAsync(string recipient, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_messages.LastOrDefault(m => string.Equals(m.Recipient, recipient, StringComparison.OrdinalIgnoreCase)) is { } found) return found;
            try { await Task.Delay(50, cts.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"no mail to {recipient} reached the relay within {timeout.TotalSeconds:0} s"); }
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ServeAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var transcript = new StringBuilder();
        try
        {
            using var _ = client;
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 test relay ESMTP");
            string? username = null, password = null, recipient = null;
            StringBuilder? data = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                transcript.AppendLine(line);
                if (data is not null)
                {
                    if (line == ".")
                    {
                        _messages.Enqueue(new RelayedMessage(username, password, recipient ?? "", data.ToString()));
                        data = null;
                        await writer.WriteLineAsync("250 queued");
                    }
                    else data.Append(line.StartsWith("..", StringComparison.Ordinal) ? line[1..] : line).Append("\r\n");
                    continue;
                }
                var verb = line.Split(' ', ':')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-test relay");
                        await writer.WriteLineAsync("250 AUTH PLAIN");
                        break;
                    case "AUTH":
                        var initial = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2);
                        if (initial is null)
                        {
                            await writer.WriteLineAsync("334 ");
                            initial = await reader.ReadLineAsync(_stop.Token) ?? "";
                        }
                        // PLAIN: authzid NUL authcid NUL password.
                        var parts = Encoding.UTF8.GetString(Convert.FromBase64String(initial)).Split('\0');
                        (username, password) = (parts.ElementAtOrDefault(1), parts.ElementAtOrDefault(2));
                        await writer.WriteLineAsync("235 2.7.0 accepted");
                        break;
                    case "RCPT":
                        recipient = line[(line.IndexOf('<') + 1)..line.IndexOf('>')];
                        await writer.WriteLineAsync("250 ok");
                        break;
                    case "DATA":
                        data = new StringBuilder();
                        await writer.WriteLineAsync("354 go ahead");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 ok");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            _firstSession.TrySetResult(transcript.ToString());
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
