using System.Net;

namespace RestMan.Benchmarks;

/// <summary>
/// An OTLP/HTTP endpoint that takes every export and keeps nothing. The services still pay their whole telemetry cost
/// (spans, metrics and logs recorded, batched, serialized and sent), as they do in a deployment; what is left out is a
/// collector on the same two cores (Aspire's dev dashboard took as much CPU as the Orders service there).
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private long _exports;
    private long _bytes;

    public OtlpSink()
    {
        Endpoint = new Uri($"http://127.0.0.1:{RunningGraph.FreePort()}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }
    public long Exports => Interlocked.Read(ref _exports);
    public long Bytes => Interlocked.Read(ref _bytes);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            _ = AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            var buffer = new byte[16 * 1024];
            long read = 0;
            for (int n; (n = await context.Request.InputStream.ReadAsync(buffer)) > 0;) read += n;
            Interlocked.Add(ref _bytes, read);
            Interlocked.Increment(ref _exports);
            // An empty Export*ServiceResponse: everything accepted.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.ContentLength64 = 0;
        }
        catch (Exception e) when (e is HttpListenerException or IOException)
        {
            context.Response.StatusCode = 500;
        }
        finally
        {
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serving;
        _listener.Close();
    }
}
